#!/usr/bin/env bash
# Browser tests (tests/browser/) drive Debian's headless Chromium through chromedriver; the query UI is built
# from npm packages, so Node.js and npm are needed too. Idempotent and non-interactive; on a laptop where this
# is not root it only reports what is missing.
set -euo pipefail
packages=(chromium chromium-driver nodejs npm)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# node and npm may come from elsewhere than Debian (nvm, the machine image): then they are not missing.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
read -r -a missing <<<"${missing[*]:-}"
if [ "${#missing[@]}" -eq 0 ]; then
  echo "chromium, chromedriver, node and npm are installed"
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "not root: please install ${missing[*]} (browser tests skip without them)"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
/usr/bin/chromium --version || true
/usr/bin/chromedriver --version || true
