// FlexSearch 0.8: Document index, one sub-index per field; its exportable (serializable) build.
import fs from 'node:fs';
import path from 'node:path';
import { indexTerms, SHOW } from './cjk.mjs';
import { importBytes, parseJsonArray, text } from './common.mjs';

export const name = 'flexsearch';
export const about = 'Document: name, keywords (Han unigrams+bigrams, strict), code (forward), py, pyi (forward); suggest fallback';
// The compact build has Document, store, custom encoders, suggestions and export/import.
export const codeFiles = ['node_modules/flexsearch/dist/flexsearch.compact.module.min.js'];
export const variants = {
  docs: { files: ['docs.json'], about: 'documents JSON; index built in the browser (add)' },
  index: { files: ['flexsearch.json'], about: 'Document.export() chunks (indexes + store of the shown fields); import' },
};

const lower = (s) => [s.toLowerCase()];
const words = (s) => s.split(' ').filter(Boolean);
const MODE = process.env.FLEX_MODE || 'cjk'; // see BENCHMARKS.md: cjk | bigram | full

function field(f) {
  if (MODE === 'cjk') return { field: f, tokenize: 'strict', encoder: 'CJK', context: { depth: 1, bidirectional: true, resolution: 3 } };
  if (MODE === 'full') return { field: f, tokenize: 'full', encode: (s) => s.toLowerCase().match(/\p{Script=Han}+|[a-z0-9]+/gu) || [] };
  return { field: f, tokenize: 'strict', encode: indexTerms };
}

function options(store) {
  return {
    document: {
      id: 'id',
      index: [
        field('name'),
        field('kw'),
        { field: 'code', tokenize: 'forward', encode: lower },
        { field: 'py', tokenize: 'forward', encode: words },
        { field: 'pyi', tokenize: 'forward', encode: words },
      ],
      store: store ? SHOW : false,
    },
  };
}

// Flat string fields for the index (arrays joined); the shown fields are stored as they are.
const flat = (d) => ({ ...d, kw: d.keywords.join(' '), py: d.py.join(' '), pyi: d.pyi.join(' ') });

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
  const raw = (q, limit) => {
    const opts = { limit, merge: true, enrich: !docs };
    let r = index.search(q, opts); // suggest-always ranks worse on the labelled set
    if (!r.length) r = index.search(q, { ...opts, suggest: true });
    return r.length > limit ? r.slice(0, limit) : r;
  };
  return {
    apis: { search: (q, limit) => raw(q, limit).map((r) => (docs ? docs[r.id] : { id: r.id, ...r.doc })) },
    ids: (q, limit) => raw(q, limit).map((r) => r.id),
  };
}
