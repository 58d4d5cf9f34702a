#!/usr/bin/env bash
# Idempotent set-up on a fresh Debian machine: system packages, then a project-local .venv.
# Usage: scripts/setup.sh [--dev]   (--dev adds the test tools)
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian chromium (for pages that need JavaScript)" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
[ -x .venv/bin/python ] || "$PY" -m venv .venv
extras="secantus"
[ "${1:-}" = "--dev" ] && extras="secantus,dev"
.venv/bin/pip install -q --disable-pip-version-check -e ".[${extras}]"
