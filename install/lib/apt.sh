# shellcheck shell=bash
# Sourced by install/*.sh: Debian package helpers. The caller defines log() and LOCK_TIMEOUT (seconds), and
# may set SUDO=(sudo) when it is not root.

# Whether a Debian package is installed.
installed() { [[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null)" == "ii "* ]]; }

# apt-get with a wait for the dpkg/apt locks held by another process (e.g. unattended upgrades).
# DPkg::Lock::Timeout covers dpkg's lock; `apt-get update` takes the lists lock without waiting,
# so a lock failure is retried here until LOCK_TIMEOUT.
apt_get() {
  local deadline=$((SECONDS + LOCK_TIMEOUT)) out rc
  out="$(mktemp)"
  while :; do
    set +e
    ${SUDO[@]+"${SUDO[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=60 "$@" 2>&1 | tee "$out"
    rc=${PIPESTATUS[0]}
    set -e
    if [[ $rc -eq 0 ]]; then rm -f "$out"; return 0; fi
    if grep -qiE 'could not get lock|unable to acquire|unable to lock' "$out" && ((SECONDS < deadline)); then
      log "apt/dpkg is locked by another process; retrying in 10 s (gives up after ${LOCK_TIMEOUT}s)"
      sleep 10
      continue
    fi
    rm -f "$out"
    return "$rc"
  done
}
