#!/usr/bin/env bash
# Fresh machine -> executed quick-start notebook: installs system packages, builds Ferry, installs
# the `ferry` kernelspec for this user, runs notebooks/quickstart.ipynb headless, prints its path.
set -euo pipefail

case "${1:-}" in
  "") ;;
  -h|--help) echo "usage: install/run-quickstart.sh   (no flags; see install/install.sh for install options)"; exit 0 ;;
  *) echo "run-quickstart.sh: unknown flag '$1' (it takes none)" >&2; exit 2 ;;
esac

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NOTEBOOK="$REPO/notebooks/quickstart.ipynb"
OUT_DIR="$REPO/build/notebooks"
[[ -f "$NOTEBOOK" ]] || { echo "run-quickstart.sh: ERROR: $NOTEBOOK is missing" >&2; exit 1; }

"$REPO/install/system-deps.sh"
"$REPO/install/install.sh" --user --name ferry

# %%remote cells run in Docker containers when an engine answers, else in local processes (the notebook
# says which). As root on Debian, start the engine and make its base image (docs/remote.md).
if docker info >/dev/null 2>&1 && "$REPO/install/docker.sh" status >/dev/null 2>&1; then
  echo "run-quickstart.sh: the Docker engine answers and has its base image" >&2
elif [[ $EUID -eq 0 && -f /etc/debian_version ]]; then
  echo "run-quickstart.sh: starting the Docker engine and making its base image (install/docker.sh start;" \
       "a few minutes the first time)..." >&2
  "$REPO/install/docker.sh" start \
    || echo "run-quickstart.sh: Docker cannot run here (see above): %%remote cells will run in local processes" >&2
else
  echo "run-quickstart.sh: Docker is not ready ($("$REPO/install/docker.sh" status 2>&1 | paste -sd ';' -)) and this" \
       "is not root on Debian, so it is not started: as root, install/docker.sh start" >&2
fi

mkdir -p "$OUT_DIR"
echo "run-quickstart.sh: executing notebooks/quickstart.ipynb with the ferry kernel..." >&2
/usr/bin/jupyter nbconvert --to notebook --execute \
  --ExecutePreprocessor.kernel_name=ferry \
  --ExecutePreprocessor.timeout=300 \
  --output-dir "$OUT_DIR" "$NOTEBOOK"

echo "Executed notebook: $OUT_DIR/quickstart.ipynb"
