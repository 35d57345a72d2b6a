// Checks that need no browser: the safety rules of www/ as written, the service worker's file
// list, and the pure helpers (numerals, cited paragraph/item, query kind, URL state).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { www } from './harness.mjs';
import { chineseNumber, queryKind, citationQuery } from '../../www/text.js';
import { citedPosition, paragraphsFromText, citationTitle } from '../../www/render.js';
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
    assert.doesNotMatch(csp, /unsafe-inline|\*/, f);
  }
});

test('nothing in www/ points at another origin', () => {
  for (const f of [...own('.js'), ...own('.html'), ...own('.css')]) {
    assert.doesNotMatch(read(f), /\b(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}\//i, f);
  }
});

test('the service worker precaches every file the app and the embed page load', () => {
  const shell = [...read('sw.js').match(/const SHELL = \[([\s\S]*?)\];/)[1].matchAll(/'([^']+)'/g)].map((m) => m[1]);
  const needed = readdirSync(www)
    .filter((f) => /\.(js|css|html|svg)$/.test(f) && f !== 'sw.js')
    .concat(['pkg/powerlist.js', 'pkg/build-info.js', 'pkg/powerlist_bg.wasm']);
  for (const f of needed) assert.ok(shell.includes(f), `sw.js SHELL lacks ${f}`);
  for (const f of shell.filter((x) => x !== './')) assert.ok(needed.includes(f), `sw.js SHELL lists ${f}, which does not exist`);
});

test('Chinese numerals for article numbers', () => {
  const cases = [[1, '一'], [10, '十'], [14, '十四'], [20, '二十'], [27, '二十七'], [100, '一百'], [101, '一百零一'], [110, '一百一十'], [122, '一百二十二'], [1001, '一千零一'], [1010, '一千零一十']];
  for (const [n, s] of cases) assert.equal(chineseNumber(n), s, String(n));
  assert.equal(citationTitle({ law: '城市市容和环境卫生管理条例', article: 36, paragraph: 1, item: 2 }), '《城市市容和环境卫生管理条例》第三十六条第一款第（二）项');
  assert.equal(citationQuery('城市道路管理条例', 27), '《城市道路管理条例》第27条');
});

test('the cited paragraph or item is found in the article', () => {
  const paragraphs = [{ text: '甲', items: [] }, { text: '乙：', items: ['(一)a', '(二)b'] }];
  assert.deepEqual(citedPosition(paragraphs, { paragraph: 2, item: null }), { p: 1, i: null });
  assert.deepEqual(citedPosition(paragraphs, { paragraph: 2, item: 2 }), { p: 1, i: 1 });
  // An item without a paragraph belongs to the paragraph whose item is the cited text.
  assert.deepEqual(citedPosition(paragraphs, { paragraph: null, item: 1, cited_text: '(一)a' }), { p: 1, i: 0 });
  assert.deepEqual(citedPosition(paragraphs, { paragraph: null, item: null }), { p: null, i: null });
  assert.deepEqual(citedPosition(paragraphs, { paragraph: 9, item: null }), { p: null, i: null }, 'out of range: nothing emphasised');
  assert.deepEqual(paragraphsFromText('乙：\n(一)a\n(二)b\n丙'), [{ text: '乙：', items: ['(一)a', '(二)b'] }, { text: '丙', items: [] }]);
});

test('the query kind shown: pinyin is a keyword query in Latin letters', () => {
  assert.equal(queryKind({ kind: 'keyword' }, 'zdjy'), 'pinyin');
  assert.equal(queryKind({ kind: 'keyword' }, 'zhan dao'), 'pinyin');
  assert.equal(queryKind({ kind: 'keyword' }, '占道'), 'keyword');
  assert.equal(queryKind({ kind: 'code' }, 'CG-CF'), 'code');
  assert.equal(queryKind({ kind: 'citation' }, '食品安全法 122'), 'citation');
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
