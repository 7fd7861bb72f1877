#!/bin/bash
# The terminal (issue 14): default `recommend` fits one screen (at most 25
# lines, none over 120 columns) on this machine's live host and on every
# capture, and ends with one closing line (what was written, or what to run
# next); --verbose adds the rules that did not apply with their facts in
# units (kernel versions as 6.1); `help COMMAND` and `COMMAND --help` print
# that command's options; errors are one line and a hint, and name the
# valid choices.
# Run from the repository root with BIN=<absolute path of the binary>.
set -u
BIN=${BIN:?BIN must name the reclaim-advisor binary}
TMP=$(mktemp -d /tmp/terminal-e2e.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
fail=0
pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
CLOSING='^(Next: |Nothing to change|Wrote |Up to date, not rewritten: )'

# one screen: <= 25 lines, <= 120 columns, one closing line, the last
screen() { # FILE WHAT [MAXLINES]
	local f=$1 what=$2 max=${3:-25}
	local n w c
	n=$(wc -l <"$f")
	w=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$f")
	c=$(grep -cE "$CLOSING" "$f")
	[ "$n" -le "$max" ] && ok || bad "$what: $n lines (more than $max)"
	[ "$w" -le 120 ] && ok || bad "$what: a line of $w columns: $(awk 'length($0) > 120' "$f" | head -1)"
	[ "$c" = 1 ] && tail -1 "$f" | grep -qE "$CLOSING" && ok || bad "$what: not one closing line at the end: $(tail -1 "$f")"
}

# --- this machine's live host (read-only: no output options) -------------
"$BIN" recommend >"$TMP/live.txt" 2>"$TMP/live.err"
rc=$?
if [ $rc = 0 ]; then
	ok
	screen "$TMP/live.txt" "live host"
	grep -q '^Rules that did not apply' "$TMP/live.txt" && bad "live: skipped rules without --verbose" || ok
	grep -q 'when was false' "$TMP/live.txt" && bad "live: raw rule expressions in the default output" || ok
else
	bad "recommend on the live host: exit $rc: $(tail -2 "$TMP/live.err")"
fi
"$BIN" recommend --verbose >"$TMP/live-v.txt" 2>/dev/null
grep -q '^Rules that did not apply ([0-9]*):' "$TMP/live-v.txt" && ok || bad "live --verbose: no skipped rules"
w=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$TMP/live-v.txt")
[ "$w" -le 120 ] && ok || bad "live --verbose: a line of $w columns"
tail -1 "$TMP/live-v.txt" | grep -qE "$CLOSING" && ok || bad "live --verbose: no closing line"

# --- every capture -------------------------------------------------------
n=0
for c in fixtures/captures/*/ fixtures/qemu/*/after/ fixtures/live-fc-6.18/ fixtures/derived/*/after/ \
	fixtures/derived/live-fc-6.18-boost-visible/ fixtures/derived/qemu-6.12-1g-wsf1000-week-uptime/ \
	fixtures/derived/ubuntu14.04-3.13-zram/; do
	[ -d "$c" ] || continue
	name=$(echo "$c" | tr '/' '_')
	"$BIN" recommend --root "$c" --page-size 4096 >"$TMP/$name.txt" 2>/dev/null || continue
	n=$((n + 1))
	screen "$TMP/$name.txt" "$c"
	"$BIN" recommend --root "$c" --page-size 4096 --verbose >"$TMP/$name.v" 2>/dev/null
	w=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$TMP/$name.v")
	[ "$w" -le 120 ] && ok || bad "$c --verbose: a line of $w columns"
done
[ "$n" -ge 40 ] && ok || bad "only $n captures rendered"

# kernel versions as 5.8 and sizes in units in --verbose; never the encoded number
Z=fixtures/derived/ubuntu14.04-3.13-zram
"$BIN" recommend --root $Z --page-size 4096 --verbose >"$TMP/zram-v.txt" 2>/dev/null
grep -qE 'host\.kernel_version = 3\.13' "$TMP/zram-v.txt" && ok || bad "--verbose: kernel version not as 3.13"
grep -qE 'kernel_version = [0-9]{5,}' "$TMP/zram-v.txt" && bad "--verbose: an encoded kernel version" || ok
grep -qE 'mem\.total_managed_bytes = [0-9.]+ GiB' "$TMP/zram-v.txt" && ok || bad "--verbose: bytes not in units"

# writing: the closing line says what was written
R=$TMP/root
cp -r fixtures/captures/lkml-2019-profihost-4.19-x86_64-16g-vm "$R"
"$BIN" recommend --root "$R" --page-size 4096 -o "$TMP/frag.conf" >"$TMP/w.txt" 2>/dev/null
tail -1 "$TMP/w.txt" | grep -qE "^Wrote $TMP/frag.conf \([0-9]+ settings?\)" && ok || bad "closing line after -o: $(tail -1 "$TMP/w.txt")"
"$BIN" recommend --root "$R" --page-size 4096 -o "$TMP/frag.conf" >"$TMP/w2.txt" 2>/dev/null
tail -1 "$TMP/w2.txt" | grep -q "^Up to date, not rewritten: $TMP/frag.conf" && ok || bad "closing line when up to date: $(tail -1 "$TMP/w2.txt")"

# --- help ----------------------------------------------------------------
mkdir -p "$TMP/cwd"
"$BIN" help >"$TMP/h.txt"; [ $? = 0 ] && ok || bad "help exit"
for cmd in collect facts watermarks rules explain recommend audit fleet record whatif; do
	"$BIN" help "$cmd" >"$TMP/h-$cmd.txt" 2>&1 || bad "help $cmd: exit $?"
	"$BIN" "$cmd" --help >"$TMP/o-$cmd.txt" 2>&1 || bad "$cmd --help: exit $?"
	cmp -s "$TMP/h-$cmd.txt" "$TMP/o-$cmd.txt" && ok || bad "help $cmd differs from $cmd --help"
	grep -q "^usage: reclaim-advisor $cmd" "$TMP/h-$cmd.txt" && ok || bad "help $cmd: not its usage: $(head -1 "$TMP/h-$cmd.txt")"
	cmp -s "$TMP/h-$cmd.txt" "$TMP/h.txt" && bad "help $cmd prints the global help" || ok
	# every documented option is one the command accepts: each one given
	# last (an option that wants an argument then stops at "needs a
	# value"; the flags run harmless reads), in an empty directory
	sub=$cmd
	[ "$cmd" = rules ] && sub="rules list"
	for opt in $(grep -oE '^  (-[a-z], )?--[a-z-]+' "$TMP/h-$cmd.txt" | grep -oE -- '--[a-z-]+' | sort -u); do
		[ "$opt" = --help ] && continue
		# shellcheck disable=SC2086 # "rules list" is two words
		(cd "$TMP/cwd" && timeout 30 "$BIN" $sub "$opt" </dev/null >/dev/null 2>"$TMP/e")
		grep -q "unknown option '$opt'" "$TMP/e" && bad "$cmd: documented $opt is not accepted"
	done
	[ -z "$(ls -A "$TMP/cwd")" ] && ok || bad "$cmd: trying its options wrote $(ls -A "$TMP/cwd")"
done
grep -q -- '--verbose' "$TMP/h-recommend.txt" && ok || bad "help recommend lacks --verbose"
grep -q -- '--prom-instance' "$TMP/h-audit.txt" && ok || bad "help audit lacks --prom-instance"
"$BIN" help --all | grep -c '^usage: reclaim-advisor' | grep -qx 10 && ok || bad "help --all: not every command"

# --- errors: one line and a hint, with the valid choices -----------------
"$BIN" recommend --profile >"$TMP/o" 2>"$TMP/e"
rc=$?
[ $rc = 64 ] && ok || bad "missing argument: exit $rc"
[ "$(wc -l <"$TMP/e")" = 2 ] && ok || bad "missing argument: $(wc -l <"$TMP/e") lines of stderr: $(cat "$TMP/e")"
grep -q "^reclaim-advisor: recommend: --profile needs a value (NAME)$" "$TMP/e" && ok || bad "missing argument message: $(head -1 "$TMP/e")"
grep -q "reclaim-advisor help recommend" "$TMP/e" && ok || bad "missing argument: no hint"
[ -s "$TMP/o" ] && bad "missing argument: usage on stdout" || ok
"$BIN" audit --bogus >/dev/null 2>"$TMP/e"
[ $? = 3 ] && ok || bad "audit unknown option: not UNKNOWN (3)"
[ "$(wc -l <"$TMP/e")" = 2 ] && ok || bad "audit unknown option: $(wc -l <"$TMP/e") lines"
"$BIN" recommend --root fixtures/live-fc-6.18 --profile latncy >/dev/null 2>"$TMP/e"
[ $? = 78 ] && ok || bad "misspelt profile: exit"
grep -q "profile 'latncy' not found; the profiles are: .*general.*latency" "$TMP/e" && ok || bad "misspelt profile does not list the profiles: $(cat "$TMP/e")"
"$BIN" audit --format xml >/dev/null 2>"$TMP/e"
grep -q "text|json|prometheus" "$TMP/e" && ok || bad "bad --format does not list the formats: $(cat "$TMP/e")"
"$BIN" recomend >/dev/null 2>"$TMP/e"
[ $? = 64 ] && ok || bad "unknown command: exit"
grep -q "unknown command 'recomend'; commands are collect, .*recommend" "$TMP/e" && ok || bad "unknown command does not list the commands: $(cat "$TMP/e")"
"$BIN" help recomend >/dev/null 2>"$TMP/e"
[ $? = 64 ] && grep -q "recommend" "$TMP/e" && ok || bad "help of an unknown command"
"$BIN" rules >/dev/null 2>"$TMP/e"
grep -q "missing argument check|list" "$TMP/e" && ok || bad "rules without a subcommand: $(cat "$TMP/e")"

echo "terminal e2e: $pass passed, $fail failed"
[ "$fail" = 0 ]
