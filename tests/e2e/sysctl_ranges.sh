#!/bin/bash
# One sysctl knowledge table: explain and the watermark model (watermarks,
# --set, and the wmark.wsf_max fact the rules read, which is the model's
# wsf_max) read vm.watermark_scale_factor's legal range from the same place
# (advisor/model/sysctl_catalog.def), stable backports included.
#
# The tree is the real QEMU capture fixtures/qemu/6.1-1g-thp-wsf200/before with
# only proc/sys/kernel/osrelease changed per case: the range depends on the
# kernel version alone.  For each release, explain's "legal range" must equal
# the "(1..N)" that watermarks prints;
# --set N is accepted and --set N+1 refused.
#
# Run with BIN=<binary> (make e2e does).  Prints failures and
# "sysctl_ranges: N passed, M failed"; exits 1 on any failure.
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${BIN:-$repo/build/reclaim-advisor}
tmp=$(mktemp -d /tmp/sysctl-ranges.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

cp -r "$repo/fixtures/qemu/6.1-1g-thp-wsf200/before" "$tmp/root"
# release  expected maximum  (why)
cases=(
	"5.15.60-amd64 3000 stable 5.15.58+ carries 39c65a94cd96"
	"5.15.58 3000 the first 5.15 with the backport"
	"5.15.57 1000 before the 5.15 backport"
	"5.16.20 1000 5.16 never got it"
	"5.17.0 3000 mainline"
	"6.1.0-13-amd64 3000 mainline"
	"5.10.186 3000 stable 5.10.186+"
	"5.10.185 1000 before the 5.10 backport"
	"5.4.250 1000 no backport to 5.4"
)
for c in "${cases[@]}"; do
	read -r rel want why <<<"$c"
	echo "$rel" >"$tmp/root/proc/sys/kernel/osrelease"
	ex=$("$BIN" explain vm.watermark_scale_factor --root "$tmp/root" 2>&1)
	exr=$(sed -n 's/^  legal range *1\.\.\([0-9]*\)$/\1/p' <<<"$ex")
	[ "$exr" = "$want" ] && ok || bad "$rel ($why): explain says 1..$exr, want 1..$want"
	wm=$("$BIN" watermarks --root "$tmp/root" 2>&1)
	wmr=$(sed -n 's/^watermark_scale_factor [0-9]* (1\.\.\([0-9]*\)).*/\1/p' <<<"$wm")
	[ "$wmr" = "$want" ] && ok || bad "$rel ($why): watermarks says 1..$wmr, want 1..$want"
	"$BIN" watermarks --root "$tmp/root" --set "vm.watermark_scale_factor=$want" >/dev/null 2>&1 &&
		ok || bad "$rel ($why): watermarks --set vm.watermark_scale_factor=$want refused"
	if "$BIN" watermarks --root "$tmp/root" --set "vm.watermark_scale_factor=$((want + 1))" \
		>/dev/null 2>"$tmp/err"; then
		bad "$rel ($why): --set $((want + 1)) accepted"
	else
		grep -q "must be 1..$want on this kernel" "$tmp/err" && ok ||
			bad "$rel ($why): --set $((want + 1)): $(cat "$tmp/err")"
	fi
done
echo "sysctl_ranges: $pass passed, $fail failed"
[ "$fail" = 0 ]
