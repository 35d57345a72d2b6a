// MiniSearch: BM25 over a radix tree. Chinese via a custom tokenizer (unigrams + bigrams).
import fs from 'node:fs';
import path from 'node:path';
import { importBytes, parseJsonArray, text } from './common.mjs';
import { miniSearch, miniSearchOptions } from './peers.mjs';

export const name = 'minisearch';
export const about = 'fields name, keywords, code, py, pyi; Han unigrams+bigrams; code whole + prefix; OR (BM25)';
// MiniSearch ships no minified build; its ES build is what a bundler would take.
export const codeFiles = ['node_modules/minisearch/dist/es/index.js'];
export const variants = {
  docs: { files: ['docs.json'], about: 'documents JSON; index built in the browser (addAll)' },
  index: { files: ['minisearch.json'], about: 'MiniSearch.toJSON() with the shown fields stored; loadJSON' },
};

const TUNING = { combine: process.env.MINI_COMBINE || 'OR' }; // see BENCHMARKS.md
const options = (store) => miniSearchOptions(store, TUNING);

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
  const raw = (q) => miniSearch(ms, q);
  return {
    apis: {
      search: (q, limit) => raw(q).slice(0, limit).map((r) => (docs ? docs[r.id] : r)),
    },
    ids: (q, limit) => raw(q).slice(0, limit).map((r) => r.id),
  };
}
