// Pagefind: its own script and wasm, index chunks fetched by the query's words, then one data()
// fragment per shown result (the first 10, a page of results; its own UI shows 5).
import { start } from './common.js';

start(async () => {
  const pagefind = await import('./pagefind/pagefind.js');
  await pagefind.init();
  return async (q) => {
    const { results } = await pagefind.search(q);
    return results.slice(0, 10).map(async (r) => {
      const d = await r.data();
      return { name: d.meta.title, code: d.meta.code };
    });
  };
});
