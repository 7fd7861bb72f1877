#!/bin/bash
# measure.sh RUN_DIR...: one CSV row per run made by run-one.sh (no header;
# `measure.sh --header` prints it).  Counters are differences between the
# run's start/ and end/ captures (the burst window); watermarks are summed over
# every zone of end/proc/zoneinfo (the settings in force during the window),
# without the zone's watermark boost (the kernel prints min/low/high with the
# boost of the moment added; the boost decays by itself and is no setting).
#
#   allocstall      Σ allocstall_* : direct reclaim entries
#   pgscan_direct, pgsteal_direct, pgscan_kswapd, pgsteal_kswapd, compact_stall
#   sum_min, sum_low, sum_high     pages, all zones
#   held_high_kib   Σ high in KiB (memory kswapd keeps free: held back)
#   window_s        guest seconds between the two captures
#   samples         history samples recorded (record file: S lines; folder: sample folders)
set -euo pipefail
cols=allocstall,pgscan_direct,pgsteal_direct,pgscan_kswapd,pgsteal_kswapd,compact_stall,sum_min,sum_low,sum_high,held_high_kib,window_s,samples
if [ "${1:-}" = --header ]; then
	echo "$cols"
	exit 0
fi
for r in "$@"; do
	[ -s "$r/start/proc/vmstat" ] && [ -s "$r/end/proc/vmstat" ] || { echo "measure.sh: $r: not a run" >&2; exit 1; }
	if [ -f "$r/history" ]; then
		samples=$(grep -c '^S ' "$r/history" || true)
	elif [ -d "$r/history" ]; then
		samples=$(find "$r/history" -mindepth 1 -maxdepth 1 -type d | wc -l)
	else
		samples=0
	fi
	awk -v samples="$samples" '
		FILENAME ~ /start\/proc\/vmstat$/ { s[$1] = $2; next }
		FILENAME ~ /end\/proc\/vmstat$/ { e[$1] = $2; next }
		FILENAME ~ /start\/proc\/uptime$/ { t0 = $1; next }
		FILENAME ~ /end\/proc\/uptime$/ { t1 = $1; next }
		FILENAME ~ /zoneinfo$/ && $1 == "Node" { b = 0 }
		FILENAME ~ /zoneinfo$/ && NF == 2 && $1 == "boost" { b = $2 }
		FILENAME ~ /zoneinfo$/ && NF == 2 && $1 == "min" { mn += $2 - b }
		FILENAME ~ /zoneinfo$/ && NF == 2 && $1 == "low" { lo += $2 - b }
		FILENAME ~ /zoneinfo$/ && NF == 2 && $1 == "high" { hi += $2 - b }
		END {
			for (k in e) if (k ~ /^allocstall_/) stall += e[k] - s[k]
			printf "%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%.2f,%d\n", stall,
				e["pgscan_direct"] - s["pgscan_direct"], e["pgsteal_direct"] - s["pgsteal_direct"],
				e["pgscan_kswapd"] - s["pgscan_kswapd"], e["pgsteal_kswapd"] - s["pgsteal_kswapd"],
				e["compact_stall"] - s["compact_stall"], mn, lo, hi, hi * 4, t1 - t0, samples
		}' "$r/start/proc/vmstat" "$r/end/proc/vmstat" "$r/start/proc/uptime" "$r/end/proc/uptime" \
		"$r/end/proc/zoneinfo"
done
