#!/bin/bash
# matrix.sh [--runs N] [--from R] [--scenarios "A B"] [--settings "S T"] [--source-only]
#           [--recorder record|dir|none]
#
# The effectiveness benchmark (issue 12): for every scenario, one run with the
# kernel defaults that records a history (the "source" run; the advice comes
# from it), then N runs (default 3) of every setting, interleaved: round r
# boots every scenario with every setting once before round r+1 starts, so a
# slow period of the host spreads over all settings instead of one.  --from R
# starts at round R (default 1): rounds 4-6 of "defaults advice-history" add a
# setting later, interleaved with defaults runs of its own period.
#
# Scenarios (1 GiB guest, see run-one.sh; the workload is the same in all):
#   6.1-thp-never        Debian 6.1 kernel, transparent_hugepage=never
#   6.12-thp-never       Debian 6.12 kernel (MGLRU), transparent_hugepage=never
#   6.1-thp-always       Debian 6.1 kernel, THP always (Debian's default)
#   6.1-zram             Debian 6.1 kernel, THP never, 512 MiB zram swap
# Settings:
#   defaults             no sysctl written
#   advice-rates         `recommend --root source/end --baseline source/start`
#                        (the advisor sized from averaged rates)
#   advice-history       `recommend --history source/history ...` (when the
#                        binary has it)
#   advice-whatif        the candidate `whatif --history source/history` chooses
#                        (when the binary has it)
#   advice-history-LABEL, advice-whatif-LABEL
#                        the same advice from another build (BIN), kept apart
#                        under its own name (e.g. the simulator as it was on
#                        main at some commit, beside a later one)
#   wsf200, wsf500       vm.watermark_scale_factor (any wsfN works: a probe;
#                        wsfN-mfkM adds vm.min_free_kbytes=M, -wbfB
#                        vm.watermark_boost_factor=B, e.g. wsf442-wbf0)
#   wsf200-mfk131072     vm.watermark_scale_factor=200 + vm.min_free_kbytes=131072
#                        (the fixed advice of the closest existing tool)
#   NAME                 any other name: the words of $BENCH_DIR/advice/SCENARIO/NAME.txt,
#                        written by hand (e.g. zram-keys-only: vm.swappiness=180
#                        vm.page-cluster=0, to tell which key does what)
# An advice equal to the defaults (nothing changed) is still run: its runs are
# the evidence that the advisor left the host alone.
#
# --recorder picks the guest's recorder (run-one.sh; default record, the
# static `reclaim-advisor record`; dir: the busybox loop of the first campaign).
# State lives in $BENCH_DIR (default $QEMU_SCRATCH/bench-effectiveness):
# runs/SCENARIO/SETTING/N/ (run-one.sh output), runs/SCENARIO/source/,
# advice/SCENARIO/SETTING.txt (the vm.KEY=VALUE words).  A run that exists is
# not repeated, so an interrupted matrix resumes where it stopped.  Every boot
# holds /work/qemu.lock (one guest at a time on this machine).  Afterwards
# `report.sh` writes the CSV and the table.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
scratch=${QEMU_SCRATCH:-/work/qemu-scratch}
export QEMU_SCRATCH=$scratch
state=${BENCH_DIR:-$scratch/bench-effectiveness}
bin=${BIN:-$repo/build/reclaim-advisor}
lock=${QEMU_LOCK:-/work/qemu.lock}
# The advice depends on the binary and the rules only: this tree's rules and
# templates, no /etc/reclaim-advisor drop-ins (as bench/pipeline.sh).
export RECLAIM_ADVISOR_RULES_DIR=${RECLAIM_ADVISOR_RULES_DIR:-$repo/rules}
export RECLAIM_ADVISOR_TEMPLATE_DIR=${RECLAIM_ADVISOR_TEMPLATE_DIR:-$repo/templates}
export RECLAIM_ADVISOR_SYSCONFDIR=$state/sysconf
mkdir -p "$state/sysconf"

runs=3 from=1 source_only=0 recorder=record
scenarios="6.1-thp-never 6.12-thp-never 6.1-thp-always 6.1-zram"
settings="defaults advice-rates advice-history advice-whatif wsf200 wsf500 wsf200-mfk131072"
while [ $# -gt 0 ]; do
	case $1 in
	--runs) runs=$2; shift 2 ;;
	--from) from=$2; shift 2 ;;
	--scenarios) scenarios=$2; shift 2 ;;
	--settings) settings=$2; shift 2 ;;
	--source-only) source_only=1; shift ;;
	--recorder) recorder=$2; shift 2 ;;
	*) echo "matrix.sh: unknown argument $1" >&2; exit 64 ;;
	esac
done

# shellcheck source=bench/effectiveness/scenarios.sh
. "$here/scenarios.sh"

# advice SCENARIO SETTING: print the vm.KEY=VALUE words of a setting (one per
# line; none for defaults), computing and keeping an advice the first time.
# Fails when the binary cannot give that advice (an older build without
# `whatif`), and the setting is then skipped.
advice() {
	local sc=$1 set=$2 src=$state/runs/$1/source file=$state/advice/$1/$2.txt
	case $set in
	defaults) return 0 ;;
	wsf200) echo vm.watermark_scale_factor=200; return 0 ;;
	wsf500) echo vm.watermark_scale_factor=500; return 0 ;;
	wsf200-mfk131072) printf '%s\n' vm.watermark_scale_factor=200 vm.min_free_kbytes=131072; return 0 ;;
	wsf[1-9]*)
		# a probe: wsfN, optionally -mfkN (min_free_kbytes) and -wbfN
		# (watermark_boost_factor), e.g. wsf442-wbf0
		if [[ $set =~ ^wsf([0-9]+)(-mfk([0-9]+))?(-wbf([0-9]+))?$ ]]; then
			echo "vm.watermark_scale_factor=${BASH_REMATCH[1]}"
			[ -n "${BASH_REMATCH[3]}" ] && echo "vm.min_free_kbytes=${BASH_REMATCH[3]}"
			[ -n "${BASH_REMATCH[5]}" ] && echo "vm.watermark_boost_factor=${BASH_REMATCH[5]}"
			return 0
		fi ;;
	esac
	if [ ! -f "$file" ]; then
		mkdir -p "$state/advice/$sc"
		local json=$state/advice/$sc/$set.json
		# The directory form reads the settings from the first sample.
		"$here/history-settings.sh" "$src"
		local kind=$set
		case $set in
		advice-history-*) kind=advice-history ;;
		advice-whatif-*) kind=advice-whatif ;;
		esac
		case $set in
		advice-rates)
			"$bin" recommend --root "$src/end" --baseline "$src/start" --format json >"$json.tmp" || return 1 ;;
		advice-history | advice-history-*)
			"$bin" recommend --history "$src/history" --root "$src/end" --baseline "$src/start" \
				--format json >"$json.tmp" 2>/dev/null || return 1 ;;
		advice-whatif | advice-whatif-*)
			"$bin" whatif --history "$src/history" --format json >"$json.tmp" 2>/dev/null || return 1 ;;
		*) echo "matrix.sh: unknown setting $set" >&2; return 1 ;;
		esac
		python3 "$here/advice.py" "$kind" "$json.tmp" >"$file.tmp" || return 1
		mv "$json.tmp" "$json"
		mv "$file.tmp" "$file"
	fi
	cat "$file"
}

boot() { # boot DEST SCENARIO [vm.KEY=VALUE ...]
	local dest=$1 sc=$2
	shift 2
	local args=() s
	for s in "$@"; do args+=(--set "$s"); done
	[ -d "$dest" ] && return 0
	mkdir -p "$(dirname "$dest")"
	echo "matrix.sh: $(date +%H:%M:%S) $dest ${*:-(defaults)}" >&2
	# shellcheck disable=SC2046 # scenario_args is a word list
	flock "$lock" "$here/run-one.sh" --out "$dest" --recorder "$recorder" $(scenario_args "$sc") \
		${args[@]+"${args[@]}"} ||
		echo "matrix.sh: run failed: $dest" >&2
}

[ -x "$bin" ] || { echo "matrix.sh: no binary $bin (make first)" >&2; exit 1; }
for sc in $scenarios; do
	scenario_args "$sc" >/dev/null
	boot "$state/runs/$sc/source" "$sc"
done
[ "$source_only" = 1 ] && exit 0
# Every advice first, kept in advice/: the rounds then boot fixed settings,
# whatever happens to the binary meanwhile.
declare -A skip
for sc in $scenarios; do
	for set in $settings; do
		if words=$(advice "$sc" "$set"); then
			echo "matrix.sh: $sc $set: ${words:-(no sysctl)}" | tr '\n' ' ' >&2
			echo >&2
		else
			echo "matrix.sh: $sc: no $set advice from $bin; skipped" >&2
			skip[$sc/$set]=1
		fi
	done
done
for ((r = from; r < from + runs; r++)); do
	for sc in $scenarios; do
		for set in $settings; do
			[ -n "${skip[$sc/$set]:-}" ] && continue
			# shellcheck disable=SC2086 # one word per line
			boot "$state/runs/$sc/$set/$r" "$sc" $(advice "$sc" "$set")
		done
	done
done
echo "matrix.sh: $(date +%H:%M:%S) done" >&2
