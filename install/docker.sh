#!/usr/bin/env bash
# Starts a local Docker engine for Ferry's container placements and builds the offline base image
# (Debian 12). Idempotent: apt is skipped when the packages are there, the engine is left alone when
# one already answers, and the base image is only built when it is missing (or --rebuild-base).
#
#   install/docker.sh [start] [--rebuild-base] [--jdk DIR]...
#                                                install docker.io + debootstrap, start dockerd, build the base image;
#                                                --jdk DIR also makes ferry/base:bookworm-jdk<N> for that JDK (N its
#                                                major), the base Image.debianSlim() uses in a kernel running that JDK
#   install/docker.sh stop                       stop the dockerd that this script started
#   install/docker.sh status                     does the engine answer, does the base image exist (exit 0: both)
#
# The engine is started as `dockerd --bridge=none --iptables=false`: no docker0 bridge, no NAT rules,
# so containers get network `none` or `host` only (a default bridge would take a 172.17.x subnet).
#
# The base image ferry/base:bookworm-jdk17 (Image.localBase(17) in remote-exec) is made without a
# registry: debootstrap (minbase + openjdk-17-jdk-headless + ca-certificates) from the Debian mirror
# that this machine's apt uses, then `docker import`.
#
# Environment:
#   FERRY_DOCKERD_LOG         dockerd's log (default /tmp/ferry-dockerd.log; the previous one is kept as .1)
#   FERRY_DEBIAN_MIRROR       Debian mirror for the base image (default: the one in /etc/apt/sources*)
#   FERRY_DEBOOTSTRAP_CACHE   where debootstrap keeps its .debs between runs (default /var/cache/ferry-debootstrap)
#   FERRY_APT_LOCK_TIMEOUT    seconds to wait for another apt/dpkg to finish (default 900)
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: install/docker.sh [start|stop|status] [--rebuild-base]
  start           (default) install docker.io + debootstrap if missing, start dockerd (no bridge,
                  no iptables) unless an engine answers on /var/run/docker.sock, and build the
                  base image ferry/base:bookworm-jdk17 if it is missing
  stop            stop the dockerd that `start` launched (pid file /tmp/ferry-dockerd.pid);
                  an engine started some other way is left alone
  status          print whether the engine answers and the base image exists (exit 0 when both)
  --rebuild-base  with start: rebuild the base image even if it exists
  --jdk DIR       with start: also make ferry/base:bookworm-jdk<N> from the JDK in DIR (a JDK N other
                  than 17, e.g. /usr/lib/jvm/temurin-25-jdk-amd64): the JDK 17 base plus DIR copied in
USAGE
}

CMD=start
REBUILD=0
EXTRA_JDKS=()
WANT_JDK=0
for arg in "$@"; do
  if [[ $WANT_JDK == 1 ]]; then EXTRA_JDKS+=("$arg"); WANT_JDK=0; continue; fi
  case "$arg" in
    start|stop|status) CMD="$arg" ;;
    --rebuild-base) REBUILD=1 ;;
    --jdk) WANT_JDK=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "docker.sh: unknown argument '$arg'" >&2; usage >&2; exit 2 ;;
  esac
done
[[ $WANT_JDK == 0 ]] || { echo "docker.sh: --jdk needs a JDK directory" >&2; exit 2; }
if [[ ${#EXTRA_JDKS[@]} -gt 0 && $CMD != start ]]; then
  echo "docker.sh: --jdk goes with 'start' only" >&2; exit 2
fi
if [[ $REBUILD == 1 && $CMD != start ]]; then
  echo "docker.sh: --rebuild-base goes with 'start' only" >&2; exit 2
fi

JDK=17
SUITE=bookworm
BASE_IMAGE="ferry/base:${SUITE}-jdk${JDK}"     # must match Image.localBase(17)
SOCK=/var/run/docker.sock
PIDFILE=/tmp/ferry-dockerd.pid
DOCKERD_LOG="${FERRY_DOCKERD_LOG:-/tmp/ferry-dockerd.log}"
DEBOOTSTRAP_CACHE="${FERRY_DEBOOTSTRAP_CACHE:-/var/cache/ferry-debootstrap}"
LOCK_TIMEOUT="${FERRY_APT_LOCK_TIMEOUT:-900}"
READY_TIMEOUT=60
STOP_TIMEOUT=20
log() { echo "docker: $*" >&2; }
die() { echo "docker: ERROR: $*" >&2; exit 1; }
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=install/lib/apt.sh
source "$REPO/install/lib/apt.sh"   # installed, apt_get

# Every docker call of this script goes to the local socket, whatever DOCKER_HOST/DOCKER_CONTEXT say.
dk() { docker -H "unix://$SOCK" "$@"; }
engine_answers() { command -v docker >/dev/null 2>&1 && timeout 10 docker -H "unix://$SOCK" version >/dev/null 2>&1; }
image_exists() { dk image inspect "$BASE_IMAGE" >/dev/null 2>&1; }

# The pid in PIDFILE when it is a live dockerd (guards against a stale file whose pid was reused).
our_dockerd_pid() {
  local pid
  [[ -r $PIDFILE ]] || return 1
  pid="$(tr -dc '0-9' <"$PIDFILE")"
  [[ -n $pid && -d /proc/$pid ]] || return 1
  [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == dockerd ]] || return 1
  echo "$pid"
}

need_root() {
  [[ $EUID -eq 0 ]] && return 0
  command -v sudo >/dev/null 2>&1 || die "'$CMD' needs root (or sudo)"
  exec sudo --preserve-env=FERRY_DOCKERD_LOG,FERRY_DEBIAN_MIRROR,FERRY_DEBOOTSTRAP_CACHE,FERRY_APT_LOCK_TIMEOUT \
    bash "${BASH_SOURCE[0]}" "$@"
}

# ---------------------------------------------------------------- status
if [[ $CMD == status ]]; then
  rc=0
  if engine_answers; then
    v="$(dk version --format '{{.Server.Version}}' 2>/dev/null || echo '?')"
    if pid="$(our_dockerd_pid)"; then who="started by install/docker.sh, pid $pid"; else who="not started by install/docker.sh"; fi
    echo "engine:     answers on $SOCK (dockerd $v, $who)"
    if image_exists; then
      echo "base image: $BASE_IMAGE present ($(dk image ls --format '{{.ID}}, {{.Size}}, created {{.CreatedSince}}' "$BASE_IMAGE" | head -1))"
    else
      echo "base image: $BASE_IMAGE missing (run install/docker.sh start)"; rc=1
    fi
  else
    echo "engine:     no engine answers on $SOCK (run install/docker.sh start)"
    echo "base image: unknown (no engine)"
    rc=1
  fi
  exit "$rc"
fi

# ---------------------------------------------------------------- stop
if [[ $CMD == stop ]]; then
  need_root "$@"
  if ! pid="$(our_dockerd_pid)"; then
    rm -f "$PIDFILE"
    if engine_answers; then
      log "the engine on $SOCK was not started by install/docker.sh; leaving it alone"
    else
      log "no dockerd started by install/docker.sh is running"
    fi
    exit 0
  fi
  t0=$SECONDS
  log "stopping dockerd (pid $pid)"
  kill -TERM "$pid"
  while [[ -d /proc/$pid ]] && ((SECONDS - t0 < STOP_TIMEOUT)); do sleep 0.5; done
  if [[ -d /proc/$pid ]]; then
    die "dockerd (pid $pid) is still running ${STOP_TIMEOUT} s after SIGTERM; see $DOCKERD_LOG"
  fi
  rm -f "$PIDFILE"
  log "dockerd stopped in $((SECONDS - t0)) s"
  exit 0
fi

# ---------------------------------------------------------------- start
need_root "$@"
T_ALL=$SECONDS

# ---- Debian packages
PKGS=(docker.io debootstrap debian-archive-keyring)



MISSING=()
for p in "${PKGS[@]}"; do installed "$p" || MISSING+=("$p"); done
if [[ ${#MISSING[@]} -eq 0 ]]; then
  log "Debian packages already installed"
else
  t0=$SECONDS
  log "installing: ${MISSING[*]}"
  # docker.io's postinst asks invoke-rc.d to start dockerd with the default bridge (172.17.0.0/16).
  # A policy-rc.d that answers 101 forbids that; the engine is started below, without a bridge.
  POLICY=/usr/sbin/policy-rc.d
  OWN_POLICY=0
  if [[ ! -e $POLICY ]]; then
    printf '#!/bin/sh\n# install/docker.sh: no service starts while it installs packages\nexit 101\n' >"$POLICY"
    chmod 755 "$POLICY"
    OWN_POLICY=1
    trap 'rm -f "$POLICY"' EXIT
  fi
  apt_get update -q
  apt_get install -y -q --no-install-recommends "${MISSING[@]}"
  if [[ $OWN_POLICY == 1 ]]; then rm -f "$POLICY"; trap - EXIT; fi
  log "packages installed in $((SECONDS - t0)) s"
fi
for c in dockerd docker debootstrap; do
  command -v "$c" >/dev/null 2>&1 || die "'$c' is not on PATH after installing ${PKGS[*]}"
done
log "client: $(command -v docker) ($(docker --version 2>/dev/null || echo 'version unknown'))"

# ---- the engine
if engine_answers; then
  if pid="$(our_dockerd_pid)"; then
    log "engine already running (dockerd pid $pid, started by install/docker.sh)"
  else
    log "an engine already answers on $SOCK (not started by install/docker.sh); using it"
  fi
else
  t0=$SECONDS
  if pid="$(our_dockerd_pid)"; then
    log "dockerd (pid $pid) is running but not answering yet; waiting"
  else
    [[ -f $DOCKERD_LOG ]] && mv -f "$DOCKERD_LOG" "$DOCKERD_LOG.1"
    log "starting dockerd --bridge=none --iptables=false (log: $DOCKERD_LOG)"
    # setsid: its own session, so it outlives this script and the terminal that ran it.
    setsid nohup dockerd --bridge=none --iptables=false -H "unix://$SOCK" \
      </dev/null >"$DOCKERD_LOG" 2>&1 &
    pid=$!
    echo "$pid" >"$PIDFILE"
  fi
  until engine_answers; do
    if [[ ! -d /proc/$pid ]]; then
      rm -f "$PIDFILE"
      echo "docker: ERROR: dockerd exited before it answered on $SOCK; last lines of $DOCKERD_LOG:" >&2
      tail -n 30 "$DOCKERD_LOG" | sed 's/^/    /' >&2
      exit 1
    fi
    if ((SECONDS - t0 >= READY_TIMEOUT)); then
      echo "docker: ERROR: dockerd (pid $pid) did not answer on $SOCK within ${READY_TIMEOUT} s; last lines of $DOCKERD_LOG:" >&2
      tail -n 30 "$DOCKERD_LOG" | sed 's/^/    /' >&2
      exit 1
    fi
    sleep 0.5
  done
  # dockerd writes its own pid to /var/run/docker.pid; prefer that one if it differs from $!.
  if [[ -r /var/run/docker.pid ]]; then
    dpid="$(tr -dc '0-9' </var/run/docker.pid)"
    if [[ -n $dpid && "$(cat "/proc/$dpid/comm" 2>/dev/null)" == dockerd ]]; then echo "$dpid" >"$PIDFILE"; pid=$dpid; fi
  fi
  log "dockerd $(dk version --format '{{.Server.Version}}') answers (pid $pid); started in $((SECONDS - t0)) s"
fi

# ---- bases for other JDKs (--jdk DIR): the JDK 17 base with DIR copied in, java/jshell first on PATH
extra_jdks() {
  local dir major tag ctx
  for dir in "${EXTRA_JDKS[@]}"; do
    [[ -x $dir/bin/java && -x $dir/bin/jshell ]] || die "--jdk $dir: no bin/java and bin/jshell there (give a JDK's home)"
    major="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$dir/release" 2>/dev/null)"
    [[ -n $major ]] || major="$("$dir/bin/java" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p')"
    [[ -n $major ]] || die "--jdk $dir: cannot tell its major version"
    tag="ferry/base:${SUITE}-jdk${major}"
    if dk image inspect "$tag" >/dev/null 2>&1 && [[ $REBUILD == 0 ]]; then
      log "base image $tag present"
      continue
    fi
    local t0=$SECONDS
    ctx="$(mktemp -d /tmp/ferry-jdk-ctx.XXXXXX)"
    cp -a "$dir" "$ctx/jdk"
    printf 'FROM %s
COPY jdk /opt/jdk-%s
ENV JAVA_HOME=/opt/jdk-%s PATH=/opt/jdk-%s/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LABEL dev.ferry=base
' \
      "$BASE_IMAGE" "$major" "$major" "$major" >"$ctx/Dockerfile"
    if ! dk build -q --network none -t "$tag" "$ctx" >/dev/null 2>"$ctx.log"; then
      cat "$ctx.log" >&2; rm -rf "$ctx" "$ctx.log"; die "could not build $tag"
    fi
    rm -rf "$ctx" "$ctx.log"
    dk run --rm --network none "$tag" jshell --version >/dev/null 2>&1 || die "$tag does not run jshell"
    log "base image $tag built in $((SECONDS - t0)) s from $dir"
  done
}

# ---- the base image
if image_exists && [[ $REBUILD == 0 ]]; then
  log "base image $BASE_IMAGE present ($(dk image ls --format '{{.Size}}' "$BASE_IMAGE" | head -1))"
  extra_jdks
  log "done in $((SECONDS - T_ALL)) s"
  exit 0
fi

# Enabled `deb` entries of this machine's apt sources, one "URI SUITE" per line
# (one-line .list format and deb822 .sources format).
apt_entries() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -r $f ]] || continue
    awk '/^[[:space:]]*deb[[:space:]]/ {
           sub(/^[[:space:]]*deb[[:space:]]+/, "")
           if ($0 ~ /^\[/) sub(/^\[[^]]*\][[:space:]]*/, "")
           print $1, $2 }' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -r $f ]] || continue
    awk 'function flush(  i, j) {
           if (deb && enabled) for (i = 1; i <= nu; i++) for (j = 1; j <= ns; j++) print u[i], s[j]
           deb = 0; enabled = 1; nu = 0; ns = 0; key = "" }
         BEGIN { enabled = 1 }
         /^[[:space:]]*#/ { next }
         /^[[:space:]]*$/ { flush(); next }
         /^[[:space:]]/ {               # continuation line of the previous field
           if (key == "uris") { n = split($0, x, " "); for (k = 1; k <= n; k++) u[++nu] = x[k] }
           if (key == "suites") { n = split($0, x, " "); for (k = 1; k <= n; k++) s[++ns] = x[k] }
           next }
         match($0, /^[A-Za-z-]+:/) {
           key = tolower(substr($0, 1, RLENGTH - 1)); val = substr($0, RLENGTH + 1)
           if (key == "types") deb = (val ~ /(^|[[:space:]])deb([[:space:]]|$)/)
           else if (key == "uris") nu = split(val, u, " ")
           else if (key == "suites") ns = split(val, s, " ")
           else if (key == "enabled") enabled = (val !~ /no/) }
         END { flush() }' "$f"
  done
}

ENTRIES="$(apt_entries | grep -E '^https?://' | sed -E 's#^([^ ]*[^/ ])/* #\1 #' || true)"
MIRROR="${FERRY_DEBIAN_MIRROR:-}"
if [[ -z $MIRROR ]]; then
  MIRROR="$(awk -v s="$SUITE" '$2 == s { print $1; exit }' <<<"$ENTRIES")"
fi
if [[ -z $MIRROR ]]; then   # a machine on another release: any Debian mirror it uses
  MIRROR="$(awk '$1 ~ /\/debian$/ { print $1; exit }' <<<"$ENTRIES")"
fi
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
MIRROR="${MIRROR%/}"
SECURITY="$(awk -v s="$SUITE-security" '$2 == s { print $1; exit }' <<<"$ENTRIES")"
UPDATES=0
awk -v s="$SUITE-updates" -v m="$MIRROR" '$2 == s && $1 == m { f = 1 } END { exit !f }' <<<"$ENTRIES" && UPDATES=1

T_BASE=$SECONDS
log "building $BASE_IMAGE: debootstrap $SUITE from $MIRROR (cache: $DEBOOTSTRAP_CACHE)"
mkdir -p "$DEBOOTSTRAP_CACHE"
WORK="$(mktemp -d "${TMPDIR:-/var/tmp}/ferry-base.XXXXXX")"
ROOTFS="$WORK/rootfs"
cleanup() {
  # anything debootstrap left mounted inside the rootfs (proc, sys, dev binds), deepest first
  awk -v r="$ROOTFS" 'index($2, r "/") == 1 { print $2 }' /proc/mounts | sort -r \
    | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  rm -rf --one-file-system "$WORK"
}
trap cleanup EXIT

if ! debootstrap --variant=minbase --include="openjdk-${JDK}-jdk-headless,ca-certificates" \
      --cache-dir="$DEBOOTSTRAP_CACHE" "$SUITE" "$ROOTFS" "$MIRROR" >"$WORK/debootstrap.log" 2>&1; then
  echo "docker: ERROR: debootstrap failed; last lines of its log:" >&2
  tail -n 30 "$WORK/debootstrap.log" | sed 's/^/    /' >&2
  [[ -f $ROOTFS/debootstrap/debootstrap.log ]] && tail -n 30 "$ROOTFS/debootstrap/debootstrap.log" | sed 's/^/    /' >&2
  exit 1
fi
T_DEBOOTSTRAP=$((SECONDS - T_BASE))
JDK_DEB="$(dpkg-query --admindir="$ROOTFS/var/lib/dpkg" -W -f='${Version}' "openjdk-${JDK}-jdk-headless")"
log "debootstrap done in $T_DEBOOTSTRAP s (openjdk-${JDK}-jdk-headless $JDK_DEB)"

# Slim down, then make apt usable for `docker build --network host` (RUN apt-get update && apt-get install ...).
rm -f "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/cache/apt/archives/partial/* "$ROOTFS"/var/cache/apt/*.bin
rm -rf "$ROOTFS"/var/lib/apt/lists/*
mkdir -p "$ROOTFS/var/lib/apt/lists/partial"
rm -rf "$ROOTFS/debootstrap"
rm -f "$ROOTFS"/etc/apt/sources.list.d/*
{
  echo "deb $MIRROR $SUITE main"
  [[ $UPDATES == 1 ]] && echo "deb $MIRROR $SUITE-updates main"
  [[ -n $SECURITY ]] && echo "deb $SECURITY $SUITE-security main"
  true
} >"$ROOTFS/etc/apt/sources.list"
# Carry over the host's settings that make its mirror work (proxy, no Valid-Until check on a snapshot).
apt-config dump 2>/dev/null \
  | grep -E '^Acquire::((https?)::Proxy|Check-Valid-Until|Check-Date) ' >"$ROOTFS/etc/apt/apt.conf.d/90ferry-mirror" || true
[[ -s $ROOTFS/etc/apt/apt.conf.d/90ferry-mirror ]] || rm -f "$ROOTFS/etc/apt/apt.conf.d/90ferry-mirror"
# As in Debian's official images: services never start during `apt-get install` in a build.
printf '#!/bin/sh\nexit 101\n' >"$ROOTFS/usr/sbin/policy-rc.d"
chmod 755 "$ROOTFS/usr/sbin/policy-rc.d"
: >"$ROOTFS/etc/hostname"    # docker mounts its own hostname, hosts and resolv.conf
# java.util.prefs (the jshell tool's settings) would log "Created user preferences directory" on first use.
mkdir -p "$ROOTFS/root/.java/.userPrefs" "$ROOTFS/etc/.java/.systemPrefs"

OLD_ID="$(dk image inspect --format '{{.Id}}' "$BASE_IMAGE" 2>/dev/null || true)"
t0=$SECONDS
tar --numeric-owner -C "$ROOTFS" -c . \
  | dk import \
      -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      -c 'ENV LANG=C.UTF-8' \
      -c 'CMD ["/bin/bash"]' \
      -m "debootstrap $SUITE minbase + openjdk-${JDK}-jdk-headless $JDK_DEB from $MIRROR (install/docker.sh)" \
      - "$BASE_IMAGE" >/dev/null
T_IMPORT=$((SECONDS - t0))
cleanup
trap - EXIT

if ! JV="$(dk run --rm --network none "$BASE_IMAGE" java -version 2>&1)" \
   || ! SV="$(dk run --rm --network none "$BASE_IMAGE" jshell --version 2>&1)"; then
  dk rmi "$BASE_IMAGE" >/dev/null 2>&1 || true
  die "the new $BASE_IMAGE does not run java/jshell (removed it):"$'\n'"${JV:-}"$'\n'"${SV:-}"
fi
if [[ -n $OLD_ID && $OLD_ID != "$(dk image inspect --format '{{.Id}}' "$BASE_IMAGE")" ]]; then
  dk rmi "$OLD_ID" >/dev/null 2>&1 || log "kept the previous base image $OLD_ID (still in use)"
fi
log "in the image: $(grep -m1 'Runtime Environment' <<<"$JV" || head -n1 <<<"$JV"); $SV"
log "base image $BASE_IMAGE built in $((SECONDS - T_BASE)) s (debootstrap $T_DEBOOTSTRAP s, import $T_IMPORT s)," \
    "$(dk image ls --format '{{.Size}}' "$BASE_IMAGE" | head -1)"
extra_jdks
log "done in $((SECONDS - T_ALL)) s"
