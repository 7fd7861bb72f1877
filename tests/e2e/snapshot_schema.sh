#!/bin/bash
# The snapshot format against its published schema (schema/snapshot.schema.json).
#
# For every capture (fixtures/captures/*), every QEMU "before" tree
# (fixtures/qemu/*/before), fixtures/live-fc-6.18 and the live host "/":
#   1. `collect --root R -o S` exits 0;
#   2. S validates against the schema (Draft 7, Debian's python3-jsonschema
#      4.10) and keeps the invariants a schema cannot say: sources has the
#      keys of facts, no fact is both present and absent, facts in name order;
#   3. round trip through the binary: `facts --snapshot S --format json` equals
#      `facts --root R --format json` byte for byte (live host: same names,
#      units, sources and zones, values equal except the counters that move
#      between two reads);
#   4. fixed point: `collect --snapshot S` writes S again, bar inputs.root;
#   5. `facts --format json`'s zones are the snapshot's zones (one zone
#      object for every document: collect/snapshot.h snapshot_zone_json).
# Also: the schema's facts mirror the fact catalog (advisor/facts/catalog_*.def:
# a new fact must be added to the schema), and the schema rejects broken
# snapshots (it is not vacuous).
#
# Run from anywhere with BIN=<absolute path of the binary> (make e2e does).
# Prints one line per failure and "snapshot_schema: N passed, M failed";
# exits 1 on any failure.  Writes only under a temporary directory.
set -uo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${BIN:-$repo/build/reclaim-advisor}
cd "$repo" || exit 1
tmp=$(mktemp -d /tmp/snapshot-schema.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
if [ ! -x "$BIN" ]; then
	echo "snapshot_schema: no binary at $BIN (run make first)"
	exit 1
fi
# A private copy: another engineer's `make` relinking the binary mid-run must
# not fail a check with "text file busy" or "permission denied".
cp "$BIN" "$tmp/reclaim-advisor" && chmod +x "$tmp/reclaim-advisor" && BIN=$tmp/reclaim-advisor

# Debian's python3 carries python3-jsonschema; a python3 earlier in PATH
# (pyenv, venv) may not.
PY=/usr/bin/python3
"$PY" -c 'import jsonschema' 2>/dev/null || PY=python3
if ! "$PY" -c 'import jsonschema' 2>/dev/null; then
	echo "snapshot_schema: python3-jsonschema is not installed (apt-get install python3-jsonschema)"
	echo "snapshot_schema: 0 passed, 1 failed"
	exit 1
fi

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

roots=()
# (a folder of excerpts, with neither proc/ nor sys/, is not a tree: collect
# refuses it, exit 66, as hostile.sh checks)
for d in fixtures/captures/*/ fixtures/qemu/*/before/; do
	[ -e "$d/proc" ] || [ -e "$d/sys" ] && roots+=("${d%/}")
done
roots+=(fixtures/live-fc-6.18 /)

# Collect every root, run the binary's own round trips, and list what the
# python checker must look at: "S<TAB>R<TAB>live|tree" per line.
: >"$tmp/list"
i=0
for r in "${roots[@]}"; do
	i=$((i + 1))
	s=$tmp/$i.json
	"$BIN" collect --root "$r" -o "$s" 2>"$tmp/err"
	rc=$?
	if [ $rc -ne 0 ]; then
		bad "$r: collect exited $rc"
		sed 's/^/     /' "$tmp/err" | head -3
		continue
	fi
	ok
	if ! "$BIN" facts --snapshot "$s" --format json >"$tmp/$i.snap-facts" 2>"$tmp/err"; then
		bad "$r: facts --snapshot exited non-zero"
		sed 's/^/     /' "$tmp/err" | head -3
		continue
	fi
	"$BIN" facts --root "$r" --format json >"$tmp/$i.root-facts" 2>/dev/null ||
		bad "$r: facts --root exited non-zero"
	"$BIN" collect --snapshot "$s" -o "$tmp/$i.again.json" 2>/dev/null ||
		bad "$r: collect --snapshot exited non-zero"
	kind=tree
	[ "$r" = / ] && kind=live
	printf '%s\t%s\t%s\n' "$s" "$r" "$kind" >>"$tmp/list"
done

# The python checker prints "ok" or "FAIL ..." per check.
"$PY" - "$tmp/list" schema/snapshot.schema.json advisor/facts >"$tmp/py.out" 2>&1 <<'EOF'
import copy, glob, json, os, re, sys

import jsonschema

listing, schema_path, catalog_dir = sys.argv[1:4]
schema = json.load(open(schema_path, encoding="utf-8"))


def ok():
    print("ok")


def bad(msg):
    print("FAIL " + msg)


# --- the schema itself ------------------------------------------------------
try:
    jsonschema.Draft7Validator.check_schema(schema)
    ok()
except jsonschema.SchemaError as e:
    bad(f"{schema_path}: not a valid Draft 7 schema: {e.message}")
    sys.exit(0)
validator = jsonschema.Draft7Validator(schema)

# --- the schema's facts against the catalog ---------------------------------
TYPE = {"FACT_INT": "int", "FACT_FLOAT": "float", "FACT_STR": "str", "FACT_BOOL": "bool"}
JSON_OF = {"int": "integer", "float": "number", "str": "string", "bool": "boolean"}
named, families = {}, {}
for f in sorted(glob.glob(os.path.join(catalog_dir, "catalog_*.def"))):
    for m in re.finditer(r'^(FACT|FAMILY)\(\w+,\s*"([^"]+)",\s*(FACT_\w+)', open(f).read(), re.M):
        (named if m[1] == "FACT" else families)[m[2]] = TYPE[m[3]]
fs = schema["properties"]["facts"]
props, pats = fs.get("properties", {}), fs.get("patternProperties", {})


def schema_type(s):
    """The fact type a property schema stands for (int/float/str/bool)."""
    if "$ref" in s:
        return s["$ref"].rsplit("/", 1)[-1]
    if "enum" in s:
        kinds = {type(v) for v in s["enum"]}
        return "str" if kinds == {str} else "?"
    return {v: k for k, v in JSON_OF.items()}.get(s.get("type"), "?")


drift = []
for name, t in sorted(named.items()):
    if name not in props:
        drift.append(f'missing fact "{name}" (add "{name}": {{"$ref": "#/definitions/{t}"}})')
    elif schema_type(props[name]) != t:
        drift.append(f'"{name}" is {t} in the catalog, {schema_type(props[name])} in the schema')
for name in sorted(set(props) - set(named)):
    drift.append(f'"{name}" is not in the catalog any more')
pat_of = {}
for prefix, t in families.items():
    hits = [p for p in pats if re.match(p, prefix + "x")]
    if len(hits) != 1 or schema_type(pats[hits[0]]) != t:
        drift.append(f'family "{prefix}*" ({t}) has no matching patternProperties entry')
    # A named fact of another type must not also match its family's pattern.
    for name, nt in named.items():
        if name.startswith(prefix) and nt != t and any(re.match(p, name) for p in hits):
            drift.append(f'"{name}" ({nt}) also matches the "{prefix}*" family pattern ({t})')
if drift:
    for d in drift:
        bad(f"{schema_path} and the fact catalog drifted apart: {d}")
else:
    ok()


def errors_of(doc):
    return sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))


def show(e):
    return ("/".join(str(p) for p in e.absolute_path) or "(root)") + ": " + e.message[:200]


# --- the schema rejects what it must (not vacuous) ---------------------------
VOLATILE = re.compile(r"^(meminfo|vmstat|psi|reclaim|mem|memcg|buddy|numa|rate|proc|wmark)\.|^swap\.used_bytes$")
STATIC_ZONE = ("node", "zone", "spanned", "present")
rows = [l.rstrip("\n").split("\t") for l in open(listing) if l.strip()]
sample = None
for path, root, kind in rows:
    d = json.load(open(path))
    if d.get("zones") and d.get("node_stats") and "host.page_size" in d.get("facts", {}):
        sample = d
        break
if sample is None and rows:
    sample = json.load(open(rows[0][0]))
if sample is not None:
    def mutate(f):
        d = copy.deepcopy(sample)
        f(d)
        return d

    cases = {
        "wrong schema id": lambda d: d.__setitem__("schema", "reclaim-advisor/report"),
        "version 2": lambda d: d.__setitem__("version", 2),
        "no facts": lambda d: d.pop("facts"),
        "unknown top-level key": lambda d: d.__setitem__("extra", 1),
        "zone free as a string": lambda d: d["zones"][0].__setitem__("free", "12"),
        "zone min negative": lambda d: d["zones"][0].__setitem__("min", -1),
        "zone without a name": lambda d: d["zones"][0].pop("zone"),
        "zone node a float": lambda d: d["zones"][0].__setitem__("node", 0.5),
        "nine protection entries": lambda d: d["zones"][0].__setitem__("protection", [0] * 9),
        "unknown zone field": lambda d: d["zones"][0].__setitem__("wmark", 1),
        "counter as a float": lambda d: d["node_stats"][0]["counters"].__setitem__("nr_x", 1.5),
        "integer fact as a string": lambda d: d["facts"].__setitem__("host.page_size", "4096"),
        "float fact as a string": lambda d: d["facts"].__setitem__("reclaim.efficiency", "0.5"),
        "named sysctl as a string": lambda d: d["facts"].__setitem__("sysctl.vm.swappiness", "60"),
        "family sysctl as an integer": lambda d: d["facts"].__setitem__("sysctl.vm.foo", 1),
        "vmstat family as a float": lambda d: d["facts"].__setitem__("vmstat.foo", 1.5),
        "fact not in the catalog": lambda d: d["facts"].__setitem__("bogus.fact", 1),
        "absent reason not a string": lambda d: d["absent"].__setitem__("klog.oom_kills", 0),
        "swap.kind outside its enum": lambda d: d["facts"].__setitem__("swap.kind", "tape"),
        "inputs.page_size zero": lambda d: d["inputs"].__setitem__("page_size", 0),
        "warning not a string": lambda d: d["warnings"].append(3),
    }
    for what, f in cases.items():
        try:
            doc = mutate(f)
        except (IndexError, KeyError):
            continue  # the sample has no zones / node_stats
        if errors_of(doc):
            ok()
        else:
            bad(f"schema accepts a snapshot with {what}")

# --- every snapshot ------------------------------------------------------------
for path, root, kind in rows:
    text = open(path, encoding="utf-8").read()
    d = json.loads(text)
    errs = errors_of(d)
    if errs:
        for e in errs[:5]:
            bad(f"{root}: schema: {show(e)}")
    else:
        ok()
    facts, sources, absent = d.get("facts", {}), d.get("sources", {}), d.get("absent", {})
    inv = []
    if list(sources) != list(facts):
        inv.append("sources and facts have different keys")
    if set(facts) & set(absent):
        inv.append("present and absent: " + ", ".join(sorted(set(facts) & set(absent)))[:200])
    if list(facts) != sorted(facts) or list(absent) != sorted(absent):
        inv.append("facts or absent not in name order")
    if d.get("inputs", {}).get("root") != root:
        inv.append(f'inputs.root is {d.get("inputs", {}).get("root")!r}')
    for x in inv:
        bad(f"{root}: {x}")
    if not inv:
        ok()

    # round trip: facts from the snapshot == facts from the tree
    n = path[:-len(".json")]
    a_text = open(n + ".snap-facts").read()
    b_text = open(n + ".root-facts").read()
    if kind != "live":
        if a_text == b_text:
            ok()
        else:
            bad(f"{root}: facts --snapshot differs from facts --root")
    else:
        a, b = json.loads(a_text), json.loads(b_text)

        def shape(x):
            return {
                "facts": [(f["name"], f["unit"], f["source"], type(f["value"]).__name__,
                           None if VOLATILE.match(f["name"]) else f["value"]) for f in x["facts"]],
                "absent": x["absent"],
                "missing": x["missing"],
                "zones": [{k: z.get(k) for k in STATIC_ZONE} for z in x["zones"]],
            }

        sa, sb = shape(a), shape(b)
        if sa == sb:
            ok()
        else:
            for k in sa:
                if sa[k] != sb[k]:
                    diff = [p for p in zip(sa[k], sb[k]) if p[0] != p[1]][:2] if isinstance(sa[k], list) else "..."
                    bad(f"live host: facts --snapshot and facts --root differ in {k}: {diff}")

    # one zone object (D19): `facts --format json` lists the zones as the
    # snapshot records them (snapshot_zone_json), every field included
    if kind != "live":
        if json.loads(b_text)["zones"] == d.get("zones", []):
            ok()
        else:
            bad(f"{root}: facts --format json zones differ from the snapshot's zones")

    # fixed point: collect --snapshot S gives S back (bar inputs.root)
    again = n + ".again.json"
    if not os.path.exists(again):
        continue
    t2 = open(again, encoding="utf-8").read()
    t2 = t2.replace('"root": ' + json.dumps(path), '"root": ' + json.dumps(root), 1)
    if t2 == text:
        ok()
    else:
        la, lb = text.splitlines(), t2.splitlines()
        first = next((i for i, (x, y) in enumerate(zip(la, lb)) if x != y), min(len(la), len(lb)))
        bad(f"{root}: collect --snapshot S does not give S back (line {first + 1}: "
            f"{la[first] if first < len(la) else '<eof>'!r} vs {lb[first] if first < len(lb) else '<eof>'!r})")
EOF
rc=$?
[ $rc -eq 0 ] || bad "python checker exited $rc"
while IFS= read -r line; do
	case $line in
	ok) ok ;;
	FAIL*) echo "$line"; fail=$((fail + 1)) ;;
	*) echo "     $line" ;;
	esac
done <"$tmp/py.out"

echo "snapshot_schema: $pass passed, $fail failed (${#roots[@]} roots)"
[ "$fail" -eq 0 ]
