// Shared by the page tests: the static server (`powerlist serve`), Debian's Chromium through
// playwright-core (never a downloaded browser), pages that record every console error, page
// error, dialog and request to another origin, and scratch space under www/test-tmp/.
// Run after scripts/build.sh (it needs target/release/powerlist, www/pkg and www/catalog.idx).
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, rmdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const www = path.join(root, 'www');
export const cli = path.join(root, 'target/release/powerlist');
export const artifacts = path.join(root, 'tests/e2e/artifacts');
mkdirSync(artifacts, { recursive: true });

for (const f of [cli, path.join(www, 'pkg/powerlist_bg.wasm'), path.join(www, 'catalog.idx')]) {
  if (!existsSync(f)) throw new Error(`${path.relative(root, f)} is missing: run bash scripts/build.sh first`);
}

/** Starts `powerlist serve --dir DIR` (on a free port unless `addr` is given). */
export async function startServer(dir = www, addr = '127.0.0.1:0') {
  const proc = spawn(cli, ['serve', '--dir', dir, '--addr', addr]);
  const base = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('server did not start')), 10000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/[^/\s]+\//);
      if (m) { clearTimeout(timer); resolve(m[0]); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}`)); });
  });
  return {
    base,
    proc,
    stop: () => new Promise((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill();
    }),
  };
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/**
 * One server and one browser per test file. `env.base`, `env.browser` are set in before();
 * `env.tmp(name)` makes a scratch folder under www/test-tmp/ (served, deleted after the file).
 */
export function setup() {
  const env = { tmpDirs: [] };
  before(async () => {
    env.server = await startServer();
    env.base = env.server.base;
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
    for (const d of env.tmpDirs) rmSync(d, { recursive: true, force: true });
    try { rmdirSync(path.join(www, 'test-tmp')); } catch { /* not empty (another test file) or absent */ }
  });
  env.tmp = (name) => {
    const rel = `test-tmp/${name}-${process.pid}`;
    const dir = path.join(www, rel);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    env.tmpDirs.push(dir);
    return { dir, rel };
  };
  env.open = (url, options) => open(env.browser, env.base, url, options);
  return env;
}

/**
 * A fresh context (own storage and service worker) and page. `problems` collects console errors,
 * uncaught errors, dialogs (alert() from injected markup) and requests to any other origin.
 */
export async function open(browser, base, url, { viewport = { width: 1000, height: 900 }, context: contextOptions = {}, allow = [] } = {}) {
  // Service workers are blocked unless a test asks for them (offline tests): installing one
  // precaches the whole app in every fresh context, which only slows the other tests down.
  const context = await browser.newContext({ viewport, serviceWorkers: 'block', ...contextOptions });
  context.setDefaultTimeout(10000);
  const page = await context.newPage();
  const problems = [];
  const allowed = (text) => allow.some((re) => re.test(text));
  page.on('console', (m) => { if (m.type() === 'error' && !allowed(m.text())) problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); d.dismiss(); });
  page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) problems.push(`foreign request: ${r.url()}`); });
  if (url) await page.goto(new URL(url, base).href);
  return { page, context, problems, close: () => context.close() };
}

/** Waits until the app has loaded its index (the search box is enabled). */
export async function appReady(page) {
  await page.waitForFunction(() => { const q = document.querySelector('#q'); return q && !q.disabled; });
}

/** Text of the status line (count and query kind). */
export const statusText = (page) => page.locator('#status').innerText();

export async function shot(page, name, options = {}) {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), ...options });
}

export function assertClean(problems) {
  assert.deepEqual(problems, [], `the page had problems:\n${problems.join('\n')}`);
}

/** Builds an index with the CLI: powerlist build DIR -o OUT. */
export function buildIndex(dataDir, out) {
  execFileSync(cli, ['build', dataDir, '-o', out], { stdio: ['ignore', 'pipe', 'pipe'] });
}
