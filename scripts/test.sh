#!/usr/bin/env bash
# Sets up (scripts/setup.sh --dev) and runs the whole test suite: lint, unit, property and
# integration tests. Every server the tests need (offline site, SecantusDB) is started by them.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
.venv/bin/ruff check .
# Two workers: most of a test's time is spent waiting on its servers (site, SecantusDB,
# Chromium), so two cut the wall time by a third on two cores (503 s -> 320 s). PYTEST_WORKERS=0
# runs in one process.
.venv/bin/pytest -n "${PYTEST_WORKERS:-2}" "$@"
