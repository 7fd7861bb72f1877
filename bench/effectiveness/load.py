#!/usr/bin/env python3
"""load.py RUNS_CSV [MIN_RUNS]: does the host's load move a setting's direct reclaim?  Per scenario and setting
with at least MIN_RUNS runs (default 8): Spearman's rank correlation of the runs' direct reclaim entries with the
host seconds the guest took and with the host's 1-minute load average (mean of the run's start and end), and the
mean entries of the less loaded and the more loaded half of the runs (split at the median load).

The guests run under TCG on 2 host cores shared with other engineers' builds: a busy host slows the emulated
CPUs, and a run's count depends on it.  Interleaved rounds give every setting the same mix of load; this table
says how large the effect is, and in which direction."""
import csv
import statistics
import sys


def ranks(v):
    order = sorted(range(len(v)), key=lambda i: v[i])
    r = [0.0] * len(v)
    i = 0
    while i < len(order):  # ties share their mean rank
        j = i
        while j + 1 < len(order) and v[order[j + 1]] == v[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2
        i = j + 1
    return r


def spearman(a, b):
    ra, rb = ranks(a), ranks(b)
    if len(set(ra)) < 2 or len(set(rb)) < 2:
        return float("nan")
    return statistics.correlation(ra, rb)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    least = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    by = {}
    for r in csv.DictReader(open(sys.argv[1])):
        if r["setting"] != "source" and r["host_seconds"] and r["load1_start"]:
            by.setdefault((r["scenario"], r["setting"]), []).append(r)
    print("| guest | setting | runs | ρ(entries, host seconds) | ρ(entries, load) | load range "
          "| mean entries, less loaded half | more loaded half |")
    print("|---|---|---|---|---|---|---|---|")
    for (sc, s), v in sorted(by.items()):
        if len(v) < least:
            continue
        a = [int(x["allocstall"]) for x in v]
        h = [float(x["host_seconds"]) for x in v]
        ld = [(float(x["load1_start"]) + float(x["load1_end"])) / 2 for x in v]
        med = statistics.median(ld)
        lo = [e for e, x in zip(a, ld) if x <= med]
        hi = [e for e, x in zip(a, ld) if x > med]
        print(f"| {sc} | {s} | {len(v)} | {spearman(a, h):+.2f} | {spearman(a, ld):+.2f} | "
              f"{min(ld):.1f}-{max(ld):.1f} | {statistics.mean(lo):.0f} (n={len(lo)}) | "
              f"{statistics.mean(hi):.0f} (n={len(hi)}) |" if hi else "")


if __name__ == "__main__":
    main()
