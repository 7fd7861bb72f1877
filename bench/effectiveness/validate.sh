#!/bin/bash
# validate.sh [--all-defaults]: the simulator's predictions against every
# measured setting (validate.py); BIN as in report.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
exec python3 "$here/validate.py" "$@" "${BIN:-$repo/build/reclaim-advisor}"
