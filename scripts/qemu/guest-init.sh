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

# The shared steps (init_setup, write_sets, capture, finish) live in
# scripts/qemu/init-lib.sh, installed at /lib/init-lib.sh.
# shellcheck source=scripts/qemu/init-lib.sh
. /lib/init-lib.sh
init_setup
capture before iomem

write_sets

capture after iomem

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
finish
