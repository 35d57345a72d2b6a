// Visits in Chromium at a phone viewport, counted (and, on the slow line, throttled) by the proxy.
// The first answer is the first row of the results list, `#results [data-code]` — the app's
// result rows (www/search-view.js: the listbox #results, one link per hit with data-code) and the
// peers' pages (pages/common.js: one li per hit) alike — at the first animation frame after it
// was inserted.
import path from 'node:path';
import { chromium } from 'playwright-core';
import { now } from './proxy.mjs';

export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };
const ANSWER = '#results [data-code]';
const QUIET_MS = 1000; // "settled": no byte through the proxy for this long

/** Debian's Chromium (never a downloaded browser), with the page tests' flags (tests/e2e/harness.mjs). */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** Runs in every page before its own scripts: notes when the first result row appears. */
function answerProbe(selector) {
  const seen = () => {
    const li = document.querySelector(selector);
    if (!li || window.__answer) return;
    window.__answer = { dom: performance.now(), code: li.dataset.code, text: li.textContent.trim().slice(0, 60) };
    requestAnimationFrame(() => { window.__answer.frame = performance.now(); });
  };
  new MutationObserver(seen).observe(document, { childList: true, subtree: true });
}

/** A fresh context: phone viewport, empty cache, service workers allowed. */
export async function freshContext(browser) {
  const context = await browser.newContext({ ...PHONE, locale: 'zh-CN', serviceWorkers: 'allow' });
  await context.addInitScript(answerProbe, ANSWER);
  return context;
}

/** Bytes and responses the proxy wrote in [from, to] (epoch ms). */
export function traffic(log, from, to = Infinity) {
  let bytes = 0;
  const requests = [];
  for (const e of log) {
    let mine = 0;
    for (const [t, n] of e.writes) if (t >= from && t <= to) mine += n;
    if (!mine) continue;
    bytes += mine;
    requests.push({ url: e.url, status: e.status, encoding: e.encoding, bytes: mine, start: e.start - from, end: e.end == null ? null : e.end - from });
  }
  return { bytes, requests: requests.length, list: requests };
}

/** Waits until no byte has crossed the proxy for QUIET_MS (at most `maxMs`). */
async function quiet(log, maxMs) {
  const until = now() + maxMs;
  for (;;) {
    const last = Math.max(0, ...log.slice(-20).map((e) => e.end ?? now()));
    if (now() - last >= QUIET_MS || now() > until) return;
    await new Promise((r) => { setTimeout(r, 200); });
  }
}

/**
 * Settles a page: network quiet, then — when the page registered a service worker — that
 * worker active (its install precaches) and quiet again.
 */
async function settle(page, log) {
  await quiet(log, 60_000);
  const sw = await page.evaluate(async () => {
    const reg = navigator.serviceWorker && await navigator.serviceWorker.getRegistration();
    if (!reg) return null;
    await Promise.race([navigator.serviceWorker.ready, new Promise((r) => { setTimeout(r, 30_000); })]);
    return { active: Boolean(reg.active), scope: reg.scope };
  });
  if (sw) await quiet(log, 60_000);
  return sw;
}

/**
 * Opens `url` in a new page of `context` and waits for the first answer. Returns the page and
 * { ms (navigation start → answer painted), dom, answer, bytes/requests before the answer }.
 */
export async function visit(context, url, log, { timeoutMs = 180_000 } = {}) {
  const page = await context.newPage();
  const t0 = now();
  await page.goto(url, { waitUntil: 'commit', timeout: timeoutMs });
  await page.waitForFunction(() => window.__answer?.frame != null, null, { timeout: timeoutMs, polling: 50 });
  const a = await page.evaluate(() => ({ ...window.__answer, origin: performance.timeOrigin }));
  const before = traffic(log, t0, a.origin + a.frame);
  return { page, t0, result: { ms: a.frame, dom: a.dom, answer: { code: a.code, text: a.text }, bytes: before.bytes, requests: before.requests, list: before.list } };
}

/**
 * First and repeat visit in one context: the first from an empty cache, then (after the page
 * and its service worker settled, the first page closed) the same URL in a new page. `shot`: a
 * screenshot path for the first visit's answer.
 */
export async function firstAndRepeat(browser, url, proxy, shot) {
  proxy.dropConnections();
  const context = await freshContext(browser);
  try {
    const first = await visit(context, url, proxy.log);
    if (shot) await first.page.screenshot({ path: shot });
    const sw = await settle(first.page, proxy.log);
    first.result.settledBytes = traffic(proxy.log, first.t0).bytes;
    first.result.serviceWorker = sw;
    await first.page.close();
    const repeat = await visit(context, url, proxy.log);
    return { first: first.result, repeat: repeat.result };
  } catch (err) {
    return { error: err.message.split('\n')[0] }; // a page that never answers: recorded, the run goes on
  } finally {
    await context.close();
  }
}

/** A first visit on the throttled line (fresh context); the answer's time and bytes. */
export async function slowVisit(browser, url, proxy, profile) {
  proxy.dropConnections();
  proxy.setThrottle(profile);
  const context = await freshContext(browser);
  try {
    const { result } = await visit(context, url, proxy.log);
    delete result.list;
    return result;
  } catch (err) {
    return { error: err.message.split('\n')[0] };
  } finally {
    await context.close();
    proxy.setThrottle(null);
    proxy.dropConnections();
  }
}

export const shotPath = (size, engine, kind) => path.join('target/bench/browser', `${size}-${engine}-${kind}.png`);
