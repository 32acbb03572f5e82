#!/usr/bin/env bash
# Builds Ferry (when needed) and installs it as a Jupyter kernelspec, or removes it.
# See docs/install.md.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: install/install.sh [--user | --sys-prefix | --prefix DIR] [--name NAME]
                          [--display-name STR] [--java PATH] [--worker-opts "OPTS"]
                          [--papermill-python PATH] [--uninstall]

  --user              install for the current user (default): ~/.local/share/jupyter/kernels
  --sys-prefix        install into the Jupyter Python's sys.prefix (/usr/share/jupyter/kernels
                      for /usr/bin/jupyter; needs root)
  --prefix DIR        install into DIR/share/jupyter/kernels (add DIR/share/jupyter to JUPYTER_PATH)
  --name NAME         kernelspec name (default: ferry); letters, digits, '-', '.', '_'
  --display-name STR  name shown in JupyterLab's launcher (default: "Java (Ferry)")
  --java PATH         java executable for the kernel and its worker JVM (JDK 17+ with jdk.jshell;
                      default: $JAVA_HOME/bin/java, else the `java` on PATH, symlinks resolved)
  --worker-opts OPTS  JVM options for the worker JVM, split on whitespace, e.g. "-Xmx2g -ea"
  --papermill-python PATH
                      the Python whose papermill gets papermill-ferry (Java parameters; docs/papermill.md);
                      default: the first of papermill's own Python, python3, /usr/bin/python3 that has
                      papermill, and none (one info line) when no Python has it
  --uninstall         remove the kernelspec NAME from the chosen scope instead of installing
  -h, --help          show this help

Environment: FERRY_JUPYTER (default /usr/bin/jupyter) is the jupyter command used to install.
USAGE
}

die()   { echo "install.sh: ERROR: $*" >&2; exit 1; }
usage_error() { echo "install.sh: $*" >&2; echo "Run 'install/install.sh --help' for the flags." >&2; exit 2; }

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCOPE=user PREFIX="" NAME=ferry DISPLAY_NAME="Java (Ferry)" JAVA="" WORKER_OPTS="" UNINSTALL=0 PAPERMILL_PY=""
SCOPE_SET=""

need_value() { [[ $# -ge 2 && -n "$2" && "$2" != --* ]] || usage_error "flag $1 needs a value"; }
set_scope() {
  [[ -z "$SCOPE_SET" || "$SCOPE_SET" == "$1" ]] || usage_error "flags $SCOPE_SET and $1 cannot be combined: pick one scope"
  SCOPE_SET="$1"
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --user)          set_scope --user; SCOPE=user ;;
    --sys-prefix)    set_scope --sys-prefix; SCOPE=sys-prefix ;;
    --prefix)        need_value "$@"; set_scope --prefix; SCOPE=prefix; PREFIX="$2"; shift ;;
    --prefix=*)      set_scope --prefix; SCOPE=prefix; PREFIX="${1#*=}" ;;
    --name)          need_value "$@"; NAME="$2"; shift ;;
    --name=*)        NAME="${1#*=}" ;;
    --display-name)  need_value "$@"; DISPLAY_NAME="$2"; shift ;;
    --display-name=*) DISPLAY_NAME="${1#*=}" ;;
    --java)          need_value "$@"; JAVA="$2"; shift ;;
    --java=*)        JAVA="${1#*=}" ;;
    # the value itself starts with '-' (JVM options), so only require that one is present
    --worker-opts)   [[ $# -ge 2 ]] || usage_error "flag --worker-opts needs a value"; WORKER_OPTS="$2"; shift ;;
    --worker-opts=*) WORKER_OPTS="${1#*=}" ;;
    --papermill-python)   need_value "$@"; PAPERMILL_PY="$2"; shift ;;
    --papermill-python=*) PAPERMILL_PY="${1#*=}" ;;
    --uninstall)     UNINSTALL=1 ;;
    -h|--help)       usage; exit 0 ;;
    *)               usage_error "unknown flag '$1'" ;;
  esac
  shift
done

[[ -n "$NAME" ]] || usage_error "flag --name needs a value"
[[ -n "$DISPLAY_NAME" ]] || usage_error "flag --display-name needs a value"
[[ $SCOPE != prefix || -n "$PREFIX" ]] || usage_error "flag --prefix needs a value"
NAME="$(printf '%s' "$NAME" | tr '[:upper:]' '[:lower:]')"    # Jupyter lower-cases kernel names
[[ "$NAME" =~ ^[a-z0-9._-]+$ ]] \
  || usage_error "flag --name: '$NAME' is not a valid kernel name (letters, digits, '-', '.', '_' only)"

JUPYTER="${FERRY_JUPYTER:-/usr/bin/jupyter}"
[[ -x "$JUPYTER" ]] || die "$JUPYTER not found: run install/system-deps.sh first (or set FERRY_JUPYTER)"
# the Python that runs this jupyter (from its #! line), to ask it where each scope lives
JPY="$(sed -n '1s/^#![[:space:]]*//p' "$JUPYTER" | awk '{print $1}')"
[[ -x "$JPY" ]] || JPY=/usr/bin/python3

SCOPE_ARGS=()
case "$SCOPE" in
  user)       SCOPE_ARGS=(--user) ;;
  sys-prefix) SCOPE_ARGS=(--sys-prefix) ;;
  prefix)     PREFIX="$(realpath -m -- "$PREFIX")"; SCOPE_ARGS=(--prefix "$PREFIX") ;;
esac

# Where the `ferry` command is linked: a directory on PATH for each scope.
bin_dir() {
  case "$SCOPE" in
    user)       echo "$HOME/.local/bin" ;;
    sys-prefix) "$JPY" -c 'import os, sys; print(os.path.join(sys.prefix, "bin"))' ;;
    prefix)     echo "$PREFIX/bin" ;;
  esac
}
# `ferry` for the default kernelspec name; with --name N: N when it starts with "ferry", else ferry-N
if [[ $NAME == ferry* ]]; then LINK_NAME="$NAME"; else LINK_NAME="ferry-$NAME"; fi
[[ $NAME != ferry ]] || LINK_NAME=ferry

# Jupyter data directory (the one holding kernels/) of the chosen scope.
scope_data_dir() {
  case "$SCOPE" in
    user)       "$JPY" -c 'from jupyter_core.paths import jupyter_data_dir; print(jupyter_data_dir())' ;;
    sys-prefix) "$JPY" -c 'import os, sys; print(os.path.join(sys.prefix, "share", "jupyter"))' ;;
    prefix)     echo "$PREFIX/share/jupyter" ;;
  esac
}

# ------------------------------------------------------------------ uninstall
if [[ $UNINSTALL == 1 ]]; then
  DATA_DIR="$(scope_data_dir)"
  if [[ ! -f "$DATA_DIR/kernels/$NAME/kernel.json" ]]; then
    echo "install.sh: no kernelspec '$NAME' in $DATA_DIR/kernels (scope ${SCOPE_ARGS[*]})." >&2
    echo "Installed kernelspecs:" >&2
    "$JUPYTER" kernelspec list 2>/dev/null >&2 || true
    exit 1
  fi
  # JUPYTER_PATH puts this scope first, so `remove` picks this copy even if another scope has one too.
  JUPYTER_PATH="$DATA_DIR" "$JUPYTER" kernelspec remove -y "$NAME"
  LINK="$(bin_dir)/$LINK_NAME"
  if [[ -L "$LINK" && "$(readlink "$LINK")" == "$DATA_DIR/kernels/$NAME/"* ]]; then
    rm -f "$LINK" && echo "Removed $LINK"
  fi
  echo "Removed kernelspec '$NAME' from $DATA_DIR/kernels/$NAME"
  exit 0
fi

# ------------------------------------------------------------------ java
if [[ -n "$JAVA" ]]; then
  if [[ "$JAVA" != */* ]]; then
    JAVA="$(command -v "$JAVA")" || die "--java: '$JAVA' not found on PATH"
  fi
  [[ -f "$JAVA" && -x "$JAVA" ]] || die "--java: '$JAVA' is not an executable file"
  JAVA="$(cd "$(dirname "$JAVA")" && pwd)/$(basename "$JAVA")"
elif [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
  JAVA="$JAVA_HOME/bin/java"
else
  JAVA="$(command -v java)" || die "no java found: pass --java PATH or set JAVA_HOME"
  JAVA="$(readlink -f "$JAVA")"
fi
MODULES="$("$JAVA" --list-modules 2>/dev/null)" || die "'$JAVA --list-modules' failed: is it a JDK 17 or newer?"
JAVA_MAJOR="$(sed -n 's/^java\.base@\([0-9]*\).*/\1/p' <<<"$MODULES")"
[[ -n "$JAVA_MAJOR" && "$JAVA_MAJOR" -ge 17 ]] || die "$JAVA is Java ${JAVA_MAJOR:-?}; Ferry needs 17 or newer"
grep -q '^jdk\.jshell@' <<<"$MODULES" || die "$JAVA has no jdk.jshell module (a JRE?): Ferry needs a full JDK"

# ------------------------------------------------------------------ build (when stale)
KERNEL_JAR="$REPO/kernel/target/ferry-kernel-0.1.0-SNAPSHOT.jar"
LIB_DIR="$REPO/kernel/target/lib"
SERVER_JAR="$REPO/server/target/ferry-server-0.1.0-SNAPSHOT.jar"   # the ferry command and server
SERVER_LIB="$REPO/server/target/lib"
WORKER_DIR="$REPO/worker/target/runtime"   # the worker JVM's own class path (worker/pom.xml)
needs_build() {
  [[ -f "$KERNEL_JAR" && -d "$LIB_DIR" && -f "$WORKER_DIR/ferry-worker.jar" && -f "$SERVER_JAR" ]] || return 0
  local newer
  newer="$(find "$REPO/pom.xml" "$REPO"/*/pom.xml "$REPO"/*/src -newer "$KERNEL_JAR" -print -quit 2>/dev/null)"
  [[ -n "$newer" ]]
}
if needs_build; then
  command -v mvn >/dev/null 2>&1 || die "Maven (mvn) is missing: run install/system-deps.sh first"
  echo "install.sh: building Ferry with Maven..." >&2
  (cd "$REPO" && mvn -B -q -DskipTests -DskipITs -pl kernel,worker,server -am package)
  [[ -f "$KERNEL_JAR" ]] || die "the build did not produce $KERNEL_JAR"
  [[ -f "$WORKER_DIR/ferry-worker.jar" ]] || die "the build did not produce $WORKER_DIR/ferry-worker.jar"
fi

# ------------------------------------------------------------------ stage the kernelspec
STAGE_ROOT="$(mktemp -d "${TMPDIR:-/tmp}/ferry-kernelspec.XXXXXX")"
trap 'rm -rf "$STAGE_ROOT"' EXIT
STAGE="$STAGE_ROOT/$NAME"
mkdir -p "$STAGE/lib" "$STAGE/worker" "$STAGE/server"
cp "$KERNEL_JAR" "$STAGE/lib/"
cp "$LIB_DIR"/*.jar "$STAGE/lib/"
# server/: the jars the ferry command and server add to lib/ (none today: the kernel's lib/ already has the server
# and its client, gRPC and protobuf, for function calls), none twice
[[ -e "$STAGE/lib/$(basename "$SERVER_JAR")" ]] || cp "$SERVER_JAR" "$STAGE/server/"
for jar in "$SERVER_LIB"/*.jar; do
  [[ -e "$STAGE/lib/$(basename "$jar")" ]] || cp "$jar" "$STAGE/server/"
done
cp "$WORKER_DIR"/*.jar "$STAGE/worker/"   # user code sees these, never lib/
for logo in logo-svg.svg logo-32x32.png logo-64x64.png; do
  [[ -f "$REPO/install/$logo" ]] && cp "$REPO/install/$logo" "$STAGE/"
done

read -r -a WORKER_WORDS <<<"$WORKER_OPTS"
"$JPY" - "$STAGE/kernel.json" "$JAVA" "$JAVA_MAJOR" "$DISPLAY_NAME" ${WORKER_WORDS[@]+"${WORKER_WORDS[@]}"} <<'PY'
import json, sys
out, java, java_major, display_name, *worker_opts = sys.argv[1:]
argv = [java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
        "--add-opens=java.base/java.nio=ALL-UNNAMED"]
if int(java_major) >= 22:
    # sqlite-jdbc loads its native library: without this JDK 22+ prints "restricted method" warnings
    argv.append("--enable-native-access=ALL-UNNAMED")
argv += ["-cp", "{resource_dir}/lib/*", "dev.ferry.kernel.FerryKernel",
         "--worker-classpath={resource_dir}/worker/*"]
argv += ["--worker-opt=" + o for o in worker_opts]
argv.append("{connection_file}")
spec = {"argv": argv, "display_name": display_name, "language": "java",
        "interrupt_mode": "message", "metadata": {"debugger": False}}
with open(out, "w") as f:
    json.dump(spec, f, indent=2)
    f.write("\n")
PY

# ------------------------------------------------------------------ install
INSTALL_LOG="$STAGE_ROOT/install.log"
if ! "$JUPYTER" kernelspec install --replace --name "$NAME" "${SCOPE_ARGS[@]}" "$STAGE" >"$INSTALL_LOG" 2>&1; then
  cat "$INSTALL_LOG" >&2
  die "jupyter kernelspec install failed"
fi
DEST="$(sed -n 's/.*Installed kernelspec .* in //p' "$INSTALL_LOG" | tail -n 1)"
[[ -n "$DEST" ]] || DEST="$(scope_data_dir)/kernels/$NAME"
[[ -f "$DEST/kernel.json" ]] || { cat "$INSTALL_LOG" >&2; die "kernelspec not found at $DEST after install"; }

# ------------------------------------------------------------------ ferry-secret (stored secrets from a terminal)
cat >"$DEST/ferry-secret" <<SH
#!/bin/sh
# Ferry's stored secrets: create NAME KEY... | create NAME --from-dotenv FILE | list | delete NAME (docs/storage.md)
exec "$JAVA" -cp "$DEST/lib/*" dev.ferry.storage.SecretCommand "\$@"
SH
chmod 755 "$DEST/ferry-secret"

# ------------------------------------------------------------------ ferry (server, calls; docs/server.md)
cat >"$DEST/ferry" <<SH
#!/bin/sh
# Ferry's command line: ferry server start|stop|status, ferry call get|list|cancel (docs/server.md),
# ferry deploy|serve|run FILE, ferry app list|stop|logs|run-schedule (docs/apps.md)
FERRY_WORKER_CLASSPATH="\${FERRY_WORKER_CLASSPATH:-$DEST/worker/*}"
export FERRY_WORKER_CLASSPATH
exec "$JAVA" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -cp "$DEST/server/*:$DEST/lib/*" dev.ferry.cli.FerryCommand "\$@"
SH
chmod 755 "$DEST/ferry"
BIN_DIR="$(bin_dir)"
if mkdir -p "$BIN_DIR" 2>/dev/null && ln -sfn "$DEST/ferry" "$BIN_DIR/$LINK_NAME" 2>/dev/null; then
  FERRY_LINK="$BIN_DIR/$LINK_NAME"
else
  FERRY_LINK=""
  echo "install.sh: note: could not link $BIN_DIR/$LINK_NAME; run $DEST/ferry directly" >&2
fi

# ------------------------------------------------------------------ worker class-data archive
# A training run of the worker records the classes a JShell session loads into a CDS archive; workers
# started with it warm up faster (docs/benchmarks.md). The archive belongs to this java binary and
# this worker/ folder, so it is made here, in place. Without it the kernel works the same, only slower.
# On JDK 25+ it is an AOT cache (JEP 483/514/515: classes loaded and linked, method profiles), which
# cuts a further ~0.3 s of CPU from a worker's warm-up; before that, a dynamic CDS archive.
TRAIN_OPTS=(--add-opens=java.base/java.nio=ALL-UNNAMED -Djava.awt.headless=true)   # as the worker runs
if [[ "$JAVA_MAJOR" -ge 25 ]]; then
  ARCHIVE=worker.aot
  TRAIN_OPTS+=(--sun-misc-unsafe-memory-access=allow -XX:AOTCacheOutput="$DEST/$ARCHIVE" -Xlog:aot=off -Xlog:cds=off)
  USE_OPT="-XX:AOTCache={resource_dir}/$ARCHIVE"
else
  ARCHIVE=worker.jsa
  TRAIN_OPTS+=(-XX:ArchiveClassesAtExit="$DEST/$ARCHIVE" -Xlog:cds=off -Xlog:cds+dynamic=off)
  USE_OPT="-XX:SharedArchiveFile={resource_dir}/$ARCHIVE"
fi
rm -f "$DEST/worker.jsa" "$DEST/worker.aot"
if "$JAVA" "${TRAIN_OPTS[@]}" -cp "$DEST/worker/*" dev.ferry.remote.worker.WorkerMain --train >"$STAGE_ROOT/train.log" 2>&1 \
   && [[ -s "$DEST/$ARCHIVE" ]]; then
  "$JPY" - "$DEST/kernel.json" "$USE_OPT" <<'PY'
import json, sys
path, use = sys.argv[1:]
spec = json.load(open(path))
opt = "--worker-opt=" + use
argv = [a for a in spec["argv"] if a != opt]
argv.insert(argv.index("dev.ferry.kernel.FerryKernel") + 1, opt)
spec["argv"] = argv
with open(path, "w") as f:
    json.dump(spec, f, indent=2)
    f.write("\n")
PY
else
  echo "install.sh: note: no worker class-data archive (training run failed; see below); workers start slower" >&2
  tail -n 5 "$STAGE_ROOT/train.log" >&2 || true
  rm -f "$DEST/$ARCHIVE"
fi

# ------------------------------------------------------------------ papermill (Java parameters)
"$REPO/install/papermill.sh" ${PAPERMILL_PY:+--python "$PAPERMILL_PY"}

echo "Installed kernelspec '$NAME' (\"$DISPLAY_NAME\") in $DEST"
echo "  java: $JAVA (Java $JAVA_MAJOR)"
[[ -z "$WORKER_OPTS" ]] || echo "  worker JVM options: $WORKER_OPTS"
if [[ $SCOPE == prefix ]]; then
  echo "  $PREFIX/share/jupyter is not on Jupyter's default search path; use it with:"
  echo "    export JUPYTER_PATH=$PREFIX/share/jupyter\${JUPYTER_PATH:+:\$JUPYTER_PATH}"
fi
echo "  secrets: $DEST/ferry-secret create NAME KEY...   (values from \$KEY or a hidden prompt)"
echo "  server:  ${FERRY_LINK:-$DEST/ferry} server status   (ferry server start|stop|status, ferry call get|list|cancel)"
echo "Try: jupyter console --kernel $NAME    (or: install/lab.sh, then pick \"$DISPLAY_NAME\")"
