#!/usr/bin/env bash
# Sets up (scripts/setup.sh --dev) and runs the whole test suite: lint, unit, property and
# integration tests. Every server the tests need (offline site, SecantusDB) is started by them.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
.venv/bin/ruff check .
.venv/bin/pytest "$@"
