#!/usr/bin/env python3
"""sixths.py HISTORY...: Σ allocstall_* of a history in each sixth of its
samples (a long source of long-sources.sh: is a run of the workload repeated
six times in one boot six runs alike, or does the host drift?).  Prints one
line per history: its total and the six parts."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from importlib import import_module  # noqa: E402

sl = import_module("stall-levels")


def main():
    for path in sys.argv[1:]:
        names, _, _, samples = sl.load(path)
        keys = [n for n in names if n.startswith("allocstall_")]
        st = [sum(sl.num(s[0][k]) or 0 for k in keys) for s in samples]
        n = len(st)
        if n < 7:
            print(f"{path}: {n} samples, too few")
            continue
        parts = [st[min(n - 1, (i + 1) * n // 6)] - st[i * n // 6] for i in range(6)]
        print(f"{path}: {st[-1] - st[0]} entries; by sixth of the samples: {' '.join(map(str, parts))}")


if __name__ == "__main__":
    main()
