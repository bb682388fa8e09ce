#!/bin/sh
# Installs the Debian/Ubuntu packages zhifa needs when they are missing:
# - python3-venv: Debian ships venv and ensurepip in a separate package;
# - fonts-noto-cjk: the Chinese fonts embedded in every generated document (执法文书);
# - libpango-1.0-0, libpangoft2-1.0-0: the text layout libraries WeasyPrint renders PDFs with;
# - libharfbuzz-subset0: subsets the large CJK fonts in milliseconds (fontTools takes seconds);
# - poppler-utils: pdfsig, pdffonts and pdftotext, which the tests use to check the PDFs.
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

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
UPDATED=""

apt_install() {
  if [ -z "$UPDATED" ]; then
    $SUDO apt-get update -qq
    UPDATED=1
  fi
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

has_apt() {
  command -v apt-get >/dev/null 2>&1 && command -v dpkg >/dev/null 2>&1
}

# ── Python venv ──
if ! "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  ver=$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
  if has_apt; then
    echo "Installing python3-venv python${ver}-venv (Debian/Ubuntu) ..."
    # python3.X-venv may not exist as a separate package on every release; try both.
    apt_install python3-venv "python${ver}-venv" || apt_install python3-venv
  else
    echo "Python's venv module is missing; install your distribution's python3-venv package." >&2
    exit 2
  fi
fi

# ── document generation (WeasyPrint, CJK fonts) and the PDF tools the tests use ──
if has_apt; then
  missing=""
  for pkg in fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils; do
    if ! dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed'; then
      missing="$missing $pkg"
    fi
  done
  if [ -n "$missing" ]; then
    echo "Installing$missing (Debian/Ubuntu) ..."
    # shellcheck disable=SC2086 # one word per package
    apt_install $missing
  fi
else
  for lib in pango pangoft2; do
    if ! ldconfig -p 2>/dev/null | grep -q "lib$lib-1.0"; then
      echo "Note: WeasyPrint needs Pango (lib$lib-1.0); install it with your distribution's packages." >&2
    fi
  done
  if command -v fc-list >/dev/null 2>&1 && ! fc-list :lang=zh 2>/dev/null | grep -q "Noto Serif CJK"; then
    echo "Note: documents embed the Noto Serif/Sans CJK SC fonts; install them (e.g. google-noto-cjk fonts)." >&2
  fi
fi
