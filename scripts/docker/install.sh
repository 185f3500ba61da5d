#!/usr/bin/env bash
# Installs the Docker engine (docker.io: dockerd, containerd, runc) and busybox-static (the shell of the local base
# image) from Debian when missing. Needs root and apt-get. A no-op once both are present.
set -euo pipefail
source "$(dirname "$0")/common.sh"

missing=()
[ -x /usr/sbin/dockerd ] || missing+=(docker.io)
# The base image has no libc of its own for busybox, so it must be the static build (Debian's busybox is dynamic).
is_static() { [ -x "$1" ] && ! ldd "$1" >/dev/null 2>&1; }
is_static /bin/busybox || missing+=(busybox-static)
[ ${#missing[@]} -eq 0 ] && { log "docker.io and busybox-static are installed"; exit 0; }

[ "$(id -u)" = 0 ] || die "need root to install ${missing[*]} (e.g. sudo apt-get install -y ${missing[*]})"
command -v apt-get >/dev/null || die "no apt-get: install ${missing[*]} (a Docker engine and a static busybox) by hand"
log "installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq -o DPkg::Lock::Timeout=600
apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends "${missing[@]}" >/dev/null
log "installed ${missing[*]}"
