#!/bin/bash
# End-to-end tests of `reclaim-advisor record` on this machine's live /proc
# (read-only): fixed-interval sampling without drift, a clean end on SIGTERM
# and SIGINT, a recorder killed with SIGKILL leaving every complete sample
# readable, the --max-size ring, refusals (bad options, a file that is not
# a history), and the file read back by `whatif`.
#
# Run from the repository root with BIN=<absolute path of the binary>.
# Writes only to a temporary directory.
set -u
BIN=${BIN:?BIN must name the reclaim-advisor binary}
TMP=$(mktemp -d /tmp/record-e2e.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

fail=0
pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
expect_rc() { if [ "$1" = "$2" ]; then ok; else bad "$3: exit $2, expected $1"; sed 's/^/    /' "$TMP/err"; fi; }
has() { if grep -qF -- "$2" "$1"; then ok; else bad "$3: '$2' not in $1"; sed 's/^/    /' "$1" | head -20; fi; }
samples() { grep -c '^S ' "$1"; }

if [ ! -r /proc/vmstat ] || [ ! -r /proc/zoneinfo ]; then
	echo "record.sh: /proc not readable here; skipped"
	exit 0
fi

# --- a fixed duration: the count of samples and their times ----------------
"$BIN" record -o "$TMP/h1" --interval 0.1 --duration 2 2>"$TMP/err"
expect_rc 0 $? "record 2 s at 0.1 s"
n=$(samples "$TMP/h1")
# 0.0 .. 2.0 s: 21 deadlines; a loaded machine may skip a tick (never more samples)
if [ "$n" -ge 18 ] && [ "$n" -le 21 ]; then ok; else bad "2 s at 0.1 s gave $n samples"; fi
# absolute deadlines: sample k lands near k*0.1 s, whatever each sample costs
python3 - "$TMP/h1" <<'EOF' || bad "sample times drift from the deadlines"
import sys
# Absolute deadlines mean lateness does not accumulate: a sample may be late
# when the machine is loaded (a busy CI host, the ASan build), but the next one
# is back on its own deadline.  A relative sleep would drift by the cost of
# every sample, so the median lateness stays small and no sample is early.
lates = []
for line in open(sys.argv[1]):
    if line.startswith("S "):
        f = line.split()
        seq, t = int(f[1]), int(f[2])
        late = t - seq * 100_000_000
        if late < 0:
            print(f"sample {seq} at {t} ns: before its deadline"); sys.exit(1)
        lates.append(late)
lates.sort()
median = lates[len(lates) // 2]
if median > 50_000_000:
    print(f"median lateness {median} ns over {len(lates)} samples"); sys.exit(1)
EOF
ok
head -1 "$TMP/h1" >"$TMP/first"
has "$TMP/first" "reclaim-advisor-history 2" "magic"
"$BIN" whatif --history "$TMP/h1" >"$TMP/out" 2>"$TMP/err"
expect_rc 0 $? "whatif on a live recording"
has "$TMP/out" "record file), $n samples" "whatif reads every sample"

# --- to standard output --------------------------------------------------
"$BIN" record --interval 0.1 --duration 0.3 >"$TMP/h2" 2>"$TMP/err"
expect_rc 0 $? "record to stdout"
"$BIN" whatif --history "$TMP/h2" --no-search --format json >"$TMP/out" 2>"$TMP/err"
expect_rc 0 $? "whatif on a piped recording"

# --- SIGTERM and SIGINT end the file cleanly --------------------------------
for sig in TERM INT; do
	"$BIN" record -o "$TMP/s$sig" --interval 0.1 2>"$TMP/err" &
	pid=$!
	sleep 0.6
	kill -$sig $pid
	wait $pid
	expect_rc 0 $? "SIG$sig ends the recording with exit 0"
	tail -c 1 "$TMP/s$sig" | od -c | grep -q '\\n' && ok || bad "SIG$sig: file does not end with a whole line"
	"$BIN" whatif --history "$TMP/s$sig" --no-search >"$TMP/out" 2>"$TMP/err"
	expect_rc 0 $? "SIG$sig: readable"
	if grep -q "incomplete" "$TMP/err"; then bad "SIG$sig left a torn sample"; else ok; fi
done

# --- SIGKILL: every complete sample stays readable ---------------------------
"$BIN" record -o "$TMP/k" --interval 0.1 2>"$TMP/err" &
pid=$!
sleep 1.0
kill -KILL $pid
wait $pid 2>/dev/null
n=$(samples "$TMP/k")
[ "$n" -ge 5 ] && ok || bad "SIGKILL after 1 s: only $n samples"
"$BIN" whatif --history "$TMP/k" --no-search >"$TMP/out" 2>"$TMP/err"
expect_rc 0 $? "a killed recorder's file is readable"
# a write torn by the kill (simulated: cut the last line in half)
head -c -37 "$TMP/k" >"$TMP/torn"
"$BIN" whatif --history "$TMP/torn" --no-search --format json >"$TMP/out" 2>"$TMP/err"
expect_rc 0 $? "torn last sample"
has "$TMP/err" "last sample incomplete" "torn last sample: warned"
got=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["samples"])' "$TMP/out")
[ "$got" = "$((n - 1))" ] && ok || bad "torn: $got samples read, expected $((n - 1))"

# --- the ring: the file stays under --max-size, newest samples kept ----------
hdr=$(awk '/^H /{print NR; exit}' "$TMP/h1")
hbytes=$(head -n "$hdr" "$TMP/h1" | wc -c)
max=$(((hbytes + 2500) * 4 / 3))
"$BIN" record -o "$TMP/ring" --interval 0.1 --duration 4 --max-size $max 2>"$TMP/err"
expect_rc 0 $? "record with --max-size"
size=$(stat -c %s "$TMP/ring")
[ "$size" -le "$max" ] && ok || bad "ring: $size bytes > --max-size $max"
first=$(grep '^S ' "$TMP/ring" | head -1 | cut -d' ' -f2)
last=$(grep '^S ' "$TMP/ring" | tail -1 | cut -d' ' -f2)
[ "$first" -gt 0 ] && ok || bad "ring: the oldest samples were not dropped (first seq $first)"
[ "$last" -ge 35 ] && ok || bad "ring: newest sample seq $last, expected ~40"
"$BIN" whatif --history "$TMP/ring" --no-search >"$TMP/out" 2>"$TMP/err"
expect_rc 0 $? "ring file readable"
"$BIN" record -o "$TMP/tiny" --duration 1 --max-size 100 2>"$TMP/err"
expect_rc 64 $? "--max-size below the header"
has "$TMP/err" "use at least" "--max-size: says the least usable bound"
[ ! -e "$TMP/tiny" ] && ok || bad "--max-size refused but a file was left"

# --- refusals ---------------------------------------------------------------
echo precious >"$TMP/precious"
"$BIN" record -o "$TMP/precious" --duration 0.2 2>"$TMP/err"
expect_rc 73 $? "refuses to replace a file that is not a history"
has "$TMP/precious" "precious" "the file is untouched"
"$BIN" record -o "$TMP/h1" --duration 0.2 --interval 0.1 2>"$TMP/err"
expect_rc 0 $? "replaces an earlier history"
"$BIN" record --interval 0.01 2>"$TMP/err"
expect_rc 64 $? "--interval below 0.1 s"
"$BIN" record --max-size 1M --duration 1 2>"$TMP/err"
expect_rc 64 $? "--max-size without -o"
"$BIN" record --root "$TMP/nothing" --duration 1 -o "$TMP/x" 2>"$TMP/err"
expect_rc 66 $? "missing root"
"$BIN" record --root fixtures/qemu/6.1-1g-thp-wsf200/before --duration 0.2 --interval 0.1 -o "$TMP/fx" 2>"$TMP/err"
expect_rc 0 $? "--root: a captured tree (does not change: every sample the same)"
has "$TMP/fx" "min_free_kbytes 45056" "--root: settings from the tree"

# a restart appends to a history of the same boot and settings, and replaces
# one of another boot (the counters and CLOCK_MONOTONIC would not continue)
cp -r fixtures/qemu/6.1-1g-thp-wsf200/before "$TMP/rroot"
mkdir -p "$TMP/rroot/proc/sys/kernel/random"
echo 0123abcd-0000-4000-8000-000000000001 >"$TMP/rroot/proc/sys/kernel/random/boot_id"
"$BIN" record --root "$TMP/rroot" --duration 0.35 --interval 0.1 -o "$TMP/ap" 2>"$TMP/err"
expect_rc 0 $? "append: first run"
n1=$(samples "$TMP/ap")
printf 'S 99 12' >>"$TMP/ap" # the first recorder killed mid-line: a torn tail
"$BIN" record --root "$TMP/rroot" --duration 0.35 --interval 0.1 -o "$TMP/ap" 2>"$TMP/err"
expect_rc 0 $? "append: restart"
has "$TMP/err" "continued (an earlier history of this boot)" "append: says it continued"
n2=$(samples "$TMP/ap")
[ "$n2" -gt "$n1" ] && [ "$n2" -le $((2 * n1 + 1)) ] && ok || bad "append: $n1 then $n2 samples"
[ "$(grep -c '^H ' "$TMP/ap")" = 1 ] && ok || bad "append: one header"
awk '$1 == "S" { if (seen && ($2 <= s || $3 <= t)) bad = 1; seen = 1; s = $2; t = $3 } END { exit bad }' "$TMP/ap" &&
	ok || bad "append: sequence numbers and times keep increasing"
"$BIN" whatif --history "$TMP/ap" --no-search --format json >"$TMP/apj" 2>"$TMP/err"
expect_rc 0 $? "append: the continued history reads (the torn tail was cut)"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(r["samples"] != int(sys.argv[2]))' "$TMP/apj" "$n2" &&
	ok || bad "append: whatif sees every sample"
echo 0123abcd-0000-4000-8000-000000000002 >"$TMP/rroot/proc/sys/kernel/random/boot_id"
"$BIN" record --root "$TMP/rroot" --duration 0.25 --interval 0.1 -o "$TMP/ap" 2>"$TMP/err"
expect_rc 0 $? "append: another boot"
has "$TMP/err" "replaced: it was recorded in another boot" "append: another boot replaces"
[ "$(samples "$TMP/ap")" -lt "$n1" ] && ok || bad "append: another boot starts afresh"

echo "record.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
