#!/usr/bin/env python3
"""cut.py RUNS_CSV: per scenario and setting, the measured runs, the mean and median, the cut against the
pooled defaults with a bootstrap 90 % interval (resampling both the setting's runs and the defaults' runs,
10000 times, fixed seed: the same CSV gives the same table), and the cut against the defaults of the same rounds
only (the interleaving's own baseline).  Three to six runs that swing between 0 and 270 entries give wide
intervals: the interval says how far a mean-based cut can be trusted."""
import csv, random, statistics, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["setting"] != "source"]
rng = random.Random(12)
by = {}
for r in rows:
    by.setdefault((r["scenario"], r["setting"]), []).append((int(r["run"]), int(r["allocstall"])))
print("| guest | setting | runs (entries) | mean | median | cut | 90 % interval of the cut | cut against the same rounds' defaults |")
print("|---|---|---|---|---|---|---|---|")
for (sc, s), v in sorted(by.items()):
    if s == "defaults":
        continue
    d = by.get((sc, "defaults"))
    if not d:
        continue
    dv = [a for _, a in d]; sv = [a for _, a in v]
    dm = statistics.mean(dv); m = statistics.mean(sv)
    boots = []
    for _ in range(10000):
        bs = [rng.choice(sv) for _ in sv]; bd = [rng.choice(dv) for _ in dv]
        boots.append(100 * (1 - statistics.mean(bs) / statistics.mean(bd)))
    boots.sort()
    lo, hi = boots[500], boots[9499]
    rounds = {n for n, _ in v}
    same = [a for n, a in d if n in rounds]
    sr = f"{100 * (1 - m / statistics.mean(same)):.1f} % (n={len(same)})" if same else "-"
    print(f"| {sc} | {s} | {', '.join(str(a) for _, a in sorted(v))} | {m:.0f} | {statistics.median(sv):.0f} | "
          f"{100 * (1 - m / dm):.1f} % | {lo:.1f}-{hi:.1f} % | {sr} |")
