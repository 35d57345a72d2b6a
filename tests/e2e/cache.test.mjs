// Caching, seen from outside: what reaches the server on a repeat visit before the first answer,
// how a new build reaches a returning reader (and never half of one), and the first visit's
// offline copy with its progress. Each test serves its own copy of www/ through a counting proxy
// (harness.mjs), so it can change the site, hold back a file, and take the server away.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { siteCopy, serveCounted, waitFor, launchBrowser, open, appReady, embedReady, shot, assertClean, buildWeb, bundleApp, writeManifest, www, root, COPY_MS } from './harness.mjs';

let browser;
const scratch = [];
before(async () => { browser = await launchBrowser(); });
after(async () => {
  await browser?.close();
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

/** Records in window.__firstAnswer the time (ms since the epoch) results or an item first appear. */
function markFirstAnswer() {
  const mark = () => {
    if (!window.__firstAnswer && document.querySelector('#results > li, .ps-item')) window.__firstAnswer = performance.timeOrigin + performance.now();
  };
  new MutationObserver(mark).observe(document, { childList: true, subtree: true });
}

const SHELL = /\.(html|js|css|svg|wasm|idx|json)$|\/$|\/\?/;

test('a repeat visit is answered from the copy: nothing of the index, module or shell reaches the server before the first answer', async (t) => {
  const site = siteCopy(scratch);
  const { proxy, stop } = await serveCounted(site);
  const { page, context, problems, close } = await open(browser, proxy.base, null, { context: { serviceWorkers: 'allow' } });
  try {
    await page.addInitScript(markFirstAnswer);
    const url = `${proxy.base}?q=${encodeURIComponent('摆摊')}`;
    await page.goto(url);
    await appReady(page);
    await page.waitForSelector('#offline[data-status="ready"]', { timeout: COPY_MS });
    const firstVisit = proxy.log.reduce((n, e) => n + e.bytes, 0);
    assert.equal(proxy.log.filter((e) => e.url.endsWith('/catalog/core.bin')).length, 1, 'the copy took the index bytes the page had');

    // The repeat visit: every request the page or its worker makes, and every one the server sees.
    const seen = [];
    context.on('request', (r) => seen.push({ r, at: Date.now() }));
    const since = proxy.log.length;
    await page.goto(url);
    await page.waitForFunction(() => window.__firstAnswer);
    const answered = await page.evaluate(() => window.__firstAnswer);
    await appReady(page);
    // The background check for a new build comes after the first answer: wait for it, to show it.
    await waitFor(() => proxy.log.slice(since).some((e) => e.url.endsWith('/files.json') && e.end));
    const server = proxy.log.slice(since);
    const early = server.filter((e) => e.at <= answered);
    const bytes = early.reduce((n, e) => n + e.bytes, 0);
    t.diagnostic(`first visit: ${firstVisit} bytes through the server; repeat visit before the first answer: ${early.length} requests, ${bytes} bytes (${early.map((e) => e.url).join(' ') || 'none'}); after it: ${server.filter((e) => e.at > answered).map((e) => `${e.url} ${e.bytes} B`).join(', ')}`);
    assert.deepEqual(early.filter((e) => SHELL.test(e.url)).map((e) => e.url), [], 'no index, module or shell file reached the server before the first answer');
    assert.ok(bytes <= 1024, `${bytes} bytes before the first answer`);
    // The page's own requests were all answered by the worker, from its copy.
    const fromPage = seen.filter(({ r }) => !r.serviceWorker());
    assert.ok(fromPage.length >= 5, 'the page loaded its files');
    for (const { r } of fromPage) {
      const resp = await r.response();
      assert.ok(resp?.fromServiceWorker(), `${r.url()} came from the worker`);
    }
    // The worker's own request before the answer: none.
    assert.deepEqual(seen.filter(({ r, at }) => r.serviceWorker() && at <= answered).map(({ r }) => r.url()), []);
    assertClean(problems);
  } finally {
    await close();
    await stop();
  }
});

test('a new build reaches a returning reader at the next visit but one; a half-downloaded update is never used', async () => {
  const site = siteCopy(scratch);
  let { proxy, stop } = await serveCounted(site);
  const addr = proxy.addr;
  const { page, context, problems, close } = await open(browser, proxy.base, null, {
    viewport: { width: 390, height: 844 }, context: { serviceWorkers: 'allow' },
  });
  const item = `${proxy.base}?item=CG-XK-001`;
  const title = () => page.locator('.ps-item-title').innerText();
  const OLD = '临时占用城市道路审批';
  const NEW = '临时占用城市道路审批（新版名称）';
  try {
    await page.goto(item);
    await appReady(page);
    assert.equal(await title(), OLD);
    await page.waitForSelector('#offline[data-status="ready"]', { timeout: COPY_MS });

    // The maintainer publishes a new catalog: one item renamed, index rebuilt, files listed.
    const data = mkdtempSync(path.join(os.tmpdir(), 'powerlist-data-'));
    scratch.push(data);
    cpSync(path.join(root, 'data'), data, { recursive: true });
    const csv = path.join(data, 'items.csv');
    writeFileSync(csv, readFileSync(csv, 'utf8').replace(`CG-XK-001,${OLD},`, `CG-XK-001,${NEW},`));
    buildWeb(data, path.join(site, 'catalog'));
    writeManifest(site);

    // Next visit: the copy answers at once with the old build; the new index is held back by the
    // network, and the reader goes offline in the middle of the update.
    const release = proxy.hold(/catalog\/core\.bin/);
    await page.reload();
    await appReady(page);
    assert.equal(await title(), OLD, 'the old build answers while the update downloads');
    await waitFor(() => proxy.log.some((e) => e.url.endsWith('/catalog/core.bin') && !e.end), 'the update to fetch catalog/core.bin', COPY_MS);
    // Said quietly: the copy the page answered from, and the new build coming for next time.
    await page.waitForSelector('#offline:text-is("离线副本：2025.1 版（2025-11-25）")');
    await page.waitForSelector('#update-note:text-is("正在下载新版本，下次打开时使用")');
    await shot(page, 'update-coming', { fullPage: false });
    await context.setOffline(true);
    await stop();
    release();
    await page.reload();
    await appReady(page);
    assert.equal(await title(), OLD, 'offline after a broken update: the old build, whole');
    // The badge follows the answer (the offline module is imported once the answer is drawn).
    await page.waitForFunction(() => /离线模式/.test(document.querySelector('#offline').innerText));
    assert.equal(await page.locator('#update-note').innerText(), '');

    // Online again: the copy still answers first, and this time the update completes.
    await context.setOffline(false);
    ({ proxy, stop } = await serveCounted(site, addr));
    await page.reload();
    await appReady(page);
    assert.equal(await title(), OLD);
    await page.waitForSelector('#update-note:has-text("已更新到新版本，刷新即可使用")');
    await shot(page, 'update-note', { fullPage: false });
    // Only what changed was downloaded: the list, the index's core and the chunks that changed
    // (sw.js: the browser's own check).
    const fetched = new Set(proxy.log.map((e) => e.url));
    assert.ok(fetched.has('/catalog/core.bin') && fetched.has('/files.json'), [...fetched].join(' '));
    assert.deepEqual([...fetched].filter((u) => !['/files.json', '/sw.js'].includes(u) && !u.startsWith('/catalog/')), [], 'unchanged files are reused');
    const chunks = [...fetched].filter((u) => /^\/catalog\/[0-9a-f]{16}\.bin$/.test(u));
    const all = readdirSync(path.join(site, 'catalog')).length - 1;
    assert.ok(chunks.length < all / 2, `only the chunks that changed: ${chunks.length} of ${all}`);

    // Offline now: the new build, complete.
    await context.setOffline(true);
    await stop();
    await page.reload();
    await appReady(page);
    assert.equal(await title(), NEW, 'offline after a complete update: the new build');

    // And online, the next visit shows the new name too (from the copy, no download).
    await context.setOffline(false);
    ({ proxy, stop } = await serveCounted(site, addr));
    await page.reload();
    await appReady(page);
    assert.equal(await title(), NEW);
    assert.ok(!proxy.log.some((e) => e.url.startsWith('/catalog/')), 'the new index came from the copy');
    assertClean(problems);
  } finally {
    await close();
    await stop();
  }
});

test('the first visit copies the site with visible progress, says 已可离线使用, and then every view works offline', async () => {
  const site = siteCopy(scratch);
  const { proxy, stop } = await serveCounted(site);
  // A slow module, so the copy takes long enough to be seen.
  proxy.slow(/\.wasm$/, { chunk: 65536, ms: 60 });
  // The officer view, so the home view's charts are among the views checked offline.
  const { page, context, problems, close } = await open(browser, proxy.base, null, {
    viewport: { width: 390, height: 844 }, context: { serviceWorkers: 'allow' }, officer: true,
  });
  try {
    // Every state of the badge and the bar, as the page showed them.
    await page.addInitScript(() => {
      window.__offline = [];
      const note = () => {
        const badge = document.querySelector('#offline');
        const bar = document.querySelector('#offline-progress');
        if (!badge || !bar) return;
        window.__offline.push({ status: badge.dataset.status, text: badge.innerText, bar: !bar.hidden, value: bar.value, max: bar.max });
      };
      new MutationObserver(note).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    await page.goto(`${proxy.base}?q=${encodeURIComponent('摆摊')}`);
    await appReady(page);
    await page.waitForSelector('#offline[data-status="saving"]');
    await page.waitForFunction(() => { const b = document.querySelector('#offline-progress'); return !b.hidden && b.value > 0; });
    await shot(page, 'offline-saving');
    await page.waitForSelector('#offline[data-status="ready"]', { timeout: COPY_MS });
    assert.equal(await page.locator('#offline').innerText(), '已可离线使用');
    assert.equal(await page.locator('#offline-progress').isHidden(), true);
    await shot(page, 'offline-ready');
    const states = await page.evaluate(() => window.__offline);
    const bars = states.filter((s) => s.status === 'saving' && s.bar);
    assert.ok(bars.length >= 2, 'progress was shown more than once');
    assert.ok(bars.some((s) => s.value > 0 && s.value < s.max), 'partial progress was shown');
    assert.equal(states.at(-1).status, 'ready');
    // Only the first copy: previous.idx (compared on request) was not fetched.
    assert.ok(!proxy.log.some((e) => e.url.endsWith('/previous.idx')));

    // No network, no server: every view of the app.
    await context.setOffline(true);
    await stop();
    await page.goto(proxy.base);
    await appReady(page);
    await page.waitForSelector('.overview');
    await page.fill('#q', '油烟');
    await page.waitForFunction(() => document.querySelectorAll('#results > li').length > 0);
    await page.locator('#results > li').first().click();
    await page.waitForSelector('.ps-item');
    await page.goto(`${proxy.base}?q=${encodeURIComponent('占道')}&region=321281100&item=CG-CF-014`);
    await appReady(page);
    assert.match(await page.locator('.ps-basis').first().innerText(), /擅自占用或者挖掘城市道路/);
    await page.goto(`${proxy.base}list.html?region=321281100`);
    await page.waitForSelector('table tbody tr');
    await page.goto(`${proxy.base}embed.html`);
    await embedReady(page);
    await page.locator('power-search input').fill('摆摊');
    await page.waitForFunction(() => document.querySelector('power-search').shadowRoot.querySelectorAll('li[role="option"]').length > 0);
    assertClean(problems);
  } finally {
    await close();
    await stop();
  }
});

/** The last commit whose worker kept its file list by hand (powerlist-<version> caches). */
const BEFORE_MANIFEST = 'cf77aa9';

test('a reader whose page has the worker from before files.json moves to this one: copied, offline, its old cache gone', async (t) => {
  // That worker and the offline.js that talked to it, from git; today's pages otherwise.
  let legacy;
  try {
    legacy = Object.fromEntries(['sw.js', 'offline.js'].map((f) => [f, execFileSync('git', ['-C', root, 'show', `${BEFORE_MANIFEST}:www/${f}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })]));
  } catch {
    t.skip(`git history without ${BEFORE_MANIFEST} (a shallow clone)`);
    return;
  }
  const site = siteCopy(scratch);
  for (const [f, text] of Object.entries(legacy)) writeFileSync(path.join(site, f), text);
  bundleApp(site); // the page's script carries the old offline.js
  const { proxy, stop } = await serveCounted(site);
  const { page, context, problems, close } = await open(browser, proxy.base, null, { context: { serviceWorkers: 'allow' } });
  const cacheNames = () => page.evaluate(() => caches.keys());
  try {
    await page.goto(proxy.base);
    await appReady(page);
    await page.waitForSelector('#offline[data-status="ready"]', { timeout: COPY_MS });
    assert.ok((await cacheNames()).some((n) => /^powerlist-\d/.test(n)), 'the old worker made its cache');

    // Deployed: this worker and offline.js. The old worker serves the new pages (network first);
    // the browser finds the new sw.js and installs it, which copies the build.
    for (const f of [...Object.keys(legacy), 'app.min.js']) cpSync(path.join(www, f), path.join(site, f));
    writeManifest(site);
    await page.reload();
    await appReady(page);
    await page.waitForFunction(() => document.querySelector('#offline').dataset.status === 'ready' && navigator.serviceWorker.controller?.scriptURL.endsWith('/sw.js'), null, { timeout: COPY_MS });
    await page.waitForFunction(async () => (await caches.keys()).some((n) => n.startsWith('powerlist-build-')));
    await page.waitForFunction(async () => !(await caches.keys()).some((n) => /^powerlist-\d/.test(n)));

    await context.setOffline(true);
    await stop();
    await page.goto(`${proxy.base}?q=${encodeURIComponent('摆摊')}`);
    await appReady(page);
    await page.waitForFunction(() => document.querySelectorAll('#results > li').length > 0);
    assertClean(problems);
  } finally {
    await close();
    await stop();
  }
});

test('a site that stops publishing files.json is served from the network again, not from the last copy forever', async () => {
  const site = siteCopy(scratch);
  const { proxy, stop } = await serveCounted(site);
  const { page, problems, close } = await open(browser, proxy.base, null, { context: { serviceWorkers: 'allow' } });
  try {
    await page.goto(proxy.base);
    await appReady(page);
    await page.waitForSelector('#offline[data-status="ready"]', { timeout: COPY_MS });
    // A new index deployed without its list.
    rmSync(path.join(site, 'files.json'));
    buildWeb(path.join(root, 'tests/fixtures/mini'), path.join(site, 'catalog'));
    await page.reload();
    await appReady(page);
    await waitFor(() => proxy.log.filter((e) => e.url === '/files.json').length >= 2 && proxy.log.at(-1).end, 'the check');
    await page.reload();
    await appReady(page);
    await page.waitForFunction(() => document.querySelector('#footer-stats').innerText.startsWith('8 项事项'));
    assertClean(problems);
  } finally {
    await close();
    await stop();
  }
});
