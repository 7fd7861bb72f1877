#!/usr/bin/env python3
"""advice.py SETTING FILE.json: the vm.KEY=VALUE words of an advice, one a line.

SETTING says which report FILE.json is:
  advice-rates, advice-history  `reclaim-advisor recommend --format json`: every
                                recommendation that changes a vm.* sysctl and
                                goes into the fragment
  advice-whatif                 `reclaim-advisor whatif --format json`: the
                                settings of the chosen candidate that differ
                                from the current ones
Exits 1 with a message when the report has no such advice."""
import json
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    setting, path = sys.argv[1], sys.argv[2]
    with open(path, encoding="utf-8") as f:
        report = json.load(f)
    words = []
    if setting in ("advice-rates", "advice-history"):
        for rec in report.get("recommendations", []):
            key = rec.get("sysctl", "")
            if rec.get("changed") and rec.get("in_fragment") and key.startswith("vm."):
                words.append(f"{key}={int(rec['recommended'])}")
    elif setting == "advice-whatif":
        chosen = report.get("chosen")
        if isinstance(chosen, int):
            chosen = report["candidates"][chosen]
        if not isinstance(chosen, dict):
            sys.exit(f"{path}: no chosen candidate")
        settings = chosen.get("settings", chosen)
        # Only what differs from the current settings (the first candidate):
        # writing today's value again is no advice.
        cands = report.get("candidates") or [{}]
        current = cands[0].get("settings", {}) if cands[0].get("source", "current") == "current" else {}
        for key, value in sorted(settings.items()):
            if current.get(key) == value:
                continue
            key = key if key.startswith("vm.") else "vm." + key
            words.append(f"{key}={int(value)}")
    else:
        sys.exit(f"advice.py: unknown setting {setting}")
    for w in words:
        print(w)


if __name__ == "__main__":
    main()
