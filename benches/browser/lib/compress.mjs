// Precompression of a site folder, as a server that sends `.br`/`.gz` by Accept-Encoding needs
// it: FILE.br (brotli 11 for code, 9 for data — the qualities benches/node reports) and FILE.gz
// (gzip -9) beside each file, only when smaller than the file, and only again when the file
// changed. Files that are gzip already (Pagefind's index chunks and fragments, which its
// script inflates itself) are left as they are.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const CODE = new Set(['.js', '.mjs', '.wasm', '.css', '.html', '.svg']);
const SKIP = new Set(['.br', '.gz', '.png', '.jpg', '.webp', '.woff2']);

/** Files under `dir`, except folders named in `skip` (Pagefind's item pages: never fetched). */
export function* walk(dir, skip = new Set(['items'])) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && !skip.has(e.name)) yield* walk(p, skip);
    else if (e.isFile()) yield p;
  }
}

const isGzip = (buf) => buf.length > 2 && buf[0] === 0x1f && buf[1] === 0x8b;
const fresh = (out, src) => fs.existsSync(out) && fs.statSync(out).mtimeMs >= fs.statSync(src).mtimeMs;

export function brotli(buf, quality) {
  return zlib.brotliCompressSync(buf, {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: quality, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length },
  });
}

/** Writes FILE.br / FILE.gz beside every compressible file under `dir`; returns how many were written. */
export function compressSite(dir) {
  let written = 0;
  for (const file of walk(dir)) {
    const ext = path.extname(file);
    if (SKIP.has(ext)) continue;
    const outs = [[`${file}.br`, (b) => brotli(b, CODE.has(ext) ? 11 : 9)], [`${file}.gz`, (b) => zlib.gzipSync(b, { level: 9 })]];
    if (outs.every(([out]) => fresh(out, file))) continue;
    const buf = fs.readFileSync(file);
    for (const [out, fn] of outs) {
      fs.rmSync(out, { force: true });
      if (isGzip(buf)) continue;
      const z = fn(buf);
      if (z.length < buf.length) {
        fs.writeFileSync(out, z);
        written++;
      }
    }
  }
  return written;
}
