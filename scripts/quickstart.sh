#!/usr/bin/env bash
# The README's main command: install what is missing, build, run the built-in quickstart flow.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
build="${ANALECTS_BUILD_DIR:-$root/build}"
"$build/flows/analects" zoo show resnet50
