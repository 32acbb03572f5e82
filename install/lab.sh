#!/usr/bin/env bash
# Starts JupyterLab, the one that install/system-deps.sh --browser installs into its virtualenv
# (JupyterLab is not packaged for Debian 12, so `jupyter lab` alone finds none). Arguments go to
# `jupyter lab` as they are:
#
#   install/lab.sh                          # then pick "Java (Ferry)" in the launcher
#   install/lab.sh --no-browser --port 8890
#   install/lab.sh --version
#
# Environment:
#   FERRY_LAB_VENV   the virtualenv with jupyterlab (default ~/.cache/ferry/lab-venv, as system-deps.sh)
# Without that virtualenv, a `jupyter-lab` on PATH is used; without either, it exits with status 3.
# As root it adds --allow-root (JupyterLab refuses to run as root without it).
set -euo pipefail

LAB_VENV="${FERRY_LAB_VENV:-$HOME/.cache/ferry/lab-venv}"
ARGS=("$@")
if [[ $EUID -eq 0 ]]; then
  # the quick start runs as root on a fresh machine; JupyterLab refuses root without this
  ARGS=(--allow-root ${ARGS[@]+"${ARGS[@]}"})
fi
if [[ -x "$LAB_VENV/bin/jupyter-lab" ]]; then
  # the venv's own bin first, so that JupyterLab's helpers (jupyter-server, ...) are its own
  export PATH="$LAB_VENV/bin:$PATH"
  exec "$LAB_VENV/bin/jupyter-lab" ${ARGS[@]+"${ARGS[@]}"}
fi
if command -v jupyter-lab >/dev/null 2>&1; then
  exec jupyter-lab ${ARGS[@]+"${ARGS[@]}"}
fi
cat >&2 <<MSG
lab.sh: ERROR: JupyterLab is not installed: there is no $LAB_VENV/bin/jupyter-lab and no jupyter-lab on PATH.
  Install it with:   install/system-deps.sh --browser    (makes the virtualenv $LAB_VENV)
  or point FERRY_LAB_VENV at a virtualenv that has jupyterlab.
MSG
exit 3
