#!/bin/bash
# The cost of `record` (issue 12): CPU per hour of recording at --interval 1
# and 0.1 on the live host, and peak RSS.  Goal: under 0.1 % of one core at
# 1 s (3.6 CPU-seconds an hour), under 4 MiB.
#
# CPU comes from the kernel's rusage of the recorder (os.wait4 in python3:
# user + system time of the process alone), over SLOW seconds at 1 s and FAST
# seconds at 0.1 s; the start-up (collecting the host's settings once, the
# header) is measured apart with a recording of one sample and subtracted, so
# the hourly figure is the steady-state cost per sample times samples per
# hour, plus the one-off start-up.  Peak RSS by /usr/bin/time -f %M (GNU time)
# of a FAST-second recording at 0.1 s.  The file goes to a temporary
# directory; the live host is only read.
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$repo/build/reclaim-advisor}
SLOW=${SLOW:-60}
FAST=${FAST:-20}
if [ ! -x "$BIN" ]; then
	echo "bench/record.sh: no binary at $BIN (run make first)"
	exit 1
fi
if [ ! -r /proc/zoneinfo ]; then
	echo "bench/record.sh: /proc/zoneinfo not readable; skipped"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$BIN" "$tmp/bin" && chmod +x "$tmp/bin"

python3 - "$tmp" "$SLOW" "$FAST" <<'PY'
import os, subprocess, sys

tmp, slow, fast = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
binary = os.path.join(tmp, "bin")

def run(interval, duration):
    out = os.path.join(tmp, "h")
    # A fresh file each time: record continues a compatible history it finds
    # (same boot, settings and interval), which would add the earlier runs'
    # samples to this one's count and understate the cost per sample.
    if os.path.exists(out):
        os.unlink(out)
    p = subprocess.Popen([binary, "record", "-o", out, "--interval", str(interval), "--duration", str(duration)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    if status != 0:
        print(f"record exited with {status}: {p.stderr.read().decode()}"); sys.exit(1)
    lines = [line for line in open(out) if line.startswith("S ")]
    return ru.ru_utime + ru.ru_stime, len(lines), sum(len(line) for line in lines)

# start-up: one sample (median of 5)
starts = sorted(run(1, 0.01)[0] for _ in range(5))
start = starts[2]
print(f"record start-up (settings, header, first sample): {start * 1000:.2f} ms CPU (median of 5)")
for interval, duration in ((1, slow), (0.1, fast)):
    cpu, n, size = run(interval, duration)
    per = max(cpu - start, 0) / max(n - 1, 1)
    per_hour = per * 3600 / interval
    print(f"record --interval {interval:<4} {duration:5.0f} s: {n} samples, {cpu * 1000:.1f} ms CPU, "
          f"{per * 1e6:.0f} us per sample -> {per_hour:.2f} CPU-s per hour "
          f"({per_hour / 36:.4f} % of one core); {size / n:.0f} bytes per sample line "
          f"({size / n * 3600 / interval / 1048576:.1f} MiB per hour)")

have_time = os.access("/usr/bin/time", os.X_OK)
if have_time:
    r = subprocess.run(["/usr/bin/time", "-f", "%M", binary, "record", "-o", os.path.join(tmp, "r"),
                        "--interval", "0.1", "--duration", str(min(fast, 5))],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    print(f"record peak RSS: {int(r.stderr.strip().splitlines()[-1]) / 1024:.1f} MiB (/usr/bin/time)")
else:
    print("record peak RSS: /usr/bin/time missing (Debian package `time`); skipped")
PY
