#!/usr/bin/env bash
# Installs Debian 13 packages of the CUDA stack (arguments: package names), answering nvidia-cudnn's license
# question first: LTX_CUDNN=decline (default) installs the package without downloading cuDNN from NVIDIA,
# LTX_CUDNN=accept lets it download and install cuDNN (needs access to NVIDIA's servers).
set -euo pipefail
case "${LTX_CUDNN:-decline}" in
  decline) answer="I Decline" ;;
  accept) answer="I Agree" ;;
  *) echo "cuda-packages: LTX_CUDNN must be accept or decline" >&2; exit 2 ;;
esac
command -v debconf-set-selections >/dev/null || { echo "cuda-packages: debconf is missing" >&2; exit 1; }
printf 'nvidia-cudnn nvidia-cudnn/question select %s\nnvidia-cudnn nvidia-cudnn/license note\n' "$answer" \
  | debconf-set-selections
grep -rqsE '^(deb .*contrib|Components:.*contrib)' /etc/apt/sources.list /etc/apt/sources.list.d/ \
  || { echo "cuda-packages: contrib and non-free are not in the apt sources" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "$@" >/dev/null
echo "cuda-packages: installed $* (cuDNN: ${LTX_CUDNN:-decline})"
