#!/usr/bin/env bash
# Installs what powerlist needs, idempotently. Usage: scripts/setup.sh [build|test]
#   build: the wasm target, wasm-bindgen CLI, Node.js and wasm-opt (npm binaryen, in
#          scripts/wasm-opt/) (to build and serve the app)
#   test:  also Chromium, ChromeDriver, a CJK font and the page-test npm packages
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-build}"
WASM_BINDGEN_VERSION=0.2.130
say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"

if ! command -v cargo >/dev/null; then
  say "installing Rust (rustup)…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rustup >/dev/null || true
  rustup default stable
fi
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target…"
  rustup target add wasm32-unknown-unknown
else
  say "wasm32-unknown-unknown target: present"
fi
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2 minutes, once)…"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
else
  say "wasm-bindgen $WASM_BINDGEN_VERSION: present"
fi

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  say "installing Node.js and npm…"
  apt_install nodejs npm
fi
# wasm-opt and esbuild for scripts/build.sh: Binaryen compiled to JavaScript and wasm, and
# esbuild (its binary is an npm package too); versions pinned by scripts/wasm-opt/package-lock.json.
npm_ci() {
  local dir=$1 what=$2 lock_hash
  lock_hash=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [ "$(cat "$dir/node_modules/.powerlist-lock" 2>/dev/null)" != "$lock_hash" ]; then
    say "installing $what (npm ci in $dir)…"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$lock_hash" > "$dir/node_modules/.powerlist-lock"
  else
    say "$what: present (package-lock.json unchanged)"
  fi
}
npm_ci scripts/wasm-opt "wasm-opt (binaryen) and esbuild"

if [ "$what" = test ]; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing Chromium and ChromeDriver (Debian packages)…"
    apt_install chromium chromium-driver
  else
    say "chromium and chromedriver: present"
  fi
  if ! fc-list 2>/dev/null | grep -qi 'wenquanyi\|noto sans cjk'; then
    say "installing a CJK font for screenshots…"
    apt_install fonts-wqy-microhei
  fi
  npm_ci tests/e2e "page-test packages"
fi
