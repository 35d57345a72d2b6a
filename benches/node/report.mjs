// benches/results/<mode>.json → the tables in BENCHMARKS.md (between <!-- BEGIN mode --> and
// <!-- END mode -->). Run alone (`node report.mjs`) to regenerate from the stored results.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from './lib/catalog.mjs';

const PEERS = ['minisearch', 'flexsearch', 'fuse.js'];
const RESULTS = path.join(ROOT, 'benches/results');
const DOC = path.join(ROOT, 'BENCHMARKS.md');

export const B = (n) => (n == null ? '—' : n >= 2 ** 20 ? `${(n / 2 ** 20).toFixed(n >= 100 * 2 ** 20 ? 0 : 1)} MiB` : `${(n / 1024).toFixed(n >= 100 * 1024 ? 0 : 1)} KiB`);
export const T = (ms) => (ms == null ? '—' : ms >= 1000 ? `${(ms / 1000).toFixed(ms >= 10000 ? 0 : 2)} s` : ms >= 10 ? `${ms.toFixed(0)} ms` : ms >= 1 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(3)} ms`);
const P = (x) => (x == null ? '—' : x.toFixed(3));
export const X = (r) => (r == null || !Number.isFinite(r) ? '—' : r >= 10 ? `${r.toFixed(0)}×` : `${r.toFixed(2)}×`);
export const row = (cells) => `| ${cells.join(' | ')} |`;
export const table = (head, rows) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');

const total = (e, v) => {
  if (!e.code || !v.data) return null;
  const t = { raw: 0, gzip: 0, brotli: 0 };
  for (const s of [...Object.values(e.code), ...Object.values(v.data)]) for (const k of Object.keys(t)) t[k] += s[k];
  return t;
};
const dataTotal = (v) => {
  if (!v.data) return {};
  const t = { raw: 0, gzip: 0, brotli: 0 };
  for (const s of Object.values(v.data || {})) for (const k of Object.keys(t)) t[k] += s[k];
  return t;
};

/** Lowest (or highest) value of `get` over the peers' rows, with who has it. */
function best(rows, get, higherIsBetter = false) {
  let win = null;
  for (const r of rows) {
    const x = get(r);
    if (x == null || !Number.isFinite(x)) continue;
    if (!win || (higherIsBetter ? x > win.x : x < win.x)) win = { x, who: r.label };
  }
  return win;
}

function sizeSection(size, s) {
  const b = s.build || {};
  const assigned = b.assignments ? `, ${b.assignments.toLocaleString('en')} assignments${b.townships ? ` (${b.townships.toLocaleString('en')} townships)` : ''}` : '';
  const out = [`### ${size} — ${s.items?.toLocaleString('en') ?? '?'} items${assigned}`];
  if (s.carried) out.push('', `*Measured again for ${Object.keys(s.engines).filter((e) => !s.carried.engines.includes(e)).join(', ')} only; ${s.carried.engines.join(', ')} carried over from the run of ${s.carried.from.slice(0, 16).replace('T', ' ')} UTC (commit ${s.carried.commit ?? '?'}), on a machine of the same kind.*`);
  if (s.error) return [...out, '', `Not measured: ${s.error}`].join('\n');
  const errors = [];
  const loadRows = [];
  const queryRows = [];
  for (const [name, e] of Object.entries(s.engines)) {
    if (e.error) { errors.push(`${name}: ${e.error}`); continue; }
    for (const [v, vr] of Object.entries(e.variants)) {
      loadRows.push({ label: `${name} · ${v}`, name, e, v: vr });
      if (vr.error) errors.push(`${name} · ${v}: ${vr.error}`);
    }
    if (e.query?.error) errors.push(`${name} queries: ${e.query.error}`);
    else if (e.query) for (const [api, l] of Object.entries(e.query.latency)) queryRows.push({ label: `${name} · ${api}`, name, q: e.query, l, v: e.query.variant });
  }
  const pb = b.powerlistBuild;
  const prep = Object.entries(s.engines).filter(([n, e]) => e.prepareSeconds != null && n !== 'powerlist').map(([n, e]) => `${n} ${e.prepareSeconds.toFixed(1)} s`);
  out.push('', `Offline: ${b.synthSeconds != null ? `synth ${b.synthSeconds.toFixed(1)} s, ` : ''}powerlist build ${pb ? (pb.ok ? `${pb.seconds.toFixed(1)} s (max RSS ${B(pb.maxRssBytes)}${pb.note ? `; ${pb.note}` : ''})` : `failed after ${pb.seconds.toFixed(0)} s — ${pb.error}`) : 'cached'}${prep.length ? `; peers' serialized indexes: ${prep.join(', ')}` : ''}.`);

  const q = loadRows.flatMap((r) => Object.values(r.v.data || {})).map((d) => d.brotliQuality)[0] ?? '?';
  out.push('', `**Bytes a browser downloads** (code + data; gzip -9, brotli 11 for code and ${q} for data)`, '');
  out.push(table(['engine · data', 'code (brotli)', 'data raw', 'data gzip', 'data brotli', 'total gzip', 'total brotli'],
    loadRows.map(({ label, e, v }) => {
      const t = total(e, v);
      const d = dataTotal(v);
      const code = Object.values(e.code || {}).reduce((a, c) => a + c.brotli, 0);
      return [label, B(code), B(d.raw), B(d.gzip), B(d.brotli), B(t?.gzip), `**${B(t?.brotli)}**`];
    })));

  out.push('', '**Cold start: bytes in memory → first answered query**, median of fresh processes; memory = heapUsed + external after load and GC, minus before', '');
  out.push(table(['engine · data', 'first answer', 'where the time goes', 'memory after load', 'peak RSS', 'runs'],
    loadRows.map(({ label, v }) => {
      if (!v.loads?.length) return [label, `not loaded: ${v.error}`, '', '', '', '0'];
      const phases = Object.entries(v.phases).map(([k, ms]) => `${k} ${T(ms)}`).join(', ');
      const peak = Math.max(...v.loads.map((l) => l.peakRssBytes || 0));
      return [label, `**${T(v.ms)}**`, phases, B(v.memoryBytes), B(peak), String(v.loads.length)];
    })));

  const kinds = ['zh', 'code', 'py'];
  out.push('', '**Queries**: top 20 delivered as objects with name and code; p50 and p99 each the lower of the passes (each engine is timed twice, in fresh processes, the second time in reverse order); recall against the exact-match oracle (limit 1000); precision@10 on labelled.json, the set the engines were tuned on, and on labelled-heldout.json, judged afterwards and used only here (sample only)', '');
  out.push(table(['engine · API', 'p50', 'p99', 'p50 zh / code / pinyin', 'queries timed', 'recall zh / code / pinyin', 'recall queries', 'precision@10 tuning / held-out'],
    queryRows.map(({ label, q, l, v }) => [
      `${label} (${v})`, `**${T(l.p50)}**`, T(l.p99), kinds.map((k) => T(l.kinds[k]?.p50)).join(' / '), `${l.n} (${l.rounds.toFixed(2)} rounds)${l.passes > 1 ? `, ${l.passes} passes` : ''}`,
      kinds.map((k) => P(q.recall[k]?.mean)).join(' / '), `${kinds.map((k) => q.recall[k]?.n ?? 0).join(' / ')}${q.recallTimedOut ? ' (time budget)' : ''}`,
      q.precisionAt10 ? `${P(q.precisionAt10.mean)} / ${P(q.precisionAt10Heldout?.mean)}` : P(undefined),
    ])));

  // The everyday-language sets (issue 16): precision@10 and hit@1 by kind of query.
  const lab = queryRows.filter((r) => r.q.labelled?.everyday);
  if (lab.length) {
    const kindsOf = (set) => Object.keys(lab[0].q.labelled[set]?.kinds ?? {});
    for (const [set, file, how] of [['everyday', 'labelled-everyday.json', 'written blind before any tuning, measured only'], ['dev', 'labelled-dev.json', 'written blind, tuned on'], ['typos', 'labelled-typos.json', 'keyboard slips, written blind after the correction was built, measured only'], ['fresh', 'labelled-fresh.json', 'written blind on 2026-12-07 before that day\'s tuning, measured only'], ['fresh2', 'labelled-fresh2.json', 'written blind on 2026-12-07 16:20 UTC before the evening\'s tuning, measured only'], ['dev2', 'labelled-dev2.json', '100 everyday situations written blind on 2026-12-07 17:50 UTC, for tuning'], ['fresh3', 'labelled-fresh3.json', 'written blind on 2026-12-07 19:13 UTC before that session\'s tuning, measured only'], ['devcite', 'labelled-devcite.json', '50 loose citations and 10 loosely typed codes written blind on 2026-12-07 19:23 UTC, for tuning'], ['dev3', 'labelled-dev3.json', '100 everyday situations from writers all over China written blind on 2026-12-07 19:55 UTC, for tuning'], ['dev4', 'labelled-dev4.json', '100 everyday situations written blind on 2026-12-07 22:09 UTC, for tuning']]) {
      const ks = kindsOf(set);
      if (!lab[0].q.labelled[set]) continue;
      out.push('', `**Everyday language, ${file}** (${how}): precision@10 / first hit right, overall and by kind of query; \`outside\` (questions the catalog does not cover) counts as right when no hit matches the whole query, which only powerlist reports`, '');
      out.push(table(['engine · API', 'overall', ...ks.map((k) => `${k} (${lab[0].q.labelled[set].kinds[k].n})`)],
        lab.map(({ label, q, v }) => {
          const x = q.labelled[set];
          const cell = (y) => (y ? `${P(y.mean)} / ${(100 * y.hit1).toFixed(0)} %` : '—');
          return [`${label} (${v})`, `**${cell(x)}**`, ...ks.map((k) => cell(x.kinds[k]))];
        })));
    }
  }

  // powerlist against the best peer row for each metric.
  const pl = (r) => r.name === 'powerlist';
  const peers = (rows) => rows.filter((r) => PEERS.includes(r.name));
  const plLoad = loadRows.find(pl);
  const plQ = (api) => queryRows.find((r) => pl(r) && r.label.endsWith(api));
  const lines = [];
  const cmp = (metric, mine, win, fmt, higherIsBetter = false) => {
    if (mine == null || !win) { lines.push([metric, fmt(mine), win ? `${fmt(win.x)} (${win.who})` : '—', '—']); return; }
    const r = mine / win.x;
    const verdict = r === 1 ? 'tie' : (r > 1) === higherIsBetter ? 'powerlist better' : 'powerlist worse';
    lines.push([metric, fmt(mine), `${fmt(win.x)} (${win.who})`, `${X(r)} (${verdict})`]);
  };
  if (plLoad) {
    cmp('bytes, total brotli', total(plLoad.e, plLoad.v)?.brotli, best(peers(loadRows), (r) => total(r.e, r.v)?.brotli), B);
    cmp('time to first answer', plLoad.v.ms, best(peers(loadRows), (r) => r.v.ms), T);
    cmp('memory after load', plLoad.v.memoryBytes, best(peers(loadRows), (r) => r.v.memoryBytes), B);
  }
  for (const api of ['search()', 'searchIds()+item()']) {
    const r = plQ(api);
    if (!r) continue;
    cmp(`p50, ${api}`, r.l.p50, best(peers(queryRows), (x) => x.l.p50), T);
    cmp(`p99, ${api}`, r.l.p99, best(peers(queryRows), (x) => x.l.p99), T);
  }
  const r = plQ('search()');
  if (r) {
    for (const k of kinds) cmp(`recall ${k === 'py' ? 'pinyin' : k}`, r.q.recall[k]?.mean, best(peers(queryRows), (x) => x.q.recall[k]?.mean, true), P, true);
    if (r.q.precisionAt10) cmp('precision@10 (tuning set)', r.q.precisionAt10.mean, best(peers(queryRows), (x) => x.q.precisionAt10?.mean, true), P, true);
    if (r.q.precisionAt10Heldout) cmp('precision@10 (held-out set)', r.q.precisionAt10Heldout.mean, best(peers(queryRows), (x) => x.q.precisionAt10Heldout?.mean, true), P, true);
  }
  out.push('', '**powerlist against the best peer** (best of every peer configuration above, per metric)', '');
  out.push(table(['metric', 'powerlist', 'best peer', 'powerlist ÷ best peer'], lines));

  const sec = s.engines.powerlist?.sections;
  if (sec) {
    const all = Object.values(sec).reduce((a, x) => a + x.brotli, 0);
    out.push('', '**Where powerlist.idx bytes go** (sections compressed one by one)', '');
    out.push(table(['section', 'raw', 'brotli', 'share of brotli'], Object.entries(sec).map(([k, x]) => [k, B(x.raw), B(x.brotli), `${((100 * x.brotli) / all).toFixed(0)} %`])));
  }
  if (errors.length) out.push('', '**Not measured**', '', ...errors.map((e) => `- ${e}`));
  return out.join('\n');
}

export function render(results) {
  const m = results.machine;
  const mem = `${(m.memoryBytes / 2 ** 30).toFixed(1)} GiB`;
  const head = [
    `Mode **${results.mode}**, ${m.date.slice(0, 16).replace('T', ' ')} UTC, commit ${m.commit ?? '?'}; ${results.seconds?.toFixed(0) ?? '?'} s in all.`,
    `Machine: ${m.nproc} cores (${m.cpu}), ${mem} memory, Linux ${m.kernel}; Node ${m.node}, npm ${m.npm}.`,
    `Versions: ${Object.entries(m.versions).map(([k, v]) => `${k} ${v}`).join(', ')}; powerlist_bg.wasm sha256 ${m.wasmSha256 ?? '?'}….`,
    `Load average (1 min) at start / end: ${results.loadavg ? `${results.loadavg.start[0].toFixed(2)} / ${results.loadavg.end?.[0]?.toFixed(2) ?? '?'}` : '?'}${results.loadavg?.start[0] > 1.5 ? ' — other jobs shared the machine; timings are noisier' : ''}.`,
    `Limits per load/query process: ${results.limits.load.heapMb} MB JavaScript heap, ${(results.limits.load.rssLimit / 2 ** 30).toFixed(0)} GiB resident, ${results.limits.load.timeoutS} s.`,
  ];
  const p = results.previous;
  if (p) head.push(`Sizes ${p.sizes.join(', ')} come from an earlier run (${p.machine.date.slice(0, 16).replace('T', ' ')} UTC, commit ${p.machine.commit ?? '?'}, wasm ${p.machine.wasmSha256 ?? '?'}…, load average ${p.loadavg?.start?.[0]?.toFixed(2) ?? '?'}, ${p.seconds?.toFixed(0) ?? '?'} s); this run measured ${Object.keys(results.sizes).filter((k) => !p.sizes.includes(k)).join(', ')}.`);
  return [head.join('\n'), ...Object.entries(results.sizes).map(([size, s]) => sizeSection(size, s))].join('\n\n');
}

export function writeReport() {
  let doc = fs.existsSync(DOC) ? fs.readFileSync(DOC, 'utf8') : '# Benchmarks\n';
  for (const mode of ['quick', 'full']) {
    const file = path.join(RESULTS, `${mode}.json`);
    if (!fs.existsSync(file)) continue;
    const body = `<!-- BEGIN ${mode} (generated by benches/node/report.mjs from benches/results/${mode}.json) -->\n${render(JSON.parse(fs.readFileSync(file, 'utf8')))}\n<!-- END ${mode} -->`;
    const re = new RegExp(`<!-- BEGIN ${mode}[^]*?<!-- END ${mode} -->`);
    doc = re.test(doc) ? doc.replace(re, () => body) : `${doc.trimEnd()}\n\n${body}\n`;
  }
  fs.writeFileSync(DOC, doc);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) writeReport();
