// A catalog whose strings are markup (<script>, <img onerror>, <svg onload>, javascript: links)
// renders them as inert text everywhere: results, item page, region picker, charts, catalog line,
// the printable local list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setup, appReady, shot, assertClean, buildIndex, root } from './harness.mjs';

const env = setup();

const CATALOG = {
  'catalog.txt': `name: <script>window.__xss='catalog'</script>测试清单
version: <i>1</i>
date: 2025-01-01
`,
  'items.csv': `code,name,type,field,level,department,basis,keywords,note
X-CF-001,<script>window.__xss='name'</script>对擅自占用城市道路的行政处罚,行政处罚,城市<b>管理</b>,县级；乡级,"<img src=x onerror=""window.__xss='dept'"">部门",《城市道路管理条例》第二十七条第（一）项、第四十二条,摆摊；<svg onload=alert(1)>,"<a href=""javascript:alert(1)"">备注</a>"
X-CF-002,"对<img src=x onerror=""window.__xss='name2'"">挖掘城市道路的行政处罚",行政处罚,城市<b>管理</b>,县级,县级城市管理部门,《城市道路管理条例》第二十七条第（一）项,挖路,
`,
  'regions.csv': `code,name,parent
32,江苏省<i>x</i>,
3212,泰州市,32
321281,兴化市,3212
321281100,"<img src=x onerror=""window.__xss='region'"">戴窑镇",321281
`,
  'assignments.csv': `item,region,body,mode
X-CF-001,321281100,<script>window.__xss='body'</script>执法局,<b>赋权</b>
`,
};

test('catalog strings that look like markup are shown as text and never run', async () => {
  // The catalog is written to a temp dir; the index goes to www/test-tmp/ (served, then deleted).
  const data = mkdtempSync(path.join(os.tmpdir(), 'powerlist-xss-'));
  try {
    mkdirSync(path.join(data, 'laws'));
    copyFileSync(path.join(root, 'data/laws/城市道路管理条例.md'), path.join(data, 'laws/城市道路管理条例.md'));
    for (const [name, text] of Object.entries(CATALOG)) writeFileSync(path.join(data, name), text);
    const { dir, rel } = env.tmp('xss');
    buildIndex(data, path.join(dir, 'x.idx'));

    const { page, problems, close } = await env.open(`/?index=${rel}/x.idx&region=321281100`, { officer: true });
    await appReady(page);
    const inert = () => page.evaluate(() => ({
      xss: window.__xss ?? null,
      // No element the catalog could have injected: only the app's own tags exist.
      injected: document.querySelectorAll('main img, main script, main svg, main b, main i, main a[href^="javascript"], header script, header i').length,
    }));
    assert.match(await page.locator('#catalog').innerText(), /<script>window\.__xss='catalog'<\/script>测试清单 · 版本 <i>1<\/i>/);
    await page.getByRole('button', { name: '查看统计图表' }).click();
    await page.locator('.overview table').first().waitFor();
    assert.match(await page.locator('.overview').innerText(), /城市<b>管理<\/b>/, 'chart labels');
    assert.match(await page.locator('#region-3 option:checked').innerText(), /<img src=x onerror="window.__xss='region'">戴窑镇/);
    await page.fill('#q', '道路');
    await page.waitForFunction(() => document.querySelectorAll('#results > li').length === 2);
    const results = await page.locator('#results').innerText();
    assert.ok(results.includes("<script>window.__xss='name'</script>对擅自占用城市道路的行政处罚"), results);
    assert.ok(results.includes('<script>window.__xss=\'body\'</script>执法局'), results);
    assert.ok(results.includes('<b>赋权</b>'), results);
    assert.ok(await page.locator('#results mark').count() > 0, 'highlights still work around the markup text');
    assert.ok((await page.locator('#field option').allInnerTexts()).some((t) => t.startsWith('城市<b>管理</b>')));
    await shot(page, 'xss-results');
    await page.locator('#results > li').first().click();
    await page.waitForSelector('.ps-item');
    const item = await page.locator('.ps-item').innerText();
    for (const s of [`<img src=x onerror="window.__xss='dept'">部门`, '<svg onload=alert(1)>', '<a href="javascript:alert(1)">备注</a>']) {
      assert.ok(item.includes(s), s);
    }
    await page.getByRole('button', { name: /各乡镇（街道）由谁办理/ }).click();
    await page.locator('.ps-handlers table').waitFor(); // answered by the search worker
    assert.match(await page.locator('.ps-handlers').innerText(), /<script>window\.__xss='body'<\/script>执法局/);
    assert.match(await page.title(), /^<script>/);
    await shot(page, 'xss-item', { fullPage: true });
    assert.deepEqual(await inert(), { xss: null, injected: 0 });

    // The printable local list shows the same strings as text.
    await page.goto(`${env.base}/list.html?index=${rel}/x.idx&region=321281100`);
    await page.waitForSelector('#list section');
    const list = await page.locator('#list').innerText();
    assert.ok(list.includes("<script>window.__xss='name'</script>对擅自占用城市道路的行政处罚"), list);
    assert.ok(list.includes("<script>window.__xss='body'</script>执法局（<b>赋权</b>）"), list);
    assert.match(await page.locator('#title').innerText(), /^<script>window\.__xss='catalog'<\/script>测试清单$/);
    assert.deepEqual(await page.evaluate(() => ({
      xss: window.__xss ?? null,
      injected: document.querySelectorAll('main img, main script, main svg, main b, main i, header script, header i').length,
    })), { xss: null, injected: 0 });
    assertClean(problems);
    await close();
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
});

// A right-to-left override (U+202E) in a region's and a body's name: without isolation it
// reverses everything after it on the line (the body named after the region, a region code
// （321281990） shown as （099182123））. Every catalog string is isolated (dom.js).
const RLO = '\u202e';
const BIDI_CATALOG = {
  'catalog.txt': 'name: 双向文字测试清单\nversion: 1\ndate: 2025-01-01\n',
  'items.csv': `code,name,type,field,level,department,basis,keywords,note
B-CF-001,对擅自占用城市道路的行政处罚,行政处罚,城市管理,县级；乡级,县级城市管理部门,《城市道路管理条例》第二十七条第（一）项、第四十二条,摆摊,
`,
  'regions.csv': `code,name,parent
32,江苏省,
3212,泰州市,32
321281,兴化市,3212
321281990,${RLO}测试镇,321281
`,
  'assignments.csv': `item,region,body,mode
B-CF-001,321281990,${RLO}测试镇综合行政执法局,赋权
`,
};

/**
 * In `root` (a document or shadow root): the element holding exactly `text`, whether it is
 * isolated (a <bdi>, or unicode-bidi isolate), and the left edges of the characters of `after`
 * (a text after it on the same line) in logical order.
 */
function isolation(root, text) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const out = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.data !== text) continue;
    const e = n.parentElement;
    out.push({ tag: e.localName, bidi: getComputedStyle(e).unicodeBidi });
  }
  return out;
}

/** Left edges of each character of the first text node containing `text` under `el`, in logical order. */
function charLefts(el, text) {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const at = n.data.indexOf(text);
    if (at < 0) continue;
    const range = document.createRange();
    return Array.from(text, (_, i) => {
      range.setStart(n, at + i);
      range.setEnd(n, at + i + 1);
      return range.getBoundingClientRect().left;
    });
  }
  return null;
}

const increasing = (xs) => Array.isArray(xs) && xs.length > 1 && xs.every((x, i) => i === 0 || x > xs[i - 1]);

test('a right-to-left override in a region or body name moves nothing else: names isolated in the app, item page, picker, list and element', async () => {
  const data = mkdtempSync(path.join(os.tmpdir(), 'powerlist-bidi-'));
  try {
    mkdirSync(path.join(data, 'laws'));
    copyFileSync(path.join(root, 'data/laws/城市道路管理条例.md'), path.join(data, 'laws/城市道路管理条例.md'));
    for (const [name, text] of Object.entries(BIDI_CATALOG)) writeFileSync(path.join(data, name), text);
    const { dir, rel } = env.tmp('bidi');
    buildIndex(data, path.join(dir, 'b.idx'));
    const region = `${RLO}测试镇`;
    const body = `${RLO}测试镇综合行政执法局`;
    const helpers = `${isolation}; ${charLefts};`;
    const probe = (page, fn, ...args) => page.evaluate(`(() => { ${helpers} return (${fn})(...${JSON.stringify(args)}); })()`);

    const { page, problems, close } = await env.open(`/?index=${rel}/b.idx&region=321281990&q=${encodeURIComponent('占用')}`, { viewport: { width: 390, height: 844 } });
    await appReady(page);
    await page.waitForFunction(() => document.querySelectorAll('#results > li').length === 1);
    // The result row: the region's name and the body's, each in its own isolate.
    for (const text of [region, body]) {
      const found = await probe(page, (t) => isolation(document.querySelector('#results'), t), text);
      assert.ok(found.length > 0, `${JSON.stringify(text)} is shown`);
      for (const f of found) assert.deepEqual(f, { tag: 'bdi', bidi: 'isolate' }, `${JSON.stringify(text)} isolated`);
    }
    // "在‮测试镇由 ‮测试镇综合行政执法局 办理": 由 before the body, 办理 after it, left to right.
    const order = await page.evaluate(() => {
      const line = document.querySelector('#results .ps-handler');
      const strong = line.querySelector('strong').getBoundingClientRect();
      const label = line.querySelector('.ps-handler-label');
      const range = document.createRange();
      const text = label.lastChild;
      range.setStart(text, text.data.indexOf('由'));
      range.setEnd(text, text.data.indexOf('由') + 1);
      const you = range.getBoundingClientRect();
      const tail = [...line.childNodes].find((n) => n.nodeType === 3 && n.data.includes('办理'));
      range.selectNodeContents(tail);
      const ban = range.getBoundingClientRect();
      return { you: you.left, body: strong.left, banli: ban.left, sameLine: Math.abs(you.top - strong.top) < 4 };
    });
    assert.ok(order.sameLine, 'the handler line fits one line on a phone');
    assert.ok(order.you < order.body && order.body < order.banli, `由, the body, 办理: left to right ${JSON.stringify(order)}`);

    // The region picker: the township's option, its text isolated (an option holds text only).
    const option = await page.locator('#region-3 option:checked').evaluate((o) => o.textContent);
    assert.equal(option, '\u2068测试镇\u2069');

    // The item page: who handles it, and the table of every township.
    await page.locator('#results > li').first().click();
    await page.waitForSelector('.ps-item');
    for (const text of [region, body]) {
      const found = await probe(page, (t) => isolation(document.querySelector('.ps-item'), t), text);
      assert.ok(found.length > 0, `${JSON.stringify(text)} on the item page`);
      for (const f of found) assert.equal(f.bidi, 'isolate', `${JSON.stringify(text)} isolated on the item page`);
    }
    await page.getByRole('button', { name: /各乡镇（街道）由谁办理/ }).click();
    await page.waitForSelector('.ps-handlers table');
    for (const f of await probe(page, (t) => isolation(document.querySelector('.ps-handlers'), t), body)) assert.equal(f.bidi, 'isolate');
    await shot(page, 'bidi-item', { fullPage: true });

    // The printable list: （321281990） after the region's full name, in order.
    await page.goto(`${env.base}list.html?index=${rel}/b.idx&region=321281990`);
    await page.waitForSelector('#list section');
    assert.equal(await page.locator('#region .code').innerText(), '321281990');
    const lefts = await probe(page, () => charLefts(document.querySelector('#region'), '（321281990）'.slice(1, -1)));
    assert.ok(increasing(lefts), `the code's digits left to right: ${lefts}`);
    for (const f of await probe(page, (t) => isolation(document.querySelector('#list'), t), `${body}（赋权）`.slice(0, body.length))) {
      assert.equal(f.bidi, 'isolate');
    }
    await shot(page, 'bidi-list', { fullPage: true });

    // The element: the same isolates in its shadow DOM.
    await page.goto(`${env.base}embed.html`);
    await page.locator('power-search').evaluate((e, idx) => {
      e.setAttribute('region', '321281990');
      e.setAttribute('index', idx);
    }, `${rel}/b.idx`);
    await page.waitForFunction(() => document.querySelector('power-search').index?.meta?.info.catalog.name === '双向文字测试清单');
    await page.locator('power-search input').fill('占用');
    await page.waitForFunction(() => document.querySelector('power-search').shadowRoot.querySelectorAll('li[role="option"], a[role="option"]').length > 0);
    for (const text of [region, body]) {
      const found = await probe(page, (t) => isolation(document.querySelector('power-search').shadowRoot, t), text);
      assert.ok(found.length > 0, `${JSON.stringify(text)} in the element`);
      for (const f of found) assert.deepEqual(f, { tag: 'bdi', bidi: 'isolate' });
    }
    await shot(page, 'bidi-embed');
    assertClean(problems);
    await close();
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
});

test('another catalog (?index=) is named at the top of the app and the printable list, with the way back; the site\'s own never', async () => {
  const { dir, rel } = env.tmp('foreign');
  buildIndex(path.join(root, 'tests/fixtures/mini'), path.join(dir, 'mini.idx'));
  const { page, problems, close } = await env.open(`/?index=${rel}/mini.idx&q=${encodeURIComponent('摆摊')}`, { viewport: { width: 390, height: 844 } });
  await appReady(page);
  const note = page.locator('#foreign');
  await note.waitFor();
  const info = await page.evaluate(() => document.querySelector('#catalog').innerText);
  const text = await note.innerText();
  assert.match(text, new RegExp(`^正在查看另一份清单：.+（(.+，)?来源：/${rel}/mini\\.idx） 返回本站清单$`), text);
  assert.ok(text.includes(info.split(' · ')[0]), `the catalog's name: ${text} / ${info}`);
  // At the top: above the page's title.
  const [noteBox, title] = await Promise.all([note.boundingBox(), page.locator('h1').boundingBox()]);
  assert.ok(noteBox.y + noteBox.height <= title.y + 1, 'above the title');
  await shot(page, 'foreign-catalog', { fullPage: false });
  // The way back: the same view of the site's own catalog, no notice there.
  await page.getByRole('link', { name: '返回本站清单' }).click();
  await appReady(page);
  assert.equal(new URL(page.url()).searchParams.get('index'), null);
  assert.equal(new URL(page.url()).searchParams.get('q'), '摆摊');
  assert.equal(await note.isHidden(), true);
  // The site's own catalog, however it is named: no notice.
  for (const own of ['catalog/', 'catalog/core.bin', './catalog/', 'catalog.idx']) {
    await page.goto(`${env.base}?index=${encodeURIComponent(own)}`);
    await appReady(page);
    assert.equal(await note.isHidden(), true, own);
  }
  // The printable list says it too.
  await page.goto(`${env.base}list.html?index=${rel}/mini.idx&region=321281100`);
  await page.waitForSelector('#list section, #list .error');
  const listNote = await page.locator('#foreign').innerText();
  assert.match(listNote, new RegExp(`^正在查看另一份清单：.+来源：/${rel}/mini\\.idx） 返回本站清单$`), listNote);
  assert.equal(new URL(await page.locator('#foreign a').getAttribute('href'), page.url()).search, '?region=321281100');
  await page.goto(`${env.base}list.html?region=321281100`);
  await page.waitForSelector('#list section');
  assert.equal(await page.locator('#foreign').isHidden(), true);
  assertClean(problems);
  await close();
});
