#!/usr/bin/env bash
# jemalloc for the in-memory engine process (store/replica.py): with glibc's allocator a query worker forked from
# the engine takes a copy-on-write fault on every heap page it allocates into, so a point lookup runs 3-10x
# slower in a worker than in the engine itself; with jemalloc it does not (docs/benchmarks.md). Without the
# library the engine runs on the system allocator: correct, slower.
set -euo pipefail
for dir in /usr/lib/x86_64-linux-gnu /usr/lib/aarch64-linux-gnu /usr/lib64 /usr/lib; do
  if [ -e "$dir/libjemalloc.so.2" ]; then echo "jemalloc: $dir/libjemalloc.so.2"; exit 0; fi
done
if [ "$(id -u)" != "0" ]; then
  echo "libjemalloc.so.2 not found and not root: the engine uses the system allocator (apt-get install libjemalloc2)"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=900 install -y -qq libjemalloc2 >/dev/null || {
  apt-get -o DPkg::Lock::Timeout=900 update -qq || true
  apt-get -o DPkg::Lock::Timeout=900 install -y -qq libjemalloc2 >/dev/null
}
echo "jemalloc: installed"
