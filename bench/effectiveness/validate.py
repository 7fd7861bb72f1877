#!/usr/bin/env python3
"""validate.py [--runs STATE_DIR] [--all-defaults] BIN: the simulator's predictions
against every measured setting of the effectiveness benchmark.

For each (scenario, setting) of results/runs.csv (the guests' own counters,
106 QEMU runs): the measured mean of Σ allocstall_* against what
`BIN whatif --no-search --history H --set ...` predicts, where H is the
scenario's defaults source run (fixtures/histories/SCENARIO/history: the
history the advice was computed from).  With --all-defaults, the prediction
is also made from every defaults run's own history under STATE_DIR/runs
(bench's QEMU scratch) and the mean and range are printed beside it.

The model's parameters are fitted on the defaults histories only (whatif
calibrates on the history it is given); every other row is a prediction for
settings the model never saw.  A row is within the bound of issue 12 when the
prediction is within a factor of 2 of the measured mean or within 10
entries.  Prints a Markdown table and the count; exit 0 (this is a report,
not a test).

With --from-runs STATE, the measured rows come from the run folders of
another campaign instead (STATE/runs/SCENARIO/SETTING/N/, each measured by
measure.sh, its settings from guest/run.txt) and the source history is
STATE/runs/SCENARIO/source/history (for bench2's campaign with the in-guest
`record`).

With --long STATE, the prediction is made instead from the longer defaults
runs STATE/runs/SCENARIO/NAME/N/ (--long-name, default long-defaults: one
boot, the workload repeated, long-sources.sh; campaign 6),
each scaled to the row's workload (the row's bursts / the source's bursts,
from guest/run.txt), and their mean is the row's prediction; the range over
the long sources is printed beside it.

With --noise, each row also says how many of its measured runs are within
the same bound of the mean of the other runs of that row (leave-one-out):
the run-to-run spread of the guests measured with the model's test, an
upper limit for any prediction from one history."""
import argparse
import csv
import json
import os
import statistics
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
MODELLED = ("vm.min_free_kbytes", "vm.watermark_scale_factor", "vm.watermark_boost_factor")


def whatif(binary, history, sets):
    modelled = [w for w in sets if w.split("=", 1)[0] in MODELLED]
    cmd = [binary, "whatif", "--history", history, "--no-search", "--format", "json"]
    if modelled:
        cmd += ["--set", ",".join(modelled)]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if out.returncode != 0:
        raise SystemExit(f"validate.py: {' '.join(cmd)}: exit {out.returncode}: {out.stderr.strip()}")
    rep = json.loads(out.stdout)
    want = "given" if modelled else "current"
    for c in rep["candidates"]:
        if c["source"] == want:
            return c["predicted"]["direct_reclaim_entries"], [w for w in sets if w not in modelled]
    raise SystemExit(f"validate.py: no {want} candidate in {' '.join(cmd)}")


def runs_of(state):
    """Rows like runs.csv's (scenario, setting, sets, allocstall) from the
    complete run folders under state/runs."""
    rows = []
    header = subprocess.run([os.path.join(HERE, "measure.sh"), "--header"], check=True, capture_output=True,
                            text=True).stdout.strip().split(",")
    base = os.path.join(state, "runs")
    for scenario in sorted(os.listdir(base)):
        for setting in sorted(os.listdir(os.path.join(base, scenario))):
            if setting == "source":
                continue
            d = os.path.join(base, scenario, setting)
            for n in sorted(os.listdir(d)):
                run = os.path.join(d, n)
                if not (n.isdigit() and os.path.exists(os.path.join(run, "end", "proc", "vmstat"))):
                    continue
                sets = ""
                with open(os.path.join(run, "guest", "run.txt"), encoding="utf-8") as f:
                    for line in f:
                        if line.startswith("sets:"):
                            sets = line.split(":", 1)[1].strip()
                bursts = bursts_of(run)
                out = subprocess.run([os.path.join(HERE, "measure.sh"), run], check=True, capture_output=True,
                                     text=True).stdout.strip().split(",")
                row = dict(zip(header, out))
                row.update(scenario=scenario, setting=setting, sets=sets, bursts=bursts)
                rows.append(row)
    return rows


def bursts_of(run):
    """The bursts per burst process a run asked for: bursts x repeat (run.txt)."""
    v = {"bursts": 30, "repeat": 1}
    with open(os.path.join(run, "guest", "run.txt"), encoding="utf-8") as f:
        for line in f:
            k = line.split(":", 1)[0]
            if k in v:
                v[k] = int(line.split(":", 1)[1])
    return v["bursts"] * v["repeat"]


def long_sources(state, scenario, name):
    """(history, bursts) of every complete long defaults run of a scenario."""
    base = os.path.join(state, "runs", scenario, name)
    if not os.path.isdir(base):
        return []
    return [(os.path.join(base, n, "history"), bursts_of(os.path.join(base, n)))
            for n in sorted(os.listdir(base)) if n.isdigit() and os.path.exists(os.path.join(base, n, "history"))]


def within(p, m):
    return abs(p - m) <= 10 or (m > 0 and 0.5 <= p / m <= 2)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("bin")
    ap.add_argument("--runs", default=os.path.join(os.environ.get("QEMU_SCRATCH", "/work/qemu-scratch"),
                                                   "bench-effectiveness"))
    ap.add_argument("--all-defaults", action="store_true")
    ap.add_argument("--csv", default=os.path.join(HERE, "results", "runs.csv"))
    ap.add_argument("--from-runs", metavar="STATE")
    ap.add_argument("--noise", action="store_true")
    ap.add_argument("--long", metavar="STATE")
    ap.add_argument("--long-name", default="long-defaults")
    a = ap.parse_args()
    sources = {}
    if a.from_runs:
        rows = runs_of(a.from_runs)
        for r in rows:
            sources[r["scenario"]] = os.path.join(a.from_runs, "runs", r["scenario"], "source", "history")
    else:
        rows = list(csv.DictReader(open(a.csv, encoding="utf-8")))
    order, by = [], {}
    for r in rows:
        if r["setting"] == "source":
            continue
        key = (r["scenario"], r["setting"])
        if key not in by:
            order.append(key)
            by[key] = []
        by[key].append(r)
    print("| guest | setting | sysctls | measured entries (mean, n) | predicted from the source run | within 2x/±10"
          + (" | predicted from each defaults run: mean [min..max] | within" if a.all_defaults else "")
          + (" | measured runs within 2x/±10 of the others' mean" if a.noise else "") + " |")
    print("|---|---|---|---|---|---" + ("|---|---" if a.all_defaults else "") + ("|---" if a.noise else "") + "|")
    ok = ok_all = total = noise_rows = noise_ok = 0
    for scenario, setting in order:
        rs = by[(scenario, setting)]
        sets = rs[0]["sets"].split()
        m = statistics.mean(int(r["allocstall"]) for r in rs)
        src = sources.get(scenario) or os.path.join(REPO, "fixtures", "histories", scenario, "history")
        if a.long:
            longs = long_sources(a.long, scenario, a.long_name)
            if not longs:
                continue
            rb = int(rs[0].get("bursts", 30))
            got = [(whatif(a.bin, h, sets), b) for h, b in longs]
            ps = [w[0] * rb / b for w, b in got]
            unmodelled = got[0][0][1]
            p = round(statistics.mean(ps))
            extra_long = f" [{' '.join(f'{x:.0f}' for x in ps)}]"
        else:
            p, unmodelled = whatif(a.bin, src, sets)
            extra_long = ""
        good = within(p, m)
        ok += good
        total += 1
        extra = ""
        if a.all_defaults:
            base = os.path.join(a.runs, "runs", scenario, "defaults")
            ps = []
            for n in sorted(os.listdir(base)):
                h = os.path.join(base, n, "history")
                if n.isdigit() and os.path.exists(h):
                    subprocess.run([os.path.join(HERE, "history-settings.sh"), os.path.join(base, n)], check=True)
                    ps.append(whatif(a.bin, h, sets)[0])
            pm = statistics.mean(ps)
            ok_all += within(pm, m)
            extra = f" | {pm:.0f} [{min(ps)}..{max(ps)}] | {'yes' if within(pm, m) else 'no'}"
        if a.noise:
            v = [int(r["allocstall"]) for r in rs]
            if len(v) >= 2:
                k = sum(within(x, statistics.mean(v[:i] + v[i + 1:])) for i, x in enumerate(v))
                noise_rows += 1
                noise_ok += k == len(v)
                extra += f" | {k} of {len(v)} ({' '.join(map(str, v))})"
            else:
                extra += " | (n=1)"
        note = f" (not modelled: {' '.join(unmodelled)})" if unmodelled else ""
        print(f"| {scenario} | {setting} | {' '.join(sets) or '(none)'}{note} | {m:.0f} (n={len(rs)}) | {p}{extra_long}"
              f" | {'yes' if good else 'no'}{extra} |")
    print(f"\nwithin 2x or ±10 entries: {ok} of {total} (from the source run)"
          + (f", {ok_all} of {total} (mean over the defaults runs)" if a.all_defaults else ""))
    if a.noise:
        print(f"rows whose every measured run is within 2x or ±10 of the mean of the others: {noise_ok} of {noise_rows}"
              " (rows with 2 or more runs)")


if __name__ == "__main__":
    main()
