#!/usr/bin/env bash
# Builds the CLI, the wasm module (www/pkg) and the sample index (www/catalog.idx) from data/,
# then lists www/ in www/files.json for the service worker and precompresses it (FILE.br, FILE.gz).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
say() { printf '\033[1m[build]\033[0m %s\n' "$*"; }
say "building the powerlist CLI (release)…"
cargo build --release --locked -p powerlist-cli --bin powerlist
# Two modules from one crate: www/pkg/ (search, items, regions: what a citizen's pages load) and
# www/pkg/admin/ (the same with the `maintainer` feature: stats, diff, amendment, overlaps,
# localList, devolved), which the page fetches only when a maintainer view is first opened.
wasm=target/wasm32-unknown-unknown/wasm/powerlist_wasm.wasm
# wasm-opt -O3 after wasm-bindgen: the citizen module 1.4 KiB (brotli) smaller and its searches'
# p99 a fifth lower (the features: what rustc enables for wasm32 by default). Not
# --one-caller-inline-max-function-size 20 or 80 (a function called from one place inlined only
# when small): 2.8 KB (brotli) smaller, but search() p50 in benches/node 0.085 → 0.106 ms and
# searchIds()+item() 0.056 → 0.068 ms (2026-12-08 00:10–00:15 UTC, load ≤ 1.1).
# --low-memory-unused (0.8 KiB smaller): no valid address is below 1024. rustc puts the 1 MiB
# stack first, growing down to 0, so only a stack within 1 KiB of overflowing would be there.
wasm_opt=scripts/wasm-opt/node_modules/binaryen/bin/wasm-opt
[ -f "$wasm_opt" ] || { echo "wasm-opt is missing: run scripts/setup.sh build" >&2; exit 1; }
rm -rf www/pkg
for module in citizen admin; do
  say "building the wasm module ($module)…"
  if [ "$module" = admin ]; then features=(--features maintainer); out=www/pkg/admin; else features=(); out=www/pkg; fi
  cargo build --locked --profile wasm --target wasm32-unknown-unknown -p powerlist-wasm --lib "${features[@]}"
  wasm-bindgen --target web --remove-name-section --remove-producers-section \
    --out-dir "$out" --out-name powerlist "$wasm"
  node "$wasm_opt" -O3 --low-memory-unused --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$out/powerlist_bg.wasm" -o "$out/powerlist_bg.wasm"
done
# The version the page expects of the module (checked by www/loader.js): the same build.
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
printf '// Written by scripts/build.sh: the powerlist version this page was built with.\nexport const VERSION = "%s";\n' "$version" > www/pkg/build-info.js
# The app's page script and every module it imports, in one minified file (the first visit
# downloads one request of 17 KiB instead of eleven of 31); the modules stay as they are for
# the embed, the list page and the npm package (scripts/bundle.sh says what is left out).
say "bundling the app's page script into www/app.min.js (esbuild)…"
scripts/bundle.sh www
say "compiling the sample catalog in data/ into www/catalog.idx and its chunked form www/catalog/…"
./target/release/powerlist build data -o www/catalog.idx --web www/catalog
# The previous version of the sample (data/history/, written by data/tools/previous.py): the
# page offers "what changed since" it, fetching previous.idx only when asked. versions.json
# tells the page, cheaply, which version the current index is and which one it can compare with.
prev=$(ls -d data/history/*/ 2>/dev/null | sort -V | tail -n 1)
if [ -n "$prev" ]; then
  say "compiling the previous version in $prev into www/previous.idx…"
  ./target/release/powerlist build "$prev" -o www/previous.idx
  field() { sed -n "s/^$1:[[:space:]]*//p" "$2" | head -n 1; }
  tmp=$(mktemp www/.versions.json.XXXXXX)
  printf '{"current": "%s", "previous": {"version": "%s", "date": "%s", "index": "previous.idx"}}\n' \
    "$(field version data/catalog.txt)" "$(field version "$prev/catalog.txt")" "$(field date "$prev/catalog.txt")" > "$tmp"
  chmod 644 "$tmp" && mv "$tmp" www/versions.json
else
  rm -f www/previous.idx www/versions.json
fi
# The last step over www/'s contents: the service worker copies the files this lists for offline
# use and compares its build digest to notice a new deploy (powerlist manifest --help). Anything
# that adds or changes a file in www/ goes above this line.
say "listing www/ in www/files.json (sizes, content hashes, build digest)…"
./target/release/powerlist manifest www
# compress runs after the manifest (precompressed .br/.gz copies are not listed in it).
# Last, once everything in www/ is written (a step that writes there goes above this one):
# FILE.br and FILE.gz beside every file worth compressing, which `powerlist serve` (or nginx's
# brotli_static / gzip_static) sends to browsers that accept them. Kept when up to date.
say "precompressing www (FILE.br, FILE.gz)…"
./target/release/powerlist compress www
