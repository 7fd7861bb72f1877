#!/bin/bash
# The shipped Prometheus rules and Grafana dashboard (contrib/prometheus,
# contrib/grafana) against what the audit really writes:
#   - promtool check metrics on textfiles of real captures;
#   - promtool check rules;
#   - promtool test rules on series made from those textfiles
#     (tests/prom_rules_test.py: a host in drift, a compliant one, a QEMU
#     guest whose second capture shows direct reclaim, an OOM host, one that
#     cannot be audited, one whose textfile stopped changing);
#   - the dashboard is JSON and every reclaim_advisor_* name in it is a
#     metric the audit writes or a rule records.
# Run from the repository root with BIN=<absolute path of the binary>.
# Skips (exit 0 with a message) when promtool is missing.
set -u
BIN=${BIN:?BIN must name the reclaim-advisor binary}
if ! command -v promtool >/dev/null; then
	echo "SKIP: promtool not installed (apt-get install prometheus; scripts/install-deps --test)"
	exit 0
fi
PY=/usr/bin/python3
TMP=$(mktemp -d /tmp/prom-rules.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$TMP"' EXIT
RULES=$PWD/contrib/prometheus/reclaim-advisor.rules.yml
DASH=contrib/grafana/reclaim-advisor.json
fail=0
pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

audit() { # NAME EXPECTED-EXIT ARGS...
	local name=$1 want=$2
	shift 2
	"$BIN" audit --format prometheus -o "$TMP/$name.prom" "$@" 2>/dev/null
	local rc=$?
	[ "$rc" = "$want" ] && ok || bad "audit $name: exit $rc, expected $want"
	if promtool check metrics <"$TMP/$name.prom" >"$TMP/$name.lint" 2>&1; then ok; else
		bad "promtool check metrics $name: $(cat "$TMP/$name.lint")"
	fi
}
# porteus: min_free_kbytes 135168 is THP's value for its 4 MiB pageblocks (pagetypeinfo), so compliant
Q=fixtures/derived/qemu-6.1-512m-zram-direct-reclaim
audit porteus 0 --page-size 4096 --root fixtures/captures/porteus-5.12-x86_64-16g
audit fc 0 --root fixtures/live-fc-6.18
audit qemu-before 1 --root $Q/before
audit qemu-after 2 --root $Q/after --baseline $Q/before
audit arm64 2 --page-size 65536 --root fixtures/captures/arm64-64k-4.18-256g-thp-leak-oom
audit gone 3 --root "$TMP/nonexistent"
audit db 0 --page-size 4096 --root fixtures/captures/porteus-5.12-x86_64-16g --prom-instance db

if promtool check rules "$RULES" >"$TMP/check.txt" 2>&1; then ok; else bad "promtool check rules: $(cat "$TMP/check.txt")"; fi

if $PY tests/prom_rules_test.py "$RULES" "$TMP/test.yml" \
	porteus=0:"$TMP/porteus.prom" porteus-db=0:"$TMP/db.prom" stale-fc=0:"$TMP/fc.prom" \
	qemu=0:"$TMP/qemu-before.prom",30:"$TMP/qemu-after.prom" \
	arm64=0:"$TMP/arm64.prom" gone=0:"$TMP/gone.prom" >"$TMP/gen.txt" 2>&1; then
	ok
	if promtool test rules "$TMP/test.yml" >"$TMP/test.txt" 2>&1; then ok; else
		bad "promtool test rules:"; head -60 "$TMP/test.txt" | sed 's/^/    /'
	fi
else
	bad "generating the rule test: $(cat "$TMP/gen.txt")"
fi

# A rule test that must fail: the same series with the drift on vm.swappiness
# of the QEMU guest hidden -> the NotCompliant expectation is not met.
sed 's/\(reclaim_advisor_sysctl_state{instance="qemu:9100",job="node",state="drift",sysctl="vm.swappiness"}\)/\1_hidden/' \
	"$TMP/test.yml" >"$TMP/broken.yml"
if cmp -s "$TMP/test.yml" "$TMP/broken.yml"; then bad "could not break the rule test (series name changed?)"
elif promtool test rules "$TMP/broken.yml" >/dev/null 2>&1; then bad "promtool test rules passed on broken series"
else ok; fi

# The dashboard: JSON, and only metrics we write or record.
if $PY - "$DASH" "$RULES" "$TMP"/*.prom <<'PYEOF'
import json, re, sys, yaml
dash = json.load(open(sys.argv[1]))
rules = yaml.safe_load(open(sys.argv[2]))
known = {r["record"] for g in rules["groups"] for r in g["rules"] if "record" in r}
for p in sys.argv[3:]:
    for line in open(p):
        if line.startswith("# TYPE "):
            known.add(line.split()[2])
exprs = []
def walk(o):
    if isinstance(o, dict):
        for k, v in o.items():
            if k in ("expr", "query", "definition") and isinstance(v, str):
                exprs.append(v)
            walk(v)
    elif isinstance(o, list):
        for v in o:
            walk(v)
walk(dash)
if not exprs:
    sys.exit("no queries in the dashboard")
used = set()
for e in exprs:
    for name in re.findall(r"[a-zA-Z_:][a-zA-Z0-9_:]*", e):
        if "reclaim_advisor_" in name:
            used.add(name)
unknown = sorted(used - known)
if unknown:
    sys.exit("dashboard uses metrics nobody writes: %s" % ", ".join(unknown))
if not used:
    sys.exit("dashboard uses no reclaim_advisor metric")
print("dashboard: %d queries, %d metrics" % (len(exprs), len(used)))
PYEOF
then ok; else bad "dashboard check"; fi

echo "prometheus rules e2e: $pass passed, $fail failed"
[ "$fail" = 0 ]
