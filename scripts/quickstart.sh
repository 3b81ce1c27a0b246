#!/usr/bin/env bash
# The README's main command: install what is missing, build, run the built-in quickstart flow
# (writes analects-out/quickstart/: trace.csv, design.json, fpga.json, report.html).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
build="${ANALECTS_BUILD_DIR:-$root/build}"
cd "$root"
"$build/flows/analects" flow "$@"
