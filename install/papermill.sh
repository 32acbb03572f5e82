#!/usr/bin/env bash
# Installs papermill-ferry (papermill-ferry/ in this repository: papermill's translator for Java notebooks) into
# the Python that has papermill, from this checkout: no network. Called by install/install.sh; see docs/papermill.md.
#
#   install/papermill.sh                  find a Python that imports papermill; if none does, say so and exit 0
#   install/papermill.sh --python PATH    that Python (it must import papermill)
set -euo pipefail

usage() { sed -n '2,7s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
log() { echo "papermill.sh: $*" >&2; }
die() { echo "papermill.sh: ERROR: $*" >&2; exit 1; }

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PKG="$REPO/papermill-ferry"
PY=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --python)   [[ $# -ge 2 && -n "$2" ]] || die "flag --python needs a value"; PY="$2"; shift ;;
    --python=*) PY="${1#*=}" ;;
    -h|--help)  usage; exit 0 ;;
    *)          echo "papermill.sh: unknown flag '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
[[ -f "$PKG/pyproject.toml" ]] || die "$PKG/pyproject.toml is missing"

has_papermill() { "$1" -c 'import papermill' >/dev/null 2>&1; }

if [[ -n "$PY" ]]; then
  [[ "$PY" == */* ]] || PY="$(command -v "$PY")" || die "--python: '$PY' not found on PATH"
  [[ -x "$PY" ]] || die "--python: '$PY' is not an executable"
  has_papermill "$PY" || die "$PY cannot import papermill: install papermill into it first, or name the Python that has it"
else
  # papermill's own interpreter (from its #! line) first, then the usual Pythons
  CANDIDATES=()
  if PM="$(command -v papermill 2>/dev/null)"; then
    CANDIDATES+=("$(sed -n '1s/^#![[:space:]]*//p' "$PM" | awk '{print $1}')")
  fi
  CANDIDATES+=("$(command -v python3 2>/dev/null || true)" /usr/bin/python3 "$(command -v python 2>/dev/null || true)")
  for c in "${CANDIDATES[@]}"; do
    if [[ -n "$c" && -x "$c" ]] && has_papermill "$c"; then PY="$c"; break; fi
  done
  if [[ -z "$PY" ]]; then
    log "info: no Python with papermill found; skipped papermill-ferry (install/papermill.sh --python PATH later)"
    exit 0
  fi
fi

# Where papermill lives decides where papermill-ferry goes: its site-packages (a venv, the system, the user's),
# or the folder on PYTHONPATH it was installed into with `pip install --target`.
read -r WHERE DIR < <("$PY" - <<'PY'
import os, site, sys, papermill
d = os.path.dirname(os.path.dirname(os.path.abspath(papermill.__file__)))
user = site.getusersitepackages() if site.ENABLE_USER_SITE else None
sites = [os.path.abspath(p) for p in site.getsitepackages()]
if user and os.path.abspath(user) == d:
    print("user", d)
elif d in sites:
    print("venv" if sys.prefix != sys.base_prefix else "system", d)
else:
    print("target", d)
PY
)
"$PY" -m pip --version >/dev/null 2>&1 || die "$PY has no pip: install it (Debian: apt-get install python3-pip)"
"$PY" -c 'import setuptools' 2>/dev/null \
  || die "$PY has no setuptools, which builds papermill-ferry without a network: $PY -m pip install setuptools"

ARGS=(install --no-deps --no-build-isolation --no-index -q)
case "$WHERE" in
  user)   ARGS+=(--user) ;;
  target) ARGS+=(--target "$DIR" --upgrade) ;;
esac
if [[ "$WHERE" != venv ]] && compgen -G "$("$PY" -c 'import sysconfig; print(sysconfig.get_path("stdlib"))')/EXTERNALLY-MANAGED" >/dev/null; then
  ARGS+=(--break-system-packages)   # only papermill-ferry, with no dependencies, beside a papermill installed by hand
fi
if [[ "$WHERE" == system && ! -w "$DIR" ]]; then
  die "papermill is in $DIR, which this user cannot write: run as root, or use a venv"
fi

# setuptools builds in the source folder: build in a copy, so the checkout stays clean
WORK="$(mktemp -d "${TMPDIR:-/tmp}/papermill-ferry.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
cp -r "$PKG/." "$WORK/src-copy"
if ! PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore PYTHONWARNINGS=ignore \
     "$PY" -m pip "${ARGS[@]}" "$WORK/src-copy" >"$WORK/pip.log" 2>&1; then
  cat "$WORK/pip.log" >&2
  die "pip could not install papermill-ferry into $PY ($WHERE: $DIR)"
fi
PYTHONPATH="$([[ $WHERE == target ]] && echo "$DIR")${PYTHONPATH:+:$PYTHONPATH}" "$PY" - <<'PY' \
  || die "papermill-ferry installed, but papermill does not load it (see above)"
import papermill.translators as t, papermill.engines as e
assert "ferry" in e.papermill_engines._engines, "papermill did not load the papermill.engine entry point 'ferry'"
assert t.papermill_translators.find_translator("ferry", "java").__name__ == "JavaTranslator"
PY
echo "Installed papermill-ferry for papermill in $PY ($DIR): papermill now runs Java notebooks with typed parameters"
