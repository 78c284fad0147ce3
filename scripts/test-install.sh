#!/usr/bin/env bash
# Checks `make install` / `make uninstall` end to end (make test-install):
#   1. make install PREFIX=<empty temp dir>
#   2. from a directory outside the repository: ltx-local --version (must name libtorch), `ltx-local doctor` when
#      that command exists, and `models create-tiny` + `models inspect` (loads libltxnative and the tokenizer shim
#      from the install, not from the repository)
#   3. make uninstall PREFIX=<same>; the prefix must be empty again
# Exits non-zero at the first failure. Takes a few minutes on 2 cores (a self-contained publish).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix="$(mktemp -d)"
outside="$(mktemp -d)"
trap 'rm -rf "$prefix" "$outside"' EXIT

make -C "$repo" --no-print-directory install PREFIX="$prefix"
cd "$outside"
bin="$prefix/bin/ltx-local"
"$bin" --version | tee version.txt
grep -q '^ltx-local ' version.txt || { echo "test-install: --version does not name ltx-local" >&2; exit 1; }
grep -q '^libtorch [0-9]' version.txt || { echo "test-install: --version does not name the libtorch (native library not loaded?)" >&2; exit 1; }
if "$bin" --help | grep -qw doctor; then
  "$bin" doctor
else
  echo "test-install: no doctor command in this build; skipped"
fi
"$bin" models create-tiny --out tiny >/dev/null
"$bin" models inspect tiny | head -5
make -C "$repo" --no-print-directory uninstall PREFIX="$prefix"
left="$(find "$prefix" -mindepth 1)"
if [ -n "$left" ]; then
  echo "test-install: uninstall left files behind:" >&2
  echo "$left" | head -20 >&2
  exit 1
fi
echo "test-install: install, --version, uninstall: ok"
