// scripts/package.sh → target/npm/: the files, package.json, a closed import graph, `npm pack`,
// and the packaged module and element working in a page.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setup, shot, assertClean, root } from './harness.mjs';

const env = setup();
const npm = path.join(root, 'target/npm');

before(() => {
  execFileSync('bash', [path.join(root, 'scripts/package.sh')], { stdio: ['ignore', 'pipe', 'pipe'] });
});

test('the package has the module, wasm, types and element, and package.json matches Cargo.toml', () => {
  const pkg = JSON.parse(readFileSync(path.join(npm, 'package.json'), 'utf8'));
  const cargoVersion = readFileSync(path.join(root, 'Cargo.toml'), 'utf8').match(/^version = "(.+)"$/m)[1];
  assert.equal(pkg.name, 'powerlist');
  assert.equal(pkg.version, cargoVersion);
  assert.equal(pkg.type, 'module');
  for (const f of ['pkg/powerlist.js', 'pkg/powerlist_bg.wasm', 'pkg/powerlist.d.ts', 'pkg/admin/powerlist.js', 'pkg/admin/powerlist_bg.wasm', 'pkg/admin/powerlist.d.ts',
    'power-search.js', 'power-search.d.ts', 'search-worker.js', 'loader.js', 'components.css', 'README.md']) {
    assert.ok(existsSync(path.join(npm, f)), f);
  }
  // Every export target exists.
  const targets = Object.values(pkg.exports).flatMap((v) => (typeof v === 'string' ? [v] : Object.values(v)));
  for (const t of [...targets, pkg.main, pkg.types]) assert.ok(existsSync(path.join(npm, t)), t);
  // The wasm is the one the build made.
  for (const f of ['pkg/powerlist_bg.wasm', 'pkg/admin/powerlist_bg.wasm']) assert.deepEqual(readFileSync(path.join(npm, f)), readFileSync(path.join(root, 'www', f)), f);
  // Every relative import (static or dynamic) of every packaged module resolves inside the package; no app-only module came along.
  for (const f of readdirSync(npm).filter((x) => x.endsWith('.js'))) {
    for (const [, dep] of readFileSync(path.join(npm, f), 'utf8').matchAll(/(?:from |import\()'(\.[^']+)'/g)) {
      assert.ok(existsSync(path.join(npm, dep)), `${f} imports ${dep}`);
    }
  }
  for (const appOnly of ['app.js', 'charts.js', 'url-state.js', 'offline.js', 'sw.js']) assert.ok(!existsSync(path.join(npm, appOnly)), appOnly);
  // npm itself accepts it (no network: a dry run of pack).
  const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: npm, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  const files = packed[0].files.map((x) => x.path);
  for (const f of ['pkg/powerlist_bg.wasm', 'pkg/admin/powerlist_bg.wasm', 'power-search.js', 'search-worker.js', 'pkg/powerlist.d.ts', 'package.json']) assert.ok(files.includes(f), f);
});

test('a page imports the packaged module and element: search works, two elements share one index download', async () => {
  const { dir, rel } = env.tmp('npm');
  cpSync(npm, path.join(dir, 'powerlist'), { recursive: true });
  // What a bundler would resolve 'powerlist' and 'powerlist/power-search' to.
  writeFileSync(path.join(dir, 'main.js'), `import init, { PowerIndex, version } from './powerlist/pkg/powerlist.js';
import './powerlist/power-search.js';
await init();
const index = new PowerIndex(new Uint8Array(await (await fetch('../../catalog.idx')).arrayBuffer()));
const r = index.search('占道经营', { region: '321281100', limit: 3 });
const ready = await document.querySelector('power-search').ready;
document.querySelector('#out').textContent = JSON.stringify({ version: version(), total: r.total, strict: r.strict, kind: r.kind, handled_by: r.hits[0].handled_by, element: ready.itemCount });
`);
  writeFileSync(path.join(dir, 'index.html'), `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'">
<title>npm package test</title><link rel="icon" href="../../favicon.svg"><script type="module" src="main.js"></script></head>
<body><main><h1>npm package</h1><pre id="out"></pre>
<power-search index="../../catalog.idx" region="戴窑镇"></power-search>
<power-search index="../../catalog.idx" query="zdjy"></power-search></main></body></html>
`);
  const { page, problems, close } = await env.open(null);
  let indexRequests = 0;
  page.on('request', (r) => { if (r.url().endsWith('/catalog.idx')) indexRequests += 1; });
  await page.goto(`${env.base}${rel}/index.html`);
  await page.waitForFunction(() => document.querySelector('#out').textContent);
  const out = JSON.parse(await page.locator('#out').innerText());
  // Three items match every word (CG-CF-014, and the two street-vendor items that share its rare
  // keywords); more (占用/挖掘 roads…) match most of the query and follow them.
  assert.ok(out.total > out.strict, `partial hits follow: ${out.total} > ${out.strict}`);
  assert.deepEqual({ ...out, total: undefined }, { version: out.version, total: undefined, strict: 3, kind: 'keyword', handled_by: '戴窑镇综合行政执法局', element: 496 });
  await page.waitForFunction(() => document.querySelectorAll('power-search')[1].shadowRoot.querySelectorAll('li[role="option"]').length > 0);
  await page.locator('power-search').first().locator('input').fill('摆摊');
  await page.waitForFunction(() => document.querySelector('power-search').shadowRoot.querySelector('li[role="option"]')?.innerText.includes('戴窑镇'));
  assert.equal(indexRequests, 2, 'one for the page script, one shared by both elements');
  // Both elements search in one worker, the package's own search-worker.js, found beside the element.
  assert.deepEqual(page.workers().map((w) => new URL(w.url()).pathname), [`/${rel}/powerlist/search-worker.js`]);
  await shot(page, 'npm-package', { fullPage: true });
  assertClean(problems);
  await close();
});
