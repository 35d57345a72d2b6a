// The fixed, deterministic query mix and its oracles, and the labelled query set.
import fs from 'node:fs';
import path from 'node:path';
import { HERE } from './catalog.mjs';

/** Quality runs ask every engine for this many hits; recall counts queries whose oracle fits. */
export const RECALL_LIMIT = 1000;

/** mulberry32: small, deterministic PRNG. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HAN_RUN = /\p{Script=Han}+/gu;

/**
 * The mix: `zh` Chinese substrings of 1–6 characters (70 % from item names, 30 % from keywords),
 * `code` code prefixes (at least 5 characters, e.g. CG-CF-00), `py` full pinyin and `pyi`
 * initials of keywords (pinyin-pro, as precomputed in the documents).
 */
export function makeQueries(docs, { seed = 20240501, zh = 200, code = 40, py = 40, pyi = 40 } = {}) {
  const rand = rng(seed);
  const pick = (n) => Math.floor(rand() * n);
  const out = [];
  const seen = new Set();
  const add = (q, kind) => {
    if (seen.has(q)) return false;
    seen.add(q);
    out.push({ q, kind });
    return true;
  };
  const fill = (count, make, kind) => {
    for (let n = 0, tries = 0; n < count && tries < count * 200; tries++) {
      const q = make();
      if (q && add(q, kind)) n++;
    }
  };
  fill(zh, () => {
    const d = docs[pick(docs.length)];
    const src = rand() < 0.7 || !d.keywords.length ? d.name : d.keywords[pick(d.keywords.length)];
    const len = 1 + pick(6);
    const runs = (src.match(HAN_RUN) || []).filter((r) => r.length >= len);
    if (!runs.length) return null;
    const run = runs[pick(runs.length)];
    const start = pick(run.length - len + 1);
    return run.slice(start, start + len);
  }, 'zh');
  fill(code, () => {
    const c = docs[pick(docs.length)].code;
    return c.slice(0, 5 + pick(c.length - 4));
  }, 'code');
  const pinyinOf = (field) => () => {
    const d = docs[pick(docs.length)];
    if (!d[field].length) return null;
    const p = d[field][pick(d[field].length)];
    return p.length >= 2 ? p : null;
  };
  fill(py, pinyinOf('py'), 'py');
  fill(pyi, pinyinOf('pyi'), 'pyi');
  // Shuffled, so a run cut short by its time budget still samples every kind.
  for (let i = out.length - 1; i > 0; i--) {
    const j = pick(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** The ids an exact matcher returns: name contains (zh), code prefix, keyword pinyin equal. */
export function oracle(docs, { q, kind }) {
  const ids = [];
  const lq = q.toLowerCase();
  for (const d of docs) {
    const hit = kind === 'zh' ? d.name.includes(q)
      : kind === 'code' ? d.code.toLowerCase().startsWith(lq)
        : d[kind].includes(lq);
    if (hit) ids.push(d.id);
  }
  return ids;
}

/** Query mix with oracles (kept when 1 ≤ |oracle| ≤ RECALL_LIMIT, else only its size). */
export function queriesWithOracles(docs) {
  return makeQueries(docs).map((x) => {
    const ids = oracle(docs, x);
    const ok = ids.length >= 1 && ids.length <= RECALL_LIMIT;
    return { ...x, oracleSize: ids.length, oracle: ok ? ids : null };
  });
}

/** The labelled files: `labelled.json`, the set the engines were tuned on, and
 * `labelled-heldout.json`, judged afterwards from items.csv alone by people who saw no engine's
 * results, and used for nothing but measuring; for issue 16, `labelled-dev.json` (everyday
 * language, written blind, tuned on) and `labelled-everyday.json` (written blind before any
 * tuning, measured only); `labelled-typos.json` (keyboard slips, written blind, measured only);
 * `labelled-fresh.json` (110 queries written blind on 2026-12-07 before that day's tuning,
 * measured only); `labelled-fresh2.json` (110 queries written blind on 2026-12-07 16:20–16:29 UTC,
 * before the evening's tuning, measured only); `labelled-dev2.json` (100 everyday situations
 * written blind on 2026-12-07 17:50 UTC, for tuning); `labelled-fresh3.json` (110 queries written
 * blind on 2026-12-07 19:13 UTC, before that session's tuning, measured only); `labelled-devcite.json` (50 loose citations and 10
 * loosely typed codes written blind on 2026-12-07 19:23 UTC, for tuning); `labelled-dev3.json` (100 everyday situations
 * from writers all over China, 12 with an IME slip inside a sentence, written blind on 2026-12-07
 * 19:55 UTC, for tuning); `labelled-dev4.json` (100 everyday situations from elderly, rural,
 * working and young writers, 12 with an IME slip, written blind on 2026-12-07 22:09 UTC, for tuning). */
export const LABELLED = {
  tuning: 'labelled.json',
  heldout: 'labelled-heldout.json',
  dev: 'labelled-dev.json',
  everyday: 'labelled-everyday.json',
  typos: 'labelled-typos.json',
  fresh: 'labelled-fresh.json',
  fresh2: 'labelled-fresh2.json',
  dev2: 'labelled-dev2.json',
  fresh3: 'labelled-fresh3.json',
  devcite: 'labelled-devcite.json',
  dev3: 'labelled-dev3.json',
  dev4: 'labelled-dev4.json',
};

export function labelled(docs, file = LABELLED.tuning) {
  const { queries } = JSON.parse(fs.readFileSync(path.join(HERE, file), 'utf8'));
  const codes = new Set(docs.map((d) => d.code));
  const seen = new Set();
  for (const { q, relevant } of queries) {
    if (seen.has(q)) throw new Error(`${file}: ${q} is listed twice`);
    seen.add(q);
    if (!Array.isArray(relevant)) throw new Error(`${file}: ${q} has no list of relevant items`);
    for (const c of relevant) if (!codes.has(c)) throw new Error(`${file}: ${q}: no item has code ${c}`);
  }
  return queries.map(({ q, relevant, kind }) => ({ q, relevant, kind: kind ?? 'all' }));
}
