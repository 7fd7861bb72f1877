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
# 5. captures start/, starts the recorder (ra.recorder, below), waits 1 s,
#    runs the bursts: two /bin/burst processes (seeds 1 and 2, ra.bursts=N
#    each, default 30) touching 32-64 MiB of anonymous memory with short
#    pauses (with ra.repeat=R, the same pair R times in a row), while with
#    ra.reread=1 a reader keeps streaming the data disk into the page cache;
#    waits 1 s, stops the recorder, captures end/;
# 6. tars /out onto the disk with serial "out", powers off.
#
# ra.recorder chooses the recorder, one sample every ra.interval seconds
# (default 0.1):
#   record  (the default when the image has /bin/reclaim-advisor) the
#           project's own `reclaim-advisor record`, linked statically:
#           /out/history is a record file (exact CLOCK_MONOTONIC ticks, the
#           settings in its header); its CPU time and peak RSS are kept in
#           /out/recorder.txt (from /proc/PID/stat and status just before it
#           is stopped)
#   dir     a busybox loop writing the directory form of issue 12:
#           /out/history/T.TTT/proc/{vmstat,zoneinfo,pressure/memory}, T =
#           seconds since the loop started, from /proc/uptime (10 ms
#           resolution), every ra.interval seconds plus the time the copies
#           take (about 0.2 s under TCG)
#   none    no recorder (to measure what recording costs the workload)
#
# The shared steps (init_setup, word, write_sets, capture, disk, finish) live
# in scripts/qemu/init-lib.sh, installed at /lib/init-lib.sh.
# shellcheck source=scripts/qemu/init-lib.sh
. /lib/init-lib.sh
init_setup
zram=$(word ra.zram 0)
if [ "$zram" != 0 ]; then
	echo "$zram" >/sys/block/zram0/disksize && mkswap /dev/zram0 >/dev/null && swapon /dev/zram0 &&
		log "swap on zram0 ($zram)"
fi

write_sets

data=$(disk data)
# fd 3 stays open to the end: the kernel drops a block device's page cache
# when its last opener closes it (kill_bdev), and that cache is the workload.
if [ -n "$data" ]; then
	exec 3<"$data"
	dd if="$data" of=/dev/null bs=1M 2>/dev/null && log "page cache filled from $data"
fi

zram_part=
[ "$zram" != 0 ] && zram_part=zram

# centi: /proc/uptime's first field in centiseconds ("1" prefix: a fraction
# such as 08 would otherwise be read as octal).
centi() { read -r up _ </proc/uptime; c=$((${up%.*} * 100 + 1${up#*.} - 100)); }
record_dir() {
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

capture start $zram_part
interval=$(word ra.interval 0.1)
recorder=$(word ra.recorder record)
[ "$recorder" = record ] && [ ! -x /bin/reclaim-advisor ] && recorder=dir
rec=
case $recorder in
record)
	/bin/reclaim-advisor record -o /out/history --interval "$interval" 2>/out/recorder.err &
	rec=$!
	;;
dir)
	record_dir "$interval" &
	rec=$!
	;;
none) ;;
*) log "unknown ra.recorder=$recorder: no recorder" ;;
esac
log "recorder: $recorder every $interval s"
sleep 1
reader=
if [ "$(word ra.reread 0)" = 1 ] && [ -n "$data" ]; then
	# dd, not cat: the one dd in the guest, so `killall dd` stops the pass in flight.
	(while [ ! -e /tmp/stopread ]; do dd if="$data" of=/dev/null bs=1M 2>/dev/null; done) &
	reader=$!
fi
n=$(word ra.bursts 30)
# ra.repeat=R: the same two burst sequences R times in a row, the pair started
# together each time (as in a run of its own), in one boot and one recording:
# a history R times as long of the very workload every measured run asks for
# (longer --bursts would continue the seeds' sequences with other bursts).
repeat=$(word ra.repeat 1)
log "bursts: 2 x $n, $repeat time(s)"
i=0
while [ "$i" -lt "$repeat" ]; do
	/bin/burst 1 "$n" >>/out/burst1.log 2>&1 &
	b1=$!
	/bin/burst 2 "$n" >>/out/burst2.log 2>&1 &
	b2=$!
	wait $b1
	wait $b2
	i=$((i + 1))
done
if [ -n "$reader" ]; then : >/tmp/stopread; killall dd 2>/dev/null; wait "$reader"; fi
sleep 1
case $recorder in
record)
	# the recorder's own cost: utime and stime (fields 14, 15, clock ticks
	# of USER_HZ 100) and its peak RSS, read before it exits
	{
		echo "recorder: record"
		echo "interval: $interval"
		echo "uptime: $(cut -d' ' -f1 /proc/uptime)"
		echo "stat: $(cat /proc/$rec/stat)"
		grep -E '^(VmHWM|VmRSS):' /proc/$rec/status
	} >/out/recorder.txt
	kill -TERM "$rec"
	wait "$rec"
	echo "exit: $?" >>/out/recorder.txt
	;;
dir)
	: >/tmp/stop
	wait "$rec"
	echo "recorder: dir" >/out/recorder.txt
	;;
*) echo "recorder: none" >/out/recorder.txt ;;
esac
capture end $zram_part
if [ -d /out/history ]; then
	log "history: $(find /out/history -mindepth 1 -maxdepth 1 -type d | wc -l) samples"
elif [ -f /out/history ]; then
	log "history: $(grep -c '^S ' /out/history) samples"
fi
finish
