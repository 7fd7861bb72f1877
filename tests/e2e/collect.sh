#!/bin/bash
# End-to-end checks of `collect` and `facts` (issue 2): exit codes (0, 64 bad
# usage, 65 malformed input, 66 missing input, 73 cannot create), JSON that
# parses, a snapshot that reads back, --baseline and --interval rates, and
# byte-identical output for the same input.  One line per check; exit 1 on
# any failure.
set -uo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${BIN:-$repo/build/reclaim-advisor}
cd "$repo" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

# expect CODE DESCRIPTION -- COMMAND...
expect() {
	local want=$1 what=$2
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err"
	local got=$?
	if [ "$got" = "$want" ]; then ok "$what (exit $got)"; else
		bad "$what: exit $got, wanted $want"; sed 's/^/     /' "$tmp/err" | head -5; fi
}

json_ok() { python3 -m json.tool "$1" >/dev/null 2>&1 && ok "$2: JSON parses" || bad "$2: JSON does not parse"; }

# fact FILE NAME EXPECTED: a fact of a snapshot equals EXPECTED (python repr)
fact() {
	local got
	got=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(repr(d["facts"].get(sys.argv[2])))' "$1" "$2")
	[ "$got" = "$3" ] && ok "$2 = $3" || bad "$2 = $got, wanted $3"
}

cap=fixtures/captures/lkml-2019-profihost-4.19-x86_64-16g-vm

expect 0 "collect --help" -- "$BIN" collect --help
grep -q -- "--interval" "$tmp/out" && ok "collect --help lists --interval" || bad "collect --help"
expect 0 "facts --help" -- "$BIN" facts --help

# live host
expect 0 "collect on the live host" -- "$BIN" collect
json_ok "$tmp/out" "live snapshot"
cp "$tmp/out" "$tmp/live.json"
fact "$tmp/live.json" host.page_size_source "'sysconf'"

# a capture, to a file, atomically
expect 0 "collect --root capture -o FILE" -- "$BIN" collect --root "$cap" -o "$tmp/p.json"
json_ok "$tmp/p.json" "capture snapshot"
fact "$tmp/p.json" reclaim.allocstall_total 1980128
fact "$tmp/p.json" host.page_size_source "'assumed'"
grep -q "page size assumed 4096" "$tmp/err" && ok "assumed page size warned on stderr" || bad "no page-size warning"
expect 0 "collect --page-size 65536" -- "$BIN" collect --root "$cap" --page-size 65536
fact "$tmp/out" host.page_size 65536

# deterministic
"$BIN" collect --root "$cap" >"$tmp/a.json" 2>/dev/null
"$BIN" collect --root "$cap" >"$tmp/b.json" 2>/dev/null
cmp -s "$tmp/a.json" "$tmp/b.json" && ok "same input, same bytes" || bad "output differs between runs"
cmp -s "$tmp/a.json" "$tmp/p.json" && ok "-o FILE and stdout agree" || bad "-o FILE differs from stdout"

# facts from a snapshot and from a tree
expect 0 "facts --snapshot" -- "$BIN" facts --snapshot "$tmp/p.json"
grep -Eq '^reclaim\.allocstall_total +1980128 +count' "$tmp/out" && ok "facts text lists allocstall_total" || bad "facts text"
grep -q "^zones (5, pages):" "$tmp/out" && ok "facts text has the zone summary" || bad "facts zone summary"
expect 0 "facts --format json" -- "$BIN" facts --root fixtures/live-fc-6.18 --format json
json_ok "$tmp/out" "facts json"
expect 0 "facts on the sosreport tree" -- "$BIN" facts --root fixtures/sosreport-rhel8
grep -q "sos_commands/kernel/sysctl_-a:979" "$tmp/out" && ok "sysctl source is the dump line" || bad "sysctl source"

# rates against a baseline: an earlier copy of the live fixture
mkdir -p "$tmp/early"
cp -r fixtures/live-fc-6.18/. "$tmp/early/"
awk '{ printf "%.2f %s\n", $1 - 100, $2 }' fixtures/live-fc-6.18/proc/uptime >"$tmp/early/proc/uptime"
awk '$1 == "pgalloc_normal" { $2 = $2 - 50000 } { print }' fixtures/live-fc-6.18/proc/vmstat >"$tmp/early/proc/vmstat"
expect 0 "--baseline DIR" -- "$BIN" collect --root fixtures/live-fc-6.18 --baseline "$tmp/early"
fact "$tmp/out" rate.kind "'baseline'"
fact "$tmp/out" rate.pgalloc 500.0
"$BIN" collect --root "$tmp/early" -o "$tmp/early.json" 2>/dev/null
expect 0 "--baseline FILE (a snapshot)" -- "$BIN" collect --root fixtures/live-fc-6.18 --baseline "$tmp/early.json"
fact "$tmp/out" rate.pgalloc 500.0
expect 65 "--baseline from a later boot" -- "$BIN" collect --root "$tmp/early" --baseline fixtures/live-fc-6.18
grep -q "different boot" "$tmp/err" && ok "different boot explained" || bad "different boot message"

# --interval on the live host
expect 0 "--interval 0.3" -- "$BIN" collect --interval 0.3
fact "$tmp/out" rate.kind "'interval'"

# malformed input: 65 and the file:line
mkdir -p "$tmp/badzi/proc"
printf '  pages free 12\nNode 0, zone DMA\n' >"$tmp/badzi/proc/zoneinfo"
expect 65 "zone block without a header" -- "$BIN" collect --root "$tmp/badzi"
grep -q "proc/zoneinfo:1" "$tmp/err" && ok "error names proc/zoneinfo:1" || bad "error position"
mkdir -p "$tmp/binvm/proc"
printf 'nr_free_pages 1\n\0\1' >"$tmp/binvm/proc/vmstat"
expect 65 "binary vmstat" -- "$BIN" collect --root "$tmp/binvm"
printf '{"schema": "reclaim-advisor/snapshot",\n "version": 1,\n "facts": {' >"$tmp/trunc.json"
expect 65 "truncated snapshot" -- "$BIN" facts --snapshot "$tmp/trunc.json"
grep -q "trunc.json:3:" "$tmp/err" && ok "snapshot error has line:col" || bad "snapshot error position"
echo '{"schema": "something/else", "version": 1, "facts": {}}' >"$tmp/foreign.json"
expect 65 "foreign JSON" -- "$BIN" facts --snapshot "$tmp/foreign.json"

# missing input: 66; cannot create: 73
expect 66 "no such root" -- "$BIN" collect --root "$tmp/nowhere"
expect 66 "no such snapshot" -- "$BIN" facts --snapshot "$tmp/nowhere.json"
expect 73 "-o into a missing directory" -- "$BIN" collect --root "$cap" -o "$tmp/nowhere/x.json"
# A device or symlink is never replaced by the atomic rename (it once turned /dev/null into a file).
ln -s /dev/null "$tmp/link.json"
expect 73 "-o onto a symlink" -- "$BIN" collect --root "$cap" -o "$tmp/link.json"
[ -L "$tmp/link.json" ] && ok "symlink left as it was" || bad "symlink replaced"
expect 73 "-o /dev/null" -- "$BIN" collect --root "$cap" -o /dev/null
[ -c /dev/null ] && ok "/dev/null is still a device" || bad "/dev/null replaced"

# bad usage: 64
expect 64 "unknown option" -- "$BIN" collect --bogus
expect 64 "--root with --snapshot" -- "$BIN" collect --root "$cap" --snapshot "$tmp/p.json"
expect 64 "--interval on a captured tree" -- "$BIN" collect --root "$cap" --interval 1
expect 64 "--interval 0" -- "$BIN" collect --interval 0
expect 64 "--page-size 3000" -- "$BIN" collect --root "$cap" --page-size 3000
expect 64 "--kernel-log with --snapshot" -- "$BIN" facts --snapshot "$tmp/p.json" --kernel-log /dev/null
expect 64 "--format xml" -- "$BIN" facts --format xml
expect 64 "stray argument" -- "$BIN" facts extra

if [ "$fails" -gt 0 ]; then
	echo "collect.sh: $fails failure(s)"
	exit 1
fi
echo "collect.sh: all passed"
