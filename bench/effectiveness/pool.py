#!/usr/bin/env python3
"""pool.py RUNS_CSV_3 RUNS_CSV_4 [RUNS_CSV_5]: one runs.csv (to stdout) of the settings that the third, the fourth
(and the fifth) campaign measured alike on 6.1 (the defaults, main's advice wsf 442 with THP always and wsf 445
with THP never under their campaign-3 and campaign-5 names, wsf442-wbf0), for cut.py: the advice's cut over every
campaign's hours.  The rounds of the n-th CSV are renumbered by 100 x (n - 1) (campaign 4: 101-116, campaign 5:
201-...), so that cut.py's "same rounds" stays within one campaign."""
import csv, sys
ren = {("6.1-thp-always", "advice-history-main595a89d"): "wsf442", ("6.1-thp-never", "advice-history"): "wsf445",
       # campaign 5: main's advice at 1677bf8 (THP always: the same wsf 442)
       ("6.1-thp-always", "advice-history-main1677bf8"): "wsf442"}
keep = {"defaults", "wsf442", "wsf442-wbf0", "wsf445"}
out = None
for i, path in enumerate(sys.argv[1:]):
    for r in csv.DictReader(open(path)):
        if r["scenario"] not in ("6.1-thp-always", "6.1-thp-never"):
            continue
        # campaign 5's THP-never advice is wsf 472 + boost 0, not wsf 445: kept out
        if i == 2 and r["scenario"] == "6.1-thp-never" and r["setting"] != "defaults":
            continue
        r["setting"] = ren.get((r["scenario"], r["setting"]), r["setting"])
        if r["setting"] not in keep:
            continue
        r["run"] = str(int(r["run"]) + 100 * i)
        if out is None:
            out = csv.DictWriter(sys.stdout, fieldnames=list(r.keys())); out.writeheader()
        out.writerow(r)
