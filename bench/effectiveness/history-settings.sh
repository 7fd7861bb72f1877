#!/bin/bash
# history-settings.sh RUN_DIR...: give the first sample of RUN_DIR/history the
# settings files of RUN_DIR/start (sysctls, kernel release, THP, page size,
# meminfo...), which the directory form of a history reads from its first
# sample (advisor/history/history.h).  The guest's recorder copies only the
# changing files (vmstat, zoneinfo, pressure) to keep each sample small;
# start/ was captured just before the recorder's first sample, under the same
# settings (nothing changes them during a run).  The sample's own files and
# start/'s uptime files are kept as they are.  Idempotent.  Runs whose history
# is a `record` file (its header has the settings) or absent are left alone.
set -euo pipefail
for r in "$@"; do
	[ -d "$r/start" ] || { echo "history-settings.sh: $r: not a run" >&2; exit 1; }
	# a record file carries the settings in its header; a run without a
	# recorder has no history
	[ -d "$r/history" ] || continue
	first=$(find "$r/history" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort -n | head -n 1)
	[ -n "$first" ] || { echo "history-settings.sh: $r: empty history" >&2; exit 1; }
	(cd "$r/start" && find . -type f ! -path ./proc/uptime ! -path ./uptime-end) | while read -r f; do
		dest=$r/history/$first/$f
		[ -e "$dest" ] || { mkdir -p "$(dirname "$dest")" && cp -p "$r/start/$f" "$dest"; }
	done
done
