#!/usr/bin/env bash
# Installs what the end-to-end tests drive besides Node: the Debian AWS CLI v2 (/usr/bin/aws) and boto3.
# Runs before every `pnpm test`; a no-op once they are present.
set -euo pipefail

missing=()
[ -x /usr/bin/aws ] || missing+=(awscli)
/usr/bin/python3 -c 'import boto3' 2>/dev/null || missing+=(python3-boto3)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "The end-to-end tests need: ${missing[*]} (Debian packages). Install them, e.g.:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing test tools: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq -o DPkg::Lock::Timeout=600 "${missing[@]}" >/dev/null
fi

# Optional: pyarrow (Apache ORC C++) as an independent reader of the ORC writer's files. Only from a local wheel
# mirror when the machine has one; packages/orc's independent-reader test skips itself otherwise.
if ! python3 -c 'import pyarrow.orc' 2>/dev/null && [ -d /opt/pypi/files ]; then
  python3 -m pip install -q --no-index --find-links /opt/pypi/files pyarrow >/dev/null 2>&1 || true
fi
