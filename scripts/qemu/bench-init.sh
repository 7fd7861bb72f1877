#!/bin/sh
# /init of the effectiveness-benchmark guest (busybox sh); runs only inside the
# throwaway QEMU guest started by bench/effectiveness/run-one.sh, never on a host.
#
# 1. mounts proc, sys, dev; loads /modules.list (virtio, and zram with ra.zram);
# 2. ra.zram=SIZE: swap on a zram device of that size (lzo-rle, the default);
# 3. writes every "ra.set=vm.KEY=VALUE" word of /proc/cmdline to /proc/sys/vm
#    (what `--apply` does: the kernel recomputes every zone's watermarks),
#    logging each write to /out/writes.txt;
# 4. fills the page cache: reads the whole disk with serial "data" (clean file
#    pages, the kind kswapd drops first);
# 5. captures start/ (the layout of scripts/qemu/guest-init.sh), starts the
#    recorder, waits 1 s, runs the bursts: two /bin/burst processes (seeds
#    1 and 2, ra.bursts=N each, default 30) touching 32-64 MiB of anonymous
#    memory with short pauses, while with ra.reread=1 a reader keeps streaming
#    the data disk into the page cache; waits 1 s, stops the recorder,
#    captures end/;
# 6. tars /out onto the disk with serial "out", powers off.
#
# The recorder writes a history in the directory form of issue 12:
# /out/history/T.TTT/proc/{vmstat,zoneinfo,pressure/memory}, T = seconds since
# the recorder started, from /proc/uptime (10 ms resolution), one sample every
# ra.interval seconds (default 0.1) plus the time the copies take.
export PATH=/bin
log() { echo "ra: $*" >/dev/console 2>/dev/null || echo "ra: $*"; }
word() { # word NAME DEFAULT: the value of NAME=... on the kernel command line
	v=$2
	# shellcheck disable=SC2013 # the command line is split into words on purpose
	for w in $(cat /proc/cmdline); do case $w in "$1"=*) v=${w#*=} ;; esac; done
	echo "$v"
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null || mount -t tmpfs tmpfs /dev
mkdir -p /out /tmp
# shellcheck disable=SC2013 # one module name per line
for m in $(cat /modules.list); do insmod "/lib/modules/$m" || log "insmod $m failed"; done

zram=$(word ra.zram 0)
if [ "$zram" != 0 ]; then
	echo "$zram" >/sys/block/zram0/disksize && mkswap /dev/zram0 >/dev/null && swapon /dev/zram0 &&
		log "swap on zram0 ($zram)"
fi

: >/out/writes.txt
# shellcheck disable=SC2013
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

disk() { # disk SERIAL: the /dev/vdX whose virtio serial is SERIAL
	for b in /sys/block/vd*; do
		[ -e "$b/serial" ] && [ "$(cat "$b/serial")" = "$1" ] && echo "/dev/${b##*/}" && return
	done
}
data=$(disk data)
out=$(disk out)
# fd 3 stays open to the end: the kernel drops a block device's page cache
# when its last opener closes it (kill_bdev), and that cache is the workload.
if [ -n "$data" ]; then
	exec 3<"$data"
	dd if="$data" of=/dev/null bs=1M 2>/dev/null && log "page cache filled from $data"
fi

copy() {
	if cat "$1" >"$2.tmp" 2>/dev/null; then mv "$2.tmp" "$2"; else rm -f "$2.tmp"; fi
}
capture() {
	d=/out/$1
	mkdir -p "$d/proc/sys/vm" "$d/proc/sys/kernel" "$d/proc/pressure" "$d/proc/self" \
		"$d/sys/kernel/mm/transparent_hugepage" "$d/sys/block/zram0"
	copy /proc/uptime "$d/proc/uptime"
	for f in zoneinfo meminfo vmstat swaps buddyinfo version; do copy "/proc/$f" "$d/proc/$f"; done
	copy /proc/pressure/memory "$d/proc/pressure/memory"
	rmdir "$d/proc/pressure" 2>/dev/null
	for f in /proc/sys/vm/*; do copy "$f" "$d/proc/sys/vm/${f##*/}"; done
	copy /proc/sys/kernel/osrelease "$d/proc/sys/kernel/osrelease"
	for f in enabled defrag hpage_pmd_size; do
		copy "/sys/kernel/mm/transparent_hugepage/$f" "$d/sys/kernel/mm/transparent_hugepage/$f"
	done
	if [ "$zram" != 0 ]; then
		for f in disksize comp_algorithm mm_stat; do copy "/sys/block/zram0/$f" "$d/sys/block/zram0/$f"; done
	fi
	rmdir "$d/sys/block/zram0" "$d/sys/block" 2>/dev/null
	copy /proc/self/smaps "$d/proc/self/smaps"
	copy /proc/uptime "$d/uptime-end"
	log "captured $1 (uptime $(cut -d' ' -f1 /proc/uptime))"
}

# centi: /proc/uptime's first field in centiseconds ("1" prefix: a fraction
# such as 08 would otherwise be read as octal).
centi() { read -r up _ </proc/uptime; c=$((${up%.*} * 100 + 1${up#*.} - 100)); }
record() {
	interval=$1
	centi
	c0=$c
	while [ ! -e /tmp/stop ]; do
		centi
		t=$((c - c0))
		f=$((t % 100))
		[ $f -lt 10 ] && f=0$f
		d=/out/history/$((t / 100)).${f}0/proc
		mkdir -p "$d/pressure"
		cat /proc/vmstat >"$d/vmstat"
		cat /proc/zoneinfo >"$d/zoneinfo"
		cat /proc/pressure/memory >"$d/pressure/memory" 2>/dev/null || rmdir "$d/pressure"
		sleep "$interval"
	done
}

capture start
record "$(word ra.interval 0.1)" &
rec=$!
sleep 1
reader=
if [ "$(word ra.reread 0)" = 1 ] && [ -n "$data" ]; then
	# dd, not cat: the one dd in the guest, so `killall dd` stops the pass in flight.
	(while [ ! -e /tmp/stopread ]; do dd if="$data" of=/dev/null bs=1M 2>/dev/null; done) &
	reader=$!
fi
n=$(word ra.bursts 30)
log "bursts: 2 x $n"
/bin/burst 1 "$n" >/out/burst1.log 2>&1 &
b1=$!
/bin/burst 2 "$n" >/out/burst2.log 2>&1 &
b2=$!
wait $b1
wait $b2
if [ -n "$reader" ]; then : >/tmp/stopread; killall dd 2>/dev/null; wait "$reader"; fi
sleep 1
: >/tmp/stop
wait $rec
capture end
log "history: $(ls /out/history | wc -l) samples"
dmesg >/out/dmesg.txt 2>/dev/null
cat /proc/cmdline >/out/cmdline.txt

if [ -n "$out" ]; then
	tar -cf "$out" -C /out . && sync && log "wrote results to $out"
else
	log "no output disk with serial 'out'"
fi
log "done"
poweroff -f
