// Judge a labelled set through the CLI, as a person checking the issue would:
//   node judge.mjs [--set labelled-everyday.json] [--index ../../www/catalog.idx] [--misses]
// For each query: `powerlist search INDEX Q --json --limit 10`; precision@10 (relevant items in
// the top ten over min(10, relevant)) and hit@1 (the first hit is relevant), per kind and
// overall. `--misses` lists the queries whose first hit is wrong. No engine is tuned here: the
// side-by-side numbers for every engine come from `run.mjs`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const set = arg('set', 'labelled-everyday.json');
const index = path.resolve(arg('index', path.join(ROOT, 'www/catalog.idx')));
const bin = path.resolve(arg('bin', path.join(ROOT, 'target/release/powerlist')));
const { queries } = JSON.parse(fs.readFileSync(path.resolve(HERE, set), 'utf8'));

const search = (q) => {
  const out = execFileSync(bin, ['search', index, q, '--json', '--limit', '10'], { encoding: 'utf8' });
  return JSON.parse(out);
};
const byKind = {};
const misses = [];
for (const { q, kind = 'all', relevant } of queries) {
  const r = search(q);
  const top = r.hits.map((h) => h.code);
  const rel = new Set(relevant);
  // A query about something the catalog lacks (no relevant item) is right when no item
  // matches it whole (items matching part of it may follow, marked as such).
  const p = relevant.length ? top.filter((c) => rel.has(c)).length / Math.min(10, relevant.length) : r.strict === 0 ? 1 : 0;
  const h1 = relevant.length ? (rel.has(top[0]) ? 1 : 0) : p;
  for (const k of [kind, 'overall']) (byKind[k] ||= []).push({ p, h1 });
  if (!h1 || p < 1) misses.push({ q, kind, p: p.toFixed(2), h1, top: top.slice(0, 3).join(' '), want: relevant.slice(0, 3).join(' '), how: r.kind + (r.relaxed ? ' relaxed' : '') });
}
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
console.log(`${set} through ${path.relative(ROOT, bin)} on ${path.relative(ROOT, index)}`);
console.log('kind        n   precision@10  hit@1');
for (const [k, xs] of Object.entries(byKind)) {
  console.log(`${k.padEnd(10)} ${String(xs.length).padStart(3)}   ${mean(xs.map((x) => x.p)).toFixed(3).padStart(12)}  ${(100 * mean(xs.map((x) => x.h1))).toFixed(0).padStart(4)} %`);
}
if (process.argv.includes('--misses')) for (const m of misses) console.log(JSON.stringify(m));
