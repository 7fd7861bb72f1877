# shellcheck shell=sh
# init-lib.sh: the steps every guest /init shares (guest-init.sh, bench-init.sh,
# pressure-init.sh), sourced from /lib/init-lib.sh, where build-initramfs.sh
# installs it in every image.  busybox sh; runs only inside a throwaway QEMU
# guest, never on a host.  Defines functions only; nothing runs on sourcing.
#
#   init_setup           mount proc, sys, dev; make /out and /tmp; load the
#                        modules of /modules.list (`modprobe --show-depends` order)
#   word NAME DEFAULT    the value of the kernel command line word NAME=...
#   write_sets           write every "ra.set=vm.KEY=VALUE" word, in order, to
#                        /proc/sys/vm/KEY (what `--apply` does: each write makes
#                        the kernel recompute every zone's watermarks), logged to
#                        /out/writes.txt ("ok (now V)" or "FAILED")
#   capture NAME [PART...]  the /proc and /sys files the advisor reads, under
#                        their real paths, into /out/NAME/ (below)
#   disk SERIAL          the /dev/vdX whose virtio serial is SERIAL
#   finish               dmesg and the command line into /out, /out tarred onto
#                        the disk with serial "out", power off
export PATH=/bin

log() { echo "ra: $*" >/dev/console 2>/dev/null || echo "ra: $*"; }

init_setup() {
	mount -t proc proc /proc
	mount -t sysfs sysfs /sys
	mount -t devtmpfs devtmpfs /dev 2>/dev/null || mount -t tmpfs tmpfs /dev
	mkdir -p /out /tmp
	# shellcheck disable=SC2013 # one module name per line, no spaces
	for m in $(cat /modules.list); do
		insmod "/lib/modules/$m" || log "insmod $m failed"
	done
}

word() {
	v=$2
	# shellcheck disable=SC2013 # the command line is split into words on purpose
	for w in $(cat /proc/cmdline); do case $w in "$1"=*) v=${w#*=} ;; esac; done
	echo "$v"
}

write_sets() {
	: >/out/writes.txt
	# shellcheck disable=SC2013 # the command line is split into words on purpose
	for w in $(cat /proc/cmdline); do
		case $w in
		ra.set=vm.*=*)
			kv=${w#ra.set=vm.}
			key=${kv%%=*}
			val=${kv#*=}
			if echo "$val" >"/proc/sys/vm/$key" 2>/dev/null; then
				echo "vm.$key=$val ok (now $(cat "/proc/sys/vm/$key"))" >>/out/writes.txt
			else
				echo "vm.$key=$val FAILED" >>/out/writes.txt
			fi
			log "write $(tail -n 1 /out/writes.txt)"
			;;
		esac
	done
}

# copy SRC DST: one file if it is readable, its folder made on the way;
# absent or unreadable files (write-only sysctls such as vm/compact_memory,
# optional ones such as pressure/memory) are left out, never written empty.
copy() {
	mkdir -p "${2%/*}"
	if cat "$1" >"$2.tmp" 2>/dev/null; then
		mv "$2.tmp" "$2"
	else
		rm -f "$2.tmp"
		rmdir -p "${2%/*}" 2>/dev/null
	fi
	return 0
}

# capture NAME [PART...]: always proc/{uptime,zoneinfo,meminfo,vmstat,swaps,
# buddyinfo,version,pressure/memory}, proc/sys/vm/*, proc/sys/kernel/osrelease,
# THP's enabled/defrag/hpage_pmd_size, proc/self/smaps (the reading process's
# own: its KernelPageSize lines carry the page size) and uptime-end; /proc/uptime
# first and last, so the capture spans that interval.  PARTs add:
#   iomem    proc/iomem
#   zram     sys/block/zram0/{disksize,comp_algorithm,mm_stat}
#   mm       proc/pagetypeinfo, THP's khugepaged/defrag, lru_gen/enabled
#   cgroup   the cgroup v2 root's and every group's memory files
capture() {
	d=/out/$1
	shift
	mkdir -p "$d"
	copy /proc/uptime "$d/proc/uptime"
	for f in zoneinfo meminfo vmstat swaps buddyinfo version; do copy "/proc/$f" "$d/proc/$f"; done
	copy /proc/pressure/memory "$d/proc/pressure/memory"
	for f in /proc/sys/vm/*; do copy "$f" "$d/proc/sys/vm/${f##*/}"; done
	copy /proc/sys/kernel/osrelease "$d/proc/sys/kernel/osrelease"
	for f in enabled defrag hpage_pmd_size; do
		copy "/sys/kernel/mm/transparent_hugepage/$f" "$d/sys/kernel/mm/transparent_hugepage/$f"
	done
	for part in "$@"; do
		case $part in
		iomem) copy /proc/iomem "$d/proc/iomem" ;;
		zram)
			for f in disksize comp_algorithm mm_stat; do
				copy "/sys/block/zram0/$f" "$d/sys/block/zram0/$f"
			done
			;;
		mm)
			copy /proc/pagetypeinfo "$d/proc/pagetypeinfo"
			copy /sys/kernel/mm/transparent_hugepage/khugepaged/defrag \
				"$d/sys/kernel/mm/transparent_hugepage/khugepaged/defrag"
			copy /sys/kernel/mm/lru_gen/enabled "$d/sys/kernel/mm/lru_gen/enabled"
			;;
		cgroup)
			for g in /sys/fs/cgroup /sys/fs/cgroup/*/; do
				[ -d "$g" ] || continue
				rel=${g#/sys/fs/cgroup}
				t=$d/sys/fs/cgroup${rel%/}
				for f in cgroup.controllers cgroup.subtree_control memory.events memory.events.local \
					memory.pressure memory.stat memory.current memory.high memory.max memory.low \
					memory.min memory.swap.max memory.swap.current; do
					[ -e "$g/$f" ] && copy "$g/$f" "$t/$f"
				done
			done
			;;
		*) log "capture: unknown part $part" ;;
		esac
	done
	copy /proc/self/smaps "$d/proc/self/smaps"
	copy /proc/uptime "$d/uptime-end"
	log "captured ${d#/out/} (uptime $(cut -d' ' -f1 /proc/uptime))"
}

disk() {
	for b in /sys/block/vd*; do
		[ -e "$b/serial" ] && [ "$(cat "$b/serial")" = "$1" ] && echo "/dev/${b##*/}" && return
	done
}

finish() {
	dmesg >/out/dmesg.txt 2>/dev/null
	cat /proc/cmdline >/out/cmdline.txt
	o=$(disk out)
	if [ -n "$o" ]; then
		tar -cf "$o" -C /out . && sync && log "wrote results to $o"
	else
		log "no output disk with serial 'out'"
	fi
	log "done"
	poweroff -f
}
