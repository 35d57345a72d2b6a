// Phone first (issue 16): the folded region line under the search box with the keyboard open,
// result rows that are real links, the citizen's page without the maintainer's tools, 长辈模式
// (large text, high contrast) at 200 % zoom, list.html on a phone, and a Chinese hint for a
// query in English.
//
// 200 % zoom: the browser's zoom scales CSS pixels, so a 390 px phone at 200 % lays the page out
// in 195 CSS px. The tests set that viewport (with deviceScaleFactor 4, the same device pixels);
// the CSP forbids what would zoom the page from a script (a style attribute on <html>).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, appReady, statusText, shot, assertClean } from './harness.mjs';

const env = setup();
const PHONE = { viewport: { width: 390, height: 844 }, context: { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } };
/** A phone with the on-screen keyboard open: some 450 px of the page left above it. */
const KEYBOARD = { viewport: { width: 390, height: 450 }, context: { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } };
const options = (page) => page.locator('#results [role="option"]');
/** How far the page scrolls sideways (0: not at all). */
const sideways = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe('phone first', { concurrency: 2 }, () => {
  test('with a township chosen, the picker and filters fold into one line and the first result shows above the keyboard', async () => {
    const { page, context, problems, close } = await env.open('/?region=321281123', KEYBOARD);
    await appReady(page);
    const fold = page.locator('.ps-fold');
    assert.match(await fold.innerText(), /戴南镇\s*·\s*更改/);
    assert.equal(await page.locator('#region-3').isVisible(), false, 'the region selects are folded');
    assert.equal(await page.locator('#field').isVisible(), false, 'the filters are folded');
    // The reader taps the box (the keyboard opens) and types.
    await page.locator('#q').tap();
    await page.keyboard.type('占道经营');
    await options(page).first().waitFor();
    await page.waitForTimeout(100);
    const box = await options(page).first().boundingBox();
    const input = await page.locator('#q').boundingBox();
    assert.ok(input.y >= 0, `the search box is on screen (top ${input.y})`);
    assert.ok(box.y >= 0 && box.y + box.height <= 450 && box.x >= 0 && box.x + box.width <= 390,
      `the first result row is wholly inside the 390×450 viewport: ${JSON.stringify(box)}`);
    assert.ok(box.y - (input.y + input.height) < 160, 'right under the box');
    await shot(page, 'phone-keyboard-results');

    // 更改 unfolds them; they stay open while the reader changes them; 收起 folds them again.
    const toggle = page.getByRole('button', { name: '更改' });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await toggle.click();
    assert.equal(await page.locator('#region-3').isVisible(), true);
    assert.equal(await page.locator('#region-3').inputValue(), '321281123');
    await page.selectOption('#type', '行政处罚');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('type') === '行政处罚');
    assert.equal(await page.locator('#field').isVisible(), true, 'still open after a change');
    assert.match(await fold.innerText(), /戴南镇 · 行政处罚\s*·\s*收起/);
    await shot(page, 'phone-fold-open');
    // Another township, picked in the open picker: still open, and remembered (region.js).
    await page.selectOption('#region-3', '321281100');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('region') === '321281100');
    assert.equal(await page.locator('#region-3').isVisible(), true);
    assert.match(await fold.innerText(), /戴窑镇 · 行政处罚\s*·\s*收起/);
    await page.getByRole('button', { name: '收起' }).click();
    assert.equal(await page.locator('#region-3').isVisible(), false);
    assert.match(await fold.innerText(), /戴窑镇 · 行政处罚\s*·\s*更改/);
    // Open again, then typing in the box: done with them, they fold back.
    await page.getByRole('button', { name: '更改' }).click();
    assert.equal(await page.locator('#region-3').isVisible(), true);
    await page.locator('#q').focus();
    await page.keyboard.type('摊');
    await page.waitForFunction(() => document.querySelector('#q').value.endsWith('摊'));
    assert.equal(await page.locator('#region-3').isVisible(), false);
    assert.equal(await page.locator('#field').isVisible(), false);

    // Remembered: a new visit without a region in the URL starts folded on that township.
    const again = await context.newPage();
    await again.goto(env.base);
    await appReady(again);
    assert.equal(await again.locator('.ps-fold').isVisible(), true);
    assert.match(await again.locator('.ps-fold').innerText(), /戴窑镇\s*·\s*更改/);
    assert.equal(await again.locator('#region-3').isVisible(), false);
    // Only a county: no fold, the picker shows as before.
    await again.goto(`${env.base}?region=321281`);
    await appReady(again);
    assert.equal(await again.locator('.ps-fold').isVisible(), false);
    assert.equal(await again.locator('#region-3').isVisible(), true);
    assertClean(problems);
    await close();
  });

  test('result rows are links to the item: a new tab shows it; a plain click opens it in place', async () => {
    const { page, context, problems, close } = await env.open(`/?region=321281100&q=${encodeURIComponent('占道经营')}`, PHONE);
    await appReady(page);
    const first = options(page).first();
    await first.waitFor();
    assert.equal(await first.evaluate((e) => e.tagName), 'A');
    const href = await first.getAttribute('href');
    const url = new URL(href, env.base);
    assert.deepEqual([url.searchParams.get('q'), url.searchParams.get('region'), url.searchParams.get('item')],
      ['占道经营', '321281100', await first.getAttribute('data-code')]);
    const name = await first.locator('.ps-hit-name').innerText();

    // Opened on its own (a new tab, a shared link): that item's page.
    const other = await context.newPage();
    await other.goto(url.href);
    await appReady(other);
    await other.waitForSelector('.ps-item');
    assert.equal(await other.locator('.ps-item-title').innerText(), name);
    await other.close();

    // Ctrl+click is the browser's: a new tab, the results stay.
    const [tab] = await Promise.all([context.waitForEvent('page'), first.click({ modifiers: ['Control'] })]);
    await tab.waitForLoadState();
    assert.equal(new URL(tab.url()).searchParams.get('item'), url.searchParams.get('item'));
    await tab.close();
    assert.equal(await page.locator('.ps-item-pane').isHidden(), true, 'the results stay on a modified click');

    // A plain tap opens it here, without loading the page again.
    await page.evaluate(() => { window.__samePage = true; });
    await first.tap();
    await page.waitForSelector('.ps-item');
    assert.equal(await page.locator('.ps-item-title').innerText(), name);
    assert.equal(await page.evaluate(() => window.__samePage), true, 'no reload');
    assert.equal(page.url(), url.href);
    assertClean(problems);
    await close();
  });

  test('the maintainer tools stay out of the citizen page: 更多信息 on the item, 执法人员视图 on the search page', async () => {
    const { page, problems, close } = await env.open('/?region=321281100&item=CG-CF-014', PHONE);
    await appReady(page);
    await page.waitForSelector('.ps-item');
    const more = page.locator('details.ps-more-info');
    assert.equal(await more.getAttribute('open'), null);
    for (const sel of ['.ps-overlaps', '.ps-keywords']) assert.equal(await page.locator(sel).isVisible(), false, sel);
    assert.equal(await page.getByText('可能的多头执法/重复事项').isVisible(), false);
    await more.locator('summary').tap();
    assert.equal(await page.locator('.ps-overlaps').isVisible(), true);
    assert.equal(await page.locator('.ps-keywords').isVisible(), true);

    // The search page: no version comparison, no statistics, until the officer view is on.
    await page.goto(`${env.base}?region=321281100`);
    await appReady(page);
    await page.waitForTimeout(500); // the version buttons come after the first answer
    await page.locator('#versions button').first().waitFor({ state: 'attached' });
    for (const name of ['与旧版对比…', '查看统计图表']) {
      assert.equal(await page.getByRole('button', { name }).isVisible(), false, name);
    }
    const officer = page.getByRole('button', { name: '执法人员视图' });
    assert.equal(await officer.getAttribute('aria-pressed'), 'false');
    await officer.tap();
    assert.equal(await officer.getAttribute('aria-pressed'), 'true');
    for (const name of ['与旧版对比…', '查看统计图表']) {
      assert.equal(await page.getByRole('button', { name }).isVisible(), true, name);
    }
    // Remembered; the item page then starts with 更多信息 open.
    await page.goto(`${env.base}?region=321281100&item=CG-CF-014`);
    await appReady(page);
    await page.waitForSelector('.ps-item');
    assert.equal(await page.getByRole('button', { name: '执法人员视图' }).getAttribute('aria-pressed'), 'true');
    assert.equal(await page.locator('.ps-overlaps').isVisible(), true);
    await shot(page, 'phone-item-officer');
    assertClean(problems);
    await close();
  });

  test('长辈模式: larger text, kept across a reload, and at 200 % zoom nothing scrolls sideways', async () => {
    const { page, problems, close } = await env.open('/?region=321281100', PHONE);
    await appReady(page);
    const rootSize = () => page.evaluate(() => Number.parseFloat(getComputedStyle(document.documentElement).fontSize));
    const size = await rootSize();
    const big = page.getByRole('button', { name: '长辈模式' });
    assert.equal(await big.getAttribute('aria-pressed'), 'false');
    await big.tap();
    assert.equal(await big.getAttribute('aria-pressed'), 'true');
    assert.ok(await rootSize() >= size * 1.2, 'larger text');
    await page.reload();
    await appReady(page);
    assert.equal(await page.getByRole('button', { name: '长辈模式' }).getAttribute('aria-pressed'), 'true');
    assert.ok(await rootSize() >= size * 1.2, 'still larger after a reload');
    const mutedBig = await page.evaluate(() => getComputedStyle(document.querySelector('.ps-status')).color);
    assert.equal(mutedBig, 'rgb(31, 31, 31)', 'secondary text darker');

    // 200 % of a 390 px phone: a 195 CSS px layout.
    await page.setViewportSize({ width: 195, height: 422 });
    for (const q of ['食品安全法第一百二十二条', 'CG-CF-014', '占道经营', '城管电话']) {
      await page.fill('#q', q);
      await options(page).first().waitFor();
      assert.equal(await sideways(page), 0, `search page, ${q}`);
    }
    await page.locator('.ps-fold-toggle').click();
    assert.equal(await sideways(page), 0, 'the region selects and filters, unfolded');
    await shot(page, 'zoom200-search');
    await page.goto(`${env.base}?region=321281100&item=CG-CF-014`);
    await appReady(page);
    await page.waitForSelector('.ps-item');
    await page.getByRole('button', { name: /各乡镇（街道）由谁办理/ }).click();
    await page.waitForFunction(() => document.querySelectorAll('.ps-handlers tbody tr').length > 0);
    await page.locator('details.ps-more-info summary').click();
    assert.equal(await sideways(page), 0, 'item page (the handlers table scrolls in its own box)');
    const table = await page.locator('.ps-handlers').evaluate((e) => ({ box: e.getBoundingClientRect().right, overflow: getComputedStyle(e).overflowX }));
    assert.ok(table.box <= 195 && table.overflow === 'auto');
    await shot(page, 'zoom200-item', { fullPage: true });
    await page.goto(`${env.base}list.html?region=321281100`);
    await page.waitForSelector('#list section', { timeout: 30000 }); // the whole index is checked first
    assert.equal(await page.getByRole('button', { name: '长辈模式' }).getAttribute('aria-pressed'), 'true');
    assert.ok(await rootSize() >= size * 1.2, 'list.html in large text too');
    assert.equal(await sideways(page), 0, 'list.html');
    await shot(page, 'zoom200-list');
    assertClean(problems);
    await close();
  });

  test('prefers-contrast: more darkens the secondary text without the toggle', async () => {
    const { page, problems, close } = await env.open(null, PHONE);
    await page.emulateMedia({ contrast: 'more' });
    await page.goto(`${env.base}?q=${encodeURIComponent('摆摊')}`);
    await appReady(page);
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('.ps-status')).color), 'rgb(31, 31, 31)');
    await page.emulateMedia({ contrast: 'no-preference' });
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('.ps-status')).color), 'rgb(89, 89, 89)');
    assertClean(problems);
    await close();
  });

  test('list.html on a phone: no sideways scrolling, rows as labelled cards; errors in Chinese', async () => {
    const { page, problems, close } = await env.open('/list.html?region=321281100', PHONE);
    await page.waitForSelector('#list section', { timeout: 30000 }); // the whole index is checked first
    assert.equal(await sideways(page), 0);
    const cell = page.locator('section.field tr', { hasText: 'CG-CF-014' }).locator('td').nth(4);
    assert.equal(await cell.getAttribute('data-label'), '承办主体');
    assert.equal(await cell.evaluate((e) => getComputedStyle(e, '::before').content), '"承办主体："');
    await shot(page, 'phone-list');
    for (const [query, what] of [
      ['?region=999', /^清单中没有编码为“999”的行政区划。$/],
      ['', /^没有指定地区。$/],
      ['?region=32', /^江苏省（32）本级没有行使的事项/],
    ]) {
      await page.goto(`${env.base}list.html${query}`);
      await page.waitForSelector('#list .error', { timeout: 30000 });
      assert.equal(await page.locator('#title').innerText(), '无法显示本地清单');
      assert.match(await page.locator('#list .error-what').innerText(), what, query);
      const said = (await page.locator('#list .error').innerText()).replace(/技术信息：.*/s, '');
      assert.doesNotMatch(said, /[A-Za-z]{3,}/, `no English but the technical detail: ${said}`);
      assert.match(said, /怎么办：/);
      assert.equal(await sideways(page), 0);
    }
    await shot(page, 'phone-list-error');
    assertClean(problems);
    await close();
  });

  test('a query in English, or letters that spell nothing, gets a hint in Chinese', async () => {
    const { page, problems, close } = await env.open('/', PHONE);
    await appReady(page);
    for (const q of ['street vendor', 'noise', 'qwrtpz']) {
      await page.fill('#q', q);
      await page.waitForFunction((v) => document.querySelector('#status').innerText.includes(v), q);
      const status = await statusText(page);
      assert.match(status, /请用中文描述您遇到的问题，例如“摆摊”“噪声扰民”，或输入事项编码、拼音/, q);
      assert.doesNotMatch(status, /按拼音检索/, q);
    }
    await shot(page, 'phone-english');
    // Pinyin that matches stays pinyin, without the hint.
    await page.fill('#q', 'zdjy');
    await page.waitForFunction(() => document.querySelector('#status .ps-kind'));
    assert.equal(await page.locator('#status .ps-kind').innerText(), '按拼音检索');
    assert.doesNotMatch(await statusText(page), /请用中文描述/);
    assertClean(problems);
    await close();
  });
});
