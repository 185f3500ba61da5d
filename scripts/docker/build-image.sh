#!/usr/bin/env bash
# Builds the inv-emulator image $INV_EMULATOR_IMAGE (inv-emulator:local) from this checkout on $BASE_IMAGE
# (nodebase:local): pnpm install + build, `pnpm deploy` of the CLI package (its dist and production node_modules,
# workspace packages included) as the build context, then packages/testcontainers/Dockerfile, on its default path:
# better-sqlite3 rebuilt inside the image (with no GitHub here: compilers installed from the Debian mirror, ~2 min).
# REBUILD_NATIVE=0 keeps the host's binary instead (fast; right only because nodebase:local has the host's node).
# Skipped when the image was built from the same inputs (compiled packages, lockfile, Dockerfile, base image).
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$REPO_ROOT"

pnpm() { npx -y pnpm@9 "$@"; }
log "pnpm install + build"
pnpm install --prefer-offline >/dev/null
pnpm build >/dev/null

dockerfile=packages/testcontainers/Dockerfile
rebuild_native="${REBUILD_NATIVE:-1}"
base_id="$(docker image inspect -f '{{.Id}}' "$BASE_IMAGE" 2>/dev/null)" || die "no $BASE_IMAGE: run scripts/docker/build-base-image.sh"
inputs="$({
  echo "$base_id REBUILD_NATIVE=$rebuild_native"
  sha256sum pnpm-lock.yaml "$dockerfile"
  # Every package but this one (its dist is not in the image); over-inclusive is only a needless rebuild.
  find packages/*/dist packages/*/package.json -type f -not -path 'packages/testcontainers/*' -print0 | sort -z | xargs -0 sha256sum
} | sha256sum | cut -c1-16)"
if [ "$(docker image inspect -f '{{index .Config.Labels "inv-emulator.inputs"}}' "$INV_EMULATOR_IMAGE" 2>/dev/null)" = "$inputs" ]; then
  log "$INV_EMULATOR_IMAGE is up to date (inputs $inputs)"
  exit 0
fi

context="$(mktemp -d)"
build_log="$(mktemp)"
trap 'rm -rf "$context" "$build_log"' EXIT
log "pnpm deploy of inv-emulator -> $context"
rmdir "$context" # pnpm deploy wants to create the directory itself
pnpm --filter inv-emulator deploy --prod "$context" >"$build_log" 2>&1 || { cat "$build_log" >&2; die "pnpm deploy failed"; }
log "docker build $INV_EMULATOR_IMAGE (FROM $BASE_IMAGE, REBUILD_NATIVE=$rebuild_native)"
# The legacy builder: docker.io's daemon has it, while BuildKit needs a buildx plugin the Debian CLI may lack.
DOCKER_BUILDKIT=0 docker build -f "$dockerfile" -t "$INV_EMULATOR_IMAGE" \
  --build-arg "BASE_IMAGE=$BASE_IMAGE" --build-arg "REBUILD_NATIVE=$rebuild_native" \
  --label "inv-emulator.inputs=$inputs" "$context" >"$build_log" 2>&1 || { cat "$build_log" >&2; die "docker build failed"; }
# How better-sqlite3 got into the image (prebuilt download, or the compilers installed and a compile), for the CI log.
# (The legacy builder colours a step's stderr: the escapes go first.)
sed 's/\x1b\[[0-9;]*m//g' "$build_log" | grep -E 'prebuild-install (warn|info found)|^Setting up (python3|make|g\+\+) |gyp info ok' |
  sed 's/^/  /' >&2 || true
# The image this one replaces and the first stage's image, both left untagged.
docker image prune -f --filter label=inv-emulator.inputs >/dev/null
docker image prune -f --filter label=inv-emulator.stage=app >/dev/null
log "built $INV_EMULATOR_IMAGE ($(docker image inspect -f '{{.Size}}' "$INV_EMULATOR_IMAGE" | awk '{printf "%.0f MB", $1/1e6}'))"
