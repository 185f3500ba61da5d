#!/usr/bin/env bash
# Builds the local base image $BASE_IMAGE (nodebase:local) with `docker import`, for machines that reach no image
# registry (spec/clients.md §2). It stands in for the Dockerfile's default, node:20-bookworm-slim, so the image is
# built the way it is on that base (same stages, same native rebuild); it copies what the official image is made of:
# - Debian bookworm, minbase, by debootstrap from the Debian mirror (the official image is FROM debian:bookworm-slim),
#   with no apt lists (`apt-get update` comes first, as there) and no compilers;
# - node, its headers and npm where nodejs.org's tarball puts them once unpacked into /usr/local: /usr/local/bin/node,
#   /usr/local/include/node, /usr/local/lib/node_modules/npm with npm and npx linked from /usr/local/bin;
# - group and user `node`, 1000:1000, home /home/node, shell /bin/bash; the official ENV PATH, NODE_VERSION and CMD.
# node and npm are this host's (the official binary of the same major version, but npm may differ: node 20's tarball
# ships npm 10). Skipped when the image exists and was made from the same node version and this recipe.
set -euo pipefail
source "$(dirname "$0")/common.sh"

RECIPE=debootstrap-bookworm-1 # changing what this script builds: bump, so an existing image is rebuilt
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
node_bin="$(readlink -f "$(command -v node)")"
node_version="$("$node_bin" --version)"
node_prefix="$(dirname "$(dirname "$node_bin")")"
npm_dir="$node_prefix/lib/node_modules/npm"
made_from="$(docker image inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$BASE_IMAGE" 2>/dev/null || true)"
if grep -qx "NODE_VERSION=$node_version" <<<"$made_from" && grep -qx "INV_EMULATOR_BASE=$RECIPE" <<<"$made_from"; then
  log "$BASE_IMAGE exists (node $node_version, $RECIPE)"
  exit 0
fi
command -v debootstrap >/dev/null || die "no debootstrap: run scripts/docker/install.sh"
[ "$(id -u)" = 0 ] || die "need root for debootstrap and chroot"
[ -f "$node_prefix/include/node/node_version.h" ] || die "no node headers in $node_prefix/include/node"
[ -f "$npm_dir/bin/npm-cli.js" ] || die "no npm in $npm_dir"

rootfs="$(mktemp -d)"
debootstrap_log="$(mktemp)"
# debootstrap and chroot mount proc, sys and dev inside $rootfs: a run killed half-way leaves them mounted, so
# unmount what is still there and never let rm cross into another file system.
cleanup() {
  grep -o " $rootfs/[^ ]*" /proc/mounts 2>/dev/null | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf --one-file-system "$rootfs" "$debootstrap_log"
}
trap cleanup EXIT
chmod 755 "$rootfs" # mktemp's 0700 would become the image's `/`, closed to the `node` user
log "debootstrap bookworm (minbase) from $MIRROR"
debootstrap --variant=minbase bookworm "$rootfs" "$MIRROR" >"$debootstrap_log" 2>&1 || {
  tail -n 20 "$debootstrap_log" >&2
  die "debootstrap failed"
}
log "adding node $node_version ($node_bin), its headers and npm $("$node_bin" "$npm_dir/bin/npm-cli.js" --version) under /usr/local"
install -D -m 755 "$node_bin" "$rootfs/usr/local/bin/node"
mkdir -p "$rootfs/usr/local/include" "$rootfs/usr/local/lib/node_modules"
cp -a "$node_prefix/include/node" "$rootfs/usr/local/include/node"
cp -a "$npm_dir" "$rootfs/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
chroot "$rootfs" groupadd --gid 1000 node
chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
# As debian:bookworm-slim ships: no package lists or downloaded .debs (an image must `apt-get update` first).
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb

# Imported untagged and tagged only once node and npm run in it as `node`, so a broken import is never taken for a
# finished one.
image_id="$(tar -C "$rootfs" --numeric-owner -cf - . | docker import \
  -c "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin NODE_VERSION=$node_version INV_EMULATOR_BASE=$RECIPE" \
  -c 'CMD ["node"]' -)"
docker run --rm --user node "$image_id" sh -c 'echo "node $(node --version), npm $(npm --version) run as $(id -un) ($(id -u)) in the image"' >&2 ||
  die "node or npm does not run in the imported image"
docker tag "$image_id" "$BASE_IMAGE"
log "built $BASE_IMAGE ($(docker image inspect -f '{{.Size}}' "$BASE_IMAGE" | awk '{printf "%.0f MB", $1/1e6}'))"
