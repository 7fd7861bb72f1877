#!/bin/bash
# End-to-end check of the watermark model's --set prediction against a real
# kernel (issue 3).  Boots nothing: fixtures/qemu/<case>/ holds two captures of
# one QEMU guest, before/ and after/ a sysctl write (scripts/qemu/capture-all.sh
# made them; SOURCE.md says how).  For every case this runs
#
#   $BIN watermarks --root <case>/before --set <each line of set.txt> --format json
#
# and compares every zone's "after" {min, low, high, promo} with what the
# kernel printed in <case>/after/proc/zoneinfo (minus that zone's boost, which
# a sysctl write resets to 0; promo only where the kernel prints it).  One line
# per zone; exit 1 on any mismatch, missing zone or unusable output.  While the
# binary says "not implemented", it prints SKIP and exits 0.
set -uo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${BIN:-$repo/build/reclaim-advisor}
name=qemu_watermarks

if ! command -v python3 >/dev/null; then
	echo "SKIP $name: python3 not found"
	exit 0
fi
if [ ! -x "$BIN" ]; then
	echo "FAIL $name: no binary at $BIN (run make first)"
	exit 1
fi

shopt -s nullglob
cases=("$repo"/fixtures/qemu/*/)
if [ ${#cases[@]} -eq 0 ]; then
	echo "FAIL $name: no fixtures/qemu/*/ cases"
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 pass=0
for c in "${cases[@]}"; do
	c=${c%/}
	case_name=$(basename "$c")
	if [ ! -f "$c/set.txt" ] || [ ! -f "$c/after/proc/zoneinfo" ]; then
		echo "FAIL $case_name: set.txt or after/proc/zoneinfo missing"
		fail=$((fail + 1))
		continue
	fi
	args=()
	while read -r s; do
		[ -n "$s" ] && args+=(--set "$s")
	done <"$c/set.txt"

	rc=0
	"$BIN" watermarks --root "$c/before" "${args[@]}" --format json >"$tmp/out.json" 2>"$tmp/err" || rc=$?
	if [ "$rc" -ne 0 ] && grep -qi 'not implemented' "$tmp/err"; then
		echo "SKIP $name: '$BIN watermarks' is not implemented yet"
		exit 0
	fi

	python3 - "$c" "$case_name" "$tmp/out.json" "$rc" >"$tmp/report" <<'PY'
import json, re, sys

case, name, out, rc = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

def kernel_zones(path):
    """(node, zone) -> {min, low, high[, promo], boost} as printed in zoneinfo."""
    zones, cur = {}, None
    for line in open(path):
        m = re.match(r'^Node (\d+), zone\s+(\S+)', line)
        if m:
            cur = zones.setdefault((int(m.group(1)), m.group(2).lower()), {'name': m.group(2)})
            continue
        m = re.match(r'^\s+(min|low|high|promo|boost)\s+(\d+)\s*$', line)
        if m and cur is not None:
            cur.setdefault(m.group(1), int(m.group(2)))
    return zones

def find_zones(doc):
    if isinstance(doc, dict):
        if isinstance(doc.get('zones'), list):
            return doc['zones']
        for v in doc.values():
            z = find_zones(v)
            if z is not None:
                return z
    return None

try:
    doc = json.load(open(out))
except (OSError, ValueError) as e:
    print(f"FAIL {name}: output is not JSON (exit status {rc}): {e}")
    sys.exit(2)
model = find_zones(doc)
if not model:
    what = 'an empty' if model is not None else 'no'
    print(f"FAIL {name}: {what} \"zones\" array in the JSON (exit status {rc})")
    sys.exit(2)

kern = kernel_zones(f"{case}/after/proc/zoneinfo")
by_key = {}
for z in model:
    try:
        by_key[(int(z['node']), str(z['zone']).lower())] = z
    except (KeyError, TypeError, ValueError):
        pass

bad = good = 0
for key in kern:  # zoneinfo order
    k = kern[key]
    label = f"{name} node{key[0]} {k['name']}"
    z = by_key.get(key)
    after = z.get('after') if isinstance(z, dict) else None
    if not isinstance(after, dict):
        print(f"FAIL {label}: the model has no \"after\" for this zone")
        bad += 1
        continue
    boost = k.get('boost', 0)
    fields = ['min', 'low', 'high'] + (['promo'] if 'promo' in k else [])
    diffs = []
    for f in fields:
        want = k[f] - boost
        got = after.get(f)
        if got != want:
            diffs.append(f"{f} model {got} kernel {want}")
    shown = ' '.join(f"{f} {k[f] - boost}" for f in fields)
    if diffs:
        print(f"FAIL {label}: " + '; '.join(diffs))
        bad += 1
    else:
        print(f"ok   {label}: {shown}")
        good += 1
print(f"# counts {good} {bad}")
sys.exit(1 if bad else 0)
PY
	prc=$?
	grep -v '^# counts' "$tmp/report"
	read -r g b < <(awk '/^# counts/ { print $3, $4 }' "$tmp/report")
	pass=$((pass + ${g:-0}))
	fail=$((fail + ${b:-0}))
	if [ "$prc" -ne 0 ] && [ -z "${b:-}" ]; then
		fail=$((fail + 1))
		sed 's/^/    stderr: /' "$tmp/err" | head -n 5
	fi
done
echo "$name: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
