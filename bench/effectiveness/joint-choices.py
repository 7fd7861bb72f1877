#!/usr/bin/env python3
"""joint-choices.py [--k K] [--shuffles S] STATE...: what `whatif` chooses
from K defaults recordings at once (whatif --history A --history B ...),
against what it chooses from each alone (choices.sh).

Every defaults history of the campaigns' run folders
(STATE/runs/SCENARIO/defaults/N/history) is a recording the advice could
have been computed from.  Per scenario, the recordings are dealt into
disjoint groups of K, S times over (a fixed seed per shuffle: the output
is the same on every run), and each group goes to one whatif.  Prints, per
scenario, the spread of the single and of the K-recording choices (wsf,
"+b0" with boosting off), their 10th percentile and median, and how often
the K-recording choice met the target on every recording of its group.
--json FILE also writes every group and its choice.

BIN: the reclaim-advisor binary (default ../../build/reclaim-advisor).
"""
import argparse
import glob
import json
import os
import random
import subprocess
import sys

SCENARIOS = ["6.1-thp-always", "6.1-thp-never", "6.12-thp-never", "6.1-zram"]


def run_whatif(binary, histories):
    cmd = [binary, "whatif", "--format", "json"]
    for h in histories:
        cmd += ["--history", h]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def label(settings):
    w = settings.get("vm.watermark_scale_factor")
    b = settings.get("vm.watermark_boost_factor")
    return (w, b == 0)


def text(lab):
    return f"{lab[0]}{'+b0' if lab[1] else ''}"


def pct(sorted_vals, p):
    return sorted_vals[min(len(sorted_vals) - 1, int(len(sorted_vals) * p))]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--k", type=int, default=3)
    ap.add_argument("--shuffles", type=int, default=5)
    ap.add_argument("--scenarios", default=" ".join(SCENARIOS))
    ap.add_argument("--json")
    ap.add_argument("state", nargs="+")
    a = ap.parse_args()
    binary = os.environ.get("BIN", os.path.join(here, "../../build/reclaim-advisor"))
    dump = {}
    for sc in a.scenarios.split():
        hs = sorted(h for st in a.state for h in glob.glob(f"{st}/runs/{sc}/defaults/*/history"))
        if len(hs) < a.k:
            continue
        single = sorted((label(run_whatif(binary, [h])["chosen"]["settings"]) for h in hs), key=lambda x: x[0])
        groups = []
        for s in range(a.shuffles):
            order = hs[:]
            random.Random(1000 + s).shuffle(order)
            for g in range(len(order) // a.k):
                grp = order[g * a.k:(g + 1) * a.k]
                r = run_whatif(binary, grp)
                ch = r["chosen"]
                cand = r["candidates"][ch["index"]]
                met = all(p["meets_target"] for p in cand["predicted_per_history"])
                groups.append({"histories": grp, "settings": ch["settings"], "target_met": ch["target_met"],
                               "met_on_each": met, "held_back_bytes": cand["held_back_bytes"],
                               "confidence": r["confidence"]["level"]})
        joint = sorted((label(g["settings"]) for g in groups), key=lambda x: x[0])
        met = sum(g["met_on_each"] for g in groups)
        print(f"{sc}: {len(hs)} recordings")
        print(f"  alone     : wsf {' '.join(text(x) for x in single)}")
        print(f"              10th percentile {text(pct(single, 0.1))}, median {text(pct(single, 0.5))}")
        print(f"  {a.k} at once : wsf {' '.join(text(x) for x in joint)}")
        print(f"              10th percentile {text(pct(joint, 0.1))}, median {text(pct(joint, 0.5))}; "
              f"{len(groups)} groups ({a.shuffles} shuffles), the target met on every recording of the group "
              f"in {met}")
        dump[sc] = {"single": [text(x) for x in single], "groups": groups}
    if a.json:
        with open(a.json, "w") as f:
            json.dump(dump, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
