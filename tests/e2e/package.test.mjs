// scripts/package.sh → target/npm/: the files, package.json, a closed import graph, `npm pack`,
// the packaged module and element working in a page, and the tarball used as a package: installed
// offline in a TypeScript project, type-checked and bundled by esbuild as EMBED.md says.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setup, shot, assertClean, root, www, open, startServer } from './harness.mjs';

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
  // Four items match every word (CG-CF-014, the two street-vendor items that share its rare
  // keywords, and JT-CF-007's 摆摊设点 on highways, by the lexicon); more (占用/挖掘 roads…) follow.
  assert.ok(out.total > out.strict, `partial hits follow: ${out.total} > ${out.strict}`);
  assert.deepEqual({ ...out, total: undefined }, { version: out.version, total: undefined, strict: 4, kind: 'keyword', handled_by: '戴窑镇综合行政执法局', element: 499 });
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

/** EMBED.md's esbuild recipe: its one block of each language (sh, ts, json, html). */
function esbuildRecipe() {
  const section = readFileSync(path.join(www, 'EMBED.md'), 'utf8').split('**With esbuild**')[1].split('\nTypeScript: ')[0];
  const block = (lang) => {
    const found = [...section.matchAll(new RegExp(`\`\`\`${lang}\\n([^]*?)\`\`\``, 'g'))].map((m) => m[1]);
    assert.equal(found.length, 1, `one ${lang} block in EMBED.md's esbuild recipe`);
    return found[0];
  };
  return { commands: block('sh').trim().split('\n'), app: block('ts'), tsconfig: block('json'), html: block('html') };
}

test('the tarball as a package: installed offline in a TypeScript project, type-checked, bundled by esbuild as EMBED.md says, and the page answers', async () => {
  const recipe = esbuildRecipe();
  const pkg = JSON.parse(readFileSync(path.join(npm, 'package.json'), 'utf8'));
  assert.deepEqual([pkg.dependencies, pkg.peerDependencies, pkg.optionalDependencies], [undefined, undefined, undefined], 'nothing to fetch');
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'powerlist-app-'));
  // An empty npm cache of its own: with --offline, anything npm wanted from a registry would fail.
  const npmEnv = { ...process.env, npm_config_cache: path.join(scratch, '.npm-cache'), npm_config_update_notifier: 'false' };
  const run = (cmd, args, cwd = scratch) => execFileSync(cmd, args, { cwd, env: npmEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  let server = null;
  try {
    const packed = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], npm));
    writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ name: 'portal-app', private: true, type: 'module' }));
    run('npm', ['install', path.join(scratch, packed[0].filename), '--offline', '--no-audit', '--no-fund', '--ignore-scripts']);
    assert.deepEqual(readdirSync(path.join(scratch, 'node_modules')).filter((f) => !f.startsWith('.')), ['powerlist']);

    // The app imports the package by name; tsc (strict) accepts it, and refuses a wrong use.
    writeFileSync(path.join(scratch, 'app.ts'), recipe.app);
    writeFileSync(path.join(scratch, 'tsconfig.json'), recipe.tsconfig);
    const tsc = (project) => spawnSync(path.join(root, 'tests/e2e/node_modules/.bin/tsc'), ['-p', project, '--pretty', 'false'], { cwd: scratch, encoding: 'utf8' });
    const good = tsc('tsconfig.json');
    assert.equal(good.status, 0, `tsc:\n${good.stdout}${good.stderr}`);
    writeFileSync(path.join(scratch, 'wrong.ts'), `import { PowerIndex } from 'powerlist';
import 'powerlist/power-search';
declare const index: PowerIndex;
const r = index.search('摆摊', { region: 321281100 });
const n: number = r.hits[0]?.handled_by;
document.querySelector('power-search')?.addEventListener('power-search-ready', (e) => e.detail.code);
`);
    writeFileSync(path.join(scratch, 'tsconfig.wrong.json'), JSON.stringify({ extends: './tsconfig.json', files: ['app.ts', 'wrong.ts'] }));
    const wrong = tsc('tsconfig.wrong.json');
    assert.notEqual(wrong.status, 0);
    // A region is a string, handled_by is not a number, the ready event has no code: each line fails.
    for (const line of [4, 5, 6]) assert.match(wrong.stdout, new RegExp(`wrong\\.ts\\(${line},\\d+\\): error TS`), wrong.stdout);
    assert.doesNotMatch(wrong.stdout, /app\.ts/);

    // EMBED.md's two commands, as they are (esbuild from scripts/setup.sh instead of npx).
    const esbuild = path.join(root, 'scripts/wasm-opt/node_modules/.bin/esbuild');
    for (const cmd of recipe.commands) run('sh', ['-c', cmd.replace(/^npx esbuild /, `'${esbuild}' `)]);
    const dist = path.join(scratch, 'dist');
    for (const f of ['app.js', 'search-worker.js', 'components.css', 'pkg/powerlist_bg.wasm', 'pkg/admin/powerlist_bg.wasm']) assert.ok(existsSync(path.join(dist, f)), f);
    // Why the copy is needed: esbuild left the package's run-time URLs as they were.
    assert.match(readFileSync(path.join(dist, 'app.js'), 'utf8'), /new URL\("\.\/search-worker\.js", import\.meta\.url\)/);
    writeFileSync(path.join(dist, 'index.html'), recipe.html);
    copyFileSync(path.join(www, 'catalog.idx'), path.join(dist, 'catalog.idx'));
    copyFileSync(path.join(www, 'favicon.svg'), path.join(dist, 'favicon.ico')); // the portal's own (else a 404)

    server = await startServer(dist);
    const { page, problems, close } = await open(env.browser, server.base, null,
      { viewport: { width: 390, height: 844 }, context: { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } });
    const logs = [];
    page.on('console', (m) => { if (m.type() === 'log') logs.push(m.text()); });
    page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`); });
    await page.goto(`${server.base}index.html`);
    // The app's own search, with the module it initialised.
    await page.waitForFunction(() => document.querySelector('power-search')?.shadowRoot?.querySelector('.ps')?.dataset.state === 'ready');
    // The app's own search (on the page's thread) and the element's (in its worker) race: wait
    // for the app's log.
    for (let waited = 0; logs.length === 0 && waited < 10_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 200)); // a second log, were there one, would show by now
    assert.equal(logs.length, 1, logs.join('\n'));
    assert.match(logs[0], /^\d+ keyword .+ 戴窑镇综合行政执法局$/);
    // The element: its worker is the bundled one, its answer names the township's handler.
    const input = page.locator('power-search input[role="combobox"]');
    await input.pressSequentially('摆摊', { delay: 20 });
    const first = page.locator('power-search li[role="option"]').first();
    await first.waitFor();
    assert.match(await first.innerText(), /在戴窑镇由 戴窑镇综合行政执法局 办理/);
    assert.deepEqual(page.workers().map((w) => new URL(w.url()).pathname), ['/search-worker.js']);
    await shot(page, 'npm-bundled');
    // An item page's overlaps: the maintainer's module, from dist/pkg/admin/.
    await first.tap();
    await page.locator('power-search details.ps-more-info summary').tap();
    await page.locator('power-search .ps-overlaps button').tap();
    await page.locator('power-search .ps-overlaps ul[data-level]').first().waitFor();
    await shot(page, 'npm-bundled-item', { fullPage: true });
    assertClean(problems);
    await close();
  } finally {
    await server?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
});
