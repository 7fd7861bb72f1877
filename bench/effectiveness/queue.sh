#!/bin/bash
# queue.sh QUEUE_FILE: boots the runs listed in QUEUE_FILE one line at a time, first line first, each line
# "ROUND SCENARIO SETTING" as
#     matrix.sh --from ROUND --runs 1 --scenarios SCENARIO --settings SETTING
# Lines are taken off the file as they start (under QUEUE_FILE.lock), so the order can be changed while it runs
# (a new probe put in front, a round appended); an empty queue waits, a line "stop" ends the runner.  Every
# line that starts is appended with its time to QUEUE_FILE.log, the campaign's order of boots.  matrix.sh's
# environment (BENCH_DIR, BIN, RECORDER, KERNEL_61, ...) is passed through; every boot holds /work/qemu.lock.
# (bench4's $st/bench4-queue.sh of campaign 3, made a script of the tree for campaign 4.)
set -u
here=$(cd "$(dirname "$0")" && pwd)
q=${1:?usage: queue.sh QUEUE_FILE}
while :; do
	line=$(flock "$q.lock" sh -c 'head -n1 "$1"; sed -i 1d "$1"' sh "$q")
	[ "$line" = stop ] && break
	if [ -z "$line" ]; then sleep 10; continue; fi
	# shellcheck disable=SC2086 # ROUND SCENARIO SETTING
	set -- $line
	echo "QUEUE $(date +%H:%M:%S) $*" | tee -a "$q.log"
	"$here/matrix.sh" --from "$1" --runs 1 --scenarios "$2" --settings "$3" 2>&1 |
		grep -v '^matrix.sh: [^ ]* [^ ]*: '
done
echo "QUEUE-DONE $(date +%H:%M:%S)" | tee -a "$q.log"
