// Measuring helpers: clocks, percentiles, memory, compressed sizes.
import crypto from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';

export const now = () => performance.now();

/** Nearest-rank percentile of a list of numbers (p in 0..100). */
export function percentile(xs, p) {
  if (!xs.length) return null;
  const s = Float64Array.from(xs).sort();
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length - 1, Math.max(0, rank - 1))];
}

export const median = (xs) => percentile(xs, 50);
export const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** Runs the GC until the heap stops shrinking (needs node --expose-gc). */
export function fullGc() {
  if (!globalThis.gc) throw new Error('run node with --expose-gc');
  let prev = Infinity;
  for (let i = 0; i < 6; i++) {
    globalThis.gc();
    const h = process.memoryUsage().heapUsed;
    if (h >= prev - 1024) break;
    prev = h;
  }
}

/**
 * Memory the process holds for JavaScript. `external` is memory outside the V8 heap (Buffers,
 * ArrayBuffers, WebAssembly memories) and already includes `arrayBuffers`, so `total` =
 * heapUsed + external counts every byte once (adding arrayBuffers again would count it twice).
 */
export function memory() {
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, rss: m.rss, total: m.heapUsed + m.external };
}

export function memoryDelta(before, after) {
  const d = {};
  for (const k of Object.keys(before)) d[k] = after[k] - before[k];
  return d;
}

// Brotli at quality 11 runs at well under 1 MB/s: code is measured at 11, data files at the
// size's quality (lib/catalog.mjs SIZES). Results are cached by content hash, so re-runs do not
// pay for it again.
const cacheFile = process.env.BENCH_SIZE_CACHE;
let cache = null;

/** Bytes a browser downloads for `buf`: raw, gzip -9 and brotli at `quality`. */
export function sizes(buf, quality = 11) {
  if (cache === null) cache = cacheFile && fs.existsSync(cacheFile) ? JSON.parse(fs.readFileSync(cacheFile, 'utf8')) : {};
  const key = `${crypto.createHash('sha256').update(buf).digest('hex')}:q${quality}`;
  if (!cache[key]) {
    const gzip = zlib.gzipSync(buf, { level: 9 }).length;
    const brotli = zlib.brotliCompressSync(buf, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: quality,
        [zlib.constants.BROTLI_PARAM_LGWIN]: 24,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length,
      },
    }).length;
    cache[key] = { raw: buf.length, gzip, brotli, brotliQuality: quality };
    if (cacheFile) fs.writeFileSync(cacheFile, JSON.stringify(cache));
  }
  return cache[key];
}
