# shellcheck shell=bash
# The one setup of the end-to-end tests that run the real ansible-core
# (tests/e2e/ansible.sh, ansible_role.sh, readme_examples.sh): sourced, it
# defines functions and sets nothing until they are called.
#
#   ansible_missing         true (after printing a SKIP line) when
#                           ansible-playbook is not installed
#   ansible_module          prints the module binary to test: the one next to
#                           $BIN (build/asan/reclaim_advisor under make asan),
#                           else build/reclaim_advisor brought up to date
#                           with the library; non-zero if it cannot be built
#   ansible_env DIR         HOME and the ANSIBLE_* settings for a quiet run
#                           that keeps its temporaries under DIR and never
#                           reads this machine's ~/.ansible
#   recap / show            the PLAY RECAP line / the whole output of the
#                           last run, which the caller writes to $ANSIBLE_OUT

ansible_missing() {
	command -v ansible-playbook >/dev/null 2>&1 && return 1
	echo "SKIP: ansible-playbook not installed (apt-get install ansible-core)"
	return 0
}

ansible_module() {
	local repo=$PWD mod
	mod=$(dirname "$BIN")/reclaim_advisor
	if [ "$(cd "$(dirname "$BIN")" && pwd)" = "$repo/build" ] || [ ! -x "$mod" ]; then
		# the default build: bring the module up to date with the library
		make -s build/reclaim_advisor >/dev/null || { echo "FAIL: make build/reclaim_advisor" >&2; return 1; }
		mod=$repo/build/reclaim_advisor
	fi
	printf '%s\n' "$mod"
}

ansible_env() {
	mkdir -p "$1"
	export HOME=$1 ANSIBLE_LOCAL_TEMP=$1/.ansible/tmp ANSIBLE_REMOTE_TEMP=$1/.ansible/tmp
	export ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0
	export ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3
	export ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_INVENTORY_UNPARSED_WARNING=0
}

recap() { grep -E '^localhost +:' "$ANSIBLE_OUT"; }
show() { sed 's/^/    /' "$ANSIBLE_OUT"; }
