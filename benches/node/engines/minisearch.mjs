// MiniSearch: BM25 over a radix tree. Chinese via a custom tokenizer (unigrams + bigrams).
import fs from 'node:fs';
import path from 'node:path';
import { indexTerms, queryTerms, SHOW } from './cjk.mjs';
import { importBytes, parseJsonArray, text } from './common.mjs';

export const name = 'minisearch';
export const about = 'fields name, keywords, code, py, pyi; Han unigrams+bigrams; code whole + prefix; OR (BM25)';
// MiniSearch ships no minified build; its ES build is what a bundler would take.
export const codeFiles = ['node_modules/minisearch/dist/es/index.js'];
export const variants = {
  docs: { files: ['docs.json'], about: 'documents JSON; index built in the browser (addAll)' },
  index: { files: ['minisearch.json'], about: 'MiniSearch.toJSON() with the shown fields stored; loadJSON' },
};

const ASCII = /^[a-z0-9.-]+$/;

function options(store) {
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
      combineWith: process.env.MINI_COMBINE || 'OR', // MiniSearch's default; BM25 ranks full matches first
      boost: { name: 3, keywords: 2, code: 2 },
    },
  };
}

export async function prepare(dir, docs) {
  const { default: MiniSearch } = await import('minisearch');
  const ms = new MiniSearch(options(true));
  ms.addAll(docs);
  fs.writeFileSync(path.join(dir, 'minisearch.json'), JSON.stringify(ms));
}

export async function load(variant, code, data, mark) {
  const { default: MiniSearch } = await importBytes(code['index.js']);
  mark('import library');
  let ms;
  let docs = null;
  if (variant === 'docs') {
    docs = parseJsonArray(data['docs.json']);
    mark('JSON.parse');
    ms = new MiniSearch(options(false));
    ms.addAll(docs);
    mark('addAll');
  } else {
    ms = MiniSearch.loadJSON(text(data['minisearch.json']), options(true));
    mark('loadJSON');
  }
  const raw = (q) => {
    const r = ms.search(q);
    return r.length || queryTerms(q).length < 2 ? r : ms.search(q, { combineWith: 'OR' }); // when AND is chosen
  };
  return {
    apis: {
      search: (q, limit) => raw(q).slice(0, limit).map((r) => (docs ? docs[r.id] : r)),
    },
    ids: (q, limit) => raw(q).slice(0, limit).map((r) => r.id),
  };
}
