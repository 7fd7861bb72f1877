#!/bin/bash
# long-sources.sh [--repeat R] [--name NAME] ROUND...: longer defaults sources (campaign 6).
#
# For each ROUND and scenario, one boot with the kernel defaults whose workload
# is the measured runs' own (two burst processes, 30 bursts each, seeds 1 and
# 2) R times in a row (default 6, about 2 minutes of host time), recorded by
# the guest's `record` as every run is; the run folder is
# $BENCH_DIR/runs/SCENARIO/NAME/ROUND (NAME default long-defaults).
# validate.sh --long $BENCH_DIR predicts every measured row of another
# campaign from these histories, each prediction scaled to the row's workload
# (its bursts x repeats / the source's).  The question it answers: does a source that
# holds more of the rare storms predict the rows they carry?
# (docs/whatif.md, "A longer source"; exports as for matrix.sh: BENCH_DIR,
# RECORDER, KERNEL_61, KERNEL_612; every boot holds /work/qemu.lock.)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
st=${BENCH_DIR:?BENCH_DIR: the state directory of the campaign}
repeat=6 name=long-defaults
while [ $# -gt 0 ]; do
	case $1 in
	--repeat) repeat=$2; shift 2 ;;
	--name) name=$2; shift 2 ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || { sed -n '2p' "$0" >&2; exit 64; }
# shellcheck source=bench/effectiveness/scenarios.sh
. "$here/scenarios.sh"
for round in "$@"; do
	for sc in 6.1-thp-always 6.1-zram 6.1-thp-never 6.12-thp-never; do
		out=$st/runs/$sc/$name/$round
		[ -d "$out" ] && continue
		echo "LONG $(date +%H:%M:%S) $round $sc" | tee -a "$st/long-sources.log"
		# shellcheck disable=SC2046 # scenario_args is a word list
		flock /work/qemu.lock "$here/run-one.sh" --out "$out" $(scenario_args "$sc") --repeat "$repeat"
	done
done
