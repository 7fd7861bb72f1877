#!/bin/bash
# Bash completion (contrib/bash-completion) driven as bash would drive it:
# COMP_WORDS/COMP_CWORD set, the function called, COMPREPLY checked.  The
# commands and options come from the program's --help, so this also checks
# that those stay parseable.  Skips without the bash-completion package.
set -u
BIN=${BIN:?BIN must name the reclaim-advisor binary}
REPO=$PWD
BC=/usr/share/bash-completion/bash_completion
if [ ! -f "$BC" ]; then
	echo "SKIP: $BC missing (apt-get install bash-completion)"
	exit 0
fi
TMP=$(mktemp -d /tmp/completion-e2e.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
make -s -C "$REPO" "$TMP/b/bash-completion/reclaim-advisor" BUILD="$TMP/b" >"$TMP/make.log" 2>&1 ||
	{ cat "$TMP/make.log"; echo "FAIL: make the completion"; exit 1; }
mkdir -p "$TMP/bin" "$TMP/sysconf/reclaim-advisor/profiles"
ln -s "$BIN" "$TMP/bin/reclaim-advisor"
: > "$TMP/sysconf/reclaim-advisor/profiles/site-web.ini"

# shellcheck disable=SC2016
RECLAIM_ADVISOR_DATADIR=$REPO RECLAIM_ADVISOR_SYSCONFDIR=$TMP/sysconf PATH=$TMP/bin:$PATH \
	bash --norc --noprofile -c '
fail=0
. '"$BC"'
. '"$TMP/b/bash-completion/reclaim-advisor"'
# complete LINE: the words of LINE, the last one (possibly empty) being completed
complete_line() {
	read -r -a COMP_WORDS <<< "$1"
	[[ $1 == *" " ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE=$1; COMP_POINT=${#1}
	COMPREPLY=()
	_reclaim_advisor reclaim-advisor "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
	printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " " | sed "s/ $//"
}
expect() { # LINE WANT: WANT is the whole reply
	local got; got=$(complete_line "$1")
	[[ $got == "$2" ]] || { echo "FAIL: \"$1\" -> \"$got\", expected \"$2\""; fail=1; }
}
expect_has() { # LINE WORD...: each WORD is in the reply
	local got w; got=" $(complete_line "$1") "
	shift_line=$1; shift
	for w in "$@"; do
		[[ $got == *" $w "* ]] || { echo "FAIL: \"$shift_line\" -> \"$got\" lacks $w"; fail=1; }
	done
}
expect "reclaim-advisor recom" "recommend"
expect "reclaim-advisor wh" "whatif"
expect_has "reclaim-advisor " collect facts watermarks rules explain recommend audit fleet --version
expect "reclaim-advisor recommend --pro" "--profile"
expect_has "reclaim-advisor audit --" --label --fragment --root --snapshot --interval --format --output
expect "reclaim-advisor audit --format " "json prometheus text"
expect "reclaim-advisor facts --format " "json text"
expect "reclaim-advisor recommend --profile da" "database"
expect "reclaim-advisor recommend --profile site" "site-web"
expect "reclaim-advisor rules " "check list"
expect "reclaim-advisor explain kswapd-headroom-from-" "kswapd-headroom-from-counters kswapd-headroom-from-history kswapd-headroom-from-history-keep kswapd-headroom-from-rates"
expect_has "reclaim-advisor explain vm.min" vm.min_free_kbytes
expect "reclaim-advisor help reco" "recommend record"
exit $fail
' || exit 1
echo "ok: completion"
