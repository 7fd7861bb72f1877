#!/bin/bash
# End-to-end test of the node_exporter textfile output (issue 7) with the
# real client: Debian's prometheus-node-exporter, started here on a free
# loopback port with only the textfile collector, pointed at the directory
# the audit wrote to.  The scrape must carry our metrics and
# node_textfile_scrape_error 0.  The exporter is our own process (never the
# packaged service) and is killed by PID on exit.
#
# Run from the repository root with BIN=<absolute path of the binary>.
# Skips (exit 0 with a message) when prometheus-node-exporter is missing.
set -u
BIN=${BIN:?BIN must name the reclaim-advisor binary}
NE=$(command -v prometheus-node-exporter || command -v node_exporter || true)
if [ -z "$NE" ]; then
	echo "SKIP: prometheus-node-exporter not installed (apt-get install prometheus-node-exporter)"
	exit 0
fi
PY=/usr/bin/python3
TMP=$(mktemp -d /tmp/prom-e2e.XXXXXX)
NE_PID=
cleanup() {
	[ -n "$NE_PID" ] && kill "$NE_PID" 2>/dev/null && wait "$NE_PID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
export RECLAIM_ADVISOR_RULES_DIR=$TMP/rules RECLAIM_ADVISOR_SYSCONFDIR=$TMP/sysconf
mkdir -p "$TMP/rules/profiles" "$TMP/sysconf" "$TMP/textfile"
cat >"$TMP/rules/10-prom-test.ini" <<'EOF'
[test-swappiness]
description = prometheus test
when     = has("sysctl.vm.swappiness")
set      = vm.swappiness
value    = 10
severity = warning
why      = the test wants swappiness {value : raw}

[test-oom]
description = OOM kills
when     = has("reclaim.oom_kills") and reclaim.oom_kills > 0
severity = critical
why      = {reclaim.oom_kills : raw} OOM kills
EOF

fail=0
pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

# one host with drift (porteus: swappiness 60, zones with watermarks)
"$BIN" audit --page-size 4096 --root fixtures/captures/porteus-5.12-x86_64-16g \
	--format prometheus -o "$TMP/textfile/reclaim_advisor.prom" 2>/dev/null
[ $? = 1 ] && ok || bad "audit exit code (expected 1, drift)"

port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$NE" --web.listen-address="127.0.0.1:$port" --collector.disable-defaults --collector.textfile \
	--collector.textfile.directory="$TMP/textfile" >"$TMP/ne.log" 2>&1 &
NE_PID=$!

scrape() {
	$PY - "$port" <<'EOF'
import sys, time, urllib.request
url = "http://127.0.0.1:%s/metrics" % sys.argv[1]
for _ in range(100):
    try:
        sys.stdout.write(urllib.request.urlopen(url, timeout=2).read().decode())
        sys.exit(0)
    except Exception:
        time.sleep(0.1)
sys.exit(1)
EOF
}
if ! scrape >"$TMP/scrape.txt"; then
	bad "node_exporter did not answer on 127.0.0.1:$port"
	sed 's/^/    /' "$TMP/ne.log"
	echo "prometheus e2e: $pass passed, $fail failed"
	exit 1
fi
want() {
	if grep -qE -- "$1" "$TMP/scrape.txt"; then ok; else bad "scrape lacks /$1/"; fi
}
want '^node_textfile_scrape_error 0$'
want '^reclaim_advisor_info\{profile="general",ruleset_digest="[0-9a-f]+",version="[^"]+"\} 1$'
want '^reclaim_advisor_audit_status 1$'
want '^reclaim_advisor_sysctl_value\{sysctl="vm.swappiness"\} 60$'
want '^reclaim_advisor_sysctl_expected_value\{sysctl="vm.swappiness"\} 10$'
want '^reclaim_advisor_sysctl_compliant\{sysctl="vm.swappiness"\} 0$'
want '^reclaim_advisor_sysctl_state\{state="drift",sysctl="vm.swappiness"\} 1$'
want '^reclaim_advisor_sysctl_state\{state="compliant",sysctl="vm.swappiness"\} 0$'
# a key the test rules do not cover keeps its series (state unmanaged), in bytes
want '^reclaim_advisor_sysctl_state\{state="unmanaged",sysctl="vm.min_free_kbytes"\} 1$'
want '^reclaim_advisor_sysctl_value\{sysctl="vm.min_free_kbytes"\} (138412032|1\.38412032e\+08)$'
want '^reclaim_advisor_watermark_min_bytes\{node="0",zone="Normal"\} [0-9.e+]+$'
want '^reclaim_advisor_watermark_kswapd_buffer_bytes\{node="0",zone="Normal"\} [0-9.e+]+$'
want '^reclaim_advisor_watermark_reclaim_target_bytes\{node="0",zone="DMA32"\} [0-9.e+]+$'
want '^reclaim_advisor_findings\{severity="critical"\} 0$'
want '^# HELP reclaim_advisor_keys Audited sysctl keys per state\.$'
want '^# TYPE reclaim_advisor_sysctl_compliant gauge$'
grep -q 'reclaim_advisor.*error' "$TMP/ne.log" && bad "node_exporter logged an error: $(grep error "$TMP/ne.log")" || ok

# rewrite with a critical host (OOM kills, rates); the exporter reads the new file
"$BIN" audit --page-size 65536 --root fixtures/captures/arm64-64k-4.18-256g-thp-leak-oom \
	--format prometheus -o "$TMP/textfile/reclaim_advisor.prom" 2>/dev/null
[ $? = 2 ] && ok || bad "audit exit code (expected 2, OOM)"
scrape >"$TMP/scrape.txt" || bad "second scrape"
want '^node_textfile_scrape_error 0$'
want '^reclaim_advisor_audit_status 2$'
want '^reclaim_advisor_direct_reclaim_stalls_total [0-9]+$'
want '^# TYPE reclaim_advisor_kswapd_scanned_bytes_total counter$'
# OOM kills are node_exporter's own node_vmstat_oom_kill; rates are PromQL's job
grep -qE '^reclaim_advisor_(oom_kills|[a-z_]*per_second)' "$TMP/scrape.txt" && bad "duplicate or rate metric exported" || ok
want '^reclaim_advisor_findings\{severity="critical"\} 1$'

# an unknown host still produces a valid file (alerting sees status 3, not a stale file)
"$BIN" audit --root "$TMP/nonexistent" --format prometheus -o "$TMP/textfile/reclaim_advisor.prom" 2>/dev/null
[ $? = 3 ] && ok || bad "audit exit code (expected 3)"
scrape >"$TMP/scrape.txt" || bad "third scrape"
want '^node_textfile_scrape_error 0$'
want '^reclaim_advisor_audit_status 3$'

# Two audits in one textfile directory: without an instance label they
# collide (node_exporter logs "collected ... before with the same name and
# label values" and the scrape fails), with --prom-instance each has its
# own label and file name.
"$BIN" audit --page-size 4096 --root fixtures/captures/porteus-5.12-x86_64-16g \
	--format prometheus -o "$TMP/textfile/reclaim_advisor.prom" 2>/dev/null
# (a second root, say a container's, audited on the same node)
"$BIN" audit --page-size 65536 --root fixtures/captures/arm64-64k-4.18-256g-thp-leak-oom \
	--format prometheus -o "$TMP/textfile/reclaim_advisor_guest.prom" 2>/dev/null
scrape >"$TMP/scrape.txt"
dups() { grep -c 'was collected before with the same name and label values' "$TMP/ne.log"; }
before=$(dups)
[ "$before" -gt 0 ] && ok || bad "two unlabelled audits in one directory did not collide (the test shows nothing)"
rm -f "$TMP/textfile/reclaim_advisor_guest.prom"
"$BIN" audit --page-size 65536 --root fixtures/captures/arm64-64k-4.18-256g-thp-leak-oom \
	--prom-instance guest --format prometheus -o "$TMP/textfile" 2>/dev/null
[ -f "$TMP/textfile/reclaim_advisor_guest.prom" ] && ok || bad "-o DIR --prom-instance guest: no reclaim_advisor_guest.prom"
scrape >"$TMP/scrape.txt" || bad "instance scrape"
want '^node_textfile_scrape_error 0$'
[ "$(dups)" = "$before" ] && ok || bad "labelled audits still collide: $(tail -c 300 "$TMP/ne.log")"
want '^reclaim_advisor_audit_status\{audit="guest"\} 2$'
want '^reclaim_advisor_audit_status 1$'
want '^reclaim_advisor_sysctl_state\{audit="guest",state="drift",sysctl="vm.swappiness"\} [01]$'
if command -v promtool >/dev/null; then
	for f in "$TMP"/textfile/*.prom; do
		if promtool check metrics <"$f" >"$TMP/lint" 2>&1; then ok; else bad "promtool check metrics $f: $(cat "$TMP/lint")"; fi
	done
fi
"$BIN" audit --prom-instance 'a b' --format prometheus 2>/dev/null >/dev/null
[ $? = 3 ] && ok || bad "--prom-instance with a space accepted"

echo "prometheus e2e: $pass passed, $fail failed"
[ "$fail" = 0 ]
