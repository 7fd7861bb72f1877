#!/bin/bash
# The man pages against the program: one page per command `--help` lists,
# every option of the command's --help text and of its getopt table
# (advisor/cli/cmd_<command>.c, the host options when it uses them) named in
# its page, the sections an administrator looks for, the main page listing
# every command, paths substituted for the PREFIX given, and groff renders
# every page without a warning.
set -u
BIN=${BIN:?BIN must name the reclaim-advisor binary}
REPO=$PWD
TMP=$(mktemp -d /tmp/manpages-e2e.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# Build the pages as `make install` would, for a PREFIX that is not the default.
make -s -C "$REPO" man BUILD="$TMP/b" PREFIX=/opt/ra SYSCONFDIR=/opt/etc LOCALSTATEDIR=/opt/var \
	>"$TMP/make.log" 2>&1 || { cat "$TMP/make.log"; bad "make man"; exit 1; }
MAN=$TMP/b/man

cmds=$("$BIN" --help | awk '/^commands:/ { f = 1; next } f && /^  [a-z]/ { print $1 }')
[ -n "$cmds" ] || bad "no commands in reclaim-advisor --help"

for c in $cmds; do
	page=$MAN/reclaim-advisor-$c.8
	if [ ! -f "$page" ]; then
		bad "command '$c' has no man page (man/reclaim-advisor-$c.8.in)"
		continue
	fi
	# options as --help prints them, and as the getopt table declares them
	opts=$("$BIN" $c --help 2>&1 | grep -oE '(^|[ [,|])--[a-z][a-z0-9-]*' | sed 's/^[ [,|]//' | sort -u)
	src=$REPO/advisor/cli/cmd_$c.c
	if [ -f "$src" ]; then
		opts="$opts $(grep -oE '\{"[a-z][a-z0-9-]*", *(no|required|optional)_argument' "$src" |
			sed -E 's/^\{"([^"]*)".*/--\1/')"
		if grep -q HOSTOPTS_LONGOPTS "$src"; then
			opts="$opts $(grep -oE '\{"[a-z][a-z0-9-]*", *(no|required|optional)_argument' \
				"$REPO/advisor/cli/hostopts.h" | sed -E 's/^\{"([^"]*)".*/--\1/')"
		fi
	fi
	[ -n "$opts" ] || bad "$c: no options found in --help or $src"
	for o in $(printf '%s\n' $opts | sort -u); do
		roff=$(printf '%s' "$o" | sed 's/-/\\\\-/g')
		grep -q -- "$roff" "$page" || bad "$c: option $o is not in reclaim-advisor-$c(8)"
	done
	for s in NAME SYNOPSIS DESCRIPTION OPTIONS EXAMPLES ENVIRONMENT "EXIT STATUS"; do
		grep -q "^\.SH \"\{0,1\}$s" "$page" || bad "$c: reclaim-advisor-$c(8) has no $s section"
	done
	grep -q "^\.B $c\$\|^\.B $c " "$MAN/reclaim-advisor.8" || bad "reclaim-advisor(8) does not list '$c'"
	grep -q "reclaim\\\\-advisor\\\\-$c (8)" "$MAN/reclaim-advisor.8" ||
		bad "reclaim-advisor(8) SEE ALSO lacks reclaim-advisor-$c(8)"
done

# Paths follow the configuration; no placeholder or default prefix is left.
grep -l '@[A-Z]*@' "$MAN"/*.8 && bad "placeholders left in the pages above"
grep -q '/opt/ra/share/reclaim\\-advisor/rules' "$MAN/reclaim-advisor-recommend.8" ||
	bad "FILES does not name the configured data directory"
grep -q '/opt/etc/reclaim\\-advisor/rules.d' "$MAN/reclaim-advisor-rules.8" ||
	bad "FILES does not name the configured rules.d"
grep -l '/usr/local' "$MAN"/*.8 && bad "/usr/local in the pages above, built for PREFIX=/opt/ra"

# groff: no warnings (-ww), nothing unrendered.
if command -v groff >/dev/null 2>&1; then
	for p in "$MAN"/*.8; do
		w=$(LC_ALL=C.UTF-8 groff -man -ww -z -Tutf8 "$p" 2>&1)
		[ -z "$w" ] || bad "$(basename "$p"): groff: $w"
	done
else
	echo "note: groff not installed, pages not rendered"
fi

[ $fail = 0 ] && echo "ok: man pages for: $(echo $cmds)"
exit $fail
