#!/bin/sh
# /init of the capture initramfs (busybox sh).  Runs inside the throwaway QEMU
# guest only, never on a host.
#
# 1. mounts proc, sys, dev; loads the virtio modules listed in /modules.list
#    (in `modprobe --show-depends` order) so the output disk appears;
# 2. captures the /proc and /sys files the advisor reads into /out/before/,
#    laid out under their real paths (proc/zoneinfo, proc/sys/vm/..., sys/...);
# 3. writes every "ra.set=vm.KEY=VALUE" word of /proc/cmdline, in order, to
#    /proc/sys/vm/KEY (what `--apply` would do: each write makes the kernel
#    recompute every zone's watermarks), logging each write to /out/writes.txt;
# 4. captures again into /out/after/, then tries every "ra.try=vm.KEY=VALUE"
#    word (range probes: accepted or refused, logged to /out/tries.txt);
# 5. tars /out onto the raw disk whose virtio serial is "out" and powers off.
#
# Every step is logged on the console with an "ra:" prefix; a failure still
# tars what it has and powers off, so the host never waits for a timeout.

export PATH=/bin
log() { echo "ra: $*" >/dev/console 2>/dev/null || echo "ra: $*"; }

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null || mount -t tmpfs tmpfs /dev
mkdir -p /out /tmp

# shellcheck disable=SC2013 # one module name per line, no spaces
for m in $(cat /modules.list); do
	insmod "/lib/modules/$m" || log "insmod $m failed"
done

# copy SRC DST: copy one file if it is readable; absent or unreadable files
# (write-only sysctls such as vm/compact_memory, optional files such as
# pressure/memory) are left out instead of being written empty.
copy() {
	if cat "$1" >"$2.tmp" 2>/dev/null; then
		mv "$2.tmp" "$2"
	else
		rm -f "$2.tmp"
	fi
}

capture() {
	d=/out/$1
	mkdir -p "$d/proc/sys/vm" "$d/proc/sys/kernel" "$d/proc/pressure" "$d/proc/self" \
		"$d/sys/kernel/mm/transparent_hugepage"
	# uptime first and last: the capture spans that interval.
	copy /proc/uptime "$d/proc/uptime"
	for f in zoneinfo meminfo vmstat swaps buddyinfo version iomem; do
		copy "/proc/$f" "$d/proc/$f"
	done
	copy /proc/pressure/memory "$d/proc/pressure/memory"
	rmdir "$d/proc/pressure" 2>/dev/null
	for f in /proc/sys/vm/*; do
		copy "$f" "$d/proc/sys/vm/${f##*/}"
	done
	copy /proc/sys/kernel/osrelease "$d/proc/sys/kernel/osrelease"
	for f in enabled defrag hpage_pmd_size; do
		copy "/sys/kernel/mm/transparent_hugepage/$f" "$d/sys/kernel/mm/transparent_hugepage/$f"
	done
	# The page size: the reading process's (cat's) own smaps, whole, as a
	# host would show it; its KernelPageSize lines carry the page size.
	copy /proc/self/smaps "$d/proc/self/smaps"
	copy /proc/uptime "$d/uptime-end"
	log "captured $1 (uptime $(cut -d' ' -f1 /proc/uptime))"
}

capture before

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
		log "write vm.$key=$val: $(tail -n 1 /out/writes.txt)"
		;;
	esac
done

capture after

# Range probes, after both captures so they cannot change them: each
# "ra.try=vm.KEY=VALUE" word is written and the kernel's answer recorded.
: >/out/tries.txt
# shellcheck disable=SC2013 # the command line is split into words on purpose
for w in $(cat /proc/cmdline); do
	case $w in
	ra.try=vm.*=*)
		kv=${w#ra.try=vm.}
		key=${kv%%=*}
		val=${kv#*=}
		if err=$( (echo "$val" >"/proc/sys/vm/$key") 2>&1); then
			echo "vm.$key=$val accepted (now $(cat "/proc/sys/vm/$key"))" >>/out/tries.txt
		else
			echo "vm.$key=$val refused: ${err##*: } (still $(cat "/proc/sys/vm/$key"))" >>/out/tries.txt
		fi
		;;
	esac
done
dmesg >/out/dmesg.txt 2>/dev/null
cat /proc/cmdline >/out/cmdline.txt

disk=
for b in /sys/block/vd*; do
	[ -e "$b/serial" ] || continue
	if [ "$(cat "$b/serial")" = out ]; then disk=/dev/${b##*/}; fi
done
if [ -n "$disk" ]; then
	tar -cf "$disk" -C /out . && sync && log "wrote results to $disk"
else
	log "no output disk with serial 'out'"
fi
log "done"
poweroff -f
