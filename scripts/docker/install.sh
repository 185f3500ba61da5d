#!/usr/bin/env bash
# Installs the Docker engine (docker.io: dockerd, containerd, runc) and debootstrap (which makes the Debian root
# filesystem of the local base image) from Debian when missing. Needs root and apt-get. A no-op once both are present.
set -euo pipefail
source "$(dirname "$0")/common.sh"

missing=()
[ -x /usr/sbin/dockerd ] || missing+=(docker.io)
command -v debootstrap >/dev/null || missing+=(debootstrap)
[ ${#missing[@]} -eq 0 ] && { log "docker.io and debootstrap are installed"; exit 0; }

[ "$(id -u)" = 0 ] || die "need root to install ${missing[*]} (e.g. sudo apt-get install -y ${missing[*]})"
command -v apt-get >/dev/null || die "no apt-get: install ${missing[*]} (a Docker engine and debootstrap) by hand"
log "installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq -o DPkg::Lock::Timeout=600
apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends "${missing[@]}" >/dev/null
log "installed ${missing[*]}"
