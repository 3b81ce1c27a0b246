#!/usr/bin/env bash
# Installs the Debian packages Analects needs, only when some are missing.
# Usage: scripts/setup.sh [extra-package ...]
set -euo pipefail

packages=(g++ cmake make verilator libsystemc-dev libeigen3-dev libfmt-dev libgtest-dev
  libgmock-dev libbenchmark-dev nlohmann-json3-dev libcli11-dev libyaml-cpp-dev libonnx-dev
  libprotobuf-dev protobuf-compiler yosys nextpnr-ice40 fpga-icestorm "$@")

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
