// FlexSearch: its serialized Document (export() chunks: field indexes + store), import.
import { Document } from './lib/flexsearch.compact.module.min.js';
import { flexSearch, flexSearchOptions } from './peers.mjs';
import { start } from './common.js';

start(async () => {
  const chunks = await (await fetch('flexsearch.json')).json();
  const index = new Document(flexSearchOptions(true));
  for (const [key, value] of chunks) index.import(key, value);
  return (q) => flexSearch(index, q, 20, true).map((r) => r.doc);
});
