#!/usr/bin/env python3
"""pool.py RUNS_CSV_3 RUNS_CSV_4: one runs.csv (to stdout) of the settings that the third and the fourth campaign
both measured on 6.1 (the defaults, main's advice wsf 442 / 445 under their campaign-3 names, wsf442-wbf0), for
cut.py: the advice's cut over both campaigns' hours.  Campaign 4's rounds are renumbered 101-116, so that cut.py's
"same rounds" stays within one campaign."""
import csv, sys
ren = {("6.1-thp-always", "advice-history-main595a89d"): "wsf442", ("6.1-thp-never", "advice-history"): "wsf445"}
keep = {"defaults", "wsf442", "wsf442-wbf0", "wsf445"}
out = None
for path, off in ((sys.argv[1], 0), (sys.argv[2], 100)):
    for r in csv.DictReader(open(path)):
        if r["scenario"] not in ("6.1-thp-always", "6.1-thp-never"):
            continue
        r["setting"] = ren.get((r["scenario"], r["setting"]), r["setting"])
        if r["setting"] not in keep:
            continue
        r["run"] = str(int(r["run"]) + off)
        if out is None:
            out = csv.DictWriter(sys.stdout, fieldnames=list(r.keys())); out.writeheader()
        out.writerow(r)
