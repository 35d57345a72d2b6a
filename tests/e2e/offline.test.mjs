// Offline: after one visit the app and its index work with the network off (and the server
// gone); a new build on the server is downloaded in the background at the next online visit and
// used from the visit after it.
// Uses its own copy of www/ and its own server, so it can stop the server and swap the index.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, launchBrowser, open, appReady, shot, assertClean, buildWeb, writeManifest, www, root, COPY_MS } from './harness.mjs';

let browser;
let site;
before(async () => {
  browser = await launchBrowser();
  site = mkdtempSync(path.join(os.tmpdir(), 'powerlist-site-'));
  cpSync(www, site, { recursive: true, filter: (src) => !src.includes(`${path.sep}test-tmp`) });
});
after(async () => {
  await browser?.close();
  if (site) rmSync(site, { recursive: true, force: true });
});

test('after the first visit the app works offline; a new build replaces the old one at the next visit but one', async () => {
  let server = await startServer(site);
  const addr = new URL(server.base).host;
  const { page, context, problems, close } = await open(browser, server.base, '/', { context: { serviceWorkers: 'allow' } });
  try {
    await appReady(page);
    await page.waitForSelector('#offline[data-status="ready"]', { timeout: COPY_MS });
    assert.equal(await page.locator('#offline').innerText(), '已可离线使用');
    assert.match(await page.locator('#catalog').innerText(), /泰州市乡镇（街道）综合行政执法事项清单（示例） · 版本 2025\.1 · 更新于 2025-11-25/);

    // No network and no server: reload, search, open an item from a deep link.
    await server.stop();
    await context.setOffline(true);
    await page.reload();
    await appReady(page);
    await page.fill('#q', '摆摊');
    await page.waitForFunction(() => document.querySelectorAll('#results > li').length > 0);
    await page.waitForSelector('#offline[data-status="ready"]', { timeout: COPY_MS });
    assert.match(await page.locator('#offline').innerText(), /离线模式/);
    await shot(page, 'offline-search');
    await page.goto(`${server.base}?q=${encodeURIComponent('占道')}&region=321281100&item=CG-CF-014`);
    await appReady(page);
    await page.waitForSelector('.ps-item');
    assert.match(await page.locator('.ps-basis').first().innerText(), /擅自占用或者挖掘城市道路/);

    // A new build on the server (index rebuilt, files.json listed again, as scripts/build.sh
    // does). The next online visit is still answered from the copy at once, and downloads the new
    // build in the background; the visit after it uses the new build, online and offline.
    buildWeb(path.join(root, 'tests/fixtures/mini'), path.join(site, 'catalog'));
    writeManifest(site);
    await context.setOffline(false);
    server = await startServer(site, addr);
    await page.goto(server.base);
    await appReady(page);
    assert.doesNotMatch(await page.locator('#footer-stats').innerText(), /^8 项事项/, 'the copy answers first');
    await page.waitForSelector('#update-note:has-text("已更新到新版本，刷新即可使用")');
    await page.reload();
    await appReady(page);
    await page.waitForFunction(() => document.querySelector('#footer-stats').innerText.startsWith('8 项事项'));
    await page.waitForSelector('#offline[data-status="ready"]', { timeout: COPY_MS });
    await server.stop();
    await context.setOffline(true);
    await page.reload();
    await appReady(page);
    assert.match(await page.locator('#footer-stats').innerText(), /^8 项事项/);
    assertClean(problems);
  } finally {
    await close();
    await server.stop();
  }
});
