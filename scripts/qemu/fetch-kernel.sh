#!/bin/bash
# fetch-kernel.sh PACKAGE|auto-6.1|auto-6.12
#
# Downloads a stock Debian kernel package with `apt-get download` and unpacks
# it with `dpkg -x` into $QEMU_SCRATCH/kernels/<package>/ (never installs it on
# this host).  Prints that folder on stdout.  The folder then holds
# boot/vmlinuz-*, lib/modules/<release>/ (depmod run on it) and PACKAGE.txt
# (package name and version, for the fixtures' SOURCE.md).
#
#   auto-6.1   the package linux-image-amd64 depends on (bookworm's 6.1 kernel)
#   auto-6.12  the newest linux-image-6.12.*+deb12-amd64 in the apt lists
#
# Debian's security archive drops old ABI packages, so the exact package that
# made the committed fixtures may disappear; the auto names always resolve.
set -euo pipefail

scratch=${QEMU_SCRATCH:-/work/qemu-scratch}
want=${1:?usage: fetch-kernel.sh PACKAGE|auto-6.1|auto-6.12}

resolve() {
	case $1 in
	auto-6.1)
		apt-cache depends linux-image-amd64 2>/dev/null |
			awk '/Depends: linux-image-6\.1\./ { print $2; exit }' ;;
	auto-6.12)
		apt-cache search --names-only '^linux-image-6\.12\.[0-9]+\+deb12-amd64$' 2>/dev/null |
			awk '{ print $1 }' | sort -V | tail -n 1 ;;
	*)
		echo "$1" ;;
	esac
}

pkg=$(resolve "$want")
if [ -z "$pkg" ]; then
	echo "fetch-kernel.sh: cannot resolve $want (run apt-get update first?)" >&2
	exit 1
fi

dest=$scratch/kernels/$pkg
if [ -f "$dest/PACKAGE.txt" ] && ls "$dest"/boot/vmlinuz-* >/dev/null 2>&1; then
	echo "$dest"
	exit 0
fi

mkdir -p "$scratch/dl" "$dest.tmp"
(cd "$scratch/dl" && apt-get download "$pkg" >&2)
deb=$(find "$scratch/dl" -name "${pkg}_*.deb" | sort -V | tail -n 1)
rm -rf "$dest.tmp" && mkdir -p "$dest.tmp"
dpkg -x "$deb" "$dest.tmp"
release=$(ls "$dest.tmp/lib/modules")
depmod -b "$dest.tmp" "$release"
{
	echo "package: $pkg"
	echo "version: $(dpkg-deb -f "$deb" Version)"
	echo "source: $(dpkg-deb -f "$deb" Source)"
	echo "release: $release"
	echo "deb: $(basename "$deb")"
	echo "sha256: $(sha256sum "$deb" | cut -d' ' -f1)"
} >"$dest.tmp/PACKAGE.txt"
rm -rf "$dest"
mv "$dest.tmp" "$dest"
echo "$dest"
