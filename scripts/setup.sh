#!/usr/bin/env bash
# Installs what LtxLocal needs on a Debian machine (idempotent: installs only what is missing).
# Needs root or sudo for apt-get. The .NET 10 SDK must already be on PATH.
set -euo pipefail
# postgresql: the multi-node job store's tests run against a throwaway server (scripts/test-postgres.sh).
# libopenblas0-pthread: Debian's libtorch links the generic libblas.so.3; OpenBLAS makes its GEMMs ~10x faster.
packages=(cmake g++ make libtorch-dev libopenblas0-pthread libsentencepiece-dev sentencepiece ffmpeg postgresql)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v dotnet >/dev/null || { echo "setup: the .NET 10 SDK (dotnet) is not on PATH" >&2; exit 1; }
echo "setup: ok"
