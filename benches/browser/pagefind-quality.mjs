// How Pagefind handles this catalog's Chinese: recall on benches/node's query mix (against the
// same exact-match oracle) and precision@10 on the two labelled sets, measured in Chromium on
// the sample site that run.mjs built (run that first). Pagefind runs only in a browser, so
// benches/node cannot measure it; this is its row of that table.
//   node pagefind-quality.mjs   → prints the numbers and writes benches/results/pagefind-quality.json
import fs from 'node:fs';
import path from 'node:path';
import { OUT, ROOT } from './lib/files.mjs';
import { launch } from './lib/measure.mjs';
import { startStaticServer } from './lib/static-server.mjs';

const SAMPLE = path.join(ROOT, 'target/bench/sample');
const LIMIT = 1000; // as benches/node's RECALL_LIMIT

/** In the page: every query through pagefind.search, the item ids of up to `limit` results. */
async function searchAll(page, queries, limit) {
  return page.evaluate(async ({ queries, limit }) => {
    const pf = await import('./pagefind/pagefind.js');
    await pf.init();
    const out = [];
    for (const q of queries) {
      const { results } = await pf.search(q);
      const data = await Promise.all(results.slice(0, limit).map((r) => r.data()));
      out.push({ total: results.length, ids: data.map((d) => Number(/items\/(\d+)\.html/.exec(d.url)[1])) });
    }
    return out;
  }, { queries, limit });
}

const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

function recall(mix, answers) {
  const byKind = {};
  mix.forEach(({ kind, oracle }, i) => {
    if (!oracle) return;
    const got = new Set(answers[i].ids);
    (byKind[kind === 'pyi' ? 'py' : kind] ||= []).push(oracle.filter((id) => got.has(id)).length / oracle.length);
  });
  return Object.fromEntries(Object.entries(byKind).map(([k, xs]) => [k, { mean: mean(xs), n: xs.length, zero: xs.filter((x) => x === 0).length }]));
}

function precision(set, answers, codeOf) {
  const per = set.map(({ q, relevant }, i) => {
    const top = answers[i].ids.slice(0, 10).map(codeOf);
    const rel = new Set(relevant);
    return { q, p: top.filter((c) => rel.has(c)).length / Math.min(10, relevant.length), total: answers[i].total };
  });
  return { mean: mean(per.map((x) => x.p)), n: per.length, none: per.filter((x) => x.total === 0).map((x) => x.q) };
}

const { queries: mix, labelled } = JSON.parse(fs.readFileSync(path.join(SAMPLE, 'queries.json'), 'utf8'));
const codes = JSON.parse(fs.readFileSync(path.join(SAMPLE, 'docs.json'), 'utf8')).map((d) => d.code);
const origin = await startStaticServer(path.join(OUT, 'sites/sample'));
const browser = await launch();
try {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`http://127.0.0.1:${origin.port}/pagefind/index.html`);
  const result = {
    recall: recall(mix, await searchAll(page, mix.map((x) => x.q), LIMIT)),
    precisionAt10: precision(labelled.tuning, await searchAll(page, labelled.tuning.map((x) => x.q), 10), (id) => codes[id]),
    precisionAt10Heldout: precision(labelled.heldout, await searchAll(page, labelled.heldout.map((x) => x.q), 10), (id) => codes[id]),
  };
  fs.writeFileSync(path.join(ROOT, 'benches/results/pagefind-quality.json'), `${JSON.stringify(result, null, 1)}\n`);
  console.log(JSON.stringify(result, null, 1));
} finally {
  await browser.close();
  await origin.close();
}
