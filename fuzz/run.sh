#!/usr/bin/env bash
# Runs every fuzz target for SECONDS seconds each (default 600), seeded from fuzz/seeds/.
# Needs the nightly toolchain and cargo-fuzz (cargo install cargo-fuzz).
# Crashes land in fuzz/artifacts/<target>/; turn each into a regression test in tests/.
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-600}"
for t in index_bytes index_checksummed catalog_csv catalog_xlsx query web_chunks amendment; do
  mkdir -p "corpus/$t"
  cp -n seeds/$t/* "corpus/$t/" 2>/dev/null || true
  echo "== $t for ${secs}s"
  cargo +nightly fuzz run "$t" "corpus/$t" -- -max_total_time="$secs" -max_len=65536 -rss_limit_mb=4096 2>&1 \
    | tee "run-$t.log" | grep -E "^#[0-9]+.*(DONE|pulse)|ERROR|panicked|SUMMARY" || true
done
