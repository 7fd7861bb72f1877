#!/bin/bash
# End-to-end tests of administrators' explicit values (issue 13, item 4):
# a value another sysctl.d file sets, or a live non-default value no file
# sets, is kept and reported with what the advisor would choose; only
# --override (or the profile, or a rule that corrects it whoever set it)
# changes it.  A real QEMU capture (zram swap on 6.1, where swappiness-zram
# wants 180) is copied into a temporary root; the only edits are the
# administrator's file or live value each case names.  Run from the
# repository root with BIN=<absolute path of the binary> (make e2e does).
set -u
BIN=${BIN:?BIN must name the reclaim-advisor binary}
export RECLAIM_ADVISOR_RULES_DIR=rules
export RECLAIM_ADVISOR_TEMPLATE_DIR=templates
TMP=$(mktemp -d /tmp/administrator-e2e.XXXXXX)
export RECLAIM_ADVISOR_SYSCONFDIR=$TMP/sysconf # no site drop-ins
mkdir -p "$RECLAIM_ADVISOR_SYSCONFDIR"
trap 'rm -rf "$TMP"' EXIT

fail=0
pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
jq_py() { # FILE EXPR: a python expression on the JSON document `r`
	/usr/bin/python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}
dec() { # FILE KEY FIELD...: the decision's fields, space-separated
	local f=$1 k=$2
	shift 2
	/usr/bin/python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
x = [d for d in r["recommendations"] if d["sysctl"] == sys.argv[2]][0]
def get(p):
    v = x
    for part in p.split("."):
        v = v.get(part) if isinstance(v, dict) else None
    return v
print(" ".join(str(get(p)) for p in sys.argv[3:]))' "$f" "$k" "$@"
}

Z=fixtures/derived/qemu-6.1-512m-zram-direct-reclaim
FRAG=/etc/sysctl.d/60-reclaim-advisor.conf
fresh() { # NAME: a copy of the capture as a root
	rm -rf "${TMP:?}/$1"
	cp -a "$Z/after" "$TMP/$1"
	mkdir -p "$TMP/$1/etc/sysctl.d"
}
rec() { # ROOT ARGS...
	local root=$1
	shift
	"$BIN" recommend --root "$root" --baseline "$Z/before" "$@"
}

# 1. without an administrator's value, swappiness-zram writes 180
fresh plain
rec "$TMP/plain" --report "$TMP/plain.json" >/dev/null 2>&1
[ "$(dec "$TMP/plain.json" vm.swappiness recommended administrator)" = "180 None" ] && ok ||
	bad "no administrator: $(dec "$TMP/plain.json" vm.swappiness recommended administrator)"

# 2. an administrator's file sets 0: kept, reported, not written by us
fresh file
printf '# site policy\nvm.swappiness = 0\n' >"$TMP/file/etc/sysctl.d/99-site.conf"
rec "$TMP/file" -o "$TMP/file$FRAG" --report "$TMP/file.json" >"$TMP/file.txt" 2>"$TMP/file.err"
[ $? = 0 ] && ok || bad "file: exit $?"
[ "$(dec "$TMP/file.json" vm.swappiness recommended in_fragment administrator.source administrator.value administrator.kept administrator.advisor)" = \
	"0 False /etc/sysctl.d/99-site.conf:2 0 True 180" ] && ok ||
	bad "file: $(dec "$TMP/file.json" vm.swappiness recommended in_fragment administrator)"
grep -q 'swappiness' "$TMP/file$FRAG" && bad "file: our fragment writes the administrator's key" || ok
grep -q "an administrator's value (/etc/sysctl.d/99-site.conf:2) is kept; the advisor would choose 180" "$TMP/file.txt" &&
	ok || bad "file: the summary does not say it: $(cat "$TMP/file.txt")"
grep -q 'would be overridden at boot' "$TMP/file.err" && bad "file: shadow warning for a key we keep" || ok
/usr/bin/python3 tests/validate_report.py "$TMP/file.json" && ok || bad "file: schema"
# the advice is a fixpoint: asked again with our fragment in place, nothing changes
rec "$TMP/file" -o "$TMP/file$FRAG" --check >/dev/null 2>&1
[ $? = 0 ] && ok || bad "file: --check after writing is not up to date"

# 3. --override applies the advisor's value, says so, and the shadowing file is named
rec "$TMP/file" -o "$TMP/file$FRAG" --override vm.swappiness --report "$TMP/over.json" >"$TMP/over.txt" 2>"$TMP/over.err"
[ "$(dec "$TMP/over.json" vm.swappiness recommended in_fragment administrator.kept administrator.overridden_by)" = \
	"180 True False --override vm.swappiness" ] && ok ||
	bad "override: $(dec "$TMP/over.json" vm.swappiness recommended in_fragment administrator)"
grep -q '^vm.swappiness = 180$' "$TMP/file$FRAG" && ok || bad "override: 180 not in the fragment"
grep -q "vm.swappiness would be overridden at boot by /etc/sysctl.d/99-site.conf:2" "$TMP/over.err" && ok ||
	bad "override: no warning that the administrator's file still wins at boot"
grep -q "overrides an administrator's 0 (/etc/sysctl.d/99-site.conf:2): --override vm.swappiness" "$TMP/over.txt" &&
	ok || bad "override: the summary does not say it"
# our fragment now sets the key: it is ours, so the advice without the
# option is the same (a fixpoint; --check says up to date)
rec "$TMP/file" -o "$TMP/file$FRAG" --check >/dev/null 2>&1
[ $? = 0 ] && ok || bad "override: --check without --override after writing is not up to date"
# all, and the key without vm., are the same (a root without our fragment)
fresh file2
cp "$TMP/file/etc/sysctl.d/99-site.conf" "$TMP/file2/etc/sysctl.d/"
rec "$TMP/file2" --override all --format json >"$TMP/all.json" 2>/dev/null
[ "$(dec "$TMP/all.json" vm.swappiness recommended administrator.overridden_by)" = "180 --override all" ] && ok ||
	bad "--override all: $(dec "$TMP/all.json" vm.swappiness recommended administrator)"
rec "$TMP/file2" --override page-cluster,swappiness --format json >"$TMP/two.json" 2>/dev/null
[ "$(dec "$TMP/two.json" vm.swappiness recommended)" = 180 ] && ok || bad "--override page-cluster,swappiness"

# 4. a live value no file sets (sysctl -w by hand): kept, source says so
fresh live
chmod u+w "$TMP/live/proc/sys/vm/swappiness"
printf '0\n' >"$TMP/live/proc/sys/vm/swappiness"
rec "$TMP/live" --format json >"$TMP/live.json" 2>/dev/null
[ "$(dec "$TMP/live.json" vm.swappiness recommended changed administrator.kept administrator.advisor)" = "0 False True 180" ] &&
	ok || bad "live: $(dec "$TMP/live.json" vm.swappiness recommended changed administrator)"
[ "$(dec "$TMP/live.json" vm.swappiness administrator.source)" = "the live value; no sysctl.d file sets it" ] && ok ||
	bad "live source: $(dec "$TMP/live.json" vm.swappiness administrator.source)"

# 5. a profile's pin overrides it and says so
mkdir -p "$TMP/prof/profiles"
printf '[profile]\ninclude = general\n[pin]\nvm.swappiness = 150\n' >"$TMP/prof/profiles/site.ini"
rec "$TMP/file2" --rules "$TMP/prof" --profile site --format json >"$TMP/pin.json" 2>/dev/null
[ "$(dec "$TMP/pin.json" vm.swappiness recommended administrator.overridden_by)" = "150 profile site pins it" ] && ok ||
	bad "pin: $(dec "$TMP/pin.json" vm.swappiness recommended administrator)"

# 6. bad --override: usage error naming the key, nothing written
rec "$TMP/file2" --override vm.nonesuch -o "$TMP/none.conf" >/dev/null 2>"$TMP/bad.err"
rc=$?
[ $rc = 64 ] && ok || bad "--override vm.nonesuch: exit $rc"
grep -q "'vm.nonesuch' is not a sysctl" "$TMP/bad.err" && ok || bad "--override error: $(cat "$TMP/bad.err")"
[ -e "$TMP/none.conf" ] && bad "--override error wrote a fragment" || ok

echo "administrator e2e: $pass passed, $fail failed"
[ $fail = 0 ]
