// Page test: the app in www/, served by `powerlist serve`, driven in Debian's Chromium.
// Run after scripts/build.sh (it needs www/pkg and www/catalog.idx).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = path.join(root, 'tests/e2e/artifacts');
mkdirSync(artifacts, { recursive: true });

let server;
let base;
let browser;

before(async () => {
  server = spawn(path.join(root, 'target/release/powerlist'), ['serve', '--dir', path.join(root, 'www'), '--addr', '127.0.0.1:0']);
  base = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/[^/\s]+\//);
      if (m) resolve(m[0]);
    });
    server.on('exit', (code) => reject(new Error(`server exited ${code}`)));
    setTimeout(() => reject(new Error('server did not start')), 10000);
  });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
});

after(async () => {
  await browser?.close();
  server?.kill();
});

// A page that records console errors, page errors and requests to other origins.
async function open(url) {
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('request', (r) => { if (!r.url().startsWith(base)) problems.push(`foreign request: ${r.url()}`); });
  await page.goto(url);
  return { page, problems };
}

test('typing a Chinese query shows results as you type', async () => {
  const { page, problems } = await open(base);
  const q = page.locator('#q');
  await q.waitFor({ state: 'visible' });
  await page.waitForFunction(() => !document.querySelector('#q').disabled);
  await q.pressSequentially('占道经营', { delay: 30 });
  await page.waitForFunction(() => document.querySelectorAll('#results > li').length > 0);
  const first = await page.locator('#results > li .name').first().innerText();
  assert.match(first, /占用城市道路/);
  assert.match(await page.locator('#status').innerText(), /找到 \d+ 项/);
  assert.ok(await page.locator('#results mark').count() >= 0);
  await page.screenshot({ path: path.join(artifacts, 'search-zhandao.png'), fullPage: false });
  assert.deepEqual(problems, []);
  await page.close();
});

test('a region shows who handles the item there', async () => {
  const { page, problems } = await open(`${base}?q=${encodeURIComponent('摆摊')}`);
  await page.waitForFunction(() => !document.querySelector('#region').disabled);
  await page.selectOption('#region', '321281100');
  await page.waitForFunction(() => document.querySelector('#results').innerText.includes('戴窑镇综合行政执法局'));
  await page.screenshot({ path: path.join(artifacts, 'region-daiyao.png') });
  assert.deepEqual(problems, []);
  await page.close();
});

test('pinyin, code and citation queries work in the page', async () => {
  const { page, problems } = await open(base);
  await page.waitForFunction(() => !document.querySelector('#q').disabled);
  for (const [query, expect] of [['zdjy', '占用城市道路'], ['CG-CF-014', '占用城市道路'], ['食品安全法第一百二十二条', '食品生产经营许可']]) {
    await page.fill('#q', query);
    await page.waitForFunction((e) => document.querySelector('#results').innerText.includes(e), expect);
  }
  assert.match(await page.locator('#citation').innerText(), /第一百二十二条|未取得食品生产经营许可/);
  await page.screenshot({ path: path.join(artifacts, 'citation.png') });
  assert.deepEqual(problems, []);
  await page.close();
});

test('a corrupt or missing index shows an error a user can act on', async () => {
  const { page } = await open(`${base}?index=missing.idx`);
  await page.waitForFunction(() => document.querySelector('#status').className === 'error');
  assert.match(await page.locator('#status').innerText(), /索引加载失败/);
  const { page: p2 } = await open(`${base}?index=index.html`);
  await p2.waitForFunction(() => document.querySelector('#status').className === 'error');
  assert.match(await p2.locator('#status').innerText(), /not a powerlist index/);
  await page.close();
  await p2.close();
});
