// FlexSearch 0.8: Document index, one sub-index per field; its exportable (serializable) build.
import fs from 'node:fs';
import path from 'node:path';
import { importBytes, parseJsonArray, text } from './common.mjs';
import { flexDoc as flat, flexSearch, flexSearchOptions } from './peers.mjs';

export const name = 'flexsearch';
export const about = 'Document: name, keywords (Han unigrams+bigrams, strict), code (forward), py, pyi (forward); suggest fallback';
// The compact build has Document, store, custom encoders, suggestions and export/import.
export const codeFiles = ['node_modules/flexsearch/dist/flexsearch.compact.module.min.js'];
export const variants = {
  docs: { files: ['docs.json'], about: 'documents JSON; index built in the browser (add)' },
  index: { files: ['flexsearch.json'], about: 'Document.export() chunks (indexes + store of the shown fields); import' },
};

const TUNING = { mode: process.env.FLEX_MODE || 'cjk' }; // see BENCHMARKS.md: cjk | bigram | full
const options = (store) => flexSearchOptions(store, TUNING);

export async function prepare(dir, docs) {
  const lib = path.resolve(import.meta.dirname, '..', codeFiles[0]);
  const { Document } = await importBytes(fs.readFileSync(lib));
  const index = new Document(options(true));
  for (const d of docs) index.add(flat(d));
  const chunks = [];
  await index.export((key, data) => { chunks.push([key, JSON.parse(data)]); });
  fs.writeFileSync(path.join(dir, 'flexsearch.json'), JSON.stringify(chunks));
}

export async function load(variant, code, data, mark) {
  const { Document } = await importBytes(code['flexsearch.compact.module.min.js']);
  mark('import library');
  let index;
  let docs = null;
  if (variant === 'docs') {
    docs = parseJsonArray(data['docs.json']);
    mark('JSON.parse');
    index = new Document(options(false));
    for (const d of docs) index.add(flat(d));
    mark('add');
  } else {
    const chunks = JSON.parse(text(data['flexsearch.json']));
    mark('JSON.parse');
    index = new Document(options(true));
    for (const [key, value] of chunks) index.import(key, value);
    mark('import');
  }
  const raw = (q, limit) => flexSearch(index, q, limit, !docs);
  return {
    apis: { search: (q, limit) => raw(q, limit).map((r) => (docs ? docs[r.id] : { id: r.id, ...r.doc })) },
    ids: (q, limit) => raw(q, limit).map((r) => r.id),
  };
}
