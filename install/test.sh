#!/usr/bin/env bash
# Sets up everything the tests need, then runs all of them (unit + integration + browser):
#   install/test.sh [extra Maven arguments, e.g. -Dit.test=NotebookIT]
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$REPO/install/system-deps.sh" --browser
export FERRY_LAB_VENV="${FERRY_LAB_VENV:-$HOME/.cache/ferry/lab-venv}"
cd "$REPO"
exec mvn -B verify "$@"
