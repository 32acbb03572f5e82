#!/usr/bin/env bash
# Regenerates the committed PTX of train/ from ferry_train.cu with nvcc (any version that emits PTX for
# compute_75). nvcc 13 writes `.version 9.0`, which only CUDA 13 drivers (and no JCuda 12 PTX compiler) accept;
# the kernels use nothing newer than PTX ISA 8.0, so the header is rewritten to 8.0 (see ../shared/GPU.md §1):
# every driver since r525 then JITs it. PtxResourceTest fails when the committed file is stale.
#   train/src/main/cuda/build-ptx.sh [OUT.ptx]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${1:-$(cd "$HERE/.." && pwd)/resources/dev/ferry/train/ferry_train.ptx}"
NVCC="${NVCC:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}"
[[ -x "$NVCC" ]] || { echo "build-ptx: no nvcc on PATH or at /usr/local/cuda/bin (set NVCC=...)" >&2; exit 2; }
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT
# compile from inside the folder so no absolute path ends up in the PTX
(cd "$HERE" && "$NVCC" -ptx -arch=compute_75 -O3 -o "$TMP/k.ptx" ferry_train.cu)
sed -e 's/^\.version 9\.[0-9]*$/.version 8.0/' "$TMP/k.ptx" > "$OUT"
grep -q '^\.version 8\.0$' "$OUT" || { echo "build-ptx: unexpected PTX header in $OUT" >&2; exit 1; }
echo "build-ptx: wrote $OUT ($(wc -c < "$OUT") bytes)"
