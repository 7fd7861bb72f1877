#!/bin/bash
# The panel (issue 13): real captures, each with the advice and the diagnosis
# a kernel memory-management engineer expects, written down with the reasoning
# in tests/panel/<case>.txt.  tests/panel/panel.py documents the format; checks
# the rule set does not meet yet are listed as xfail in their case, counted,
# and reported as XPASS when they start to pass.  BIN names the binary.
set -u
exec /usr/bin/python3 "$(dirname "$0")/../panel/panel.py" "$@"
