#!/usr/bin/env bash
# Builds the CLI, the wasm module (www/pkg) and the sample index (www/catalog.idx) from data/,
# then precompresses www (FILE.br, FILE.gz).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
say() { printf '\033[1m[build]\033[0m %s\n' "$*"; }
say "building the powerlist CLI (release)…"
cargo build --release --locked -p powerlist-cli --bin powerlist
say "building the wasm module…"
cargo build --locked --profile wasm --target wasm32-unknown-unknown -p powerlist-wasm --lib
rm -rf www/pkg
wasm-bindgen --target web --remove-name-section --remove-producers-section \
  --out-dir www/pkg --out-name powerlist target/wasm32-unknown-unknown/wasm/powerlist_wasm.wasm
# The version the page expects of the module (checked by www/loader.js): the same build.
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
printf '// Written by scripts/build.sh: the powerlist version this page was built with.\nexport const VERSION = "%s";\n' "$version" > www/pkg/build-info.js
say "compiling the sample catalog in data/ into www/catalog.idx…"
./target/release/powerlist build data -o www/catalog.idx
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
# Last, once everything in www/ is written (a step that writes there goes above this one):
# FILE.br and FILE.gz beside every file worth compressing, which `powerlist serve` (or nginx's
# brotli_static / gzip_static) sends to browsers that accept them. Kept when up to date.
say "precompressing www (FILE.br, FILE.gz)…"
./target/release/powerlist compress www
