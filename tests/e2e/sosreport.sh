#!/bin/bash
# End-to-end test: audit a sosreport-shaped tree (issue 7).
#
# sos(1) archives copy proc/{meminfo,vmstat,zoneinfo,...} and etc/sysctl.d,
# but the sysctls come as the output of `sysctl -a` in
# sos_commands/kernel/sysctl_-a rather than a proc/sys tree.  The tree is
# built here from a real sosreport capture (rhel8-coreos) in a temporary
# directory; the audit must read the live values from the dump, the boot
# values from the archived sysctl.d files, and the fleet command must take
# the resulting report.  Run from the repository root with BIN=<binary>.
set -u
BIN=${BIN:?BIN must name the reclaim-advisor binary}
TMP=$(mktemp -d /tmp/sos-e2e.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
export RECLAIM_ADVISOR_RULES_DIR=$TMP/rules RECLAIM_ADVISOR_SYSCONFDIR=$TMP/sysconf
mkdir -p "$TMP/rules/profiles" "$TMP/sysconf"
cat >"$TMP/rules/10-sos-test.ini" <<'EOF'
[test-swappiness]
description = sosreport test
when     = has("sysctl.vm.swappiness")
set      = vm.swappiness
value    = 10
severity = warning
why      = the test wants swappiness {value : raw}

[test-wsf]
description = sosreport test
when     = has("sysctl.vm.watermark_scale_factor")
set      = vm.watermark_scale_factor
value    = 10
why      = the default is right here
EOF
PY=/usr/bin/python3
fail=0
pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
jv() { $PY -c 'import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }

CAP=fixtures/captures/rhel8-coreos-sosreport-4.18-x86_64
SOS=$TMP/sosreport-master1-2019-11-01-abcdef
mkdir -p "$SOS/proc" "$SOS/sos_commands/kernel" "$SOS/etc/sysctl.d" "$SOS/usr/lib/sysctl.d"
for f in meminfo vmstat zoneinfo swaps buddyinfo pagetypeinfo; do
	cp "$CAP/proc/$f" "$SOS/proc/$f"
done
# the sysctl dump as sos saves it, with the permission noise it carries
{
	cat "$CAP/sysctl-a.txt"
	echo "sysctl: permission denied on key 'fs.protected_regular'"
} >"$SOS/sos_commands/kernel/sysctl_-a"
uname_line="Linux master1 4.18.0-80.11.2.el8_0.x86_64 #1 SMP x86_64 GNU/Linux"
echo "$uname_line" >"$SOS/sos_commands/kernel/uname_-a"
# the administrator's fragment sets swappiness 10, a vendor file sorting later undoes it
echo "vm.swappiness = 10" >"$SOS/etc/sysctl.d/60-reclaim-advisor.conf"
echo "vm.swappiness = 60" >"$SOS/usr/lib/sysctl.d/70-vendor.conf"
echo "vm.watermark_scale_factor = 10" >"$SOS/etc/sysctl.d/50-wsf.conf"

"$BIN" audit --page-size 4096 --root "$SOS" --format json >"$TMP/sos.json" 2>"$TMP/err"
rc=$?
[ $rc = 1 ] && ok || { bad "exit $rc, expected 1 (shadowed)"; cat "$TMP/err"; }
if $PY - "$TMP/sos.json" <<'EOF'; then ok; else bad "schema"; fi
import json, sys, jsonschema
jsonschema.Draft202012Validator(json.load(open("schema/audit.schema.json"))).validate(json.load(open(sys.argv[1])))
EOF
# no machine-id, no hostname in this sosreport: the path, not a directory name
[ "$(jv "$TMP/sos.json" 'r["host"]["id"]')" = "$SOS" ] && ok || bad "host id"
[ "$(jv "$TMP/sos.json" '{k["sysctl"]: k["live"] for k in r["keys"]}')" = "{'vm.swappiness': '60', 'vm.watermark_scale_factor': '10'}" ] \
	&& ok || bad "live values from sos_commands/kernel/sysctl_-a: $(jv "$TMP/sos.json" '[(k["sysctl"], k["live"]) for k in r["keys"]]')"
[ "$(jv "$TMP/sos.json" '{k["sysctl"]: k["state"] for k in r["keys"]}')" = "{'vm.swappiness': 'shadowed', 'vm.watermark_scale_factor': 'compliant'}" ] \
	&& ok || bad "states: $(jv "$TMP/sos.json" '[(k["sysctl"], k["state"]) for k in r["keys"]]')"
[ "$(jv "$TMP/sos.json" 'r["keys"][0]["at_boot"]["file"]')" = "/usr/lib/sysctl.d/70-vendor.conf" ] && ok || bad "boot winner"
[ "$(jv "$TMP/sos.json" 'r["keys"][1]["at_boot"]["file"]')" = "/etc/sysctl.d/50-wsf.conf" ] && ok || bad "wsf boot file"
[ "$(jv "$TMP/sos.json" 'r["host"]["ram_bytes"]')" = "$((8164548 * 1024))" ] && ok || bad "RAM"

# text form: one table, the footnote names both files
"$BIN" audit --page-size 4096 --root "$SOS" >"$TMP/sos.txt" 2>/dev/null
grep -q "shadowed \[1\]" "$TMP/sos.txt" && ok || bad "text state"
grep -q "/etc/sysctl.d/60-reclaim-advisor.conf:1 sets vm.swappiness = 10, but /usr/lib/sysctl.d/70-vendor.conf:1 sets 60" "$TMP/sos.txt" \
	&& ok || { bad "text footnote"; cat "$TMP/sos.txt"; }

# many sosreports -> fleet
mkdir -p "$TMP/fleet/a" "$TMP/fleet/b"
cp "$TMP/sos.json" "$TMP/fleet/a/sos.json"
sed 's/sosreport-master1-2019-11-01-abcdef/master2/' "$TMP/sos.json" >"$TMP/fleet/b/sos.json"
"$BIN" fleet "$TMP/fleet" >"$TMP/fleet.txt" 2>&1
[ $? = 0 ] && ok || bad "fleet exit"
grep -q "fleet: 2 hosts from 2 reports, 0 skipped" "$TMP/fleet.txt" && ok || { bad "fleet summary"; cat "$TMP/fleet.txt"; }
grep -q "vm.swappiness .* 2 / 2 .*(shadowed 2)" "$TMP/fleet.txt" && ok || { bad "fleet drift line"; cat "$TMP/fleet.txt"; }

echo "sosreport e2e: $pass passed, $fail failed"
[ "$fail" = 0 ]
