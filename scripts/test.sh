#!/usr/bin/env bash
# The README's test command: install what is missing, build, run the test suite.
# CI (.ci/run) calls exactly this. Long RTL sweeps carry the ctest label "long" and are skipped
# here; run them with: ctest --test-dir build -L long
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh" chromium  # chromium: the report test renders report.html headless
"$root/scripts/build.sh"
build="${ANALECTS_BUILD_DIR:-$root/build}"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" -LE long "$@"
