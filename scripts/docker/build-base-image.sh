#!/usr/bin/env bash
# Builds the local base image $BASE_IMAGE (nodebase:local) with `docker import`, for machines that reach no image
# registry (spec/clients.md §2): a root filesystem made of this host's node binary, the shared libraries `ldd` lists
# for it, busybox-static as /bin/sh and the other applets, and /etc/passwd with root and `node` (uid 1000, as in the
# official node images). Because node is the host's, a native addon built on the host (better-sqlite3) loads in it.
# Skipped when the image exists and was made from the same node version.
set -euo pipefail
source "$(dirname "$0")/common.sh"

node_bin="$(readlink -f "$(command -v node)")"
node_version="$("$node_bin" --version)"
if [ "$(docker image inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$BASE_IMAGE" 2>/dev/null | grep -x "NODE_VERSION=$node_version")" ]; then
  log "$BASE_IMAGE exists (node $node_version)"
  exit 0
fi
[ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1 || die "/bin/busybox is missing or not static: run scripts/docker/install.sh"

rootfs="$(mktemp -d)"
trap 'rm -rf "$rootfs"' EXIT
log "building $BASE_IMAGE from $node_bin ($node_version)"
mkdir -p "$rootfs"/{bin,usr/bin,etc,tmp,home/node,proc,sys,dev}
chmod 1777 "$rootfs/tmp"
cp "$node_bin" "$rootfs/usr/bin/node"
# Each library at the path the dynamic loader looks for it (the loader itself is the /lib64/... line without "=>").
ldd "$node_bin" | awk '/=> \//{print $3} /^[ \t]*\/[^ ]+ \(/{print $1}' | while read -r lib; do
  mkdir -p "$rootfs$(dirname "$lib")"
  cp -L "$lib" "$rootfs$lib"
done
cp /bin/busybox "$rootfs/bin/busybox"
for applet in $(/bin/busybox --list); do
  [ -e "$rootfs/bin/$applet" ] || ln -s busybox "$rootfs/bin/$applet"
done
ln -s /bin/env "$rootfs/usr/bin/env"
printf 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\nnode:x:1000:\n' >"$rootfs/etc/group"
printf 'hosts: files dns\n' >"$rootfs/etc/nsswitch.conf"
chown 1000:1000 "$rootfs/home/node"

# Imported untagged and tagged only once node runs in it, so a broken import is never taken for a finished one.
image_id="$(tar -C "$rootfs" --numeric-owner -cf - . |
  docker import -c "ENV PATH=/usr/local/bin:/usr/bin:/bin NODE_VERSION=$node_version" -c 'CMD ["node"]' -)"
docker run --rm "$image_id" node -e 'process.stdout.write(`node ${process.version} runs in the image\n`)' >&2 ||
  die "node does not run in the imported image (a library ldd did not list?)"
docker tag "$image_id" "$BASE_IMAGE"
log "built $BASE_IMAGE ($(docker image inspect -f '{{.Size}}' "$BASE_IMAGE" | awk '{printf "%.0f MB", $1/1e6}'))"
