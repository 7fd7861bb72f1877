#!/bin/bash
# bench/fleet.sh: `fleet` over 10,000 audit reports built from real captures.
#
# 1. run `audit --format json` on the captures that carry proc/sys/vm (real
#    zones, sysctls and counters) with a small fixed rule set, so the base
#    reports do not depend on the shipped rules' state;
# 2. copy them into N reports with varied host ids, RAM, live values and
#    states (deterministic: seeded), plus a few malformed and foreign files;
# 3. time `fleet DIR` (text and json) and report wall time and peak RSS.
# Target: about one second for 10,000 reports on two cores.
# Env: BIN (the binary), N (reports, default 10000), KEEP=1 keeps the tree.
set -euo pipefail
BIN=${BIN:-build/reclaim-advisor}
N=${N:-10000}
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d /tmp/bench-fleet.XXXXXX)
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/rules/profiles" "$tmp/base" "$tmp/reports" "$tmp/etc"
cat > "$tmp/rules/10-bench.ini" <<'EOF'
[bench-swappiness]
description = bench rule
when     = has("sysctl.vm.swappiness")
set      = vm.swappiness
value    = 10
severity = warning
why      = swappiness {value : raw}

[bench-wsf]
description = bench rule
when     = has("sysctl.vm.watermark_scale_factor")
set      = vm.watermark_scale_factor
value    = 125
severity = warning
why      = wider kswapd buffer

[bench-min-free]
description = bench rule
when     = has("sysctl.vm.min_free_kbytes")
set      = vm.min_free_kbytes
value    = sysctl.vm.min_free_kbytes
why      = keep

[bench-oom]
description = OOM kills
when     = has("reclaim.oom_kills") and reclaim.oom_kills > 0
severity = critical
why      = {reclaim.oom_kills : raw} OOM kills since boot
EOF
export RECLAIM_ADVISOR_RULES_DIR="$tmp/rules" RECLAIM_ADVISOR_SYSCONFDIR="$tmp/etc"

nbase=0
for c in "$here"/fixtures/captures/*/; do
	[ -d "$c/proc/sys/vm" ] || continue
	name=$(basename "$c")
	rc=0
	"$BIN" audit --root "$c" --format json -o "$tmp/base/$name.json" 2>/dev/null || rc=$?
	[ "$rc" -le 2 ] && nbase=$((nbase + 1))
done
[ "$nbase" -ge 3 ] || { echo "bench/fleet.sh: only $nbase base reports" >&2; exit 1; }

python3 - "$tmp/base" "$tmp/reports" "$N" <<'EOF'
import json, os, random, sys
base, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
docs = [json.load(open(os.path.join(base, f))) for f in sorted(os.listdir(base))]
rnd = random.Random(7)
states = ["compliant"] * 8 + ["drift", "not-persistent", "shadowed"]
for i in range(n):
    d = json.loads(json.dumps(docs[i % len(docs)]))
    d["host"]["id"] = "host-%05d" % i
    if d["host"].get("ram_bytes"):
        d["host"]["ram_bytes"] = int(d["host"]["ram_bytes"] * rnd.uniform(0.9, 1.1))
    bad = 0
    for k in d["keys"]:
        if k["live"] is not None and k["live"].isdigit() and rnd.random() < 0.1:
            k["live"] = str(int(k["live"]) + rnd.choice([1, 5, 10, 50]))
        k["state"] = rnd.choice(states)
        bad += k["state"] != "compliant"
    d["status"] = "warning" if bad else d["status"]
    if rnd.random() < 0.02:
        d["reclaim"]["allocstall_per_second"] = round(rnd.uniform(0.1, 50), 3)
    sub = os.path.join(out, "%02d" % (i % 100))
    os.makedirs(sub, exist_ok=True)
    with open(os.path.join(sub, "host-%05d.json" % i), "w") as f:
        json.dump(d, f, indent=2)
# a few documents fleet must name and skip
open(os.path.join(out, "truncated.json"), "w").write('{"schema": "reclaim-advisor/audit", "host": {')
open(os.path.join(out, "foreign.json"), "w").write('{"schema": "something/else"}')
open(os.path.join(out, "empty.json"), "w").write('')
EOF

bytes=$(du -sk "$tmp/reports" | cut -f1)
echo "bench/fleet.sh: $N generated reports from $nbase captures (${bytes} KiB)"
for fmt in text json; do
	/usr/bin/time -q -f '%e %M' -o "$tmp/time" "$BIN" fleet "$tmp/reports" --format "$fmt" \
		>"$tmp/out.$fmt" 2>"$tmp/err.$fmt" && rc=0 || rc=$?
	# The generated set includes malformed reports on purpose: fleet names and
	# skips them and says so with 65; anything else is a failure.
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 65 ]; then
		echo "fleet failed ($rc)" >&2; cat "$tmp/err.$fmt" >&2; exit 1
	fi
	read -r wall rss <"$tmp/time"
	skipped=$(grep -c 'skipped:' "$tmp/err.$fmt" || true)
	echo "  fleet --format $fmt: wall ${wall} s, peak RSS ${rss} KiB, skipped $skipped, $(nproc) CPUs"
done
head -1 "$tmp/out.text"
grep -q "fleet: $N hosts from $N reports, 3 skipped" "$tmp/out.text" || { echo "unexpected summary" >&2; exit 1; }
