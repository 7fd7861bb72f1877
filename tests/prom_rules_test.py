#!/usr/bin/python3
"""Write a `promtool test rules` file for contrib/prometheus/ from real audits.

usage: prom_rules_test.py RULES.yml OUT.yml HOST=MIN:FILE[,MIN:FILE...] ...

Each HOST is one scrape target (instance="HOST:9100", job="node") whose
textfile is FILE from minute MIN on (the next FILE replaces it, as the
audit timer rewrites the textfile; the evaluation times below assume a
second FILE starts at minute 30).  The series are the samples of those
files as the audit wrote them, scraped once a minute for two hours.

The expected alerts and recorded values are derived from the same samples,
with the meaning each rule documents (status 2 for 15 minutes, a key in a
bad state for an hour, a stall counter's increase over 15 minutes, ...):
if a rule names a metric or label the audit does not write, or means
something else, promtool reports the difference.  Every expectation list
that this data leaves empty is an error here, so the test cannot pass by
checking nothing.
"""
import re
import sys
import yaml

MINUTES = 120
BAD_STATES = ("drift", "not-persistent", "shadowed", "not-permitted")
SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse_textfile(path):
    """{(name, ((label, value), ...)): float} of one textfile."""
    out = {}
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            m = SAMPLE.match(line)
            if not m:
                sys.exit("%s: not a sample line: %r" % (path, line))
            labels = tuple(LABEL.findall(m.group(2) or ""))
            out[(m.group(1), labels)] = float(m.group(3))
    return out


def series_text(name, labels):
    return "%s{%s}" % (name, ",".join('%s="%s"' % kv for kv in labels))


def fmt(v):
    if v is None:
        return "_"
    return str(int(v)) if v == int(v) and abs(v) < 1e15 else repr(v)


def runs(vals):
    """promtool's expanding notation: "v" once, "vxN" for N+1 copies."""
    out, i = [], 0
    while i < len(vals):
        j = i
        while j + 1 < len(vals) and vals[j + 1] == vals[i]:
            j += 1
        out.append(vals[i] if j == i else "%sx%d" % (vals[i], j - i))
        i = j + 1
    return " ".join(out)


def main():
    rules_path, out_path = sys.argv[1], sys.argv[2]
    rules = yaml.safe_load(open(rules_path))
    alerts = {r["alert"]: r for g in rules["groups"] for r in g["rules"] if "alert" in r}

    hosts = {}  # instance -> [sample dict per minute]
    files = {}  # instance -> [(minute, path)]
    for arg in sys.argv[3:]:
        host, spec = arg.split("=", 1)
        timeline = []
        for part in spec.split(","):
            minute, path = part.split(":", 1)
            timeline.append((int(minute), path))
        timeline.sort()
        parsed = [(m, parse_textfile(p)) for m, p in timeline]
        inst = host + ":9100"
        per_min = []
        for t in range(MINUTES):
            cur = None
            for m, d in parsed:
                if m <= t:
                    cur = d
            per_min.append(cur or {})
        hosts[inst] = per_min
        files[inst] = timeline

    def with_target(inst, labels):
        return tuple(sorted(labels + (("instance", inst), ("job", "node"))))

    input_series = []
    for inst, per_min in hosts.items():
        keys = sorted({k for d in per_min for k in d})
        for name, labels in keys:
            vals = [fmt(d.get((name, labels))) for d in per_min]
            input_series.append({"series": series_text(name, with_target(inst, labels)),
                                 "values": runs(vals)})
        # node_exporter's own mtime of the textfile: rewritten every minute
        # by the timer, except on the host called "stale" (written at 0).
        mt = "0x%d" % (MINUTES - 1) if inst.startswith("stale") else "0+60x%d" % (MINUTES - 1)
        input_series.append({"series": series_text("node_textfile_mtime_seconds",
                                                   (("file", "/var/lib/prometheus/node-exporter/reclaim_advisor.prom"),
                                                    ("instance", inst), ("job", "node"))),
                             "values": mt})

    def value(inst, t, name, labels=()):
        return hosts[inst][t].get((name, tuple(labels))) if 0 <= t < MINUTES else None

    def annotate(alert, labels):
        ann = {}
        for k, text in alerts[alert].get("annotations", {}).items():
            ann[k] = re.sub(r"\{\{ \$labels\.([a-z_]+) \}\}", lambda m: dict(labels)[m.group(1)], text)
        return ann

    def exp(alert, labels):
        labels = dict(labels)
        labels.update(alerts[alert].get("labels", {}))
        return {"exp_labels": labels, "exp_annotations": annotate(alert, labels)}

    def held(inst, t, minutes, pred):
        return all(pred(hosts[inst][u]) for u in range(t - minutes, t + 1))

    alert_tests = []
    # status == 2 / == 3 for 15 / 30 minutes
    for alert, code, hold, t in (("ReclaimAdvisorCritical", 2, 15, 50), ("ReclaimAdvisorUnknown", 3, 30, 40)):
        want = [exp(alert, (("instance", i), ("job", "node")))
                for i in hosts
                if held(i, t, hold, lambda d: d.get(("reclaim_advisor_audit_status", ())) == code)]
        if not want:
            sys.exit("no host is %s at %dm: the data tests nothing" % (alert, t))
        alert_tests.append({"eval_time": "%dm" % t, "alertname": alert, "exp_alerts": want})
    # a key in a bad state for an hour
    t = 70
    want = []
    for i in hosts:
        for (name, labels), v in sorted(hosts[i][t].items()):
            if name != "reclaim_advisor_sysctl_state" or dict(labels)["state"] not in BAD_STATES:
                continue
            if held(i, t, 60, lambda d: d.get((name, labels)) == 1):
                want.append(exp("ReclaimAdvisorSysctlNotCompliant", with_target(i, labels)))
    if not want:
        sys.exit("no key is in a bad state: the data tests nothing")
    alert_tests.append({"eval_time": "%dm" % t, "alertname": "ReclaimAdvisorSysctlNotCompliant", "exp_alerts": want})

    # direct reclaim: the counter's increase over 15 minutes / 900 s above
    # 0.05/s for 10 minutes.  The scrape interval is one minute and a
    # window from minute 15 on holds 16 samples, so rate() needs no
    # extrapolation there (hosts whose textfile changes do so after 15).
    def stall_rate(i, t):
        a = value(i, t - 15, "reclaim_advisor_direct_reclaim_stalls_total")
        b = value(i, t, "reclaim_advisor_direct_reclaim_stalls_total")
        return None if a is None or b is None else (b - a) / 900.0
    for t in (42, 60):
        want = [exp("ReclaimAdvisorDirectReclaim", (("instance", i), ("job", "node")))
                for i in hosts
                if all((stall_rate(i, u) or 0) > 0.05 for u in range(t - 10, t + 1))]
        if t == 42 and not want:
            sys.exit("no host has direct reclaim: the data tests nothing")
        alert_tests.append({"eval_time": "%dm" % t, "alertname": "ReclaimAdvisorDirectReclaim", "exp_alerts": want})
    # the stale textfile: older than 1800 s for 10 minutes
    t = 45
    want = [exp("ReclaimAdvisorTextfileStale",
                (("file", "/var/lib/prometheus/node-exporter/reclaim_advisor.prom"), ("instance", i), ("job", "node")))
            for i in hosts if i.startswith("stale")]
    alert_tests.append({"eval_time": "%dm" % t, "alertname": "ReclaimAdvisorTextfileStale", "exp_alerts": want})

    # recorded values at 40 minutes, from the counters' increase
    t = 40
    expr_tests = []
    samples = {"stalls": [], "ratio": [], "eff": []}
    for i in hosts:
        def inc(name):
            a, b = value(i, t - 15, name), value(i, t, name)
            return None if a is None or b is None else b - a
        st = inc("reclaim_advisor_direct_reclaim_stalls_total")
        if st is not None:
            samples["stalls"].append({"labels": series_text("instance:reclaim_advisor_direct_reclaim_stalls:rate15m",
                                                            (("instance", i), ("job", "node"))),
                                      "value": st / 900.0})
        ds, ks = inc("reclaim_advisor_direct_scanned_bytes_total"), inc("reclaim_advisor_kswapd_scanned_bytes_total")
        dr, kr = inc("reclaim_advisor_direct_reclaimed_bytes_total"), inc("reclaim_advisor_kswapd_reclaimed_bytes_total")
        if None not in (ds, ks) and ds + ks > 0:
            samples["ratio"].append({"labels": series_text("instance:reclaim_advisor_direct_scan:ratio_rate15m",
                                                           (("instance", i), ("job", "node"))),
                                     "value": ds / (ds + ks)})
            if None not in (dr, kr):
                samples["eff"].append({"labels": series_text("instance:reclaim_advisor_reclaim_efficiency:ratio_rate15m",
                                                             (("instance", i), ("job", "node"))),
                                       "value": (dr + kr) / (ds + ks)})
    for key, expr in (("stalls", "instance:reclaim_advisor_direct_reclaim_stalls:rate15m"),
                      ("ratio", "instance:reclaim_advisor_direct_scan:ratio_rate15m"),
                      ("eff", "instance:reclaim_advisor_reclaim_efficiency:ratio_rate15m")):
        if not any(s["value"] > 0 for s in samples[key]):
            sys.exit("%s: no host with a non-zero value: the data tests nothing" % expr)
        expr_tests.append({"expr": expr, "eval_time": "%dm" % t, "exp_samples": samples[key]})
    # hosts per key and state across the fleet
    t = 70
    sums = {}
    for i in hosts:
        for (name, labels), v in hosts[i][t].items():
            if name == "reclaim_advisor_sysctl_state":
                sums[labels] = sums.get(labels, 0) + v
    want = [{"labels": series_text("sysctl_state:reclaim_advisor_sysctl_state:sum", labels), "value": v}
            for labels, v in sorted(sums.items()) if dict(labels)["sysctl"] == "vm.swappiness"]
    expr_tests.append({"expr": 'sysctl_state:reclaim_advisor_sysctl_state:sum{sysctl="vm.swappiness"}',
                       "eval_time": "%dm" % t, "exp_samples": want})

    doc = {"rule_files": [rules_path], "evaluation_interval": "1m",
           "tests": [{"interval": "1m", "input_series": input_series,
                      "alert_rule_test": alert_tests, "promql_expr_test": expr_tests}]}
    with open(out_path, "w") as f:
        yaml.safe_dump(doc, f, sort_keys=False, width=1000)


if __name__ == "__main__":
    main()
