#!/usr/bin/env bash
# Builds LtxLocal for NVIDIA GPUs from Debian 13's own packages: libtorch-cuda-dev 2.6 and nvidia-cuda-toolkit
# (contrib/non-free), native/ compiled and linked with CUDA, and optionally a self-contained publish.
# Dockerfile.cuda runs it in its build stage; `make test-debian13` runs it in its Debian 13 root, so the recipe
# is exercised by CI without Docker.
#   scripts/build-cuda.sh [--build-dir DIR] [--publish DIR]
# Runs as root on Debian 13 with contrib and non-free in its apt sources; dotnet must be on PATH for --publish.
# cuDNN: Debian's nvidia-cudnn package downloads cuDNN from NVIDIA while it installs. LTX_CUDNN=decline (the
# default) answers its license question with "I Decline", so nothing is downloaded; the build links without cuDNN.
# A machine that can reach NVIDIA and accepts the license sets LTX_CUDNN=accept (the container's runtime stage).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$repo/native/build-cuda"
publish=""
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build="$2"; shift 2 ;;
    --publish) publish="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "build-cuda: unknown option $1" >&2; exit 2 ;;
  esac
done

bash "$repo/scripts/cuda-packages.sh" libtorch-cuda-dev nvidia-cuda-toolkit cmake g++ make libsentencepiece-dev

# nvcc 12.4 accepts g++ up to 13; Debian 13's default is 14, so CUDA's host compiler is the newest it accepts.
for cxx in g++-13 g++-12; do
  if command -v "$cxx" >/dev/null; then export CUDAHOSTCXX="$(command -v "$cxx")"; break; fi
done
bash "$repo/native/build.sh" --build-dir "$build" | tee "$build.log"
grep -q 'ltxnative: building with CUDA' "$build.log" || { echo "build-cuda: libtorch has no CUDA" >&2; exit 1; }
rm -f "$build.log"
ldd "$build/libltxnative.so" | grep -E 'libc10_cuda|libtorch_cuda|libcudart' \
  || { echo "build-cuda: libltxnative.so is not linked against CUDA" >&2; exit 1; }
echo "build-cuda: CUDA-enabled $build/libltxnative.so linked"

if [ -n "$publish" ]; then
  dotnet publish "$repo/src/LtxLocal.Cli" -c Release -r linux-x64 --self-contained -o "$publish" -nologo -v minimal
  cp "$build/libltxnative.so" "$build/libltxspm.so" "$publish/"
  echo "build-cuda: published to $publish"
fi
