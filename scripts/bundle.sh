#!/usr/bin/env bash
# Bundles DIR/app.js and every module it imports into DIR/app.min.js (minified), leaving out
# the maintainer's module (loaded on demand) and pkg/build-info.js (the version the page checks
# the module against). scripts/build.sh runs it on www/; the page tests on copies of the site.
#   scripts/bundle.sh DIR
set -euo pipefail
dir=${1:?usage: scripts/bundle.sh DIR}
esbuild="$(dirname "$0")/wasm-opt/node_modules/.bin/esbuild"
[ -x "$esbuild" ] || { echo "esbuild is missing: run scripts/setup.sh build" >&2; exit 1; }
"$esbuild" "$dir/app.js" --bundle --format=esm --minify --legal-comments=none \
  --external:./pkg/admin/* --external:./pkg/build-info.js \
  --outfile="$dir/app.min.js" --log-level=warning
