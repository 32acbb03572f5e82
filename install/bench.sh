#!/usr/bin/env bash
# Ferry benchmarks. A benchmark, not a test: rows are marked PASS/MISS against the targets, and the
# command exits 0 either way (non-zero only when it could not measure). See docs/benchmarks.md.
#
#   install/bench.sh kernel [--java PATH] [--starts N] [--warmup N] [--iters N]
#                           [--worker-opts "OPTS"] [--kernel-opts "OPTS"] [--json FILE] [--keep]
#   install/bench.sh magics
#   install/bench.sh web [--iters N] [--warmup N] [--duration S] [--connections N]
#   install/bench.sh remote [--java PATH] [--cold N] [--warm N] [--rows N] [--reps N]
#                           [--worker-opts "OPTS"] [--kernel-opts "OPTS"] [--json FILE] [--keep]
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SUITES="kernel magics remote sql store train functions web"

usage() {
  cat <<USAGE
usage: install/bench.sh SUITE [options]

suites:
  kernel    kernel start, first cell and steady-state execute latency of the local kernel, against
            raw in-process JShell (the floor), with the same java
  magics    magic dispatch cost per cell (against a cell without magics), and %maven of an artifact
            already in the local repository (against a plain \`1+1\` cell through the same kernel)
  remote    %%remote on the Docker engine: cold cell in a new container (against \`docker run --rm
            --network none IMAGE true\`, with a breakdown), warm session cell (against a local cell),
            and a 10M-row Arrow table back with out= (against raw bytes through a Docker attach stream)
  sql       %%sql on DuckDB against the same query read through raw JDBC in the same worker, and the
            time to the first rows of a 10M-row result on the page
  train     train/ CPU backend: matmul GFLOP/s against a naive triple loop and the machine's measured
            peak, and char-GPT training tokens/s (see docs/train.md)
  functions %%function on the Ferry server with process workers: warm remote() against a local cell,
            spawn -> get on a warm worker, cold remote() (a fresh worker per call) against a bare JVM
            start, and map throughput over 4 warm workers (FERRY_BENCH_MAP_INPUTS, default 10000)
  web       a web= function endpoint on the Ferry server against a bare Javalin handler doing the same
            work in the same JVM: p50 latency (sequential, interleaved) and wrk throughput (bounded in time
            and connections), same run (options: --iters N (default 20), --warmup N (3), --duration S (10),
            --connections N (8); needs Debian's wrk)
  store     Dict.get p50 in the notebook's worker and in a container (store calls to the kernel),
            beside a raw prepared SQLite SELECT in the same worker (needs the Docker engine)

options of 'kernel':
  --java PATH           JDK to run the kernel, its worker and the floor with (default: \$JAVA_HOME/bin/java,
                        else the java on PATH); passed to install.sh --java
  --starts N            kernel starts per first-cell variant (default 5; 2N starts in all)
  --warmup N            warm-up executes before the measured ones (default 20)
  --iters N             measured executes (default 100)
  --worker-opts "OPTS"  extra worker JVM options, given to the kernel as FERRY_JVM_OPTS
  --kernel-opts "OPTS"  extra kernel JVM options, inserted after java in the temporary kernel.json
  --json FILE           also write the raw samples as JSON
  --keep                keep the temporary kernelspec prefix and print where it is
  -h, --help            show this help

options of 'remote' (also --java, --worker-opts, --kernel-opts, --json, --keep as above; needs a Docker
engine that answers (DOCKER_HOST or the local socket) and the base image ferry/base:bookworm-jdk<N> for the
JDK's major N: install/docker.sh):
  --cold N              cold %%remote cells, each interleaved with the docker run baselines (default 7)
  --warm N              measured warm %%remote session cells and local cells (default 30 each)
  --rows N              rows of the Arrow table sent back with out= (default 10000000)
  --reps N              Arrow transfers (and raw baseline runs) (default 3)
  --cold-only           only cold cells, for a remote engine (DOCKER_HOST=tcp://...; the other rows bind-mount
                        this machine's folders): each rep a cell whose worker class path is sent again (its
                        volume on the engine removed first) and one that finds it cached, beside docker run

Jupyter's client side always runs on Debian's /usr/bin/python3 (jupyter_client, pyzmq).
USAGE
}

usage_error() { echo "bench.sh: $*" >&2; echo "Run 'install/bench.sh --help' for the suites and options." >&2; exit 2; }
die() { echo "bench.sh: ERROR: $*" >&2; exit 1; }

[[ $# -ge 1 ]] || usage_error "no suite given (one of: $SUITES)"
SUITE="$1"; shift
case "$SUITE" in
  -h|--help) usage; exit 0 ;;
  kernel|remote) ;;
  sql|store)
    (cd "$REPO" && mvn -B -q -DskipTests -DskipITs package) || die "build failed"
    PREFIX="$(mktemp -d "${TMPDIR:-/tmp}/ferry-bench-$SUITE.XXXXXX")"
    trap 'rm -rf "$PREFIX"' EXIT
    "$REPO/install/install.sh" --prefix "$PREFIX" --name "ferry-bench-$SUITE" >/dev/null
    echo "## $SUITE ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores)"
    SCRIPT="$REPO/install/bench/sql_bench.py"; [[ $SUITE == store ]] && SCRIPT="$REPO/install/bench/store_bench.py"
    mkdir -p "$PREFIX/data"
    JUPYTER_PATH="$PREFIX/share/jupyter" FERRY_DATA_DIR="$PREFIX/data" FERRY_ENGINE=docker \
      /usr/bin/python3 "$SCRIPT" "ferry-bench-$SUITE"
    exit 0 ;;
  train)
    JAVA_BIN="${JAVA_HOME:+$JAVA_HOME/bin/java}"; JAVA_BIN="${JAVA_BIN:-java}"
    (cd "$REPO" && mvn -B -q -pl train -am -DskipTests compile) || die "build failed"
    echo "## train ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores)"
    "$JAVA_BIN" -cp "$REPO/train/target/classes" dev.ferry.train.Bench "$@"
    exit 0 ;;
  functions)
    JAVA_BIN="${JAVA_HOME:+$JAVA_HOME/bin/java}"; JAVA_BIN="$(readlink -f "$(command -v "${JAVA_BIN:-java}")")"
    PREFIX="$(mktemp -d "${TMPDIR:-/tmp}/ferry-bench-functions.XXXXXX")"
    mkdir -p "$PREFIX/data"
    trap '"$PREFIX/share/jupyter/kernels/ferry-bench-functions/ferry" server stop --data-dir "$PREFIX/data" >/dev/null 2>&1; rm -rf "$PREFIX"' EXIT
    "$REPO/install/install.sh" --prefix "$PREFIX" --name ferry-bench-functions >/dev/null || die "install.sh failed"
    echo "## functions ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
    JUPYTER_PATH="$PREFIX/share/jupyter" FERRY_DATA_DIR="$PREFIX/data" \
      /usr/bin/python3 "$REPO/install/bench/functions_bench.py" ferry-bench-functions "$JAVA_BIN" "${FERRY_BENCH_MAP_INPUTS:-10000}"
    ;;
  web)
    ITERS=20; WARMUP=3; DURATION=10; CONNS=8
    while [[ $# -gt 0 ]]; do
      case "$1" in
        --iters) ITERS="$2"; shift 2 ;;
        --warmup) WARMUP="$2"; shift 2 ;;
        --duration) DURATION="$2"; shift 2 ;;
        --connections) CONNS="$2"; shift 2 ;;
        *) usage_error "unknown option '$1' of 'web'" ;;
      esac
    done
    command -v wrk >/dev/null || die "wrk is not installed: apt-get install wrk"
    JAVA_BIN="${JAVA_HOME:+$JAVA_HOME/bin/java}"; JAVA_BIN="${JAVA_BIN:-java}"
    (cd "$REPO" && mvn -B -q -pl server -am -DskipTests -DskipITs package) || die "build failed"
    WORK="$(mktemp -d "${TMPDIR:-/tmp}/ferry-bench-web.XXXXXX")"
    trap 'exec 3>&- 2>/dev/null; rm -rf "$WORK"' EXIT
    echo "## web ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $("$JAVA_BIN" -version 2>&1 | head -1))"
    mkfifo "$WORK/in"
    "$JAVA_BIN" --add-opens=java.base/java.nio=ALL-UNNAMED -Djava.util.logging.config.file=/dev/null \
      -cp "$REPO/server/target/lib/*:$REPO/server/target/classes" "$REPO/install/bench/WebBench.java" "$ITERS" "$WARMUP" \
      <"$WORK/in" >"$WORK/out" 2>"$WORK/err" &
    BENCH=$!
    exec 3>"$WORK/in"
    until grep -q '^URLS ' "$WORK/out" 2>/dev/null; do
      kill -0 "$BENCH" 2>/dev/null || { cat "$WORK/err" >&2; die "the latency part failed"; }
      sleep 1
    done
    grep -v '^URLS ' "$WORK/out"
    read -r _ FERRY_URL RAW_URL < <(grep '^URLS ' "$WORK/out")
    printf 'wrk.method = "POST"\nwrk.body = "{\\"x\\": 12}"\nwrk.headers["Content-Type"] = "application/json"\n' >"$WORK/post.lua"
    for u in "$FERRY_URL" "$RAW_URL"; do
      label="web= endpoint"; [[ $u == "$RAW_URL" ]] && label="bare Javalin "
      line="$(wrk -t2 -c"$CONNS" -d"${DURATION}s" --timeout 60s -s "$WORK/post.lua" "$u" | awk '/Requests\/sec/{r=$2} /requests in/{n=$1} /Non-2xx|Socket errors/{e=e" "$0} END{print r" req/s ("n" requests"e")"}')"
      echo "$label throughput: $line, wrk -t2 -c$CONNS -d${DURATION}s"
    done
    exec 3>&-
    wait "$BENCH" || true
    exit 0 ;;
  magics)
    JAVA_BIN="${JAVA_HOME:+$JAVA_HOME/bin/java}"; JAVA_BIN="${JAVA_BIN:-java}"
    (cd "$REPO" && mvn -B -q -DskipTests package) || die "build failed"
    echo "## magic dispatch ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores)"
    "$JAVA_BIN" -cp "$REPO/kernel/target/lib/*:$REPO/kernel/target/classes" "$REPO/install/bench/MagicDispatch.java"
    PREFIX="$(mktemp -d "${TMPDIR:-/tmp}/ferry-bench-magics.XXXXXX")"
    trap 'rm -rf "$PREFIX"' EXIT
    "$REPO/install/install.sh" --prefix "$PREFIX" --name ferry-bench-magics >/dev/null
    echo; echo "## %maven of an artifact already in the local repository"
    JUPYTER_PATH="$PREFIX/share/jupyter" FERRY_DATA_DIR="$PREFIX/data" /usr/bin/python3 "$REPO/install/bench/maven_bench.py" ferry-bench-magics
    exit 0 ;;
  *) usage_error "unknown suite '$SUITE' (one of: $SUITES)" ;;
esac

# ------------------------------------------------------------------ options
JAVA="" STARTS=5 WARMUP=20 ITERS=100 WORKER_OPTS="" KERNEL_OPTS="" JSON_OUT="" KEEP=0
COLD=7 WARM=30 ROWS=10000000 REPS=3 COLD_ONLY=0
need_value() { [[ $# -ge 2 && -n "$2" ]] || usage_error "option $1 needs a value"; }
need_int() { [[ "$2" =~ ^[1-9][0-9]*$ ]] || usage_error "option $1 needs a positive integer, not '$2'"; }
only() { [[ $SUITE == "$1" ]] || usage_error "unknown option '$2' for suite '$SUITE'"; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --java)        need_value "$@"; JAVA="$2"; shift ;;
    --java=*)      JAVA="${1#*=}" ;;
    --starts)      only kernel "$1"; need_value "$@"; need_int "$1" "$2"; STARTS="$2"; shift ;;
    --warmup)      only kernel "$1"; need_value "$@"; need_int "$1" "$2"; WARMUP="$2"; shift ;;
    --iters)       only kernel "$1"; need_value "$@"; need_int "$1" "$2"; ITERS="$2"; shift ;;
    --cold)        only remote "$1"; need_value "$@"; need_int "$1" "$2"; COLD="$2"; shift ;;
    --warm)        only remote "$1"; need_value "$@"; need_int "$1" "$2"; WARM="$2"; shift ;;
    --rows)        only remote "$1"; need_value "$@"; need_int "$1" "$2"; ROWS="$2"; shift ;;
    --reps)        only remote "$1"; need_value "$@"; need_int "$1" "$2"; REPS="$2"; shift ;;
    --cold-only)   only remote "$1"; COLD_ONLY=1 ;;
    --worker-opts) [[ $# -ge 2 ]] || usage_error "option $1 needs a value"; WORKER_OPTS="$2"; shift ;;
    --worker-opts=*) WORKER_OPTS="${1#*=}" ;;
    --kernel-opts) [[ $# -ge 2 ]] || usage_error "option $1 needs a value"; KERNEL_OPTS="$2"; shift ;;
    --kernel-opts=*) KERNEL_OPTS="${1#*=}" ;;
    --json)        need_value "$@"; JSON_OUT="$(realpath -m -- "$2")"; shift ;;
    --keep)        KEEP=1 ;;
    -h|--help)     usage; exit 0 ;;
    *)             usage_error "unknown option '$1' for suite '$SUITE'" ;;
  esac
  shift
done

PY=/usr/bin/python3   # Debian's: the python3 first on PATH may not see jupyter_client
[[ -x $PY ]] || die "$PY not found: run install/system-deps.sh first"
"$PY" -c 'import jupyter_client, zmq' 2>/dev/null \
  || die "$PY cannot import jupyter_client and zmq: run install/system-deps.sh first"

if [[ -n "$JAVA" ]]; then
  [[ "$JAVA" == */* ]] || JAVA="$(command -v "$JAVA")" || die "--java: '$JAVA' not found on PATH"
  [[ -x "$JAVA" ]] || die "--java: '$JAVA' is not executable"
elif [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
  JAVA="$JAVA_HOME/bin/java"
else
  JAVA="$(command -v java)" || die "no java found: pass --java PATH or set JAVA_HOME"
fi
JAVA="$(readlink -f "$JAVA")"

if [[ $SUITE == remote ]]; then  # fail before the install when there is nothing to measure against
  command -v docker >/dev/null 2>&1 || die "the docker CLI is missing: run install/docker.sh first"
  docker info >/dev/null 2>&1 || die "no Docker engine answers${DOCKER_HOST:+ at $DOCKER_HOST}: run install/docker.sh start"
  JAVA_MAJOR="$("$JAVA" --list-modules 2>/dev/null | sed -n 's/^java\.base@\([0-9]*\).*/\1/p')"
  IMAGE="ferry/base:bookworm-jdk${JAVA_MAJOR}"      # Image.localBase(N): what %%remote starts by default
  docker image inspect "$IMAGE" >/dev/null 2>&1 || die "the base image $IMAGE is missing: run install/docker.sh start"
fi

# ------------------------------------------------------------------ temporary kernelspec
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ferry-bench.XXXXXX")"
if [[ $KEEP == 1 ]]; then
  trap 'echo "bench.sh: kept $WORK (JUPYTER_PATH=$WORK/share/jupyter)" >&2' EXIT
else
  trap 'rm -rf "$WORK"' EXIT
fi
NAME=ferry-bench
echo "bench.sh: installing kernelspec '$NAME' into $WORK (builds Ferry when stale)..." >&2
bash "$REPO/install/install.sh" --prefix "$WORK" --name "$NAME" --java "$JAVA" >"$WORK/install.log" 2>&1 \
  || { cat "$WORK/install.log" >&2; die "install.sh failed"; }
SPEC="$WORK/share/jupyter/kernels/$NAME/kernel.json"
if [[ -n "$KERNEL_OPTS" ]]; then
  read -r -a KWORDS <<<"$KERNEL_OPTS"
  "$PY" - "$SPEC" "${KWORDS[@]}" <<'PY'
import json, sys
path, *opts = sys.argv[1:]
spec = json.load(open(path))
spec["argv"][1:1] = opts
json.dump(spec, open(path, "w"), indent=2)
PY
fi
export JUPYTER_PATH="$WORK/share/jupyter"
export FERRY_DATA_DIR="$WORK/data"          # history of the benchmark kernels stays in the temp dir
export FERRY_JVM_OPTS="$WORKER_OPTS"

# ------------------------------------------------------------------ run
if [[ $SUITE == remote ]]; then
  export FERRY_ENGINE=docker                 # never the silent fallback to a local process
  KDIR="$WORK/share/jupyter/kernels/$NAME"
  echo "# Ferry %%remote benchmark"
  echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, $(. /etc/os-release && echo "$PRETTY_NAME"), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "docker:  engine $(docker version --format '{{.Server.Version}}' 2>/dev/null), image $IMAGE ($(docker image inspect --format '{{.Id}}' "$IMAGE" | cut -c8-19)), in the container: $(docker run --rm --network none "$IMAGE" java -version 2>&1 | sed -n 2p)"
  echo "java:    $JAVA ($("$JAVA" -version 2>&1 | sed -n 2p))"
  echo "kernel:  $("$PY" -c 'import json,sys; a = json.load(open(sys.argv[1]))["argv"]; print(" ".join(a[1:a.index("-cp")] if "-cp" in a else a[1:]))' "$SPEC")"
  echo "worker:  FERRY_JVM_OPTS='${WORKER_OPTS}' (the notebook's local worker; remote workers get the kernel's template options)"
  echo "counts:  ${COLD} cold, ${WARM} warm + ${WARM} local, ${REPS} Arrow transfers of ${ROWS} rows"
  echo
  ARGS=(--kernel "$NAME" --image "$IMAGE" --lib "$KDIR/lib" --java "$JAVA" --work "$WORK"
        --cold "$COLD" --warm "$WARM" --rows "$ROWS" --reps "$REPS")
  [[ ! -f "$KDIR/worker.jsa" ]] || ARGS+=(--host-archive "$KDIR/worker.jsa")
  [[ -z "$JSON_OUT" ]] || ARGS+=(--json "$JSON_OUT")
  [[ $COLD_ONLY == 0 ]] || ARGS+=(--cold-only)
  "$PY" "$REPO/install/bench/remote_bench.py" "${ARGS[@]}" || die "the remote benchmark failed"
  exit 0
fi
JAVA_VERSION="$("$JAVA" -version 2>&1 | head -n 2 | tail -n 1)"
echo "# Ferry kernel benchmark"
echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, $(. /etc/os-release && echo "$PRETTY_NAME"), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java:    $JAVA ($JAVA_VERSION)"
echo "kernel:  $("$PY" -c 'import json,sys; a = json.load(open(sys.argv[1]))["argv"]; print(" ".join(a[1:a.index("-cp")] if "-cp" in a else a[1:]))' "$SPEC")"
echo "worker:  FERRY_JVM_OPTS='${WORKER_OPTS}'"
echo "counts:  ${STARTS}+${STARTS} starts, ${WARMUP} warm-up + ${ITERS} measured executes"
echo

# The floor runs before and after the kernel, and the two are pooled: on a shared machine the load
# changes within a minute, and one floor run alone would be measured under other conditions.
floor() {
  "$JAVA" "$REPO/install/bench/JShellFloor.java" --warmup "$WARMUP" --iters "$ITERS" >"$WORK/floor-$1.txt" \
    || die "the JShell floor program failed"
}
echo "bench.sh: measuring the raw JShell floor..." >&2
floor before
echo "bench.sh: measuring the kernel..." >&2
ARGS=(--kernel "$NAME" --floor "$WORK/floor-before.txt" --floor "$WORK/floor-after.txt"
      --starts "$STARTS" --warmup "$WARMUP" --iters "$ITERS")
[[ -z "$JSON_OUT" ]] || ARGS+=(--json "$JSON_OUT")
# the kernel's samples go to a file first, so that the second floor run can follow them
"$PY" "$REPO/install/bench/kernel_bench.py" "${ARGS[@]}" --measure-only "$WORK/kernel.json" \
  || die "the kernel benchmark failed"
echo "bench.sh: measuring the raw JShell floor again..." >&2
floor after
"$PY" "$REPO/install/bench/kernel_bench.py" "${ARGS[@]}" --report-only "$WORK/kernel.json" \
  || die "the kernel benchmark report failed"
exit 0
