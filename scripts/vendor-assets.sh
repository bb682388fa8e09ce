#!/bin/sh
# Copies the pinned front-end files zhifa serves from its own origin (no CDN: the pages work
# offline and under a Content-Security-Policy without external sources) out of the npm packages
# that package.json pins and package-lock.json checks by integrity hash.
#   swagger-ui-dist → zhifa/core/static/vendor/swagger-ui/ (the /api/docs page)
#   echarts → zhifa/core/static/vendor/echarts/ (the supervision cockpit's charts)
set -e
cd "$(dirname "$0")/.."
if ! command -v npm >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "Installing npm (Debian/Ubuntu) for the vendored front-end files ..."
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm
  else
    echo "zhifa needs npm to vendor Swagger UI (see package.json); install Node.js and npm." >&2
    exit 2
  fi
fi
# --ignore-scripts: nothing of the packages runs here (swagger-ui-dist's dependency would send
# install telemetry); only files are copied.
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
DEST=zhifa/core/static/vendor/swagger-ui
mkdir -p "$DEST"
# The style sheet names its source map, which collectstatic's manifest must find beside it.
for f in swagger-ui-bundle.js swagger-ui.css swagger-ui.css.map LICENSE NOTICE; do
  cp node_modules/swagger-ui-dist/$f "$DEST/$f"
done
DEST=zhifa/core/static/vendor/echarts
mkdir -p "$DEST"
# The common build (bar, line, pie and their components) is all the cockpit draws.
for f in dist/echarts.common.min.js LICENSE NOTICE; do
  cp node_modules/echarts/$f "$DEST/$(basename $f)"
done
