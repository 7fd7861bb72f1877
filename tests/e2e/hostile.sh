#!/bin/bash
# Hostile trees (issue 10): what a hostile or careless user can put in a
# --root tree, a snapshot, a rule directory or an output path, and what the
# tool must do about it.  Every tree is built here, at test time, from a
# real capture (fixtures/live-fc-6.18, and a QEMU capture for --apply).
#
# Beside every run's exit code, the suite keeps a decoy tree outside the
# temporary roots (a copy of the capture's proc/sys/vm plus a "secret"
# file) and checks after every case, by checksum, that nothing outside the
# temporary root changed: links in the trees point at the decoy.
#
# Every run is under `timeout`: a FIFO must be refused, never waited on.
# The FIFO cases' wall time is printed at the end (each must be < 1 s).
#
# Run from the repository root with BIN=<absolute path of the binary>.
set -u
BIN=${BIN:?BIN must name the reclaim-advisor binary}
TMP=$(mktemp -d /tmp/hostile-e2e.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
export RECLAIM_ADVISOR_SYSCONFDIR=$TMP/sysconf RECLAIM_ADVISOR_TEMPLATE_DIR=$PWD/templates
export RECLAIM_ADVISOR_RULES_DIR=$PWD/rules
mkdir -p "$TMP/sysconf"
BASE=fixtures/live-fc-6.18
ZRAM=fixtures/derived/qemu-6.1-512m-zram-direct-reclaim/before

fail=0
pass=0
cases=0
fifo_ms=""
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

DECOY=$TMP/decoy
mkdir -p "$DECOY"
cp -r "$BASE/proc/sys/vm" "$DECOY/vm"
echo "do not touch" >"$DECOY/secret"
decoy_sum() { (cd "$DECOY" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum); }
DECOY_SUM=$(decoy_sum)

# fresh NAME [SRC]: a new copy of the capture at $TMP/NAME.
fresh() {
	rm -rf "${TMP:?}/$1"
	cp -r "${2:-$BASE}" "$TMP/$1"
}

# run NAME WANT_RC ARGS...: run the binary (stdout $TMP/out, stderr
# $TMP/err) under a timeout, check the exit code and that the decoy is
# untouched.  Sets $ms to the wall time in milliseconds.
run() {
	local name=$1 want=$2
	shift 2
	cases=$((cases + 1))
	local t0 t1 rc
	t0=$(date +%s%N)
	timeout 10 ${AS:-} "$BIN" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	rc_last=$rc
	t1=$(date +%s%N)
	ms=$(((t1 - t0) / 1000000))
	if [ "$rc" = 124 ]; then
		bad "$name: timed out (hung)"
	elif [ "$rc" = "$want" ]; then
		ok
	else
		bad "$name: exit $rc, expected $want"
		sed 's/^/    /' "$TMP/err" | head -5
	fi
	if [ "$(decoy_sum)" = "$DECOY_SUM" ]; then ok; else bad "$name: the decoy outside the root changed"; fi
	# An "error:" line never comes with exit 0.
	if [ "$rc" = 0 ] && grep -q 'error:' "$TMP/err"; then bad "$name: 'error:' printed with exit 0"; else ok; fi
}
# fifo_run: run, and the case must also finish in under a second.
fifo_run() {
	run "$@"
	fifo_ms="$fifo_ms $ms"
	if [ "$ms" -lt 1000 ]; then ok; else bad "$1: took $ms ms"; fi
}
err_has() { if grep -qF -- "$2" "$TMP/err"; then ok; else bad "$1: stderr lacks '$2'"; sed 's/^/    /' "$TMP/err" | head -5; fi; }
out_has() { if grep -qF -- "$2" "$TMP/out"; then ok; else bad "$1: stdout lacks '$2'"; sed 's/^/    /' "$TMP/out" | head -5; fi; }
out_lacks() { if grep -qF -- "$2" "$TMP/out"; then bad "$1: stdout has '$2'"; else ok; fi; }

# ---- links out of the root -------------------------------------------------

# A sysctl that is a link to a file outside the tree: --apply would write it.
fresh link-file
rm "$TMP/link-file/proc/sys/vm/watermark_scale_factor"
ln -s "$DECOY/vm/watermark_scale_factor" "$TMP/link-file/proc/sys/vm/watermark_scale_factor"
run link-file 65 recommend --root "$TMP/link-file" --profile latency --apply -o "$TMP/link-file.conf"
err_has link-file "proc/sys/vm/watermark_scale_factor: error: a symbolic link or '..' leads outside the root"
[ ! -e "$TMP/link-file.conf" ] && ok || bad "link-file: a fragment was written"

# The same through a relative link that climbs out with "..".
fresh link-dotdot
rm "$TMP/link-dotdot/proc/sys/vm/min_free_kbytes"
ln -s "../../../../decoy/vm/min_free_kbytes" "$TMP/link-dotdot/proc/sys/vm/min_free_kbytes"
run link-dotdot 65 recommend --root "$TMP/link-dotdot" --profile latency --apply -o "$TMP/link-dotdot.conf"
err_has link-dotdot "proc/sys/vm/min_free_kbytes: error: a symbolic link"

# proc/sys/vm a symlinked directory outside the tree.
fresh link-dir
rm -r "$TMP/link-dir/proc/sys/vm"
ln -s "$DECOY/vm" "$TMP/link-dir/proc/sys/vm"
run link-dir 65 recommend --root "$TMP/link-dir" --profile latency --apply -o "$TMP/link-dir.conf"
err_has link-dir "proc/sys/vm: error: a symbolic link"

# proc -> /proc: the live host's values must not be read, nor written.
fresh link-proc
rm -r "$TMP/link-proc/proc"
ln -s /proc "$TMP/link-proc/proc"
run link-proc 65 recommend --root "$TMP/link-proc" --profile latency --apply -o "$TMP/link-proc.conf"
err_has link-proc "proc/zoneinfo: error: a symbolic link"
run link-proc-facts 65 facts --root "$TMP/link-proc"
run link-proc-audit 3 audit --root "$TMP/link-proc"
out_has link-proc-audit "UNKNOWN"

# A link inside the tree is the tree's own business: followed.
fresh link-inside
mv "$TMP/link-inside/proc/meminfo" "$TMP/link-inside/meminfo.real"
ln -s ../meminfo.real "$TMP/link-inside/proc/meminfo"
run link-inside 0 facts --root "$TMP/link-inside"
out_has link-inside "meminfo.MemTotal"

# --apply replaces a test tree's value whole: 15000 -> 0 leaves "0", and the
# read-back compares what the file holds (the old code left "0\n000").  The
# desktop-zram profile, because boost 0 comes only beside a raised wsf.
fresh apply-trunc "$ZRAM"
run apply-trunc 0 recommend --root "$TMP/apply-trunc" --profile desktop-zram --apply -o "$TMP/apply-trunc.conf"
if [ "$(od -An -c "$TMP/apply-trunc/proc/sys/vm/watermark_boost_factor" | tr -d ' ')" = '0\n' ]; then ok
else bad "apply-trunc: watermark_boost_factor holds $(od -An -c "$TMP/apply-trunc/proc/sys/vm/watermark_boost_factor")"; fi
out_has apply-trunc "vm.watermark_boost_factor: 15000 -> 0: applied"
run apply-trunc-rerun 0 facts --root "$TMP/apply-trunc"

# ---- FIFOs where files belong: refused at once -----------------------------

for f in proc/zoneinfo proc/meminfo proc/vmstat proc/sys/vm/swappiness; do
	n=fifo-$(basename "$f")
	fresh "$n"
	rm "$TMP/$n/$f"
	mkfifo "$TMP/$n/$f"
	fifo_run "$n-recommend" 65 recommend --root "$TMP/$n"
	err_has "$n" "$f: error: not a regular file"
	fifo_run "$n-audit" 3 audit --root "$TMP/$n"
	fifo_run "$n-collect" 65 collect --root "$TMP/$n"
done

# A sysctl.d file: the boot-time view is incomplete, said as a warning.
fresh fifo-sysctld
mkdir -p "$TMP/fifo-sysctld/etc/sysctl.d"
mkfifo "$TMP/fifo-sysctld/etc/sysctl.d/50-local.conf"
fifo_run fifo-sysctld 0 recommend --root "$TMP/fifo-sysctld"
err_has fifo-sysctld "/etc/sysctl.d/50-local.conf: warning: cannot read: not a regular file"
fifo_run fifo-sysctld-audit 0 audit --root "$TMP/fifo-sysctld"

# A rule file.
mkdir -p "$TMP/fifo-rules"
mkfifo "$TMP/fifo-rules/50-x.ini"
fifo_run fifo-rules 78 recommend --root "$BASE" --rules "$TMP/fifo-rules"
err_has fifo-rules "50-x.ini: error: cannot read: not a regular file"

# Output targets, a snapshot, a fleet report, a kernel log, a sysctl dump.
mkfifo "$TMP/fifo"
fifo_run fifo-out 73 recommend --root "$BASE" -o "$TMP/fifo"
err_has fifo-out "not a regular file"
fifo_run fifo-report 73 recommend --root "$BASE" --report "$TMP/fifo"
fifo_run fifo-collect-out 73 collect --root "$BASE" -o "$TMP/fifo"
# audit keeps the monitoring convention: a failure of its own is UNKNOWN.
fifo_run fifo-audit-out 3 audit --root "$BASE" -o "$TMP/fifo"
fifo_run fifo-snapshot 66 recommend --snapshot "$TMP/fifo"
err_has fifo-snapshot "not a regular file"
fifo_run fifo-klog 65 recommend --root "$BASE" --kernel-log "$TMP/fifo"
err_has fifo-klog "not a regular file"
fifo_run fifo-sysctl-file 65 recommend --root "$BASE" --sysctl-file "$TMP/fifo"
fifo_run fifo-fragment 3 audit --root "$BASE" --fragment "$TMP/fifo"
fifo_run fifo-root 66 recommend --root "$TMP/fifo"
[ -p "$TMP/fifo" ] && ok || bad "the FIFO was replaced"

# ---- impossible zone sets --------------------------------------------------

# Every zone twice: managed memory would be counted twice.
fresh zones-twice
cat "$BASE/proc/zoneinfo" "$BASE/proc/zoneinfo" >"$TMP/zones-twice/proc/zoneinfo"
run zones-twice 65 recommend --root "$TMP/zones-twice"
err_has zones-twice "node 0 zone DMA printed twice (first at line 1)"
run zones-twice-watermarks 65 watermarks --root "$TMP/zones-twice"
# The same in a snapshot.
run snap-base 0 collect --root "$BASE" -o "$TMP/snap.json"
python3 - "$TMP/snap.json" "$TMP/snap-twice.json" <<'EOF2'
import json, sys
d = json.load(open(sys.argv[1]))
d["zones"] = d["zones"] + d["zones"]
json.dump(d, open(sys.argv[2], "w"))
EOF2
run snap-twice 65 recommend --snapshot "$TMP/snap-twice.json"
err_has snap-twice "appears twice"
# A node id no kernel has, and nine zones in one node.
fresh node-2000
sed 's/^Node 0, zone/Node 2000, zone/' "$BASE/proc/zoneinfo" >"$TMP/node-2000/proc/zoneinfo"
run node-2000 65 facts --root "$TMP/node-2000"
err_has node-2000 "beyond the kernel's MAX_NUMNODES"
fresh nine-zones
for z in Z1 Z2 Z3 Z4 Z5 Z6; do sed -n '/zone   Normal/,/^Node/p' "$BASE/proc/zoneinfo" | sed '$d' | sed "s/zone   Normal/zone $z/"; done >>"$TMP/nine-zones/proc/zoneinfo"
run nine-zones 65 facts --root "$TMP/nine-zones"
err_has nine-zones "more than 8 zones"
# Snapshot integers below INT64_MIN (json-c clamps them): refused.
python3 - "$TMP/snap.json" "$TMP/snap-min.json" <<'EOF2'
import json, sys
d = json.load(open(sys.argv[1]))
t = json.dumps(d).replace('"managed": ', '"managed": -99999999999999999999 + 0 * ', 1)
import re
t = re.sub(r'"managed": -99999999999999999999 \+ 0 \* \d+', '"managed": -99999999999999999999', t)
open(sys.argv[2], "w").write(t)
EOF2
run snap-min 65 recommend --snapshot "$TMP/snap-min.json"
err_has snap-min "out of range"

# Counters near INT64_MAX: refused where they are read (file and line),
# never summed into a negative allocstall_total.
fresh huge-vmstat
sed -i 's/^allocstall_movable .*/allocstall_movable 9223372036854775000/; s/^allocstall_normal .*/allocstall_normal 9223372036854775000/' "$TMP/huge-vmstat/proc/vmstat"
run huge-vmstat 65 recommend --root "$TMP/huge-vmstat"
err_has huge-vmstat "proc/vmstat:$(grep -n '^allocstall_normal' "$TMP/huge-vmstat/proc/vmstat" | cut -d: -f1):"
err_has huge-vmstat "impossible value"
# A swap area (or all of them) above what any machine has: refused where
# read; they were summed in bytes into a negative swap.total_bytes.
fresh huge-swap
printf 'Filename\tType\tSize\tUsed\tPriority\n/dev/sda2 partition\t9223372036854775807\t0\t-2\n' \
	>"$TMP/huge-swap/proc/swaps"
run huge-swap 65 facts --root "$TMP/huge-swap"
err_has huge-swap "proc/swaps:2:"
err_has huge-swap "Size: impossible value"
out_lacks huge-swap "swap.total_bytes                         -"
printf 'Filename\tType\tSize\tUsed\tPriority\n' >"$TMP/huge-swap/proc/swaps"
for i in 1 2 3 4 5 6 7 8 9; do printf '/dev/sda%s partition\t1125899906842624\t0\t-2\n' $i; done >>"$TMP/huge-swap/proc/swaps"
run huge-swap-sum 65 facts --root "$TMP/huge-swap"
err_has huge-swap-sum "proc/swaps:3:"
fresh huge-zone
sed -i '0,/managed/s/managed.*/managed  9223372036854775000/' "$TMP/huge-zone/proc/zoneinfo"
run huge-zone 65 watermarks --root "$TMP/huge-zone"
err_has huge-zone "'managed': impossible page count"
python3 - "$TMP/snap.json" "$TMP/snap-huge.json" <<'EOF2'
import json, sys
d = json.load(open(sys.argv[1]))
d["facts"]["vmstat.allocstall_normal"] = 9223372036854775000
json.dump(d, open(sys.argv[2], "w"))
EOF2
run snap-huge 65 recommend --snapshot "$TMP/snap-huge.json"
err_has snap-huge "impossible value"
# The model's sysctls beyond the kernel's int (or below 0): refused where
# read.  They used to reach the model, which printed "error: ... does not
# fit the kernel's int" while recommend exited 0 with "the host is as
# advised".
for kv in min_free_kbytes:2147483648 watermark_scale_factor:9223372036854775807 min_free_kbytes:-5; do
	fresh huge-sysctl
	echo "${kv#*:}" >"$TMP/huge-sysctl/proc/sys/vm/${kv%%:*}"
	run "huge-sysctl-${kv%%:*}" 65 recommend --root "$TMP/huge-sysctl" --page-size 4096
	err_has "huge-sysctl-${kv%%:*}" "proc/sys/vm/${kv%%:*}:1: error: vm.${kv%%:*}: impossible value ${kv#*:}"
	out_lacks "huge-sysctl-${kv%%:*}" "as advised"
done
"$BIN" collect --root "$BASE" --page-size 4096 -o "$TMP/snap-sysctl.json" 2>/dev/null
sed -i 's/"sysctl.vm.min_free_kbytes": [0-9][0-9]*/"sysctl.vm.min_free_kbytes": 4294967296/' "$TMP/snap-sysctl.json"
run snap-huge-sysctl 65 recommend --snapshot "$TMP/snap-sysctl.json"
err_has snap-huge-sysctl "facts.sysctl.vm.min_free_kbytes: impossible value 4294967296"
# Inside int but outside every kernel's legal range (sysctl_catalog.def: no
# kernel lets a write put it there): refused where read like the values
# beyond int, from a tree, a sysctl dump and a snapshot.
for kv in swappiness:500 watermark_scale_factor:0 watermark_scale_factor:5000 dirty_ratio:101 \
	dirty_background_ratio:-1 overcommit_memory:3 extfrag_threshold:1001 compaction_proactiveness:101; do
	fresh range-sysctl
	echo "${kv#*:}" >"$TMP/range-sysctl/proc/sys/vm/${kv%%:*}"
	run "range-sysctl-${kv%%:*}-${kv#*:}" 65 recommend --root "$TMP/range-sysctl" --page-size 4096
	err_has "range-sysctl-${kv%%:*}-${kv#*:}" "proc/sys/vm/${kv%%:*}:1: error: vm.${kv%%:*}: impossible value ${kv#*:} (outside every kernel's legal range"
	out_lacks "range-sysctl-${kv%%:*}-${kv#*:}" "as advised"
done
# vm.dirty_bytes below two pages: the kernel refuses the write
# (dirty_bytes_min, mm/page-writeback.c) and keeps the old value, so no
# kernel shows 1..8191 (4 KiB is the smallest page); 0 is the ratio in use.
for v in 1 4096 8191; do
	fresh range-dirty-bytes
	echo "$v" >"$TMP/range-dirty-bytes/proc/sys/vm/dirty_bytes"
	run "range-dirty-bytes-$v" 65 recommend --root "$TMP/range-dirty-bytes" --page-size 4096
	err_has "range-dirty-bytes-$v" "proc/sys/vm/dirty_bytes:1: error: vm.dirty_bytes: impossible value $v (below the two pages"
done
echo 8192 >"$TMP/range-dirty-bytes/proc/sys/vm/dirty_bytes"
run range-dirty-bytes-8192 0 facts --root "$TMP/range-dirty-bytes" --page-size 4096
run range-sysctl-facts 65 facts --root "$TMP/range-sysctl" --page-size 4096
fresh range-dump
rm "$TMP/range-dump/proc/sys/vm/swappiness"
printf 'vm.dirty_ratio = 20\nvm.swappiness = 201\n' >"$TMP/range-dump.txt"
run range-dump 65 recommend --root "$TMP/range-dump" --page-size 4096 --sysctl-file "$TMP/range-dump.txt"
err_has range-dump "range-dump.txt:2: error: vm.swappiness: impossible value 201"
sed 's/"sysctl.vm.swappiness": [0-9][0-9]*/"sysctl.vm.swappiness": 500/' "$TMP/snap-sysctl.json" >"$TMP/snap-range.json"
sed -i 's/"sysctl.vm.min_free_kbytes": 4294967296/"sysctl.vm.min_free_kbytes": 67584/' "$TMP/snap-range.json"
run snap-range 65 recommend --snapshot "$TMP/snap-range.json"
err_has snap-range "facts.sysctl.vm.swappiness: impossible value 500"
# A fact this build does not know (a newer collector's, or an edit) is
# skipped with a warning the user sees on stderr, not only in the report.
# (A misspelt sysctl.vm.* is a known family of text facts: an integer there
# is refused, exit 65.)
"$BIN" collect --root "$BASE" --page-size 4096 -o "$TMP/snap-base.json" 2>/dev/null
python3 - "$TMP/snap-base.json" "$TMP/snap-unknown.json" <<'EOF2'
import json, sys
d = json.load(open(sys.argv[1]))
d["facts"]["zz.newer_fact"] = 1
d["absent"]["zz.newer_absent"] = "forged"
json.dump(d, open(sys.argv[2], "w"), indent=1)
EOF2
run snap-unknown 0 recommend --snapshot "$TMP/snap-unknown.json"
err_has snap-unknown "snap-unknown.json: warning: unknown fact \"zz.newer_fact\" skipped"
err_has snap-unknown "snap-unknown.json: warning: unknown fact \"zz.newer_absent\" skipped"
# Inside some kernel's range but not this kernel's (swappiness 150 on 5.4,
# whose maximum is 100; 5.8 raised it and distribution kernels backport
# such limits): a real kernel can show it, so a warning that says so.
fresh range-old
echo 150 >"$TMP/range-old/proc/sys/vm/swappiness"
echo 5.4.0-150-generic >"$TMP/range-old/proc/sys/kernel/osrelease"
rm -f "$TMP/range-old/proc/version"
run range-old 0 recommend --root "$TMP/range-old" --page-size 4096
err_has range-old "proc/sys/vm/swappiness: warning: vm.swappiness 150 is outside the range 0..100 that kernel 5.4.0 accepts"
# The same from a snapshot: one policy (host_sysctl_range_warnings) for a
# tree, a dump and a snapshot.  A snapshot edited to hold it warns; one
# collected from that tree, which carries the collector's warning in its
# "warnings", says it once.
python3 - "$TMP/snap-base.json" "$TMP/snap-old.json" <<'EOF2'
import json, sys
d = json.load(open(sys.argv[1]))
d["facts"]["sysctl.vm.swappiness"] = 150
d["facts"]["kernel.osrelease"] = "5.4.0-150-generic"
d["facts"]["host.kernel_version"] = (5 << 16) + (4 << 8)
json.dump(d, open(sys.argv[2], "w"), indent=1)
EOF2
# range_said NAME REPORT: the report's diagnostics hold the warning once.
range_said() {
	python3 - "$2" <<'EOF2' && ok || bad "$1: the report does not hold the warning exactly once"
import json, sys
m = [d for d in json.load(open(sys.argv[1]))["diagnostics"]
     if "vm.swappiness 150 is outside the range 0..100 that kernel 5.4.0 accepts" in d["message"]]
assert len(m) == 1, m
EOF2
}
run snap-range-old 0 recommend --snapshot "$TMP/snap-old.json" --report "$TMP/snap-old-report.json"
err_has snap-range-old "proc/sys/vm/swappiness: warning: vm.swappiness 150 is outside the range 0..100 that kernel 5.4.0 accepts"
range_said snap-range-old "$TMP/snap-old-report.json"
"$BIN" collect --root "$TMP/range-old" --page-size 4096 -o "$TMP/snap-old-tree.json" 2>/dev/null
run snap-range-old-tree 0 recommend --snapshot "$TMP/snap-old-tree.json" --report "$TMP/snap-old-report.json"
range_said snap-range-old-tree "$TMP/snap-old-report.json"
# page-cluster above the 31 recent kernels enforce: older kernels took it.
fresh range-pc
echo 40 >"$TMP/range-pc/proc/sys/vm/page-cluster"
run range-pc 0 recommend --root "$TMP/range-pc" --page-size 4096
err_has range-pc "vm.page-cluster 40 is outside the range 0..31 that kernel 6.18.44 accepts"
# The live host is never "from no kernel": the running kernel holds what it
# shows, so a value outside the catalog's widest range is a warning there
# (the catalog is what is out of date), not exit 65.  Shown by binding a file
# over /proc/sys/vm/swappiness in a private mount namespace (root only; this
# machine's sysctl is not touched).
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
	echo 500 >"$TMP/live-swappiness"
	cases=$((cases + 1))
	unshare -m sh -c 'mount --bind "$1" /proc/sys/vm/swappiness && exec timeout 10 "$2" recommend' sh \
		"$TMP/live-swappiness" "$BIN" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ "$rc" = 0 ]; then ok; else bad "range-live: exit $rc, expected 0"; sed 's/^/    /' "$TMP/err" | head -5; fi
	err_has range-live "vm.swappiness: value 500 is outside every kernel's legal range as our catalog knows it (0..200), but this running kernel holds it: kept"
	if grep -qF "that kernel" "$TMP/err"; then bad "range-live: the per-kernel warning repeats it"; else ok; fi
else
	echo "hostile: range-live skipped (needs root and unshare -m)"
fi

# Every zone's managed 0 while MemTotal says 23 GiB: contradicting sources.
fresh managed-zero
sed -i 's/^\( *managed *\)[0-9]*/\10/' "$TMP/managed-zero/proc/zoneinfo"
run managed-zero 65 recommend --root "$TMP/managed-zero"
err_has managed-zero "every zone's managed is 0 but MemTotal is 24684092 kB"

# Bounded work: 40,000 zones (11 MB, under the size cap) are refused at the
# kernel's limits at once; 8192 zones (1024 nodes x 8, the most a kernel
# has) are modelled in linear time.
fresh zones-40000
python3 - "$BASE/proc/zoneinfo" "$TMP/zones-40000/proc/zoneinfo" "$TMP/zones-8192.txt" <<'EOF2'
import re, sys
src = open(sys.argv[1]).read()
blocks = ["Node 0, zone" + b for b in src.split("Node 0, zone")[1:]]
def make(nodes, per, with_counters):
    names = ["DMA", "DMA32", "Normal", "HighMem", "Movable", "Device", "Z7", "Z8"]
    out = []
    for n in range(nodes):
        for i in range(per):
            b = blocks[min(i, len(blocks) - 1)]
            if not with_counters:
                b = "\n".join(l for l in b.split("\n") if not re.match(r"\s+(nr_|numa_|pagesets|cpu:|count:|high:|batch:|vm stats|node_unre|start_pfn|  )", l) or re.match(r"\s+(pages free|min|low|high|spanned|present|managed|protection)", l)) + "\n"
            out.append(re.sub(r"^Node 0, zone\s+\S+", "Node %d, zone %8s" % (n, names[i]), b, count=1))
    return "".join(out)
open(sys.argv[2], "w").write(make(5000, 8, False))
open(sys.argv[3], "w").write(make(1024, 8, True))
EOF2
zi_size=$(stat -c %s "$TMP/zones-40000/proc/zoneinfo")
[ "$zi_size" -lt $((16 << 20)) ] && ok || bad "zones-40000: the file ($zi_size bytes) is over the size cap"
run zones-40000 65 watermarks --root "$TMP/zones-40000"
err_has zones-40000 "MAX_NUMNODES"
z40000_ms=$ms
fresh zones-8192
cp "$TMP/zones-8192.txt" "$TMP/zones-8192/proc/zoneinfo"
run zones-8192 0 watermarks --root "$TMP/zones-8192"
z8192_ms=$ms
run zones-8192-recommend 0 recommend --root "$TMP/zones-8192"
z8192r_ms=$ms
[ "$z8192r_ms" -lt 5000 ] && ok || bad "zones-8192: recommend took $z8192r_ms ms"

# ---- cut and odd /proc files ----------------------------------------------

# meminfo cut inside the last number: the value is dropped, said as a warning.
fresh cut-meminfo
head -c -5 "$BASE/proc/meminfo" >"$TMP/cut-meminfo/proc/meminfo"
run cut-meminfo 0 facts --root "$TMP/cut-meminfo"
err_has cut-meminfo "proc/meminfo:54: warning: the last line has no newline"
out_lacks cut-meminfo "meminfo.DirectMap1G"
fresh cut-vmstat
head -c -3 "$BASE/proc/vmstat" >"$TMP/cut-vmstat/proc/vmstat"
run cut-vmstat 0 facts --root "$TMP/cut-vmstat"
err_has cut-vmstat "proc/vmstat"
# An empty meminfo is not "MemTotal not printed by this kernel".
fresh empty-meminfo
: >"$TMP/empty-meminfo/proc/meminfo"
run empty-meminfo 65 recommend --root "$TMP/empty-meminfo"
err_has empty-meminfo "proc/meminfo: error: empty"
# CRLF line ends (a capture copied through Windows): the values are intact.
fresh crlf
sed -i 's/$/\r/' "$TMP/crlf/proc/meminfo" "$TMP/crlf/proc/vmstat"
run crlf 0 facts --root "$TMP/crlf"
out_has crlf "meminfo.MemTotal"

# ---- outputs ---------------------------------------------------------------

run same-output 64 recommend --root "$BASE" -o "$TMP/same" --report "$TMP/same"
err_has same-output "name the same file"
[ ! -e "$TMP/same" ] && ok || bad "same-output: a file was written"
run empty-o 64 recommend --root "$BASE" -o ''
err_has empty-o "--output '': expected a non-empty value"
run empty-report 64 recommend --root "$BASE" --report ''
run empty-host-id 64 recommend --root "$BASE" --host-id ''
run empty-collect-o 64 collect --root "$BASE" -o ''
run empty-fleet-o 64 fleet "$TMP/snap.json" -o ''
run empty-audit-o 3 audit --root "$BASE" -o '' --format json
out_has empty-audit-o '"status": "unknown"'
run empty-record-o 64 record --root "$BASE" -o '' --duration 0
run empty-whatif-o 64 whatif --history fixtures/histories/6.1-zram-record -o ''
run empty-audit-host-id 3 audit --root "$BASE" --host-id ''
# no option takes an empty value: a path, a name, a host option
run empty-root 64 facts --root ''
err_has empty-root "--root '': expected a non-empty value"
run empty-profile 64 recommend --root "$BASE" --profile ''
run empty-history 64 recommend --root "$BASE" --history ''
run empty-fragment 3 audit --root "$BASE" --fragment ''
run whatif-no-history 64 whatif --no-search
err_has whatif-no-history "--history H is required"

# Every writer refuses a file it did not write, unless --force.
for w in "recommend --root $BASE --report" "collect --root $BASE -o" "audit --root $BASE -o" \
	"fleet $TMP/snap.json -o"; do
	n=foreign-${w%% *}
	echo "precious notes" >"$TMP/$n.txt"
	want=73
	[ "${w%% *}" = audit ] && want=3
	run "$n" $want $w "$TMP/$n.txt"
	err_has "$n" "was not written by reclaim-advisor"
	[ "$(cat "$TMP/$n.txt")" = "precious notes" ] && ok || bad "$n: the foreign file was replaced"
	want=0
	[ "${w%% *}" = fleet ] && want=65 # a snapshot is no report: every input skipped
	[ "${w%% *}" = audit ] && want=0
	run "$n-force" $want $w "$TMP/$n.txt" --force
	grep -q "precious notes" "$TMP/$n.txt" && bad "$n-force: not replaced" || ok
	# Ours now: replaced without --force.
	run "$n-again" $want $w "$TMP/$n.txt"
done

# --apply checks every output first: a report that cannot be written
# stops it before the host (here the tree) is changed.
fresh apply-report "$ZRAM"
run apply-report 73 recommend --root "$TMP/apply-report" --apply -o "$TMP/apply-report.conf" --report "$TMP/missing/dir/r.json"
if diff -r "$ZRAM" "$TMP/apply-report" >/dev/null; then ok; else bad "apply-report: the tree changed"; fi
[ ! -e "$TMP/apply-report.conf" ] && ok || bad "apply-report: the fragment was written"

# Stale temporaries of a killed write are cleaned on the next write.
fresh stale
echo partial >"$TMP/.stale.json.Ab12Cd"
touch -d '2 hours ago' "$TMP/.stale.json.Ab12Cd"
run stale 0 collect --root "$BASE" -o "$TMP/stale.json"
[ ! -e "$TMP/.stale.json.Ab12Cd" ] && ok || bad "stale: the old temporary is still there"

# A bad audit option still yields the requested format.
run audit-bad-option 3 audit --root "$BASE" --bogus --format json
out_has audit-bad-option '"status": "unknown"'
run audit-bad-format 3 audit --root "$BASE" --format yaml
out_has audit-bad-format "RECLAIM-ADVISOR UNKNOWN"

if [ "$(id -u)" = 0 ]; then AS_USER_FLEET="setpriv --reuid nobody --regid nogroup --clear-groups"; else AS_USER_FLEET=""; fi
chmod 755 "$TMP"

# ---- sysctl.d glob keys and a large kernel log -------------------------------

# "vm.* = 5" sets every vm key at boot: not ignored by the precedence scan.
# systemd-sysctl lets a key named explicitly win over a glob, whatever the
# order, so the explicit wsf stays 10.
fresh glob
mkdir -p "$TMP/glob/etc/sysctl.d"
echo 'vm.watermark_scale_factor = 10' >"$TMP/glob/etc/sysctl.d/10-explicit.conf"
echo 'vm.* = 5' >"$TMP/glob/etc/sysctl.d/99-glob.conf"
run glob 1 audit --root "$TMP/glob" --format json
python3 - "$TMP/out" <<'EOF2' && ok || bad "glob: boot values"
import json, sys
keys = {k["sysctl"]: k for k in json.load(open(sys.argv[1]))["keys"]}
mfk, wsf = keys["vm.min_free_kbytes"], keys["vm.watermark_scale_factor"]
assert mfk["state"] == "not-persistent" and str(mfk["at_boot"]["value"]) == "5", mfk
assert str(wsf["at_boot"]["value"]) == "10" and wsf["state"] == "compliant", wsf
EOF2

# A kernel log over the 16 MiB cap (real /var/log/messages is): its tail is
# read, and said so.
python3 -c "
import sys; d = open(sys.argv[1], 'rb').read(); open(sys.argv[2], 'wb').write(d * (20 * 1024 * 1024 // len(d) + 1))" \
	fixtures/klog/messages-2.6.32-rhel6.txt "$TMP/messages"
run klog-tail 0 facts --root "$BASE" --kernel-log "$TMP/messages"
err_has klog-tail "larger than 16 MiB: only its last 16 MiB were read"
out_has klog-tail "klog.alloc_failures"

# ---- untrusted text on output ----------------------------------------------

# A zone name and a host id with an escape sequence and invalid UTF-8:
# valid UTF-8 JSON, a textfile promtool accepts, no control byte on a
# terminal, in every format.
fresh evil-text
python3 -c "
import sys; p = sys.argv[1]; b = open(p, 'rb').read()
open(p, 'wb').write(b.replace(b'zone   Normal', b'zone \x1b[31mEvil\xff', 1))" "$TMP/evil-text/proc/zoneinfo"
EVIL_ID=$(printf 'h\033]0;x\007\377')
strict_json() {
	if python3 -c "import json, sys; json.loads(open(sys.argv[1], 'rb').read().decode('utf-8'))" "$TMP/out" 2>/dev/null; then ok
	else bad "$1: not valid UTF-8 JSON"; fi
}
no_control() {
	if LC_ALL=C grep -qaP '[\x00-\x08\x0b-\x1f\x7f]' "$TMP/out"; then bad "$1: a control byte on output"; else ok; fi
	if iconv -f UTF-8 -t UTF-8 "$TMP/out" >/dev/null 2>&1; then ok; else bad "$1: invalid UTF-8 on output"; fi
}
for fmt in json text; do
	run "evil-watermarks-$fmt" 0 watermarks --root "$TMP/evil-text" --format $fmt
	[ $fmt = json ] && strict_json "evil-watermarks-$fmt"
	no_control "evil-watermarks-$fmt"
	run "evil-audit-$fmt" 0 audit --root "$TMP/evil-text" --host-id "$EVIL_ID" --label "role=$EVIL_ID" --format $fmt
	[ $fmt = json ] && strict_json "evil-audit-$fmt"
	no_control "evil-audit-$fmt"
	run "evil-recommend-$fmt" 0 recommend --root "$TMP/evil-text" --host-id "$EVIL_ID" --format $fmt
	[ $fmt = json ] && strict_json "evil-recommend-$fmt"
	no_control "evil-recommend-$fmt"
done
run evil-collect 0 collect --root "$TMP/evil-text"
strict_json evil-collect
run evil-facts 0 facts --root "$TMP/evil-text"
no_control evil-facts
run evil-prom 0 audit --root "$TMP/evil-text" --host-id "$EVIL_ID" --format prometheus
no_control evil-prom
out_has evil-prom 'zone="\\x1b[31mEvil\\xff"'
if command -v promtool >/dev/null; then
	if promtool check metrics <"$TMP/out" >/dev/null 2>&1; then ok; else bad "evil-prom: promtool rejects the textfile"; fi
fi

# ---- fleet's walk -----------------------------------------------------------

# Links back up the tree (once exponential: 8 links > 60 s), an unreadable
# subdirectory, a dangling link: loops walked once, the rest named, counted
# and reflected in the exit code.
mkdir -p "$TMP/fleet/a/b" "$TMP/fleet/locked"
run fleet-audit 0 audit --root "$BASE" --format json -o "$TMP/fleet/a/b/host1.json"
cp "$TMP/fleet/a/b/host1.json" "$TMP/fleet/locked/host2.json"
for i in 1 2 3 4 5 6 7 8; do ln -s .. "$TMP/fleet/a/b/up$i"; done
ln -s "$TMP/nowhere.json" "$TMP/fleet/a/dangling.json"
run fleet-loops 65 fleet "$TMP/fleet/a"
[ "$ms" -lt 2000 ] && ok || bad "fleet-loops: $ms ms"
out_has fleet-loops "fleet: 1 hosts from 1 reports, 1 skipped"
err_has fleet-loops "dangling.json"
chmod -R a+rX "$TMP/fleet"
chmod 000 "$TMP/fleet/locked"
AS=$AS_USER_FLEET run fleet-unreadable 65 fleet "$TMP/fleet"
err_has fleet-unreadable "$TMP/fleet/locked"
out_has fleet-unreadable "2 skipped"
chmod 755 "$TMP/fleet/locked"
run fleet-ok 0 fleet "$TMP/fleet/locked"
# Links out of a fleet directory (a host's fetched folder linked to /, or
# a report linked to a file elsewhere) are not followed: a link to / walked
# the whole machine (over 10 s, every *.json anywhere read as a report).
# Named as skipped, counted in the exit code; links inside are followed.
mkdir -p "$TMP/fleet-out/h1" "$TMP/fleet-elsewhere"
cp "$TMP/fleet/locked/host2.json" "$TMP/fleet-out/h1/report.json"
cp "$TMP/fleet/locked/host2.json" "$TMP/fleet-elsewhere/other.json"
sed -i 's/"host_id": *"[^"]*"/"host_id": "elsewhere"/' "$TMP/fleet-elsewhere/other.json"
ln -s / "$TMP/fleet-out/root"
ln -s "$TMP/fleet-elsewhere" "$TMP/fleet-out/h2"
ln -s "$TMP/fleet-elsewhere/other.json" "$TMP/fleet-out/h3.json"
ln -s h1 "$TMP/fleet-out/h4"
run fleet-out 65 fleet "$TMP/fleet-out"
[ "$ms" -lt 2000 ] && ok || bad "fleet-out: $ms ms"
out_has fleet-out "fleet: 1 hosts from 1 reports, 3 skipped" # h4 is h1, walked once
err_has fleet-out "$TMP/fleet-out/root: warning: skipped: a symbolic link leads outside $TMP/fleet-out"
err_has fleet-out "$TMP/fleet-out/h3.json: warning: skipped: a symbolic link leads outside"
# a link named on the command line is the user's own: followed
run fleet-own 0 fleet "$TMP/fleet-out/h3.json"
# A report file holding "null": said so, not "not JSON: success".
echo null >"$TMP/null.json"
run fleet-null 65 fleet "$TMP/null.json"
err_has fleet-null "null.json: warning: skipped: foreign document: null, not an object"
mkdir -p "$TMP/fleet-empty"
run fleet-empty 66 fleet "$TMP/fleet-empty"
err_has fleet-empty "no *.json report found"

# ---- recommend: "could not look" is never "as advised" ----------------------

# A tree whose proc/sys/vm holds none of the sysctls the advisor sets (a
# capture that lost them): no current value was seen, so recommend must
# not close with "the host is as advised".  Exit 0: its findings are still
# an analysis (real partial captures in fixtures/captures are such trees).
fresh no-sysctls
rm -f "$TMP/no-sysctls/proc/sys/vm/"*
run no-sysctls 0 recommend --root "$TMP/no-sysctls" --page-size 4096
out_lacks no-sysctls "the host is as advised"
out_has no-sysctls "no sysctl the advisor sets could be read, so the host is not known to be as advised"
run no-sysctls-audit 3 audit --root "$TMP/no-sysctls" --page-size 4096

# ---- audit: "could not look" is never OK -----------------------------------

mkdir -p "$TMP/empty"
run audit-empty 3 audit --root "$TMP/empty"
out_has audit-empty "RECLAIM-ADVISOR UNKNOWN - could not collect the host"
err_has audit-empty "nothing to read"
run audit-empty-json 3 audit --root "$TMP/empty" --format json
out_has audit-empty-json '"status": "unknown"'
run audit-empty-prom 3 audit --root "$TMP/empty" --format prometheus
out_has audit-empty-prom "reclaim_advisor_audit_status 3"
# Nor for the other commands: a directory with nothing to read (an empty
# or mistyped --root) is input missing, not "the host is as advised"
# (recommend exited 0 so, and --check 2).
for c in recommend "recommend --check" facts watermarks collect; do
	run "empty-${c// /-}" 66 $c --root "$TMP/empty"
	err_has "empty-${c// /-}" "nothing to read: neither proc/ nor sys/ exists"
	out_lacks "empty-${c// /-}" "as advised"
done
# A tree with only a sysctl dump beside it is something to read.
run empty-dump 0 facts --root "$TMP/empty" --sysctl-file fixtures/captures/rhel8-coreos-sosreport-4.18-x86_64/sysctl-a.txt

# Not permitted: a real unprivileged user (root reads everything).
if [ "$(id -u)" = 0 ]; then AS_USER="setpriv --reuid nobody --regid nogroup --clear-groups"; else AS_USER=""; fi
chmod 755 "$TMP"
fresh noperm
chmod -R a+rX "$TMP/noperm"
chmod 000 "$TMP/noperm/proc/sys/vm/watermark_scale_factor"
AS=$AS_USER run audit-noperm 1 audit --root "$TMP/noperm"
out_has audit-noperm "RECLAIM-ADVISOR WARNING"
out_has audit-noperm "not-permitted"
out_has audit-noperm "proc/sys/vm/watermark_scale_factor: Permission denied"
AS=$AS_USER run audit-noperm-json 1 audit --root "$TMP/noperm" --format json
cp "$TMP/out" "$TMP/noperm.json"
if /usr/bin/python3 - "$TMP/noperm.json" <<'EOF2'; then ok; else bad "audit-noperm-json: schema or state"; fi
import json, sys, jsonschema
doc = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator(json.load(open("schema/audit.schema.json"))).validate(doc)
states = {k["sysctl"]: k["state"] for k in doc["keys"]}
assert states["vm.watermark_scale_factor"] == "not-permitted", states
EOF2
# The whole proc/ unreadable: nothing audited.
chmod 000 "$TMP/noperm/proc"
AS=$AS_USER run audit-noproc 3 audit --root "$TMP/noperm"
out_has audit-noproc "UNKNOWN"
chmod 755 "$TMP/noperm/proc"

# ---- our output paths under the root -----------------------------------------
#
# The paths the tool derives under --root (recommend's default fragment for
# --check/--diff, -o naming the host's fragment inside the tree, the Ansible
# module's dest and report, state=absent's removal) are as hostile as the
# tree: etc/sysctl.d may be a link to the live /etc/sysctl.d, the fragment a
# link to /etc/shadow, dest may climb out with "..".  The decoy stands for
# the live host; it must be neither read nor written nor removed.
DECOY_FRAG=$DECOY/sysctl.d/60-reclaim-advisor.conf
mkdir -p "$DECOY/sysctl.d"
"$BIN" recommend --root "$BASE" --page-size 4096 -o "$TMP/ours.conf" >/dev/null 2>&1
cp "$TMP/ours.conf" "$DECOY_FRAG"
DECOY_SUM=$(decoy_sum)

# --diff on a tree whose fragment is a link to a file outside: not printed.
fresh out-link-read
mkdir -p "$TMP/out-link-read/etc/sysctl.d"
ln -s "$DECOY/secret" "$TMP/out-link-read/etc/sysctl.d/60-reclaim-advisor.conf"
run out-link-read 73 recommend --root "$TMP/out-link-read" --page-size 4096 --diff
out_lacks out-link-read "do not touch"
err_has out-link-read "a symbolic link or '..' leads outside the root"

# audit on that tree: UNKNOWN, naming the fragment, not the rule set.
run out-link-audit 3 audit --root "$TMP/out-link-read" --page-size 4096
out_has out-link-audit "UNKNOWN - our deployed fragment cannot be read"
# An absolute --fragment is read under the root: the message says where.
fresh audit-frag-root
run audit-frag-root 3 audit --root "$TMP/audit-frag-root" --page-size 4096 --fragment "$TMP/ours.conf"
err_has audit-frag-root "--fragment $TMP/ours.conf (under the root $TMP/audit-frag-root): No such file or directory"

# -o naming the host's fragment in a tree whose etc/sysctl.d leads out.
fresh out-link-dir
mkdir -p "$TMP/out-link-dir/etc"
ln -s "$DECOY/sysctl.d" "$TMP/out-link-dir/etc/sysctl.d"
run out-link-dir 73 recommend --root "$TMP/out-link-dir" --page-size 4096 --profile latency \
	-o "$TMP/out-link-dir/etc/sysctl.d/60-reclaim-advisor.conf"
err_has out-link-dir "a symbolic link or '..' leads outside the root"

# Every other output a command reading a tree writes (recommend --report,
# the JSON rationale; --tmpfiles; audit -o; collect -o; record -o) is
# confined like -o when its path lies inside the tree: var/lib/ra is a link
# to the decoy, and --force does not lift the confinement.  Paths outside
# the tree are the user's own.
fresh out-report
mkdir -p "$TMP/out-report/var/lib" "$TMP/out-report/etc"
ln -s "$DECOY/sysctl.d" "$TMP/out-report/var/lib/ra"
ln -s "$DECOY/sysctl.d" "$TMP/out-report/etc/tmpfiles.d"
RA=$TMP/out-report/var/lib/ra
run out-report 73 recommend --root "$TMP/out-report" --page-size 4096 --report "$RA/report.json"
err_has out-report "$RA/report.json: a symbolic link or '..' leads outside the root"
run out-report-force 73 recommend --root "$TMP/out-report" --page-size 4096 --force --report "$RA/report.json"
run out-report-dotdot 73 recommend --root "$TMP/out-report" --page-size 4096 \
	--report "$TMP/out-report/../decoy/sysctl.d/report.json"
# the last component a link to a file outside (not ours: the decoy's secret)
ln -s "$DECOY/secret" "$TMP/out-report/var/lib/report.json"
run out-report-last 73 recommend --root "$TMP/out-report" --page-size 4096 --force --report "$TMP/out-report/var/lib/report.json"
err_has out-report-last "a symbolic link or '..' leads outside the root"
rm "$TMP/out-report/var/lib/report.json"
# relative spellings: the root and the report from the tree's parent
pushd "$TMP" >/dev/null
run out-report-rel 73 recommend --root out-report --page-size 4096 --report out-report/var/lib/ra/report.json
run out-report-rel2 73 recommend --root "$TMP/out-report" --page-size 4096 --report ./out-report/var/lib/ra/report.json
popd >/dev/null
run out-tmpfiles 73 recommend --root "$TMP/out-report" --page-size 4096 --profile latency \
	--tmpfiles "$TMP/out-report/etc/tmpfiles.d/reclaim-advisor.conf"
run out-audit 3 audit --root "$TMP/out-report" --page-size 4096 --format prometheus -o "$RA/audit.prom"
err_has out-audit "a symbolic link or '..' leads outside the root"
run out-collect 73 collect --root "$TMP/out-report" --page-size 4096 -o "$RA/snap.json"
err_has out-collect "a symbolic link or '..' leads outside the root"
run out-record 73 record --root "$TMP/out-report" --duration 0.1 --interval 0.1 -o "$RA/history"
err_has out-record "a symbolic link or '..' leads outside the root"
# Inside the tree, no link: written there; outside the tree: the user's.
run out-report-inside 0 recommend --root "$TMP/out-report" --page-size 4096 --report "$TMP/out-report/var/lib/report.json"
[ -s "$TMP/out-report/var/lib/report.json" ] && ok || bad "out-report-inside: no report in the tree"
run out-report-own 0 recommend --root "$TMP/out-report" --page-size 4096 --report "$TMP/own-report.json"
[ -s "$TMP/own-report.json" ] && ok || bad "out-report-own: no report"
run out-audit-inside 0 audit --root "$TMP/out-report" --page-size 4096 --format prometheus -o "$TMP/out-report/var/lib/audit.prom"
[ -s "$TMP/out-report/var/lib/audit.prom" ] && ok || bad "out-audit-inside: no textfile in the tree"

# The Ansible module: dest and report through links out, dest with "..",
# and state=absent removing through a link.
MOD=$(. tests/e2e/lib/ansible.sh && ansible_module) || { bad "ansible module not built"; MOD=false; }
# mod NAME WANT_FAILED ARGS_JSON_MEMBERS: run the module on an arguments file.
mod() {
	local name=$1 want=$2
	printf '{"rules_dir": "%s/rules", "template_dir": "%s/templates", "page_size": 4096, %s}\n' \
		"$PWD" "$PWD" "$3" >"$TMP/mod-args.json"
	cases=$((cases + 1))
	timeout 10 "$MOD" "$TMP/mod-args.json" >"$TMP/out" 2>"$TMP/err"
	local failed
	failed=$(python3 -c 'import json,sys; print(str(json.load(open(sys.argv[1])).get("failed", False)).lower())' \
		"$TMP/out" 2>/dev/null)
	[ "$failed" = "$want" ] && ok || { bad "$name: failed=$failed, expected $want"; head -c 400 "$TMP/out"; echo; }
	if [ "$(decoy_sum)" = "$DECOY_SUM" ]; then ok; else bad "$name: the decoy outside the root changed"; fi
}
fresh mod-link-dir
mkdir -p "$TMP/mod-link-dir/etc"
ln -s "$DECOY/sysctl.d" "$TMP/mod-link-dir/etc/sysctl.d"
mod mod-link-dir true "\"root\": \"$TMP/mod-link-dir\", \"profile\": \"latency\""
out_has mod-link-dir "leads outside the root"
mod mod-link-dir-absent true "\"root\": \"$TMP/mod-link-dir\", \"state\": \"absent\""
fresh mod-dotdot
mkdir -p "$TMP/mod-dotdot/etc/sysctl.d"
mod mod-dotdot true "\"root\": \"$TMP/mod-dotdot\", \"dest\": \"/../decoy/sysctl.d/60-reclaim-advisor.conf\""
mod mod-dotdot-absent true "\"root\": \"$TMP/mod-dotdot\", \"state\": \"absent\", \"dest\": \"/../decoy/sysctl.d/60-reclaim-advisor.conf\""
fresh mod-link-report
mkdir -p "$TMP/mod-link-report/etc/sysctl.d" "$TMP/mod-link-report/var/lib"
ln -s "$DECOY/sysctl.d" "$TMP/mod-link-report/var/lib/ra"
mod mod-link-report true "\"root\": \"$TMP/mod-link-report\", \"report\": \"/var/lib/ra/report.json\""
[ ! -e "$TMP/mod-link-report/etc/sysctl.d/60-reclaim-advisor.conf" ] && ok ||
	bad "mod-link-report: the fragment was written though the report is refused"
# A tree without such links still works, and its fragment is inside it.
fresh mod-inside
mkdir -p "$TMP/mod-inside/etc/sysctl.d" "$TMP/mod-inside/var/lib"
mod mod-inside false "\"root\": \"$TMP/mod-inside\", \"profile\": \"latency\", \"report\": \"/var/lib/report.json\""
[ -f "$TMP/mod-inside/etc/sysctl.d/60-reclaim-advisor.conf" ] && ok || bad "mod-inside: no fragment"
mod mod-inside-absent false "\"root\": \"$TMP/mod-inside\", \"state\": \"absent\""
[ ! -e "$TMP/mod-inside/etc/sysctl.d/60-reclaim-advisor.conf" ] && ok || bad "mod-inside-absent: not removed"

# state=absent writes back the "previous" values our report recorded.  A
# report is a file like any other (force reads a foreign one; ours can be
# edited), so every value is checked against the sysctl catalog on the host:
# outside the kernel's legal range (swappiness 500, wsf 0, -1, beyond int,
# text) no host with this kernel ran with it: the module fails naming the
# report and the key, and nothing is written or removed (check mode too).
# Legal but outside the safety bounds (min_free_kbytes 0 or 1 GiB, boost
# 99999): the kernel's default is written instead, with a warning naming
# the report, the key and the value.  The genuine restore point still works.
fresh mod-restore
mkdir -p "$TMP/mod-restore/etc/sysctl.d" "$TMP/mod-restore/var/lib"
MR=$TMP/mod-restore
MRARGS="\"root\": \"$MR\", \"state\": \"absent\", \"report\": \"/var/lib/report.json\""
mod mod-restore-apply false "\"root\": \"$MR\", \"profile\": \"latency\", \"apply\": true, \"report\": \"/var/lib/report.json\""
rm -rf "$TMP/mod-restore.applied"
cp -a "$MR" "$TMP/mod-restore.applied"
# forge KEY PREVIOUS: the applied tree again, its report with one more
# applied entry.
forge() {
	rm -rf "$MR"
	cp -a "$TMP/mod-restore.applied" "$MR"
	python3 - "$MR/var/lib/report.json" "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["apply"].append({"sysctl": sys.argv[2], "previous": sys.argv[3], "written": "1", "readback": "1",
                   "result": "applied"})
json.dump(d, open(sys.argv[1], "w"), indent=2)
PY
}
live_sum() { (cd "$MR" && cat proc/sys/vm/* etc/sysctl.d/* var/lib/report.json 2>&1 | sha256sum); }
for f in "vm.swappiness 500" "vm.watermark_scale_factor 0" "vm.min_free_kbytes 2147483648" "vm.swappiness ten" \
	"vm.dirty_ratio -1" "vm.swappiness 7e1"; do
	set -- $f
	forge "$1" "$2"
	before=$(live_sum)
	mod "mod-forged-$1-$2" true "$MRARGS"
	out_has "mod-forged-$1-$2" "$MR/var/lib/report.json: $1: the previous value $2"
	[ "$(live_sum)" = "$before" ] && ok || bad "mod-forged-$1-$2: something was written or removed"
	mod "mod-forged-check-$1-$2" true "$MRARGS, \"_ansible_check_mode\": true"
	[ "$1 $2" != "vm.swappiness 500" ] || out_has mod-forged-check-swappiness "outside the kernel's legal range 0..200 (kernel 6.18.44)"
done
# force reads a foreign report too: the same check.
forge vm.swappiness 500
sed -i 's/reclaim-advisor/someone-else/g; s/reclaim_advisor/someone_else/g' "$MR/var/lib/report.json"
mod mod-forged-force true "$MRARGS, \"force\": true"
out_has mod-forged-force "vm.swappiness: the previous value 500"
# legal, outside the safety bounds: the kernel's default instead, warned.
for f in "vm.min_free_kbytes 0 67584" "vm.min_free_kbytes 1048576 67584" "vm.watermark_boost_factor 99999 15000"; do
	set -- $f
	forge "$1" "$2"
	mod "mod-unsafe-$1-$2" false "$MRARGS"
	out_has "mod-unsafe-$1-$2" "$MR/var/lib/report.json: $1: the previous value $2 is outside the safety bound"
	out_has "mod-unsafe-$1-$2" "the kernel's default $3 is restored instead"
	[ "$(cat "$MR/proc/sys/vm/${1#vm.}")" = "$3" ] && ok || bad "mod-unsafe-$1-$2: $1 is not $3"
done
# A legal and safe value is restored, beside the genuine restore point.
forge vm.swappiness 100
mod mod-restore-absent false "$MRARGS"
out_lacks mod-restore-absent "restored instead"
[ "$(cat "$MR/proc/sys/vm/watermark_scale_factor")" = 10 ] && ok || bad "mod-restore-absent: wsf not restored to 10"
[ "$(cat "$MR/proc/sys/vm/swappiness")" = 100 ] && ok || bad "mod-restore-absent: swappiness not restored to 100"
[ ! -e "$MR/etc/sysctl.d/60-reclaim-advisor.conf" ] && ok || bad "mod-restore-absent: fragment not removed"

# state=absent after an apply that pinned the dirty limits in bytes.  The
# two forms of each limit are one kernel setting: writing vm.dirty_bytes
# zeroes vm.dirty_ratio and vice versa (mm/page-writeback.c,
# kernel-reclaim.md 4.1), so a bytes key's "previous" is 0 whenever the
# ratio was in use, and 0 is no value to write back (the kernel refuses a
# dirty_bytes below two pages).  The restore puts back the state: the ratio
# the host ran with, read beside the bytes key before the apply and kept in
# the report ("partner_previous"); a report without it (written before it
# was kept) gets the kernel's default ratio, with a warning naming the key
# and the reason.  The capture's own values: dirty_ratio 20, dirty_bytes 0,
# dirty_background_ratio 10, dirty_background_bytes 0; an administrator's
# dirty_ratio 15 makes the recorded value tell from the default.
fresh mod-pair
MP=$TMP/mod-pair
mkdir -p "$MP/etc/sysctl.d" "$MP/var/lib" "$TMP/pair-rules"
cat >"$TMP/pair-rules/50-pair.ini" <<'EOF'
[test-dirty-bytes]
description = test: the foreground dirty limit in bytes
when     = has("sysctl.vm.dirty_bytes")
set      = vm.dirty_bytes
value    = 268435456
severity = info
why      = the test pins it

[test-dirty-background-bytes]
description = test: the background dirty limit in bytes
when     = has("sysctl.vm.dirty_background_bytes")
set      = vm.dirty_background_bytes
value    = 67108864
severity = info
why      = the test pins it
EOF
echo 15 >"$MP/proc/sys/vm/dirty_ratio"
MPARGS="\"root\": \"$MP\", \"report\": \"/var/lib/report.json\", \"rules\": [\"$TMP/pair-rules\"]"
mod mod-pair-apply false "$MPARGS, \"apply\": true"
[ "$(cat "$MP/proc/sys/vm/dirty_bytes")" = 268435456 ] && ok || bad "mod-pair-apply: dirty_bytes not applied"
# what the kernel did on those writes (a tree's files are only files)
echo 0 >"$MP/proc/sys/vm/dirty_ratio"
echo 0 >"$MP/proc/sys/vm/dirty_background_ratio"
# A later apply that changes something else rewrites the report: the
# first apply's ratios stay the restore point (this run reads them as 0).
mod mod-pair-reapply false "$MPARGS, \"apply\": true, \"profile\": \"latency\""
[ "$(cat "$MP/proc/sys/vm/watermark_scale_factor")" = 100 ] && ok || bad "mod-pair-reapply: wsf not applied"
rm -rf "$TMP/mod-pair.applied"
cp -a "$MP" "$TMP/mod-pair.applied"
# pair_restored NAME RATIO BG_RATIO: the last module output restored the
# ratios (the values in the tree and in "restored", beside the latency
# profile's wsf) and wrote no 0.
pair_restored() {
	[ "$(cat "$MP/proc/sys/vm/dirty_ratio")" = "$2" ] && ok || bad "$1: dirty_ratio is $(cat "$MP/proc/sys/vm/dirty_ratio"), not $2"
	[ "$(cat "$MP/proc/sys/vm/dirty_background_ratio")" = "$3" ] && ok ||
		bad "$1: dirty_background_ratio is $(cat "$MP/proc/sys/vm/dirty_background_ratio"), not $3"
	python3 - "$TMP/out" "$2" "$3" <<'PY2' && ok || bad "$1: restored: $(head -c 600 "$TMP/out")"
import json, sys
r = {e["sysctl"]: e["value"] for e in json.load(open(sys.argv[1]))["restored"]}
assert r == {"vm.dirty_ratio": sys.argv[2], "vm.dirty_background_ratio": sys.argv[3],
             "vm.watermark_scale_factor": "10"}, r
PY2
}
python3 - "$MP/var/lib/report.json" <<'PY2' && ok || bad "mod-pair-apply: the report does not keep the ratios"
import json, sys
a = {e["sysctl"]: e for e in json.load(open(sys.argv[1]))["apply"]}
assert a["vm.dirty_bytes"]["previous"] == "0" and a["vm.dirty_bytes"]["partner"] == "vm.dirty_ratio", a
assert a["vm.dirty_bytes"]["partner_previous"] == "15", a
assert a["vm.dirty_background_bytes"]["partner_previous"] == "10", a
PY2
MPABS="\"root\": \"$MP\", \"state\": \"absent\", \"report\": \"/var/lib/report.json\""
mod mod-pair-check false "$MPABS, \"_ansible_check_mode\": true"
[ "$(cat "$MP/proc/sys/vm/dirty_ratio")" = 0 ] && ok || bad "mod-pair-check: written in check mode"
mod mod-pair-absent false "$MPABS"
pair_restored mod-pair-absent 15 10
out_lacks mod-pair-absent "restored instead"
[ "$(cat "$MP/proc/sys/vm/dirty_bytes")" = 268435456 ] && ok || bad "mod-pair-absent: dirty_bytes written (0 is refused)"
# A report from before the ratios were kept: the kernel's defaults, warned.
rm -rf "$MP"
cp -a "$TMP/mod-pair.applied" "$MP"
python3 - "$MP/var/lib/report.json" <<'PY2'
import json, sys
d = json.load(open(sys.argv[1]))
for e in d["apply"]:
    e.pop("partner", None)
    e.pop("partner_previous", None)
json.dump(d, open(sys.argv[1], "w"), indent=2)
PY2
mod mod-pair-old false "$MPABS"
pair_restored mod-pair-old 20 10
out_has mod-pair-old "$MP/var/lib/report.json: vm.dirty_bytes: the previous value 0 means vm.dirty_ratio was in use"
out_has mod-pair-old "the kernel's default vm.dirty_ratio = 20 is restored instead"
out_has mod-pair-old "the kernel's default vm.dirty_background_ratio = 10 is restored instead"
# A forged bytes value below the kernel's two pages: not written, nor the
# kernel's default 0 in its place; the recorded ratio comes back.
rm -rf "$MP"
cp -a "$TMP/mod-pair.applied" "$MP"
sed -i 's/"previous":"0"/"previous":"1"/' "$MP/var/lib/report.json"
mod mod-pair-forged false "$MPABS"
pair_restored mod-pair-forged 15 10
out_has mod-pair-forged "vm.dirty_bytes: the previous value 1 is outside the safety bound"

# The other way round: an administrator pinned dirty_bytes (the ratio reads
# 0) and a site rule sets the ratio.  Its previous 0 says the bytes were in
# use: state=absent writes them back, read beside the ratio, without a
# warning (the restore is exact), and never the ratio's 0.
fresh mod-pair-ratio
MQ=$TMP/mod-pair-ratio
mkdir -p "$MQ/etc/sysctl.d" "$MQ/var/lib" "$TMP/pair-ratio-rules"
cat >"$TMP/pair-ratio-rules/50-ratio.ini" <<'EOF'
[test-dirty-ratio]
description = test: the foreground dirty limit as a ratio
when     = has("sysctl.vm.dirty_ratio")
set      = vm.dirty_ratio
value    = 10
severity = info
why      = the test sets it
EOF
echo 268435456 >"$MQ/proc/sys/vm/dirty_bytes"
echo 0 >"$MQ/proc/sys/vm/dirty_ratio"
mod mod-pair-ratio-apply false "\"root\": \"$MQ\", \"report\": \"/var/lib/report.json\", \"rules\": [\"$TMP/pair-ratio-rules\"], \"apply\": true"
[ "$(cat "$MQ/proc/sys/vm/dirty_ratio")" = 10 ] && ok || bad "mod-pair-ratio-apply: dirty_ratio not applied"
echo 0 >"$MQ/proc/sys/vm/dirty_bytes" # what the kernel did on that write
mod mod-pair-ratio-absent false "\"root\": \"$MQ\", \"state\": \"absent\", \"report\": \"/var/lib/report.json\""
[ "$(cat "$MQ/proc/sys/vm/dirty_bytes")" = 268435456 ] && ok || bad "mod-pair-ratio-absent: dirty_bytes not restored"
[ "$(cat "$MQ/proc/sys/vm/dirty_ratio")" = 10 ] && ok || bad "mod-pair-ratio-absent: dirty_ratio written (0 would zero the bytes)"
out_has mod-pair-ratio-absent '"restored":[{"sysctl":"vm.dirty_bytes","value":"268435456","result":"applied"}]'
out_has mod-pair-ratio-absent '"warnings":[]'

echo "FIFO cases (ms):$fifo_ms"
echo "40,000 zones ($((zi_size >> 20)) MiB): $z40000_ms ms (refused); 8192 zones: watermarks $z8192_ms ms, recommend $z8192r_ms ms"
echo "hostile: $cases cases; $pass passed, $fail failed"
[ "$fail" = 0 ]
