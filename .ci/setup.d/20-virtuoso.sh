#!/usr/bin/env bash
# OpenLink Virtuoso 7 for the remote-store tests (tests/backends/). The tests start their own virtuoso-t with
# their own data directory, ini file and free ports; the service the package installs is not used.
# Idempotent and non-interactive; on a machine where we are not root it only reports what it finds.
set -euo pipefail
if command -v virtuoso-t >/dev/null 2>&1; then
  echo "virtuoso: $(virtuoso-t -? 2>&1 | grep -m1 -i version || echo present)"
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "virtuoso-t not found and not root: the Virtuoso backend tests will be skipped (install virtuoso-opensource)"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
# The package asks for the dba password of its own (unused) database: preseed it so nothing prompts.
# The tests' databases are created fresh by virtuoso-t with the built-in dba/dba account on 127.0.0.1 only.
for q in dba-password dba-password-again; do
  echo "virtuoso-opensource-7 virtuoso-opensource-7/$q password dba" | debconf-set-selections
done
# Keep the package's own service from starting (it would take ports 1111/8890): deny it in policy-rc.d
# for the duration of the install only.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; created_policy=1
fi
apt-get -o DPkg::Lock::Timeout=900 update -qq || true
apt-get -o DPkg::Lock::Timeout=900 install -y -qq virtuoso-opensource >/dev/null || status=$?
[ "$created_policy" = 1 ] && rm -f "$policy"
if [ "${status:-0}" != 0 ]; then echo "virtuoso: apt-get install failed ($status)"; exit "$status"; fi
command -v virtuoso-t
