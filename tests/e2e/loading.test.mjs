// The loading phase on a phone (390×844): the index and the module download side by side, the
// search box takes typing at once and the query is answered when the index arrives, a progress
// bar shows the download, and nothing on screen jumps when the results come (Cumulative Layout
// Shift, measured by the browser's Layout Instability API, under 0.05).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, countingProxy, launchBrowser, open, appReady, shot, assertClean, COPY_MS } from './harness.mjs';

const PHONE = { width: 390, height: 844 };
let browser;
let server;
before(async () => {
  browser = await launchBrowser();
  server = await startServer();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Sums the layout shifts not caused by input into window.__cls (entries in window.__shifts). */
function measureLayoutShift() {
  window.__cls = 0;
  window.__shifts = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.hadRecentInput) continue;
      window.__cls += e.value;
      window.__shifts.push({ value: e.value, at: Math.round(e.startTime), sources: (e.sources || []).map((s) => s.node?.className || s.node?.nodeName || '?') });
    }
  }).observe({ type: 'layout-shift', buffered: true });
}

test('typing while the index downloads is answered when it arrives; the module and the index download in parallel', async (t) => {
  const proxy = await countingProxy(server.base);
  // Both the module and the index are held back: only a page that asks for both before either
  // has arrived gets both requests to the server.
  const releaseModule = proxy.hold(/\.wasm$/);
  const releaseIndex = proxy.hold(/catalog\/core\.bin/);
  proxy.slow(/catalog\/core\.bin/, { chunk: 2048, ms: 100 });
  const { page, problems, close } = await open(browser, proxy.base, null, { viewport: PHONE });
  try {
    // A region in the URL: typing while loading must not lose it.
    await page.goto(`${proxy.base}?region=321281100`);
    const asked = (re) => proxy.log.find((e) => re.test(e.url));
    const until = Date.now() + 10000;
    while (!asked(/\/catalog\/core\.bin$/) || !asked(/\.wasm$/)) {
      assert.ok(Date.now() < until, `both requested while neither had arrived (index: ${Boolean(asked(/\/catalog\/core\.bin$/))}, module: ${Boolean(asked(/\.wasm$/))})`);
      await new Promise((r) => setTimeout(r, 20));
    }
    t.diagnostic(`index requested ${asked(/\/catalog\/core\.bin$/).at - asked(/\.wasm$/).at} ms from the module's request (negative: before it)`);
    releaseModule();
    releaseIndex();

    // Loading: the box is enabled, the results are busy, a progress bar shows bytes received.
    const q = page.locator('#q');
    assert.equal(await q.isEnabled(), true);
    assert.equal(await page.locator('.ps-search-pane').getAttribute('aria-busy'), 'true');
    // Bytes received so far; of a total only when the server sent the index uncompressed (a
    // compressed body's Content-Length is not the bytes the page reads).
    await page.waitForFunction(() => document.querySelector('.ps-progress-text')?.innerText);
    const bar = page.getByRole('progressbar', { name: '索引下载进度' });
    assert.equal(await bar.isVisible(), true);
    assert.match(await page.locator('.ps-progress-text').innerText(), /^[\d.]+ (B|KB|MB)( \/ [\d.]+ (KB|MB))?$/);
    await q.pressSequentially('摆摊', { delay: 30 });
    assert.equal(await page.locator('.ps').getAttribute('data-state'), 'loading', 'typed before the index was ready');
    assert.equal(await page.locator('#status').innerText(), '正在加载索引，完成后立即检索“摆摊”…');
    await shot(page, 'loading');

    // The index arrives: the query typed is answered, in the box, the results and the URL.
    await appReady(page);
    await page.waitForFunction(() => document.querySelectorAll('#results > li').length > 0);
    assert.match(await page.locator('#status').innerText(), /找到 \d+ 项/);
    // The first screen of hits comes first; the rest of the page follows (busy until then).
    await page.waitForFunction(() => !document.querySelector('.ps-search-pane').hasAttribute('aria-busy'));
    assert.equal(await q.inputValue(), '摆摊');
    assert.equal(new URL(page.url()).searchParams.get('q'), '摆摊');
    assert.equal(new URL(page.url()).searchParams.get('region'), '321281100');
    assert.match(await page.locator('#results > li').first().innerText(), /在戴窑镇由/);
    assert.equal(await bar.count(), 0, 'no progress bar once loaded');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'q', 'the box kept the focus');
    assertClean(problems);
  } finally {
    await close();
    await proxy.stop();
  }
});

for (const [name, url] of [['home', '/'], ['results', `/?q=${encodeURIComponent('摆摊')}`], ['item', '/?item=CG-CF-014&region=321281100']]) {
  test(`no layout jump as the ${name} view loads on a phone (CLS < 0.05), offline copy included`, async (t) => {
    const proxy = await countingProxy(server.base);
    // A slow index (a phone network), so the loading state is on screen for a while.
    proxy.slow(/catalog\/core\.bin/, { chunk: 16384, ms: 60 });
    const { page, problems, close } = await open(browser, proxy.base, null, { viewport: PHONE, context: { serviceWorkers: 'allow' } });
    try {
      await page.addInitScript(measureLayoutShift);
      await page.goto(new URL(url, proxy.base).href);
      await appReady(page);
      // The offline copy's badge and bar come and go after the first answer: they count too.
      await page.waitForSelector('#offline[data-status="ready"]', { timeout: COPY_MS });
      await page.waitForTimeout(300);
      const { cls, shifts } = await page.evaluate(() => ({ cls: window.__cls, shifts: window.__shifts }));
      t.diagnostic(`CLS ${cls.toFixed(4)}: ${JSON.stringify(shifts)}`);
      assert.ok(cls < 0.05, `CLS ${cls} (${JSON.stringify(shifts)})`);
      assertClean(problems);
    } finally {
      await close();
      await proxy.stop();
    }
  });
}

test('a first visit fetches the page script, the worker script, the module and the core, each once, and the rest only later', async () => {
  const proxy = await countingProxy(server.base);
  const { page, problems, close } = await open(browser, proxy.base, null, { viewport: PHONE, context: { serviceWorkers: 'allow' } });
  try {
    // When the first hit was put on screen, on the clock of the proxy's log (the same machine).
    await page.addInitScript(() => {
      new MutationObserver((_, obs) => {
        if (document.querySelector('#results .ps-hit')) {
          window.__answerAt = Date.now();
          obs.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(`${proxy.base}?q=${encodeURIComponent('占道经营')}&region=321281123`);
    await page.waitForFunction(() => window.__answerAt);
    const answerAt = await page.evaluate(() => window.__answerAt);
    // What reached the server before the answer, the page's requests and its search worker's
    // (whose fetches are not in the page's resource timings).
    const before = proxy.log.filter((e) => e.at <= answerAt).map((e) => new URL(e.url, proxy.base).pathname);
    const asked = proxy.log.map((e) => new URL(e.url, proxy.base).pathname);
    // The page's script is one bundle, the worker's another (the module's glue in it); the
    // worker asks for the index's core and the module side by side.
    for (const file of ['/app.min.js', '/search-worker.min.js', '/catalog/core.bin', '/pkg/powerlist_bg.wasm']) {
      assert.ok(before.includes(file), `${file} before the answer: ${before.join(' ')}`);
      assert.equal(asked.filter((p) => p === file).length, 1, `${file} fetched once: ${asked.join(' ')}`);
    }
    const scripts = before.filter((p) => p.endsWith('.js'));
    assert.deepEqual(scripts.sort(), ['/app.min.js', '/pkg/build-info.js', '/search-worker.min.js'],
      'the page\'s script, the worker\'s (and the build\'s version, for the worker) before the first answer');
    for (const later of ['/versions.json', '/pkg/admin/powerlist_bg.wasm', '/pkg/admin/powerlist.js', '/pkg/powerlist.js', '/search-worker.js', '/loader.js']) {
      assert.ok(!before.includes(later), `${later} is not fetched before the first answer`);
    }
    // Then the rest arrives: the version comparison is offered, the offline copy made (and it
    // reuses the core the page has).
    await page.waitForFunction(() => document.querySelector('#offline')?.dataset.status === 'ready', null, { timeout: COPY_MS });
    // (Offered in the header; shown in the officer view only.)
    await page.waitForSelector('#versions button', { state: 'attached' });
    const after = proxy.log.map((e) => new URL(e.url, proxy.base).pathname);
    assert.equal(after.filter((p) => p === '/catalog/core.bin').length, 1, 'the offline copy reuses the core');
    assertClean(problems);
  } finally {
    await close();
    await proxy.stop();
  }
});

test('a chunked index draws the first screen of hits first, then the rest of the page below it', async () => {
  const { page, problems, close } = await open(browser, server.base, null, { viewport: PHONE });
  try {
    // Every count of hits on screen, in order, and when the first was drawn.
    await page.addInitScript(() => {
      window.__counts = [];
      new MutationObserver(() => {
        const n = document.querySelectorAll('#results .ps-hit').length;
        if (n > 0 && window.__counts.at(-1) !== n) {
          window.__counts.push(n);
          window.__answerAt ??= performance.now();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(`${server.base}?q=${encodeURIComponent('占道经营')}&region=321281123`);
    // 3 hits match all of the query (CG-CF-014, and the two street-vendor items that share its
    // rare keywords) and 19 part of it: a page of 20.
    await page.waitForFunction(() => window.__counts.at(-1) > 6
      && !document.querySelector('.ps-search-pane').hasAttribute('aria-busy'));
    const counts = await page.evaluate(() => window.__counts);
    assert.deepEqual(counts, [6, 20], 'six hits first, then the whole page');
    // The first screen waited for the key shards (a chunk per character: its pairs with the
    // keyword keys starting with it), the township's assignments and six records' chunks, not
    // the page's.
    const chunks = await page.evaluate(() => performance.getEntriesByType('resource')
      .filter((r) => r.startTime < window.__answerAt && /\/catalog\/[0-9a-f]{16}\.bin$/.test(r.name)).length);
    assert.ok(chunks <= 12, `${chunks} chunks before the first screen`);
    // Nothing is lost: the page is the one a whole index gives, in the same order.
    const codes = await page.$$eval('#results .ps-hit', (rows) => rows.map((r) => r.dataset.code));
    assert.equal(codes.length, 20);
    assert.equal(codes[0], 'CG-CF-014');
    assert.equal(new Set(codes).size, 20);
    assertClean(problems);
  } finally {
    await close();
  }
});
