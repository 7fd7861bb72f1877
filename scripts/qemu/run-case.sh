#!/bin/bash
# run-case.sh --case NAME --kernel PKG|auto-6.1|auto-6.12 --mem MIB [--nodes N]
#             [--machine pc|q35] [--append "WORDS"] --set vm.KEY=VALUE [--set ...]
#             [--try vm.KEY=VALUE ...] [--fixtures DIR] [--timeout SECONDS]
#
# Boots one throwaway QEMU guest (TCG, -cpu qemu64, -smp 2, no network device)
# with a stock Debian kernel and the capture initramfs, lets guest-init.sh
# capture /proc and /sys, write the --set sysctls and capture again, and
# installs the result as DIR/NAME/{before,after}/ (default DIR: fixtures/qemu)
# with set.txt (the --set arguments, one per line), guest/ (the guest's write
# log, kernel command line and dmesg) and SOURCE.md.  --try values are written
# after both captures, to record which values the kernel accepts or refuses
# (guest/tries.txt); they never affect before/ or after/.
#
# Needs qemu-system-x86, busybox-static, cpio, kmod and python3 on the host;
# downloads and builds everything under $QEMU_SCRATCH (default
# /work/qemu-scratch), never inside the repository.  Run one guest at a time.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
scratch=${QEMU_SCRATCH:-/work/qemu-scratch}

case_name='' kernel=auto-6.1 mem='' nodes=1 machine=pc append='' timeout_s=300
fixtures=$repo/fixtures/qemu
sets=()
tries=()
while [ $# -gt 0 ]; do
	case $1 in
	--case) case_name=$2; shift 2 ;;
	--kernel) kernel=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--nodes) nodes=$2; shift 2 ;;
	--machine) machine=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--set) sets+=("$2"); shift 2 ;;
	--try) tries+=("$2"); shift 2 ;;
	--fixtures) fixtures=$2; shift 2 ;;
	--timeout) timeout_s=$2; shift 2 ;;
	*) echo "run-case.sh: unknown argument $1" >&2; exit 64 ;;
	esac
done
if [ -z "$case_name" ] || [ -z "$mem" ] || [ ${#sets[@]} -eq 0 ]; then
	sed -n '2,4p' "$0" >&2
	exit 64
fi
for s in "${sets[@]}"; do
	[[ $s =~ ^vm\.[a-z_]+=[0-9]+$ ]] || { echo "run-case.sh: bad --set $s" >&2; exit 64; }
done
for s in "${tries[@]}"; do
	[[ $s =~ ^vm\.[a-z_]+=-?[0-9]+$ ]] || { echo "run-case.sh: bad --try $s" >&2; exit 64; }
done

kdir=$("$here/fetch-kernel.sh" "$kernel")
pkg=$(basename "$kdir")
vmlinuz=$(find "$kdir/boot" -name "vmlinuz-*" | sort | head -n 1)
initrd=$scratch/initramfs/$pkg.cpio.gz
"$here/build-initramfs.sh" "$kdir" "$initrd" >/dev/null

run=$scratch/run/$case_name
rm -rf "$run" && mkdir -p "$run"
truncate -s 32M "$run/out.img"

# nokaslr: the kernel image always at the same physical address, so the same
# case boots to the same managed pages per zone and node every time (with
# KASLR the image, ~40 MiB of reserved memory, lands in a random node).
cmdline="console=ttyS0 panic=-1 nokaslr"
[ -n "$append" ] && cmdline="$cmdline $append"
for s in "${sets[@]}"; do cmdline="$cmdline ra.set=$s"; done
for s in "${tries[@]}"; do cmdline="$cmdline ra.try=$s"; done

qemu=(qemu-system-x86_64 -machine "$machine" -accel "tcg,thread=multi" -cpu qemu64 -smp 2 -m "$mem"
	-nodefaults -no-user-config -display none -nic none -no-reboot)
if [ "$nodes" -gt 1 ]; then
	per=$((mem / nodes))
	for ((n = 0; n < nodes; n++)); do
		# One vCPU per node when there are as many nodes as vCPUs (2), else all on node 0.
		cpus=
		[ "$nodes" -eq 2 ] && cpus=",cpus=$n"
		qemu+=(-object "memory-backend-ram,id=m$n,size=${per}M" -numa "node,nodeid=$n,memdev=m$n$cpus")
	done
fi
qemu+=(-serial "file:$run/console.log"
	-drive "file=$run/out.img,format=raw,if=none,id=o" -device "virtio-blk-pci,drive=o,serial=out"
	-kernel "$vmlinuz" -initrd "$initrd" -append "$cmdline")

echo "run-case.sh: booting $case_name ($pkg, ${mem} MiB, $nodes node(s))" >&2
start=$(date +%s.%N)
if ! timeout "$timeout_s" "${qemu[@]}"; then
	echo "run-case.sh: qemu failed or timed out; console: $run/console.log" >&2
	exit 1
fi
end=$(date +%s.%N)

mkdir -p "$run/x"
tar -xf "$run/out.img" -C "$run/x"
for f in before/proc/zoneinfo after/proc/zoneinfo writes.txt; do
	[ -s "$run/x/$f" ] || { echo "run-case.sh: guest produced no $f; see $run/console.log" >&2; exit 1; }
done
if grep -q FAILED "$run/x/writes.txt"; then
	echo "run-case.sh: a sysctl write failed in the guest:" >&2
	cat "$run/x/writes.txt" >&2
	exit 1
fi

dest=$fixtures/$case_name
rm -rf "$dest.new" && mkdir -p "$dest.new/guest"
cp -a "$run/x/before" "$run/x/after" "$dest.new/"
cp "$run/x/writes.txt" "$run/x/cmdline.txt" "$run/x/dmesg.txt" "$dest.new/guest/"
if [ ${#tries[@]} -gt 0 ]; then cp "$run/x/tries.txt" "$dest.new/guest/"; fi
printf '%s\n' "${sets[@]}" >"$dest.new/set.txt"

# The command line as recorded: scratch paths replaced by names.
show=()
for a in "${qemu[@]}"; do
	a=${a//$run\/console.log/console.log}
	a=${a//$run\/out.img/out.img}
	a=${a//$vmlinuz/$(basename "$vmlinuz")}
	a=${a//$initrd/initramfs.cpio.gz}
	case $a in *' '*) show+=("'$a'") ;; *) show+=("$a") ;; esac
done

rm -rf "$dest"
mv "$dest.new" "$dest"
b=$dest/before a=$dest/after
val() { if [ -r "$1" ]; then tr '\t' ' ' <"$1"; else echo '-'; fi; }
{
	echo "# $case_name"
	echo
	echo "Real-kernel capture for the watermark model's \`--set\` prediction (issue 3): one QEMU guest booted,"
	echo "captured /proc and /sys into \`before/\`, wrote the sysctls below to /proc/sys (the kernel recomputes every"
	echo "zone's watermarks on each write), captured again into \`after/\`, and powered off. Generated by"
	echo "\`scripts/qemu/capture-all.sh\` (this case alone: \`scripts/qemu/run-case.sh\` with the arguments there);"
	echo "do not edit by hand."
	echo
	echo "## Kernel"
	echo
	sed 's/^/- /' "$kdir/PACKAGE.txt"
	echo "- osrelease: $(val "$b/proc/sys/kernel/osrelease")"
	echo "- /proc/version: $(val "$b/proc/version")"
	echo "- page size: $(grep -m1 KernelPageSize "$b/proc/self/smaps" | awk '{print $2, $3}')"
	echo
	echo "## Guest"
	echo
	echo "- captured: $(date -u +%Y-%m-%d) on the project's development machine, QEMU $(qemu-system-x86_64 --version | head -n 1 | awk '{print $4}'), TCG"
	echo "- memory: ${mem} MiB, $nodes NUMA node(s), machine type $machine, 2 vCPUs, no network device"
	echo "- kernel command line: \`$(cat "$run/x/cmdline.txt")\`"
	echo "  (\`ra.set=\` words are read by the guest's init, not by the kernel; \`nokaslr\` keeps the kernel image at"
	echo "  one physical address so that a recapture gives the same managed pages per zone)"
	echo "- guest uptime at the captures: before $(cut -d' ' -f1 "$b/proc/uptime") s, after $(cut -d' ' -f1 "$a/proc/uptime") s; host wall time $(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }') s"
	echo "- THP: enabled \`$(val "$b/sys/kernel/mm/transparent_hugepage/enabled")\`, defrag \`$(val "$b/sys/kernel/mm/transparent_hugepage/defrag")\`, hpage_pmd_size $(val "$b/sys/kernel/mm/transparent_hugepage/hpage_pmd_size")"
	echo "- MemTotal: $(awk '/^MemTotal:/ {print $2, $3}' "$b/proc/meminfo")"
	echo
	echo "QEMU command line:"
	echo
	echo '```'
	echo "${show[*]}"
	echo '```'
	echo
	echo "## Memory layout (before/proc/zoneinfo)"
	echo
	python3 "$here/zoneinfo.py" layout "$dest"
	echo
	echo "## Sysctls"
	echo
	echo "| sysctl | before | written | after |"
	echo "|---|---|---|---|"
	for k in min_free_kbytes watermark_scale_factor watermark_boost_factor lowmem_reserve_ratio; do
		w=-
		for s in "${sets[@]}"; do [ "${s%%=*}" = "vm.$k" ] && w=${s#*=}; done
		echo "| vm.$k | $(val "$b/proc/sys/vm/$k") | $w | $(val "$a/proc/sys/vm/$k") |"
	done
	echo
	echo "Writes, in this order (guest/writes.txt):"
	echo
	sed 's/^/    /' "$run/x/writes.txt"
	if [ ${#tries[@]} -gt 0 ]; then
		echo
		echo "Range probes, written after both captures (guest/tries.txt; they change neither before/ nor after/):"
		echo
		sed 's/^/    /' "$run/x/tries.txt"
	fi
	echo
	echo "## Hand check of after/ against kernel-reclaim.md §2.1 (scripts/qemu/zoneinfo.py verify)"
	echo
	echo '```'
	python3 "$here/zoneinfo.py" verify "$dest" || true
	echo '```'
	echo
	echo "## The before/ state (scripts/qemu/zoneinfo.py before)"
	echo
	echo "The kernel computed before/'s min_free_kbytes and watermarks during the initcalls, before the initrd and"
	echo "the kernel's init memory were freed, so they differ by a few pages from a recomputation with before/'s"
	echo "managed (kernel-reclaim.md §2.4). The check below rebuilds that boot-time computation: managed minus the"
	echo "late frees in guest/dmesg.txt (placed by address: RAMDISK range, before/proc/iomem \"Kernel code\"), the"
	echo "sqrt default, then THP's floor or (THP never, 5.16+) a second sqrt pass, both over"
	echo "nr_free_buffer_pages() = Σ(managed − high of the first pass). after/ was computed by the sysctl write,"
	echo "with exactly before/'s managed."
	echo
	echo '```'
	python3 "$here/zoneinfo.py" before "$dest" || true
	echo '```'
	echo
	echo "## Files"
	echo
	echo "- \`before/\`, \`after/\`: proc/{zoneinfo,meminfo,vmstat,swaps,buddyinfo,version,iomem,uptime},"
	echo "  proc/pressure/memory (if the kernel has PSI), proc/sys/vm/* (every readable file), proc/sys/kernel/osrelease,"
	echo "  sys/kernel/mm/transparent_hugepage/{enabled,defrag,hpage_pmd_size}, proc/self/smaps (of the busybox cat"
	echo "  that read it: KernelPageSize gives the page size), uptime-end (/proc/uptime when the capture finished)."
	echo "- \`set.txt\`: the \`--set\` arguments for \`reclaim-advisor watermarks --root before\`, one per line."
	echo "- \`guest/\`: the guest's sysctl write log (and range probes, if any), its /proc/cmdline and its dmesg"
	echo "  after the second capture."
} >"$dest/SOURCE.md"

python3 "$here/zoneinfo.py" verify "$dest" >&2 || { echo "run-case.sh: $case_name: hand check FAILED" >&2; exit 1; }
echo "run-case.sh: $case_name -> $dest" >&2
