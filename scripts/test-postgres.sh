#!/usr/bin/env bash
# A throwaway PostgreSQL for the job-store tests: `start` prints its connection string, `stop` removes it.
# Uses Debian's postgresql binaries (make setup installs them); runs the server as the postgres user when we are root.
set -euo pipefail
# LTX_TEST_PG_DIR / LTX_TEST_PG_PORT run a second instance beside the default one (e.g. one per worktree).
dir=${LTX_TEST_PG_DIR:-/tmp/ltxlocal-test-pg}
port=${LTX_TEST_PG_PORT:-55432}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "test-postgres: PostgreSQL is not installed (make setup)" >&2; exit 1; }
as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "${1:-start}" in
  start)
    if ! as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
      rm -rf "$dir" && mkdir -p "$dir"
      [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
      as_owner "$bin/initdb" -D "$dir" -A trust -U ltx >/dev/null
      as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null
    fi
    echo "Host=127.0.0.1;Port=$port;Username=ltx;Database=postgres"
    ;;
  stop)
    as_owner "$bin/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
