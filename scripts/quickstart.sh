#!/usr/bin/env bash
# The README's main command: install what is missing, build, run the quickstart.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
build="${ANALECTS_BUILD_DIR:-$root/build}"
"$build/flows/analects" zoo show mobilenet_v2
"$build/flows/analects" eval --model mobilenet_v2 --style nvdla --pes 256 --buffer 65536
