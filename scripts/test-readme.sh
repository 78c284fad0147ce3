#!/usr/bin/env bash
# Runs the README as a new user would: every ```bash block of its "Quick start" and "The command line" sections,
# in order, in a fresh clone of this repository's HEAD, each in its own `bash -eo pipefail` from the clone's root;
# each must exit 0. Markers on the line before a block say how it is treated:
#   <!-- readme-test: skip (why) -->   not run: needs a GPU or real weights, or it is `make test` itself
#   <!-- readme-test: server -->       a long-running server (make serve): started in the background; the test waits
#                                      until /health answers (the first start builds, so up to READY_SECONDS), runs the
#                                      next blocks against it, and stops it at the end
# What the test changes, and why:
#   - the server's port: blocks' "127.0.0.1:8080" / "localhost:8080" become a free port, and SERVE_ARGS adds --urls
#     for it, so a server already running on 8080 does not break (or answer for) the test;
#   - PREFIX for `make install` is a temporary directory on PATH (never ~/.local or /usr/local of the machine);
#     after the last block `make uninstall` runs and the prefix must be empty again;
#   - nothing is reused from this checkout except native/build when native/ is identical in the clone (the same
#     sources give the same library; rebuilding libtorch code costs minutes), and NuGet's shared package cache.
# Usage: scripts/test-readme.sh [README] (default: the repository's README.md; the clone is always of HEAD).
# Environment: BLOCK_SECONDS (per block, default 900), READY_SECONDS (server start, default 1500), KEEP=1 keeps the
# clone for inspection.
set -uo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readme="${1:-$repo/README.md}"
block_seconds="${BLOCK_SECONDS:-900}"
ready_seconds="${READY_SECONDS:-1500}"
work="$(mktemp -d)"
clone="$work/clone"
prefix="$work/prefix"
server_pid=""

cleanup() {
  if [ -n "$server_pid" ]; then
    kill -TERM -- "-$server_pid" 2>/dev/null || kill -TERM "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
  fi
  [ "${KEEP:-0}" = 1 ] && echo "readme-test: kept $work" || rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "readme-test: FAIL: $*" >&2; exit 1; }

# Blocks of the two sections as NUL-separated "marker<TAB>body" records; marker is "run", "skip:why" or "server".
extract() {
  awk '
    /^## / { in_section = ($0 ~ /^## (Quick start|The command line)/) }
    !in_section { marker = ""; next }
    /^<!-- readme-test: / { line = $0; sub(/^<!-- readme-test: /, "", line); sub(/ *-->.*$/, "", line); marker = line; next }
    /^```bash *$/ && !in_block { in_block = 1; body = ""; next }
    /^```/ && in_block { in_block = 0; m = (marker == "" ? "run" : marker); printf "%s\t%s%c", m, body, 0; marker = ""; next }
    in_block { body = body $0 "\n"; next }
    /[^ ]/ && !/^<!--/ { marker = "" }
  ' "$readme"
}

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo 18080)"
git clone --quiet "$repo" "$clone" || fail "git clone"
if [ -f "$repo/native/build/libltxnative.so" ] && diff -rq --exclude=build "$repo/native" "$clone/native" >/dev/null; then
  mkdir -p "$clone/native/build"
  cp -a "$repo/native/build/." "$clone/native/build/"
  touch "$clone/native/build/libltxnative.so" # newer than the clone's sources, so make does not rebuild it
  echo "readme-test: reusing native/build (native/ sources identical)"
fi
mkdir -p "$prefix"
export PREFIX="$prefix" PATH="$prefix/bin:$PATH" SERVE_ARGS="--urls http://127.0.0.1:$port"

n=0
ran=0
while IFS=$'\t' read -r -d '' marker body; do
  n=$((n + 1))
  body="${body//127.0.0.1:8080/127.0.0.1:$port}"
  body="${body//localhost:8080/localhost:$port}"
  first_line="$(head -1 <<<"$body")"
  case "$marker" in
    skip*)
      echo "readme-test: block $n skipped${marker#skip}: $first_line"
      continue ;;
    server)
      echo "readme-test: block $n started in the background: $first_line"
      (cd "$clone" && exec setsid bash -eo pipefail -c "$body") >"$work/server.log" 2>&1 &
      server_pid=$!
      deadline=$((SECONDS + ready_seconds))
      until curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; do
        kill -0 "$server_pid" 2>/dev/null || { tail -40 "$work/server.log" >&2; fail "block $n (server) exited before /health answered"; }
        [ $SECONDS -lt $deadline ] || { tail -40 "$work/server.log" >&2; fail "block $n (server): no /health after ${ready_seconds}s"; }
        sleep 2
      done
      echo "readme-test: block $n: /health answers on port $port"
      ran=$((ran + 1))
      continue ;;
    run) ;;
    *) fail "block $n has an unknown marker '$marker'" ;;
  esac
  echo "readme-test: block $n: $first_line"
  start=$SECONDS
  (cd "$clone" && timeout "$block_seconds" bash -eo pipefail -c "$body") >"$work/block.log" 2>&1
  status=$?
  if [ $status -ne 0 ]; then
    tail -40 "$work/block.log" >&2
    fail "block $n exited with $status after $((SECONDS - start))s:"$'\n'"$body"
  fi
  tail -3 "$work/block.log" | sed 's/^/    /'
  ran=$((ran + 1))
done < <(extract)
[ $n -gt 0 ] || fail "no bash blocks found in the Quick start / The command line sections of $readme"

if [ -f "$prefix/lib/ltx-local/install-manifest" ]; then
  (cd "$clone" && make --no-print-directory uninstall) >/dev/null || fail "make uninstall"
  left="$(find "$prefix" -mindepth 1 | head -5)"
  [ -z "$left" ] || fail "make uninstall left files in the prefix: $left"
  echo "readme-test: make uninstall left the prefix empty"
fi
echo "readme-test: $ran of $n blocks ran, all exited 0"
