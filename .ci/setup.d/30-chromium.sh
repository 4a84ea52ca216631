#!/usr/bin/env bash
# Browser tests (tests/browser/) drive Debian's headless Chromium through chromedriver (Node.js and npm come
# from 10-node.sh). Idempotent and non-interactive; on a laptop where this is not root it only reports what is
# missing.
set -euo pipefail
packages=(chromium chromium-driver)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "chromium and chromedriver are installed"
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "not root: please install ${missing[*]} (browser tests skip without them)"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=900 update -qq
apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
/usr/bin/chromium --version || true
/usr/bin/chromedriver --version || true
