#!/usr/bin/env bash
# Sets up everything the tests need, then runs all of them (unit + integration + browser + Docker):
#   install/test.sh [extra Maven arguments, e.g. -Dit.test=JupyterClientsIT]
# It starts a Docker engine (no bridge network) with Ferry's base image for the %%remote tests and stops
# it again at the end if it started it.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$REPO/install/system-deps.sh" --browser
# the JDK 25 kernel of the tests runs %%remote cells in a base image with its own JDK
JDK25=/usr/lib/jvm/temurin-25-jdk-amd64
# an engine that answers before the run (a developer's) is left running afterwards; one this run starts is stopped
ENGINE_WAS_UP=0
timeout 10 docker -H unix:///var/run/docker.sock version >/dev/null 2>&1 && ENGINE_WAS_UP=1
if [[ -x $JDK25/bin/jshell ]]; then "$REPO/install/docker.sh" start --jdk "$JDK25"; else "$REPO/install/docker.sh" start; fi
# tests/python/test_remote_tls.py starts and stops a second engine over TLS (install/docker-tls-test-engine.sh);
# stop it here too, in case the run was cut short
on_exit() {
  [[ $EUID -ne 0 ]] || "$REPO/install/docker-tls-test-engine.sh" stop || true
  [[ $ENGINE_WAS_UP == 1 ]] || "$REPO/install/docker.sh" stop || true
}
trap on_exit EXIT
export FERRY_LAB_VENV="${FERRY_LAB_VENV:-$HOME/.cache/ferry/lab-venv}"
cd "$REPO"
mvn -B verify "$@"
