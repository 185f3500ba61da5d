# Sourced by the other scripts in scripts/docker/: where the CI Docker engine lives (spec/clients.md §2).
# Override any of these in the environment to use another location or image tags.
DOCKER_STATE_DIR="${DOCKER_STATE_DIR:-/var/lib/ci-docker/docker}"
DOCKER_SOCKET="${DOCKER_SOCKET:-$DOCKER_STATE_DIR/docker.sock}"
export DOCKER_HOST="${DOCKER_HOST:-unix://$DOCKER_SOCKET}"
BASE_IMAGE="${BASE_IMAGE:-nodebase:local}"
INV_EMULATOR_IMAGE="${INV_EMULATOR_IMAGE:-inv-emulator:local}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

log() { printf '[docker-setup %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
