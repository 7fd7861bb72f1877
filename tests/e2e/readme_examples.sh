#!/bin/bash
# The README's examples, run as written (issue 11): the fenced blocks are
# taken from README.md (and docs/recommend.md) at test time
# (tests/e2e/lib/readme_examples.py), so editing an example without keeping
# it working fails `make test`.  A block
# is an example when a marker line stands before it:
#     <!-- example: NAME root=fixtures/TREE kind=sh|transcript|crontab|nrpe|rules -->
# and every ```sh block must have one (skip="why" for the three that build
# and install: they are what every test run starts from, or make check's
# package-check).
#
# Each example runs in a scratch directory with `reclaim-advisor` on PATH
# being tests/e2e/lib/ra-wrapper.sh around $BIN, against a copy of its
# fixture tree instead of this machine.  What the harness substitutes, and
# why (nothing else in a block is changed):
#   - reclaim-advisor: the wrapper adds --root COPY to commands that read a
#     host and maps absolute /etc, /var and /proc paths into COPY, so
#     `--apply` writes COPY/proc/sys and never this machine's sysctls;
#     `record` is stopped with SIGTERM after 2 s (the README's Ctrl-C);
#     `--interval S` of audit becomes --baseline of the capture the marker
#     names (baseline=), taken earlier in the same boot as root=: a static
#     tree cannot be sampled twice, a real capture pair gives real rates;
#   - the directories a package install creates exist in COPY
#     (etc/sysctl.d, var/lib/reclaim-advisor, the node_exporter textfile
#     directory), as on a host that has the package and node_exporter;
#   - jq and sysctl (docs/recommend.md's restore recipe): jq reads the
#     report under COPY (the same /etc, /var mapping), and `sysctl -w K=V`
#     writes COPY/proc/sys/K: tests/e2e/lib/sysctl-wrapper.sh, which refuses
#     anything else and never calls the real sysctl;
#   - crontab and NRPE lines: the command field runs with its absolute
#     /usr/local/bin/reclaim-advisor replaced by the wrapper;
#   - systemctl (timer example): a shell function that, for `enable --now
#     UNIT.timer`, runs the ExecStart of the built UNIT.service once (what
#     the timer's first expiry does) through the wrapper, instead of asking
#     this machine's systemd;
#   - Ansible: `-i inventory` is an inventory the harness writes (localhost,
#     local connection, become by su since this machine has no sudo, the
#     role's root/data/fact directories in the scratch directory);
#     `make ansible` runs as written, in a directory of links to this tree;
#   - fleet: the ad-hoc commands write /var/tmp/ra.json, so the block runs
#     in a private mount namespace with a tmpfs on /var/tmp (unshare -m).
# Data comes from this tree (RECLAIM_ADVISOR_DATADIR) and no site drop-ins
# are read (RECLAIM_ADVISOR_SYSCONFDIR is empty), whatever is installed.
set -u
BIN=${BIN:?BIN must name the reclaim-advisor binary}
REPO=$PWD
LIB=$REPO/tests/e2e/lib
TMP=$(mktemp -d /tmp/readme-e2e.XXXXXX)
NE_PID=
cleanup() {
	[ -n "$NE_PID" ] && kill "$NE_PID" 2>/dev/null && wait "$NE_PID" 2>/dev/null
	[ -n "${KEEP:-}" ] || rm -rf "$TMP"
}
trap cleanup EXIT
# shellcheck source=lib/ansible.sh
. "$LIB/ansible.sh"

fail=0
pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: [$NAME] $*"; fail=$((fail + 1)); }
check() { # WHAT COMMAND...: passes when the command succeeds
	local what=$1
	shift
	if "$@"; then ok; else bad "$what"; fi
}
# exit code of the first logged call whose arguments match the pattern
rc_of() { awk -F'\t' -v p="$1" '$2 ~ p { print $1; exit }' "$RA_LOG"; }
calls() { grep -c -e "$1" "$RA_LOG"; }
expect_rc() { # PATTERN CODE
	local got
	got=$(rc_of "$1")
	[ "$got" = "$2" ] && ok || bad "reclaim-advisor $1: exit ${got:-(not run)}, expected $2"
}
json_ok() { # SCHEMA FILE
	/usr/bin/python3 -c 'import json, sys, jsonschema
jsonschema.Draft202012Validator(json.load(open(sys.argv[1]))).validate(json.load(open(sys.argv[2])))' "$1" "$2"
}

export RECLAIM_ADVISOR_DATADIR=$REPO RECLAIM_ADVISOR_SYSCONFDIR=$TMP/sysconf
unset RECLAIM_ADVISOR_RULES_DIR RECLAIM_ADVISOR_TEMPLATE_DIR RECLAIM_ADVISOR_PROFILE_DIR
mkdir -p "$TMP/sysconf" "$TMP/bin"
install -m 0755 "$LIB/ra-wrapper.sh" "$TMP/bin/reclaim-advisor"
install -m 0755 "$LIB/sysctl-wrapper.sh" "$TMP/bin/sysctl"
# jq with the same path mapping as the wrapper
cat >"$TMP/bin/jq" <<EOF
#!/bin/bash
args=()
for a; do case \$a in /etc/* | /var/*) a=\$RA_ROOT\$a ;; esac; args+=("\$a"); done
exec $(command -v jq || echo /usr/bin/jq) "\${args[@]}"
EOF
chmod 0755 "$TMP/bin/jq"
export RA_BIN=$BIN PATH=$TMP/bin:$PATH

NAME=extract
for doc in README.md docs/recommend.md; do
	if python3 "$LIB/readme_examples.py" "$doc" "$TMP/ex" 2>"$TMP/extract.err"; then ok; else
		bad "$(cat "$TMP/extract.err")"
	fi
done

attr() { awk -F'\t' -v k="$1" '$1 == k { print $2 }' "$TMP/ex/$NAME.attrs"; }

# setup NAME: the example's scratch directory, its root copy and its log
setup() {
	NAME=$1
	W=$TMP/w/$NAME
	mkdir -p "$W/cwd"
	export RA_LOG=$W/calls RA_SYSCTL_LOG=$W/sysctl.log
	: >"$RA_LOG"
	local root
	root=$(attr root)
	if [ -n "$root" ]; then
		cp -r "$REPO/$root" "$W/root"
		mkdir -p "$W/root/etc/sysctl.d" "$W/root/var/lib/reclaim-advisor" \
			"$W/root/var/lib/prometheus/node-exporter"
		export RA_ROOT=$W/root
	else
		unset RA_ROOT
	fi
	root=$(attr baseline)
	if [ -n "$root" ]; then export RA_BASELINE=$REPO/$root; else unset RA_BASELINE; fi
	BODY=$TMP/ex/$NAME.body
}
run_block() { # the block as written, in the scratch directory (no set -e: the
	# README's readers type it into a shell, where a non-zero exit goes on)
	(cd "$W/cwd" && bash "$BODY") >"$W/out" 2>"$W/err"
}
sysctl_of() { cat "$RA_ROOT/proc/sys/$(printf %s "$1" | tr . /)"; }
# every `key = value` line of a fragment is live under the root copy
fragment_live() {
	local k v n=0
	while read -r k _ v; do
		[ "$(sysctl_of "$k")" = "$v" ] || { echo "$k: live $(sysctl_of "$k"), fragment $v"; return 1; }
		n=$((n + 1))
	done < <(grep -E '^[a-z]' "$1")
	[ "$n" -gt 0 ]
}

# --- provisioning: review, --check/--diff/--apply, offline snapshot ----------
ex_provisioning() {
	local frag=$RA_ROOT/etc/sysctl.d/60-reclaim-advisor.conf report=$RA_ROOT/var/lib/reclaim-advisor/report.json
	cp -r "$RA_ROOT" "$W/pristine"
	run_block
	expect_rc '^recommend --profile database$' 0
	grep -q '^Changes ([1-9]' "$W/out" && ok || bad "the review prints no changes: $(head -5 "$W/out")"
	expect_rc '--check' 2
	expect_rc '--diff' 2
	grep -q '^+vm\.' "$W/out" && ok || bad "--diff shows no added line"
	expect_rc '--apply$' 0
	check "fragment written" grep -q '^vm\.' "$frag"
	check "every fragment value live under the root" fragment_live "$frag"
	check "report valid" json_ok "$REPO/schema/report.schema.json" "$report"
	# the previous values in the report are the tree's before --apply
	check "report records the previous values" /usr/bin/python3 - "$report" "$W/pristine" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["apply"], "no apply entries"
for e in r["apply"]:
    old = open(sys.argv[2] + "/proc/sys/" + e["sysctl"].replace(".", "/")).read().strip()
    assert e["previous"] == old, (e, old)
PY
	expect_rc '^collect -o host42.json$' 0
	expect_rc '^recommend --snapshot' 0
	check "offline fragment written" grep -q '^vm\.' "$W/cwd/out/60-reclaim-advisor.conf"
	check "offline report valid" json_ok "$REPO/schema/report.schema.json" "$W/cwd/out/host42.json"

	# "idempotent": the same block again finds the fragment up to date, so
	# the if-body (--diff, --apply) does not run and nothing is rewritten
	cp "$frag" "$W/frag.1"
	: >"$RA_LOG"
	rm -rf "$W/cwd/out" "$W/cwd/host42.json"
	run_block
	expect_rc '--check' 0
	[ "$(calls '--apply')" = 0 ] && [ "$(calls '--diff')" = 0 ] && ok || bad "second run entered the if-body"
	check "second run left the fragment byte-identical" cmp -s "$frag" "$W/frag.1"
}

# --- docs/recommend.md: the same flow, then the restore recipe -------------------
ex_recommend_doc() {
	local frag=$RA_ROOT/etc/sysctl.d/60-reclaim-advisor.conf
	cp -r "$RA_ROOT" "$W/pristine"
	run_block
	expect_rc '--check' 2
	expect_rc '--apply$' 0
	check "fragment written" grep -q '^vm\.' "$frag"
	check "offline fragment written" grep -q '^vm\.' "$W/cwd/out/60-reclaim-advisor.conf"
	# --apply changed them, the recipe put every one back
	[ "$(grep -c '^sysctl -w' "$W/sysctl.log" 2>/dev/null)" -gt 0 ] && ok || bad "the restore recipe ran no sysctl -w"
	diff -r "$W/pristine/proc" "$RA_ROOT/proc" >"$W/diff" && ok ||
		{ bad "the restore recipe did not give back the values:"; sed 's/^/    /' "$W/diff"; }
}

# --- record -> whatif -> recommend --history ------------------------------------
ex_history() {
	run_block
	expect_rc '^record ' 0
	expect_rc '^whatif ' 0
	expect_rc '^recommend --history' 0
	grep -q '^history: .*history.rec (record file), [1-9][0-9]* samples' "$W/out" && ok ||
		bad "whatif did not read the recorded history: $(grep '^history' "$W/out")"
	check "fragment written" test -s "$RA_ROOT/etc/sysctl.d/60-reclaim-advisor.conf"
}

# --- the whatif / recommend --history transcript: output as shown --------------
ex_whatif_transcript() {
	local n cmd
	if ! python3 "$LIB/readme_examples.py" --transcript "$BODY" "$W/t"; then bad "not a transcript"; return; fi
	for cmd in "$W"/t/*.cmd; do
		n=${cmd%.cmd}
		(cd "$REPO" && bash "$cmd") >"$n.out" 2>"$n.err"
		[ $? = 0 ] && ok || bad "exit $? from: $(cat "$cmd")"
		if python3 "$LIB/readme_examples.py" --match "$n.exp" "$n.out" 2>"$n.diff"; then ok; else
			bad "the output of \`$(head -1 "$cmd")\` is not what $(attr file) shows:"
			sed 's/^/    /' "$n.diff"
		fi
	done
}

# --- audit: the table, exit 0-3; JSON valid --------------------------------------
ex_audit() {
	run_block
	local rc
	rc=$(rc_of '^audit$')
	case $rc in 0 | 1 | 2) ok ;; *) bad "audit exit ${rc:-(not run)} on a good capture" ;; esac
	grep -q '^key  *expected  *live  *at boot  *state' "$W/out" && ok || bad "no audit table"
	check "audit.json valid" json_ok "$REPO/schema/audit.schema.json" "$W/cwd/audit.json"
}

# the monitoring-plugin contract for one run's stdout and exit code
plugin_ok() { # OUT RC
	/usr/bin/python3 - "$1" "$2" <<'PY'
import re, sys
line = open(sys.argv[1]).readline().rstrip("\n")
rc = int(sys.argv[2])
m = re.match(r"^RECLAIM-ADVISOR (OK|WARNING|CRITICAL|UNKNOWN) - ([^|]+)\|(.*)$", line)
assert m, "not a plugin status line: " + line
assert ["OK", "WARNING", "CRITICAL", "UNKNOWN"].index(m.group(1)) == rc, (m.group(1), rc)
# performance data: 'label'=value[UOM];[warn];[crit];[min];[max] (Nagios plugin guidelines)
for p in m.group(3).split():
    assert re.match(r"^[A-Za-z_]+=-?[0-9.]+(s|%|B|KB|MB|c)?(;[0-9.]*){0,4}$", p), "perfdata: " + p
PY
}

# --- NRPE: the command field runs as a plugin ------------------------------------
ex_nrpe() {
	local line cmd start rc
	while IFS= read -r line; do
		case $line in command\[*\]=*) ;; *) bad "not an NRPE command line: $line"; continue ;; esac
		cmd=${line#*]=}
		case $cmd in /usr/local/bin/reclaim-advisor\ *) ;; *) bad "not the installed binary: $cmd"; continue ;; esac
		start=$(date +%s)
		(cd "$W/cwd" && eval "reclaim-advisor ${cmd#/usr/local/bin/reclaim-advisor }") >"$W/out" 2>"$W/err"
		rc=$?
		check "plugin output and exit $rc" plugin_ok "$W/out" "$rc"
		case $rc in 0 | 1 | 2) ok ;; *) bad "exit $rc (UNKNOWN) on a good capture: $(cat "$W/err")" ;; esac
		# check_nrpe gives up after 10 s by default
		[ $(($(date +%s) - start)) -lt 10 ] && ok || bad "took $(($(date +%s) - start)) s (check_nrpe's timeout is 10 s)"
	done <"$BODY"
}

# scrape PROMFILE with the real node_exporter on 127.0.0.1 and lint it
scrape_ok() {
	local ne port
	command -v promtool >/dev/null && { promtool check metrics <"$1" >"$W/lint" 2>&1 && ok ||
		bad "promtool check metrics: $(cat "$W/lint")"; }
	ne=$(command -v prometheus-node-exporter || command -v node_exporter) || {
		echo "SKIP: [$NAME] node_exporter scrape (prometheus-node-exporter not installed)"
		return
	}
	port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	"$ne" --web.listen-address="127.0.0.1:$port" --collector.disable-defaults --collector.textfile \
		--collector.textfile.directory="$(dirname "$1")" >"$W/ne.log" 2>&1 &
	NE_PID=$!
	/usr/bin/python3 - "$port" >"$W/scrape" <<'PY'
import sys, time, urllib.request
for _ in range(100):
    try:
        sys.stdout.write(urllib.request.urlopen("http://127.0.0.1:%s/metrics" % sys.argv[1], timeout=2).read().decode())
        sys.exit(0)
    except Exception:
        time.sleep(0.1)
sys.exit(1)
PY
	kill "$NE_PID" 2>/dev/null
	wait "$NE_PID" 2>/dev/null
	NE_PID=
	grep -q '^node_textfile_scrape_error 0$' "$W/scrape" && grep -q '^reclaim_advisor_audit_status [0-3]$' "$W/scrape" &&
		ok || bad "node_exporter did not serve the textfile: $(grep -E 'scrape_error|audit_status' "$W/scrape") $(cat "$W/ne.log")"
}

PROM=/var/lib/prometheus/node-exporter/reclaim_advisor.prom
# --- cron: every five minutes, as root, the audit into the textfile ------------
ex_cron() {
	local m h dom mon dow user cmd
	read -r m h dom mon dow user cmd <"$BODY"
	[ "$m $h $dom $mon $dow" = "*/5 * * * *" ] && ok || bad "schedule is '$m $h $dom $mon $dow', not every five minutes"
	[ "$user" = root ] && ok || bad "a /etc/cron.d line needs the user field: '$user'"
	case $cmd in /usr/local/bin/reclaim-advisor\ *) ;; *) bad "not the installed binary: $cmd"; return ;; esac
	(cd "$W/cwd" && eval "reclaim-advisor ${cmd#/usr/local/bin/reclaim-advisor }") >"$W/out" 2>"$W/err"
	[ $? = 0 ] && ok || bad "the cron command failed (|| true should keep it quiet)"
	case $(rc_of '^audit') in 0 | 1 | 2) ok ;; *) bad "audit exit $(rc_of '^audit') on a good capture: $(cat "$W/err")" ;; esac
	check "textfile written under the root" test -s "$RA_ROOT$PROM"
	scrape_ok "$RA_ROOT$PROM"
	CRON_ARGS=${cmd#/usr/local/bin/reclaim-advisor }
	CRON_ARGS=${CRON_ARGS% || true}
}

# --- timer: the shipped units run the cron line's command -----------------------
ex_timer() {
	make -s "build/systemd/reclaim-advisor-audit.service" "build/systemd/reclaim-advisor-audit.timer" >/dev/null ||
		{ bad "make the units"; return; }
	systemctl() { # the substitute: enable --now UNIT.timer runs UNIT.service's ExecStart once
		[ "$1 $2" = "enable --now" ] || { echo "systemctl $*: not simulated" >&2; return 1; }
		local svc=$REPO/build/systemd/${3%.timer}.service exec
		exec=$(sed -e ':a' -e '/\\$/N; s/[[:space:]]*\\\n[[:space:]]*/ /; ta' "$svc" | sed -n 's/^ExecStart=//p')
		echo "$exec" >"$W/execstart"
		eval "reclaim-advisor ${exec#* }"
		local rc=$?
		# SuccessExitStatus= makes the audit's 1-3 a success of the unit
		case $rc in 0 | 1 | 2 | 3) return 0 ;; *) return "$rc" ;; esac
	}
	export -f systemctl
	export W REPO
	run_block
	[ $? = 0 ] && ok || bad "systemctl enable --now failed: $(cat "$W/err")"
	case $(rc_of '^audit') in 0 | 1 | 2) ok ;; *) bad "audit exit $(rc_of '^audit') on a good capture: $(cat "$W/err")" ;; esac
	unset -f systemctl
	check "timer every five minutes" grep -qx 'OnUnitActiveSec=5min' "$REPO/build/systemd/reclaim-advisor-audit.timer"
	local exec
	exec=$(cat "$W/execstart" 2>/dev/null)
	[ "${exec#* }" = "${CRON_ARGS:-}" ] && ok || bad "the timer runs '${exec#* }', the cron line '${CRON_ARGS:-}'"
	# both name the binary where make install puts it with the default PREFIX
	[ "${exec%% *}" = /usr/local/bin/reclaim-advisor ] &&
		ok || bad "the unit's binary ${exec%% *} is not where make install puts it"
	check "textfile written under the root" test -s "$RA_ROOT$PROM"
}

# inventory FILE: this machine as the one host (local connection; become by
# su, as root, since there is no sudo here), with the role variables on stdin
inventory() {
	{
		printf 'all:\n  hosts:\n    localhost:\n'
		printf '      %s\n' 'ansible_connection: local' 'ansible_python_interpreter: /usr/bin/python3' \
			'ansible_become_method: su'
		sed 's/^/      /'
	} >"$1"
}

# --- Ansible: make ansible, the playbook in check+diff mode, then for real --------
ex_ansible() {
	if ansible_missing; then return; fi
	local f
	# a directory of links to this tree, so `-i inventory` names the
	# harness's inventory without writing into the tree
	mkdir -p "$W/farm"
	for f in "$REPO"/* "$REPO"/.[!.]*; do ln -s "$f" "$W/farm/${f##*/}"; done
	inventory "$W/farm/inventory" <<EOF
reclaim_advisor_root: "$RA_ROOT"
reclaim_advisor_data_dir: "$W/data"
reclaim_advisor_fact_dir: "$W/facts.d"
reclaim_advisor_environment:
  RECLAIM_ADVISOR_SYSCONFDIR: "$TMP/sysconf"
EOF
	mkdir -p "$W/facts.d"
	ansible_env "$W/home"
	local frag=$RA_ROOT/etc/sysctl.d/60-reclaim-advisor.conf
	(cd "$W/farm" && bash "$BODY") >"$W/out" 2>&1
	[ $? = 0 ] && ok || { bad "the block failed"; sed 's/^/    /' "$W/out"; }
	check "make ansible installed the module" test -x "$REPO/contrib/ansible/library/reclaim_advisor"
	# the two plays' recaps, in order: check mode changed, then the real run changed
	grep -E '^localhost +:' "$W/out" >"$W/recaps"
	[ "$(wc -l <"$W/recaps")" = 2 ] && ok || bad "expected two play recaps: $(cat "$W/recaps")"
	sed -n 1p "$W/recaps" | grep -q 'changed=[1-9].*failed=0' && ok || bad "check mode: $(sed -n 1p "$W/recaps")"
	grep -q '^+vm\.' "$W/out" && ok || bad "--diff showed no fragment line"
	sed -n 2p "$W/recaps" | grep -q 'changed=[1-9].*failed=0' && ok || bad "apply: $(sed -n 2p "$W/recaps")"
	check "fragment written" grep -q '^vm\.' "$frag"
	check "every fragment value live under the root" fragment_live "$frag"
	check "the audit fact installed" test -x "$W/facts.d/reclaim_advisor.fact"
	# the README's promise: a rerun after applying reports ok
	cp "$frag" "$W/frag.1"
	(cd "$W/farm" && ansible-playbook -i inventory contrib/ansible/site.yml) >"$W/out2" 2>&1
	grep -qE '^localhost +:.*changed=0.*failed=0' "$W/out2" && ok || bad "rerun: $(grep -E '^localhost' "$W/out2")"
	check "rerun left the fragment byte-identical" cmp -s "$frag" "$W/frag.1"
}

# --- fleet: ad-hoc audit, fetch, summary ---------------------------------------
ex_fleet() {
	if ansible_missing; then return; fi
	if ! unshare -m true 2>/dev/null; then
		echo "SKIP: [$NAME] unshare -m not permitted; /var/tmp cannot be made private"
		return
	fi
	inventory "$W/inventory" </dev/null
	export ANSIBLE_INVENTORY=$W/inventory
	ansible_env "$W/home"
	(cd "$W/cwd" && unshare -m --propagation private bash -c \
		'mount -t tmpfs -o size=4m tmpfs /var/tmp && bash "$1"' _ "$BODY") >"$W/out" 2>"$W/err"
	[ $? = 0 ] && ok || bad "the block failed: $(cat "$W/err")"
	unset ANSIBLE_INVENTORY
	check "the audit fetched" json_ok "$REPO/schema/audit.schema.json" "$W/cwd/audits/localhost/var/tmp/ra.json"
	expect_rc '^fleet audits/ --group-by kernel$' 0
	grep -q '1 host' "$W/out" && ok || bad "fleet does not count the one host: $(head -3 "$W/out")"
}

# --- the rule-file example, deployed as a site drop-in, passes rules check --strict
# (with the shipped rules and profiles, as on a host; it replaces the shipped
# rule of the same id) and then fires on a capture with direct reclaim
ex_rule_file() {
	local d=$RECLAIM_ADVISOR_SYSCONFDIR/reclaim-advisor/rules.d
	mkdir -p "$d"
	cp "$BODY" "$d/50-example.ini"
	reclaim-advisor rules check --strict >"$W/out" 2>&1 && ok || { bad "rules check --strict"; sed 's/^/    /' "$W/out"; }
	reclaim-advisor explain kswapd-headroom-from-rates \
		--root "$REPO/fixtures/derived/qemu-6.1-512m-zram-direct-reclaim/after" \
		--baseline "$REPO/fixtures/derived/qemu-6.1-512m-zram-direct-reclaim/before" >"$W/out" 2>&1
	grep -qE '^  why: [0-9.]+ direct reclaim entries/s, so the buffer becomes [0-9]+/10000' "$W/out" && ok ||
		{ bad "the example rule does not fire on a capture with direct reclaim"; sed 's/^/    /' "$W/out"; }
	rm -r "$d"
}

while read -r NAME; do
	skip=$(awk -F'\t' '$1 == "skip" { print $2 }' "$TMP/ex/$NAME.attrs")
	if [ -n "$skip" ]; then
		echo "not run: $NAME ($(attr file):$(attr line)): $skip"
		continue
	fi
	setup "$NAME"
	fn=ex_${NAME//-/_}
	if ! declare -F "$fn" >/dev/null; then
		bad "$(attr file):$(attr line): no check for example $NAME in $0"
		continue
	fi
	before=$fail
	"$fn"
	# no call may end in a usage, input, configuration or write error
	if awk -F'\t' '$1 == 64 || $1 == 65 || $1 == 66 || $1 == 73 || $1 == 74 || $1 == 78 || $1 == 79 { print; bad = 1 }
		END { exit bad }' "$RA_LOG" >"$W/badcalls"; then ok; else bad "calls that failed: $(cat "$W/badcalls")"; fi
	[ "$fail" = "$before" ] && echo "ok: $NAME ($(attr file):$(attr line))" ||
		{ echo "    stderr of $NAME:"; sed 's/^/    /' "$W/err" 2>/dev/null | head -20; }
done <"$TMP/ex/index"

echo "readme examples e2e: $pass passed, $fail failed"
[ "$fail" = 0 ]
