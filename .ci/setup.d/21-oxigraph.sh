#!/usr/bin/env bash
# Oxigraph server (the `oxigraph` command, PyPI package `oxigraph`) for the remote-store tests and benchmarks.
# It goes into the project's venv, pinned like every other Python package (see constraints.txt).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
if [ -x .venv/bin/oxigraph ]; then
  echo "oxigraph: $(.venv/bin/oxigraph --version 2>&1 | head -1)"
  exit 0
fi
version=$(grep -i '^oxigraph==' constraints.txt 2>/dev/null | cut -d= -f3 || true)
.venv/bin/pip install -q "oxigraph${version:+==$version}"
echo "oxigraph: $(.venv/bin/oxigraph --version 2>&1 | head -1)"
