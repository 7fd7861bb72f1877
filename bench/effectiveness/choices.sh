#!/bin/bash
# choices.sh STATE...: what `whatif` chooses from each defaults history of the
# campaigns' run folders (STATE/runs/SCENARIO/defaults/N/history): every one
# of them is a recording the advice could have been computed from.  Prints,
# per scenario, the chosen watermark_scale_factor of each ("+b0": with boosting
# off), sorted, and their median: the spread of the advice over recordings of
# one host and workload.
# BIN as in report.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${BIN:-$here/../../build/reclaim-advisor}
[ $# -gt 0 ] || { sed -n '2p' "$0" >&2; exit 64; }
for sc in 6.1-thp-always 6.1-thp-never 6.12-thp-never 6.1-zram; do
	v=()
	for st in "$@"; do
		for h in "$st"/runs/"$sc"/defaults/*/history; do
			[ -f "$h" ] || continue
			w=$("$bin" whatif --history "$h" --format json |
				python3 -c 'import json,sys; r=json.load(sys.stdin); s=r["chosen"]["settings"]; b=s.get("vm.watermark_boost_factor"); print(str(s["vm.watermark_scale_factor"]) + ("+b0" if b == 0 else ""))')
			v+=("$w")
		done
	done
	[ ${#v[@]} -gt 0 ] || continue
	mapfile -t s < <(printf '%s\n' "${v[@]}" | sort -n -t+ -k1,1)
	echo "$sc: ${#s[@]} histories, wsf chosen ${s[*]} (median ${s[$((${#s[@]} / 2))]})"
done
