#!/usr/bin/env bash
# Everything the Docker tests (packages/testcontainers) need, in order, each step a no-op when already done:
# install docker.io + debootstrap, start dockerd (socket under /var/lib/ci-docker), build nodebase:local and
# inv-emulator:local. Then prints the environment the tests need.
#   scripts/docker/setup.sh && export DOCKER_HOST=unix:///var/lib/ci-docker/docker/docker.sock \
#     TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1
set -euo pipefail
dir="$(dirname "$0")"
source "$dir/common.sh"

start=$(date +%s.%N)
step() {
  local t0 t1
  t0=$(date +%s.%N)
  bash "$dir/$1"
  t1=$(date +%s.%N)
  log "$1: $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f s", b-a}')"
}
step install.sh
step start-dockerd.sh
step build-base-image.sh
step build-image.sh
log "ready in $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f s", b-a}'). For the tests:"
echo "export DOCKER_HOST=$DOCKER_HOST TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1" >&2
