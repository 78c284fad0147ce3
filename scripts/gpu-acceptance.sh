#!/usr/bin/env bash
# GPU acceptance run, from the bundle `make gpu-bundle` makes (publish/, native/, fixtures/, scripts/), on a machine
# with an NVIDIA GPU, the CUDA toolkit, cmake, g++ and a PyTorch, and no .NET:
#   1. builds native/ against that PyTorch's libtorch (native/build.sh --python)
#   2. `ltx-local doctor --fixtures fixtures --device cuda:0` from the self-contained publish (float32, TF32 off)
#   3. bench transformer: 48 blocks, bf16, 1280x704x121 + audio, random weights (seconds per step, TFLOP/s)
#   4. bench vae: decode of 1280x704x121, random weights (seconds, peak memory)
#   5. bench pipeline: the pipelines end to end at 1280x704 on the tiny model (random weights; stage seconds, peak memory)
# and writes one JSON report (default gpu-acceptance.json) with each step's exit code, time, parsed numbers and
# output. Budget: 10 minutes on an H200; each step has its own time limit.
#   scripts/gpu-acceptance.sh [--python PY] [--device cuda:0] [--out FILE]
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py="${PYTHON:-python3}"
device="cuda:0"
out="$PWD/gpu-acceptance.json"
while [ $# -gt 0 ]; do
  case "$1" in
    --python) py="$2"; shift 2 ;;
    --device) device="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "gpu-acceptance: unknown option $1" >&2; exit 2 ;;
  esac
done
logs="$(mktemp -d)"
steps=()

# step NAME LIMIT_S CMD...: runs CMD with a time limit, keeps its output, exit code and wall time.
step() {
  local name="$1" limit="$2"; shift 2
  local start=$(date +%s%N)
  echo "== $name: $*"
  timeout "$limit" "$@" >"$logs/$name.log" 2>&1
  local rc=$?
  local end=$(date +%s%N)
  tail -n 40 "$logs/$name.log"
  echo "$name" "$rc" "$(( (end - start) / 1000000 ))" >>"$logs/steps"
  steps+=("$name")
  return $rc
}

step build 240 bash "$here/native/build.sh" --python "$py" --build-dir "$here/native/build"
torchlib="$("$py" -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')"
export LD_LIBRARY_PATH="$torchlib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export LTX_NATIVE_LIB="$here/native/build/libltxnative.so"
cli="$here/publish/ltx-local"
step doctor 150 "$cli" doctor --fixtures "$here/fixtures" --device "$device"
step bench_transformer 150 "$cli" bench transformer --device "$device" --layers 48 --dtype bf16
step bench_vae 120 "$cli" bench vae --device "$device" --width 1280 --height 704 --frames 121
step bench_pipeline 120 "$cli" bench pipeline --device "$device" --resolution 1280x704 --frames 121 --memory-sizes 1280x704@121
"$py" "$here/scripts/gpu-acceptance-report.py" "$logs" "$out" "$py"
echo "gpu-acceptance: report written to $out"
! grep -qvE ' 0 [0-9]+$' "$logs/steps"
