// Fuse.js: fuzzy (Bitap) matching, a linear scan over every document per query.
import fs from 'node:fs';
import path from 'node:path';
import { importBytes, parseJsonArray, text } from './common.mjs';
import { fuseOptions } from './peers.mjs';

export const name = 'fuse.js';
export const about = 'keys name×3, keywords×2, code×2, py, pyi; threshold 0.5, ignoreLocation';
// The basic build: fuzzy search without extended/logical query syntax (not used here).
export const codeFiles = ['node_modules/fuse.js/dist/fuse.basic.min.mjs'];
export const variants = {
  docs: { files: ['docs.json'], about: 'documents JSON; new Fuse(docs) builds the key index' },
  index: { files: ['docs.json', 'fuse-index.json'], about: 'documents + Fuse.createIndex().toJSON(); Fuse.parseIndex' },
};

// threshold tuned on the sample: see BENCHMARKS.md
export const OPTIONS = fuseOptions({ threshold: Number(process.env.FUSE_THRESHOLD || 0.5) });

export async function prepare(dir, docs) {
  const { default: Fuse } = await import('fuse.js/basic');
  fs.writeFileSync(path.join(dir, 'fuse-index.json'), JSON.stringify(Fuse.createIndex(OPTIONS.keys, docs).toJSON()));
}

export async function load(variant, code, data, mark) {
  const { default: Fuse } = await importBytes(code['fuse.basic.min.mjs']);
  mark('import library');
  const docs = parseJsonArray(data['docs.json']);
  mark('JSON.parse');
  let fuse;
  if (variant === 'docs') {
    fuse = new Fuse(docs, OPTIONS);
    mark('new Fuse');
  } else {
    const index = Fuse.parseIndex(JSON.parse(text(data['fuse-index.json'])));
    mark('parseIndex');
    fuse = new Fuse(docs, OPTIONS, index);
    mark('new Fuse');
  }
  return {
    apis: { search: (q, limit) => fuse.search(q, { limit }).map((r) => r.item) },
    ids: (q, limit) => fuse.search(q, { limit }).map((r) => r.refIndex),
  };
}
