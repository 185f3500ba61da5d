#!/usr/bin/env bash
# Installs what the end-to-end tests drive besides Node: the Debian AWS CLI v2 (/usr/bin/aws) and boto3.
# Runs before every `pnpm test`; a no-op once they are present.
set -euo pipefail

missing=()
[ -x /usr/bin/aws ] || missing+=(awscli)
/usr/bin/python3 -c 'import boto3' 2>/dev/null || missing+=(python3-boto3)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "The end-to-end tests need: ${missing[*]} (Debian packages). Install them, e.g.:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing test tools: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq -o DPkg::Lock::Timeout=600 "${missing[@]}" >/dev/null
