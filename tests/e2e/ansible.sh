#!/bin/bash
# End-to-end test of the Ansible binary module and role (issue 7) with the
# real ansible-core (Debian's package): a playbook on localhost with a local
# connection, the role from contrib/ansible/roles, the module pointed at a
# temporary root built from a capture (never this host's /etc or /proc/sys):
#   check mode + diff -> changed, the diff shows the fragment, nothing written
#   apply             -> fragment written, values in root/proc/sys
#   rerun             -> ok (changed=0), again ok, and ok after a simulated reboot
#   state: audit      -> status ok, nothing changed
#   facts.d script    -> ansible_local.reclaim_advisor via the setup module
# Skips with a message when ansible-playbook is missing.  The module binary
# is $(dirname BIN)/reclaim_advisor (build/asan/ under make asan), else
# build/reclaim_advisor, brought up to date here.
set -u
BIN=${BIN:?BIN must name the reclaim-advisor binary}
if ! command -v ansible-playbook >/dev/null 2>&1; then
	echo "SKIP: ansible-playbook not installed (apt-get install ansible-core)"
	exit 0
fi
REPO=$PWD
MOD=$(dirname "$BIN")/reclaim_advisor
if [ "$(cd "$(dirname "$BIN")" && pwd)" = "$REPO/build" ] || [ ! -x "$MOD" ]; then
	# the default build: bring the module up to date with the library
	make -s build/reclaim_advisor >/dev/null || { echo "FAIL: make build/reclaim_advisor"; exit 1; }
	MOD=$REPO/build/reclaim_advisor
fi
TMP=$(mktemp -d /tmp/ansible-e2e.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/library" "$TMP/rules/profiles" "$TMP/sysconf" "$TMP/home" "$TMP/facts"
cp "$MOD" "$TMP/library/reclaim_advisor"
cat >"$TMP/rules/10-ansible-test.ini" <<'EOF'
[test-swappiness]
description = ansible test
when     = has("sysctl.vm.swappiness")
set      = vm.swappiness
value    = 10
severity = warning
why      = the test wants swappiness {value : raw}

[test-wsf]
description = ansible test
when     = has("sysctl.vm.watermark_scale_factor")
set      = vm.watermark_scale_factor
value    = 125
severity = warning
why      = wider kswapd buffer
EOF
ROOT=$TMP/root
cp -r fixtures/captures/porteus-5.12-x86_64-16g "$ROOT"
mkdir -p "$ROOT/etc/sysctl.d"
FRAG=$ROOT/etc/sysctl.d/60-reclaim-advisor.conf

export HOME=$TMP/home ANSIBLE_LIBRARY=$TMP/library ANSIBLE_ROLES_PATH=$REPO/contrib/ansible/roles
export ANSIBLE_LOCAL_TEMP=$TMP/home/.ansible/tmp ANSIBLE_REMOTE_TEMP=$TMP/home/.ansible/tmp
export ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3
export ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_INVENTORY_UNPARSED_WARNING=0

cat >"$TMP/play.yml" <<EOF
---
- hosts: localhost
  connection: local
  gather_facts: false
  roles:
    - role: reclaim_advisor
      vars:
        reclaim_advisor_root: "$ROOT"
        reclaim_advisor_apply: true
        reclaim_advisor_rules_dir: "$TMP/rules"
        reclaim_advisor_template_dir: "$REPO/templates"
        reclaim_advisor_page_size: 4096
        reclaim_advisor_data_dir: "$TMP/data"
        reclaim_advisor_environment:
          RECLAIM_ADVISOR_SYSCONFDIR: "$TMP/sysconf"
EOF
cat >"$TMP/audit.yml" <<EOF
---
- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: audit through the module
      reclaim_advisor:
        state: audit
        root: "$ROOT"
        rules_dir: "$TMP/rules"
        page_size: 4096
        labels:
          role: db
      environment:
        RECLAIM_ADVISOR_SYSCONFDIR: "$TMP/sysconf"
      register: a
    - name: the audit says ok and changed nothing
      ansible.builtin.assert:
        that:
          - not a.changed
          - a.status == "ok"
          - a.exit_code == 0
          - a.audit.schema == "reclaim-advisor/audit"
          - a.audit['keys'] | length == 2
          - a.audit.host.labels.role == "db"
    - name: a typo in a parameter fails the task
      reclaim_advisor:
        stat: audit
        root: "$ROOT"
      register: typo
      ignore_errors: true
    - ansible.builtin.assert:
        that:
          - typo.failed
          - "'unsupported parameter: stat' in typo.msg"
EOF

fail=0
pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
play() { ansible-playbook -i localhost, "$@" >"$TMP/out" 2>&1; }
recap() { grep -E '^localhost +:' "$TMP/out"; }
show() { sed 's/^/    /' "$TMP/out"; }

# 1. check mode with diff: changed, the diff shows the new lines, nothing written
if play "$TMP/play.yml" --check --diff; then ok; else bad "check mode run"; show; fi
recap | grep -q 'changed=[1-9]' && ok || { bad "check mode: not changed"; show; }
grep -q '^+vm.swappiness = 10' "$TMP/out" && ok || { bad "diff mode: no +vm.swappiness line"; show; }
grep -q '^+vm.watermark_scale_factor = 125' "$TMP/out" && ok || bad "diff mode: no wsf line"
[ ! -e "$FRAG" ] && ok || bad "check mode wrote $FRAG"
[ "$(cat "$ROOT/proc/sys/vm/swappiness")" = 60 ] && ok || bad "check mode applied values"

# 2. apply: written and applied under the root
if play "$TMP/play.yml"; then ok; else bad "apply run"; show; fi
recap | grep -q 'changed=[1-9]' && ok || { bad "apply: not changed"; show; }
grep -q '^vm.swappiness = 10$' "$FRAG" 2>/dev/null && ok || bad "fragment not written"
grep -q 'generated by reclaim-advisor' "$FRAG" 2>/dev/null && ok || bad "fragment header"
[ "$(cat "$ROOT/proc/sys/vm/swappiness")" = 10 ] && ok || bad "swappiness not applied under the root"
[ "$(cat "$ROOT/proc/sys/vm/watermark_scale_factor")" = 125 ] && ok || bad "wsf not applied under the root"
cp "$FRAG" "$TMP/frag.1"

# 3. rerun: ok, nothing changed, the file is byte-identical
if play "$TMP/play.yml" --diff; then ok; else bad "rerun"; show; fi
recap | grep -q 'changed=0' && ok || { bad "rerun: changed"; show; }
cmp -s "$FRAG" "$TMP/frag.1" && ok || bad "rerun rewrote the fragment"

# 3b. the desired-state sequence goes on: ok again, and ok after a simulated
# reboot (every key back to its kernel default, then the sysctl.d files in
# name order, as systemd-sysctl applies them)
if play "$TMP/play.yml"; then ok; else bad "third run"; show; fi
recap | grep -q 'changed=0' && ok || { bad "third run: changed"; show; }
printf '60\n' >"$ROOT/proc/sys/vm/swappiness"
printf '10\n' >"$ROOT/proc/sys/vm/watermark_scale_factor"
for f in $(ls "$ROOT/etc/sysctl.d/"*.conf | sort); do
	sed -n 's/^[[:space:]]*\([a-z_.-]*\)[[:space:]]*=[[:space:]]*\(.*[^[:space:]]\)[[:space:]]*$/\1 \2/p' "$f" |
		while read -r k v; do printf '%s\n' "$v" >"$ROOT/proc/sys/$(printf %s "$k" | tr . /)"; done
done
[ "$(cat "$ROOT/proc/sys/vm/swappiness")" = 10 ] && ok || bad "simulated reboot: swappiness not from the fragment"
if play "$TMP/play.yml" --diff; then ok; else bad "run after a reboot"; show; fi
recap | grep -q 'changed=0' && ok || { bad "after a simulated reboot: changed"; show; }
cmp -s "$FRAG" "$TMP/frag.1" && ok || bad "after a simulated reboot: the fragment was rewritten"

# 4. the fragment is what `recommend -o` writes for the same inputs (same library)
cp -r fixtures/captures/porteus-5.12-x86_64-16g "$TMP/root2"
mkdir -p "$TMP/root2/etc/sysctl.d"
RECLAIM_ADVISOR_RULES_DIR=$TMP/rules RECLAIM_ADVISOR_SYSCONFDIR=$TMP/sysconf \
	RECLAIM_ADVISOR_TEMPLATE_DIR=$REPO/templates \
	"$BIN" recommend --page-size 4096 --root "$TMP/root2" -o "$TMP/root2/etc/sysctl.d/60-reclaim-advisor.conf" \
	>/dev/null 2>&1
cmp -s "$TMP/frag.1" "$TMP/root2/etc/sysctl.d/60-reclaim-advisor.conf" && ok || bad "module and recommend -o differ"

# 5. state: audit, and a misspelt parameter
if play "$TMP/audit.yml"; then ok; else bad "audit playbook"; show; fi
recap | grep -q 'changed=0' && ok || { bad "audit changed something"; show; }

# 6. the facts.d script through the setup module
cp contrib/ansible/facts.d/reclaim_advisor.fact "$TMP/facts/"
if RECLAIM_ADVISOR=$BIN RECLAIM_ADVISOR_RULES_DIR=$TMP/rules RECLAIM_ADVISOR_SYSCONFDIR=$TMP/sysconf \
	RECLAIM_ADVISOR_FACT_ARGS="--root $ROOT --page-size 4096" \
	ansible localhost -i localhost, -c local -m ansible.builtin.setup \
	-a "fact_path=$TMP/facts filter=ansible_local" >"$TMP/out" 2>&1; then ok; else bad "setup"; show; fi
grep -q '"status": "ok"' "$TMP/out" && grep -q '"schema": "reclaim-advisor/audit"' "$TMP/out" && ok \
	|| { bad "ansible_local.reclaim_advisor"; show; }

echo "ansible e2e: $pass passed, $fail failed"
[ "$fail" = 0 ]
