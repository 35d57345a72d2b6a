// Shared by the page tests: the static server (`powerlist serve`), Debian's Chromium through
// playwright-core (never a downloaded browser), pages that record every console error, page
// error, dialog and request to another origin, and scratch space under www/test-tmp/.
// Run after scripts/build.sh (it needs target/release/powerlist, www/pkg and www/catalog.idx).
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import http from 'node:http';
import { cpSync, mkdirSync, mkdtempSync, rmSync, rmdirSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const www = path.join(root, 'www');
export const cli = path.join(root, 'target/release/powerlist');
export const artifacts = path.join(root, 'tests/e2e/artifacts');
/**
 * How long a test waits for the whole offline copy (every file of the build, some 800 of them,
 * six at a time), on two busy cores: longer than the 10 s a step may otherwise take. 60 s was
 * once too short for the third build switch of offline-copy's rollback test while another
 * suite ran beside it (2026-12-07); a passing wait ends as soon as the copy is done.
 */
export const COPY_MS = 120000;
mkdirSync(artifacts, { recursive: true });

for (const f of [cli, path.join(www, 'pkg/powerlist_bg.wasm'), path.join(www, 'catalog.idx')]) {
  if (!existsSync(f)) throw new Error(`${path.relative(root, f)} is missing: run bash scripts/build.sh first`);
}

/** Starts `powerlist serve --dir DIR` (on a free port unless `addr` is given). */
export async function startServer(dir = www, addr = '127.0.0.1:0', extra = []) {
  const proc = spawn(cli, ['serve', '--dir', dir, '--addr', addr, ...extra]);
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

/**
 * A proxy in front of `target` (a server's base URL) that logs what reaches the server: for each
 * request { url, at and end (Date.now() when it arrived and when its response was sent),
 * bytes (request line and headers, response status line, headers and body) }. `hold(re)` keeps back the responses of matching
 * paths until the returned function is called; `slow(re, { chunk, ms })` sends their bodies
 * `chunk` bytes every `ms`. `stop()` also drops held and open connections (the server is gone).
 * `portal(html)` answers every request itself, `200 text/html` with `html` (a captive portal's
 * login page), until the returned function is called.
 * Listens on `addr` (host:port) to keep an origin (and its service worker) across restarts.
 */
export async function countingProxy(target, addr = '127.0.0.1:0') {
  const log = [];
  const holds = [];
  const slows = [];
  let portal = null;
  const server = http.createServer((req, res) => {
    const entry = { url: req.url, at: Date.now(), bytes: headBytes(`${req.method} ${req.url} HTTP/1.1`, req.rawHeaders), status: 0 };
    log.push(entry);
    if (portal !== null) {
      entry.status = 200;
      entry.portal = true;
      res.on('finish', () => { entry.end = Date.now(); });
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(portal) });
      res.end(req.method === 'HEAD' ? undefined : portal);
      return;
    }
    const forward = () => {
      const up = http.request(new URL(req.url, target), { method: req.method, headers: req.headers }, (r) => {
        entry.status = r.statusCode;
        entry.bytes += headBytes(`HTTP/1.1 ${r.statusCode} ${r.statusMessage}`, r.rawHeaders);
        res.writeHead(r.statusCode, r.statusMessage, r.rawHeaders);
        const slow = slows.find((x) => x.re.test(req.url));
        r.on('data', (d) => { entry.bytes += d.length; });
        res.on('finish', () => { entry.end = Date.now(); });
        if (!slow) return r.pipe(res);
        trickle(r, res, slow);
      });
      up.on('error', () => res.destroy());
      req.pipe(up);
    };
    const held = holds.find((h) => h.re.test(req.url));
    if (held) held.waiting.push(forward);
    else forward();
  });
  const [host, port] = addr.split(':');
  await new Promise((resolve, reject) => server.listen(Number(port), host, resolve).once('error', reject));
  return {
    base: `http://${host}:${server.address().port}/`,
    addr: `${host}:${server.address().port}`,
    log,
    hold(re) {
      const h = { re, waiting: [] };
      holds.push(h);
      return () => {
        holds.splice(holds.indexOf(h), 1);
        for (const go of h.waiting) go();
      };
    },
    slow(re, { chunk = 32768, ms = 100 } = {}) { slows.push({ re, chunk, ms }); },
    portal(html) {
      portal = html;
      return () => { portal = null; };
    },
    stop: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/** Bytes of a request or status line and its headers, as sent on the wire (HTTP/1.1). */
function headBytes(line, raw) {
  let n = Buffer.byteLength(line) + 2 + 2;
  for (let i = 0; i < raw.length; i += 2) n += Buffer.byteLength(`${raw[i]}: ${raw[i + 1]}`) + 2;
  return n;
}

/** Sends a body in small pieces with pauses (a slow network). */
function trickle(from, to, { chunk, ms }) {
  const pieces = [];
  let ended = false;
  let timer = null;
  const pump = () => {
    timer = null;
    const buf = pieces.length ? Buffer.concat(pieces.splice(0)) : Buffer.alloc(0);
    if (buf.length > chunk) pieces.unshift(buf.subarray(chunk));
    if (buf.length) to.write(buf.subarray(0, chunk));
    if (pieces.length) timer = setTimeout(pump, ms);
    else if (ended) to.end();
  };
  from.on('data', (d) => { pieces.push(d); if (!timer) timer = setTimeout(pump, ms); });
  from.on('end', () => { ended = true; if (!timer) timer = setTimeout(pump, ms); });
  to.on('close', () => clearTimeout(timer));
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
 * `officer: true` turns the officer view (执法人员视图: version comparison, statistics, the item
 * page's 更多信息 open) on before every page load, as if the reader had chosen it.
 */
export async function open(browser, base, url, { viewport = { width: 1000, height: 900 }, context: contextOptions = {}, allow = [], officer = false } = {}) {
  // Service workers are blocked unless a test asks for them (offline tests): installing one
  // precaches the whole app in every fresh context, which only slows the other tests down.
  const context = await browser.newContext({ viewport, serviceWorkers: 'block', ...contextOptions });
  // 20 s: the maintainer's views (version comparison, statistics, the printable list) read the
  // whole chunked index, several hundred chunks, which took 8–13 s on a busy 2-core machine.
  context.setDefaultTimeout(20000);
  if (officer) await context.addInitScript(() => { try { localStorage.setItem('powerlist.officer', '1'); } catch { /* no storage */ } });
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

/**
 * Waits until the app has loaded its index. (The search box takes typing while it loads, so
 * being enabled says nothing: the view's data-state does.)
 */
export async function appReady(page) {
  await page.waitForFunction(() => document.querySelector('#app > .ps')?.dataset.state === 'ready');
}

/** The same for the <power-search> element on the page. */
export async function embedReady(page) {
  await page.waitForFunction(() => document.querySelector('power-search')?.shadowRoot?.querySelector('.ps')?.dataset.state === 'ready');
}

/** Text of the status line (count and query kind). */
export const statusText = (page) => page.locator('#status').innerText();

export async function shot(page, name, options = {}) {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), ...options });
}

export function assertClean(problems) {
  assert.deepEqual(problems, [], `the page had problems:\n${problems.join('\n')}`);
}

/** Lists a site's files for the service worker: powerlist manifest DIR (writes DIR/files.json). */
export function writeManifest(dir) {
  execFileSync(cli, ['manifest', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Bundles `dir`/app.js and what it imports into `dir`/app.min.js, as scripts/build.sh does for
 * www/ (for a test that changes one of the app's modules in a copy of the site).
 */
export function bundleApp(dir) {
  execFileSync('bash', [path.join(root, 'scripts/bundle.sh'), dir], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Builds an index with the CLI: powerlist build DIR -o OUT. */
export function buildIndex(dataDir, out) {
  execFileSync(cli, ['build', dataDir, '-o', out], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `powerlist build DATA --web DIR`: the chunked index the app loads (`catalog/`). */
export function buildWeb(dataDir, dir) {
  execFileSync(cli, ['build', dataDir, '--web', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * A copy of www/ (without the page tests' scratch space) in a temporary folder, with its own
 * files.json; the folder is pushed on `scratch` for the caller to remove.
 */
export function siteCopy(scratch) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'powerlist-site-'));
  scratch.push(dir);
  cpSync(www, dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}test-tmp`) });
  writeManifest(dir);
  return dir;
}

/** `site` served by `powerlist serve` through a counting proxy (on `addr`): { server, proxy, stop }. */
export async function serveCounted(site, addr) {
  const server = await startServer(site);
  const proxy = await countingProxy(server.base, addr);
  return { server, proxy, stop: async () => { await proxy.stop(); await server.stop(); } };
}

/** Polls `fn` (maybe async) until it is true; throws after `ms`. */
export async function waitFor(fn, what = 'condition', ms = 10000) {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
