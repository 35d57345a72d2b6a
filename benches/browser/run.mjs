// What a user waits for, in Chromium at a phone viewport: bytes on the wire before the first
// answer (first and repeat visit, service-worker requests included) and the time to the first
// answer, unthrottled and on a slow line — powerlist's real app against MiniSearch, FlexSearch,
// Fuse.js and Pagefind, in one run.
//   node run.mjs [--sizes sample,10k] [--engines powerlist,pagefind] [--servers bench,powerlist]
//                [--reps 3] [--prepare]
// Servers: `bench` is lib/static-server.mjs (precompressed br/gzip, ETag + 304, no-cache), what
// `powerlist serve` is being taught to do; `powerlist` is `powerlist serve` as this commit has it.
// Writes benches/results/browser.json (one entry per server; a server not measured keeps its
// previous entry) and regenerates the browser block in BENCHMARKS.md.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTask } from '../node/lib/child.mjs';
import { sh } from '../node/lib/shell.mjs';
import { engine } from '../node/engines/index.mjs';
import { HERE, OUT, ROOT } from './lib/files.mjs';
import { firstAndRepeat, launch, PHONE, slowVisit } from './lib/measure.mjs';
import { startProxy } from './lib/proxy.mjs';
import { buildSite } from './lib/sites.mjs';
import { startStaticServer } from './lib/static-server.mjs';
import { writeReport } from './report.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const sizes = arg('sizes', 'sample,10k').split(',');
const engineNames = arg('engines', 'powerlist,minisearch,flexsearch,fuse,pagefind').split(',');
const servers = arg('servers', 'bench,powerlist').split(',');
const reps = Number(arg('reps', 3));
const prepareMissing = process.argv.includes('--prepare');
if (servers.some((s) => !['bench', 'powerlist'].includes(s))) throw new Error('--servers bench,powerlist');

/** "Slow 4G" / "Fast 3G"-like: 1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip. */
export const SLOW_LINE = { downKbps: 1600, upKbps: 750, rttMs: 150 };
/** The queries: the first is also the slow-line query. powerlist's page gets the region too. */
export const QUERIES = [
  { kind: 'zh', q: '占道经营' },
  { kind: 'code', q: 'CG-CF-014' },
  { kind: 'pinyin', q: 'zhandao' },
];
const CODE_ITEM = '对擅自占用城市道路的行政处罚'; // CG-CF-014 in the sample

/** The queries at a size: synthetic catalogs number their items differently (CG-CF-0000019). */
function queriesFor(size) {
  if (size === 'sample') return QUERIES;
  const docs = JSON.parse(fs.readFileSync(path.join(ROOT, 'target/bench', size, 'docs.json'), 'utf8'));
  const code = (docs.find((d) => d.name === CODE_ITEM) || docs[0]).code;
  return QUERIES.map((x) => (x.kind === 'code' ? { ...x, q: code } : x));
}
const REGION = '321281123'; // 戴南镇 in the sample catalog
const CLI = path.join(ROOT, 'target/release/powerlist');

const log = (...a) => console.error(`[browser ${new Date().toISOString().slice(11, 19)}]`, ...a);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : null;
};
const version = (dir, p) => JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', p, 'package.json'), 'utf8')).version;

/** The engines: benches/node's adapters for powerlist and the JS peers; Pagefind is ours. */
async function engines() {
  return Promise.all(engineNames.map((n) => (n === 'pagefind' ? { name: 'pagefind', file: 'pagefind' } : engine(n))));
}

/**
 * The size's catalog, index and serialized peer indexes, from benches/node's worker (cached
 * there). A size other than the sample is measured only when benches/node made its catalog
 * (or with --prepare).
 */
async function ensureData(size, list) {
  // benches/node's cache of compressed sizes: its `prepare` measures them, we do not need them again.
  process.env.BENCH_SIZE_CACHE ||= path.join(ROOT, 'target/bench/sizes-cache.json');
  const catalog = size === 'sample' ? path.join(ROOT, 'data') : path.join(ROOT, 'target/bench', size, 'catalog');
  if (!fs.existsSync(path.join(catalog, 'items.csv')) && !prepareMissing) return `no catalog in ${path.relative(ROOT, catalog)} (make bench-quick makes it; or pass --prepare)`;
  const cat = await runTask(['catalog', size], { timeoutS: 3600, heapMb: 16384 });
  if (!cat.ok) return `catalog: ${cat.error}`;
  for (const e of list.filter((x) => x.variants?.index)) {
    const r = await runTask(['prepare', size, e.file], { timeoutS: 600, heapMb: 16384 });
    if (!r.ok) return `${e.name} prepare: ${r.error}`;
  }
  return null;
}

/** `powerlist serve` on a free port: { host, port, close() }. */
async function startPowerlistServe(dir) {
  const proc = spawn(CLI, ['serve', '--dir', dir, '--addr', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/([^/\s]+)\//);
      if (m) resolve(new URL(m[0]));
    });
    proc.on('exit', (code) => reject(new Error(`powerlist serve exited ${code}`)));
  });
  return { host: url.hostname, port: Number(url.port), close: async () => { proc.kill(); } };
}

/** Does this CLI have `powerlist compress` (precompressed files for `powerlist serve`)? */
const cliCompresses = () => /^\s+compress\b/m.test(sh(`${CLI} --help`) || '');

function pageUrl(base, e, q, size) {
  const query = new URLSearchParams({ q });
  if (e.name === 'powerlist') {
    const regions = size === 'sample' ? path.join(ROOT, 'data/regions.csv') : path.join(ROOT, 'target/bench', size, 'catalog/regions.csv');
    if (fs.existsSync(regions) && fs.readFileSync(regions, 'utf8').includes(`\n${REGION},`)) query.set('region', REGION);
  }
  return `${base}${e.name}/index.html?${query}`;
}

async function measureSize(size, list, browser, server) {
  const site = buildSite(size, list, server === 'bench' ? 'bench' : cliCompresses() ? 'powerlist' : null);
  const origin = server === 'bench' ? await startStaticServer(site.dir) : await startPowerlistServe(site.dir);
  const proxy = await startProxy(origin);
  const base = `http://127.0.0.1:${proxy.port}/`;
  const queries = queriesFor(size);
  const out = { queries, pagefind: site.pagefind, engines: {} };
  try {
    for (const e of list) {
      const r = (out.engines[e.name] = { queries: {} });
      for (const { kind, q } of queries) {
        log(`${server} ${size} ${e.name} ${kind} "${q}": first and repeat visit…`);
        const shot = path.join(OUT, `${server}-${size}-${e.name}-${kind}.png`);
        r.queries[kind] = { q, url: pageUrl('/', e, q, size), ...(await firstAndRepeat(browser, pageUrl(base, e, q, size), proxy, shot)) };
      }
    }
    // Slow-line runs: every engine once per round, so a slow minute of the machine is shared.
    for (let i = 0; i < reps; i++) {
      for (const e of list) {
        log(`${server} ${size} ${e.name}: slow line, run ${i + 1}/${reps}…`);
        const slow = (out.engines[e.name].slow ||= { q: queries[0].q, runs: [] });
        const r = await slowVisit(browser, pageUrl(base, e, queries[0].q, size), proxy, SLOW_LINE);
        if (r.error) slow.errors = [...(slow.errors || []), r.error];
        else slow.runs.push(r);
      }
    }
    for (const r of Object.values(out.engines)) {
      r.slow.ms = median(r.slow.runs.map((x) => x.ms));
      r.slow.bytes = median(r.slow.runs.map((x) => x.bytes));
    }
  } finally {
    await proxy.close();
    await origin.close();
  }
  // What the server really sent: whether `powerlist serve` compresses yet.
  out.encodings = [...new Set(proxy.log.filter((x) => x.status === 200).map((x) => x.encoding))].sort();
  return out;
}

function machine(browserVersion) {
  const cpu = /model name\s*:\s*(.*)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
  const wasm = path.join(ROOT, 'www/pkg/powerlist_bg.wasm');
  return {
    nproc: os.cpus().length,
    cpu: cpu ? cpu[1].trim() : os.cpus()[0]?.model,
    kernel: os.release(),
    node: process.version,
    chromium: browserVersion,
    versions: {
      'playwright-core': version(HERE, 'playwright-core'),
      pagefind: version(HERE, 'pagefind'),
      minisearch: version(path.join(ROOT, 'benches/node'), 'minisearch'),
      flexsearch: version(path.join(ROOT, 'benches/node'), 'flexsearch'),
      'fuse.js': version(path.join(ROOT, 'benches/node'), 'fuse.js'),
    },
    wasmSha256: crypto.createHash('sha256').update(fs.readFileSync(wasm)).digest('hex').slice(0, 16),
    commit: sh(`git -C ${ROOT} rev-parse --short HEAD`),
    dirty: Boolean(sh(`git -C ${ROOT} status --porcelain -- src crates www`)),
    date: new Date().toISOString(),
  };
}

/** The stored results, with this run's servers replaced. */
function merge(file, run) {
  const old = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  return { runs: { ...(old.runs || {}), ...run } };
}

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  const list = await engines();
  const browser = await launch();
  const started = Date.now();
  const run = Object.fromEntries(servers.map((server) => [server, { server, machine: machine(browser.version()), line: SLOW_LINE, phone: PHONE, reps, queries: QUERIES, loadavg: { start: os.loadavg() }, sizes: {} }]));
  try {
    for (const size of sizes) {
      const missing = await ensureData(size, list);
      for (const server of servers) {
        if (missing) {
          log(`${size}: skipped — ${missing}`);
          run[server].sizes[size] = { skipped: missing };
          continue;
        }
        const t = Date.now();
        run[server].sizes[size] = await measureSize(size, list, browser, server);
        run[server].sizes[size].seconds = (Date.now() - t) / 1000;
        run[server].loadavg.end = os.loadavg();
      }
    }
  } finally {
    await browser.close();
  }
  for (const r of Object.values(run)) r.seconds = (Date.now() - started) / 1000;
  const file = path.join(ROOT, 'benches/results/browser.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(merge(file, run), null, 1)}\n`);
  writeReport();
  log(`wrote ${path.relative(ROOT, file)} and BENCHMARKS.md in ${((Date.now() - started) / 1000).toFixed(0)} s; screenshots in ${path.relative(ROOT, OUT)}/`);
}

await main();
