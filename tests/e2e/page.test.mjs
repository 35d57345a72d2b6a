// The app's search: instant results, query kinds, keyboard, filters, region, phone width, errors.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setup, appReady, statusText, shot, assertClean, www } from './harness.mjs';

const env = setup();
const hits = (page) => page.locator('#results [role="option"]');
const kind = (page) => page.locator('#status .ps-kind').innerText();

// The tests are independent (each has its own browser context), so two run at a time.
describe('the app search', { concurrency: 2 }, () => {
  test('typing a Chinese query shows highlighted results on every keystroke', async () => {
    const { page, problems, close } = await env.open('/');
    await appReady(page);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'q', 'the search box has focus');
    const q = page.locator('#q');
    const seen = [];
    for (const ch of '占道经营') {
      await q.pressSequentially(ch);
      // The keystroke's own answer, counted: the list may show hits while the status still says
      // 正在检索… (the first screen drawn before the rest of the page of hits arrives).
      await page.waitForFunction((v) => document.querySelector('#q').value.endsWith(v) && document.querySelectorAll('#results > li').length > 0
        && /找到 \d+ 项/.test(document.querySelector('#status').innerText), ch);
      seen.push(await statusText(page));
    }
    assert.equal(seen.length, 4);
    for (const s of seen) assert.match(s, /找到 \d+ 项/);
    assert.match(await hits(page).first().locator('.ps-hit-name').innerText(), /占用城市道路/);
    assert.equal(await kind(page), '按关键词检索');
    // 占道 alone is in names: highlighted with <mark> elements.
    await q.fill('占用城市道路');
    await page.waitForFunction(() => document.querySelector('#results mark'));
    assert.equal(await page.locator('#results mark').first().innerText(), '占用城市道路');
    assert.equal(await q.getAttribute('aria-expanded'), 'true');
    await shot(page, 'search-zhandao');
    assertClean(problems);
    await close();
  });

  test('when few items match every word, the items matching most of them follow, tagged', async () => {
    const { page, problems, close } = await env.open('/');
    await appReady(page);
    await page.fill('#q', '噪音扰民');
    await page.waitForFunction(() => document.querySelector('#results .ps-hit-partial'));
    assert.match(await statusText(page), /找到 \d+ 项完全相符，另有 \d+ 项部分相符/);
    const rows = await hits(page).evaluateAll((lis) => lis.map((li) => li.classList.contains('ps-hit-partial')));
    const first = rows.indexOf(true);
    assert.ok(first > 0, 'exact matches come first');
    assert.ok(rows.slice(first).every(Boolean), 'then only partial ones');
    assert.equal(await hits(page).nth(first).locator('.ps-partial-tag').innerText(), '部分相符');
    assertClean(problems);
    await close();
  });

  test('a keyboard slip is corrected: 您是不是要找, with the correction\'s results', async () => {
    const { page, problems, close } = await env.open('/');
    await appReady(page);
    // Pinyin is shown as the Chinese word its correction spells (lajii → laji → 垃圾), unless
    // it spells two words (jiance: 检测, 监测).
    for (const [query, fixed, expect] of [['占到经营', '占道经营', '占用城市道路'], ['lajii', '垃圾', '垃圾'],
      ['zhandaojinying', '占道经营', '占用城市道路'], ['jianche', 'jiance', '检测|监测']]) {
      await page.fill('#q', query);
      await page.waitForFunction((q) => document.querySelector('#status').innerText.includes(`“${q}”没有相符`), query);
      assert.match(await statusText(page), new RegExp(`您是不是要找“${fixed}”？“${query}”没有相符的事项，已按“${fixed}”检索`), query);
      assert.match(await hits(page).first().innerText(), new RegExp(expect), query);
    }
    await page.fill('#q', 'lajii');
    await page.waitForFunction(() => document.querySelector('#status').innerText.includes('“lajii”没有相符'));
    assert.doesNotMatch(await statusText(page), /laji[^i]/, 'the pinyin is not shown beside its word');
    await shot(page, 'slip-chinese');
    // A query that matches is never corrected.
    await page.fill('#q', '占道经营');
    await page.waitForFunction(() => /找到 \d+ 项/.test(document.querySelector('#status').innerText));
    assert.doesNotMatch(await statusText(page), /您是不是要找/);
    assertClean(problems);
    await close();
  });

  test('pinyin, code and citation queries say how the query was read', async () => {
    const { page, problems, close } = await env.open('/');
    await appReady(page);
    for (const [query, expect, label] of [
      ['zdjy', '占用城市道路', '按拼音检索'],
      ['zhan dao jing ying', '占用城市道路', '按拼音检索'],
      ['CG-CF-014', '占用城市道路', '按编码检索'],
      ['cg-cf-00', '对随地吐痰', '按编码检索'],
      ['食品安全法第一百二十二条', '食品生产经营许可', '按法律条文检索'],
    ]) {
      await page.fill('#q', query);
      await page.waitForFunction((e) => document.querySelector('#results').innerText.includes(e), expect);
      assert.equal(await kind(page), label, query);
    }
    // The cited article is shown above the results.
    assert.match(await page.locator('.ps-citation').innerText(), /第一百二十二条[\s\S]*未取得食品生产经营许可/);
    await page.fill('#q', '城市道路管理条例第二十七条第（一）项');
    await page.waitForFunction(() => document.querySelector('.ps-citation .ps-cited'));
    assert.match(await page.locator('.ps-citation .ps-cited').innerText(), /擅自占用或者挖掘城市道路/);
    assert.equal(await page.locator('.ps-citation .ps-cited').count(), 1, 'only item (一) is emphasised');
    await shot(page, 'citation');
    // An article no item cites: no result, and the page says so plainly.
    await page.fill('#q', '消防法 64条');
    await page.waitForFunction(() => /没有事项引用/.test(document.querySelector('.ps-citation')?.innerText ?? ''));
    assert.match(await page.locator('.ps-citation').innerText(), /没有事项引用《中华人民共和国消防法》第六十四条。/);
    assert.equal(await hits(page).count(), 0);
    // One article: its text under the heading, unlabelled, as ever.
    assert.equal(await page.locator('.ps-citation .ps-cited-article').count(), 0, 'one article needs no label');
    // Several articles at once: the item citing both first.
    await page.fill('#q', '城市道路条例第30、31条');
    await page.waitForFunction(() => /第三十条、第三十一条/.test(document.querySelector('.ps-citation')?.innerText ?? ''));
    assert.equal(await hits(page).first().getAttribute('data-code'), 'CG-XK-001');
    assert.equal(await page.locator('.ps-citation .ps-cited-article').count(), 2);
    // Each article's text, labelled with its own citation.
    await page.fill('#q', '大气法第18条、第19条');
    await page.waitForFunction(() => document.querySelector('.ps-citation .ps-article-title')?.innerText.endsWith('第十八条'));
    assert.equal(await page.locator('.ps-citation .ps-cited-article').count(), 2);
    const articles = page.locator('.ps-citation .ps-cited-article');
    assert.equal(await articles.nth(0).locator('h3').innerText(), '《中华人民共和国大气污染防治法》第十八条');
    assert.equal(await articles.nth(1).locator('h3').innerText(), '《中华人民共和国大气污染防治法》第十九条');
    assert.match(await articles.nth(0).locator('.ps-article').innerText(), /^企业事业单位和其他生产经营者建设对大气环境有影响的项目/);
    assert.match(await articles.nth(1).locator('.ps-article').innerText(), /应当取得排污许可证/);
    assert.equal(await articles.nth(1).getAttribute('aria-label'), '《中华人民共和国大气污染防治法》第十九条');
    await shot(page, 'citation-several');
    // A mistyped code offers the near miss.
    await page.fill('#q', 'CG-CF-0149');
    await page.waitForFunction(() => !document.querySelector('.ps-suggest').hidden);
    assert.match(await page.locator('.ps-suggest').innerText(), /您是不是要找/);
    assertClean(problems);
    await close();
  });

  test('keyboard: arrows move through results, Enter opens one, Esc goes back and clears', async () => {
    const { page, problems, close } = await env.open('/');
    await appReady(page);
    const q = page.locator('#q');
    await q.fill('摆摊');
    await page.waitForFunction(() => document.querySelectorAll('#results > li').length > 2);
    await q.press('ArrowDown');
    await q.press('ArrowDown');
    const second = hits(page).nth(1);
    assert.equal(await q.getAttribute('aria-activedescendant'), await second.getAttribute('id'));
    assert.equal(await second.getAttribute('aria-selected'), 'true');
    await q.press('ArrowUp');
    const first = hits(page).first();
    assert.equal(await first.getAttribute('aria-selected'), 'true');
    assert.equal(await second.getAttribute('aria-selected'), 'false');
    const name = await first.locator('.ps-hit-name').innerText();
    const code = await first.getAttribute('data-code');
    await q.press('Enter');
    await page.waitForSelector('.ps-item');
    assert.equal(await page.locator('.ps-item-title').innerText(), name);
    assert.equal(new URL(page.url()).searchParams.get('item'), code);
    assert.equal(await page.evaluate(() => document.activeElement.className), 'ps-item-title', 'focus moves to the item heading');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.querySelector('.ps-item-pane').hidden);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'q');
    assert.equal(await q.inputValue(), '摆摊');
    await q.press('Escape');
    assert.equal(await q.inputValue(), '');
    await page.waitForFunction(() => !document.querySelector('.ps-home').hidden);
    assertClean(problems);
    await close();
  });

  test('filters show live counts, combine with the query, and browse a field', async () => {
    const { page, problems, close } = await env.open('/');
    await appReady(page);
    const option = (sel, value) => page.locator(`${sel} option[value="${value}"]`).innerText();
    assert.equal(await option('#field', '城市管理'), '城市管理（74）');
    // An empty query with a field lists that field's items, in code order.
    await page.selectOption('#field', '城市管理');
    await page.waitForFunction(() => document.querySelectorAll('#results > li').length > 0);
    assert.match(await statusText(page), /共 74 项/);
    assert.equal(await kind(page), '分类浏览');
    assert.equal(await hits(page).first().getAttribute('data-code'), 'CG-CF-001');
    assert.equal(await option('#type', '行政处罚'), '行政处罚（59）');
    // The first screen of hits is drawn first, then the rest of the page with its 显示更多.
    await page.waitForFunction(() => /还有 54 项/.test(document.querySelector('.ps-more')?.innerText ?? ''));
    await page.click('.ps-more');
    // The next page's records may be in chunks not downloaded yet: they come in a moment.
    await page.waitForFunction(() => document.querySelectorAll('#results > li').length === 40);
    assert.equal(await hits(page).count(), 40);
    // Combined with a query and a type: every hit is in both.
    await page.fill('#q', '道路');
    await page.waitForFunction(() => document.querySelector('#status').innerText.includes('找到'));
    const typeCount = Number((await option('#type', '行政许可')).match(/（(\d+)）/)[1]);
    assert.ok(typeCount > 0);
    await page.selectOption('#type', '行政许可');
    await page.waitForFunction((n) => document.querySelector('#status').innerText.includes(`找到 ${n} 项`), typeCount);
    for (const meta of await page.locator('#results .ps-meta').allInnerTexts()) assert.match(meta, /^行政许可 · 城市管理/);
    // Values with no hit under the other filters are disabled, not hidden.
    assert.equal(await page.locator('#field option[value="卫生健康"]').isDisabled(), true);
    const url = new URL(page.url());
    assert.deepEqual([url.searchParams.get('q'), url.searchParams.get('field'), url.searchParams.get('type')], ['道路', '城市管理', '行政许可']);
    await shot(page, 'filters');
    await page.click('.ps-clear');
    await page.waitForFunction(() => document.querySelector('#field').value === '' && document.querySelector('#type').value === '');
    assertClean(problems);
    await close();
  });

  test('the region picker cascades, says who handles each result there, and is remembered', async () => {
    const { page, context, problems, close } = await env.open(`/?q=${encodeURIComponent('摆摊')}`);
    await appReady(page);
    assert.match(await hits(page).first().locator('.ps-handler').innerText(), /^实施主体：/);
    await page.selectOption('#region-0', '32');
    // One city in the province: filled in for the reader.
    assert.equal(await page.locator('#region-1').inputValue(), '3212');
    await page.selectOption('#region-2', '321281');
    await page.selectOption('#region-3', '321281100');
    await page.waitForFunction(() => document.querySelector('#results').innerText.includes('戴窑镇综合行政执法局'));
    assert.match(await hits(page).first().locator('.ps-handler').innerText(), /在戴窑镇由 戴窑镇综合行政执法局 办理（赋权）/);
    assert.equal(new URL(page.url()).searchParams.get('region'), '321281100');
    await shot(page, 'region-daiyao');
    // Remembered: a new visit without a region in the URL uses it.
    const p2 = await context.newPage();
    await p2.goto(`${env.base}?q=${encodeURIComponent('河道')}`);
    await appReady(p2);
    assert.equal(await p2.locator('#region-3').inputValue(), '321281100');
    assert.equal(new URL(p2.url()).searchParams.get('region'), '321281100', 'the URL names the remembered region');
    // Choosing only a county: items kept by the county say so.
    await page.selectOption('#region-3', '');
    await page.fill('#q', '河道');
    await page.waitForFunction(() => document.querySelector('#results').innerText.includes('在兴化市由'));
    assertClean(problems);
    await close();
  });

  test('works on a phone screen (390 px): no sideways scrolling, readable results and item page', async () => {
    const { page, problems, close } = await env.open(`/?region=321281100`, { viewport: { width: 390, height: 844 }, context: { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } });
    await appReady(page);
    await shot(page, 'phone-home');
    await page.fill('#q', '油烟');
    await page.waitForFunction(() => document.querySelectorAll('#results > li').length > 0);
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(await overflow(), 0);
    await shot(page, 'phone-results');
    await hits(page).first().tap();
    await page.waitForSelector('.ps-item');
    assert.equal(await overflow(), 0);
    await page.getByRole('button', { name: /各乡镇（街道）由谁办理/ }).tap();
    assert.equal(await overflow(), 0);
    await shot(page, 'phone-item');
    assertClean(problems);
    await close();
  });

  test('a missing, foreign, damaged or other-version index shows what happened and what to do', async () => {
    const { dir, rel } = env.tmp('broken');
    const good = readFileSync(path.join(www, 'catalog.idx'));
    const damaged = Buffer.from(good);
    damaged[Math.floor(damaged.length / 2)] ^= 0xff;
    writeFileSync(path.join(dir, 'damaged.idx'), damaged);
    // A byte near the end of the postings: loading does not read it and the home page searches
    // nothing, so only the check of the rest after loading can find it.
    const late = Buffer.from(good);
    const sections = late.readUInt32LE(12);
    for (let i = 0; i < sections; i++) {
      const at = 16 + 24 * i;
      if (late.readUInt32LE(at) === 7) {
        const end = Number(late.readBigUInt64LE(at + 8) + late.readBigUInt64LE(at + 16));
        late[end - 3] ^= 0x5a;
      }
    }
    writeFileSync(path.join(dir, 'damaged-late.idx'), late);
    const newer = Buffer.from(good);
    newer.writeUInt32LE(99, 8); // the format version follows the 8 magic bytes
    writeFileSync(path.join(dir, 'newer.idx'), newer);
    const cases = [
      ['missing.idx', /找不到索引文件（HTTP 404）/, /index= 参数/],
      ['index.html', /不是权力清单索引/, /not a powerlist index/],
      [`${rel}/damaged.idx`, /已损坏或下载不完整/, /checksum mismatch/],
      [`${rel}/damaged-late.idx`, /已损坏或下载不完整/, /checksum mismatch in section 7/],
      [`${rel}/newer.idx`, /格式版本（99）与本页面的检索程序（读取版本 \d+）不一致/, /请刷新页面以获取新版程序/],
    ];
    const { page, problems, close } = await env.open(null, { allow: [/status of 404/] });
    for (const [index, what, more] of cases) {
      await page.goto(`${env.base}?index=${index}`);
      await page.waitForSelector('.ps-error:not([hidden])');
      const text = await page.locator('.ps-error').innerText();
      assert.match(text, /索引加载失败/);
      assert.match(text, what, index);
      assert.match(text, more, index);
      assert.match(text, /怎么办：/);
      assert.equal(await page.getByRole('alert').count(), 1);
      if (index.endsWith('newer.idx')) await shot(page, 'error-version');
    }
    assertClean(problems);
    await close();
  });

  test('a module from another build than the page is refused with both versions named', async () => {
    const { page, problems, close } = await env.open(null);
    await page.route('**/pkg/build-info.js', (route) => route.fulfill({
      contentType: 'text/javascript', body: 'export const VERSION = "9.9.9";',
    }));
    await page.goto(env.base);
    await page.waitForSelector('.ps-error:not([hidden])');
    const text = await page.locator('.ps-error').innerText();
    assert.match(text, /检索模块版本（powerlist \d+\.\d+\.\d+）与本页面版本（powerlist 9\.9\.9）不一致/);
    assert.match(text, /强制刷新/);
    assertClean(problems);
    await close();
  });
});
