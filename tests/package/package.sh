#!/bin/bash
# The Debian package, as CI and an administrator get it:
#   1. dpkg-buildpackage -us -uc -b in a clean `git clone` of HEAD (what is
#      not committed is not tested);
#   2. lintian: no error and no warning (overrides carry their reason in
#      debian/reclaim-advisor.lintian-overrides);
#   3. the .deb unpacked into a throwaway root (dpkg -x): its file list, the
#      conffiles, the maintainer scripts parse, the binary's libraries resolve;
#   4. the packaged binary run from that root with the packaged data
#      (RECLAIM_ADVISOR_DATADIR=<root>/usr/share/reclaim-advisor): every rule
#      comes from there, profiles resolve in the installed layout, a site
#      drop-in in <root>/etc/reclaim-advisor/rules.d is read, and `recommend`
#      on a QEMU capture writes the same fragment as with the source tree's
#      rules;
#   5. systemd-analyze verify on the packaged units (ExecStart pointed at the
#      root's binary, man pages looked up in the root), their hardening, and
#      their SystemCallFilter against the calls audit and record make (strace).
# Run by `make package-check` (part of `make check`); about a minute.
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
for tool in git dpkg-buildpackage dh lintian systemd-analyze; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "FAIL: $tool not installed (scripts/install-deps --test installs it)"
		exit 1
	fi
done
TMP=$(mktemp -d /tmp/package-check.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
step() { echo "-- $*"; }

step "clean clone of $(git -C "$REPO" rev-parse --short HEAD)"
git clone -q --no-hardlinks "$REPO" "$TMP/src" && git -C "$TMP/src" checkout -q "$(git -C "$REPO" rev-parse HEAD)" ||
	{ echo "FAIL: git clone"; exit 1; }

step "dpkg-buildpackage -us -uc -b"
start=$(date +%s)
if ! (cd "$TMP/src" && dpkg-buildpackage -us -uc -b) >"$TMP/build.log" 2>&1; then
	tail -40 "$TMP/build.log"
	echo "FAIL: dpkg-buildpackage (log above)"
	exit 1
fi
echo "   built in $(($(date +%s) - start)) s"
deb=$(ls "$TMP"/reclaim-advisor_*_*.deb 2>/dev/null | head -1)
changes=$(ls "$TMP"/reclaim-advisor_*_*.changes 2>/dev/null | head -1)
[ -f "$deb" ] && [ -f "$changes" ] || { echo "FAIL: no .deb or .changes in $TMP"; exit 1; }

step "lintian"
lintian --fail-on error,warning --display-info "$changes" >"$TMP/lintian.log" 2>&1 ||
	{ cat "$TMP/lintian.log"; bad "lintian reports errors or warnings"; }
grep -v '^running with root privileges' "$TMP/lintian.log" | sed 's/^/   /'

step "dpkg -x into a throwaway root"
ROOT=$TMP/root
dpkg -x "$deb" "$ROOT" || { echo "FAIL: dpkg -x"; exit 1; }
dpkg-deb -e "$deb" "$TMP/control" || { echo "FAIL: dpkg-deb -e"; exit 1; }
for f in usr/bin/reclaim-advisor usr/share/reclaim-advisor/rules/10-kswapd-headroom.ini \
	usr/share/reclaim-advisor/profiles/general.ini usr/share/reclaim-advisor/templates/fragment-header.tmpl \
	usr/share/reclaim-advisor/schema/report.schema.json etc/reclaim-advisor/rules.d/README \
	usr/share/man/man8/reclaim-advisor.8.gz usr/share/man/man8/reclaim-advisor-recommend.8.gz \
	usr/share/man/man8/reclaim-advisor-audit.8.gz usr/share/bash-completion/completions/reclaim-advisor \
	lib/systemd/system/reclaim-advisor-audit.service lib/systemd/system/reclaim-advisor-audit.timer \
	lib/systemd/system/reclaim-advisor-record.service; do
	[ -f "$ROOT/$f" ] || bad "/$f is not in the package"
done
[ -d "$ROOT/var/lib/reclaim-advisor" ] || bad "/var/lib/reclaim-advisor is not in the package"
[ -d "$ROOT/etc/reclaim-advisor/rules.d" ] || bad "/etc/reclaim-advisor/rules.d is not in the package"
for r in "$REPO"/rules/*.ini "$REPO"/rules/profiles/*.ini; do
	case $r in */profiles/*) d=profiles ;; *) d=rules ;; esac
	cmp -s "$r" "$ROOT/usr/share/reclaim-advisor/$d/$(basename "$r")" || bad "$d/$(basename "$r") not shipped as in the tree"
done
grep -qx /etc/reclaim-advisor/rules.d/README "$TMP/control/conffiles" 2>/dev/null ||
	bad "rules.d/README is not a conffile"
for s in preinst postinst prerm postrm; do
	[ ! -f "$TMP/control/$s" ] || sh -n "$TMP/control/$s" || bad "$s does not parse"
done
grep -q "enable 'reclaim-advisor-audit.timer'" "$TMP/control/postinst" || bad "postinst does not enable the audit timer"
grep -q "enable 'reclaim-advisor-record.service'" "$TMP/control/postinst" &&
	! grep -q "was-enabled 'reclaim-advisor-record.service'" "$TMP/control/postinst" &&
	bad "postinst enables the recorder unconditionally"
ldd "$ROOT/usr/bin/reclaim-advisor" | grep -q 'not found' && bad "unresolved libraries: $(ldd "$ROOT/usr/bin/reclaim-advisor")"
bash -n "$ROOT/usr/share/bash-completion/completions/reclaim-advisor" || bad "bash completion does not parse"
zcat "$ROOT/usr/share/man/man8/reclaim-advisor-recommend.8.gz" | grep -q '^/usr/share/reclaim\\-advisor/rules\|I /usr/share/reclaim\\-advisor/rules' ||
	bad "reclaim-advisor-recommend(8) FILES does not name /usr/share/reclaim-advisor/rules"

step "run the packaged binary from the root with the packaged data"
export RECLAIM_ADVISOR_DATADIR=$ROOT/usr/share/reclaim-advisor
export RECLAIM_ADVISOR_SYSCONFDIR=$ROOT/etc
unset RECLAIM_ADVISOR_RULES_DIR RECLAIM_ADVISOR_TEMPLATE_DIR
RA=$ROOT/usr/bin/reclaim-advisor
"$RA" --version | grep -q "^reclaim-advisor $(cat "$REPO/VERSION")\$" || bad "--version: $("$RA" --version)"
"$RA" rules check --strict >"$TMP/check.out" 2>&1 || { cat "$TMP/check.out"; bad "rules check --strict"; }
"$RA" rules list >"$TMP/list.out" 2>&1 || { cat "$TMP/list.out"; bad "rules list"; }
n=$(awk 'NR > 2' "$TMP/list.out" | wc -l)
[ "$n" -gt 0 ] || bad "rules list shows no rule"
awk 'NR > 2 { print $NF }' "$TMP/list.out" | grep -v "^$ROOT/usr/share/reclaim-advisor/rules/" &&
	bad "the rules above do not come from the packaged /usr/share/reclaim-advisor/rules"
for p in "$ROOT"/usr/share/reclaim-advisor/profiles/*.ini; do
	name=$(basename "$p" .ini)
	"$RA" rules list --profile "$name" >/dev/null 2>"$TMP/err" || bad "profile $name: $(cat "$TMP/err")"
done
first=$(awk 'NR == 3 { print $1 }' "$TMP/list.out")
printf '[%s]\nenabled = no\n' "$first" > "$ROOT/etc/reclaim-advisor/rules.d/50-site.ini"
"$RA" rules list 2>&1 | awk '{ print $1 }' | grep -qx "$first" && bad "the drop-in in <root>/etc/reclaim-advisor/rules.d did not switch off $first"
rm "$ROOT/etc/reclaim-advisor/rules.d/50-site.ini"

FIX=$REPO/fixtures/qemu/6.1-2g-mfk131072-wsf50/after
"$RA" recommend --root "$FIX" -o "$TMP/pkg.conf" --report "$TMP/pkg.json" >"$TMP/rec.out" 2>&1 ||
	{ cat "$TMP/rec.out"; bad "recommend --root $FIX (exit $?)"; }
grep -q '^vm\.' "$TMP/pkg.conf" 2>/dev/null || bad "the packaged recommend wrote no assignment"
RECLAIM_ADVISOR_DATADIR=$TMP/src "$RA" recommend --root "$FIX" -o "$TMP/src.conf" >/dev/null 2>&1
cmp -s "$TMP/pkg.conf" "$TMP/src.conf" ||
	{ diff -u "$TMP/src.conf" "$TMP/pkg.conf"; bad "packaged rules advise otherwise than the source tree's"; }
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/pkg.json" 2>/dev/null || bad "the report is not JSON"
unset RECLAIM_ADVISOR_DATADIR RECLAIM_ADVISOR_SYSCONFDIR

step "systemd-analyze verify"
mkdir -p "$TMP/units"
for u in "$ROOT"/lib/systemd/system/reclaim-advisor-*; do
	grep -q '^ExecStart=/usr/bin/reclaim-advisor ' "$u" || case $u in *.timer) ;; *) bad "$(basename "$u"): ExecStart is not /usr/bin/reclaim-advisor" ;; esac
	sed "s|/usr/bin/reclaim-advisor|$ROOT/usr/bin/reclaim-advisor|" "$u" > "$TMP/units/$(basename "$u")"
done
MANPATH=$ROOT/usr/share/man systemd-analyze verify "$TMP"/units/* >"$TMP/verify.log" 2>&1 ||
	{ cat "$TMP/verify.log"; bad "systemd-analyze verify"; }
[ -s "$TMP/verify.log" ] && { cat "$TMP/verify.log"; bad "systemd-analyze verify printed warnings"; }
for u in reclaim-advisor-audit.service reclaim-advisor-record.service; do
	for k in ProtectSystem=strict ReadWritePaths= NoNewPrivileges=yes PrivateNetwork=yes ProtectHome=yes \
		CapabilityBoundingSet=; do
		grep -q "^$k" "$ROOT/lib/systemd/system/$u" || bad "$u lacks $k"
	done
done
systemd-analyze security --offline=yes --threshold=20 "$TMP"/units/*.service >"$TMP/sec.log" 2>&1 ||
	{ cat "$TMP/sec.log"; bad "systemd-analyze security: exposure above 2.0"; }
grep 'Overall exposure' "$TMP/sec.log" | sed 's/^/   /'

# The units' system-call filter must allow every call the commands make:
# a call outside it kills the service with SIGSYS, which no test on a host
# without systemd as PID 1 would otherwise notice.  The calls are traced from
# the packaged binary doing what the units run (shorter).
if command -v strace >/dev/null 2>&1; then
	step "the units' SystemCallFilter against the traced system calls"
	expand() { # GROUP|CALL...: the calls, groups expanded recursively
		local g x
		for g in "$@"; do
			case $g in
			@*) systemd-analyze syscall-filter "$g" 2>/dev/null | sed -n '2,$p' | grep -E '^    [@a-z_0-9]' |
				tr -d ' ' | while read -r x; do expand "$x"; done ;;
			*) echo "$g" ;;
			esac
		done
	}
	mkdir -p "$TMP/sc"
	RA=$ROOT/usr/bin/reclaim-advisor
	export RECLAIM_ADVISOR_DATADIR=$ROOT/usr/share/reclaim-advisor
	strace -f -qq -o "$TMP/sc/audit.tr" "$RA" audit --interval 1 --format prometheus -o "$TMP/sc/" >/dev/null 2>&1
	strace -f -qq -o "$TMP/sc/record.tr" "$RA" record --interval 0.2 --duration 1 --max-size 64M \
		-o "$TMP/sc/history.rec" >/dev/null 2>&1
	# a restart continues the history, cutting a torn tail first (ftruncate)
	printf 'S 9' >>"$TMP/sc/history.rec"
	strace -A -f -qq -o "$TMP/sc/record.tr" "$RA" record --interval 0.2 --duration 0.5 --max-size 64M \
		-o "$TMP/sc/history.rec" >/dev/null 2>&1
	unset RECLAIM_ADVISOR_DATADIR
	for u in audit record; do
		unit=$ROOT/lib/systemd/system/reclaim-advisor-$u.service
		allow=$(sed -n 's/^SystemCallFilter=\([^~].*\)/\1/p' "$unit")
		deny=$(sed -n 's/^SystemCallFilter=~\(.*\)/\1/p' "$unit")
		# shellcheck disable=SC2086
		expand $allow | sort -u > "$TMP/sc/allow"
		# shellcheck disable=SC2086
		expand $deny | sort -u > "$TMP/sc/deny"
		sed -E 's/^[0-9]+ +//; s/\(.*//' "$TMP/sc/$u.tr" | grep -E '^[a-z_0-9]+$' | grep -vx execve | sort -u > "$TMP/sc/$u.calls"
		[ -s "$TMP/sc/$u.calls" ] || bad "$u: no system calls traced"
		out=$(comm -23 "$TMP/sc/$u.calls" "$TMP/sc/allow"; comm -12 "$TMP/sc/$u.calls" "$TMP/sc/deny")
		[ -z "$out" ] || bad "reclaim-advisor-$u.service would kill $u (SIGSYS) on: $(echo $out)"
		echo "   $u: $(wc -l < "$TMP/sc/$u.calls") distinct system calls, all inside the filter"
	done
else
	bad "strace not installed (scripts/install-deps --test): the units' system-call filter is unchecked"
fi

[ $fail = 0 ] && echo "ok: package $(basename "$deb")"
exit $fail
