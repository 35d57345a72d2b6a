// benches/results/browser.json → the block between <!-- BEGIN browser … --> and
// <!-- END browser --> in BENCHMARKS.md. Run alone (`node report.mjs`) to regenerate it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { B, T, X, table } from '../node/report.mjs';
import { ROOT } from './lib/files.mjs';

const FILE = path.join(ROOT, 'benches/results/browser.json');
const DOC = path.join(ROOT, 'BENCHMARKS.md');
const ORDER = ['powerlist', 'pagefind', 'minisearch', 'flexsearch', 'fuse.js'];
const SERVED = {
  bench: 'the bench\'s static server (`benches/browser/lib/static-server.mjs`): precompressed brotli (11 code, 9 data) or gzip by Accept-Encoding, strong ETag + 304, `Cache-Control: no-cache`',
  powerlist: '`powerlist serve` as built from this commit',
};

/** Seconds with one more digit than T gives past 10 s (12.9 s, not 13 s). */
const S = (ms) => (ms != null && ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : T(ms));
const engines = (size) => ORDER.filter((e) => size.engines[e]).map((e) => [e, size.engines[e]]);

/** The main table: first query, first visit, repeat visit, slow line. */
function mainTable(size, q) {
  return table(
    ['engine', 'first visit: bytes before answer', 'requests', 'answer, unthrottled', 'bytes once settled', 'repeat visit: bytes before answer', 'requests', 'answer', `slow line: answer (median of ${size.engines.powerlist?.slow?.runs.length ?? '?'})`, 'slow line: bytes before answer'],
    engines(size).map(([e, r]) => {
      const { first, repeat, error } = r.queries[q];
      if (error) return [e, `no answer: ${error}`, ...Array(8).fill('—')];
      return [e, `**${B(first.bytes)}**`, first.requests, T(first.ms), B(first.settledBytes), `**${B(repeat.bytes)}**`, repeat.requests, T(repeat.ms), `**${S(r.slow?.ms)}**`, B(r.slow?.bytes)];
    }),
  );
}

/** Every query: bytes and time of the first and the repeat visit, and what came first. */
function queryTable(size, queries) {
  const head = ['engine', ...queries.map(({ kind, q }) => `${kind} \`${q}\`: first · repeat`), 'first answer (zh / code / pinyin)'];
  return table(head, engines(size).map(([e, r]) => [
    e,
    ...queries.map(({ kind }) => {
      const { first, repeat, error } = r.queries[kind];
      return error ? 'no answer' : `${B(first.bytes)}, ${T(first.ms)} · ${B(repeat.bytes)}, ${T(repeat.ms)}`;
    }),
    queries.map(({ kind }) => r.queries[kind].first?.answer.code ?? '—').join(' / '),
  ]));
}

/** powerlist ÷ the best peer, per metric (lower is better for all of them). */
function ratioTable(size, q) {
  const metrics = [
    ['bytes before the first answer, first visit', (r) => r.queries[q].first?.bytes, B],
    ['bytes before the first answer, repeat visit', (r) => r.queries[q].repeat?.bytes, B],
    ['time to the first answer, slow line', (r) => r.slow?.ms, S],
    ['time to the first answer, unthrottled', (r) => r.queries[q].first?.ms, T],
    ['bytes once settled, first visit', (r) => r.queries[q].first?.settledBytes, B],
  ];
  const me = size.engines.powerlist;
  const peers = engines(size).filter(([e]) => e !== 'powerlist');
  if (!me || !peers.length) return '';
  return table(['metric', 'powerlist', 'best peer', 'powerlist ÷ best peer'], metrics.map(([label, get, fmt]) => {
    const [who, best] = peers.map(([e, r]) => [e, get(r)]).filter(([, x]) => x != null).sort((a, b) => a[1] - b[1])[0] || [];
    return [label, fmt(get(me)), best == null ? '—' : `${fmt(best)} (${who})`, best ? X(get(me) / best) : '—'];
  }));
}

function sizeSection(name, size, run) {
  if (size.skipped) return `#### ${name}\n\nNot measured: ${size.skipped}`;
  const queries = size.queries || run.queries;
  const q = queries[0].kind;
  const pf = size.pagefind?.pages ? ` Pagefind indexed ${size.pagefind.pages} pages in ${size.pagefind.seconds.toFixed(1)} s.` : '';
  return [
    `#### ${name} — query \`${queries[0].q}\` (${size.seconds.toFixed(0)} s)`,
    '',
    `Content encodings the server sent (200 responses): ${size.encodings.join(', ')}.${pf}`,
    '',
    mainTable(size, q),
    '',
    ratioTable(size, q),
    '',
    'Every query (bytes before the first answer, time to it; first visit · repeat visit):',
    '',
    queryTable(size, queries),
  ].join('\n');
}

function runSection(run) {
  const m = run.machine;
  const line = run.line;
  return [
    `### Served by ${SERVED[run.server]}`,
    '',
    `${m.date.slice(0, 16).replace('T', ' ')} UTC, commit ${m.commit}${m.dirty ? ' (with uncommitted changes)' : ''}, powerlist_bg.wasm sha256 ${m.wasmSha256}…; ${run.seconds.toFixed(0)} s in all. ` +
    `Machine: ${m.nproc} cores (${m.cpu}), Linux ${m.kernel}; Node ${m.node}; Chromium ${m.chromium} (Debian) via playwright-core ${m.versions['playwright-core']}. ` +
    `Versions: pagefind ${m.versions.pagefind}, minisearch ${m.versions.minisearch}, flexsearch ${m.versions.flexsearch}, fuse.js ${m.versions['fuse.js']}. ` +
    `Load average (1 min) at start / end: ${run.loadavg.start[0].toFixed(2)} / ${run.loadavg.end?.[0].toFixed(2) ?? '?'}. ` +
    `Phone: ${run.phone.viewport.width}×${run.phone.viewport.height}, deviceScaleFactor ${run.phone.deviceScaleFactor}, touch. ` +
    `Slow line: ${line.downKbps / 1000} Mbit/s down, ${line.upKbps} kbit/s up, ${line.rttMs} ms round trip.`,
    '',
    ...Object.entries(run.sizes).map(([name, size]) => sizeSection(name, size, run)),
  ].join('\n\n').replace(/\n{3,}/g, '\n\n');
}

export function render(results) {
  const order = ['bench', 'powerlist'].filter((s) => results.runs[s]);
  return order.map((s) => runSection(results.runs[s])).join('\n\n');
}

export function writeReport() {
  if (!fs.existsSync(FILE)) return;
  let doc = fs.readFileSync(DOC, 'utf8');
  const body = `<!-- BEGIN browser (generated by benches/browser/report.mjs from benches/results/browser.json) -->\n${render(JSON.parse(fs.readFileSync(FILE, 'utf8')))}\n<!-- END browser -->`;
  const re = /<!-- BEGIN browser[^]*?<!-- END browser -->/;
  doc = re.test(doc) ? doc.replace(re, () => body) : `${doc.trimEnd()}\n\n${body}\n`;
  fs.writeFileSync(DOC, doc);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) writeReport();
