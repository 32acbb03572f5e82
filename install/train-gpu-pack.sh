#!/usr/bin/env bash
# Packs what the train GPU check needs on a GPU machine that has no JDK or Maven (issue 15, GPU.md §5):
# a jlinked JRE, train's classes and the JCuda jars (with natives), and run.sh, into build/device/ (git-ignored).
# On the GPU machine, from the repository root: bash build/device/run.sh [SECONDS_OF_TRAINING]
# It prints nvidia-smi and libcuda, then dev.ferry.train.TrainGpuCheck's lines and "N passed, M failed".
#   install/train-gpu-pack.sh [OUT_DIR]      (default build/device)
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$REPO/build/device}"
JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
(cd "$REPO" && mvn -B -q -pl train -am package -DskipTests \
   && mvn -B -q -pl train dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$OUT/lib")
rm -rf "$OUT/jre" "$OUT/classes"
cp -r "$REPO/train/target/classes" "$OUT/classes"
"$JAVA_HOME/bin/jlink" --add-modules java.base,java.logging,jdk.unsupported --strip-debug --no-man-pages \
  --no-header-files --compress=2 --output "$OUT/jre" 2>&1 | grep -v "is deprecated" || true
cat > "$OUT/run.sh" <<'RUN'
#!/usr/bin/env bash
# The train GPU check on a GPU machine (no JDK needed): environment, then TrainGpuCheck.
D="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
echo "== env"; nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv 2>&1 | head -3
ldconfig -p 2>/dev/null | grep -m1 libcuda.so.1 || { echo "libcuda.so.1 not in ldconfig; adding /usr/local/nvidia/lib64";
  export LD_LIBRARY_PATH="/usr/local/nvidia/lib64:/usr/lib/x86_64-linux-gnu:${LD_LIBRARY_PATH:-}"; }
"$D/jre/bin/java" -version 2>&1 | head -1
echo "== train check"
exec "$D/jre/bin/java" -Djava.io.tmpdir="${TMPDIR:-/tmp}" -cp "$D/classes:$D/lib/*" dev.ferry.train.TrainGpuCheck "${1:-30}"
RUN
chmod +x "$OUT/run.sh"
echo "train-gpu-pack: $OUT ($(du -sh "$OUT" | cut -f1)); on the GPU machine: bash ${OUT#$REPO/}/run.sh 30"
