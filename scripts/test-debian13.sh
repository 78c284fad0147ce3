#!/usr/bin/env bash
# `make test-debian13`: the project on Debian 13 (trixie) and today's libtorch, inside a debootstrap root
# (scripts/debian13-root.sh; cached at $LTX_DEBIAN13_ROOT, default /var/cache/ltx-local/debian13).
#   1. scripts/setup.sh installs the packages (libtorch-dev 2.6, CPU; not chromium, so the playground's browser tests
#      skip there with the reason: the page does not depend on libtorch), `make build`, `ltx-local doctor`, then
#      `make test` runs every test assembly that `dotnet test` finds, in a network namespace of its own (loopback
#      only: the suite needs no network, and its throwaway PostgreSQL cannot meet the host's).
#   2. scripts/build-cuda.sh, the container's recipe: libtorch-cuda-dev 2.6 + nvidia-cuda-toolkit, native/ compiled
#      and linked with CUDA, a self-contained publish. (libtorch-cuda-dev replaces libtorch-dev; step 1 of the
#      next run puts the CPU one back.)
# Exit status: non-zero when either step fails. Each step prints its time.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root_sh="$repo/scripts/debian13-root.sh"
# All in one function, parsed before it runs: editing this file during a run cannot change what runs.
main() {
  start=$(date +%s)
  elapsed() { echo "$(( $(date +%s) - start ))s"; }

  bash "$root_sh" ensure
  echo "test-debian13: root ready after $(elapsed)"
  # NuGet packages come from the host's folder (bind-mounted into the root): restore here first, where the network
  # and its certificates work, including the linux-x64 runtime packs of the self-contained publish.
  (cd "$repo" && dotnet restore LtxLocal.sln -nologo -v quiet \
    && dotnet restore src/LtxLocal.Cli -r linux-x64 -p:SelfContained=true -nologo -v quiet)

  status=0
  bash "$root_sh" run '
    set -e
    . /etc/os-release && echo "test-debian13: $PRETTY_NAME"
    export LTX_SETUP_BROWSER=0  # no chromium in the root: the browser tests skip there, the host stage runs them
    bash scripts/setup.sh
    echo "test-debian13: libtorch-dev $(dpkg-query -W -f="\${Version}" libtorch-dev)"
    make build
    dotnet run --project src/LtxLocal.Cli -c Release --no-build -- doctor
    unshare --net sh -c "ip link set lo up && make test"
  ' || status=$?
  echo "test-debian13: libtorch 2.6 CPU suite exit $status after $(elapsed)"

  cuda=0
  bash "$root_sh" run 'bash scripts/build-cuda.sh --publish /tmp/ltx-publish-cuda && ls /tmp/ltx-publish-cuda | wc -l' \
    || cuda=$?
  echo "test-debian13: CUDA build exit $cuda after $(elapsed)"
  [ "$status" -eq 0 ] && [ "$cuda" -eq 0 ]
}
main "$@"
