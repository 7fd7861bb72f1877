#!/usr/bin/env python3
"""stall-levels.py BENCH_DIR SCENARIO [SETTING ...]: where the direct reclaim of a scenario's runs happened,
by the free memory the recorder saw around it (history format 2, one sample every 0.1 s).

For each interval between two consecutive samples of a run's history that counts direct reclaim entries
(Σ allocstall_* rises), the interval is classed by the lowest free count of either end, in every populated zone,
against that zone's marks from the history's header plus the boost recorded in the same sample:
  below min   some zone at or below min + boost at an end (an order-0 allocation there reclaims directly);
  min..low    every zone above min + boost, some at or below low + boost;
  above low   every zone above low + boost at both ends.
Stalls in the last two classes come either from a dip that fell between the two samples and recovered, or from
higher-order allocations, which reclaim while free pages are above min because no free block is large enough
(order-9 THP), which the kernel counts in compact_stall/compact_fail when it compacts directly.  The table gives
those counters' rises in the same intervals, and how fast the runs allocate: the largest rise of Σ pgalloc_* over
one interval, in MiB/s (median over the runs), and the THP faults per run (median).  THP never runs of the same
workload are the control: they have no THP allocations, so their stalls above min are the sampling gap alone."""
import statistics
import os
import sys

PAGE = 4096  # x86-64, the guests' page size (the header's page_size)


def load(path):
    names, zones, marks, samples = None, [], {}, []
    zone = None
    for line in open(path, encoding="ascii"):
        if line.startswith("vmstat "):
            names = line.split()[1:]
        elif line.startswith("Node "):
            zone = line.split()[-1]
            zones.append(zone)
            marks[zone] = {}
        elif zone and line.split()[:1] in (["min"], ["low"], ["high"], ["managed"]) and len(line.split()) == 2:
            marks[zone][line.split()[0]] = int(line.split()[1])
        elif line.startswith("S "):
            f = line.split()[1:-1]
            v = f[2:]
            nz = len(zones)
            vm = dict(zip(names, v[:len(names)]))
            free = v[len(names):len(names) + nz]
            boost = v[len(names) + nz + 2:len(names) + 2 * nz + 2]
            samples.append((vm, free, boost, f[1]))
    return names, zones, marks, samples


def num(x):
    return None if x == "-" else int(x)


def classify(path):
    """The stalls of one history by level, and its peak allocation rate (MiB/s) and THP faults."""
    names, zones, marks, samples = load(path)
    live = [i for i, z in enumerate(zones) if marks[z].get("managed", 0) > 0]
    out = {"below min": [0, 0, 0, 0], "min..low": [0, 0, 0, 0], "above low": [0, 0, 0, 0]}
    stall_keys = [n for n in names if n.startswith("allocstall_")]
    for a, b in zip(samples, samples[1:]):
        d = {}
        for k in stall_keys + ["compact_stall", "compact_fail", "thp_fault_fallback"]:
            x, y = num(a[0].get(k, "-")), num(b[0].get(k, "-"))
            d[k] = 0 if x is None or y is None else y - x
        stalls = sum(d[k] for k in stall_keys)
        if stalls <= 0:
            continue
        level = "above low"
        for i in live:
            z = zones[i]
            for s in (a, b):
                free, boost = num(s[1][i]), num(s[2][i]) or 0
                if free is None:
                    continue
                if free <= marks[z]["min"] + boost:
                    level = "below min"
                elif free <= marks[z]["low"] + boost and level == "above low":
                    level = "min..low"
        o = out[level]
        o[0] += stalls
        o[1] += d["compact_stall"]
        o[2] += d["compact_fail"]
        o[3] += d["thp_fault_fallback"]
    allocs = [n for n in names if n.startswith("pgalloc_")]
    peak = 0.0
    for a, b in zip(samples, samples[1:]):
        vals = [(num(a[0][k]), num(b[0][k])) for k in allocs]
        pages = sum(y - x for x, y in vals if x is not None and y is not None)
        dt = (int(b[3]) - int(a[3])) / 1e9
        if dt > 0:
            peak = max(peak, pages * PAGE / dt / 2**20)
    thp = [num(samples[i][0].get("thp_fault_alloc", "-")) for i in (0, -1)] if samples else [None]
    faults = thp[1] - thp[0] if None not in thp else 0
    return out, peak, faults


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    state, scenario, settings = sys.argv[1], sys.argv[2], sys.argv[3:]
    base = os.path.join(state, "runs", scenario)
    settings = settings or sorted(s for s in os.listdir(base) if s != "source")
    print(f"| {scenario}: setting | runs | direct reclaim entries | below min | min..low | above low "
          "| compact_stall (fail) in min..low and above low | thp_fault_fallback there "
          "| peak allocation, MiB/s | THP faults per run |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for s in settings:
        tot = {"below min": [0, 0, 0, 0], "min..low": [0, 0, 0, 0], "above low": [0, 0, 0, 0]}
        n, peaks, faults = 0, [], []
        for r in sorted(os.listdir(os.path.join(base, s))):
            h = os.path.join(base, s, r, "history")
            if not os.path.exists(h):
                continue
            n += 1
            levels, peak, f = classify(h)
            peaks.append(peak)
            faults.append(f)
            for k, v in levels.items():
                tot[k] = [x + y for x, y in zip(tot[k], v)]
        all_ = sum(v[0] for v in tot.values())
        if not n:
            continue
        pct = lambda k: f"{tot[k][0]} ({100 * tot[k][0] / all_:.0f} %)" if all_ else "0"
        up = [tot["min..low"][i] + tot["above low"][i] for i in range(4)]
        print(f"| {s} | {n} | {all_} | {pct('below min')} | {pct('min..low')} | {pct('above low')} "
              f"| {up[1]} ({up[2]}) | {up[3]} | {statistics.median(peaks):.0f} | {statistics.median(faults):.0f} |")


if __name__ == "__main__":
    main()
