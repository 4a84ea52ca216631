#!/usr/bin/env bash
# Node.js and npm install the query UI's front-end packages (YASGUI) from the npm registry (`npm ci`).
# Idempotent and non-interactive; where this is not root it only reports what is missing.
set -euo pipefail
if command -v node >/dev/null && command -v npm >/dev/null; then
  echo "node $(node --version), npm $(npm --version)"
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "not root: please install nodejs and npm (the query UI needs them)"
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=900 update -qq
apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends nodejs npm >/dev/null
echo "node $(node --version), npm $(npm --version)"
