// The peers' configurations and query calls, in one pure ES module (no Node APIs): the Node
// adapters (minisearch.mjs, flexsearch.mjs, fuse.mjs) and the browser pages of benches/browser
// load this same file, so both benchmarks measure the same configuration. The alternatives
// tried (see BENCHMARKS.md) are parameters here; the adapters read them from the environment.
import { indexTerms, queryTerms, SHOW } from './cjk.mjs';

const ASCII = /^[a-z0-9.-]+$/;

/** MiniSearch options; `store` keeps the shown fields in the serialized index. */
export function miniSearchOptions(store, { combine = 'OR' } = {}) {
  return {
    fields: ['name', 'keywords', 'code', 'py', 'pyi'],
    storeFields: store ? SHOW : [],
    extractField: (d, f) => (Array.isArray(d[f]) ? d[f].join(' ') : d[f]),
    tokenize: (s, field) => (field === 'code' ? [s.toLowerCase()] : field === 'py' || field === 'pyi' ? s.split(' ') : indexTerms(s)),
    processTerm: (t) => t || null,
    searchOptions: {
      tokenize: queryTerms,
      processTerm: (t) => t || null,
      prefix: (t) => ASCII.test(t), // code prefixes, partial pinyin
      fuzzy: false, // edit distance on 1–2 character Chinese terms only adds noise
      combineWith: combine, // MiniSearch's default OR; BM25 ranks full matches first
      boost: { name: 3, keywords: 2, code: 2 },
    },
  };
}

/** MiniSearch results for `q` (with AND chosen: OR when AND finds nothing). */
export function miniSearch(ms, q) {
  const r = ms.search(q);
  return r.length || queryTerms(q).length < 2 ? r : ms.search(q, { combineWith: 'OR' });
}

const lower = (s) => [s.toLowerCase()];
const words = (s) => s.split(' ').filter(Boolean);

function flexField(f, mode) {
  if (mode === 'cjk') return { field: f, tokenize: 'strict', encoder: 'CJK', context: { depth: 1, bidirectional: true, resolution: 3 } };
  if (mode === 'full') return { field: f, tokenize: 'full', encode: (s) => s.toLowerCase().match(/\p{Script=Han}+|[a-z0-9]+/gu) || [] };
  return { field: f, tokenize: 'strict', encode: indexTerms };
}

/** FlexSearch Document options; `mode` cjk | bigram | full (see BENCHMARKS.md). */
export function flexSearchOptions(store, { mode = 'cjk' } = {}) {
  return {
    document: {
      id: 'id',
      index: [
        flexField('name', mode),
        flexField('kw', mode),
        { field: 'code', tokenize: 'forward', encode: lower },
        { field: 'py', tokenize: 'forward', encode: words },
        { field: 'pyi', tokenize: 'forward', encode: words },
      ],
      store: store ? SHOW : false,
    },
  };
}

/** A document as FlexSearch indexes it: arrays joined into flat string fields. */
export const flexDoc = (d) => ({ ...d, kw: d.keywords.join(' '), py: d.py.join(' '), pyi: d.pyi.join(' ') });

/** FlexSearch results for `q`: strict first, suggestions only when strict finds nothing. */
export function flexSearch(index, q, limit, enrich) {
  const opts = { limit, merge: true, enrich };
  let r = index.search(q, opts); // suggest-always ranks worse on the labelled set
  if (!r.length) r = index.search(q, { ...opts, suggest: true });
  return r.length > limit ? r.slice(0, limit) : r;
}

/** Fuse.js options; `threshold` 0.5 from a sweep on the sample (see BENCHMARKS.md). */
export function fuseOptions({ threshold = 0.5 } = {}) {
  return {
    keys: [
      { name: 'name', weight: 3 },
      { name: 'keywords', weight: 2 },
      { name: 'code', weight: 2 },
      { name: 'py', weight: 1 },
      { name: 'pyi', weight: 1 },
    ],
    threshold,
    ignoreLocation: true,
    minMatchCharLength: 1,
    shouldSort: true,
  };
}
