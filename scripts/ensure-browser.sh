#!/bin/sh
# The portal's end-to-end test drives the system Chromium through Playwright (DESIGN §3.9);
# installs Debian/Ubuntu's chromium when it is missing. Only `make test` needs it.
set -e
command -v chromium >/dev/null 2>&1 && exit 0
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "Installing chromium for the browser tests (Debian/Ubuntu) ..."
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
else
  echo "Note: the browser tests need Chromium (set ZHIFA_CHROMIUM to its path); they are skipped without it." >&2
fi
