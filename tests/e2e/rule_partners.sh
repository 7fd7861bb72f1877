#!/bin/bash
# requires_rules end to end (rules/README.md, "Advice that is one setting"):
# the latency profile's pair under THP's floor - min_free_kbytes lowered
# (reserve-under-thp-floor) and the wider wsf for the same sum of high
# (kswapd-headroom-under-thp-floor) - is applied whole or not at all.  A site
# profile that includes latency and waives one of the two keys must get
# neither, with the reason in the report, in `recommend -v` and in `explain`.
# On the benchmark's real THP-always guest and its recorded history
# (fixtures/histories/6.1-thp-always-record2), and on a copy of its end tree
# with the latency advice applied and our fragment deployed (the pair kept
# without the history: the -kept rules).  Run from the repository root with
# BIN=<absolute path of the binary> (make e2e does).  Writes only under a
# temporary directory.
set -u
BIN=${BIN:?BIN must name the reclaim-advisor binary}
export RECLAIM_ADVISOR_RULES_DIR=rules
export RECLAIM_ADVISOR_TEMPLATE_DIR=templates
TMP=$(mktemp -d /tmp/rule-partners-e2e.XXXXXX)
export RECLAIM_ADVISOR_SYSCONFDIR=$TMP/sysconf   # no site drop-ins or profiles from /etc
mkdir -p "$RECLAIM_ADVISOR_SYSCONFDIR" "$TMP/site/profiles"
trap '[ -n "${KEEP:-}" ] || rm -rf "$TMP"' EXIT

fail=0
pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
H=fixtures/histories/6.1-thp-always-record2
SITE=$TMP/site

cat >"$SITE/profiles/latency-own-wsf.ini" <<'EOF'
[profile]
include = latency
description = latency, with watermark_scale_factor left to the site's own tuning
[waive]
vm.watermark_scale_factor = set by the site's tuning role
EOF
cat >"$SITE/profiles/latency-own-reserve.ini" <<'EOF'
[profile]
include = latency
description = latency, with min_free_kbytes left to the site's own tuning
[waive]
vm.min_free_kbytes = set by the site's tuning role
EOF

# key rule recommended changed (one line per decision), then skipped RULE KIND WHY
summary() {
	python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
for d in r["recommendations"]:
    print("decision", d["sysctl"], d["rule"], d["recommended"], d["changed"])
for s in r["skipped"]:
    print("skipped", s["rule"], s["kind"], s["why"])
' "$1"
}

# --- the latency profile itself: both, as the simulator evaluated them ----
"$BIN" recommend --root $H/end --history $H/history --profile latency --report "$TMP/lat.json" >/dev/null 2>&1
[ $? -eq 0 ] && ok || bad "latency: exit status"
summary "$TMP/lat.json" >"$TMP/lat.txt"
grep -q '^decision vm.min_free_kbytes reserve-under-thp-floor 8192 True$' "$TMP/lat.txt" && ok ||
	bad "latency: min_free_kbytes 8192 under the floor expected: $(grep '^decision' "$TMP/lat.txt")"
grep -q '^decision vm.watermark_scale_factor kswapd-headroom-under-thp-floor 629 True$' "$TMP/lat.txt" && ok ||
	bad "latency: wsf 629 expected: $(grep '^decision' "$TMP/lat.txt")"

# --- wsf waived: neither; min_free_kbytes stays at THP's floor -----------
"$BIN" recommend --root $H/end --history $H/history --rules "$SITE" --profile latency-own-wsf \
	-o "$TMP/own-wsf.conf" --report "$TMP/own-wsf.json" >/dev/null 2>&1
[ $? -eq 0 ] && ok || bad "waived wsf: exit status"
summary "$TMP/own-wsf.json" >"$TMP/own-wsf.txt"
grep -q '^decision vm.watermark_scale_factor' "$TMP/own-wsf.txt" && bad "waived wsf: a wsf decision" || ok
grep -q '^decision vm.min_free_kbytes reserve-keep 45056 False$' "$TMP/own-wsf.txt" && ok ||
	bad "waived wsf: min_free_kbytes must stay at THP's floor 45056: $(grep '^decision' "$TMP/own-wsf.txt")"
grep -q '^skipped kswapd-headroom-under-thp-floor waived ' "$TMP/own-wsf.txt" && ok || bad "waived wsf: the wsf rule is not waived"
grep -q '^skipped reserve-under-thp-floor partner_not_applied requires kswapd-headroom-under-thp-floor (requires_rules), which was waived: vm.watermark_scale_factor is waived by profile latency-own-wsf: set by the site.s tuning role - ' "$TMP/own-wsf.txt" && ok ||
	bad "waived wsf: the reserve rule's reason: $(grep 'skipped reserve-under-thp-floor ' "$TMP/own-wsf.txt")"
grep -q 'min_free_kbytes' "$TMP/own-wsf.conf" && bad "waived wsf: the fragment sets min_free_kbytes" || ok
# the same reason in the verbose text
"$BIN" recommend -v --root $H/end --history $H/history --rules "$SITE" --profile latency-own-wsf >"$TMP/own-wsf.out" 2>&1
tr -s ' \n' ' ' <"$TMP/own-wsf.out" | grep -q 'reserve-under-thp-floor: requires kswapd-headroom-under-thp-floor (requires_rules), which was waived' && ok ||
	bad "waived wsf: recommend -v does not say why reserve-under-thp-floor was dropped"

# --- min_free_kbytes waived: neither; wsf is the floor's 442 --------------
"$BIN" recommend --root $H/end --history $H/history --rules "$SITE" --profile latency-own-reserve \
	--report "$TMP/own-res.json" >/dev/null 2>&1
[ $? -eq 0 ] && ok || bad "waived reserve: exit status"
summary "$TMP/own-res.json" >"$TMP/own-res.txt"
grep -q '^decision vm.min_free_kbytes' "$TMP/own-res.txt" && bad "waived reserve: a min_free_kbytes decision" || ok
grep -q '^decision vm.watermark_scale_factor kswapd-headroom-thp-floor-limit 442 True$' "$TMP/own-res.txt" && ok ||
	bad "waived reserve: wsf must be the budget's 442 over the floor: $(grep '^decision' "$TMP/own-res.txt")"
grep -q '^skipped kswapd-headroom-under-thp-floor partner_not_applied requires reserve-under-thp-floor (requires_rules), which was waived' "$TMP/own-res.txt" && ok ||
	bad "waived reserve: the wsf rule's reason: $(grep 'skipped kswapd-headroom-under-thp-floor ' "$TMP/own-res.txt")"

# --- applied, our fragment deployed, no history: the -kept pair -----------
T=$TMP/applied
mkdir -p "$T"
cp -r $H/end/. "$T/"
mkdir -p "$T/etc/sysctl.d"
"$BIN" recommend --root "$T" --history $H/history --profile latency -o "$T/etc/sysctl.d/60-reclaim-advisor.conf" >/dev/null 2>&1
[ $? -eq 0 ] && ok || bad "applied: writing the fragment"
echo 8192 >"$T/proc/sys/vm/min_free_kbytes"
echo 629 >"$T/proc/sys/vm/watermark_scale_factor"
"$BIN" recommend --root "$T" --profile latency --report "$TMP/kept.json" >/dev/null 2>&1
summary "$TMP/kept.json" >"$TMP/kept.txt"
grep -q '^decision vm.min_free_kbytes reserve-under-thp-floor-kept 8192 False$' "$TMP/kept.txt" &&
	grep -q '^decision vm.watermark_scale_factor kswapd-headroom-under-thp-floor-kept 629 False$' "$TMP/kept.txt" && ok ||
	bad "applied: the fragment's pair is not kept without the history: $(grep '^decision' "$TMP/kept.txt")"
# Another profile on the applied tree: the pair is latency's fragment's, so
# it is taken back (rules/README.md, "Desired state"): the rules run on the
# host without it (THP's floor 45056 and wsf 10, the values our fragment
# replaced), which is where min_free_kbytes goes, and the reason says so.
# With wsf waived (latency-own-wsf) no rule decides wsf, and our 629 goes
# back to the 10 it replaced (fragment-taken-back: the value is ours, not
# the site's).
"$BIN" recommend --root "$T" --rules "$SITE" --profile latency-own-wsf --report "$TMP/kept-own.json" >/dev/null 2>&1
summary "$TMP/kept-own.json" >"$TMP/kept-own.txt"
grep -q '^decision vm.min_free_kbytes reserve-keep 45056 True$' "$TMP/kept-own.txt" && ok ||
	bad "applied, wsf waived: min_free_kbytes must go back to THP's floor: $(grep '^decision' "$TMP/kept-own.txt")"
grep -q '^decision vm.watermark_scale_factor fragment-taken-back 10 True$' "$TMP/kept-own.txt" && ok ||
	bad "applied, wsf waived: our wsf 629 must go back to 10: $(grep '^decision' "$TMP/kept-own.txt")"
python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
m = [d for d in r["recommendations"] if d["sysctl"] == "vm.min_free_kbytes"][0]
assert m["current"] == 8192 and "taken back from profile latency: our deployed fragment set 8192" in m["reason"], m
' "$TMP/kept-own.json" && ok || bad "applied, wsf waived: the reason does not say min_free_kbytes is taken back"
# the same tree under the general profile: back to the floor and to wsf 10
"$BIN" recommend --root "$T" --report "$TMP/kept-gen.json" >/dev/null 2>&1
summary "$TMP/kept-gen.json" >"$TMP/kept-gen.txt"
grep -q '^decision vm.min_free_kbytes reserve-keep 45056 True$' "$TMP/kept-gen.txt" && ok ||
	bad "applied, general profile: min_free_kbytes must go back to THP's floor: $(grep '^decision' "$TMP/kept-gen.txt")"
grep -q '^decision vm.watermark_scale_factor kswapd-headroom-from-rates 10 True$' "$TMP/kept-gen.txt" && ok ||
	bad "applied, general profile: wsf must go back to 10: $(grep '^decision' "$TMP/kept-gen.txt")"
# Our fragment installed but not applied, written for the site's own
# profile (latency-site: latency as it is, then wsf waived by a later edit
# of the site's profile): nothing of it is live, so nothing is taken back;
# its -kept pair is dropped with its waived partner and min_free_kbytes goes
# back to the floor (reserve-back-to-thp-floor).  Written for another
# profile (fixtures/derived/6.1-thp-always-latency-fragment: latency's,
# live 45056 and 10), its values are not this profile's to keep: no -kept
# rule reads them, and min_free_kbytes stays at the floor (reserve-keep).
LF=fixtures/derived/6.1-thp-always-latency-fragment
"$BIN" recommend --root $LF --rules "$SITE" --profile latency-own-wsf --report "$TMP/lf-own.json" >/dev/null 2>&1
summary "$TMP/lf-own.json" >"$TMP/lf-own.txt"
grep -q '^decision vm.min_free_kbytes reserve-keep 45056 False$' "$TMP/lf-own.txt" && ok ||
	bad "installed (latency's), wsf waived: min_free_kbytes must stay at THP's floor: $(grep '^decision' "$TMP/lf-own.txt")"
grep -q '^decision vm.watermark_scale_factor' "$TMP/lf-own.txt" && bad "installed (latency's), wsf waived: a wsf decision" || ok
T=$TMP/installed
mkdir -p "$T"
cp -r $H/end/. "$T/"
mkdir -p "$T/etc/sysctl.d"
printf '[profile]\ninclude = latency\ndescription = latency, as the site runs it\n' >"$SITE/profiles/latency-site.ini"
"$BIN" recommend --root "$T" --history $H/history --rules "$SITE" --profile latency-site \
	-o "$T/etc/sysctl.d/60-reclaim-advisor.conf" >/dev/null 2>&1
grep -q '^vm.watermark_scale_factor = 629$' "$T/etc/sysctl.d/60-reclaim-advisor.conf" && ok ||
	bad "installed: latency-site's fragment does not set wsf 629"
printf '[waive]\nvm.watermark_scale_factor = set by the site tuning role\n' >>"$SITE/profiles/latency-site.ini"
"$BIN" recommend --root "$T" --rules "$SITE" --profile latency-site --report "$TMP/lf-site.json" >/dev/null 2>&1
summary "$TMP/lf-site.json" >"$TMP/lf-site.txt"
grep -q '^decision vm.min_free_kbytes reserve-back-to-thp-floor 45056 False$' "$TMP/lf-site.txt" && ok ||
	bad "installed, wsf waived: min_free_kbytes must go back to THP's floor: $(grep '^decision' "$TMP/lf-site.txt")"
grep -q '^skipped reserve-under-thp-floor-kept partner_not_applied ' "$TMP/lf-site.txt" && ok ||
	bad "installed, wsf waived: reserve-under-thp-floor-kept not dropped for its partner"
"$BIN" explain reserve-under-thp-floor-kept --root "$T" --rules "$SITE" --profile latency-site >"$TMP/explain.out" 2>&1
tr -s ' \n' ' ' <"$TMP/explain.out" | grep -q 'dropped with its partner: requires kswapd-headroom-under-thp-floor-kept (requires_rules), which was waived' && ok ||
	bad "explain does not say why reserve-under-thp-floor-kept was dropped: $(cat "$TMP/explain.out")"

# --- a partner that does not exist: a load error at file:line -------------
mkdir -p "$TMP/broken"
printf '[kswapd-headroom-under-thp-floor]\nprofiles = latency\nset = vm.watermark_scale_factor\nvalue = 629\nrequires_rules = reserve-under-the-floor\nwhy = w\n' >"$TMP/broken/99-typo.ini"
"$BIN" recommend --root $H/end --rules "$TMP/broken" --profile latency >/dev/null 2>"$TMP/broken.err"
rc=$?
[ $rc -ne 0 ] && grep -q "$TMP/broken/99-typo.ini:5:.*requires_rules names 'reserve-under-the-floor', which is not in the rule set" "$TMP/broken.err" && ok ||
	bad "an unknown partner: rc $rc, $(cat "$TMP/broken.err")"

echo "rule_partners: $pass passed, $fail failed"
[ $fail -eq 0 ]
