// The search runs in a worker (search-worker.js): the page's main thread never instantiates the
// module, typing never waits for a search however slow, and only the latest query's answer is
// drawn (the worker skips the queries typed over). A slow search is made by serving the worker a
// wrapper of itself whose every search first spins 150 ms, in the worker (the page is unchanged).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, appReady, embedReady, assertClean } from './harness.mjs';

const env = setup();

/** How much slower the wrapped worker's searches are. */
const SLOW_MS = 150;

/** Counts the main thread's WebAssembly compilations and instantiations in window.__wasm. */
function countWasm() {
  window.__wasm = [];
  for (const name of ['instantiate', 'instantiateStreaming', 'compile', 'compileStreaming']) {
    const f = WebAssembly[name];
    WebAssembly[name] = function (...args) {
      window.__wasm.push(name);
      return f.apply(this, args);
    };
  }
}

/** Records the main thread's long tasks (over 50 ms) in window.__long: [start, duration]. */
function recordLongTasks() {
  window.__long = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__long.push([Math.round(e.startTime), Math.round(e.duration)]);
  }).observe({ type: 'longtask', buffered: true });
}

/**
 * Serves `name` (the worker's script) as a wrapper of the unbundled worker whose searches spin
 * SLOW_MS first and are counted (self.__searched: the queries run).
 */
async function slowWorker(page, name) {
  await page.route(`**/${name}`, (route) => route.fulfill({
    contentType: 'text/javascript',
    body: `import { PowerIndex } from './pkg/powerlist.js';
import './search-worker.js';
self.__searched = [];
const search = PowerIndex.prototype.search;
PowerIndex.prototype.search = function (q, ...rest) {
  const end = performance.now() + ${SLOW_MS};
  while (performance.now() < end);
  self.__searched.push(q);
  return search.call(this, q, ...rest);
};
`,
  }));
}

describe('search off the main thread', () => {
  test('the app searches in its worker: the main thread never compiles or instantiates the module', async () => {
    const { page, problems, close } = await env.open(null);
    await page.addInitScript(countWasm);
    await page.goto(`${env.base}?region=321281100`);
    await appReady(page);
    await page.locator('#q').fill('占道经营');
    await page.locator('#results [role="option"]').first().waitFor();
    await page.locator('#results [role="option"]').first().click();
    await page.locator('.ps-item').waitFor();
    assert.deepEqual(await page.evaluate(() => window.__wasm), [], 'no WebAssembly on the main thread');
    assert.deepEqual(page.workers().map((w) => new URL(w.url()).pathname), ['/search-worker.min.js']);
    assertClean(problems);
    await close();
  });

  test('typing a dozen queries while each search takes 150 ms: no long task on the main thread, only the last answer drawn', async (t) => {
    const { page, problems, close } = await env.open(null);
    await slowWorker(page, 'search-worker.min.js');
    await page.addInitScript(recordLongTasks);
    // Every drawing of the results: when, the status line and the first hit.
    await page.addInitScript(() => {
      window.__drawn = [];
      addEventListener('DOMContentLoaded', () => {
        new MutationObserver(() => {
          const status = document.querySelector('#status')?.innerText ?? '';
          const first = document.querySelector('#results [role="option"]')?.dataset.code ?? '';
          const last = window.__drawn.at(-1);
          if (!last || last.status !== status || last.first !== first) window.__drawn.push({ at: performance.now(), status, first });
        }).observe(document.querySelector('#app'), { childList: true, subtree: true, characterData: true });
      });
    });
    await page.goto(`${env.base}?region=321281100`);
    await appReady(page);
    await page.waitForFunction(() => /共 \d+ 项事项/.test(document.querySelector('#status').innerText));
    const queries = ['摆摊', '噪声', 'zdjy', '油烟', '占道', '渣土', '广告', '犬', '绿化', '排水', '燃气', '占道经营'];
    // Typed in the page, a query every 30 ms (a fast typist; Playwright's own round trips on two
    // busy cores are slower than a search), each an input event as a keystroke makes.
    const { start, typed } = await page.evaluate((list) => new Promise((resolve) => {
      const box = document.querySelector('#q');
      box.focus();
      const start = performance.now();
      list.forEach((q, i) => setTimeout(() => {
        box.value = q;
        box.dispatchEvent(new Event('input', { bubbles: true }));
        if (i === list.length - 1) resolve({ start, typed: performance.now() });
      }, 30 * i));
    }), queries);
    // The last query is answered (the strict hits of 占道经营: four items with the lexicon’s 摆摊设点 on highways, CG-CF-014 first).
    await page.waitForFunction(() => /找到 4 项完全相符/.test(document.querySelector('#status').innerText));
    await page.waitForTimeout(3 * SLOW_MS); // an answer typed over, had it been on its way, would show by now
    const { long, drawn } = await page.evaluate(() => ({ long: window.__long, drawn: window.__drawn }));
    const searched = await page.workers()[0].evaluate(() => self.__searched);
    t.diagnostic(`typing took ${Math.round(typed - start)} ms; the worker ran ${searched.length} searches: ${JSON.stringify(searched)}`);
    t.diagnostic(`main-thread long tasks from the first query on: ${JSON.stringify(long.filter(([at]) => at >= start))}`);
    // The main thread was never blocked by a search (each one alone is a 150 ms task in the worker).
    const blocking = long.filter(([at, ms]) => at + ms >= start && ms >= SLOW_MS);
    assert.deepEqual(blocking, [], 'no main-thread task as long as a search');
    // Only the latest query's answer is drawn once it was typed; the queries typed over while a
    // search ran were skipped by the worker, unrun.
    const after = drawn.filter((d) => d.at >= typed);
    const final = after.at(-1);
    assert.match(final.status, /找到 4 项完全相符/);
    assert.equal(final.first, 'CG-CF-014');
    for (const d of after) assert.ok(d.status === final.status || /正在检索/.test(d.status), `drawn after the last query was typed: ${JSON.stringify(d)}`);
    // (A query answered from chunks not yet downloaded runs again once they are: counted once.)
    const run = searched.filter((q, i) => queries.includes(q) && q !== searched[i - 1]);
    assert.equal(run.at(-1), '占道经营');
    assert.ok(run.length <= queries.length / 2, `the worker skipped the queries typed over: ran ${JSON.stringify(run)}`);
    assert.equal(new URL(page.url()).searchParams.get('q'), '占道经营');
    assertClean(problems);
    await close();
  });

  test('<power-search> elements share one worker (search-worker.js), and the main thread runs no module', async () => {
    const { page, problems, close } = await env.open(null);
    await page.addInitScript(countWasm);
    await page.goto(`${env.base}embed.html`);
    await embedReady(page);
    await page.locator('power-search input').first().fill('摆摊');
    await page.waitForFunction(() => document.querySelector('power-search').shadowRoot.querySelector('[role="option"]'));
    assert.deepEqual(await page.evaluate(() => window.__wasm), []);
    assert.deepEqual(page.workers().map((w) => new URL(w.url()).pathname), ['/search-worker.js']);
    // The script API answers from the worker too: promises of plain data.
    const api = await page.evaluate(async () => {
      const index = document.querySelector('power-search').index;
      const r = await index.search('zdjy', { limit: 2 });
      const item = await index.get('CG-CF-014');
      return { kind: r.kind, hits: r.hits.length, name: item.name, count: index.itemCount, regions: index.meta.regions.length > 0 };
    });
    assert.deepEqual(api, { kind: 'pinyin', hits: 2, name: api.name, count: 499, regions: true });
    assert.ok(api.name.length > 0);
    assertClean(problems);
    await close();
  });
});
