#!/usr/bin/env bash
# Load test (a measurement, not a unit test): the real server on 127.0.0.1 with the test generator,
# 50 submissions + 200 concurrent status pollers for SECONDS (default 60). Prints errors and p50/p99.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run --project tools/LtxLocal.LoadTest -c Release -- "${1:-60}" "${2:-18181}"
