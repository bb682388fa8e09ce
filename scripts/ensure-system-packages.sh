#!/bin/sh
# Installs the Debian/Ubuntu packages zhifa needs when they are missing.
# Debian ships venv and ensurepip in a separate package (python3-venv).
set -e
PYTHON="${1:-python3}"
if ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "zhifa needs Python 3.11 or newer ($PYTHON not found)." >&2
  exit 2
fi
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || {
  echo "zhifa needs Python 3.11 or newer; $PYTHON is $("$PYTHON" -V 2>&1)." >&2
  exit 2
}
if "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  exit 0
fi
ver=$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
pkgs="python3-venv python${ver}-venv"
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "Installing $pkgs (Debian/Ubuntu) ..."
  $SUDO apt-get update -qq
  # python3.X-venv may not exist as a separate package on every release; try both.
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pkgs \
    || $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
else
  echo "Python's venv module is missing; install your distribution's python3-venv package." >&2
  exit 2
fi
