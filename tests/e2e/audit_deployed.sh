#!/bin/bash
# `audit` without --fragment (issue 11): our deployed fragment is the
# expected state (what the host was told to be) together with the desired
# values it leaves out by design (a kernel default is the boot's, an
# administrator's kept value is theirs); "advice-changed" names the keys
# when re-deriving gives something else; without a fragment of ours the
# advice is re-derived.  The matrix on real QEMU captures, under temporary
# --root copies (the live host is never touched):
#   fragment full (zram: two settings) / empty (2-node zone_reclaim: every
#   desired value is the kernel default) / stale (advice changed)
#   x live as advised or not x a later sysctl.d file setting a key
#   (WARNING with file and line) x no fragment (re-derived).
# Run from the repository root with BIN=<absolute path of the binary>.
set -u
BIN=${BIN:?BIN must name the reclaim-advisor binary}
TMP=$(mktemp -d /tmp/audit-deployed-e2e.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
fail=0
pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
jv() { /usr/bin/python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }
FRAG=etc/sysctl.d/60-reclaim-advisor.conf
# the states by key, as "key=state ..." (sorted by key, as audit sorts)
states() { jv "$1" '" ".join("%s=%s" % (k["sysctl"], k["state"]) for k in r["keys"])'; }
note_of() { jv "$1" '[k.get("note") or "" for k in r["keys"] if k["sysctl"] == "'"$2"'"][0]'; }
# audit R NAME [args]: JSON in $TMP/NAME.json, exit code in $rc
audit() {
	local r=$1 n=$2
	shift 2
	"$BIN" audit --root "$r" --format json "$@" >"$TMP/$n.json" 2>"$TMP/$n.err"
	rc=$?
}
expect() { # expect NAME RC EXPECTED_FROM STATES
	[ "$rc" = "$2" ] && ok || bad "$1: exit $rc, expected $2: $(jv "$TMP/$1.json" 'r["summary"]')"
	local from
	from=$(jv "$TMP/$1.json" 'r["expected_from"]')
	[ "$from" = "$3" ] && ok || bad "$1: expected values from $from, not $3"
	local got
	got=$(states "$TMP/$1.json")
	[ "$got" = "$4" ] && ok || bad "$1: states '$got', expected '$4'"
}
fresh() { # fresh DIR CAPTURE: a copy of the capture with our fragment deployed and applied
	rm -rf "$1"
	cp -r "$2" "$1"
	mkdir -p "$1/etc/sysctl.d"
	"$BIN" recommend --root "$1" -o "$1/$FRAG" --apply >"$TMP/recommend.out" 2>&1 || bad "recommend --apply on $2: $(tail -3 "$TMP/recommend.out")"
}

# ---- a full fragment: the zram guest (swappiness, page-cluster; its
# watermark_scale_factor 10 and boost factor 15000 are the kernel defaults,
# left to the boot: boost 0 comes only beside a wider buffer)
ZRAM=fixtures/derived/qemu-6.1-512m-zram-direct-reclaim/before
Z=$TMP/zram
fresh "$Z" "$ZRAM"
grep -q '^vm.swappiness = 180$' "$Z/$FRAG" && ! grep -q watermark_scale_factor "$Z/$FRAG" && ok \
	|| bad "the zram fragment is not what this test expects: $(grep '^vm' "$Z/$FRAG")"
ALLOK="vm.page-cluster=compliant vm.swappiness=compliant vm.watermark_boost_factor=compliant vm.watermark_scale_factor=compliant"
audit "$Z" full
expect full 0 fragment "$ALLOK"
[ "$(jv "$TMP/full.json" '[k["expected_source"] for k in r["keys"] if k["sysctl"] in ("vm.swappiness", "vm.watermark_scale_factor")]')" \
	= "['/etc/sysctl.d/60-reclaim-advisor.conf:16', 'rule kswapd-headroom-keep']" ] && ok \
	|| bad "full: expected sources $(jv "$TMP/full.json" '[(k["sysctl"], k["expected_source"]) for k in r["keys"]]')"
"$BIN" audit --root "$Z" >"$TMP/full.txt" 2>&1
grep -q "expected values from the fragment /etc/sysctl.d/60-reclaim-advisor.conf and the advice's 2 values it leaves out" "$TMP/full.txt" \
	&& ok || bad "full: the text does not say where the expected values come from: $(sed -n 2p "$TMP/full.txt")"

# live not as advised: a key of the fragment, then the key left to the boot
echo 60 >"$Z/proc/sys/vm/swappiness"
audit "$Z" drift
expect drift 1 fragment "vm.page-cluster=compliant vm.swappiness=drift vm.watermark_boost_factor=compliant vm.watermark_scale_factor=compliant"
echo 180 >"$Z/proc/sys/vm/swappiness"
# a live watermark_scale_factor of 200 (not the kernel default the
# fragment left to the boot): the advice now keeps it and would write it
# (kswapd-headroom-keep), and beside that wider buffer boost 0 too
# (boost-off-zram, requires_raised), so the fragment is no longer the
# advice: the host was told otherwise, and the finding says what changed
echo 200 >"$Z/proc/sys/vm/watermark_scale_factor"
audit "$Z" default-live
expect default-live 1 fragment "vm.page-cluster=compliant vm.swappiness=compliant"
[ "$(jv "$TMP/default-live.json" '[f["reason"] for f in r["findings"] if f["rule"] == "advice-changed"]')" \
	= "['advice has changed since the fragment was written: vm.watermark_boost_factor: fragment none, now 0; vm.watermark_scale_factor: fragment none, now 200']" ] \
	&& ok || bad "default-live: findings $(jv "$TMP/default-live.json" 'r["findings"]')"
echo 10 >"$Z/proc/sys/vm/watermark_scale_factor"

# a later sysctl.d file: over a key of the fragment (shadowed), then over
# the key the fragment leaves to the boot
printf 'vm.swappiness = 100\n' >"$Z/etc/sysctl.d/99-local.conf"
audit "$Z" shadow
expect shadow 1 fragment "vm.page-cluster=compliant vm.swappiness=shadowed vm.watermark_boost_factor=compliant vm.watermark_scale_factor=compliant"
case $(note_of "$TMP/shadow.json" vm.swappiness) in
*"/etc/sysctl.d/99-local.conf:1 sets 100 and wins at boot"*) ok ;;
*) bad "shadow: note '$(note_of "$TMP/shadow.json" vm.swappiness)'" ;;
esac
printf '# site\nvm.watermark_scale_factor = 200\n' >"$Z/etc/sysctl.d/99-local.conf"
audit "$Z" shadow-default
expect shadow-default 1 fragment "vm.page-cluster=compliant vm.swappiness=compliant vm.watermark_boost_factor=compliant vm.watermark_scale_factor=drift"
case $(note_of "$TMP/shadow-default.json" vm.watermark_scale_factor) in
*"/etc/sysctl.d/99-local.conf:2 sets 200"*) ok ;;
*) bad "shadow-default: note '$(note_of "$TMP/shadow-default.json" vm.watermark_scale_factor)'" ;;
esac
rm "$Z/etc/sysctl.d/99-local.conf"

# stale: the fragment holds an earlier advice (swappiness 150, applied)
# and a key the advice no longer sets: it is still what the host was told
# to be, and the finding names both keys
sed -i 's/^vm.swappiness = 180$/vm.swappiness = 150/' "$Z/$FRAG"
printf 'vm.vfs_cache_pressure = 100\n' >>"$Z/$FRAG"
echo 150 >"$Z/proc/sys/vm/swappiness"
audit "$Z" stale
expect stale 1 fragment "vm.page-cluster=compliant vm.swappiness=compliant vm.vfs_cache_pressure=compliant vm.watermark_boost_factor=compliant vm.watermark_scale_factor=compliant"
[ "$(jv "$TMP/stale.json" '[f["reason"] for f in r["findings"] if f["rule"] == "advice-changed"]')" \
	= "['advice has changed since the fragment was written: vm.swappiness: fragment 150, now 180; vm.vfs_cache_pressure: fragment 100, now none']" ] \
	&& ok || bad "stale: findings $(jv "$TMP/stale.json" 'r["findings"]')"
[ "$(jv "$TMP/stale.json" '[k["expected"] for k in r["keys"] if k["sysctl"] in ("vm.swappiness", "vm.vfs_cache_pressure")]')" = "['150', '100']" ] \
	&& ok || bad "stale: expected values $(jv "$TMP/stale.json" '[(k["sysctl"], k["expected"]) for k in r["keys"]]')"

# stale the other way: the fragment sets a key the advice now leaves to the
# boot (watermark_scale_factor 50 in the fragment, never applied: the live
# 10 is the kernel default, which kswapd-headroom-keep keeps)
fresh "$Z" "$ZRAM"
printf 'vm.watermark_scale_factor = 50\n' >>"$Z/$FRAG"
audit "$Z" stale-default
expect stale-default 1 fragment "vm.page-cluster=compliant vm.swappiness=compliant vm.watermark_boost_factor=compliant vm.watermark_scale_factor=drift"
[ "$(jv "$TMP/stale-default.json" '[f["reason"] for f in r["findings"] if f["rule"] == "advice-changed"]')" \
	= "['advice has changed since the fragment was written: vm.watermark_scale_factor: fragment 50, now the kernel default 10 (not written)']" ] \
	&& ok || bad "stale-default: findings $(jv "$TMP/stale-default.json" 'r["findings"]')"

# no fragment of ours: re-derived from the live values
fresh "$Z" "$ZRAM"
rm "$Z/$FRAG"
audit "$Z" none
expect none 1 recommendation "vm.page-cluster=not-persistent vm.swappiness=not-persistent vm.watermark_boost_factor=compliant vm.watermark_scale_factor=compliant"
# a file that is not ours at the fragment path is no expected state
printf 'vm.swappiness = 180\n' >"$Z/$FRAG"
audit "$Z" foreign
expect foreign 1 recommendation "vm.page-cluster=not-persistent vm.swappiness=compliant vm.watermark_boost_factor=compliant vm.watermark_scale_factor=compliant"

# ---- an empty fragment: every desired value is the kernel default
# (zone_reclaim_mode 1 in the guest; the advice wants 0, min_free_kbytes
# and watermark_scale_factor as the kernel sets them)
ZR=fixtures/derived/qemu-6.1-2node-2x1g-zone-reclaim/after
E=$TMP/empty
fresh "$E" "$ZR"
grep -q '^vm' "$E/$FRAG" && bad "the zone_reclaim fragment is not empty: $(grep '^vm' "$E/$FRAG")" || ok
DEFOK="vm.min_free_kbytes=compliant vm.watermark_scale_factor=compliant vm.zone_reclaim_mode=compliant"
audit "$E" empty
expect empty 0 fragment "$DEFOK"
# the shipped rule zone-reclaim-off wants 0 whatever the live value
echo 1 >"$E/proc/sys/vm/zone_reclaim_mode"
audit "$E" empty-live
expect empty-live 1 fragment "vm.min_free_kbytes=compliant vm.watermark_scale_factor=compliant vm.zone_reclaim_mode=drift"
echo 0 >"$E/proc/sys/vm/zone_reclaim_mode"
# a later file sets it: the advice would now write 0 into our fragment
# (only it restores the default at boot), and the value is lost on reboot
printf 'vm.zone_reclaim_mode = 1\n' >"$E/etc/sysctl.d/99-local.conf"
audit "$E" empty-shadow
expect empty-shadow 1 fragment "vm.min_free_kbytes=compliant vm.watermark_scale_factor=compliant vm.zone_reclaim_mode=not-persistent"
case $(note_of "$TMP/empty-shadow.json" vm.zone_reclaim_mode) in
*"at boot /etc/sysctl.d/99-local.conf:1 sets 1"*) ok ;;
*) bad "empty-shadow: note '$(note_of "$TMP/empty-shadow.json" vm.zone_reclaim_mode)'" ;;
esac
[ "$(jv "$TMP/empty-shadow.json" '[f["reason"] for f in r["findings"] if f["rule"] == "advice-changed"]')" \
	= "['advice has changed since the fragment was written: vm.zone_reclaim_mode: fragment none, now 0']" ] \
	&& ok || bad "empty-shadow: findings $(jv "$TMP/empty-shadow.json" 'r["findings"]')"
rm "$E/etc/sysctl.d/99-local.conf"
rm "$E/$FRAG"
audit "$E" empty-none
expect empty-none 0 recommendation "$DEFOK"

echo "audit_deployed e2e: $pass passed, $fail failed"
[ "$fail" = 0 ]
