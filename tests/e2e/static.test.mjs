// Checks that need no browser: the safety rules of www/ as written, the file list the service
// worker copies (files.json), and the URL state. (Numerals, citations, the cited paragraph or
// item and the query kind come from the module: see types.test.mjs and the Rust tests.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { www } from './harness.mjs';
import { readState, stateUrl } from '../../www/url-state.js';

const own = (ext) => readdirSync(www).filter((f) => f.endsWith(ext));
const read = (f) => readFileSync(path.join(www, f), 'utf8');

test('no HTML strings, eval or inline handlers anywhere in the app', () => {
  for (const f of own('.js')) {
    const src = read(f);
    for (const bad of [/\.innerHTML\b/, /\.outerHTML\b/, /insertAdjacentHTML/, /document\.write/, /\beval\(/, /new Function\(/, /setAttribute\(\s*['"]style/, /setAttribute\(\s*['"]on/]) {
      assert.doesNotMatch(src, bad, `${f}: ${bad}`);
    }
  }
  for (const f of own('.html')) {
    const html = read(f);
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, `${f}: inline script`);
    assert.doesNotMatch(html, /\sstyle=/, `${f}: style attribute`);
    assert.doesNotMatch(html, /<style/, `${f}: style element`);
    assert.doesNotMatch(html, /\son[a-z]+=/, `${f}: event handler attribute`);
    const csp = html.match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)?.[1] ?? '';
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval';/, f);
    assert.match(csp, /style-src 'self';/, f);
    // The search runs in a module worker from the page's own origin.
    assert.match(csp, /worker-src 'self';/, f);
    assert.doesNotMatch(csp, /unsafe-inline|\*/, f);
  }
});

test('nothing in www/ points at another origin', () => {
  for (const f of [...own('.js'), ...own('.html'), ...own('.css')]) {
    assert.doesNotMatch(read(f), /\b(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}\//i, f);
  }
});

test('files.json lists every file the app and the embed page load; the worker lists none by hand', () => {
  // The service worker copies what `powerlist manifest` listed (scripts/build.sh runs it last).
  const manifest = JSON.parse(read('files.json'));
  const listed = new Set(manifest.files.map((f) => f.path));
  const needed = readdirSync(www)
    .filter((f) => /\.(js|css|html|svg|idx|json)$/.test(f) && !['sw.js', 'files.json'].includes(f))
    .concat(['pkg/powerlist.js', 'pkg/build-info.js', 'pkg/powerlist_bg.wasm']);
  for (const f of needed) assert.ok(listed.has(f), `files.json lacks ${f} (run scripts/build.sh)`);
  // Current: a file changed after the listing would make the worker's copy fail its hash check.
  for (const f of manifest.files) {
    assert.ok(existsSync(path.join(www, f.path)), `files.json lists ${f.path}, which does not exist`);
    const hash = createHash('sha256').update(readFileSync(path.join(www, f.path))).digest('hex').slice(0, 32);
    assert.equal(hash, f.hash, `${f.path} changed since files.json was written (run powerlist manifest www)`);
  }
  assert.ok(!listed.has('sw.js') && ![...listed].some((f) => f.startsWith('test-tmp/')));
  assert.match(manifest.build, /^[0-9a-f]{32}$/);
  const sw = read('sw.js');
  assert.doesNotMatch(sw, /const (SHELL|VERSION) =/, 'sw.js keeps no file list or version by hand');
  assert.match(sw, /files\.json/);
});

test('no copy of what the module computes: numerals, citations, article structure, query kinds', () => {
  for (const f of own('.js')) {
    const src = read(f);
    for (const bad of [/零一二三四五六七八九/, /第\$\{/, /[一二三四五六七八九十]\]\+/, /\.kind === 'keyword'/, /ATTR_LABEL/]) {
      assert.doesNotMatch(src, bad, `${f}: ${bad} (use the field the module gives)`);
    }
  }
});

test('URL state round trip keeps ?index= and leaves out empty values', () => {
  const href = 'http://x/?index=other.idx&q=old';
  const state = { q: '摆摊', field: '城市管理', type: '', level: '', region: '321281100', item: 'CG-CF-014' };
  const url = stateUrl(state, href);
  assert.equal(url, `/?q=${encodeURIComponent('摆摊')}&field=${encodeURIComponent('城市管理')}&region=321281100&item=CG-CF-014&index=other.idx`);
  assert.deepEqual(readState(new URL(url, 'http://x').href), state);
  assert.equal(readState('http://x/?q=a').region, undefined, 'no region in the URL: use the remembered one');
  assert.equal(stateUrl({ q: '', region: '' }, 'http://x/app/'), '/app/');
});

test('EMBED.md names every file the element loads: each module it imports, its worker and stylesheet', () => {
  const list = read('EMBED.md').match(/Copy these files[^]*?```text\n([^]*?)```/);
  assert.ok(list, 'EMBED.md has the list of files to copy');
  const named = new Set(list[1].split(/\s+/).filter(Boolean));
  // Every module reachable from power-search.js by a relative import, static or dynamic.
  const seen = new Set();
  const todo = ['power-search.js'];
  while (todo.length) {
    const f = todo.pop();
    if (seen.has(f)) continue;
    seen.add(f);
    for (const [, dep] of read(f).matchAll(/(?:from|import\()\s*'\.\/([\w/.-]+\.js)'/g)) {
      if (!dep.startsWith('pkg/')) todo.push(dep);
    }
  }
  for (const f of [...seen, 'search-worker.js', 'components.css', 'pkg/powerlist.js', 'pkg/build-info.js', 'pkg/powerlist_bg.wasm']) {
    assert.ok(named.has(f), `EMBED.md's list of files to copy lacks ${f}`);
  }
});
