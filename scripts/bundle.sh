#!/usr/bin/env bash
# Bundles DIR/app.js and every module it imports into DIR/app.min.js (minified), leaving out
# the maintainer's module (loaded on demand), pkg/build-info.js (the version the page checks
# the module against), and the modules no first answer waits for, which the page imports as they
# are when first needed: charts.js (the home view's charts, drawn after its search box) and
# offline.js (the offline copy, started after the first answer) — 1.7 KiB (brotli) less before
# the first answer. (changes.js stays in: it shares loader.js with the page.) And the search worker
# (search-worker.js, the wasm module's glue included, pkg/build-info.js left out) into
# DIR/search-worker.min.js, which app.js names: one request before the module and the index are
# asked for. scripts/build.sh runs it on www/; the page tests on copies of the site.
#   scripts/bundle.sh DIR
set -euo pipefail
dir=${1:?usage: scripts/bundle.sh DIR}
esbuild="$(dirname "$0")/wasm-opt/node_modules/.bin/esbuild"
[ -x "$esbuild" ] || { echo "esbuild is missing: run scripts/setup.sh build" >&2; exit 1; }
"$esbuild" "$dir/app.js" --bundle --format=esm --minify --legal-comments=none \
  --external:./pkg/admin/* --external:./pkg/build-info.js \
  --external:./charts.js --external:./offline.js \
  --outfile="$dir/app.min.js" --log-level=warning
"$esbuild" "$dir/search-worker.js" --bundle --format=esm --minify --legal-comments=none \
  --external:./pkg/build-info.js \
  --outfile="$dir/search-worker.min.js" --log-level=warning
