#!/usr/bin/env bash
# A Debian 13 (trixie) root for CI, made with debootstrap and kept between runs.
#   scripts/debian13-root.sh ensure          create the root if missing (main, contrib, non-free)
#   scripts/debian13-root.sh run CMD...      run CMD inside it, with /proc, /sys, /dev mounted and the repo's
#                                            tree, the fixtures, the host's .NET SDK and NuGet packages in place
# Where the root lives: $LTX_DEBIAN13_ROOT, default /var/cache/ltx-local/debian13 (outside any checkout, so a
# fresh CI clone in another folder finds the same cache). Delete that folder to start cold.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="${LTX_DEBIAN13_ROOT:-/var/cache/ltx-local/debian13}"
mirror="${LTX_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
fixtures="${LTX_FIXTURES:-$repo/../shared/fixtures/ltx2}"
[ "$(id -u)" -eq 0 ] || { echo "debian13-root: needs root (debootstrap, mount, chroot)" >&2; exit 1; }

ensure_root() {
  [ -f "$root/.ltx-root-ok" ] && return 0
  command -v debootstrap >/dev/null || { apt-get update -qq; apt-get install -y -qq debootstrap >/dev/null; }
  echo "debian13-root: debootstrap trixie into $root"
  rm -rf "$root.partial" && mkdir -p "$(dirname "$root")"
  debootstrap --variant=minbase --components=main,contrib,non-free,non-free-firmware --include=iproute2 \
    trixie "$root.partial" "$mirror" \
    >"$root.partial.log" 2>&1 || { tail -20 "$root.partial.log" >&2; exit 1; }
  rm -f "$root.partial.log"
  cat >"$root.partial/etc/apt/sources.list" <<EOF
deb $mirror trixie main contrib non-free non-free-firmware
deb $mirror trixie-updates main contrib non-free non-free-firmware
EOF
  # Services never start inside the root (postgresql, ...): their packages install, nothing runs.
  printf '#!/bin/sh\nexit 101\n' >"$root.partial/usr/sbin/policy-rc.d" && chmod +x "$root.partial/usr/sbin/policy-rc.d"
  # Only what is asked for: no recommended extras (CUDA's recommend gigabytes of profilers and docs).
  echo 'APT::Install-Recommends "false";' >"$root.partial/etc/apt/apt.conf.d/90ltx-no-recommends"
  touch "$root.partial/.ltx-root-ok"
  mv "$root.partial" "$root"
}

mounts=()
unmount_all() {
  local i
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[$i]}" 2>/dev/null || true; done
  mounts=()
}
bind() {  # bind SRC DEST [ro]
  mkdir -p "$2"
  mount --bind "$1" "$2" && mounts+=("$2")
  [ "${3:-}" != ro ] || mount -o remount,bind,ro "$2"
}

# Mounts under the root that a killed run (SIGKILL, a lost session) left behind: unmounted before mounting again,
# so a run never stacks on them. Safe because runs hold the root's lock (main).
unmount_stale() {
  local m
  grep -o " $root/[^ ]*" /proc/self/mountinfo | sed 's/^ //' | sort -r | while read -r m; do
    umount -l "$m" 2>/dev/null && echo "debian13-root: unmounted stale $m"
  done || true
}

run_in_root() {
  unmount_stale
  trap unmount_all EXIT INT TERM
  mount -t proc proc "$root/proc" && mounts+=("$root/proc")
  mount -t sysfs sysfs "$root/sys" && mounts+=("$root/sys")
  bind /dev "$root/dev"
  mount -t devpts devpts "$root/dev/pts" -o newinstance,ptmxmode=0666 2>/dev/null && mounts+=("$root/dev/pts") || true
  mount -t tmpfs tmpfs "$root/dev/shm" && mounts+=("$root/dev/shm")
  cp -L /etc/resolv.conf "$root/etc/resolv.conf"
  # The host's .NET SDK, copied in again whenever the host's differs from the copy.
  local dotnet_home stamp
  dotnet_home="$(dirname "$(readlink -f "$(command -v dotnet)")")"
  stamp="$(ls "$dotnet_home/sdk" "$dotnet_home/shared/"* | tr '\n' ' ')"
  if [ "$(cat "$root/usr/share/dotnet/.ltx-copied-from" 2>/dev/null)" != "$stamp" ]; then
    rm -rf "$root/usr/share/dotnet" && cp -a "$dotnet_home" "$root/usr/share/dotnet"
    echo "$stamp" >"$root/usr/share/dotnet/.ltx-copied-from"
  fi
  ln -sf /usr/share/dotnet/dotnet "$root/usr/local/bin/dotnet"
  # The host's NuGet packages, bind-mounted and used as the root's only package source: restore inside the root
  # needs no network or certificates (the host restores first), and version ranges that NuGet must resolve against
  # a feed (NU1603) resolve against what the host has.
  mkdir -p "$HOME/.nuget/packages" "$root/root/.nuget/NuGet"
  bind "$HOME/.nuget/packages" "$root/root/.nuget/packages"
  cat >"$root/root/.nuget/NuGet/NuGet.Config" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="host-packages" value="/root/.nuget/packages" />
  </packageSources>
</configuration>
XML
  # The checkout's files (tracked and untracked, not ignored: no host build outputs). The root's own build outputs
  # (bin/, obj/, native/build*) stay from the last run so builds are incremental; every other file is replaced.
  mkdir -p "$root/src"
  find "$root/src" \( -name bin -o -name obj -o -path "$root/src/native/build*" \) -prune -o \( -type f -o -type l \) \
    -print0 | xargs -0 rm -f
  find "$root/src" -mindepth 1 -type d -empty -delete
  (cd "$repo" && git ls-files -co --exclude-standard -z | tar --null -T - -cf -) | tar -xf - -C "$root/src"
  [ -d "$fixtures" ] && bind "$(cd "$fixtures" && pwd)" "$root/fixtures" ro
  chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 \
    DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 LTX_FIXTURES=/fixtures CI="${CI:-}" \
    /bin/bash -c "cd /src && $*"
}

main() {
  # One run at a time per root (they share its /src and its mounts): a second waits for the first.
  mkdir -p "$(dirname "$root")"
  exec 9>"$root.lock"
  flock 9
  case "${1:-}" in
    ensure) ensure_root ;;
    run) shift; ensure_root; run_in_root "$@" ;;
    *) sed -n '2,7p' "$0"; exit 2 ;;
  esac
}
main "$@"
