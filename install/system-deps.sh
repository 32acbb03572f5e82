#!/usr/bin/env bash
# Installs the system packages Ferry needs to build, install and test (Debian 12).
# Idempotent: apt is skipped when everything is already there, and `apt-get update` runs at most once.
#
#   install/system-deps.sh              build + notebook/console tooling
#   install/system-deps.sh --browser    also Chromium, playwright-core (tests/browser) and a JupyterLab venv
#
# Environment:
#   FERRY_LAB_VENV           where the JupyterLab venv goes (default ~/.cache/ferry/lab-venv)
#   FERRY_APT_LOCK_TIMEOUT   seconds to wait for another apt/dpkg to finish (default 900)
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: install/system-deps.sh [--browser]
  --browser   also install chromium + chromium-driver, npm packages in tests/browser/,
              and a JupyterLab virtualenv at ${FERRY_LAB_VENV:-~/.cache/ferry/lab-venv}
USAGE
}

BROWSER=0
for arg in "$@"; do
  case "$arg" in
    --browser) BROWSER=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "system-deps.sh: unknown flag '$arg'" >&2; usage >&2; exit 2 ;;
  esac
done

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LAB_VENV="${FERRY_LAB_VENV:-$HOME/.cache/ferry/lab-venv}"
LOCK_TIMEOUT="${FERRY_APT_LOCK_TIMEOUT:-900}"
log() { echo "system-deps: $*" >&2; }
die() { echo "system-deps: ERROR: $*" >&2; exit 1; }
# shellcheck source=install/lib/apt.sh
source "$REPO/install/lib/apt.sh"   # installed, apt_get

# ---------------------------------------------------------------- Debian packages
PKGS=(jupyter-client jupyter-nbconvert python3-nbclient python3-nbconvert python3-nbformat
      jupyter-console python3-zmq python3-pytest python3-pexpect)
# papermill's dependencies (papermill itself is not packaged for Debian 12: the tests install it from
# ../shared/vendor, see tests/python/test_papermill.py and docs/papermill.md)
PKGS+=(python3-click python3-yaml python3-tqdm python3-requests python3-entrypoints python3-tenacity)
# the tests build papermill and papermill-ferry offline: pip with no build isolation uses these
PKGS+=(python3-pip python3-setuptools python3-wheel)
# the remote engine over TLS of tests/python/test_remote_tls.py (install/docker-tls-test-engine.sh)
PKGS+=(iproute2 openssl util-linux)
# train/: the fortunes text the char GPT pretrains on (/usr/share/games/fortunes; dev.ferry.train.Fortunes)
PKGS+=(fortunes-min)
command -v mvn >/dev/null 2>&1 || PKGS+=(maven)
command -v javac >/dev/null 2>&1 || PKGS+=(openjdk-17-jdk-headless)
if [[ $BROWSER == 1 ]]; then
  PKGS+=(chromium chromium-driver python3-venv)
  command -v npm >/dev/null 2>&1 || PKGS+=(npm)
fi


MISSING=()
for p in "${PKGS[@]}"; do installed "$p" || MISSING+=("$p"); done

SUDO=()
if [[ ${#MISSING[@]} -gt 0 && $EUID -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || die "need root (or sudo) to install: ${MISSING[*]}"
  SUDO=(sudo)
fi


if [[ ${#MISSING[@]} -eq 0 ]]; then
  log "Debian packages already installed"
else
  log "installing: ${MISSING[*]}"
  apt_get update -q
  apt_get install -y -q --no-install-recommends "${MISSING[@]}"
fi

/usr/bin/python3 -c 'import jupyter_client, nbclient, nbconvert, nbformat, zmq, pytest, pexpect, click, yaml, tqdm, requests, entrypoints, tenacity' \
  || die "/usr/bin/python3 cannot import the Jupyter/pytest modules that were just installed"
[[ -x /usr/bin/jupyter ]] || die "/usr/bin/jupyter is missing after installing jupyter-client"

[[ $BROWSER == 1 ]] || exit 0

# ---------------------------------------------------------------- npm: playwright-core
BROWSER_DIR="$REPO/tests/browser"
[[ -f "$BROWSER_DIR/package.json" ]] || die "$BROWSER_DIR/package.json is missing"
if (cd "$BROWSER_DIR" && node -e '
    const want = require("./package.json").dependencies["playwright-core"];
    const have = require("./node_modules/playwright-core/package.json").version;
    process.exit(want === have ? 0 : 1);' 2>/dev/null); then
  log "tests/browser: node_modules up to date"
else
  log "tests/browser: installing npm packages"
  if [[ -f "$BROWSER_DIR/package-lock.json" ]]; then
    (cd "$BROWSER_DIR" && npm ci --no-audit --no-fund)
  else
    (cd "$BROWSER_DIR" && npm install --no-audit --no-fund)
  fi
fi

# ---------------------------------------------------------------- JupyterLab venv
if [[ -x "$LAB_VENV/bin/jupyter-lab" ]] && "$LAB_VENV/bin/python" -c 'import jupyterlab' 2>/dev/null; then
  log "JupyterLab venv ready at $LAB_VENV"
  exit 0
fi
log "creating JupyterLab venv at $LAB_VENV"
mkdir -p "$(dirname "$LAB_VENV")"
/usr/bin/python3 -m venv "$LAB_VENV"
# One retry only: where pip has a local index beside an unreachable default one, pip's default
# 5 retries with backoff cost ~8 s per package (JupyterLab pulls ~90).
PIP=("$LAB_VENV/bin/pip" --disable-pip-version-check --retries 1 --timeout 30)
# pip asks its default index (PyPI) before the configured extra ones, and where PyPI is out of reach urllib3
# prints a "Retrying ... NewConnectionError" warning for every package (dozens for JupyterLab, -qq or not).
# When pip has extra indexes and no index of its own is set, and PyPI does not answer, use those indexes only.
if [[ -z "${PIP_INDEX_URL:-}" ]] && ! (cd / && "$LAB_VENV/bin/pip" config list 2>/dev/null) | grep -q '^[^=]*[.]index-url='; then
  EXTRA="${PIP_EXTRA_INDEX_URL:-$( (cd / && "$LAB_VENV/bin/pip" config list 2>/dev/null) \
          | sed -n "s/^[^=]*[.]extra-index-url='\(.*\)'\$/\1/p" | head -n 1)}"
  if [[ -n "$EXTRA" ]] && ! "$LAB_VENV/bin/python" -c \
       'import urllib.request; urllib.request.urlopen("https://pypi.org/simple/", timeout=5)' >/dev/null 2>&1; then
    read -r -a INDEXES <<<"$EXTRA"
    export PIP_INDEX_URL="${INDEXES[0]}" PIP_EXTRA_INDEX_URL="${INDEXES[*]:1}"
  fi
fi
if ! timeout 300 "${PIP[@]}" index versions jupyterlab >/dev/null 2>&1; then
  cat >&2 <<MSG
system-deps: ERROR: no Python package index that serves 'jupyterlab' is reachable from pip.
  JupyterLab is not packaged for Debian 12, so the browser tests need it from a pip index.
  pip's configuration (pip config list):
$(cd / && "$LAB_VENV/bin/pip" config list 2>/dev/null | sed 's/^/    /')
  Fix: give pip an index (PyPI, or a mirror via PIP_INDEX_URL / pip.conf), or point
  FERRY_LAB_VENV at an existing virtualenv that already has jupyterlab installed.
MSG
  exit 3
fi
"${PIP[@]}" install -qq jupyterlab
"$LAB_VENV/bin/python" -c 'import jupyterlab' || die "jupyterlab did not install into $LAB_VENV"
log "JupyterLab $("$LAB_VENV/bin/jupyter-lab" --version) ready at $LAB_VENV"
