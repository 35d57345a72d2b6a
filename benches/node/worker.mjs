// One measurement in a fresh process (spawned by run.mjs through lib/child.mjs):
//   catalog <size>                      synth/build the catalog, docs.json, queries.json
//   prepare <size> <engine>             build-time artifacts (serialized indexes) and byte sizes
//   load    <size> <engine> <variant>   cold: bytes in memory → first answered query; memory
//   query   <size> <engine> <variant> <mode> [latency]   latency over the query mix, recall,
//                                               precision@10 (with `latency`: latency only)
import fs from 'node:fs';
import path from 'node:path';
import { HERE, prepareCatalog, readDocsJson, SIZES, sizeDir } from './lib/catalog.mjs';
import { engine } from './engines/index.mjs';
import { fullGc, memory, memoryDelta, now, percentile, sizes, median, mean } from './lib/metrics.mjs';
import { LABELLED, labelled, queriesWithOracles, RECALL_LIMIT } from './lib/queries.mjs';

const argv = process.argv.slice(2);
const outAt = argv.indexOf('--out');
const outFile = argv[outAt + 1];
const [task, size, engineName, extra, queryMode, only] = argv.slice(0, outAt);

/** The first query every engine answers when timing a load. */
const FIRST_QUERY = '占道';
const TOP = 20;

const mtime = (f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : -1);

function readFiles(base, files) {
  return Object.fromEntries(files.map((f) => [path.basename(f), fs.readFileSync(path.resolve(base, f))]));
}

async function catalogTask() {
  const cat = prepareCatalog(size, { buildTimeoutS: Number(process.env.BENCH_BUILD_TIMEOUT || 3600) });
  const qfile = path.join(cat.dir, 'queries.json');
  const inputs = [cat.docs, path.join(HERE, 'lib/queries.mjs'), ...Object.values(LABELLED).map((f) => path.join(HERE, f))];
  if (mtime(qfile) < Math.max(...inputs.map(mtime))) {
    const docs = readDocsJson(cat.docs);
    const queries = queriesWithOracles(docs);
    const lab = size === 'sample' ? Object.fromEntries(Object.entries(LABELLED).map(([set, f]) => [set, labelled(docs, f)])) : null;
    fs.writeFileSync(qfile, JSON.stringify({ items: docs.length, queries, labelled: lab }));
  }
  const { items, queries } = JSON.parse(fs.readFileSync(qfile, 'utf8'));
  return { items, info: cat.info, idx: cat.idx, queries: queries.length };
}

async function prepareTask() {
  const e = await engine(engineName);
  const dir = sizeDir(size);
  const docsFile = path.join(dir, 'docs.json');
  const artifacts = Object.values(e.variants).flatMap((v) => v.files).filter((f) => f !== 'docs.json' && f !== 'powerlist.idx');
  const inputs = [docsFile, path.join(HERE, 'engines', `${e.file}.mjs`), path.join(HERE, 'engines/cjk.mjs'), path.join(HERE, 'engines/peers.mjs'), path.join(HERE, 'package-lock.json')];
  let prepareSeconds = null;
  const build = extra !== 'nobuild'; // after a failed build: only measure what exists
  if (build && artifacts.some((a) => mtime(path.join(dir, a)) < Math.max(...inputs.map(mtime)))) {
    for (const a of artifacts) fs.rmSync(path.join(dir, a), { force: true });
    const docs = readDocsJson(docsFile);
    const t = now();
    await e.prepare(dir, docs);
    prepareSeconds = (now() - t) / 1000;
  }
  const dataQuality = SIZES[size].brotli; // 11 would be ~10 % smaller for every engine alike
  const code = Object.fromEntries(e.codeFiles.map((f) => [path.basename(f), sizes(fs.readFileSync(path.resolve(HERE, f)), 11)]));
  const variants = {};
  for (const [v, { files, about }] of Object.entries(e.variants)) {
    const missing = files.filter((f) => !fs.existsSync(path.join(dir, f)));
    if (missing.length) {
      variants[v] = { about, error: `not built: ${missing.join(', ')}` };
      continue;
    }
    const data = Object.fromEntries(files.map((f) => [f, sizes(fs.readFileSync(path.join(dir, f)), dataQuality)]));
    variants[v] = { about, data };
  }
  const idx = path.join(dir, 'powerlist.idx');
  const sections = e.breakdown && fs.existsSync(idx) ? e.breakdown(fs.readFileSync(idx), sizes, dataQuality) : undefined;
  return { prepareSeconds, code, variants, sections };
}

async function loadTask() {
  const e = await engine(engineName);
  const dir = sizeDir(size);
  fullGc();
  const before = memory();
  let code = readFiles(HERE, e.codeFiles);
  let data = readFiles(dir, e.variants[extra].files);
  const phases = {};
  const t0 = now();
  let last = t0;
  const mark = (name) => {
    const t = now();
    phases[name] = (phases[name] || 0) + (t - last);
    last = t;
  };
  const inst = await e.load(extra, code, data, mark);
  const hits = Object.values(inst.apis)[0](FIRST_QUERY, TOP);
  mark('first search');
  const ms = now() - t0;
  if (!hits.length || typeof hits[0].name !== 'string' || typeof hits[0].code !== 'string') {
    throw new Error(`${e.name}: the first query gave no objects with name and code`);
  }
  code = data = null;
  fullGc();
  const after = memory();
  globalThis.keep = inst; // stays reachable until the measurement is taken
  return { ms, phases, memory: memoryDelta(before, after) };
}

/**
 * Latency of `fn` over the mix: a warm-up, then up to 3 rounds, stopping when `budgetMs` is
 * spent (a slow engine may time only part of one round; `n` says how many queries were timed).
 */
function latency(fn, queries, budgetMs) {
  const byKind = {};
  const all = [];
  let bad = 0;
  for (const { q } of queries.slice(0, 10)) fn(q, TOP); // warm-up
  const start = now();
  outer: for (let round = 0; round < 3; round++) {
    for (const { q, kind } of queries) {
      if (now() - start > budgetMs) break outer;
      const t = now();
      const hits = fn(q, TOP);
      for (const h of hits) if (typeof h.name !== 'string' || typeof h.code !== 'string') bad++;
      const dt = now() - t;
      all.push(dt);
      (byKind[kind === 'pyi' ? 'py' : kind] ||= []).push(dt);
    }
  }
  const kinds = Object.fromEntries(Object.entries(byKind).map(([k, xs]) => [k, { p50: percentile(xs, 50), p99: percentile(xs, 99), n: xs.length }]));
  return { p50: percentile(all, 50), p99: percentile(all, 99), n: all.length, rounds: all.length / queries.length, kinds, badHits: bad };
}

function quality(inst, queries, lab, budgetMs) {
  const recall = {};
  const start = now();
  let skipped = 0;
  for (const { q, kind, oracle } of queries) {
    if (!oracle) { skipped++; continue; }
    if (now() - start > budgetMs) break;
    const got = new Set(inst.ids(q, RECALL_LIMIT));
    let found = 0;
    for (const id of oracle) if (got.has(id)) found++;
    (recall[kind === 'pyi' ? 'py' : kind] ||= []).push(found / oracle.length);
  }
  const out = { recall: {}, recallSkipped: skipped, recallLimit: RECALL_LIMIT, recallTimedOut: now() - start > budgetMs };
  for (const [k, xs] of Object.entries(recall)) out.recall[k] = { mean: mean(xs), n: xs.length };
  if (lab) {
    const search = Object.values(inst.apis)[0];
    // precision@10 (relevant in the top ten over min(10, relevant)) and hit@1, per kind. A
    // query about what the catalog lacks (no relevant item) counts only when the engine says
    // which hits match it whole (powerlist's `strict`): then it is right when none does.
    const precision = (set) => {
      const per = set.filter((x) => x.relevant.length || inst.strict).map(({ q, relevant, kind }) => {
        const top = search(q, 10).map((h) => h.code);
        const rel = new Set(relevant);
        const p = relevant.length ? top.filter((c) => rel.has(c)).length / Math.min(10, relevant.length) : inst.strict(q) === 0 ? 1 : 0;
        const hit1 = relevant.length ? (rel.has(top[0]) ? 1 : 0) : p;
        return { q, kind, p, hit1, top };
      });
      const kinds = {};
      for (const x of per) (kinds[x.kind] ||= []).push(x);
      const sum = (xs) => ({ mean: mean(xs.map((x) => x.p)), hit1: mean(xs.map((x) => x.hit1)), n: xs.length });
      return { ...sum(per), kinds: Object.fromEntries(Object.entries(kinds).map(([k, xs]) => [k, sum(xs)])), per };
    };
    out.precisionAt10 = precision(lab.tuning);
    out.precisionAt10Heldout = precision(lab.heldout);
    out.labelled = Object.fromEntries(Object.keys(lab).map((set) => [set, precision(lab[set])]));
  }
  return out;
}

async function queryTask() {
  const e = await engine(engineName);
  const dir = sizeDir(size);
  const budget = queryMode === 'full' ? 60_000 : 3_000; // per API; quality gets twice as long
  const { queries, labelled: lab } = JSON.parse(fs.readFileSync(path.join(dir, 'queries.json'), 'utf8'));
  const variant = extra; // any variant answers alike; run.mjs picks the quickest to load
  const inst = await e.load(variant, readFiles(HERE, e.codeFiles), readFiles(dir, e.variants[variant].files), () => {});
  const lat = {};
  for (const [api, fn] of Object.entries(inst.apis)) lat[api] = latency(fn, queries, budget);
  if (only === 'latency') return { variant, latency: lat };
  return { variant, latency: lat, ...quality(inst, queries, lab, budget * 2), version: inst.version };
}

const tasks = { catalog: catalogTask, prepare: prepareTask, load: loadTask, query: queryTask };
const result = await tasks[task]();
fs.writeFileSync(outFile, JSON.stringify(result));
process.exit(0);
