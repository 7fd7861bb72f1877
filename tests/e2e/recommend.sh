#!/bin/bash
# End-to-end tests of `reclaim-advisor recommend` (issue 5).
#
# Run from the repository root with BIN=<absolute path of the binary>
# (make e2e does).  UPDATE_GOLDEN=1 rewrites tests/golden/recommend/.
# Uses the small rule set in tests/rules-recommend (not the shipped rules).
# Mount-based cases (read-only directory, full disk, --apply in a
# read-only /proc/sys) need root and are skipped otherwise.  Nothing
# outside temporary directories is written; /proc/sys is never touched
# (every --apply runs under a temporary --root).
set -u
BIN=${BIN:?BIN must name the reclaim-advisor binary}
export RECLAIM_ADVISOR_RULES_DIR=tests/rules-recommend
export RECLAIM_ADVISOR_TEMPLATE_DIR=templates    # not an installed copy
TMP=$(mktemp -d /tmp/recommend-e2e.XXXXXX)
export RECLAIM_ADVISOR_SYSCONFDIR=$TMP/sysconf   # no site drop-ins
mkdir -p "$RECLAIM_ADVISOR_SYSCONFDIR"
MOUNTS=()
cleanup() {
	for m in "${MOUNTS[@]}"; do umount "$m" 2>/dev/null; done
	rm -rf "$TMP"
}
trap cleanup EXIT

fail=0
pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
expect_rc() { # expected actual what
	if [ "$1" = "$2" ]; then ok; else bad "$3: exit $2, expected $1"; fi
}
validate() {
	if /usr/bin/python3 tests/validate_report.py "$1"; then ok; else bad "schema: $1"; fi
}
jq_py() { # FILE EXPR: evaluate a python expression on the JSON document `r`
	/usr/bin/python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}
rec() { "$BIN" recommend --page-size 4096 "$@"; }

CASES="lkml-2019-profihost-4.19-x86_64-16g-vm
ubuntu14.04-3.13-x86_64-8g-swap-allocstall
centos-stream9-5.14-x86_64-do-droplet
pcp-qa-007-x86_64-8g-2node-5.14ish"

# --- golden fragment and report per capture, determinism, --check ---------
for c in $CASES; do
	root=fixtures/captures/$c
	g=tests/golden/recommend/$c
	out=$TMP/$c
	mkdir -p "$out"
	frag=$out/60-reclaim-advisor.conf
	rec --root "$root" -o "$frag" --report "$out/report.json" >"$out/summary.txt" 2>"$out/stderr"
	expect_rc 0 $? "$c: recommend -o"
	if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
		mkdir -p "$g"
		cp "$frag" "$g/fragment.conf"
		cp "$out/report.json" "$g/report.json"
	fi
	diff -u "$g/fragment.conf" "$frag" && ok || bad "$c: fragment differs from golden"
	diff -u "$g/report.json" "$out/report.json" && ok || bad "$c: report differs from golden"
	validate "$out/report.json"
	# --format json prints the same document.
	rec --root "$root" -o "$frag" --format json >"$out/stdout.json" 2>/dev/null
	cmp -s "$out/stdout.json" "$out/report.json" && ok || bad "$c: --format json differs from --report"
	# A second run: byte-identical, and the file is not even rewritten.
	ino=$(stat -c %i "$frag")
	cp "$frag" "$out/first.conf"
	cp "$out/report.json" "$out/first.json"
	rec --root "$root" -o "$frag" --report "$out/report.json" >/dev/null 2>&1
	cmp -s "$frag" "$out/first.conf" && ok || bad "$c: second fragment differs"
	cmp -s "$out/report.json" "$out/first.json" && ok || bad "$c: second report differs"
	[ "$(stat -c %i "$frag")" = "$ino" ] && ok || bad "$c: unchanged fragment was rewritten"
	[ "$(stat -c %a "$frag")" = 644 ] && ok || bad "$c: mode is not 0644"
	# --check: 0 when up to date, 2 when it would change or is absent.
	rec --root "$root" -o "$frag" --check >/dev/null 2>&1
	expect_rc 0 $? "$c: --check up to date"
	echo "vm.swappiness = 1" >>"$frag"
	rec --root "$root" -o "$frag" --check >/dev/null 2>&1
	expect_rc 2 $? "$c: --check changed"
	rec --root "$root" -o "$frag" --check --diff >"$out/diff" 2>/dev/null
	expect_rc 2 $? "$c: --check --diff"
	grep -q '^-vm.swappiness = 1$' "$out/diff" && ok || bad "$c: --diff does not show the removed line"
	cmp -s <(head -n -1 "$frag") "$out/first.conf" && ok || bad "$c: --check wrote the file"
	# --diff alone (the README's review step) is --check with the diff: 2, and never writes
	rec --root "$root" -o "$frag" --diff >"$out/diff" 2>/dev/null
	expect_rc 2 $? "$c: --diff changed"
	grep -q '^-vm.swappiness = 1$' "$out/diff" && ok || bad "$c: --diff alone does not show the removed line"
	cmp -s <(head -n -1 "$frag") "$out/first.conf" && ok || bad "$c: --diff wrote the file"
	rm -f "$frag"
	rec --root "$root" -o "$frag" --diff >"$out/diff" 2>/dev/null
	expect_rc 2 $? "$c: --diff absent"
	[ ! -e "$frag" ] && ok || bad "$c: --diff created the file"
	rec --root "$root" -o "$frag" --check >/dev/null 2>&1
	expect_rc 2 $? "$c: --check absent"
	[ ! -e "$frag" ] && ok || bad "$c: --check created the file"
	# procps accepts the fragment and lists every key (--dry-run: procps-ng 4.0.2 has it).
	keys=$(grep -c '^[a-z]' "$g/fragment.conf")
	sysctl --dry-run -p "$g/fragment.conf" >"$out/dry" 2>&1
	expect_rc 0 $? "$c: sysctl --dry-run -p"
	[ "$(grep -c ' = ' "$out/dry")" = "$keys" ] && ok || bad "$c: sysctl --dry-run lists $(grep -c ' = ' "$out/dry") of $keys keys"
	for k in $(grep '^[a-z]' "$g/fragment.conf" | cut -d' ' -f1); do
		grep -q "^$k = " "$out/dry" && ok || bad "$c: sysctl --dry-run did not list $k"
	done
done

# --- every capture with the shipped rules: exit 0, valid report, procps
# accepts the fragment, a second run is byte-identical (not golden: the
# shipped rules change) -----------------------------------------------------
if [ -d rules ]; then
	mkdir -p "$TMP/sweep"
	reports=()
	for c in fixtures/captures/*/; do
		n=$(basename "$c")
		RECLAIM_ADVISOR_RULES_DIR=rules "$BIN" recommend --root "$c" -o "$TMP/sweep/$n.conf" \
			--report "$TMP/sweep/$n.json" >/dev/null 2>"$TMP/sweep/$n.err"
		rc=$?
		# A folder of excerpts (trees one level down) is not a tree: input missing.
		if [ ! -e "$c/proc" ] && [ ! -e "$c/sys" ]; then
			[ $rc = 66 ] && [ ! -e "$TMP/sweep/$n.conf" ] && ok || bad "$n (not a tree): exit $rc, expected 66"
			continue
		fi
		if [ $rc != 0 ]; then bad "shipped rules on $n: exit $rc: $(tail -1 "$TMP/sweep/$n.err")"; continue; fi
		reports+=("$TMP/sweep/$n.json")
		sysctl --dry-run -p "$TMP/sweep/$n.conf" >/dev/null 2>&1 && ok || bad "procps rejects the fragment of $n"
		cp "$TMP/sweep/$n.conf" "$TMP/sweep/$n.conf.1"
		cp "$TMP/sweep/$n.json" "$TMP/sweep/$n.json.1"
		RECLAIM_ADVISOR_RULES_DIR=rules "$BIN" recommend --root "$c" -o "$TMP/sweep/$n.conf" \
			--report "$TMP/sweep/$n.json" >/dev/null 2>&1
		cmp -s "$TMP/sweep/$n.conf" "$TMP/sweep/$n.conf.1" && cmp -s "$TMP/sweep/$n.json" "$TMP/sweep/$n.json.1" \
			&& ok || bad "shipped rules on $n: second run differs"
	done
	[ ${#reports[@]} -gt 0 ] && { /usr/bin/python3 tests/validate_report.py "${reports[@]}" && ok || bad "sweep: invalid reports"; }
fi

C=fixtures/captures/lkml-2019-profihost-4.19-x86_64-16g-vm
G=tests/golden/recommend/lkml-2019-profihost-4.19-x86_64-16g-vm

# --- host identity: the hostname beside host.id (etc/hostname of the tree) --
mkdir -p "$TMP/named" && cp -r "$C/." "$TMP/named/" && mkdir -p "$TMP/named/etc"
printf 'db-7\n' >"$TMP/named/etc/hostname"
rec --root "$TMP/named" --report "$TMP/named.json" >/dev/null 2>&1
expect_rc 0 $? "recommend on a named tree"
[ "$(jq_py "$TMP/named.json" 'r["host"]["hostname"]')" = "db-7" ] && ok || bad "report: hostname $(jq_py "$TMP/named.json" 'r["host"]')"
# no machine-id: the host's name is its id, never the tree's directory name
[ "$(jq_py "$TMP/named.json" 'r["host"]["id"]')" = "db-7" ] && ok || bad "report: id from the hostname $(jq_py "$TMP/named.json" 'r["host"]')"

# --- from a snapshot: the same fragment; no precedence; no --apply --------
"$BIN" collect --root "$C" --page-size 4096 -o "$TMP/snap.json" 2>/dev/null
expect_rc 0 $? "collect"
"$BIN" recommend --snapshot "$TMP/snap.json" -o "$TMP/snap.conf" --report "$TMP/snap.json.report" >/dev/null 2>&1
expect_rc 0 $? "recommend --snapshot"
cmp -s "$TMP/snap.conf" "$G/fragment.conf" && ok || bad "snapshot fragment differs from the tree's"
validate "$TMP/snap.json.report"
[ "$(jq_py "$TMP/snap.json.report" 'r["fragment"]["path"]')" = /etc/sysctl.d/snap.conf ] && ok || bad "snapshot fragment path"
"$BIN" recommend --snapshot "$TMP/snap.json" -o "$TMP/snap.conf" --apply >/dev/null 2>&1
expect_rc 64 $? "--apply with --snapshot"

# --- no output options: a summary, nothing written ------------------------
mkdir -p "$TMP/quiet" && cp -r "$C/." "$TMP/quiet/"
before=$(find "$TMP/quiet" -printf '%p %s %T@\n' | sort)
rec --root "$TMP/quiet" >"$TMP/summary.txt" 2>/dev/null
expect_rc 0 $? "summary"
[ "$(find "$TMP/quiet" -printf '%p %s %T@\n' | sort)" = "$before" ] && ok || bad "summary wrote into the root"
grep -q 'vm.watermark_scale_factor: 10 -> 150' "$TMP/summary.txt" && ok || bad "summary lacks the wsf change"
grep -q 'kswapd buffer in node 0 Normal: 33 MiB -> 196 MiB' "$TMP/summary.txt" && ok || bad "summary lacks the plain-unit change"
grep -q '^Rules that did not apply' "$TMP/summary.txt" && bad "skipped rules without --verbose" || ok
rec --root "$TMP/quiet" --verbose >"$TMP/verbose.txt" 2>/dev/null
grep -q '^Rules that did not apply ([0-9]*):' "$TMP/verbose.txt" && ok || bad "--verbose lacks the skipped rules"
grep -q '^Next: rerun with -o ' "$TMP/summary.txt" && ok || bad "summary lacks the closing line: $(tail -1 "$TMP/summary.txt")"

# --- --rules DIR: a site drop-in switches a rule off ----------------------
mkdir -p "$TMP/site"
printf '[headroom-wsf]\nenabled = no\n' >"$TMP/site/50-site.ini"
rec --root "$C" --rules "$TMP/site" -o "$TMP/site.conf" --report "$TMP/site.json" >/dev/null 2>&1
expect_rc 0 $? "--rules"
grep -q '^vm.watermark_scale_factor = 50$' "$TMP/site.conf" && ok || bad "--rules: the drop-in did not apply"
[ "$(jq_py "$TMP/site.json" 'r["ruleset"]["digest"]')" != \
  "$(jq_py "$G/report.json" 'r["ruleset"]["digest"]')" ] && ok || bad "--rules: digest unchanged"
printf '[broken\n' >"$TMP/site/60-broken.ini"
rec --root "$C" --rules "$TMP/site" >/dev/null 2>"$TMP/site.err"
expect_rc 78 $? "--rules with a broken file"

# --- --profile: a pin and a bound (tests/rules-recommend/profiles) --------
rec --root "$C" --profile pinned --report "$TMP/pinned.json" -o "$TMP/pinned.conf" >/dev/null 2>&1
expect_rc 0 $? "--profile"
validate "$TMP/pinned.json"
[ "$(jq_py "$TMP/pinned.json" '[(x["sysctl"], x["recommended"], x.get("pinned_by"), x["clamped"]) for x in r["recommendations"] if x["sysctl"] in ("vm.swappiness", "vm.min_free_kbytes")]')" = \
  "[('vm.min_free_kbytes', 100000, None, True), ('vm.swappiness', 1, 'pinned', False)]" ] && ok || bad "--profile: pin or bound missing"
grep -q '^vm.swappiness = 1$' "$TMP/pinned.conf" && ok || bad "--profile: pinned value not in the fragment"
grep -q 'profile pinned;' "$TMP/pinned.conf" && ok || bad "--profile: header lacks the profile"
rec --root "$C" --profile no-such-profile >/dev/null 2>&1
expect_rc 78 $? "unknown profile"

# --- a foreign file is refused; --force overwrites it ---------------------
mkdir -p "$TMP/foreign"
printf 'vm.swappiness = 1\n' >"$TMP/foreign/60-reclaim-advisor.conf"
rec --root "$C" -o "$TMP/foreign/60-reclaim-advisor.conf" >/dev/null 2>"$TMP/foreign/err"
expect_rc 73 $? "foreign file"
[ "$(cat "$TMP/foreign/60-reclaim-advisor.conf")" = "vm.swappiness = 1" ] && ok || bad "foreign file was modified"
grep -q 'use --force' "$TMP/foreign/err" && ok || bad "foreign file: no hint"
rec --root "$C" -o "$TMP/foreign/60-reclaim-advisor.conf" --force >/dev/null 2>&1
expect_rc 0 $? "--force"
cmp -s "$TMP/foreign/60-reclaim-advisor.conf" tests/golden/recommend/lkml-2019-profihost-4.19-x86_64-16g-vm/fragment.conf \
	&& ok || bad "--force did not write the fragment"

# --- template errors name template:line:col --------------------------------
mkdir -p "$TMP/tmpl"
cp templates/fragment-header.tmpl "$TMP/tmpl/"
printf '# {{rule}}\n{{sysctl}} = {{valeu}}\n' >"$TMP/tmpl/fragment-entry.tmpl"
rec --root "$C" -o "$TMP/tmpl/out.conf" --template "$TMP/tmpl" >/dev/null 2>"$TMP/tmpl/err"
expect_rc 78 $? "unknown hole"
grep -q "fragment-entry.tmpl:2:14: error: unknown hole 'valeu'" "$TMP/tmpl/err" && ok || bad "unknown hole: $(cat "$TMP/tmpl/err")"
[ ! -e "$TMP/tmpl/out.conf" ] && ok || bad "unknown hole: a fragment was written"
printf '# my header\n' >"$TMP/tmpl/fragment-header.tmpl"
cp templates/fragment-entry.tmpl "$TMP/tmpl/"
rec --root "$C" -o "$TMP/tmpl/out.conf" --template "$TMP/tmpl" >/dev/null 2>"$TMP/tmpl/err"
expect_rc 78 $? "header without marker"

# --- precedence: a later-sorting file and /etc/sysctl.conf ----------------
P=$TMP/prec
mkdir -p "$P" && cp -r "$C/." "$P/"
mkdir -p "$P/etc/sysctl.d" "$P/usr/lib/sysctl.d"
printf 'vm.watermark_scale_factor = 20\n' >"$P/etc/sysctl.d/90-late.conf"
printf '# distribution default\nvm.min_free_kbytes = 100000\n' >"$P/usr/lib/sysctl.d/50-default.conf"
printf '# local\nvm.min_free_kbytes = 120000\n' >"$P/etc/sysctl.conf"
sums=$(md5sum "$P/etc/sysctl.d/90-late.conf" "$P/etc/sysctl.conf" "$P/usr/lib/sysctl.d/50-default.conf")
# These files are administrators' explicit values, which the advice keeps
# unless told (tests/e2e/administrator.sh): --override all writes ours, so
# that what shadows our fragment at boot can be checked.
rec --root "$P" -o "$P/etc/sysctl.d/60-reclaim-advisor.conf" --override all --report "$TMP/prec.json" >"$TMP/prec.txt" 2>"$TMP/prec.err"
expect_rc 0 $? "precedence run"
validate "$TMP/prec.json"
[ "$(md5sum "$P/etc/sysctl.d/90-late.conf" "$P/etc/sysctl.conf" "$P/usr/lib/sysctl.d/50-default.conf")" = "$sums" ] \
	&& ok || bad "precedence: another file was edited"
r() { jq_py "$TMP/prec.json" "$1"; }
W='[x for x in r["recommendations"] if x["sysctl"]=="vm.watermark_scale_factor"][0]["precedence"]'
M='[x for x in r["recommendations"] if x["sysctl"]=="vm.min_free_kbytes"][0]["precedence"]'
[ "$(r "$W[\"systemd\"][\"file\"]")" = /etc/sysctl.d/90-late.conf ] && ok || bad "wsf: systemd winner $(r "$W")"
[ "$(r "$W[\"procps\"][\"file\"]")" = /etc/sysctl.d/90-late.conf ] && ok || bad "wsf: procps winner $(r "$W")"
[ "$(r "$W[\"shadowed\"]")" = True ] && ok || bad "wsf: not shadowed"
[ "$(r "$M[\"systemd\"][\"file\"]")" = /etc/sysctl.d/60-reclaim-advisor.conf ] && ok || bad "mfk: systemd winner $(r "$M")"
[ "$(r "$M[\"procps\"][\"file\"]")" = /etc/sysctl.conf ] && ok || bad "mfk: procps winner $(r "$M")"
[ "$(r "$M[\"procps\"][\"line\"]")" = 2 ] && ok || bad "mfk: procps line"
[ "$(r "$M[\"shadowed\"]")" = True ] && ok || bad "mfk: not shadowed by /etc/sysctl.conf"
grep -q 'vm.watermark_scale_factor would be overridden at boot by /etc/sysctl.d/90-late.conf:1' "$TMP/prec.err" \
	&& ok || bad "no shadow warning: $(cat "$TMP/prec.err")"
grep -q 'warning: vm.min_free_kbytes in the fragment is shadowed by /etc/sysctl.conf:2' "$TMP/prec.txt" && ok || bad "summary lacks the shadow warning"
D='[x for x in r["recommendations"] if x["sysctl"]=="vm.dirty_background_bytes"][0]["precedence"]'
[ "$(r "$D[\"shadowed\"]")" = False ] && ok || bad "dirty_background_bytes shadowed"

# Debian's /etc/sysctl.d/99-sysctl.conf -> ../sysctl.conf: systemd-sysctl then
# reads /etc/sysctl.conf too, as a file sorting after ours; a same-named file
# in a later directory is masked by ours.
ln -s ../sysctl.conf "$P/etc/sysctl.d/99-sysctl.conf"
printf 'vm.dirty_background_bytes = 1\n' >"$P/usr/lib/sysctl.d/60-reclaim-advisor.conf"
rec --root "$P" -o "$P/etc/sysctl.d/60-reclaim-advisor.conf" --override all --report "$TMP/prec2.json" >/dev/null 2>&1
expect_rc 0 $? "precedence with the Debian symlink"
r() { jq_py "$TMP/prec2.json" "$1"; }
[ "$(r "$M[\"systemd\"][\"file\"]")" = /etc/sysctl.d/99-sysctl.conf ] && ok || bad "symlink: systemd winner $(r "$M")"
[ "$(r "$M[\"shadowed\"]")" = True ] && ok || bad "symlink: mfk not shadowed"
[ "$(r "$D[\"systemd\"][\"file\"]")" = /etc/sysctl.d/60-reclaim-advisor.conf ] && ok || bad "masked same-named file won: $(r "$D")"
[ "$(r "$D[\"shadowed\"]")" = False ] && ok || bad "masked same-named file shadows"
# ... and a same-named file in an earlier directory masks the whole fragment.
mkdir -p "$P/usr/local/lib/sysctl.d"
rm "$P/usr/lib/sysctl.d/60-reclaim-advisor.conf" "$P/etc/sysctl.d/60-reclaim-advisor.conf"
printf '# site\n' >"$P/etc/sysctl.d/60-reclaim-advisor.conf"
rec --root "$P" -o "$P/usr/local/lib/sysctl.d/60-reclaim-advisor.conf" --report "$TMP/prec3.json" >/dev/null 2>"$TMP/prec3.err"
expect_rc 0 $? "precedence masked"
grep -q 'masked by /etc/sysctl.d/60-reclaim-advisor.conf' "$TMP/prec3.err" && ok || bad "no masking warning: $(cat "$TMP/prec3.err")"
[ "$(jq_py "$TMP/prec3.json" "$D[\"shadowed_by\"]")" = /etc/sysctl.d/60-reclaim-advisor.conf ] && ok || bad "masked: shadowed_by"

# --- --apply under a temporary root tree ----------------------------------
A=$TMP/apply
mkdir -p "$A" && cp -r "$C/." "$A/"
printf '0\n' >"$A/proc/sys/vm/dirty_background_bytes"
mkdir -p "$A/etc/sysctl.d"
rec --root "$A" -o "$A/etc/sysctl.d/60-reclaim-advisor.conf" --apply --report "$TMP/apply.json" >"$TMP/apply.txt" 2>&1
expect_rc 0 $? "--apply"
validate "$TMP/apply.json"
[ "$(head -1 "$A/proc/sys/vm/watermark_scale_factor")" = 150 ] && ok || bad "--apply: wsf not written"
[ "$(head -1 "$A/proc/sys/vm/dirty_background_bytes")" = 67108864 ] && ok || bad "--apply: dirty_background_bytes not written"
[ "$(jq_py "$TMP/apply.json" '[(a["sysctl"],a["previous"],a["written"],a["result"]) for a in r["apply"]]')" = \
  "[('vm.dirty_background_bytes', '0', '67108864', 'applied'), ('vm.min_free_kbytes', '164231', '164231', 'applied'), ('vm.watermark_scale_factor', '10', '150', 'applied')]" ] \
	&& ok || bad "--apply report: $(jq_py "$TMP/apply.json" 'r["apply"]')"
[ -f "$A/etc/sysctl.d/60-reclaim-advisor.conf" ] && ok || bad "--apply: no fragment"
# Idempotent after --apply: the live values now equal the recommendation, so
# a fresh rendering differs only in its "was N" comments and reasons.  Up to
# date means the same assignments from the same rule set and profile: not
# rewritten, --check 0, --diff empty.
AF=$A/etc/sysctl.d/60-reclaim-advisor.conf
cp "$AF" "$TMP/apply.conf"
before=$(stat -c '%i %Y.%y' "$AF")
sleep 1.1   # an mtime of a rewrite would differ
rec --root "$A" -o "$AF" >"$TMP/apply2.txt" 2>&1
expect_rc 0 $? "after --apply: recommend -o"
[ "$(stat -c '%i %Y.%y' "$AF")" = "$before" ] && cmp -s "$AF" "$TMP/apply.conf" && ok || bad "after --apply: fragment rewritten"
grep -q '^Up to date, not rewritten: .*its comments kept' "$TMP/apply2.txt" && ok || bad "after --apply: summary: $(tail -1 "$TMP/apply2.txt")"
grep -q 'vm.watermark_scale_factor: .*, was 10,' "$AF" && ok || bad "after --apply: the comment lost the replaced value"
rec --root "$A" -o "$AF" --check >/dev/null 2>&1
expect_rc 0 $? "after --apply: --check"
rec --root "$A" -o "$AF" --diff >"$TMP/apply.diff" 2>&1
expect_rc 0 $? "after --apply: --diff"
[ ! -s "$TMP/apply.diff" ] && ok || bad "after --apply: --diff printed $(head -3 "$TMP/apply.diff")"
rec --root "$A" -o "$AF" --apply --report "$TMP/apply3.json" >/dev/null 2>&1
expect_rc 0 $? "after --apply: --apply again"
[ "$(stat -c '%i %Y.%y' "$AF")" = "$before" ] && ok || bad "after --apply: second --apply rewrote the fragment"
# Anything else is a change: a value (a --rules drop-in), the rule set alone
# (same values, other rule text), the profile, a key.
mkdir -p "$TMP/idem"
sed -n '/^\[headroom-wsf\]/,/^ref/p' "$RECLAIM_ADVISOR_RULES_DIR/10-recommend.ini" >"$TMP/idem/wsf.ini"
sed 's/^value    = 150$/value    = 140/' "$TMP/idem/wsf.ini" >"$TMP/idem/50-value.ini"
grep -q '^value    = 140$' "$TMP/idem/50-value.ini" && ok || bad "idem: drop-in not built"
mkdir -p "$TMP/idem/value" "$TMP/idem/text"
mv "$TMP/idem/50-value.ini" "$TMP/idem/value/"
sed 's/^description = Widen/description = Do widen/' "$TMP/idem/wsf.ini" >"$TMP/idem/text/50-text.ini"
rec --root "$A" -o "$AF" --rules "$TMP/idem/value" --check --diff >"$TMP/idem/value.diff" 2>/dev/null
expect_rc 2 $? "after --apply: a changed value"
grep -q '^+vm.watermark_scale_factor = 140$' "$TMP/idem/value.diff" && ok || bad "changed value: diff $(cat "$TMP/idem/value.diff")"
rec --root "$A" -o "$AF" --rules "$TMP/idem/text" --check >/dev/null 2>&1
expect_rc 2 $? "after --apply: same values from another rule set"
rec --root "$A" -o "$AF" --profile pinned --check >/dev/null 2>&1
expect_rc 2 $? "after --apply: another profile"
cp "$AF" "$TMP/idem/frag" && printf 'vm.swappiness = 1\n' >>"$AF"
rec --root "$A" -o "$AF" --check >/dev/null 2>&1
expect_rc 2 $? "after --apply: a key added by hand"
cp "$TMP/idem/frag" "$AF"
rec --root "$A" -o "$AF" --rules "$TMP/idem/value" >/dev/null 2>&1
expect_rc 0 $? "after --apply: rewrite with the new value"
grep -q '^vm.watermark_scale_factor = 140$' "$AF" && ok || bad "the new value was not written"
# --apply needs -o, refuses a snapshot
rec --root "$A" --apply >/dev/null 2>&1
expect_rc 64 $? "--apply without -o"

# --- host.id: derived as audit derives it, so fleet matches both reports ---
H=$TMP/hostid
mkdir -p "$H/web-17" && cp -r "$C/." "$H/web-17/" && mkdir -p "$H/web-17/etc" "$H/reports"
rec --root "$H/web-17" --report "$H/reports/rec-name.json" >/dev/null 2>&1
expect_rc 0 $? "host.id: recommend without machine-id"
[ "$(jq_py "$H/reports/rec-name.json" 'r["host"]["id"]')" = "$H/web-17" ] && ok || bad "host.id without machine-id: $(jq_py "$H/reports/rec-name.json" 'r["host"]')"
printf '0123456789abcdef0123456789abcdef\n' >"$H/web-17/etc/machine-id"
rec --root "$H/web-17" --report "$H/reports/rec.json" >/dev/null 2>&1
"$BIN" audit --page-size 4096 --root "$H/web-17" --format json -o "$H/reports/audit.json" >/dev/null 2>&1
[ -s "$H/reports/audit.json" ] && ok || bad "host.id: no audit report"
rid=$(jq_py "$H/reports/rec.json" 'r["host"]["id"]')
[ "$rid" = m-4bbb216e77ba8f73 ] && ok || bad "host.id from machine-id: $rid"
[ "$(jq_py "$H/reports/audit.json" 'r["host"]["id"]')" = "$rid" ] && ok || bad "audit and recommend host.id differ"
validate "$H/reports/rec.json"
rm "$H/reports/rec-name.json"
"$BIN" fleet "$H/reports" >"$H/fleet.txt" 2>&1
expect_rc 0 $? "host.id: fleet"
grep -q '^fleet: 1 hosts from 2 reports, 0 skipped' "$H/fleet.txt" && ok || bad "fleet did not match the reports by host.id: $(head -3 "$H/fleet.txt")"
rec --root "$H/web-17" --host-id db-1 --format json >"$H/given.json" 2>/dev/null
[ "$(jq_py "$H/given.json" 'r["host"]["id"]')" = db-1 ] && ok || bad "--host-id not reported"
"$BIN" collect --root "$H/web-17" --page-size 4096 -o "$H/snap-42.json" 2>/dev/null
"$BIN" recommend --snapshot "$H/snap-42.json" --format json >"$H/snap.out" 2>/dev/null
[ "$(jq_py "$H/snap.out" 'r["host"]["id"]')" = "$H/snap-42.json" ] && ok || bad "host.id from a snapshot: $(jq_py "$H/snap.out" 'r["host"]["id"]')"

# --- mount-based cases: read-only directory, full disk, read-only /proc/sys
if [ "$(id -u)" = 0 ] && mkdir -p "$TMP/ro" && mount --bind "$TMP/ro" "$TMP/ro" 2>/dev/null; then
	MOUNTS+=("$TMP/ro")
	rec --root "$C" -o "$TMP/ro/60-reclaim-advisor.conf" >/dev/null 2>&1   # ours, current
	printf '# generated by reclaim-advisor 0.0.1\nvm.swappiness = 5\n' >"$TMP/ro/60-reclaim-advisor.conf"
	old=$(md5sum <"$TMP/ro/60-reclaim-advisor.conf")
	mount -o remount,bind,ro "$TMP/ro"
	rec --root "$C" -o "$TMP/ro/60-reclaim-advisor.conf" >/dev/null 2>"$TMP/ro.err"
	expect_rc 74 $? "read-only directory"
	[ "$(md5sum <"$TMP/ro/60-reclaim-advisor.conf")" = "$old" ] && ok || bad "read-only: old file changed"
	grep -q 'Read-only file system' "$TMP/ro.err" && ok || bad "read-only: $(cat "$TMP/ro.err")"

	# Full disk: a 16 KiB tmpfs holding an old fragment, the rest filled.
	mkdir -p "$TMP/full"
	if mount -t tmpfs -o size=16k tmpfs "$TMP/full"; then
		MOUNTS+=("$TMP/full")
		printf '# generated by reclaim-advisor 0.0.1\nvm.swappiness = 5\n' >"$TMP/full/60-reclaim-advisor.conf"
		old=$(md5sum <"$TMP/full/60-reclaim-advisor.conf")
		dd if=/dev/zero of="$TMP/full/filler" bs=1k count=64 2>/dev/null
		rec --root "$C" -o "$TMP/full/60-reclaim-advisor.conf" >/dev/null 2>"$TMP/full.err"
		expect_rc 74 $? "full disk"
		[ "$(md5sum <"$TMP/full/60-reclaim-advisor.conf")" = "$old" ] && ok || bad "full disk: old file changed"
		grep -q 'No space left on device' "$TMP/full.err" && ok || bad "full disk: $(cat "$TMP/full.err")"
		[ -z "$(find "$TMP/full" -name '.60-reclaim-advisor.conf.*')" ] && ok || bad "full disk: temp file left"
	else
		echo "SKIP: tmpfs mount failed"
	fi

	# --apply where /proc/sys is read-only (a container): 77, not_permitted.
	N=$TMP/noperm
	mkdir -p "$N" && cp -r "$C/." "$N/" && printf '0\n' >"$N/proc/sys/vm/dirty_background_bytes"
	mkdir -p "$N/etc/sysctl.d"
	mount --bind "$N/proc/sys" "$N/proc/sys" && MOUNTS+=("$N/proc/sys") && mount -o remount,bind,ro "$N/proc/sys"
	rec --root "$N" -o "$N/etc/sysctl.d/60-reclaim-advisor.conf" --apply --report "$TMP/noperm.json" >/dev/null 2>&1
	expect_rc 77 $? "--apply not permitted"
	validate "$TMP/noperm.json"
	[ "$(jq_py "$TMP/noperm.json" 'sorted(set(a["result"] for a in r["apply"]))')" = "['not_permitted']" ] \
		&& ok || bad "not permitted: $(jq_py "$TMP/noperm.json" 'r["apply"]')"
	[ "$(head -1 "$N/proc/sys/vm/watermark_scale_factor")" = 10 ] && ok || bad "not permitted: value changed"
else
	echo "SKIP: mount-based cases need root and bind mounts"
fi

echo "recommend e2e: $pass passed, $fail failed"
[ "$fail" = 0 ]
