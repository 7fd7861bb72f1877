#!/bin/bash
# report.sh [LABEL=BIN ...]: bench/effectiveness/results/{runs.csv,
# predictions.csv,table.md} from the runs matrix.sh made (see report.py).
# BIN: the binary whose `whatif` predicts (default build/reclaim-advisor);
# each LABEL=BIN argument adds another build's predictions; BENCH_DIR as in
# matrix.sh; RESULTS: the output folder (default bench/effectiveness/results);
# FIXED_RUNS: another campaign's runs.csv whose wsf200-mfk131072 runs give the
# budget when this campaign booted none (report.py).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
state=${BENCH_DIR:-${QEMU_SCRATCH:-/work/qemu-scratch}/bench-effectiveness}
exec python3 "$here/report.py" "$state" "${RESULTS:-$here/results}" "${BIN:-$repo/build/reclaim-advisor}" "$@"
