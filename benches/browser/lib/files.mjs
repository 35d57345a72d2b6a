// Paths of the browser benchmark, and writing files only when their content changes (so an
// unchanged file keeps its mtime, and what was built from it — .br/.gz, Pagefind's bundle —
// is not built again).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = path.resolve(HERE, '../..');
export const NODE_BENCH = path.join(ROOT, 'benches/node');
export const OUT = path.join(ROOT, 'target/bench/browser');

export function put(file, data) {
  const buf = Buffer.isBuffer(data) ? data : Buffer.from(data);
  if (fs.existsSync(file) && fs.readFileSync(file).equals(buf)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, buf);
}

export const copy = (from, to) => put(to, fs.readFileSync(from));
export const mtime = (f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : -1);
