// MiniSearch: its serialized index (MiniSearch.toJSON() with the shown fields), loadJSON.
import MiniSearch from './lib/index.js';
import { miniSearch, miniSearchOptions } from './peers.mjs';
import { start } from './common.js';

start(async () => {
  const text = await (await fetch('minisearch.json')).text();
  const ms = MiniSearch.loadJSON(text, miniSearchOptions(true));
  return (q) => miniSearch(ms, q);
});
