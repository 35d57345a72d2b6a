// An offline copy nothing can spoil: a damaged deploy (a file that does not match files.json), a
// captive portal (every answer a 200 text/html login page), a rollback to an earlier build, and
// what is left in the caches once a new build is current. Each test serves its own copy of www/
// through the counting proxy (harness.mjs), as cache.test.mjs does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { siteCopy, serveCounted, waitFor, launchBrowser, open, appReady, shot, assertClean, buildIndex, buildWeb, writeManifest, www, root, COPY_MS } from './harness.mjs';

let browser;
const scratch = [];
before(async () => { browser = await launchBrowser(); });
after(async () => {
  await browser?.close();
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

function tempDir(prefix) {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

const manifest = (site) => JSON.parse(readFileSync(path.join(site, 'files.json'), 'utf8'));

const OLD = '临时占用城市道路审批';
const NEW = '临时占用城市道路审批（新版名称）';

/** The sample catalog with CG-XK-001 renamed, built into `site` (catalog/ and, if asked, catalog.idx). */
function deployRenamed(site, { idx = false } = {}) {
  const data = tempDir('powerlist-data-');
  cpSync(path.join(root, 'data'), data, { recursive: true });
  const csv = path.join(data, 'items.csv');
  writeFileSync(csv, readFileSync(csv, 'utf8').replace(`CG-XK-001,${OLD},`, `CG-XK-001,${NEW},`));
  buildWeb(data, path.join(site, 'catalog'));
  if (idx) buildIndex(data, path.join(site, 'catalog.idx'));
  writeManifest(site);
}

/** Flips one bit in the middle of `file` (and drops its precompressed copies, so the server sends it). */
function flip(file) {
  const bytes = readFileSync(file);
  bytes[bytes.length >> 1] ^= 0x10;
  writeFileSync(file, bytes);
  for (const ext of ['.br', '.gz']) rmSync(file + ext, { force: true });
}

/** What the service worker keeps, read from the page: the current build and every cache's URLs. */
function cacheState(page) {
  return page.evaluate(async () => {
    const meta = await caches.open('powerlist-meta');
    const current = await meta.match(new URL('.powerlist/current', location.href));
    const out = { current: current ? (await current.json()).build : null, caches: {} };
    for (const name of await caches.keys()) {
      out.caches[name] = (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname);
    }
    return out;
  });
}

const buildCaches = (state) => Object.keys(state.caches).filter((n) => n.startsWith('powerlist-build-'));

/** The worker's messages to the page (progress, ready, failed), from its first moment. */
function recordWorker() {
  window.__sw = [];
  navigator.serviceWorker?.addEventListener('message', (e) => window.__sw.push(e.data));
}

const title = (page) => page.locator('.ps-item-title').innerText();

test('a damaged deploy (a chunk and catalog.idx that do not match files.json) never replaces the good copy, online or offline', async () => {
  const site = siteCopy(scratch);
  let { proxy, stop } = await serveCounted(site);
  const addr = proxy.addr;
  const { page, context, problems, close } = await open(browser, proxy.base, null, {
    viewport: { width: 390, height: 844 }, context: { serviceWorkers: 'allow' },
  });
  await page.addInitScript(recordWorker);
  const item = `${proxy.base}?item=CG-XK-001`;
  const single = `${proxy.base}?index=catalog.idx&item=CG-XK-001`;
  try {
    await page.goto(item);
    await appReady(page);
    await page.waitForSelector('#offline[data-status="ready"]', { timeout: COPY_MS });
    // The single-file index too (listed, not copied ahead): kept once fetched.
    await page.goto(single);
    await appReady(page);
    assert.equal(await title(page), OLD);
    const good = manifest(site);
    const before = await cacheState(page);
    assert.equal(before.current, good.build);

    // A new build whose files.json was written before one new chunk and catalog.idx were damaged
    // (a disk error, an interrupted upload): the listed hashes are those of the good bytes.
    deployRenamed(site, { idx: true });
    const bad = manifest(site);
    const oldHashes = new Set(good.files.map((f) => f.hash));
    const chunk = bad.files.find((f) => /^catalog\/[0-9a-f]{16}\.bin$/.test(f.path) && !oldHashes.has(f.hash));
    assert.ok(chunk, 'the rename changed a chunk');
    flip(path.join(site, chunk.path));
    flip(path.join(site, 'catalog.idx'));

    // The next visits: the good copy answers, says nothing alarming, and is still current.
    for (let visit = 0; visit < 2; visit++) {
      const since = proxy.log.length;
      await page.goto(item);
      await appReady(page);
      assert.equal(await title(page), OLD);
      await page.waitForFunction(() => window.__sw.some((m) => m.type === 'failed'), null, { timeout: COPY_MS });
      assert.ok(proxy.log.slice(since).some((e) => e.url === `/${chunk.path}`), 'the damaged chunk was tried');
      // Quietly: the note of the update being downloaded goes, the badge still names the copy.
      await page.waitForFunction(() => document.querySelector('#update-note').textContent === '');
      await page.waitForSelector('#offline[data-status="ready"]');
      assert.match(await page.locator('#offline').innerText(), /^离线副本：2025\.1 版（2025-11-25）$/);
      assert.equal(await page.locator('.ps-error').isHidden(), true);
      const state = await cacheState(page);
      assert.equal(state.current, good.build, 'the worker did not switch builds');
      for (const [name, urls] of Object.entries(state.caches)) {
        assert.ok(!urls.includes(`/${chunk.path}`), `${name} has no copy of the damaged chunk`);
      }
      // The single-file index: the kept copy, not the damaged bytes on the server.
      await page.goto(single);
      await appReady(page);
      assert.equal(await title(page), OLD);
      assert.equal(await page.locator('.ps-error').isHidden(), true);
    }
    const state = await cacheState(page);
    for (const [name, urls] of Object.entries(state.caches)) {
      if (name !== `powerlist-build-${good.build}`) assert.ok(!urls.includes('/catalog.idx'), `${name} has no copy of the damaged catalog.idx`);
    }

    // Offline: the good copy, whole.
    await context.setOffline(true);
    await stop();
    for (const url of [item, single]) {
      await page.goto(url);
      await appReady(page);
      assert.equal(await title(page), OLD);
    }
    await shot(page, 'damaged-deploy-offline');

    // The site repaired (the same build, good bytes): the update completes as any other.
    await context.setOffline(false);
    deployRenamed(site, { idx: true });
    assert.equal(manifest(site).build, bad.build);
    ({ proxy, stop } = await serveCounted(site, addr));
    await page.goto(item);
    await appReady(page);
    await page.waitForSelector('#update-note:has-text("刷新即可使用")', { timeout: COPY_MS });
    await page.reload();
    await appReady(page);
    assert.equal(await title(page), NEW);
    assertClean(problems);
  } finally {
    await close();
    await stop();
  }
});

const LOGIN = '<!doctype html><html><head><title>Wi-Fi 登录</title></head><body><h1>请先登录</h1><form><input name="phone"></form></body></html>';

test('behind a captive portal (every answer 200 text/html) the page answers from its copy and nothing is replaced', async () => {
  const site = siteCopy(scratch);
  // A catalog of the reader's own choosing (?index=, not listed): kept for offline use.
  buildIndex(path.join(root, 'tests/fixtures/mini'), path.join(site, 'mini.idx'));
  const { proxy, stop } = await serveCounted(site);
  const { page, context, problems, close } = await open(browser, proxy.base, null, {
    viewport: { width: 390, height: 844 }, context: { serviceWorkers: 'allow' },
    allow: [/status of 404/], // nothing-here.js, asked for below
  });
  const item = `${proxy.base}?item=CG-XK-001`;
  const other = `${proxy.base}?index=mini.idx`;
  try {
    await page.goto(item);
    await appReady(page);
    await page.waitForSelector('#offline[data-status="ready"]', { timeout: COPY_MS });
    await page.goto(other);
    await appReady(page);
    const miniStats = await page.locator('#footer-stats').innerText();
    // Some requests only a page makes (files.json, previous.idx, a file that is not there).
    const fetchAll = () => page.evaluate(async () => {
      const out = {};
      for (const f of ['files.json', 'previous.idx', 'mini.idx', 'list.html', 'nothing-here.js']) {
        try {
          const r = await fetch(f);
          out[f] = { status: r.status, type: r.headers.get('Content-Type'), bytes: (await r.arrayBuffer()).byteLength };
        } catch (err) {
          out[f] = { error: String(err) };
        }
      }
      return out;
    });
    const online = await fetchAll();
    const before = await cacheState(page);

    // The portal: every request, the worker's check of files.json and the browser's of sw.js too.
    const release = proxy.portal(LOGIN);
    const since = proxy.log.length;
    await page.goto(item);
    await appReady(page);
    assert.equal(await title(page), OLD);
    await waitFor(() => proxy.log.slice(since).some((e) => e.url === '/files.json' && e.end), 'the check for a new build');
    await page.goto(other);
    await appReady(page);
    assert.equal(await page.locator('#footer-stats').innerText(), miniStats, 'the kept copy of the other catalog');
    const portal = await fetchAll();
    // files.json came back as HTML (the page may see that) and was not taken for a manifest.
    assert.match(portal['files.json'].type, /text\/html/);
    // The index files: the kept copies, never the login page.
    for (const f of ['previous.idx', 'mini.idx', 'list.html']) {
      if (online[f].status === 200) assert.deepEqual(portal[f], online[f], f);
    }
    await page.goto(`${proxy.base}list.html?region=321281100`);
    await page.waitForSelector('#list section, #list .error', { timeout: COPY_MS });
    assert.equal(await page.locator('#list .error').count(), 0, await page.locator('#list').innerText());
    await shot(page, 'captive-portal-list');
    const afterPortal = await cacheState(page);
    assert.equal(afterPortal.current, before.current, 'the worker did not switch builds');
    assert.deepEqual(Object.keys(afterPortal.caches).sort(), Object.keys(before.caches).sort(), 'no cache added or removed');
    for (const [name, urls] of Object.entries(before.caches)) {
      assert.deepEqual(afterPortal.caches[name].sort(), urls.sort(), `${name} unchanged`);
    }
    // Nothing kept is the login page.
    const html = await page.evaluate(async () => {
      const found = [];
      for (const name of await caches.keys()) {
        const c = await caches.open(name);
        for (const req of await c.keys()) {
          const r = await c.match(req);
          if (/text\/html/.test(r.headers.get('Content-Type') || '') && (await r.text()).includes('请先登录')) found.push(req.url);
        }
      }
      return found;
    });
    assert.deepEqual(html, []);
    release();

    // And offline after it: everything still there.
    await context.setOffline(true);
    await stop();
    await page.goto(item);
    await appReady(page);
    assert.equal(await title(page), OLD);
    await page.goto(other);
    await appReady(page);
    assert.equal(await page.locator('#footer-stats').innerText(), miniStats);
    assertClean(problems);
  } finally {
    await close();
    await stop();
  }
});

test('a rollback reaches the reader like any update, and each switch leaves one build: old caches and files no build lists are gone', async () => {
  const site = siteCopy(scratch);
  const original = tempDir('powerlist-original-');
  cpSync(path.join(site, 'catalog'), path.join(original, 'catalog'), { recursive: true });
  cpSync(path.join(site, 'files.json'), path.join(original, 'files.json'));
  const first = manifest(site);
  const { proxy, stop } = await serveCounted(site);
  const { page, problems, close } = await open(browser, proxy.base, null, {
    viewport: { width: 390, height: 844 }, context: { serviceWorkers: 'allow' },
  });
  const item = `${proxy.base}?item=CG-XK-001`;
  const precached = (m) => m.files.filter((f) => !f.path.endsWith('.idx')).map((f) => `/${f.path}`);
  /** Once the page's check is done: one build cache, the current one, holding what its build lists. */
  const settled = async (m) => {
    // The worker prunes when a page checks in; the page before a reload may still count as
    // open then (its build kept for it), so the check is repeated every few seconds, as the
    // reader's next page would.
    let asked = Date.now();
    await waitFor(async () => {
      const s = await cacheState(page);
      if (s.current === m.build && buildCaches(s).length === 1) return true;
      if (Date.now() - asked > 5000) {
        asked = Date.now();
        await page.evaluate(() => navigator.serviceWorker.controller?.postMessage({ type: 'check' }));
      }
      return false;
    }, 'the old build to be deleted', COPY_MS);
    const s = await cacheState(page);
    assert.deepEqual(buildCaches(s), [`powerlist-build-${m.build}`]);
    const listed = new Set(precached(m));
    const held = s.caches[`powerlist-build-${m.build}`].filter((u) => u !== '/.powerlist/files.json');
    assert.deepEqual(held.filter((u) => !listed.has(u)), [], 'the build cache holds nothing its build does not list');
    assert.equal(held.length, listed.size, 'and everything it lists');
    assert.deepEqual(Object.keys(s.caches).filter((n) => n.startsWith('powerlist-')).sort(),
      ['powerlist-meta', ...(s.caches['powerlist-runtime'] ? ['powerlist-runtime'] : []), `powerlist-build-${m.build}`].sort());
    return s;
  };
  try {
    await page.goto(item);
    await appReady(page);
    await page.waitForSelector('#offline[data-status="ready"]', { timeout: COPY_MS });
    await settled(first);
    // What a page may have left in the runtime cache: a chunk of this build fetched from the
    // network (an open page's), and another catalog the reader opened (?index=, never listed).
    const oldChunk = first.files.find((f) => /^catalog\/[0-9a-f]{16}\.bin$/.test(f.path));
    await page.evaluate(async (urls) => {
      const c = await caches.open('powerlist-runtime');
      for (const u of urls) await c.put(new URL(u, location.href), new Response('kept', { headers: { 'Content-Type': 'application/octet-stream' } }));
    }, [oldChunk.path, 'elsewhere/other.idx']);

    // An update: the next visit but one uses it.
    deployRenamed(site);
    const second = manifest(site);
    assert.notEqual(second.build, first.build);
    await page.reload();
    await appReady(page);
    assert.equal(await title(page), OLD);
    await page.waitForSelector('#update-note:has-text("刷新即可使用")', { timeout: COPY_MS });
    await page.reload();
    await appReady(page);
    assert.equal(await title(page), NEW);
    let s = await settled(second);
    const runtime = s.caches['powerlist-runtime'] ?? [];
    assert.ok(!runtime.includes(`/${oldChunk.path}`), 'a file the old build listed is not kept beside the new one');
    assert.ok(runtime.includes('/elsewhere/other.idx'), 'another catalog the reader opened is kept');

    // The site goes back to the first build (its files.json and catalog/ as they were).
    rmSync(path.join(site, 'catalog'), { recursive: true });
    cpSync(path.join(original, 'catalog'), path.join(site, 'catalog'), { recursive: true });
    cpSync(path.join(original, 'files.json'), path.join(site, 'files.json'));
    assert.equal(manifest(site).build, first.build);
    await page.reload();
    await appReady(page);
    assert.equal(await title(page), NEW, 'the copy answers first');
    await page.waitForSelector('#update-note:has-text("刷新即可使用")', { timeout: COPY_MS });
    await page.reload();
    await appReady(page);
    assert.equal(await title(page), OLD, 'the earlier build, at the next visit but one');
    s = await settled(first);
    const listed = new Set([...first.files, ...second.files].map((f) => `/${f.path}`));
    assert.deepEqual((s.caches['powerlist-runtime'] ?? []).filter((u) => listed.has(u)), [], 'the runtime cache keeps no file a build lists');
    assert.ok(s.caches['powerlist-runtime'].includes('/elsewhere/other.idx'));
    assertClean(problems);
  } finally {
    await close();
    await stop();
  }
});
