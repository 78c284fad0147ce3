#!/usr/bin/env bash
# Installs or removes a self-contained `ltx-local` (what `make install` / `make uninstall` run):
#   scripts/install.sh install PREFIX     publish into PREFIX/lib/ltx-local (with libltxnative.so and libltxspm.so
#                                         beside it) and write PREFIX/bin/ltx-local, a wrapper that execs it
#   scripts/install.sh uninstall PREFIX   remove exactly what the install wrote, from its manifest
# The manifest (PREFIX/lib/ltx-local/install-manifest) lists every file written and every directory the install
# created, so uninstall leaves PREFIX as it found it. Installing over an earlier install removes that one first.
# Needs native/build/libltxnative.so (make native) and the .NET SDK; libtorch, ffmpeg and OpenBLAS stay system
# packages (scripts/setup.sh), as the published binary links the same ones the build did.
set -euo pipefail
action="${1:?usage: install.sh install|uninstall PREFIX}"
prefix="${2:?usage: install.sh install|uninstall PREFIX}"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$prefix"
prefix="$(cd "$prefix" && pwd)"
lib="$prefix/lib/ltx-local"
wrapper="$prefix/bin/ltx-local"
manifest="$lib/install-manifest"

uninstall() {
  if [ ! -f "$manifest" ]; then
    echo "uninstall: nothing installed in $prefix (no $manifest)"
    return 0
  fi
  # Files first, then the directories the install created, deepest first, each only if it is empty now.
  local entries
  entries="$(cat "$manifest")"
  rm -f -- "$manifest"
  grep '^f ' <<<"$entries" | cut -c3- | while IFS= read -r path; do rm -f -- "$path"; done || true
  grep '^d ' <<<"$entries" | cut -c3- | sort -r | while IFS= read -r dir; do rmdir -- "$dir" 2>/dev/null || true; done || true
  echo "uninstalled ltx-local from $prefix"
}

# Creates a directory and its missing parents, recording each one it creates.
make_dir() {
  local dir="$1" missing=()
  while [ ! -d "$dir" ]; do missing+=("$dir"); dir="$(dirname "$dir")"; done
  for ((i = ${#missing[@]} - 1; i >= 0; i--)); do mkdir -- "${missing[i]}"; echo "d ${missing[i]}" >>"$created"; done
}

install() {
  [ -f "$repo/native/build/libltxnative.so" ] || { echo "install: build the native library first (make native)" >&2; exit 1; }
  if [ -e "$wrapper" ] && [ ! -f "$manifest" ]; then
    echo "install: $wrapper exists and was not installed by this script; remove it or pick another PREFIX" >&2
    exit 1
  fi
  [ -f "$manifest" ] && uninstall
  local rid
  case "$(uname -m)" in
    x86_64) rid=linux-x64 ;;
    aarch64) rid=linux-arm64 ;;
    *) echo "install: unsupported machine $(uname -m)" >&2; exit 1 ;;
  esac
  stage="$(mktemp -d)"
  created="$stage/created"
  : >"$created"
  trap 'rm -rf "$stage"' EXIT
  echo "install: publishing a self-contained ltx-local for $rid (a few minutes on 2 cores)"
  dotnet publish "$repo/src/LtxLocal.Cli" -c Release -r "$rid" --self-contained -o "$stage/publish" -nologo -v quiet
  for so in libltxnative.so libltxspm.so; do
    [ -f "$stage/publish/$so" ] || cp "$repo/native/build/$so" "$stage/publish/$so"
  done

  make_dir "$lib"
  make_dir "$prefix/bin"
  (cd "$stage/publish" && find . -type d ! -name .) | sort | while IFS= read -r d; do make_dir "$lib/${d#./}"; done
  cp -a "$stage/publish/." "$lib/"
  (cd "$stage/publish" && find . ! -type d) | sort | while IFS= read -r f; do echo "f $lib/${f#./}"; done >>"$created"
  printf '#!/bin/sh\n# Installed by LtxLocal scripts/install.sh; `make uninstall PREFIX=%s` removes it.\nexec "%s/ltx-local" "$@"\n' \
    "$prefix" "$lib" >"$wrapper"
  chmod 755 "$wrapper"
  echo "f $wrapper" >>"$created"
  cp "$created" "$manifest"
  echo "installed $wrapper -> $lib/ltx-local ($(grep -c '^f ' "$manifest") files)"
  case ":$PATH:" in *":$prefix/bin:"*) ;; *) echo "note: $prefix/bin is not on your PATH; add it (export PATH=\"$prefix/bin:\$PATH\")" ;; esac
}

case "$action" in
  install) install ;;
  uninstall) uninstall ;;
  *) echo "install.sh: unknown action $action (install or uninstall)" >&2; exit 2 ;;
esac
