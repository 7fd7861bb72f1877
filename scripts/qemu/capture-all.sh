#!/bin/bash
# capture-all.sh [CASE ...]
#
# Regenerates every fixtures/qemu/<case>/ (or only the named cases): each case
# is one short TCG boot of a stock Debian kernel that captures /proc, writes
# the case's sysctls and captures again (see run-case.sh, guest-init.sh).
# Guests run one at a time; each takes ~15-30 s of host time.
#
# Host prerequisites (Debian 12), once:
#   apt-get update && apt-get install --no-install-recommends qemu-system-x86 busybox-static cpio kmod xz-utils
# Kernels are fetched with `apt-get download` into $QEMU_SCRATCH (default
# /work/qemu-scratch) and never installed.  KERNEL_61 / KERNEL_612 pick the
# packages (default: the ones the committed fixtures were made with; set them
# to auto-6.1 / auto-6.12 once Debian has dropped those from its archive).
#
# tests/e2e/qemu_watermarks.sh then checks the model against the captures
# without booting anything.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
KERNEL_61=${KERNEL_61:-linux-image-6.1.0-56-amd64}
KERNEL_612=${KERNEL_612:-linux-image-6.12.117+deb12-amd64}

for tool in qemu-system-x86_64 busybox cpio modprobe depmod python3 xz; do
	command -v "$tool" >/dev/null || {
		echo "capture-all.sh: $tool missing; apt-get install --no-install-recommends qemu-system-x86 busybox-static cpio kmod xz-utils python3" >&2
		exit 1
	}
done

# Legal ranges, probed on one case per kernel after its captures.
PROBES="--try vm.watermark_scale_factor=0 --try vm.watermark_scale_factor=3000 --try vm.watermark_scale_factor=3001"
PROBES+=" --try vm.min_free_kbytes=-1"

# name | run-case.sh arguments
cases=(
	"6.1-1g-thp-wsf200|--kernel $KERNEL_61 --mem 1024 --set vm.watermark_scale_factor=200 $PROBES"
	"6.1-2g-mfk131072-wsf50|--kernel $KERNEL_61 --mem 2048 --set vm.min_free_kbytes=131072 --set vm.watermark_scale_factor=50"
	"6.1-2node-2x1g-wsf300-mfk90000|--kernel $KERNEL_61 --mem 2048 --nodes 2 --set vm.watermark_scale_factor=300 --set vm.min_free_kbytes=90000"
	"6.1-3g-q35-thp-never-mfk4096|--kernel $KERNEL_61 --mem 3072 --machine q35 --append transparent_hugepage=never --set vm.min_free_kbytes=4096"
	"6.1-768m-thp-capped-wsf123|--kernel $KERNEL_61 --mem 768 --set vm.watermark_scale_factor=123"
	"6.12-1g-promo-wsf1000|--kernel $KERNEL_612 --mem 1024 --set vm.watermark_scale_factor=1000 $PROBES"
	"6.12-q35-2node-2x2g-mfk131072|--kernel $KERNEL_612 --mem 4096 --nodes 2 --machine q35 --set vm.min_free_kbytes=131072"
)

want=" $* "
ran=0
for c in "${cases[@]}"; do
	name=${c%%|*}
	args=${c#*|}
	if [ $# -gt 0 ] && [[ $want != *" $name "* ]]; then
		continue
	fi
	# shellcheck disable=SC2086 # the argument strings above hold no spaces inside words
	"$here/run-case.sh" --case "$name" $args
	ran=$((ran + 1))
done
[ "$ran" -gt 0 ] || { echo "capture-all.sh: no such case: $*" >&2; exit 64; }
echo "capture-all.sh: $ran case(s) captured" >&2
