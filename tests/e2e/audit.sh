#!/bin/bash
# End-to-end tests of `reclaim-advisor audit` (issue 7): every state, every
# exit code, the three formats, schema validation, determinism.
#
# Run from the repository root with BIN=<absolute path of the binary>
# (make e2e does).  Works on copies of fixtures/captures in a temporary
# directory with a small rule set written here; `recommend -o ... --apply`
# under the temporary root deploys the advice, so the audit is checked
# against the real generator.  Nothing outside the temporary tree is read
# or written (never /etc or /proc/sys).
set -u
BIN=${BIN:?BIN must name the reclaim-advisor binary}
TMP=$(mktemp -d /tmp/audit-e2e.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
export RECLAIM_ADVISOR_RULES_DIR=$TMP/rules RECLAIM_ADVISOR_SYSCONFDIR=$TMP/sysconf
export RECLAIM_ADVISOR_TEMPLATE_DIR=$PWD/templates
mkdir -p "$TMP/rules/profiles" "$TMP/sysconf"
cat >"$TMP/rules/10-audit-test.ini" <<'EOF'
[test-swappiness]
description = audit test: a fixed swappiness
when     = has("sysctl.vm.swappiness")
set      = vm.swappiness
value    = 10
severity = warning
why      = the test wants swappiness {value : raw}

[test-wsf]
description = audit test: a wider kswapd buffer
when     = has("sysctl.vm.watermark_scale_factor")
set      = vm.watermark_scale_factor
value    = 125
severity = warning
why      = wider kswapd buffer

[test-oom]
description = OOM kills
when     = has("reclaim.oom_kills") and reclaim.oom_kills > 0
severity = critical
why      = {reclaim.oom_kills : raw} OOM kills since boot
EOF

fail=0
pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
expect_rc() { if [ "$1" = "$2" ]; then ok; else bad "$3: exit $2, expected $1"; fi; }
has() { if grep -qF -- "$2" "$1"; then ok; else bad "$3: '$2' not in $1"; sed 's/^/    /' "$1"; fi; }
PY=/usr/bin/python3
validate() {
	if $PY - "$1" <<'EOF'; then ok; else bad "schema: $1"; fi
import json, sys
import jsonschema
schema = json.load(open("schema/audit.schema.json"))
doc = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator(schema).validate(doc)
EOF
}
jv() { $PY -c 'import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }
audit() { "$BIN" audit --page-size 4096 "$@" 2>>"$TMP/stderr"; }

CAP=fixtures/captures/porteus-5.12-x86_64-16g
R=$TMP/root
cp -r "$CAP" "$R"
FRAG=$R/etc/sysctl.d/60-reclaim-advisor.conf

# A. nothing deployed: both keys drift, WARNING
audit --root "$R" >"$TMP/a.txt"; expect_rc 1 $? "A drift"
has "$TMP/a.txt" "RECLAIM-ADVISOR WARNING - 2 of 2 keys not compliant (drift 2)" "A status line"
has "$TMP/a.txt" "key                        expected  live  at boot              state" "A table header"
has "$TMP/a.txt" "vm.swappiness              10        60    60 (kernel default)  drift [1]" "A row"
has "$TMP/a.txt" "[1] vm.swappiness (drift): live 60, expected 10; no sysctl.d file sets vm.swappiness" "A footnote"
has "$TMP/a.txt" "status: warning (exit 1)" "A status"

# B. deploy with the generator (fragment + apply under the root): OK
mkdir -p "$R/etc/sysctl.d"
"$BIN" recommend --page-size 4096 --root "$R" -o "$FRAG" --apply >/dev/null 2>&1
expect_rc 0 $? "B recommend -o --apply"
audit --root "$R" --format json >"$TMP/b.json"; expect_rc 0 $? "B compliant"
validate "$TMP/b.json"
[ "$(jv "$TMP/b.json" '[k["state"] for k in r["keys"]]')" = "['compliant', 'compliant']" ] && ok || bad "B states"
[ "$(jv "$TMP/b.json" 'r["keys"][0]["at_boot"]["file"]')" = "/etc/sysctl.d/60-reclaim-advisor.conf" ] && ok || bad "B boot file"
[ "$(jv "$TMP/b.json" 'r["host"]["id"]')" = "$R" ] && ok || bad "B host id (the root's path, never its directory name)"
audit --root "$R" --format json >"$TMP/b2.json"
cmp -s "$TMP/b.json" "$TMP/b2.json" && ok || bad "B deterministic JSON"
audit --root "$R" --host-id web-17 --format json >"$TMP/b3.json"
[ "$(jv "$TMP/b3.json" 'r["host"]["id"]')" = "web-17" ] && ok || bad "B --host-id"
audit --root "$R" --label role=db --label site=fra1 --format json >"$TMP/b5.json"
[ "$(jv "$TMP/b5.json" 'r["host"]["labels"]')" = "{'role': 'db', 'site': 'fra1'}" ] && ok || bad "B labels"
validate "$TMP/b5.json"
audit --root "$R" --label "=x" >/dev/null; expect_rc 3 $? "B bad label"
echo "0123456789abcdef0123456789abcdef" >"$R/etc/machine-id"
audit --root "$R" --format json >"$TMP/b4.json"
jv "$TMP/b4.json" 'r["host"]["id"]' | grep -qE '^m-[0-9a-f]{16}$' && ok || bad "B machine-id digest"
rm "$R/etc/machine-id"

# C. a vendor file that sorts later sets the old value: shadowed, WARNING
mkdir -p "$R/usr/lib/sysctl.d"
echo "vm.watermark_scale_factor = 10" >"$R/usr/lib/sysctl.d/99-vendor.conf"
audit --root "$R" >"$TMP/c.txt"; expect_rc 1 $? "C shadowed"
has "$TMP/c.txt" "shadowed [1]" "C state"
has "$TMP/c.txt" "/etc/sysctl.d/60-reclaim-advisor.conf:" "C footnote names the fragment"
has "$TMP/c.txt" "but /usr/lib/sysctl.d/99-vendor.conf:1 sets 10 and wins at boot" "C footnote names the winner"
rm "$R/usr/lib/sysctl.d/99-vendor.conf"

# D. changed at run time: drift although the boot configuration is right
echo 60 >"$R/proc/sys/vm/swappiness"
audit --root "$R" >"$TMP/d.txt"; expect_rc 1 $? "D runtime drift"
has "$TMP/d.txt" "changed at run time" "D footnote"
echo 10 >"$R/proc/sys/vm/swappiness"

# E. live right, nothing persists it: not-persistent
mv "$FRAG" "$TMP/frag.saved"
audit --root "$R" >"$TMP/e.txt"; expect_rc 1 $? "E not persistent"
has "$TMP/e.txt" "not-persistent [1]" "E state"
has "$TMP/e.txt" "the kernel default 60 returns on reboot" "E footnote"
mv "$TMP/frag.saved" "$FRAG"

# F. /etc/sysctl.conf differs: compliant under systemd, noted for procps
echo "vm.swappiness = 60" >"$R/etc/sysctl.conf"
audit --root "$R" --format json >"$TMP/f.json"; expect_rc 0 $? "F procps note"
validate "$TMP/f.json"
[ "$(jv "$TMP/f.json" 'r["keys"][0]["at_boot"]["procps"]["file"]')" = "/etc/sysctl.conf" ] && ok || bad "F procps file"
jv "$TMP/f.json" 'r["keys"][0]["note"]' | grep -q "sysctl --system" && ok || bad "F note"
rm "$R/etc/sysctl.conf"

# G. --fragment: the deployed fragment's values are expected (read under the root)
audit --root "$R" --fragment /etc/sysctl.d/60-reclaim-advisor.conf --format json >"$TMP/g.json"
expect_rc 0 $? "G fragment compliant"
validate "$TMP/g.json"
[ "$(jv "$TMP/g.json" 'r["expected_from"]')" = "fragment" ] && ok || bad "G expected_from"
jv "$TMP/g.json" 'r["keys"][0]["expected_source"]' | grep -q "^/etc/sysctl.d/60-reclaim-advisor.conf:" && ok || bad "G source"
printf 'vm.swappiness = 10\nthis is not an assignment\n' >"$TMP/broken.conf"
audit --root "$R" --fragment "$TMP/broken.conf" >"$TMP/g2.txt"; expect_rc 3 $? "G malformed fragment"

# H. a key this kernel does not have: not-applicable, not a failure
H=$TMP/old
cp -r fixtures/captures/ubuntu12.04-3.2-x86_64-8g-swap "$H"
mkdir -p "$H/etc/sysctl.d"
printf 'vm.swappiness = 60\nvm.watermark_scale_factor = 125\n' >"$H/etc/sysctl.d/60-reclaim-advisor.conf"
audit --root "$H" --fragment /etc/sysctl.d/60-reclaim-advisor.conf >"$TMP/h.txt"
expect_rc 0 $? "H not applicable is OK"
has "$TMP/h.txt" "not-applicable [1]" "H state"
has "$TMP/h.txt" "the key does not exist on this kernel" "H footnote"

# I. OOM kills: CRITICAL
audit --root fixtures/captures/arm64-64k-4.18-256g-thp-leak-oom --format json >"$TMP/i.json"
expect_rc 2 $? "I critical"
validate "$TMP/i.json"
[ "$(jv "$TMP/i.json" 'r["status"]')" = "critical" ] && ok || bad "I status"

# J. UNKNOWN: a root that does not exist, a bad option; the document is still produced
audit --root "$TMP/nonexistent" --format json >"$TMP/j.json"; expect_rc 3 $? "J no root"
validate "$TMP/j.json"
[ "$(jv "$TMP/j.json" 'r["exit_code"]')" = "3" ] && ok || bad "J exit_code"
audit --root "$R" --format yaml >/dev/null; expect_rc 3 $? "J bad format"
audit --root "$R" --no-such-option >/dev/null; expect_rc 3 $? "J bad option"
RECLAIM_ADVISOR_RULES_DIR=$TMP/nonexistent-rules audit --root "$R" >"$TMP/j2.txt"; expect_rc 3 $? "J no rules"
has "$TMP/j2.txt" "RECLAIM-ADVISOR UNKNOWN" "J status line"

# K. a snapshot: no sysctl.d tree, states from the live value only
"$BIN" collect --root "$R" --page-size 4096 -o "$TMP/snap.json" 2>/dev/null
"$BIN" audit --snapshot "$TMP/snap.json" --format json >"$TMP/k.json" 2>>"$TMP/stderr"; expect_rc 0 $? "K snapshot"
validate "$TMP/k.json"
[ "$(jv "$TMP/k.json" 'r["boot_known"]')" = "False" ] && ok || bad "K boot_known"

# L. prometheus textfile written atomically to a directory
mkdir -p "$TMP/textfile"
audit --root "$R" --format prometheus -o "$TMP/textfile/reclaim_advisor.prom"; expect_rc 0 $? "L prometheus"
has "$TMP/textfile/reclaim_advisor.prom" 'reclaim_advisor_sysctl_state{sysctl="vm.swappiness",state="compliant"} 1' "L compliance"
has "$TMP/textfile/reclaim_advisor.prom" 'reclaim_advisor_sysctl_compliant{sysctl="vm.swappiness"} 1' "L compliant"
has "$TMP/textfile/reclaim_advisor.prom" 'reclaim_advisor_watermark_kswapd_buffer_bytes{node="0",zone="Normal"}' "L watermarks"
[ "$(ls -A "$TMP/textfile")" = "reclaim_advisor.prom" ] && ok || bad "L temp files left: $(ls -A "$TMP/textfile")"
[ "$(stat -c %a "$TMP/textfile/reclaim_advisor.prom")" = 644 ] && ok || bad "L mode"
grep -qE '^[a-z_]+(\{[^}]*\})? [0-9.e+-]+ [0-9]+$' "$TMP/textfile/reclaim_advisor.prom" && bad "L timestamps" || ok

echo "audit e2e: $pass passed, $fail failed"
[ "$fail" = 0 ]
