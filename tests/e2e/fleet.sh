#!/bin/bash
# fleet on audits of every real capture (issue 14): hosts named host1..hostN
# (natural order, not text order), per-host records that are the audits'
# own keys, no empty rows, a document valid against schema/fleet.schema.json,
# outliers only against a majority, and keys that
# scale with RAM compared within a RAM class with a tolerance (the kernel's
# own min_free_kbytes of a 790 MiB and a 1 GiB guest is no outlier).
# Run from the repository root with BIN=<absolute path of the binary>.
set -u
BIN=${BIN:?BIN must name the reclaim-advisor binary}
PY=/usr/bin/python3
TMP=$(mktemp -d /tmp/fleet-e2e.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
REPO=$PWD
fail=0
pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

# The expected values come from a deployed fragment, so every audit has the
# same keys with the host's real live values.
printf 'vm.min_free_kbytes = 67584\nvm.swappiness = 10\nvm.dirty_ratio = 20\n' >"$TMP/frag.conf"
mkdir -p "$TMP/audits"
n=0
for c in "$REPO"/fixtures/captures/*/ "$REPO"/fixtures/qemu/*/after/ "$REPO"/fixtures/live-fc-6.18/; do
	n=$((n + 1))
	# relative --fragment: read from the working directory, not under the root
	(cd "$TMP" && "$BIN" audit --root "$c" --page-size 4096 --fragment frag.conf --host-id "host$n" \
		--format json -o "audits/host$n.json" 2>/dev/null)
	[ -s "$TMP/audits/host$n.json" ] || bad "no audit for $c"
done
[ "$n" -ge 20 ] && ok || bad "only $n captures"

"$BIN" fleet "$TMP/audits" >"$TMP/fleet.txt" 2>"$TMP/fleet.err"
[ $? = 0 ] && ok || bad "fleet text exit: $(cat "$TMP/fleet.err")"
"$BIN" fleet "$TMP/audits" --format json -o "$TMP/fleet.json" 2>>"$TMP/fleet.err"
[ $? = 0 ] && ok || bad "fleet json exit"

if $PY - "$TMP/fleet.json" "$TMP/fleet.txt" "$TMP/audits" "$n" <<'PYEOF'
import json, os, re, sys
fleet = json.load(open(sys.argv[1]))
import jsonschema
jsonschema.validate(fleet, json.load(open("schema/fleet.schema.json")))
text = open(sys.argv[2]).read()
adir, n = sys.argv[3], int(sys.argv[4])
errors = []
def natkey(s):
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", s)]
if fleet["hosts"] != n:
    errors.append("hosts %d, expected %d" % (fleet["hosts"], n))
for state, ids in fleet["hosts_by_state"].items():
    if ids != sorted(ids, key=natkey):
        errors.append("hosts_by_state.%s not in natural order: %s" % (state, ids[:5]))
recs = fleet["host_records"]
ids = [r["id"] for r in recs]
if ids != sorted(ids, key=natkey) or len(ids) != n:
    errors.append("host_records not one per host in natural order")
if ids[:3] != ["host1", "host2", "host3"] or "host10" not in ids or ids.index("host9") > ids.index("host10"):
    errors.append("host9 after host10: %s" % ids[:12])
# each record is its audit: the same keys, live values and states
for r in recs:
    a = json.load(open(os.path.join(adir, r["id"] + ".json")))
    want = [(k["sysctl"], "(absent)" if k["live"] is None else str(k["live"]), k["state"]) for k in a["keys"]]
    got = [(k["sysctl"], k["value"], k["state"]) for k in r["keys"]]
    if want != got:
        errors.append("%s: record %s != audit %s" % (r["id"], got, want))
    if r["status"] != a["status"] or r["ram_bytes"] != a["host"]["ram_bytes"] or r["kernel"] != a["host"]["kernel"]:
        errors.append("%s: status/ram/kernel differ from the audit" % r["id"])
# outliers only against a majority; RAM keys carry their class and median
nout = 0
for g in fleet["groups"]:
    for o in g["outliers"]:
        nout += 1
        agree = o.get("agree_hosts", o.get("mode_hosts"))
        if not agree * 2 > o["hosts"]:
            errors.append("%s %s: outliers without a majority (%d of %d)" % (g["group"], o["sysctl"], agree, o["hosts"]))
        if o["sysctl"] in ("vm.min_free_kbytes",) and (o["comparison"] != "ram-class-median" or o["ram_class"] != g["group"]):
            errors.append("%s: min_free_kbytes compared exactly" % g["group"])
        for h in o["outliers"]:
            if o["comparison"] == "ram-class-median":
                v, m = float(h["value"]), float(o["median"])
                if m and 1 / 1.5 <= v / m <= 1.5:
                    errors.append("%s: %s=%s within 1.5x of %s named" % (g["group"], h["host"], h["value"], o["median"]))
    for s in g["no_majority"]:
        if s["hosts"] < 3:
            errors.append("no_majority with %d hosts" % s["hosts"])
# the 1 GiB guests: the kernel's own min_free_kbytes (34548 on 790 MiB,
# 45056 on 1 GiB) agree within the class
one = [g for g in fleet["groups"] if g["group"] == "1GiB"]
if not one:
    errors.append("no 1GiB group")
elif any(o["sysctl"] == "vm.min_free_kbytes" for o in one[0]["outliers"]):
    errors.append("1GiB: the kernel's own min_free_kbytes named as an outlier")
# no empty rows in "values per key"
section = text.split("values per key (hosts):\n", 1)[1].split("\n\n", 1)[0]
for line in section.splitlines():
    if not re.search(r" x\d+", line):
        errors.append("empty row: %r" % line)
if not section.strip():
    errors.append("no values per key")
# host lists in text are natural too
m = re.search(r"^  warning +\d+  (.*)$", text, re.M)
if m:
    shown = [h for h in m.group(1).split(" (+")[0].split(", ")]
    if shown != sorted(shown, key=natkey):
        errors.append("text warning list not natural: %s" % shown)
for e in errors:
    print(e)
print("fleet checks: %d hosts, %d outlier keys" % (n, nout))
sys.exit(1 if errors else 0)
PYEOF
then ok; else bad "fleet JSON/text checks"; fi

# --- host identity (hostid.h) on real before/after captures ----------------
# Audits of the QEMU captures as laid out (CASE/before, CASE/after), without
# --host-id: no id is a directory's name ("before", "after"), so every
# capture is its own host, not one host "before".
mkdir -p "$TMP/phase"
m=0
for c in "$REPO"/fixtures/derived/*/before "$REPO"/fixtures/derived/*/after; do
	[ -d "$c" ] || continue
	m=$((m + 1))
	"$BIN" audit --root "$c" --page-size 4096 --format json -o "$TMP/phase/r$m.json" 2>/dev/null
done
[ "$m" -ge 10 ] && ok || bad "only $m before/after captures"
"$BIN" fleet "$TMP/phase" --format json -o "$TMP/phase.json" 2>/dev/null
$PY - "$TMP/phase.json" "$m" <<'PYEOF' && ok || bad "fleet merged before/after captures by a directory name"
import json, sys
f = json.load(open(sys.argv[1]))
ids = [r["id"] for r in f["host_records"]]
bad = [i for i in ids if i.rsplit("/", 1)[-1] == i]
sys.exit(0 if f["hosts"] == int(sys.argv[2]) and not bad and f["superseded"] == 0 else 1)
PYEOF

# Cloned images: three copies of one real capture with one etc/machine-id
# and their own etc/hostname stay three hosts, listed as sharing the id; a
# fourth report of web-2 (its recommend) is the same host as its audit.
C1=$(ls -d "$REPO"/fixtures/captures/*/ | head -1)
mkdir -p "$TMP/clones/reports"
for h in web-2 web-10 web-1; do
	mkdir -p "$TMP/clones/$h"
	cp -r "$C1/." "$TMP/clones/$h/"
	mkdir -p "$TMP/clones/$h/etc"
	echo 0123456789abcdef0123456789abcdef >"$TMP/clones/$h/etc/machine-id"
	echo "$h" >"$TMP/clones/$h/etc/hostname"
	"$BIN" audit --root "$TMP/clones/$h" --page-size 4096 --format json -o "$TMP/clones/reports/a-$h.json" 2>/dev/null
done
"$BIN" recommend --root "$TMP/clones/web-2" --page-size 4096 --report "$TMP/clones/reports/r-web-2.json" >/dev/null 2>&1
"$BIN" fleet "$TMP/clones/reports" >"$TMP/clones.txt" 2>&1
grep -q '^fleet: 3 hosts from 4 reports, 0 skipped' "$TMP/clones.txt" && ok || bad "clones: $(head -2 "$TMP/clones.txt")"
grep -q '^  m-4bbb216e77ba8f73: 3 hosts: web-1, web-2, web-10$' "$TMP/clones.txt" && ok || bad "clones not listed: $(cat "$TMP/clones.txt")"
"$BIN" fleet "$TMP/clones/reports" --format json -o "$TMP/clones.json" 2>/dev/null
$PY - "$TMP/clones.json" <<'PYEOF' && ok || bad "clones JSON"
import json, sys, jsonschema
f = json.load(open(sys.argv[1]))
jsonschema.validate(f, json.load(open("schema/fleet.schema.json")))
assert f["shared_ids"] == [{"id": "m-4bbb216e77ba8f73",
                            "hosts": ["m-4bbb216e77ba8f73 (web-1)", "m-4bbb216e77ba8f73 (web-2)", "m-4bbb216e77ba8f73 (web-10)"],
                            "hostnames": ["web-1", "web-2", "web-10"]}], f["shared_ids"]
assert [r["hostname"] for r in f["host_records"]] == ["web-1", "web-2", "web-10"]
assert [r["report"] for r in f["host_records"]] == ["audit"] * 3
PYEOF

echo "fleet e2e: $pass passed, $fail failed"
[ "$fail" = 0 ]
