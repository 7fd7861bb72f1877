#!/bin/bash
# recorder-cost.sh [--runs N] [--scenario SC] [--recorders "none record dir"]
#                  [--interval S]
#
# What the guest's recorder costs (issue 12): boots the defaults of one
# scenario (default 6.1-thp-never) N times (default 3) with each recorder of
# scripts/qemu/bench-init.sh, interleaved (round r boots every recorder once),
# and prints per recorder the workload's direct reclaim entries (does the
# sampler perturb what it measures?), the samples taken and, for `record`, its
# CPU time (utime + stime of /proc/PID/stat, 10 ms ticks, over its life) and
# peak RSS (VmHWM) inside the TCG guest.
#   none     no recorder: the workload alone
#   record   `reclaim-advisor record --interval S` (the static build, RECORDER)
#   dir      the busybox loop writing the directory form (~0.2 s under TCG)
# Runs live in $BENCH_DIR/recorder-cost/SC/RECORDER/N (existing runs are
# kept: the script resumes); a CSV goes to standard output, then a summary
# table.  Every boot holds /work/qemu.lock.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
scratch=${QEMU_SCRATCH:-/work/qemu-scratch}
export QEMU_SCRATCH=$scratch
state=${BENCH_DIR:-$scratch/bench-effectiveness}
lock=${QEMU_LOCK:-/work/qemu.lock}
runs=3 sc=6.1-thp-never recorders="none record dir" interval=0.1
while [ $# -gt 0 ]; do
	case $1 in
	--runs) runs=$2; shift 2 ;;
	--scenario) sc=$2; shift 2 ;;
	--recorders) recorders=$2; shift 2 ;;
	--interval) interval=$2; shift 2 ;;
	*) echo "recorder-cost.sh: unknown argument $1" >&2; exit 64 ;;
	esac
done
# shellcheck source=bench/effectiveness/scenarios.sh
. "$here/scenarios.sh"
args=$(scenario_args "$sc")

base=$state/recorder-cost/$sc
for ((r = 1; r <= runs; r++)); do
	for m in $recorders; do
		dest=$base/$m/$r
		[ -d "$dest" ] && continue
		mkdir -p "$base/$m"
		echo "recorder-cost.sh: $(date +%H:%M:%S) $dest" >&2
		# shellcheck disable=SC2086 # args is a word list
		flock "$lock" "$here/run-one.sh" --out "$dest" $args --recorder "$m" --interval "$interval" ||
			echo "recorder-cost.sh: run failed: $dest" >&2
	done
done

echo "recorder,run,allocstall,samples,cpu_s,life_s,cpu_percent,peak_rss_kib"
for m in $recorders; do
	for dest in "$base/$m"/*/; do
		dest=${dest%/}
		[ -f "$dest/guest/run.txt" ] || continue
		IFS=, read -r stall _ _ _ _ _ _ _ _ _ _ samples <<<"$("$here/measure.sh" "$dest")"
		# stat fields (the name has no blank): 14 utime, 15 stime, 22 starttime, in ticks of 1/100 s
		awk -v m="$m" -v n="${dest##*/}" -v stall="$stall" -v samples="$samples" '
			$1 == "uptime:" { up = $2 }
			$1 == "stat:" { cpu = ($15 + $16) / 100; life = up - $23 / 100 }
			$1 == "VmHWM:" { hwm = $2 }
			END {
				if (life > 0)
					printf "%s,%s,%d,%d,%.2f,%.2f,%.2f,%d\n", m, n, stall, samples, cpu, life, 100 * cpu / life, hwm
				else
					printf "%s,%s,%d,%d,,,,\n", m, n, stall, samples
			}' "$dest/guest/recorder.txt"
	done
done | tee "$base/cost.csv"
awk -F, '
	{ n[$1]++; s[$1] += $3; q[$1] += $3 * $3; c[$1] += $7; h[$1] = $8 > h[$1] ? $8 : h[$1]; k[$1] += $4 }
	END {
		print ""
		print "| recorder | runs | direct reclaim entries | samples | CPU (% of one vCPU) | CPU-s per hour | peak RSS |"
		print "|---|---|---|---|---|---|---|"
		for (m in n) {
			mean = s[m] / n[m]
			sd = n[m] > 1 ? sqrt((q[m] - n[m] * mean * mean) / (n[m] - 1)) : 0
			cpu = c[m] / n[m]
			if (m == "record")
				printf "| %s | %d | %.0f ± %.0f | %.0f | %.2f %% | %.0f | %.1f MiB |\n", m, n[m], mean, sd, k[m] / n[m], cpu, cpu * 36, h[m] / 1024
			else
				printf "| %s | %d | %.0f ± %.0f | %.0f | - | - | - |\n", m, n[m], mean, sd, k[m] / n[m]
		}
	}' "$base/cost.csv"
