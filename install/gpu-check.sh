#!/usr/bin/env bash
# GPU self-check for Ferry's gpu module: the one prepared script a lent GPU machine runs (well within 5 minutes).
#   1. builds the gpu module (mvn -B -q -pl gpu -am package -DskipTests) and copies its runtime jars (JCuda)
#   2. prints `nvidia-smi -L` when nvidia-smi is present
#   3. runs dev.ferry.gpu.GpuCheck: prints Gpu.devices(), checks that GpuSpec matches every device found (its own
#      type and `any`), that Gpu.require picks it, and allocates/clears/frees 64 MiB on each; exits non-zero on a
#      mismatch or when nvidia-smi lists GPUs the CUDA runtime does not see
#   4. runs the @Tag("gpu") JUnit tests (mvn -Dgroups=gpu)
# On a machine without a GPU it reports "no GPU: <reason>" and exits 0 (the gpu tests are skipped with that reason).
#
# Usage: install/gpu-check.sh [--spec SPEC] [--require-gpu]
#   --spec SPEC    also check that Gpu.require(SPEC) is met here, e.g. --spec H100:2 (non-zero exit if not)
#   --require-gpu  exit 3 when there is no GPU (instead of 0)
# Environment: FERRY_MVN_OPTS extra Maven options (e.g. "-o" on a machine without network but with ~/.m2 filled)
#              FERRY_GPU_SKIP_BUILD=1 use gpu/target/classes and gpu/target/lib as they are
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
MVN_OPTS="-Dstyle.color=never ${FERRY_MVN_OPTS:-}"
CHECK_ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --spec) CHECK_ARGS+=(--spec "$2"); shift 2 ;;
    --require-gpu) CHECK_ARGS+=(--require-gpu); shift ;;
    *) echo "usage: $0 [--spec SPEC] [--require-gpu]" >&2; exit 2 ;;
  esac
done
step() { echo; echo "=== $*"; }
status=0

step "environment"
echo "host: $(uname -srm)"
java -version 2>&1 | head -1 || { echo "FAIL: no java on PATH"; exit 1; }
command -v mvn >/dev/null && mvn -v 2>/dev/null | head -1 | sed "s/\x1b\[[0-9;]*m//g" || echo "mvn: not found"
[ -n "${CUDA_VISIBLE_DEVICES+x}" ] && echo "CUDA_VISIBLE_DEVICES=$CUDA_VISIBLE_DEVICES"

step "build (mvn -B -q -pl gpu -am package -DskipTests)"
if [ "${FERRY_GPU_SKIP_BUILD:-0}" = 1 ]; then
  echo "skipped (FERRY_GPU_SKIP_BUILD=1)"
elif command -v mvn >/dev/null; then
  timeout 240 mvn -B -q $MVN_OPTS -pl gpu -am package -DskipTests || { echo "FAIL: build of the gpu module failed"; exit 1; }
  rm -rf gpu/target/lib
  timeout 60 mvn -B -q $MVN_OPTS -pl gpu dependency:copy-dependencies -DincludeScope=runtime \
      -DoutputDirectory=target/lib || { echo "FAIL: could not copy the gpu module's runtime jars"; exit 1; }
else
  echo "mvn not found: using gpu/target/classes and gpu/target/lib as they are"
fi
if [ ! -d gpu/target/classes/dev/ferry/gpu ] || ! ls gpu/target/lib/jcuda-*.jar >/dev/null 2>&1; then
  echo "FAIL: gpu/target/classes or gpu/target/lib/jcuda-*.jar missing (build with Maven first)"; exit 1
fi
CP="gpu/target/classes:$(ls gpu/target/lib/*.jar | tr '\n' ':')"

step "nvidia-smi -L"
EXPECT=()
if command -v nvidia-smi >/dev/null; then
  SMI=$(timeout 30 nvidia-smi -L 2>&1); smi_rc=$?
  echo "$SMI"
  n=$(printf '%s\n' "$SMI" | grep -c '^GPU ' || true)
  # with CUDA_VISIBLE_DEVICES or MIG slices the CUDA runtime sees another set than nvidia-smi lists
  if [ $smi_rc -eq 0 ] && [ -z "${CUDA_VISIBLE_DEVICES+x}" ] && ! printf '%s\n' "$SMI" | grep -q 'MIG '; then
    EXPECT=(--expect-count "$n")
  fi
else
  echo "nvidia-smi: not found"
fi

step "GpuCheck (Gpu.devices() and GpuSpec matching)"
mkdir -p gpu/target/tmp
timeout 120 java -Djava.io.tmpdir="$ROOT/gpu/target/tmp" -cp "$CP" dev.ferry.gpu.GpuCheck "${EXPECT[@]}" "${CHECK_ARGS[@]}"
rc=$?
[ $rc -ne 0 ] && { echo "GpuCheck exited $rc"; status=$rc; }

step "@Tag(\"gpu\") tests (mvn -Dgroups=gpu)"
if command -v mvn >/dev/null && [ "${FERRY_GPU_SKIP_BUILD:-0}" != 1 ]; then
  if timeout 240 mvn -B $MVN_OPTS -pl gpu -am test -Dgroups=gpu -Dsurefire.failIfNoSpecifiedTests=false \
      > gpu/target/gpu-tests.log 2>&1; then
    grep -E '^\[gpu\]|Tests run:.*Fail' gpu/target/gpu-tests.log | grep -v 'Time elapsed' || true
    echo "gpu tests passed"
  else
    grep -E '^\[gpu\]|Tests run:|FAIL|ERROR' gpu/target/gpu-tests.log | head -40
    echo "FAIL: gpu tests failed (full log: gpu/target/gpu-tests.log)"
    [ $status -eq 0 ] && status=1
  fi
else
  echo "skipped (no mvn, or FERRY_GPU_SKIP_BUILD=1)"
fi

echo
[ $status -eq 0 ] && echo "gpu-check: OK" || echo "gpu-check: FAILED ($status)"
exit $status
