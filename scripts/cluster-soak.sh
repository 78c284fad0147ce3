#!/usr/bin/env bash
# The multi-node measurement: 30 jobs on two `ltx-local serve` nodes (tiny model, CPU) sharing a throwaway
# PostgreSQL, node a killed with SIGKILL twice mid-job. Prints the time from each kill to the job running again and
# the jobs lost (must be 0). Needs `make build` first. Uses its own PostgreSQL instance (port 55517), removed after.
set -euo pipefail
cd "$(dirname "$0")/.."
export LTX_TEST_PG_DIR=/tmp/ltxlocal-soak-pg LTX_TEST_PG_PORT=55517
pg=$(bash scripts/test-postgres.sh start)
trap 'bash scripts/test-postgres.sh stop' EXIT
LTX_CLUSTER_SOAK=1 LTX_TEST_POSTGRES="$pg" dotnet test tests/LtxLocal.Server.Tests -c "${CONFIG:-Release}" --no-build -nologo \
  --filter "FullyQualifiedName~ClusterSoakTests" --logger "console;verbosity=detailed" | grep -E "kill [0-9]|jobs, node a|Passed|Failed|Skipped"
