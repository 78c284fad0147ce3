#!/usr/bin/env bash
# GPU acceptance run, from the bundle `make gpu-bundle` makes (publish/, native/, fixtures/, scripts/), on a machine
# with an NVIDIA GPU, the CUDA toolkit, cmake, g++ and a PyTorch, and no .NET:
#   1. builds native/ against that PyTorch's libtorch (native/build.sh --python)
#   2. `ltx-local doctor --fixtures fixtures --device cuda:0` from the self-contained publish (float32, TF32 off)
#   3. bench transformer: 48 blocks, bf16, 1280x704x121 + audio, random weights (seconds per step, TFLOP/s)
#   4. bench vae: decode of 1280x704x121, random weights (seconds, peak memory)
#   5. bench pipeline: the distilled pipeline end to end at 1280x704x121 at LTX-2.3's sizes (22B transformer, Gemma 3
#      12B, VAEs, vocoder, x2 upsampler: the released configuration kept in the publish) with random bf16 weights drawn on the GPU as each network
#      loads (stage seconds, peak memory); --text-encoder tiny keeps every network but Gemma at full size
# and writes one JSON report (default gpu-acceptance.json) with each step's exit code, time, parsed numbers and
# output. Budget: 10 minutes on an H200: the step limits below add up to 600 s (a step over its limit is cut and
# reported with exit 124); estimated on an H200: build ~90 s (16 cores), doctor ~40 s, transformer ~40 s (2 forwards
# of 48 blocks at ~2 s + drawing 44 GB), vae ~30 s, pipeline ~120 s (drawing ~70 GB, warm-up, 8 + 3 steps, decode).
#   scripts/gpu-acceptance.sh [--python PY] [--device cuda:0] [--out FILE] [--text-encoder full|tiny]
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py="${PYTHON:-python3}"
device="cuda:0"
out="$PWD/gpu-acceptance.json"
text_encoder=full
while [ $# -gt 0 ]; do
  case "$1" in
    --python) py="$2"; shift 2 ;;
    --device) device="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --text-encoder) text_encoder="$2"; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
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

step build 180 bash "$here/native/build.sh" --python "$py" --build-dir "$here/native/build"
torchlib="$("$py" -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')"
export LD_LIBRARY_PATH="$torchlib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export LTX_NATIVE_LIB="$here/native/build/libltxnative.so"
cli="$here/publish/ltx-local"
step doctor 120 "$cli" doctor --fixtures "$here/fixtures" --device "$device"
step bench_transformer 90 "$cli" bench transformer --device "$device" --layers 48 --dtype bf16
step bench_vae 60 "$cli" bench vae --device "$device" --width 1280 --height 704 --frames 121
step bench_pipeline 150 "$cli" bench pipeline --random-weights ltx-2.3 --text-encoder "$text_encoder" --device "$device" \
  --resolution 1280x704 --frames 121
"$py" "$here/scripts/gpu-acceptance-report.py" "$logs" "$out" "$py"
echo "gpu-acceptance: report written to $out"
! grep -qvE ' 0 [0-9]+$' "$logs/steps"
