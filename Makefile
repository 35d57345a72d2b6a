# Side-by-side benchmarks of the wasm module against FlexSearch, MiniSearch and Fuse.js
# (benches/node; results in benches/results/<mode>.json and the tables in BENCHMARKS.md).
#   make bench-quick   sample catalog + 10k items (a few minutes at most on 2 cores)
#   make bench         sample, 10k, 100k, 1M items and national (long: see BENCHMARKS.md)
#   make bench-national  only the national catalog (synth --national: 5.8 M assignments); the
#                        other sizes in benches/results/full.json stay as they are
#   make bench-browser in Chromium at a phone viewport (benches/browser): bytes on the wire and
#                      time to the first answer, also Pagefind; sample (+ 10k when benches/node
#                      made it); about 5 minutes for the sample, 20 more for 10k

.PHONY: bench bench-quick bench-national bench-browser

BENCH_RUN = node --max-old-space-size=16384 run.mjs

bench-quick:
	bash scripts/setup.sh build
	bash scripts/build.sh
	cd benches/node && npm ci --no-audit --no-fund --loglevel=error
	cd benches/node && $(BENCH_RUN) --mode quick

bench:
	bash scripts/setup.sh build
	bash scripts/build.sh
	cd benches/node && npm ci --no-audit --no-fund --loglevel=error
	cd benches/node && $(BENCH_RUN) --mode full

bench-national:
	bash scripts/setup.sh build
	bash scripts/build.sh
	cd benches/node && npm ci --no-audit --no-fund --loglevel=error
	cd benches/node && $(BENCH_RUN) --mode full --sizes national

# Chromium and a CJK font come from setup.sh test (Debian packages); benches/node makes the
# catalogs and the peers' serialized indexes the pages load.
bench-browser:
	bash scripts/setup.sh test
	bash scripts/build.sh
	cd benches/node && npm ci --no-audit --no-fund --loglevel=error
	cd benches/browser && npm ci --no-audit --no-fund --loglevel=error
	cd benches/browser && node run.mjs
