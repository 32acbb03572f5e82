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

mkdir -p "$OUT_DIR"
echo "run-quickstart.sh: executing notebooks/quickstart.ipynb with the ferry kernel..." >&2
/usr/bin/jupyter nbconvert --to notebook --execute \
  --ExecutePreprocessor.kernel_name=ferry \
  --ExecutePreprocessor.timeout=120 \
  --output-dir "$OUT_DIR" "$NOTEBOOK"

echo "Executed notebook: $OUT_DIR/quickstart.ipynb"
