#!/bin/bash
# build-initramfs.sh KERNEL_DIR OUT.cpio.gz
#
# Builds the capture initramfs for the kernel unpacked in KERNEL_DIR (by
# fetch-kernel.sh): busybox-static with one symlink per applet, the kernel's
# own virtio modules (decompressed: busybox insmod does not read .ko.xz), a
# /modules.list in `modprobe --show-depends` order, guest-init.sh as /init and
# init-lib.sh (the steps every /init shares) as /lib/init-lib.sh.
# Needs the Debian packages busybox-static, cpio and kmod on the host.
#
# Other guests (bench/effectiveness/run-one.sh) change three things through the
# environment; unset, the image is the capture initramfs, byte for byte:
#   INIT=FILE            /init instead of guest-init.sh
#   MODULES="m1 m2 ..."  modules to load (with their dependencies) instead of
#                        "virtio_pci virtio_blk"
#   EXTRA="SRC:DEST ..." more files, SRC on the host installed at /DEST
set -euo pipefail

kdir=${1:?usage: build-initramfs.sh KERNEL_DIR OUT.cpio.gz}
out=${2:?usage: build-initramfs.sh KERNEL_DIR OUT.cpio.gz}
here=$(cd "$(dirname "$0")" && pwd)
busybox=$(command -v busybox || true)
if [ -z "$busybox" ] || ldd "$busybox" >/dev/null 2>&1; then
	echo "build-initramfs.sh: needs a static busybox (apt-get install busybox-static)" >&2
	exit 1
fi

release=$(ls "$kdir/lib/modules")
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,proc,sys,dev,out,tmp,lib/modules}
cp "$busybox" "$stage/bin/busybox"
for a in $("$busybox" --list); do
	[ "$a" = busybox ] || ln -s busybox "$stage/bin/$a"
done
install -m 0755 "${INIT:-$here/guest-init.sh}" "$stage/init"
install -m 0644 "$here/init-lib.sh" "$stage/lib/init-lib.sh"
for e in ${EXTRA:-}; do
	install -D -m 0755 "${e%%:*}" "$stage/${e#*:}"
done

# virtio_pci brings virtio and virtio_ring; virtio_blk needs them too.
: >"$stage/modules.list"
for m in ${MODULES:-virtio_pci virtio_blk}; do
	modprobe -d "$kdir" -S "$release" --show-depends "$m" |
		awk '$1 == "insmod" { print $2 }'
done | awk '!seen[$0]++' | while read -r ko; do
	name=$(basename "$ko")
	case $name in
	*.ko.xz) xz -dc "$ko" >"$stage/lib/modules/${name%.xz}"; name=${name%.xz} ;;
	*.ko.zst) zstd -qdc "$ko" >"$stage/lib/modules/${name%.zst}"; name=${name%.zst} ;;
	*.ko.gz) gzip -dc "$ko" >"$stage/lib/modules/${name%.gz}"; name=${name%.gz} ;;
	*) cp "$ko" "$stage/lib/modules/$name" ;;
	esac
	echo "$name" >>"$stage/modules.list"
done
[ -s "$stage/modules.list" ] || { echo "build-initramfs.sh: no virtio modules in $kdir" >&2; exit 1; }

mkdir -p "$(dirname "$out")"
(cd "$stage" && find . -print0 | sort -z | cpio --null -o -H newc --quiet | gzip -9n) >"$out.tmp"
mv "$out.tmp" "$out"
echo "$out"
