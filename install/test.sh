#!/usr/bin/env bash
# Sets up everything the tests need, then runs all of them (unit + integration + browser + Docker):
#   install/test.sh [extra Maven arguments, e.g. -Dit.test=JupyterClientsIT]
# It starts a Docker engine (no bridge network) with Ferry's base image for the %%remote tests and stops
# it again at the end if it started it.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$REPO/install/system-deps.sh" --browser
"$REPO/install/docker.sh" start
trap '"$REPO/install/docker.sh" stop || true' EXIT
export FERRY_LAB_VENV="${FERRY_LAB_VENV:-$HOME/.cache/ferry/lab-venv}"
cd "$REPO"
mvn -B verify "$@"
