#!/usr/bin/env bash
# Packs the npm package "powerlist" into target/npm/: the wasm module (ES module, .wasm, .d.ts)
# and the <power-search> custom element with the modules and stylesheet it uses.
# Run after scripts/build.sh. Then `cd target/npm && npm pack` (or `npm publish`).
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\033[1m[package]\033[0m %s\n' "$*"; }

if [ ! -f www/pkg/powerlist.js ] || [ ! -f www/pkg/powerlist_bg.wasm ] || [ ! -f www/pkg/admin/powerlist_bg.wasm ]; then
  echo "www/pkg/ is missing: run scripts/build.sh first" >&2
  exit 1
fi
command -v node >/dev/null || { echo "node is needed to write package.json" >&2; exit 1; }

out=target/npm
rm -rf "$out"
mkdir -p "$out/pkg/admin"
cp www/pkg/powerlist.js www/pkg/build-info.js www/pkg/powerlist_bg.wasm www/pkg/powerlist.d.ts www/pkg/powerlist_bg.wasm.d.ts "$out/pkg/"
# The maintainer module (stats, diff, overlaps, localList, devolved): the element's item page
# imports it (admin-loader.js) when the reader asks for an item's possible overlaps.
cp www/pkg/admin/powerlist.js www/pkg/admin/powerlist_bg.wasm www/pkg/admin/powerlist.d.ts www/pkg/admin/powerlist_bg.wasm.d.ts "$out/pkg/admin/"

# The element and every module it imports, found by following `from './x.js'` (the app-only
# modules — app.js, charts.js, url-state.js, offline.js — stay out). The stylesheet is loaded by
# URL (new URL('components.css', import.meta.url)), so it is listed by hand, and so is the search
# worker (search-worker.js).
todo=(power-search.js)
seen=" "
while [ ${#todo[@]} -gt 0 ]; do
  f=${todo[0]}
  todo=("${todo[@]:1}")
  case "$seen" in *" $f "*) continue ;; esac
  seen="$seen$f "
  cp "www/$f" "$out/$f"
  for dep in $(grep -oE "from '\./[a-z-]+\.js'" "www/$f" | sed -E "s/from '\.\/(.*)'/\1/"); do
    todo+=("$dep")
  done
done
cp www/components.css www/power-search.d.ts "$out/"
# The search worker: loader.js starts it by URL (new URL('./search-worker.js', import.meta.url),
# which bundlers emit as a worker), so no import names it.
cp www/search-worker.js "$out/"
cp www/EMBED.md "$out/README.md"

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)
license=$(sed -n 's/^license = "\(.*\)"$/\1/p' Cargo.toml | head -n1)
VERSION="$version" LICENSE_ID="$license" OUT="$out" node --input-type=module -e '
import { writeFileSync, readdirSync } from "node:fs";
const out = process.env.OUT;
const files = readdirSync(out).filter((f) => f !== "package.json");
const pkg = {
  name: "powerlist",
  version: process.env.VERSION,
  description: "Search a government power list (权力清单) in the browser: a WebAssembly search module and an embeddable <power-search> element.",
  license: process.env.LICENSE_ID,
  type: "module",
  main: "./pkg/powerlist.js",
  module: "./pkg/powerlist.js",
  types: "./pkg/powerlist.d.ts",
  exports: {
    ".": { types: "./pkg/powerlist.d.ts", default: "./pkg/powerlist.js" },
    "./admin": { types: "./pkg/admin/powerlist.d.ts", default: "./pkg/admin/powerlist.js" },
    "./power-search": { types: "./power-search.d.ts", default: "./power-search.js" },
    "./power-search.js": { types: "./power-search.d.ts", default: "./power-search.js" },
    "./components.css": "./components.css",
    "./powerlist_bg.wasm": "./pkg/powerlist_bg.wasm",
    "./admin/powerlist_bg.wasm": "./pkg/admin/powerlist_bg.wasm",
    "./package.json": "./package.json",
  },
  files: files.sort(),
  // Importing power-search.js registers the custom element.
  sideEffects: ["./power-search.js"],
  keywords: ["权力清单", "power list", "search", "wasm", "webassembly", "custom element", "fst"],
};
writeFileSync(`${out}/package.json`, JSON.stringify(pkg, null, 2) + "\n");
'
say "wrote $out/ (powerlist $version): $(cd "$out" && find . -type f | sort | tr '\n' ' ')"
