#!/usr/bin/env bash
# The second README command: install what the tests need, then run every test.
#   lints (fmt, clippy, docs) → native unit, integration and doc tests → wasm tests in headless
#   Chromium → build the app → page tests in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
say() { printf '\033[1m[test]\033[0m %s\n' "$*"; }

scripts/setup.sh test

say "cargo fmt --check"
cargo fmt --check
say "cargo clippy (all targets, warnings are errors)"
cargo clippy --locked --workspace --all-targets -- -D warnings
# Both browser modules: the citizen's (no features) and the maintainer's (--features maintainer).
cargo clippy --locked --target wasm32-unknown-unknown -p powerlist -p powerlist-wasm -- -D warnings
cargo clippy --locked --target wasm32-unknown-unknown -p powerlist-wasm --features maintainer -- -D warnings
say "the browser's crates depend on nothing of the build side (cargo tree on wasm32)"
if { cargo tree --locked --target wasm32-unknown-unknown -p powerlist-wasm -e normal --prefix none
     cargo tree --locked --target wasm32-unknown-unknown -p powerlist-wasm --features maintainer -e normal --prefix none
     cargo tree --locked --target wasm32-unknown-unknown -p powerlist --prefix none; } \
    | grep -E '^(powerlist-build|csv|calamine|zip|clap|pinyin|fast2s) '; then
  echo "a build-side crate is in the browser's dependency tree (above)"; exit 1
fi
say "fuzz targets compile (cargo check in fuzz/; run them with fuzz/run.sh)"
cargo check --locked --quiet --manifest-path fuzz/Cargo.toml
say "cargo doc (warnings are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc --locked --workspace --no-deps --quiet

say "native tests: unit, integration (CLI as a subprocess), properties, doc examples"
cargo test --locked

# Twice: the citizen's module, then the maintainer's (its own methods' tests run only there).
for features in "" "--features maintainer"; do
  say "wasm tests in headless Chromium (${features:-citizen module})"
  # shellcheck disable=SC2086 # no features, or one flag and its value
  CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_USE_BROWSER=1 \
    cargo test --locked --target wasm32-unknown-unknown -p powerlist-wasm $features --test wasm 2>&1 | tee target/wasm-test.log
  grep -q "^test result: ok\. [1-9][0-9]* passed" target/wasm-test.log \
    || { echo "wasm tests did not run in the browser (see above)"; exit 1; }
done

say "building the app (wasm module, sample index)"
scripts/build.sh

say "page tests (playwright-core + Debian Chromium); screenshots in tests/e2e/artifacts/"
cd tests/e2e && node --test
