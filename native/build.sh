#!/usr/bin/env bash
# Builds native/build/libltxnative.so against a libtorch:
#   native/build.sh                      Debian's libtorch-dev (CPU; development and CI)
#   native/build.sh --python PY          the libtorch inside an installed PyTorch (CUDA boxes)
#   native/build.sh --libtorch DIR       an unpacked libtorch archive
# Options: --build-dir DIR (default native/build), --jobs N.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="$here/build"
prefix=""
jobs="$(nproc)"
while [ $# -gt 0 ]; do
  case "$1" in
    --python) py="$2"; shift 2
      prefix="$("$py" -c 'import torch.utils; print(torch.utils.cmake_prefix_path)')" ;;
    --libtorch) prefix="$(cd "$2" && pwd)"; shift 2 ;;
    --build-dir) build="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
if [ -z "$prefix" ]; then
  for candidate in /usr/lib/x86_64-linux-gnu/cmake/Torch /usr/lib/aarch64-linux-gnu/cmake/Torch; do
    [ -f "$candidate/TorchConfig.cmake" ] && prefix="$candidate"
  done
  if [ -z "$prefix" ]; then
    echo "build.sh: no libtorch found; install Debian's libtorch-dev (make setup) or pass --python/--libtorch" >&2
    exit 1
  fi
fi
mkdir -p "$build"
cmake -S "$here" -B "$build" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release >"$build/cmake.log" 2>&1 \
  || { cat "$build/cmake.log" >&2; exit 1; }
grep -E 'ltxnative:' "$build/cmake.log" || true
cmake --build "$build" -j "$jobs"
echo "built $build/libltxnative.so"
