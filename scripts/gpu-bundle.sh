#!/usr/bin/env bash
# `make gpu-bundle`: what travels to a GPU box for scripts/gpu-acceptance.sh, as artifacts/ltx-gpu-bundle.tar.xz
# (must stay under 60 MB): a self-contained linux-x64 publish of ltx-local (no .NET needed there; without a
# libltxnative, the box builds its own against its PyTorch), native/'s sources, the acceptance scripts, and the
# fixture cases of the components `ltx-local doctor --fixtures` runs (LTX_BUNDLE_COMPONENTS, the runners of
# src/LtxLocal.Models/Parity/ParitySuite.cs).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fixtures="${LTX_FIXTURES:-$repo/../shared/fixtures/ltx2}"
components="${LTX_BUNDLE_COMPONENTS:-transformer video_vae diffusion_decoder vocoder upsampler}"
out="$repo/artifacts/ltx-gpu-bundle.tar.xz"
limit=$((60 * 1024 * 1024))
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
stage="$work/ltx-gpu-bundle"
mkdir -p "$stage/native" "$stage/scripts" "$stage/fixtures" "$(dirname "$out")"

dotnet publish "$repo/src/LtxLocal.Cli" -c Release -r linux-x64 --self-contained -o "$stage/publish" \
  -p:DebugType=none -nologo -v quiet
rm -f "$stage/publish/libltxnative.so" "$stage/publish/libltxspm.so"
cp -r "$repo/native/CMakeLists.txt" "$repo/native/build.sh" "$repo/native/include" "$repo/native/src" "$repo/native/bench" "$stage/native/"
cp "$repo/scripts/gpu-acceptance.sh" "$repo/scripts/gpu-acceptance-report.py" "$stage/scripts/"
for c in $components; do
  [ -d "$fixtures/$c" ] || { echo "gpu-bundle: no fixtures for $c under $fixtures" >&2; exit 1; }
  cp -r "$fixtures/$c" "$stage/fixtures/"
done
tar -C "$work" -cf - ltx-gpu-bundle | xz -T0 -6 >"$out"
size=$(stat -c %s "$out")
echo "gpu-bundle: $out, $((size / 1024 / 1024)) MB (limit 60 MB)"
[ "$size" -lt "$limit" ] || { echo "gpu-bundle: over 60 MB" >&2; exit 1; }
echo "on the GPU box: tar -xJf ltx-gpu-bundle.tar.xz && ltx-gpu-bundle/scripts/gpu-acceptance.sh --python \$(which python3)"
