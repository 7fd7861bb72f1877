#!/bin/bash
# run-one.sh --out DIR [--kernel PKG|auto-6.1|auto-6.12] [--thp always|never]
#            [--zram SIZE] [--set vm.KEY=VALUE ...] [--bursts N] [--repeat R] [--reread 0|1]
#            [--interval S] [--recorder record|dir|none] [--mem MIB] [--timeout S]
#
# One run of the effectiveness benchmark: boots a throwaway QEMU guest (TCG,
# -cpu qemu64, -smp 2, 1 GiB, no network device) with a stock Debian kernel
# and scripts/qemu/bench-init.sh as /init, and installs what the guest wrote as
# DIR/{start,end,history,guest}:
#   start/, end/  captures before and after the bursts (`recommend --root
#                 DIR/end --baseline DIR/start` gives the rates of the window)
#   history       the recorded history: with --recorder record (the default) a
#                 `reclaim-advisor record` file, with --recorder dir a folder
#                 (T.TTT/proc/{vmstat,zoneinfo,pressure/memory}); none: absent
#   guest/        writes.txt (the --set writes), cmdline.txt, dmesg.txt,
#                 burst1.log, burst2.log, console.log, run.txt (this run's
#                 arguments, host seconds and load average), recorder.txt (the recorder's CPU ticks and RSS)
# --set values are written by the guest's init before the page cache is filled
# (the kernel recomputes the watermarks on each write); --thp never adds
# transparent_hugepage=never to the kernel command line (always is Debian's
# default); --zram SIZE swaps on a zram device of that size (e.g. 512M);
# --repeat R runs the same bursts R times in a row in this one boot (a history
# R times as long of the workload every run asks for: long-sources.sh).
# The guest's recorder (scripts/qemu/bench-init.sh) samples every --interval
# seconds (default 0.1); `record` runs $RECORDER, default the statically linked
# build/reclaim-advisor-static (`make static`, built here when missing).
#
# Must run under `flock /work/qemu.lock` (one guest at a time on this machine);
# scratch files live under $QEMU_SCRATCH (default /work/qemu-scratch).  Needs
# qemu-system-x86, busybox-static, cpio, kmod, xz-utils and a C compiler with
# a static libc (scripts/install-deps --bench).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
scratch=${QEMU_SCRATCH:-/work/qemu-scratch}

out="" kernel=auto-6.1 thp=always zram=0 bursts=30 repeat=1 reread=1 interval=0.1 recorder=record mem=1024 timeout_s=900
sets=()
while [ $# -gt 0 ]; do
	case $1 in
	--out) out=$2; shift 2 ;;
	--kernel) kernel=$2; shift 2 ;;
	--thp) thp=$2; shift 2 ;;
	--zram) zram=$2; shift 2 ;;
	--set) sets+=("$2"); shift 2 ;;
	--bursts) bursts=$2; shift 2 ;;
	--repeat) repeat=$2; shift 2 ;;
	--reread) reread=$2; shift 2 ;;
	--interval) interval=$2; shift 2 ;;
	--recorder) recorder=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--timeout) timeout_s=$2; shift 2 ;;
	*) echo "run-one.sh: unknown argument $1" >&2; exit 64 ;;
	esac
done
[ -n "$out" ] || { sed -n '2,4p' "$0" >&2; exit 64; }
case $thp in always | never) ;; *) echo "run-one.sh: --thp always|never" >&2; exit 64 ;; esac
case $recorder in record | dir | none) ;; *) echo "run-one.sh: --recorder record|dir|none" >&2; exit 64 ;; esac
[[ $zram =~ ^[0-9]+[KMG]?$ ]] || { echo "run-one.sh: bad --zram $zram" >&2; exit 64; }
[[ $bursts =~ ^[0-9]+$ && $repeat =~ ^[1-9][0-9]*$ && $reread =~ ^[01]$ && $interval =~ ^[0-9.]+$ ]] ||
	{ echo "run-one.sh: bad --bursts, --repeat, --reread or --interval" >&2; exit 64; }
for s in ${sets[@]+"${sets[@]}"}; do
	[[ $s =~ ^vm\.[a-z_-]+=[0-9]+$ ]] || { echo "run-one.sh: bad --set $s" >&2; exit 64; }
done

kdir=$("$repo/scripts/qemu/fetch-kernel.sh" "$kernel")
pkg=$(basename "$kdir")
vmlinuz=$(find "$kdir/boot" -name "vmlinuz-*" | sort | head -n 1)

# The workload binary and the initramfs, rebuilt when their sources change.
build=$scratch/bench-build
mkdir -p "$build"
burst=$build/burst
if [ ! -x "$burst" ] || [ "$here/burst.c" -nt "$burst" ]; then
	${CC:-cc} -std=c17 -O2 -Wall -Wextra -Werror -static -o "$burst.tmp" "$here/burst.c"
	mv "$burst.tmp" "$burst"
fi
# The recorder: the advisor linked statically (the guest has no shared
# libraries), stripped (a smaller initramfs), copied so that a rebuild of the
# tree mid-run changes nothing.
src_rec=${RECORDER:-$repo/build/reclaim-advisor-static}
if [ -z "${RECORDER:-}" ] && [ ! -x "$src_rec" ]; then
	make -C "$repo" -j2 static >/dev/null
fi
[ -x "$src_rec" ] || { echo "run-one.sh: no recorder $src_rec" >&2; exit 1; }
rec=$build/reclaim-advisor
if [ ! -x "$rec" ] || ! cmp -s "$src_rec" "$rec.src"; then
	cp "$src_rec" "$rec.src.tmp" && mv "$rec.src.tmp" "$rec.src"
	strip -o "$rec.tmp" "$rec.src" && mv "$rec.tmp" "$rec"
fi
initrd=$build/$pkg.cpio.gz
if [ ! -s "$initrd" ] || [ "$burst" -nt "$initrd" ] || [ "$rec" -nt "$initrd" ]; then
	rm -f "$initrd"
fi
for f in bench-init.sh init-lib.sh build-initramfs.sh; do
	[ "$repo/scripts/qemu/$f" -nt "$initrd" ] && rm -f "$initrd"
done
if [ ! -s "$initrd" ]; then
	INIT=$repo/scripts/qemu/bench-init.sh MODULES="virtio_pci virtio_blk zram" \
		EXTRA="$burst:bin/burst $rec:bin/reclaim-advisor" \
		"$repo/scripts/qemu/build-initramfs.sh" "$kdir" "$initrd" >/dev/null
fi
# The data disk: 1 GiB, sparse (zeroes); only its page cache matters.
data=$build/data.img
[ -f "$data" ] || truncate -s 1G "$data"

run=$scratch/bench-run
rm -rf "$run" && mkdir -p "$run"
truncate -s 96M "$run/out.img"

cmdline="console=ttyS0 panic=-1 nokaslr ra.bursts=$bursts ra.repeat=$repeat ra.reread=$reread ra.interval=$interval ra.recorder=$recorder"
[ "$thp" = never ] && cmdline="$cmdline transparent_hugepage=never"
[ "$zram" != 0 ] && cmdline="$cmdline ra.zram=$zram"
for s in ${sets[@]+"${sets[@]}"}; do cmdline="$cmdline ra.set=$s"; done

# The host's load average before and after the guest (TCG speed follows it: a
# busy host slows the emulated CPU, so kswapd races the bursts differently).
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
start=$(date +%s.%N)
if ! timeout "$timeout_s" qemu-system-x86_64 -machine pc -accel tcg,thread=multi -cpu qemu64 -smp 2 -m "$mem" \
	-nodefaults -no-user-config -display none -nic none -no-reboot \
	-serial "file:$run/console.log" \
	-drive "file=$run/out.img,format=raw,if=none,id=o" -device virtio-blk-pci,drive=o,serial=out \
	-drive "file=$data,format=raw,if=none,id=d,readonly=on" -device virtio-blk-pci,drive=d,serial=data \
	-kernel "$vmlinuz" -initrd "$initrd" -append "$cmdline"; then
	echo "run-one.sh: qemu failed or timed out; console: $run/console.log" >&2
	exit 1
fi
end=$(date +%s.%N)
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

mkdir -p "$run/x"
tar -xf "$run/out.img" -C "$run/x"
[ -e "$run/x/writes.txt" ] || { echo "run-one.sh: guest produced no writes.txt; see $run/console.log" >&2; exit 1; }
for f in start/proc/vmstat end/proc/vmstat end/proc/zoneinfo; do
	[ -s "$run/x/$f" ] || { echo "run-one.sh: guest produced no $f; see $run/console.log" >&2; exit 1; }
done
if grep -q FAILED "$run/x/writes.txt"; then
	echo "run-one.sh: a sysctl write failed in the guest:" >&2
	cat "$run/x/writes.txt" >&2
	exit 1
fi
rm -rf "$out.new" && mkdir -p "$out.new/guest"
mv "$run/x/start" "$run/x/end" "$out.new/"
if [ "$recorder" != none ]; then
	[ -e "$run/x/history" ] || { echo "run-one.sh: guest recorded no history; see $run/console.log" >&2; exit 1; }
	mv "$run/x/history" "$out.new/"
fi
cp "$run/x/writes.txt" "$run/x/cmdline.txt" "$run/x/dmesg.txt" "$run/x/burst1.log" "$run/x/burst2.log" \
	"$run/x/recorder.txt" "$run/console.log" "$out.new/guest/"
[ -s "$run/x/recorder.err" ] && cp "$run/x/recorder.err" "$out.new/guest/"
{
	cat "$kdir/PACKAGE.txt"
	echo "thp: $thp"
	echo "zram: $zram"
	echo "sets: ${sets[*]+${sets[*]}}"
	echo "bursts: $bursts"
	echo "repeat: $repeat"
	echo "reread: $reread"
	echo "interval: $interval"
	echo "recorder: $recorder"
	echo "mem: $mem"
	echo "cmdline: $cmdline"
	echo "host_loadavg_start: $load_start"
	echo "host_loadavg_end: $load_end"
	echo "host_seconds: $(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }')"
} >"$out.new/guest/run.txt"
rm -rf "$out" && mv "$out.new" "$out"
echo "run-one.sh: $out ($pkg, thp $thp, zram $zram, ${sets[*]+${sets[*]}})" >&2
