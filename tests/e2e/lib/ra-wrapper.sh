#!/bin/bash
# `reclaim-advisor` as the README's examples meet it in
# tests/e2e/readme_examples.sh: the real binary ($RA_BIN), pointed at a copy
# of a fixture tree ($RA_ROOT) instead of this machine.  These are the only
# substitutions, each because the example is written for a live host:
#   - a command that reads a host (recommend, audit, collect, record, facts,
#     watermarks, explain) gets `--root $RA_ROOT` unless it names --root or
#     --snapshot itself;
#   - an argument that is an absolute path under /etc, /var or /proc (the
#     fragment, the report, the textfile, the history) becomes the same path
#     under $RA_ROOT, so `--apply` and every output stay inside the copy;
#   - `--interval S` (sample the counters twice, S seconds apart, which a
#     static tree cannot do) becomes `--baseline $RA_BASELINE`, an earlier
#     capture of the same boot: the same rates over a real window, when the
#     example names one (record keeps --interval: it is its sampling period);
#   - `record` (which runs until Ctrl-C) gets SIGTERM after
#     $RA_RECORD_SECONDS seconds, as the README says it may.
# Every call is logged to $RA_LOG as `EXIT<TAB>ARGS AS WRITTEN`.
# Without RA_ROOT (the transcript, whose commands name their trees) the
# arguments pass unchanged.
set -u
args=()
cmd=${1:-}
if [ -n "${RA_ROOT:-}" ]; then
	skip=
	for a; do
		if [ -n "$skip" ]; then
			skip=
			continue
		fi
		case $a in
		/etc/* | /var/* | /proc/*) a=$RA_ROOT$a ;;
		--interval)
			if [ "$cmd" != record ] && [ -n "${RA_BASELINE:-}" ]; then
				args+=(--baseline "$RA_BASELINE")
				skip=1
				continue
			fi
			;;
		esac
		args+=("$a")
	done
	case $cmd in
	recommend | audit | collect | record | facts | watermarks | explain)
		case " $* " in
		*" --root "* | *" --snapshot "*) ;;
		*) args=("$cmd" --root "$RA_ROOT" "${args[@]:1}") ;;
		esac
		;;
	esac
else
	args=("$@")
fi
if [ "$cmd" = record ]; then
	"$RA_BIN" "${args[@]}" &
	pid=$!
	sleep "${RA_RECORD_SECONDS:-2}"
	kill -TERM "$pid"
	wait "$pid"
	rc=$?
else
	"$RA_BIN" "${args[@]}"
	rc=$?
fi
printf '%s\t%s\n' "$rc" "$*" >>"${RA_LOG:-/dev/null}"
exit "$rc"
