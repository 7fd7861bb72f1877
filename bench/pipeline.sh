#!/bin/bash
# Wall time and peak RSS of the whole pipeline (collect -> facts -> model ->
# rules -> render): `facts`, `watermarks`, `recommend` and
# `recommend --format json`, each on the live host, on the largest capture
# (rhel8-coreos-sosreport-4.18-x86_64) and on the 4-node capture
# (ncollectd-zoneinfo-3.10ish-x86_64-190g-4node); RUNS (20) runs each,
# medians.  Then callgrind's instruction count of one `recommend` run per
# host: a figure that does not depend on the machine's load (a capture gives
# the same count twice; the script checks that).
#
# Wall time is taken by python3 around each run (fork + exec + exit
# included); peak RSS by GNU time's %M (package `time`), in a second run
# each; without /usr/bin/time it falls back to wait4() in python3, which
# over-reports (a forked child's maximum RSS counts the python parent's pages
# until exec) and says so.  Without valgrind the callgrind part is skipped.
#
# Shipped rules (rules/), templates (templates/) and an empty sysconf dir:
# the figures do not depend on /etc/reclaim-advisor drop-ins.  Read-only:
# nothing is written outside a temporary directory.
#
#   BIN=/abs/path/reclaim-advisor bash bench/pipeline.sh     (make bench does)
#   RUNS=50 CALLGRIND=0 bash bench/pipeline.sh               (more runs, no valgrind)
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$repo/build/reclaim-advisor}
RUNS=${RUNS:-20}
CALLGRIND=${CALLGRIND:-1}
cd "$repo" || exit 1
if [ ! -x "$BIN" ]; then
	echo "bench/pipeline.sh: no binary at $BIN (run make first)"
	exit 1
fi
tmp=$(mktemp -d /tmp/bench-pipeline.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# A private copy: a concurrent `make` relinking the binary must not make a
# run fail with "text file busy".  The copy cannot find rules/ next to
# itself, hence the explicit directories.
cp "$BIN" "$tmp/reclaim-advisor" && chmod +x "$tmp/reclaim-advisor"
mkdir -p "$tmp/sysconf"
export RECLAIM_ADVISOR_RULES_DIR=$repo/rules
export RECLAIM_ADVISOR_TEMPLATE_DIR=$repo/templates
export RECLAIM_ADVISOR_SYSCONFDIR=$tmp/sysconf

largest=fixtures/captures/rhel8-coreos-sosreport-4.18-x86_64
fournode=fixtures/captures/ncollectd-zoneinfo-3.10ish-x86_64-190g-4node

python3 - "$tmp/reclaim-advisor" "$RUNS" "$CALLGRIND" "$tmp" "$largest" "$fournode" <<'EOF'
import os, platform, re, shutil, statistics, subprocess, sys, time

binary, runs, callgrind, tmp, largest, fournode = sys.argv[1:7]
runs, callgrind = int(runs), callgrind != "0"
have_time = os.access("/usr/bin/time", os.X_OK)
hosts = [("live /", []), ("rhel8 sosreport (largest)", ["--root", largest]),
         ("4-node 190g", ["--root", fournode])]
commands = [("facts", ["facts"]), ("watermarks", ["watermarks"]), ("recommend", ["recommend"]),
            ("recommend --format json", ["recommend", "--format", "json"])]


def run(args):
    return subprocess.run([binary] + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode


def peak_rss_kib(args):
    if have_time:
        p = subprocess.run(["/usr/bin/time", "-f", "%M", binary] + args, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)
        return int(p.stderr.strip().splitlines()[-1])
    p = subprocess.Popen([binary] + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, ru = os.wait4(p.pid, 0)
    return ru.ru_maxrss


version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
print(f"pipeline benchmark  {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}  {version}  "
      f"{platform.machine()}, {os.cpu_count()} CPUs, kernel {platform.release()}")
print(f"wall: median of {runs} runs (min-max), fork+exec included; peak RSS: median, "
      + ("GNU time %M" if have_time else "python wait4 (over-reports: no /usr/bin/time)"))
print()
print(f"{'host':<27} {'command':<24} {'wall ms':>8} {'(min-max)':>13} {'peak RSS MiB':>13}")
failed = 0
for hname, hargs in hosts:
    for cname, cargs in commands:
        args = cargs + hargs
        rc = run(args)  # warm the page cache; also the exit code check
        if rc != 0:
            print(f"{hname:<27} {cname:<24} exit {rc}")
            failed += 1
            continue
        walls, rss = [], []
        for _ in range(runs):
            t0 = time.perf_counter()
            run(args)
            walls.append((time.perf_counter() - t0) * 1000)
            rss.append(peak_rss_kib(args) / 1024)
        print(f"{hname:<27} {cname:<24} {statistics.median(walls):8.2f} "
              f"{'(%.2f-%.2f)' % (min(walls), max(walls)):>13} {statistics.median(rss):13.1f}")

if callgrind:
    print()
    if not shutil.which("valgrind"):
        print("callgrind: skipped (valgrind not installed: apt-get install valgrind)")
    else:
        print("callgrind: instructions (Ir) of one `recommend` run (terminal output)")
        for hname, hargs in hosts:
            counts = []
            for i in range(1 if not hargs else 2):  # the live host moves between runs
                out = os.path.join(tmp, f"callgrind.{len(counts)}.out")
                p = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                                    binary, "recommend"] + hargs,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                m = re.search(r"Collected\s*:\s*(\d+)", p.stderr)
                if p.returncode != 0 or not m:
                    print(f"  {hname:<27} valgrind failed (exit {p.returncode})")
                    failed += 1
                    break
                counts.append(int(m.group(1)))
            if not counts:
                continue
            note = ""
            if len(counts) > 1:
                note = "  (2 runs, identical)" if counts[0] == counts[1] else f"  (2 runs DIFFER: {counts[1]:,})"
            print(f"  {hname:<27} {counts[0]:>14,}{note}")
sys.exit(1 if failed else 0)
EOF
