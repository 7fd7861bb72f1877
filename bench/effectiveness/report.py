#!/usr/bin/env python3
"""report.py STATE_DIR RESULTS_DIR BIN [LABEL=BIN ...]: the effectiveness benchmark's CSV and table.

Reads every run under STATE_DIR/runs/SCENARIO/SETTING/N/ (made by matrix.sh;
SETTING "source" is the defaults run the advice came from) and writes
  RESULTS_DIR/runs.csv         one row per run (measure.sh's columns, and
                               replayed_entries: `whatif --no-search` on the
                               run's own history, the calibrated fit)
  RESULTS_DIR/predictions.csv  the simulator's predicted direct reclaim entries
                               per scenario and setting (`BIN whatif --history
                               source/history --set ...`), when BIN has whatif;
                               each LABEL=BIN adds the predictions of another
                               build (a table column each; BIN's label is its
                               file name)
  RESULTS_DIR/table.md         the table of docs/effectiveness.md
Nothing is measured here: the numbers are the guests' own /proc counters."""
import csv
import json
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIOS = ["6.1-thp-never", "6.12-thp-never", "6.1-thp-always", "6.1-zram"]
SETTINGS = ["defaults", "advice-rates", "advice-history", "advice-whatif", "wsf200", "wsf500", "wsf200-mfk131072"]
# matrix.sh's probes: wsfN, wsfN-mfkM, wsfN-wbfB, wsfN-mfkM-wbfB
PROBE = re.compile(r"^wsf([0-9]+)(?:-mfk([0-9]+))?(?:-wbf([0-9]+))?$")
# The keys `whatif --set` models (as validate.py).
MODELLED = ("vm.min_free_kbytes", "vm.watermark_scale_factor", "vm.watermark_boost_factor")
FIXED = {
    "defaults": [],
    "wsf200": ["vm.watermark_scale_factor=200"],
    "wsf500": ["vm.watermark_scale_factor=500"],
    "wsf200-mfk131072": ["vm.watermark_scale_factor=200", "vm.min_free_kbytes=131072"],
}


def run_info(run):
    info = {}
    with open(os.path.join(run, "guest", "run.txt"), encoding="utf-8") as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition(": ")
            info[key] = value
    return info


def measure(run):
    out = subprocess.run([os.path.join(HERE, "measure.sh"), run], check=True, capture_output=True, text=True)
    header = subprocess.run([os.path.join(HERE, "measure.sh"), "--header"], check=True,
                            capture_output=True, text=True).stdout.strip().split(",")
    return dict(zip(header, out.stdout.strip().split(",")))


def sets_of(state, scenario, setting):
    if setting in FIXED:
        return FIXED[setting]
    probe = PROBE.match(setting)
    if probe:
        wsf, mfk, wbf = probe.groups()
        return [f"vm.watermark_scale_factor={int(wsf)}"] + (
            [f"vm.min_free_kbytes={int(mfk)}"] if mfk else []) + (
            [f"vm.watermark_boost_factor={int(wbf)}"] if wbf else [])
    path = os.path.join(state, "advice", scenario, setting + ".txt")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return [w.strip() for w in f if w.strip()]


def whatif(binary, history, sets):
    """`BIN whatif --history H --no-search [--set K=V,K=V]` as JSON, or None.

    Only the keys the simulator models (min_free_kbytes, watermark_scale_factor,
    watermark_boost_factor: the boost is replayed since history format 2) go
    into --set; the others an advice may hold (swappiness, page-cluster) are
    left out of the prediction."""
    modelled = [w for w in sets if w.split("=", 1)[0] in MODELLED]
    cmd = [binary, "whatif", "--history", history, "--no-search", "--format", "json"]
    if modelled:
        cmd += ["--set", ",".join(modelled)]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    except OSError:
        return None
    if out.returncode != 0:
        return None
    return json.loads(out.stdout), bool(modelled)


def predict(binary, history, sets):
    """Predicted direct reclaim entries for one setting from a history, or None
    (no whatif in BIN): the given candidate, or the current settings when the
    setting changes nothing the simulator models."""
    r = whatif(binary, history, sets)
    if r is None:
        return None
    report, given = r
    for cand in report.get("candidates", []):
        if cand.get("source") == ("given" if given else "current"):
            return cand["predicted"]["direct_reclaim_entries"]
    return None


def mean_sd(values):
    if not values:
        return None, None
    return statistics.mean(values), (statistics.stdev(values) if len(values) > 1 else 0.0)


def fmt(m, sd, digits=0):
    if m is None:
        return "-"
    return f"{m:.{digits}f} ± {sd:.{digits}f}"


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    state, results, binary = sys.argv[1:4]
    bins = [(os.path.basename(binary).removeprefix("reclaim-advisor-"), binary)] + [tuple(a.split("=", 1)) for a in sys.argv[4:]]
    # Probes (matrix.sh --settings wsfN) and labelled advice, found on disk.
    global SETTINGS
    extra = set()
    for scenario in SCENARIOS:
        d = os.path.join(state, "runs", scenario)
        if os.path.isdir(d):
            extra.update(n for n in os.listdir(d) if n not in SETTINGS and n != "source" and (
                PROBE.match(n) or n.startswith(("advice-history-", "advice-whatif-"))
                # any other setting given by hand as advice/SCENARIO/NAME.txt
                or os.path.exists(os.path.join(state, "advice", scenario, n + ".txt"))))
    # Labelled advice (matrix.sh advice-history-LABEL) after the fixed
    # settings, then the probes by value.
    SETTINGS = SETTINGS + sorted(n for n in extra if not n.startswith("wsf")) + sorted(
        (n for n in extra if n.startswith("wsf")),
        key=lambda n: tuple(int(g) if g else -1 for g in PROBE.match(n).groups()))
    os.makedirs(results, exist_ok=True)
    rows = []
    for scenario in SCENARIOS:
        for setting in ["source"] + SETTINGS:
            base = os.path.join(state, "runs", scenario, setting)
            if not os.path.isdir(base):
                continue
            runs = [("0", base)] if setting == "source" else sorted(
                (n, os.path.join(base, n)) for n in os.listdir(base) if n.isdigit())
            for n, run in runs:
                if not os.path.exists(os.path.join(run, "guest", "run.txt")):
                    continue
                info = run_info(run)
                row = {"scenario": scenario, "setting": setting, "run": n, "package": info["package"],
                       "thp": info["thp"], "zram": info["zram"], "sets": info["sets"],
                       # runs before run-one.sh had --recorder used the busybox loop
                       "recorder": info.get("recorder", "dir"),
                       # the host's 1-minute load average when the guest
                       # started and ended, and its host seconds (a busy host
                       # slows the emulated CPU; runs before campaign 3: "")
                       "load1_start": info.get("host_loadavg_start", "").split(" ")[0],
                       "load1_end": info.get("host_loadavg_end", "").split(" ")[0],
                       "host_seconds": info.get("host_seconds", "")}
                row.update(measure(run))
                # The simulator replaying this run's own history under the
                # settings it ran with.  Not a prediction: whatif calibrates
                # its burst rate on these very stalls, so this shows only
                # whether the calibration reached them (CSV only).
                subprocess.run([os.path.join(HERE, "history-settings.sh"), run], check=True)
                p = None
                if os.path.exists(os.path.join(run, "history")):
                    p = predict(binary, os.path.join(run, "history"), [])
                row["replayed_entries"] = "" if p is None else p
                rows.append(row)
    if not rows:
        sys.exit("report.py: no runs under " + state)
    with open(os.path.join(results, "runs.csv.tmp"), "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    os.replace(os.path.join(results, "runs.csv.tmp"), os.path.join(results, "runs.csv"))

    preds = []
    for scenario in SCENARIOS:
        history = os.path.join(state, "runs", scenario, "source", "history")
        if not os.path.exists(history):
            continue
        for setting in SETTINGS:
            sets = sets_of(state, scenario, setting)
            if sets is None:
                continue
            for label, b in bins:
                p = predict(b, history, sets)
                if p is not None:
                    preds.append({"binary": label, "scenario": scenario, "setting": setting, "sets": " ".join(sets),
                                  "predicted_direct_reclaim_entries": p})
    if preds:
        with open(os.path.join(results, "predictions.csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=list(preds[0].keys()), lineterminator="\n")
            w.writeheader()
            w.writerows(preds)
    predicted = {(p["binary"], p["scenario"], p["setting"]): float(p["predicted_direct_reclaim_entries"])
                 for p in preds}
    labels = [label for label, _ in bins if any(p["binary"] == label for p in preds)]

    lines = ["| guest | setting | sysctls | direct reclaim entries | cut | pgscan_direct | Σ min | Σ high | added"
             + " | host load" + "".join(f" | predicted ({label}) | within 2x or ±10" for label in labels) + " |",
             "|---|---|---|---|---|---|---|---|---|---" + "|---|---" * len(labels) + "|"]
    verdicts = []
    # FIXED_RUNS=RUNS_CSV: the budget (half of what wsf 200 + min_free_kbytes
    # 131072 adds) from another campaign's runs of that setting, for a
    # campaign that did not boot it (the fifth).
    fixed_elsewhere = {}
    if os.environ.get("FIXED_RUNS"):
        other = list(csv.DictReader(open(os.environ["FIXED_RUNS"], encoding="utf-8")))
        for scenario in SCENARIOS:
            f = [int(r["held_high_kib"]) for r in other if r["scenario"] == scenario and r["setting"] == "wsf200-mfk131072"]
            d = [int(r["held_high_kib"]) for r in other if r["scenario"] == scenario and r["setting"] == "defaults"]
            if f and d:
                fixed_elsewhere[scenario] = statistics.mean(f) - statistics.mean(d)
    for scenario in SCENARIOS:
        by = {}
        for r in rows:
            if r["scenario"] == scenario and r["setting"] != "source":
                by.setdefault(r["setting"], []).append(r)
        if "defaults" not in by:
            continue
        d_mean, _ = mean_sd([int(r["allocstall"]) for r in by["defaults"]])
        d_high = statistics.mean(int(r["held_high_kib"]) for r in by["defaults"])
        fixed_added = None
        if "wsf200-mfk131072" in by:
            fixed_added = statistics.mean(int(r["held_high_kib"]) for r in by["wsf200-mfk131072"]) - d_high
        elif scenario in fixed_elsewhere:
            # Not booted in this campaign: the Σ high another campaign's runs
            # measured on the same guest (the kernel computes it from the
            # settings and the zones alone), against that campaign's defaults.
            fixed_added = fixed_elsewhere[scenario]
        for setting in SETTINGS:
            if setting not in by:
                continue
            rs = by[setting]
            m, sd = mean_sd([int(r["allocstall"]) for r in rs])
            sm, ssd = mean_sd([int(r["pgscan_direct"]) for r in rs])
            high = statistics.mean(int(r["held_high_kib"]) for r in rs)
            low_min = statistics.mean(int(r["sum_min"]) * 4 for r in rs)
            cut = "-" if setting == "defaults" or not d_mean else f"{100 * (1 - m / d_mean):.1f} %"
            pcols = ""
            for label in labels:
                p = predicted.get((label, scenario, setting))
                ok = "-"
                if p is not None:
                    ok = "yes" if (abs(p - m) <= 10 or (m > 0 and 0.5 <= p / m <= 2)) else "no"
                pcols += f" | {'-' if p is None else f'{p:.0f}'} | {ok}"
            loads = [float(r[k]) for r in rs for k in ("load1_start", "load1_end") if r.get(k)]
            load = f"{min(loads):.1f}-{max(loads):.1f}" if loads else "-"
            lines.append(f"| {scenario} | {setting} | {rs[0]['sets'] or '(none)'} | {fmt(m, sd)} (n={len(rs)}) | {cut}"
                         f" | {fmt(sm, ssd)} | {low_min / 1024:.1f} MiB | {high / 1024:.1f} MiB"
                         f" | {(high - d_high) / 1024:+.1f} MiB | {load}{pcols} |")
            if setting.startswith("advice") and d_mean:
                added = high - d_high
                goal_cut = m <= 0.05 * d_mean
                goal_mem = fixed_added is not None and added <= 0.5 * fixed_added
                verdicts.append(f"- {scenario}, {setting}: cut {100 * (1 - m / d_mean):.1f} % "
                                f"({'meets' if goal_cut else 'misses'} ≥ 95 %), adds {added / 1024:.1f} MiB"
                                + ("" if fixed_added is None else
                                   f" against the fixed advice's {fixed_added / 1024:.1f} MiB "
                                   f"({'meets' if goal_mem else 'misses'} ≤ half)"))
        # The cheapest measured setting that meets the cut, whichever it is.
        best = None
        for setting, rs in by.items():
            m = statistics.mean(int(r["allocstall"]) for r in rs)
            added = statistics.mean(int(r["held_high_kib"]) for r in rs) - d_high
            if d_mean and m <= 0.05 * d_mean and (best is None or added < best[1]):
                best = (setting, added, m)
        if best:
            verdicts.append(f"- {scenario}: the cheapest measured setting with a ≥ 95 % cut is {best[0]} "
                            f"({best[2]:.1f} entries, adds {best[1] / 1024:.1f} MiB"
                            + ("" if fixed_added is None else
                               f", {'within' if best[1] <= 0.5 * fixed_added else 'more than'} half of the fixed"
                               f" advice's {fixed_added / 1024:.1f} MiB") + ")")
    with open(os.path.join(results, "table.md.tmp"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
        if verdicts:
            f.write("\nAgainst the goals of issue 12:\n\n" + "\n".join(verdicts) + "\n")
    os.replace(os.path.join(results, "table.md.tmp"), os.path.join(results, "table.md"))
    print(open(os.path.join(results, "table.md"), encoding="utf-8").read(), end="")


if __name__ == "__main__":
    main()
