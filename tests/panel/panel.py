#!/usr/bin/python3
"""The panel: what a kernel memory-management engineer expects on real captures.

Each tests/panel/<case>.txt names one host (real captures, QEMU guests) and
writes down, before any rule is changed to match, what the advisor should
conclude there and why.  This runs `reclaim-advisor recommend --format json`
per case with the shipped rules and checks the conclusion.

Case file: one `key = value` per line, `#` starts a comment line.
  args       = recommend arguments (words without spaces; paths relative to
               the repository root), required
  why        = the reasoning, required (repeatable: the lines are joined)
  expect     = SYSCTL DIRECTION   direction of the advice for one key:
               raise | lower | keep (advised, unchanged) | none (no advice
               for the key) | same (keep or none) | change (raise, lower or
               set) | set (a value where the current one is unknown)
  confidence = SYSCTL LEVEL       the confidence of that key's advice
  cause      = CAUSE              the report names this cause
  not-cause  = CAUSE              the report does not name this cause
  tmpfiles   = PATH VALUE         the report advises VALUE for a sysfs PATH
  xfail      = CHECK ...          checks known to fail with the rule set as
               it stands (each must name a check of this case)

Causes (the diagnosis a finding or recommendation names in its "cause"):
  kswapd-lag      order-0 direct reclaim: kswapd woke too late (low - min)
  compaction      high-order allocations: compaction stalls, THP faults
  memcg           reclaim or throttling forced by a cgroup's memory.high/max
  capacity        working set larger than memory: refaults, swap-in, PSI
  atomic          GFP_ATOMIC (__GFP_HIGH) failures: the reserve below min
  nowait          GFP_NOWAIT failures: no __GFP_HIGH, they fail at min
  oom-global      the global OOM killer ran
  oom-memcg       a cgroup's OOM killer ran
  oom             the OOM killer ran, global or memcg unknown (no log)
  numa            one node short while another is free: placement
  administrator   an administrator's explicit value, reported
  idle            no evidence of pressure (or too little to act on)

Check ids (what `xfail` lists): the SYSCTL of an `expect`,
`confidence:SYSCTL`, `cause:CAUSE`, `not-cause:CAUSE`, `tmpfiles:PATH`.

Report fields read: recommendations[].{sysctl, current, recommended,
changed, confidence, cause}, findings[].cause, tmpfiles[].{path, value}.

Exit 1 when a check fails that is not listed in xfail, or a case file is
malformed.  A listed check that passes is reported as XPASS (flip it:
remove it from xfail); PANEL_STRICT=1 makes XPASS fail too.
"""
import glob
import json
import os
import subprocess
import sys

DIRECTIONS = {"raise", "lower", "keep", "none", "same", "change", "set"}
LEVELS = {"low", "medium", "high"}
CAUSES = {"kswapd-lag", "compaction", "memcg", "capacity", "atomic", "nowait",
          "oom-global", "oom-memcg", "oom", "numa", "administrator", "idle"}


class CaseError(Exception):
    pass


def parse_case(path):
    case = {"args": None, "why": [], "expect": [], "confidence": [], "cause": [],
            "not-cause": [], "tmpfiles": [], "xfail": []}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            key, sep, value = line.partition("=")
            key, value = key.strip(), value.strip()
            if not sep or key not in case or not value:
                raise CaseError(f"{path}:{n}: expected 'key = value' with a known key, got: {line}")
            words = value.split()
            if key == "args":
                if case["args"] is not None:
                    raise CaseError(f"{path}:{n}: args given twice")
                case["args"] = words
            elif key == "why":
                case["why"].append(value)
            elif key == "expect":
                if len(words) != 2 or words[1] not in DIRECTIONS:
                    raise CaseError(f"{path}:{n}: expect = SYSCTL {'|'.join(sorted(DIRECTIONS))}")
                case["expect"].append(tuple(words))
            elif key == "confidence":
                if len(words) != 2 or words[1] not in LEVELS:
                    raise CaseError(f"{path}:{n}: confidence = SYSCTL low|medium|high")
                case["confidence"].append(tuple(words))
            elif key in ("cause", "not-cause"):
                if len(words) != 1 or words[0] not in CAUSES:
                    raise CaseError(f"{path}:{n}: {key} = one of {' '.join(sorted(CAUSES))}")
                case[key].append(words[0])
            elif key == "tmpfiles":
                if len(words) != 2 or not words[0].startswith("/sys/"):
                    raise CaseError(f"{path}:{n}: tmpfiles = /sys/PATH VALUE")
                case["tmpfiles"].append(tuple(words))
            elif key == "xfail":
                case["xfail"].extend(words)
    if case["args"] is None or not case["why"]:
        raise CaseError(f"{path}: args and why are required")
    if not (case["expect"] or case["cause"]):
        raise CaseError(f"{path}: no expectation (expect or cause)")
    return case


def direction(rec):
    if rec is None:
        return "none"
    if not rec.get("changed"):
        return "keep"
    cur, new = rec.get("current"), rec.get("recommended")
    if cur is None:
        return "set"
    try:
        cur, new = float(cur), float(new)
    except (TypeError, ValueError):
        return "change"
    return "raise" if new > cur else "lower" if new < cur else "keep"


def matches(want, got):
    if want == "same":
        return got in ("keep", "none")
    if want == "change":
        return got in ("raise", "lower", "set", "change")
    return want == got


def checks(case, report):
    """Yield (check id, passed, detail) for every expectation of a case."""
    recs = {r.get("sysctl"): r for r in report.get("recommendations", [])}
    named = set()
    for item in report.get("recommendations", []) + report.get("findings", []):
        if item.get("cause"):
            named.add(item["cause"])
    for key, want in case["expect"]:
        rec = recs.get(key)
        got = direction(rec)
        detail = got if rec is None else \
            f"{got} ({rec.get('current')} -> {rec.get('recommended')}, {rec.get('rule')})"
        yield key, matches(want, got), f"want {want}, got {detail}"
    for key, want in case["confidence"]:
        got = (recs.get(key) or {}).get("confidence")
        yield f"confidence:{key}", got == want, f"want {want}, got {got}"
    for cause in case["cause"]:
        yield f"cause:{cause}", cause in named, f"causes named: {sorted(named) or 'none'}"
    for cause in case["not-cause"]:
        yield f"not-cause:{cause}", cause not in named, f"causes named: {sorted(named) or 'none'}"
    advised = {t.get("path"): t.get("value") for t in report.get("tmpfiles", []) or []}
    for path, value in case["tmpfiles"]:
        yield f"tmpfiles:{path}", advised.get(path) == value, \
            f"want {value}, got {advised.get(path)}"


def main():
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.chdir(repo)
    binary = os.environ.get("BIN", os.path.join(repo, "build/reclaim-advisor"))
    strict = os.environ.get("PANEL_STRICT") == "1"
    env = dict(os.environ, RECLAIM_ADVISOR_RULES_DIR="rules", RECLAIM_ADVISOR_TEMPLATE_DIR="templates",
               RECLAIM_ADVISOR_SYSCONFDIR="/nonexistent/reclaim-advisor-panel")
    files = sorted(glob.glob("tests/panel/*.txt"))
    only = sys.argv[1:]
    if only:
        files = [f for f in files if os.path.basename(f)[:-4] in only]
    counts = {"pass": 0, "xfail": 0, "xpass": 0, "fail": 0}
    bad_cases = 0
    for path in files:
        name = os.path.basename(path)[:-4]
        try:
            case = parse_case(path)
        except CaseError as e:
            print(f"ERROR {e}")
            bad_cases += 1
            continue
        proc = subprocess.run([binary, "recommend", *case["args"], "--format", "json"],
                              capture_output=True, text=True, env=env)
        if proc.returncode != 0:
            print(f"FAIL  {name}: recommend exited {proc.returncode}: {proc.stderr.strip()[-300:]}")
            counts["fail"] += 1
            continue
        try:
            report = json.loads(proc.stdout)
        except json.JSONDecodeError as e:
            print(f"FAIL  {name}: report is not JSON: {e}")
            counts["fail"] += 1
            continue
        seen = set()
        for cid, ok, detail in checks(case, report):
            seen.add(cid)
            xf = cid in case["xfail"]
            state = ("xpass" if xf else "pass") if ok else ("xfail" if xf else "fail")
            counts[state] += 1
            if state == "fail":
                print(f"FAIL  {name}: {cid}: {detail}")
            elif state == "xpass":
                print(f"XPASS {name}: {cid}: {detail} (remove it from xfail)")
            elif os.environ.get("PANEL_VERBOSE") == "1":
                print(f"{state.upper():5} {name}: {cid}: {detail}")
        for cid in case["xfail"]:
            if cid not in seen:
                print(f"ERROR {path}: xfail names {cid}, which is not a check of this case")
                bad_cases += 1
    total = sum(counts.values())
    print(f"panel: {len(files)} cases, {total} checks: {counts['pass']} pass, "
          f"{counts['xfail']} expected to fail, {counts['xpass']} xpass, {counts['fail']} fail")
    failed = counts["fail"] or bad_cases or (strict and counts["xpass"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
