#!/bin/bash
# `sysctl` for tests/e2e/readme_examples.sh: `sysctl -w KEY=VALUE ...` writes
# VALUE into $RA_ROOT/proc/sys/KEY (dots to slashes), the copy of a fixture
# tree that stands in for the host; every call is logged to $RA_SYSCTL_LOG.
# Anything else is refused, and the real sysctl is never run: the examples
# must not change this machine.
set -u
: "${RA_ROOT:?sysctl wrapper: no RA_ROOT, refusing}"
printf 'sysctl %s\n' "$*" >>"${RA_SYSCTL_LOG:-/dev/null}"
[ "${1:-}" = -w ] || { echo "sysctl wrapper: only -w KEY=VALUE is simulated: $*" >&2; exit 2; }
shift
for kv; do
	k=${kv%%=*}
	v=${kv#*=}
	case $k in '' | *..* | */*) echo "sysctl wrapper: bad key '$k'" >&2; exit 2 ;; esac
	f=$RA_ROOT/proc/sys/$(printf %s "$k" | tr . /)
	[ -f "$f" ] || { echo "sysctl: cannot stat /proc/sys/$(printf %s "$k" | tr . /): No such file or directory" >&2; exit 1; }
	printf '%s\n' "$v" >"$f"
	echo "$k = $v"
done
