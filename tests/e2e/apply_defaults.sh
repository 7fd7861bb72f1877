#!/bin/bash
# --apply sets live every desired value, also those equal to the kernel
# default (issue 11): the fragment leaves them to the boot, but a live value
# that differs is fixed now, and the advice stays a fixpoint.  The real
# 2-node QEMU capture with zone_reclaim_mode 1 (set in the guest; the
# shipped rule zone-reclaim-off wants 0, the kernel default) under a
# temporary --root; the live host is never touched.
# Run from the repository root with BIN=<absolute path of the binary>.
set -u
BIN=${BIN:?BIN must name the reclaim-advisor binary}
TMP=$(mktemp -d /tmp/apply-defaults-e2e.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
fail=0
pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
jq_py() { /usr/bin/python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }

R=$TMP/root
cp -r fixtures/derived/qemu-6.1-2node-2x1g-zone-reclaim/after "$R"
mkdir -p "$R/etc/sysctl.d"
F=$R/etc/sysctl.d/60-reclaim-advisor.conf
[ "$(cat "$R/proc/sys/vm/zone_reclaim_mode")" = 1 ] && ok || bad "the capture's zone_reclaim_mode is not 1"

"$BIN" recommend --root "$R" -o "$F" --apply --report "$TMP/r1.json" >"$TMP/r1.txt" 2>&1
rc=$?
[ $rc = 0 ] && ok || bad "recommend --apply: exit $rc: $(tail -3 "$TMP/r1.txt")"
# desired 0 = the kernel default: not in the fragment, but set live
[ "$(jq_py "$TMP/r1.json" '[(k["recommended"], k["kernel_default"], k["in_fragment"]) for k in r["recommendations"] if k["sysctl"] == "vm.zone_reclaim_mode"]')" = "[(0, 0, False)]" ] \
	&& ok || bad "zone_reclaim_mode advice: $(jq_py "$TMP/r1.json" '[k for k in r["recommendations"] if k["sysctl"] == "vm.zone_reclaim_mode"]')"
grep -q zone_reclaim_mode "$F" && bad "the kernel default was written to the fragment" || ok
[ "$(head -1 "$R/proc/sys/vm/zone_reclaim_mode")" = 0 ] && ok || bad "--apply left zone_reclaim_mode at $(cat "$R/proc/sys/vm/zone_reclaim_mode")"
[ "$(jq_py "$TMP/r1.json" '[(a["previous"], a["written"], a["result"]) for a in r["apply"] if a["sysctl"] == "vm.zone_reclaim_mode"]')" = "[('1', '0', 'applied')]" ] \
	&& ok || bad "apply report: $(jq_py "$TMP/r1.json" 'r["apply"]')"
# every value --apply wrote reads back as the advice
jq_py "$TMP/r1.json" '"\n".join("%s %s" % (a["sysctl"], a["result"]) for a in r["apply"])' | grep -v ' applied$' && bad "a value was not applied" || ok

# The fixpoint: the same fragment, byte for byte, and --check says up to date
cp "$F" "$TMP/f1.conf"
"$BIN" recommend --root "$R" -o "$F" >/dev/null 2>&1
cmp -s "$F" "$TMP/f1.conf" && ok || bad "the fragment changed after --apply"
"$BIN" recommend --root "$R" -o "$F" --check >/dev/null 2>&1
rc=$?
[ $rc = 0 ] && ok || bad "--check after --apply: exit $rc"
"$BIN" recommend --root "$R" -o "$F" --apply --report "$TMP/r2.json" >/dev/null 2>&1
[ "$(jq_py "$TMP/r2.json" '[a["sysctl"] for a in r["apply"] if a["previous"] != a["written"]]')" = "[]" ] \
	&& ok || bad "a second --apply changed values: $(jq_py "$TMP/r2.json" 'r["apply"]')"

echo "apply_defaults e2e: $pass passed, $fail failed"
[ "$fail" = 0 ]
