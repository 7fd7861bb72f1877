#!/bin/bash
# Exit 79 end to end: `recommend --apply` changed the values, then the report
# could not be written.  The report goes to a disk that is full: a 16 KiB
# tmpfs, filled with a file, mounted in a private mount namespace (unshare -m,
# so nothing is mounted on this machine and nothing is left behind).  The
# writability check before --apply passes (the directory is writable and a
# full tmpfs still creates an empty file); the write after it fails with
# ENOSPC, as a real full /var would.  Everything else happens in a copy of a
# QEMU guest capture, so --apply writes COPY/proc/sys, never this machine.
#   - exit 79, the reason on stderr, one `sysctl -w KEY='PREVIOUS'` line per
#     applied key;
#   - the values were applied (the copy's proc/sys holds the fragment's);
#   - the restore lines are complete and right: written back into the copy,
#     they give exactly the tree as it was before;
#   - no report and no temporary file on the full disk;
#   - control: the same command with room for the report exits 0.
# Skips without root or unshare -m.
set -u
BIN=${BIN:?BIN must name the reclaim-advisor binary}
if [ "$(id -u)" != 0 ] || ! unshare -m true 2>/dev/null; then
	echo "SKIP: needs root and unshare -m (a private tmpfs)"
	exit 0
fi
TMP=$(mktemp -d /tmp/apply-unrecorded-e2e.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$TMP"' EXIT
export RECLAIM_ADVISOR_DATADIR=$PWD RECLAIM_ADVISOR_SYSCONFDIR=$TMP/sysconf
unset RECLAIM_ADVISOR_RULES_DIR RECLAIM_ADVISOR_TEMPLATE_DIR
mkdir -p "$TMP/sysconf" "$TMP/full"
fail=0
pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

C=$TMP/root
cp -r fixtures/derived/qemu-6.1-512m-zram-direct-reclaim/before "$C"
mkdir -p "$C/etc/sysctl.d"
cp -r "$C" "$TMP/pristine"
FRAG=$C/etc/sysctl.d/60-reclaim-advisor.conf

# in the namespace: mount, fill, run, list what is left on the disk
unshare -m --propagation private bash -c '
	mount -t tmpfs -o size=16k tmpfs "$1" || exit 90
	dd if=/dev/zero of="$1/filler" bs=1k count=64 2>/dev/null
	"$2" recommend --root "$3" -o "$4" --report "$1/report.json" --apply
	rc=$?
	ls -A "$1" >"$5"
	exit $rc
' _ "$TMP/full" "$BIN" "$C" "$FRAG" "$TMP/left" >"$TMP/out" 2>"$TMP/err"
rc=$?
[ "$rc" != 90 ] || { echo "SKIP: tmpfs mount failed"; exit 0; }
[ "$rc" = 79 ] && ok || bad "exit $rc, expected 79: $(cat "$TMP/err")"
grep -q 'No space left on device' "$TMP/err" && ok || bad "stderr does not say why: $(cat "$TMP/err")"
[ "$(cat "$TMP/left")" = filler ] && ok || bad "left on the full disk: $(tr '\n' ' ' <"$TMP/left")"

# the values are applied: every fragment line is live in the copy
n=0
while read -r k _ v; do
	n=$((n + 1))
	[ "$(cat "$C/proc/sys/$(printf %s "$k" | tr . /)")" = "$v" ] && ok || bad "$k not applied"
done < <(grep -E '^[a-z]' "$FRAG")
[ "$n" -gt 0 ] && ok || bad "no fragment written before --apply"

# one restore line per changed key; run against the copy they restore it exactly
grep -E "^  sysctl -w [a-z0-9_.-]+='[^']*'$" "$TMP/err" >"$TMP/restore"
[ "$(wc -l <"$TMP/restore")" -gt 0 ] && ok || bad "no sysctl -w lines: $(cat "$TMP/err")"
sed "s/^  sysctl -w \([^=]*\)='\(.*\)'$/\1 \2/" "$TMP/restore" | while read -r k v; do
	printf '%s\n' "$v" >"$C/proc/sys/$(printf %s "$k" | tr . /)"
done
diff -r "$TMP/pristine/proc" "$C/proc" >"$TMP/diff" && ok ||
	{ bad "the restore lines do not give back the tree:"; sed 's/^/    /' "$TMP/diff"; }

# control: with room for the report the same run succeeds (after a restore
# the values are applied again, and the report is written)
"$BIN" recommend --root "$C" -o "$FRAG" --report "$TMP/report.json" --apply >/dev/null 2>"$TMP/err2"
rc=$?
[ "$rc" = 0 ] && [ -s "$TMP/report.json" ] && ok || bad "control run: exit $rc, $(cat "$TMP/err2")"

echo "apply-unrecorded e2e: $pass passed, $fail failed"
[ "$fail" = 0 ]
