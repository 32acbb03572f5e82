#!/usr/bin/env bash
# A second Docker engine, reachable only over TLS on an address inside a network namespace: the "remote GPU
# box" of Ferry's tests (tests/python/test_remote_tls.py), on this machine.
#
#   install/docker-tls-test-engine.sh start     make the netns, the veth pair, the certificates, start the
#                                               engine, load the base image into it; prints the settings a
#                                               client needs (DOCKER_HOST=..., one per line)
#   install/docker-tls-test-engine.sh stop      stop the engine, remove the netns, the veth pair, the
#                                               certificates, its data and exec roots
#   install/docker-tls-test-engine.sh status    exit 0 when the engine answers over TLS
#   install/docker-tls-test-engine.sh env       print the settings (as start does) without starting anything
#
# Idempotent: start leaves an engine that answers alone (and only loads the image when it is missing), stop
# removes whatever is left of a previous run. Root only.
#
# Layout (addresses from 198.18.0.0/15, the benchmark range, never a private one):
#   netns ferry-tls; veth ferry-tls0 (here, 198.18.0.1/30) <-> ferry-tls1 (in the netns, 198.18.0.2/30)
#   dockerd in the netns: -H tcp://198.18.0.2:2376 --tlsverify (client certificates required) and
#   -H unix:///run/ferry-tls-engine/docker.sock (for the tests' own checks), --bridge=none --iptables=false,
#   its own --data-root, --exec-root and --pidfile
#   certificates (openssl): a CA, a server certificate with IP:198.18.0.2 as its SAN, a client certificate;
#   DOCKER_CERT_PATH folders client/ (ca.pem, cert.pem, key.pem) and wrong-ca/ (the same client certificate
#   but the ca.pem of another CA: the engine's certificate does not verify against it)
#
# Environment:
#   FERRY_TLS_ENGINE_IMAGES  images copied from the local engine (default ferry/base:bookworm-jdk17)
set -euo pipefail

CMD="${1:-start}"
NS=ferry-tls
VETH_HOST=ferry-tls0
VETH_NS=ferry-tls1
ADDR_HOST=198.18.0.1
ADDR_NS=198.18.0.2
PORT=2376
STATE=/run/ferry-tls-engine
DATA=/var/lib/ferry-tls-engine
CERTS=$STATE/certs
SOCK=$STATE/docker.sock
PIDFILE=$STATE/dockerd.pid
LOG=/tmp/ferry-tls-dockerd.log
LOCAL_SOCK=/var/run/docker.sock
IMAGES="${FERRY_TLS_ENGINE_IMAGES:-ferry/base:bookworm-jdk17}"
READY_TIMEOUT=60
log() { echo "docker-tls-test-engine: $*" >&2; }
die() { echo "docker-tls-test-engine: ERROR: $*" >&2; exit 1; }

print_env() {
  echo "DOCKER_HOST=tcp://$ADDR_NS:$PORT"
  echo "DOCKER_TLS_VERIFY=1"
  echo "DOCKER_CERT_PATH=$CERTS/client"
  echo "FERRY_TLS_ENGINE_WRONG_CA=$CERTS/wrong-ca"
  echo "FERRY_TLS_ENGINE_SOCKET=unix://$SOCK"
}

case "$CMD" in
  start|stop|status|env) ;;
  -h|--help) sed -n '2,26p' "${BASH_SOURCE[0]}"; exit 0 ;;
  *) die "unknown command '$CMD' (start, stop, status or env)" ;;
esac
if [[ $CMD == env ]]; then print_env; exit 0; fi
[[ $EUID -eq 0 ]] || die "'$CMD' needs root (it makes a network namespace and runs dockerd)"
command -v ip >/dev/null || die "no 'ip' command (apt-get install iproute2)"
command -v nsenter >/dev/null || die "no 'nsenter' command (apt-get install util-linux)"

tls_answers() {
  timeout 10 docker -H "tcp://$ADDR_NS:$PORT" --tlsverify --tlscacert "$CERTS/client/ca.pem" \
    --tlscert "$CERTS/client/cert.pem" --tlskey "$CERTS/client/key.pem" version >/dev/null 2>&1
}
our_pid() {
  local pid
  [[ -r $PIDFILE ]] || return 1
  pid="$(tr -dc '0-9' <"$PIDFILE")"
  [[ -n $pid && -d /proc/$pid && "$(cat "/proc/$pid/comm" 2>/dev/null)" == dockerd ]] || return 1
  echo "$pid"
}

stop_engine() {
  local pid i
  if pid="$(our_pid)"; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 40; i++)); do [[ -d /proc/$pid ]] || break; sleep 0.5; done
    if [[ -d /proc/$pid ]]; then log "dockerd $pid did not stop in 20 s; killing it"; kill -KILL "$pid" || true; sleep 1; fi
  fi
  # what the engine left mounted under its roots (containers' layers, its netns/default bind mount)
  { grep -oE " ($DATA|$STATE)(/[^ ]*)?" /proc/self/mounts 2>/dev/null || true; } | sort -r | while read -r m; do
    umount -l "$m" 2>/dev/null || true
  done
  rm -rf "$DATA"
  ip link del "$VETH_HOST" 2>/dev/null || true
  ip netns del "$NS" 2>/dev/null || true
  rm -rf "$STATE"
}

if [[ $CMD == stop ]]; then stop_engine; log "stopped (netns $NS, veth $VETH_HOST and $DATA removed)"; exit 0; fi
if [[ $CMD == status ]]; then
  if tls_answers; then echo "answers at tcp://$ADDR_NS:$PORT (TLS)"; exit 0; fi
  echo "no engine answers at tcp://$ADDR_NS:$PORT"; exit 1
fi

# ---------------------------------------------------------------- start
command -v openssl >/dev/null || die "no 'openssl' command (apt-get install openssl)"
command -v dockerd >/dev/null || die "no dockerd (run install/docker.sh start)"
if [[ -f $CERTS/client/ca.pem ]] && tls_answers; then
  log "already answers at tcp://$ADDR_NS:$PORT"
else
  stop_engine  # whatever a previous run left
  mkdir -p "$CERTS" "$DATA"
  chmod 700 "$STATE"

  # ---- certificates
  (
    cd "$CERTS"
    ossl() { openssl "$@" 2>/dev/null || { openssl "$@"; exit 1; }; }
    for ca in ca other-ca; do
      ossl req -x509 -newkey rsa:2048 -nodes -days 2 -sha256 -keyout "$ca-key.pem" -out "$ca.pem" \
        -subj "/CN=Ferry test $ca"
    done
    ossl req -newkey rsa:2048 -nodes -sha256 -keyout server-key.pem -out server.csr -subj "/CN=$ADDR_NS"
    printf 'subjectAltName=IP:%s\nextendedKeyUsage=serverAuth\n' "$ADDR_NS" >server.ext
    ossl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 -sha256 \
      -extfile server.ext -out server-cert.pem
    ossl req -newkey rsa:2048 -nodes -sha256 -keyout client-key.pem -out client.csr -subj "/CN=ferry-client"
    printf 'extendedKeyUsage=clientAuth\n' >client.ext
    ossl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 -sha256 \
      -extfile client.ext -out client-cert.pem
    for d in client wrong-ca; do
      mkdir -p "$d"
      cp client-cert.pem "$d/cert.pem"
      cp client-key.pem "$d/key.pem"
    done
    cp ca.pem client/ca.pem
    cp other-ca.pem wrong-ca/ca.pem
    rm -f ./*.csr ./*.ext ./*.srl ca-key.pem other-ca-key.pem
  )

  # ---- network namespace and veth pair
  ip netns add "$NS"
  ip link add "$VETH_HOST" type veth peer name "$VETH_NS"
  ip link set "$VETH_NS" netns "$NS"
  ip addr add "$ADDR_HOST/30" dev "$VETH_HOST"
  ip link set "$VETH_HOST" up
  ip netns exec "$NS" ip addr add "$ADDR_NS/30" dev "$VETH_NS"
  ip netns exec "$NS" ip link set "$VETH_NS" up
  ip netns exec "$NS" ip link set lo up

  # ---- the engine
  [[ -f $LOG ]] && mv -f "$LOG" "$LOG.1"
  # nsenter --net, not `ip netns exec`: that one also remounts /sys, and dockerd would find no cgroups there
  nsenter --net="/run/netns/$NS" setsid dockerd \
    --data-root "$DATA" --exec-root "$STATE/exec" --pidfile "$PIDFILE" \
    -H "unix://$SOCK" -H "tcp://$ADDR_NS:$PORT" \
    --tlsverify --tlscacert "$CERTS/ca.pem" --tlscert "$CERTS/server-cert.pem" --tlskey "$CERTS/server-key.pem" \
    --bridge=none --iptables=false --ip-forward=false --ip-masq=false \
    </dev/null >"$LOG" 2>&1 &
  launched=$!
  for ((i = 0; i < READY_TIMEOUT * 2; i++)); do
    tls_answers && break
    [[ -d /proc/$launched ]] || break  # it gave up
    sleep 0.5
  done
  tls_answers || { tail -20 "$LOG" >&2; stop_engine; die "the engine did not answer over TLS within ${READY_TIMEOUT}s (log: $LOG)"; }
  log "answers at tcp://$ADDR_NS:$PORT (pid $(our_pid), log $LOG)"
fi

# ---- the images, from the local engine
for img in $IMAGES; do
  if docker -H "unix://$SOCK" image inspect "$img" >/dev/null 2>&1; then continue; fi
  docker -H "unix://$LOCAL_SOCK" image inspect "$img" >/dev/null 2>&1 \
    || die "the local engine has no $img to copy (run install/docker.sh start)"
  log "copying $img from the local engine"
  docker -H "unix://$LOCAL_SOCK" save "$img" | docker -H "unix://$SOCK" load >/dev/null
done
print_env
