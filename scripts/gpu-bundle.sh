#!/usr/bin/env bash
# `make gpu-bundle`: what travels to a GPU box for scripts/gpu-acceptance.sh, as artifacts/ltx-gpu-bundle.tar.xz
# (must stay under 60 MB; the script fails over it): a self-contained linux-x64 publish of ltx-local (no .NET needed
# there; without a libltxnative, the box builds its own against its PyTorch), native/'s sources, the acceptance scripts,
# and every fixture case of the components
# `ltx-local doctor --fixtures` runs (LTX_BUNDLE_COMPONENTS, the runners of src/LtxLocal.Models/Parity/ParitySuite.cs).
# The publish is trimmed (TrimMode=partial: only the framework's trimmable assemblies, ours whole), without ICU
# (InvariantGlobalization: a GPU box may have no libicu), satellite resources or debugger libraries; xz -9e.
# Then it checks itself: the tarball is extracted to a temporary folder and its doctor runs every bundled case on the
# CPU against this machine's libltxnative (LTX_NATIVE_LIB, default native/build). LTX_BUNDLE_CHECK=0 skips that.
# Takes ~2 min on an idle 2-core machine (15 at load 30), + the doctor run (~1-3 min).
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

dotnet publish "$repo/src/LtxLocal.Cli" -c Release -r linux-x64 --self-contained -o "$stage/publish" -nologo -v quiet \
  -p:DebugType=none -p:PublishTrimmed=true -p:TrimMode=partial -p:InvariantGlobalization=true -p:SatelliteResourceLanguages=en
# Built here against Debian's libtorch: the box builds its own. The debugger's libraries are not needed to run.
rm -f "$stage/publish/libltxnative.so" "$stage/publish/libltxspm.so" "$stage/publish/libmscordbi.so" "$stage/publish/libmscordaccore.so" \
  "$stage/publish/createdump"
cp -r "$repo/native/CMakeLists.txt" "$repo/native/build.sh" "$repo/native/include" "$repo/native/src" "$repo/native/bench" "$stage/native/"
cp "$repo/scripts/gpu-acceptance.sh" "$repo/scripts/gpu-acceptance-report.py" "$stage/scripts/"
for c in $components; do
  [ -d "$fixtures/$c" ] || { echo "gpu-bundle: no fixtures for $c under $fixtures" >&2; exit 1; }
  cp -r "$fixtures/$c" "$stage/fixtures/"
done
du -sm "$stage/publish" "$stage/native" "$stage/fixtures" | sed 's/^/gpu-bundle: uncompressed MB /'
tar -C "$work" -cf - ltx-gpu-bundle | xz -T0 -9e >"$out"
size=$(stat -c %s "$out")
echo "gpu-bundle: $out, $(awk "BEGIN { printf \"%.1f\", $size / 1048576 }") MB (limit 60 MB)"
[ "$size" -lt "$limit" ] || { echo "gpu-bundle: over 60 MB" >&2; exit 1; }

if [ "${LTX_BUNDLE_CHECK:-1}" != 0 ]; then
  check="$work/check"
  mkdir -p "$check" && tar -C "$check" -xJf "$out"
  export LTX_NATIVE_LIB="${LTX_NATIVE_LIB:-$repo/native/build/libltxnative.so}"
  echo "gpu-bundle: self-check: the bundle's doctor on the CPU with $LTX_NATIVE_LIB"
  (cd "$check/ltx-gpu-bundle" && publish/ltx-local doctor --fixtures fixtures --device cpu) \
    || { echo "gpu-bundle: the bundle's doctor failed" >&2; exit 1; }
fi
echo "on the GPU box: tar -xJf ltx-gpu-bundle.tar.xz && ltx-gpu-bundle/scripts/gpu-acceptance.sh --python \$(which python3)"
