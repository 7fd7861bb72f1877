#!/usr/bin/env python3
"""boost.py [--runs] BENCH_DIR SCENARIO [SETTING ...]: did watermark boosting make a run's direct reclaim?  From the runs'
histories (format 2: every sample holds each zone's free pages and watermark boost, one sample every 0.1 s).

The kernel adds a zone's boost to all of its marks (wmark_pages() = _watermark + watermark_boost, min included),
so while a zone is boosted a user page fault (not __GFP_ATOMIC, which alone is checked against the un-boosted
min) reclaims directly as soon as free memory falls below min + boost, and kswapd's boosted reclaim runs without
swap and writeback (balance_pgdat).  A boost rises by one pageblock (2 MiB) per fallback event
(steal_suitable_fallback), up to watermark_boost_factor/10000 x HIGH, and falls when kswapd has reclaimed it.

Per setting (with --runs a line per run first): the direct reclaim entries (Σ allocstall_* over the history),
the share of samples with any zone boosted, the largest Σ boost (MiB), the boost rises (+1 pageblock each: the
fallback events the samples saw, at least), and the stalls by the 0.1 s interval they fell in:
  boosted    a zone was boosted at either end of the interval;
  boost-made of those, the intervals where some zone was at or below min + boost at an end but every zone above
             its un-boosted min at both ends: the stall needed the boost (without it free memory was above min);
  unboosted  no zone boosted at either end.
and kswapd's counters over the history: pgscan_kswapd, pgsteal_kswapd, kswapd_low_wmark_hit_quickly (kswapd
went to sleep and was woken again quickly: the low mark was hit soon after it balanced),
kswapd_high_wmark_hit_quickly, pageoutrun (balance_pgdat passes).  Without boosting (watermark_boost_factor 0)
every stall is 'unboosted'; what remains there is the burst against the low-min gap alone.  Two more columns tell
a late kswapd from a slow one: the share of stalls whose interval followed one where kswapd was already scanning
(pgscan_kswapd rose: it was awake, and reclaimed too slowly for the burst), the share of stalls whose interval
began 0.1 s after a sample with every zone above low + boost (the burst took the whole low-min gap within
0.2 s), and the largest Σ pgalloc_* over
0.3 s (three intervals: two bursters overlapping), the median over the runs."""
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from importlib import import_module  # noqa: E402

sl = import_module("stall-levels")
PAGE = 4096
KSWAPD = ["pgscan_kswapd", "pgsteal_kswapd", "kswapd_low_wmark_hit_quickly", "kswapd_high_wmark_hit_quickly",
          "pageoutrun"]


def run(path):
    names, zones, marks, samples = sl.load(path)
    live = [i for i, z in enumerate(zones) if marks[z].get("managed", 0) > 0]
    num = sl.num
    stall_keys = [n for n in names if n.startswith("allocstall_")]
    r = {"stalls": 0, "boosted": 0, "made": 0, "unboosted": 0, "boosted_samples": 0, "max_boost": 0, "rises": 0,
         "awake": 0, "peak3": 0.0, "fast": 0}

    def delta(a, b, keys):
        t = 0
        for k in keys:
            x, y = num(a[0].get(k, "-")), num(b[0].get(k, "-"))
            if x is not None and y is not None:
                t += y - x
        return t

    allocs = [n for n in names if n.startswith("pgalloc_")]
    for j in range(3, len(samples)):
        r["peak3"] = max(r["peak3"], delta(samples[j - 3], samples[j], allocs) * PAGE / 2**20)

    def bsum(s):
        return sum(num(s[2][i]) or 0 for i in live)

    for s in samples:
        b = bsum(s)
        r["boosted_samples"] += b > 0
        r["max_boost"] = max(r["max_boost"], b)
    for j, (a, b) in enumerate(zip(samples, samples[1:])):
        for i in live:
            x, y = num(a[2][i]) or 0, num(b[2][i]) or 0
            if y > x:
                r["rises"] += (y - x + 511) // 512
        st = 0
        for k in stall_keys:
            x, y = num(a[0].get(k, "-")), num(b[0].get(k, "-"))
            if x is not None and y is not None:
                st += y - x
        if st <= 0:
            continue
        r["stalls"] += st
        if j > 0 and delta(samples[j - 1], a, ["pgscan_kswapd"]) > 0:
            r["awake"] += st
        if j > 0 and all((num(samples[j - 1][1][i]) or 0) > marks[zones[i]]["low"] + (num(samples[j - 1][2][i]) or 0)
                         for i in live):
            r["fast"] += st
        if bsum(a) == 0 and bsum(b) == 0:
            r["unboosted"] += st
            continue
        r["boosted"] += st
        under_boosted = under_min = False
        for i in live:
            z = zones[i]
            for s in (a, b):
                free, boost = num(s[1][i]), num(s[2][i]) or 0
                if free is None:
                    continue
                under_boosted |= free <= marks[z]["min"] + boost
                under_min |= free <= marks[z]["min"]
        if under_boosted and not under_min:
            r["made"] += st
    for k in KSWAPD:
        x, y = num(samples[0][0].get(k, "-")), num(samples[-1][0].get(k, "-"))
        r[k] = y - x if x is not None and y is not None else 0
    r["samples"] = len(samples)
    return r


def line(label, rs):
    tot = {k: sum(r[k] for r in rs) for k in rs[0]}
    peak3 = sorted(r["peak3"] for r in rs)[(len(rs) - 1) // 2]
    n = len(rs)
    pct = lambda a, b: f"{100 * a / b:.0f} %" if b else "-"
    return (f"| {label} | {n} | {tot['stalls']} | {pct(tot['boosted_samples'], tot['samples'])} | "
            f"{max(r['max_boost'] for r in rs) * PAGE / 2**20:.0f} | {tot['rises'] / n:.0f} | "
            f"{tot['boosted']} ({pct(tot['boosted'], tot['stalls'])}) | {tot['made']} | {tot['unboosted']} | "
            f"{pct(tot['awake'], tot['stalls'])} | {pct(tot['fast'], tot['stalls'])} | {peak3:.0f} | "
            + " | ".join(f"{tot[k] / n:.0f}" for k in KSWAPD) + " |")


def main():
    args = sys.argv[1:]
    per_run = args[:1] == ["--runs"]
    args = args[1:] if per_run else args
    if len(args) < 2:
        sys.exit(__doc__)
    state, scenario, settings = args[0], args[1], args[2:]
    base = os.path.join(state, "runs", scenario)
    settings = settings or sorted(s for s in os.listdir(base) if s != "source")
    print(f"| {scenario}: setting, run | runs | direct reclaim entries | samples boosted | largest Σ boost, MiB "
          "| boost rises per run | stalls while boosted | of those boost-made | stalls unboosted "
          "| of all stalls, kswapd scanning in the 0.1 s before | from above low within 0.2 s "
          "| peak Σ pgalloc in 0.3 s, MiB (median) "
          "| pgscan_kswapd | pgsteal_kswapd | kswapd_low_wmark_hit_quickly | kswapd_high_wmark_hit_quickly "
          "| pageoutrun |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for s in settings:
        d = os.path.join(base, s)
        if not os.path.isdir(d):
            continue
        rs = []
        for n in sorted(os.listdir(d), key=lambda x: (len(x), x)):
            h = os.path.join(d, n, "history")
            if os.path.exists(h):
                r = run(h)
                rs.append(r)
                if per_run:
                    print(line(f"{s} {n}", [r]))
        if rs:
            print(line(f"**{s}**", rs))


if __name__ == "__main__":
    main()
