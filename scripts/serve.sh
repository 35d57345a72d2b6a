#!/usr/bin/env bash
# The first README command: install what is needed, build everything, serve the app.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
scripts/build.sh
ADDR="${ADDR:-127.0.0.1:8080}"
printf '\033[1m[serve]\033[0m open http://%s/ in a browser\n' "$ADDR"
exec ./target/release/powerlist serve --dir www --addr "$ADDR"
