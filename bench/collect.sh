#!/bin/bash
# Wall time and peak RSS of `collect` (issue 2): on the live host and on the
# largest capture (by bytes), 20 runs each, medians printed.  Target: low
# milliseconds and a few MiB.  Wall time is measured around each run by
# python3; peak RSS by /usr/bin/time (package `time`).  Without it, RSS comes
# from wait4() in python3, which over-reports: a forked child's maximum RSS
# includes the python parent's pages before exec.
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$repo/build/reclaim-advisor}
RUNS=${RUNS:-20}
cd "$repo" || exit 1
if [ ! -x "$BIN" ]; then
	echo "bench/collect.sh: no binary at $BIN (run make first)"
	exit 1
fi
# A private copy: a concurrent `make` relinking the binary must not make a
# run fail with "text file busy".
copy=$(mktemp)
trap 'rm -f "$copy"' EXIT
cp "$BIN" "$copy" && chmod +x "$copy"
largest=$(du -sb fixtures/captures/*/ | sort -n | tail -1 | cut -f2)
largest=${largest%/}

python3 - "$copy" "$RUNS" "$largest" <<'EOF'
import os, statistics, subprocess, sys, time

binary, runs, largest = sys.argv[1], int(sys.argv[2]), sys.argv[3]

have_time = os.access("/usr/bin/time", os.X_OK)

def peak_rss_mib(args):
    if have_time:
        out = subprocess.run(["/usr/bin/time", "-f", "%M", binary] + args, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True, check=True).stderr
        return int(out.strip().splitlines()[-1]) / 1024
    p = subprocess.Popen([binary] + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, ru = os.wait4(p.pid, 0)
    return ru.ru_maxrss / 1024

def bench(label, args):
    walls, rss = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        rc = subprocess.run([binary] + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        walls.append((time.perf_counter() - t0) * 1000)
        if rc != 0:
            print(f"{label}: exit {rc}")
            sys.exit(1)
        rss.append(peak_rss_mib(args))
    how = "" if have_time else " (wait4, over-reports)"
    print(f"collect {label:<60} median {statistics.median(walls):6.2f} ms "
          f"(min {min(walls):.2f}, max {max(walls):.2f})  "
          f"peak RSS median {statistics.median(rss):.1f} MiB (max {max(rss):.1f}){how}  [{runs} runs]")

bench("live host (/)", ["collect"])
bench(largest, ["collect", "--root", largest])
EOF
