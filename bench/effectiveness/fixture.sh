#!/bin/bash
# fixture.sh [--suffix S] SCENARIO...: install the source run (kernel
# defaults, history recorded) of each scenario that matrix.sh made as
# fixtures/histories/SCENARIO[S]/ with a SOURCE.md; do not edit those folders
# by hand.  --suffix keeps an earlier recording of the scenario beside the new
# one (fixtures/histories/6.1-thp-never/ holds the busybox loop's directory
# form, 6.1-thp-never-record/ the `record` file).
#
#   history         the recorded history: a `reclaim-advisor record` file, or
#                   (runs with --recorder dir) the directory form of issue 12
#                   (T.TTT/proc/{vmstat,zoneinfo,pressure/memory})
#   start/, end/    full captures before and after the bursts (`recommend
#                   --root end --baseline start` works on them)
#   guest/          cmdline.txt, writes.txt, run.txt, burst1.log, burst2.log, dmesg.txt
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
state=${BENCH_DIR:-${QEMU_SCRATCH:-/work/qemu-scratch}/bench-effectiveness}
suffix=
if [ "${1:-}" = --suffix ]; then suffix=${2:?fixture.sh: --suffix needs a value}; shift 2; fi
[[ $suffix =~ ^[a-z0-9.-]*$ ]] || { echo "fixture.sh: bad --suffix $suffix" >&2; exit 64; }
[ $# -gt 0 ] || { sed -n '2,7p' "$0" >&2; exit 64; }
for sc in "$@"; do
	src=$state/runs/$sc/source
	[ -f "$src/guest/run.txt" ] || { echo "fixture.sh: no source run $src" >&2; exit 1; }
	dest=$repo/fixtures/histories/$sc$suffix
	"$here/history-settings.sh" "$src"
	rm -rf "$dest.new" && mkdir -p "$dest.new/guest"
	cp -a "$src/history" "$src/start" "$src/end" "$dest.new/"
	for f in cmdline.txt writes.txt run.txt burst1.log burst2.log dmesg.txt recorder.txt; do
		[ -e "$src/guest/$f" ] && cp "$src/guest/$f" "$dest.new/guest/"
	done
	# run.txt without this host's timing (the rest is what the run was).
	sed -i -e "/^host_seconds:/d" -e "/^host_loadavg_/d" "$dest.new/guest/run.txt"
	get() { sed -n "s/^$1: //p" "$src/guest/run.txt"; }
	m=$("$here/measure.sh" "$src")
	IFS=, read -r stall pscan_d psteal_d pscan_k psteal_k cstall smin slow shigh hkib win samples <<<"$m"
	if [ -f "$src/history" ]; then
		# S <seq> <t_ns> ...: nanoseconds since the first sample
		first=$(awk '$1 == "S" { printf "%.3f", $3 / 1e9; exit }' "$src/history")
		last=$(awk '$1 == "S" { t = $3 } END { printf "%.3f", t / 1e9 }' "$src/history")
		recorder="\`reclaim-advisor record --interval $(get interval)\`, linked statically: one sample per tick"
		timebase="T = CLOCK_MONOTONIC seconds since the recorder's first sample; the file's header holds the settings"
	else
		first=$(find "$src/history" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort -n | head -n 1)
		last=$(find "$src/history" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort -n | tail -n 1)
		recorder="a busybox loop: every $(get interval) s plus the copy time"
		timebase="T = seconds since the recorder started, /proc/uptime; the first sample also holds start/'s
  settings files (bench/effectiveness/history-settings.sh)"
	fi
	sets=$(get sets)
	{
		echo "# $sc$suffix: a recorded history of bursts under kernel defaults"
		echo
		echo "A real QEMU guest (TCG, 2 vCPUs, $(get mem) MiB, no network device) running the effectiveness benchmark's"
		echo "workload with every vm sysctl at the kernel default$([ -n "$sets" ] && echo " except $sets"). This is the"
		echo "\"source\" run of scenario \`$sc\` in \`bench/effectiveness/matrix.sh\`: the advice measured in"
		echo "docs/effectiveness.md was computed from these files. Installed by \`bench/effectiveness/fixture.sh ${suffix:+--suffix $suffix }$sc\`;"
		echo "do not edit by hand."
		echo
		echo "## Kernel"
		echo
		grep -E '^(package|version|source|release|deb|sha256):' "$src/guest/run.txt" | sed 's/^/- /'
		echo "- osrelease: $(cat "$src/start/proc/sys/kernel/osrelease")"
		echo "- THP: \`$(cat "$src/start/sys/kernel/mm/transparent_hugepage/enabled")\`; zram: $(get zram | sed 's/^0$/none/')"
		echo "- kernel command line: \`$(cat "$src/guest/cmdline.txt")\`"
		echo "  (\`ra.*\` words are read by the guest's init, scripts/qemu/bench-init.sh)"
		echo
		echo "## Workload (scripts/qemu/bench-init.sh, bench/effectiveness/burst.c)"
		echo
		echo "1. $( [ "$(get zram)" != 0 ] && echo "swap on a $(get zram) zram device; ")page cache filled by reading a 1 GiB data disk (kept open)"
		echo "2. \`start/\` captured; the recorder starts ($recorder)"
		echo "3. two \`burst\` processes (seeds 1 and 2), $(get bursts) bursts each: 32-64 MiB of anonymous memory touched page"
		echo "   by page, held 0-200 ms, freed, 0-300 ms pause$( [ "$(get reread)" = 1 ] && echo "; meanwhile a reader streams the data disk again and again, so the page cache keeps refilling free memory")"
		echo "4. 1 s after the last burst the recorder stops; \`end/\` captured"
		echo
		echo "## What it shows (bench/effectiveness/measure.sh: end/ minus start/)"
		echo
		echo "- history: $samples samples, $first s to $last s ($timebase)"
		echo "- direct reclaim entries (Σ allocstall_*): $stall; pgscan_direct $pscan_d, pgsteal_direct $psteal_d"
		echo "- pgscan_kswapd $pscan_k, pgsteal_kswapd $psteal_k, compact_stall $cstall; window $win s"
		echo "- watermarks, all zones (end/proc/zoneinfo): Σ min $smin, Σ low $slow, Σ high $shigh pages ($hkib KiB)"
		echo
		echo "## Reproduce"
		echo
		echo '```'
		echo "scripts/install-deps --bench"
		echo "bench/effectiveness/matrix.sh --source-only --scenarios $sc   # QEMU_SCRATCH, BENCH_DIR: see the script"
		echo "bench/effectiveness/fixture.sh ${suffix:+--suffix $suffix }$sc"
		echo '```'
		echo
		echo "A rerun gives another history of the same workload, not these bytes: the timing of the bursts against"
		echo "kswapd differs from run to run (docs/effectiveness.md shows how much)."
	} >"$dest.new/SOURCE.md"
	rm -rf "$dest" && mv "$dest.new" "$dest"
	echo "fixture.sh: $dest ($samples samples, $stall direct reclaim entries)" >&2
done
