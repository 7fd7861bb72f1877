#!/bin/bash
# End-to-end tests of `rules check`, `rules list` and `explain` (issue 4):
# every load error printed as file:line:col with the source line and a caret
# and exit 78; a clean set gives 0 and a one-line summary; drop-ins from
# $RECLAIM_ADVISOR_SYSCONFDIR and --rules; profiles; explain on real captures.
#
# Run from the repository root with BIN=<absolute path of the binary>.
# Reads fixtures and tests/rules only; writes only to a temporary directory.
set -u
BIN=${BIN:?BIN must name the reclaim-advisor binary}
TMP=$(mktemp -d /tmp/rules-e2e.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
CENTOS=fixtures/captures/centos-stream9-5.14-x86_64-do-droplet
PROFI=fixtures/captures/lkml-2019-profihost-4.19-x86_64-16g-vm
# Never read this machine's /etc drop-ins or an installed rule set.
export RECLAIM_ADVISOR_SYSCONFDIR=$TMP/no-etc
export RECLAIM_ADVISOR_RULES_DIR=tests/rules/good

fail=0
pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
expect_rc() { if [ "$1" = "$2" ]; then ok; else bad "$3: exit $2, expected $1"; sed 's/^/    /' "$TMP/err" | head -20; fi; }
has() { if grep -qF -- "$2" "$1"; then ok; else bad "$3: '$2' not in $1"; sed 's/^/    /' "$1" | head -20; fi; }
hasnt() { if grep -qF -- "$2" "$1"; then bad "$3: '$2' in $1"; else ok; fi; }
run() { "$BIN" "$@" >"$TMP/out" 2>"$TMP/err"; }

# --- rules check: a clean set -----------------------------------------------
run rules check tests/rules/good
expect_rc 0 $? "check good"
has "$TMP/out" "rules check: ok: 12 rules (12 enabled) in 2 files, digest " "check good"
[ "$(wc -l <"$TMP/out")" = 1 ] && ok || bad "check good: summary is not one line"

# default search path: $RECLAIM_ADVISOR_RULES_DIR, then the drop-ins
run rules check
expect_rc 0 $? "check default path"
has "$TMP/out" "12 rules" "check default path"
RECLAIM_ADVISOR_SYSCONFDIR=tests/rules/sysconf run rules check
expect_rc 0 $? "check with site drop-ins"
has "$TMP/out" "12 rules (11 enabled) in 3 files" "check with site drop-ins"
has "$TMP/err" "50-site.ini:5: warning: [ghost-rule] switches a rule that is not loaded" "check with site drop-ins"

# the shipped rule set and its profiles load cleanly, without a warning
# (--strict: e.g. no rule reads the key it sets unless reads_current = yes)
if [ -d rules ]; then
	RECLAIM_ADVISOR_RULES_DIR=rules run rules check --strict
	expect_rc 0 $? "check shipped rules"
	has "$TMP/out" "rules check: ok: " "check shipped rules"
fi

# --- rules check: every error, then exit 78 -----------------------------------
run rules check tests/rules/errors
expect_rc 78 $? "check errors"
n=$(grep -c ': error: ' "$TMP/err")
[ "$n" -ge 23 ] && ok || bad "check errors: only $n errors printed"
has "$TMP/err" "tests/rules/errors/unknown-key.ini:4:1: error: unknown key 'bogus'" "unknown key"
has "$TMP/err" "tests/rules/errors/unknown-sysctl.ini:2:7: error: unknown sysctl 'vm.not_a_sysctl'" "unknown sysctl"
has "$TMP/err" "tests/rules/errors/missing-value.ini:1: error: rule [r1] sets vm.swappiness but has no value" "missing value"
has "$TMP/err" "tests/rules/errors/type-float.ini:3:9: error: vm.swappiness takes an integer, the value is a float" "type error"
has "$TMP/err" "tests/rules/errors/semicolon.ini:2:13: error: ';' is not allowed in expressions" "semicolon"
has "$TMP/err" "tests/rules/errors/bad-severity.ini:2:12: error: severity must be info, warning or critical" "severity"
# the expression error shows the whole source line and a caret under the name
grep -A2 -F "unknown-fact.ini:2:8: error:" "$TMP/err" >"$TMP/caret"
has "$TMP/caret" "  when = mem.no_such_fact > 1" "caret source line"
has "$TMP/caret" "         ^^^^^^^^^^^^^^^^" "caret"
has "$TMP/err" "rules check: " "summary on error"

# profile errors are rule-check errors too
run rules check tests/rules/cycle
expect_rc 78 $? "check cycle"
has "$TMP/err" "profile include cycle: " "check cycle"
run rules check tests/rules/badprof
expect_rc 78 $? "check bad profiles"
has "$TMP/err" "broken.ini:9: error: bounds of vm.min_free_kbytes are empty" "check bad profiles"
has "$TMP/err" "conflict.ini:3: error: vm.dirty_ratio and vm.dirty_bytes are mutually exclusive" "check bad profiles"

# a rules directory that does not exist
RECLAIM_ADVISOR_RULES_DIR=$TMP/none run rules check
expect_rc 78 $? "missing rules dir"

# warnings (a typo in a profile name, a selection matching nothing) do not
# fail the check unless --strict
mkdir -p "$TMP/warn/profiles"
printf '[r]\nwhy = x\nprofiles = databse\n' >"$TMP/warn/10-r.ini"
printf '[profile]\nrules = nomatch-*\n' >"$TMP/warn/profiles/narrow.ini"
run rules check "$TMP/warn"
expect_rc 0 $? "check warnings"
has "$TMP/err" "10-r.ini:1: warning: rule [r] is for profile 'databse', which no profile directory has" "check warnings"
has "$TMP/err" "narrow.ini:2:9: warning: 'nomatch-*' selects no rule" "check warnings"
run rules check --strict "$TMP/warn"
expect_rc 78 $? "check --strict"

# --- rules list ----------------------------------------------------------------
run rules list
expect_rc 0 $? "list general"
has "$TMP/out" "profile general: test general profile" "list general"
has "$TMP/out" "reserve-floor" "list general"
hasnt "$TMP/out" "swap-low" "list general (database-only rule)"
run rules list --profile olap --rules tests/rules/dropin
expect_rc 0 $? "list olap"
has "$TMP/out" "swap-low" "list olap"
has "$TMP/out" "(replaces tests/rules/good/10-reserve.ini:32)" "list olap drop-in"
has "$TMP/out" "pin    vm.swappiness = 1 (tests/rules/good/profiles/olap.ini:4)" "list olap pin"
has "$TMP/out" "bounds vm.min_free_kbytes >= 200000" "list olap bounds"
has "$TMP/out" "waive  vm.zone_reclaim_mode: NUMA placement is managed by the database" "list olap waiver"
RECLAIM_ADVISOR_SYSCONFDIR=tests/rules/sysconf run rules list
hasnt "$TMP/out" "no-swap" "list: disabled by a drop-in"
run rules list --profile nope
expect_rc 78 $? "list unknown profile"
run rules bogus
expect_rc 64 $? "unknown subcommand"

# --- explain -------------------------------------------------------------------
run explain wsf-gap --root $CENTOS
expect_rc 0 $? "explain rule"
has "$TMP/out" "rule wsf-gap (tests/rules/good/10-reserve.ini:37)" "explain rule"
has "$TMP/out" "mem.lowmem_managed_bytes             808910848 bytes" "explain rule facts"
has "$TMP/out" "fires and wins: vm.watermark_scale_factor = 10 (current 10, unchanged)" "explain rule outcome"
run explain reserve-floor --root $CENTOS
has "$TMP/out" "did not fire: when was false: mem.lowmem_managed_bytes > 1GiB (mem.lowmem_managed_bytes = 808910848)" "explain not fired"
run explain vm.min_free_kbytes --root $PROFI --profile database
expect_rc 0 $? "explain sysctl"
has "$TMP/out" "sysctl vm.min_free_kbytes" "explain sysctl"
has "$TMP/out" "current       164231" "explain sysctl current"
has "$TMP/out" "because: tie at priority 50: vm.min_free_kbytes takes the larger value" "explain sysctl tie"
has "$TMP/out" "vm.min_free_kbytes = 200000 by reserve-big" "explain sysctl decision"
run explain vm.dirty_ratio --root $CENTOS
has "$TMP/out" "none: vm.dirty_bytes wins the exclusive pair (dirty-bytes)" "explain exclusive pair"
run explain no-such-thing --root $CENTOS
expect_rc 64 $? "explain unknown"
run explain wsf-gap --root $TMP/no-such-root
expect_rc 66 $? "explain missing root"

# from a snapshot instead of a tree: the same answer
"$BIN" collect --root $CENTOS -o "$TMP/snap.json" 2>/dev/null
run explain wsf-gap --root $CENTOS
sed 1,/^facts/d "$TMP/out" >"$TMP/tree"
run explain wsf-gap --snapshot "$TMP/snap.json"
expect_rc 0 $? "explain --snapshot"
sed 1,/^facts/d "$TMP/out" >"$TMP/snap"
cmp -s "$TMP/tree" "$TMP/snap" && ok || bad "explain from a snapshot differs from the tree"

# deterministic
run explain vm.min_free_kbytes --root $PROFI
cp "$TMP/out" "$TMP/out1"
run explain vm.min_free_kbytes --root $PROFI
cmp -s "$TMP/out" "$TMP/out1" && ok || bad "explain is not deterministic"

echo "rules e2e: $pass passed, $fail failed"
[ "$fail" = 0 ]
