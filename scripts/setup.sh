#!/usr/bin/env bash
# Installs what LtxLocal needs on a Debian 12 (bookworm) or 13 (trixie) machine (idempotent: installs only what
# is missing). Needs root or sudo for apt-get. The .NET 10 SDK must already be on PATH.
set -euo pipefail
# postgresql: the multi-node job store's tests run against a throwaway server (scripts/test-postgres.sh).
# libopenblas0-pthread: Debian's libtorch links the generic libblas.so.3; OpenBLAS makes its GEMMs ~10x faster.
# libtorch-dev is 1.13 on Debian 12 and 2.6 on Debian 13; native/ builds on both.
packages=(cmake g++ make libtorch-dev libopenblas0-pthread libsentencepiece-dev sentencepiece ffmpeg postgresql
  ca-certificates)
# chromium: the playground's browser tests (tests/LtxLocal.Browser.Tests) drive it headless through Playwright, which
# downloads no browser of its own. LTX_SETUP_BROWSER=0 leaves it out (the Debian 13 stage: the page needs no libtorch).
[ "${LTX_SETUP_BROWSER:-1}" = 0 ] || packages+=(chromium)
# What the .NET runtime loads, whose package names differ between releases (13 renamed libraries for 64-bit
# time_t, "t64"): the first name of each group that the release has.
alternatives=("libssl3t64 libssl3" "libicu76 libicu72")

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
available() { apt-cache policy "$1" 2>/dev/null | grep -qE 'Candidate: [^(]'; }

sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
missing=()
for p in "${packages[@]}"; do installed "$p" || missing+=("$p"); done
unresolved=()
for group in "${alternatives[@]}"; do
  found=""
  for p in $group; do installed "$p" && found="$p" && break; done
  [ -n "$found" ] || unresolved+=("$group")
done
if [ ${#missing[@]} -gt 0 ] || [ ${#unresolved[@]} -gt 0 ]; then
  $sudo apt-get update -qq
  for group in "${unresolved[@]}"; do
    pick=""
    for p in $group; do available "$p" && pick="$p" && break; done
    [ -n "$pick" ] || { echo "setup: none of [$group] is in this release's archive" >&2; exit 1; }
    missing+=("$pick")
  done
  echo "setup: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v dotnet >/dev/null || { echo "setup: the .NET 10 SDK (dotnet) is not on PATH" >&2; exit 1; }
echo "setup: ok"
