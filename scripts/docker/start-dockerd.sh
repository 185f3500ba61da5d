#!/usr/bin/env bash
# Starts dockerd in the background exactly as spec/clients.md §2 shows (default storage, bridge and iptables: the
# flags --bridge=none/--iptables=false break port publishing, which testcontainers needs), with every path under
# $DOCKER_STATE_DIR so it never touches a system Docker. Waits until `docker info` answers. A no-op when it already does.
set -euo pipefail
source "$(dirname "$0")/common.sh"

docker_answers() { docker info >/dev/null 2>&1; }
if docker_answers; then
  log "dockerd answers on $DOCKER_HOST"
  exit 0
fi
[ -x /usr/sbin/dockerd ] || die "no /usr/sbin/dockerd: run scripts/docker/install.sh first"
[ "$(id -u)" = 0 ] || die "need root to start dockerd"

mkdir -p "$DOCKER_STATE_DIR"
pidfile="$DOCKER_STATE_DIR/dockerd.pid"
# A dockerd that died leaves its pid file behind and refuses to start while it exists.
if [ -f "$pidfile" ] && ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then rm -f "$pidfile"; fi
if [ ! -f "$pidfile" ]; then
  log "starting dockerd (log: $DOCKER_STATE_DIR/dockerd.log)"
  # setsid: the engine outlives this script and the CI step's process group.
  setsid nohup /usr/sbin/dockerd --data-root "$DOCKER_STATE_DIR/root" --exec-root "$DOCKER_STATE_DIR/exec" \
    -H "unix://$DOCKER_SOCKET" --pidfile "$pidfile" >"$DOCKER_STATE_DIR/dockerd.log" 2>&1 </dev/null &
fi

for _ in $(seq 1 300); do
  if docker_answers; then
    log "dockerd answers on $DOCKER_HOST"
    exit 0
  fi
  sleep 0.2
done
tail -n 30 "$DOCKER_STATE_DIR/dockerd.log" >&2 || true
die "dockerd did not answer within 60 s"
