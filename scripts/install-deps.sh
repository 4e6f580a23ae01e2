#!/usr/bin/env bash
# Installs the Debian (bookworm) packages streamc needs to build and test.
# Idempotent: packages already present are skipped; apt runs only when one is missing.
set -euo pipefail

PACKAGES=(
  # toolchain
  cmake ninja-build ccache g++ make pkg-config python3
  # LLVM 19: libraries for codegen/JIT/AOT, FileCheck and lit for the tests
  llvm-19-dev llvm-19-tools libzstd-dev zlib1g-dev libxml2-dev libffi-dev libcurl4-openssl-dev
  # parser generator (tool) and its C++ runtime
  antlr4 libantlr4-runtime-dev
  # libraries
  libyaml-cpp-dev librdkafka-dev libsimdjson-dev libfmt-dev libcli11-dev libedit-dev
  libxxhash-dev libfast-float-dev libre2-dev
  # testing and benchmarking
  libgtest-dev libgmock-dev libbenchmark-dev kcat graphviz
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
