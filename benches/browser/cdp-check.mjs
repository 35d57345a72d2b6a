// Does Chromium's own throttling (CDP Network.emulateNetworkConditions on the page) slow down a
// service worker's fetches? Why the benchmark throttles in a proxy instead. One run:
//   node cdp-check.mjs
// A page throttled to 1.6 Mbit/s fetches 512 KiB three ways — itself before any worker
// controls it, from its service worker's own code, and through the worker's fetch handler — and
// prints the three times (unthrottled, each takes a few milliseconds; throttled, about 2.7 s).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { OUT, put } from './lib/files.mjs';
import { launch } from './lib/measure.mjs';
import { startStaticServer } from './lib/static-server.mjs';

const DIR = path.join(OUT, 'cdp-check');
const SIZE = 512 * 1024;

const PAGE = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="page.js"></script>`;
const PAGE_JS = `
const time = async (f) => { const t = performance.now(); await f(); return performance.now() - t; };
const get = (u) => fetch(u, { cache: 'no-store' }).then((r) => r.arrayBuffer());
if (!navigator.serviceWorker.controller) {
  const page = await time(() => get('blob.bin?page'));
  const reg = await navigator.serviceWorker.register('sw.js');
  await navigator.serviceWorker.ready;
  const worker = await new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = (e) => resolve(e.data);
    reg.active.postMessage('fetch', [ch.port2]);
  });
  window.__result = { page, worker };
} else {
  window.__result = { viaHandler: await time(() => get('blob.bin?handler')) };
}`;
const SW_JS = `
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (e) => { if (e.request.url.includes('handler')) e.respondWith(fetch(e.request)); });
self.addEventListener('message', (e) => e.waitUntil((async () => {
  const t = performance.now();
  await fetch('blob.bin?worker', { cache: 'no-store' }).then((r) => r.arrayBuffer());
  e.ports[0].postMessage(performance.now() - t);
})()));`;

async function measure(browser, base, throttle) {
  const context = await browser.newContext({ serviceWorkers: 'allow' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  if (throttle) await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 200_000, uploadThroughput: 93_750 });
  const result = async () => page.waitForFunction(() => window.__result, null, { timeout: 60_000 }).then((h) => h.jsonValue());
  await page.goto(`${base}index.html`);
  const first = await result();
  await page.reload(); // now controlled by the worker: the page's fetch goes through its handler
  const second = await result();
  await context.close();
  return { ...first, ...second };
}

put(path.join(DIR, 'index.html'), PAGE);
put(path.join(DIR, 'page.js'), PAGE_JS);
put(path.join(DIR, 'sw.js'), SW_JS);
if (!fs.existsSync(path.join(DIR, 'blob.bin'))) put(path.join(DIR, 'blob.bin'), crypto.randomBytes(SIZE));
const origin = await startStaticServer(DIR);
const browser = await launch();
const base = `http://127.0.0.1:${origin.port}/`;
try {
  for (const throttle of [false, true]) {
    const r = await measure(browser, base, throttle);
    const f = (ms) => `${(ms / 1000).toFixed(2)} s`;
    console.log(`${throttle ? 'CDP-throttled' : 'unthrottled  '}: page fetch ${f(r.page)}, service worker's own fetch ${f(r.worker)}, page fetch through the worker's fetch handler ${f(r.viaHandler)}`);
  }
} finally {
  await browser.close();
  await origin.close();
}
