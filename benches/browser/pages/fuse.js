// Fuse.js: the documents and its serialized key index (createIndex().toJSON()), parseIndex.
import Fuse from './lib/fuse.basic.min.mjs';
import { fuseOptions } from './peers.mjs';
import { start } from './common.js';

start(async () => {
  const [docs, index] = await Promise.all(['docs.json', 'fuse-index.json'].map(async (f) => (await fetch(f)).json()));
  const fuse = new Fuse(docs, fuseOptions(), Fuse.parseIndex(index));
  return (q) => fuse.search(q, { limit: 20 }).map((r) => r.item);
});
