// The item page (facts, who handles it, article texts, related items, print) and shareable URLs.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, appReady, shot, assertClean } from './harness.mjs';

const env = setup();

// The tests are independent (each has its own browser context), so two run at a time.
describe('the item page and shareable URLs', { concurrency: 2 }, () => {
  test('item page: who handles it, every basis with its article text, the cited item emphasised, related items', async () => {
    const { page, problems, close } = await env.open('/?region=321281100&item=CG-CF-014');
    await appReady(page);
    await page.waitForSelector('.ps-item');
    assert.equal(await page.locator('.ps-item-title').innerText(), '对擅自占用城市道路的行政处罚');
    assert.equal(await page.title(), '对擅自占用城市道路的行政处罚 · 权力清单检索');
    const facts = await page.locator('.ps-item > .ps-facts').innerText();
    for (const s of ['CG-CF-014', '行政处罚', '城市管理', '县级、乡级', '县级城市管理部门']) assert.ok(facts.includes(s), s);
    // The keyword list is for officers: in 更多信息 at the end, folded.
    const more = page.locator('details.ps-more-info');
    assert.equal(await more.locator('.ps-keywords').isVisible(), false);
    await more.locator('summary').click();
    assert.match(await more.locator('.ps-keywords').innerText(), /俗称关键词\s+.*摆摊/);
    const who = page.locator('.ps-who');
    assert.match(await who.locator('.ps-handler').innerText(), /在戴窑镇由 戴窑镇综合行政执法局 办理（赋权）/);
    assert.match(await who.innerText(), /江苏省 › 泰州市 › 兴化市 › 戴窑镇/);

    // Three bases, each with the whole article; 第二十七条第（一）项 emphasises item (一) only.
    const bases = page.locator('.ps-basis');
    assert.equal(await bases.count(), 3);
    const first = bases.first();
    assert.equal(await first.locator('h4').innerText(), '《城市道路管理条例》第二十七条第（一）项');
    assert.equal(await first.locator('.ps-para-item').count(), 7, 'all seven items of the article');
    assert.equal(await first.locator('.ps-cited').count(), 1);
    assert.match(await first.locator('.ps-cited').innerText(), /本事项引用\s*\(一\)擅自占用或者挖掘城市道路；/);
    assert.match(await bases.nth(2).locator('.ps-article').innerText(), /可以处以2万元以下的罚款/);
    assert.equal(await bases.nth(2).locator('.ps-cited').count(), 0, 'a whole-article citation emphasises nothing narrower');

    // Other items citing 第二十七条, without this one.
    const related = first.locator('.ps-related');
    assert.match(await related.innerText(), /同样引用本条的其他事项（3）/);
    assert.equal(await related.locator('a', { hasText: 'CG-CF-014' }).count(), 0);
    assert.equal(await related.locator('a', { hasText: 'CG-CF-015' }).count(), 1);

    // Every township of the county, on request.
    const toggle = page.getByRole('button', { name: '查看兴化市各乡镇（街道）由谁办理' });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    const rows = page.locator('.ps-handlers tbody tr');
    // The county's assignments may download first (the chunked index).
    await page.waitForFunction(() => document.querySelectorAll('.ps-handlers tbody tr').length >= 20);
    assert.ok(await rows.count() >= 20);
    assert.match(await page.locator('.ps-handlers tr[aria-current="location"]').innerText(), /戴窑镇（所在地）\s+戴窑镇综合行政执法局\s+赋权/);
    await shot(page, 'item-page');

    // Print: the controls go, the text and the emphasis stay.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('#q').isVisible(), false);
    assert.equal(await page.locator('.ps-item-nav').isVisible(), false);
    assert.equal(await first.locator('.ps-cited').isVisible(), true);
    await shot(page, 'item-print', { fullPage: true });
    await page.emulateMedia({ media: 'screen' });

    // A related item opens in place, with its own URL; back returns.
    await related.locator('a', { hasText: 'CG-CF-015' }).click();
    await page.waitForFunction(() => document.querySelector('.ps-item-title').innerText.includes('挖掘城市道路'));
    assert.equal(new URL(page.url()).searchParams.get('item'), 'CG-CF-015');
    await page.goBack();
    await page.waitForFunction(() => document.querySelector('.ps-item-title').innerText === '对擅自占用城市道路的行政处罚');
    assertClean(problems);
    await close();
  });

  test('an item without a region names the default department; an unknown code says so', async () => {
    const { page, problems, close } = await env.open('/?item=SL-XK-001');
    await appReady(page);
    await page.waitForSelector('.ps-item');
    assert.match(await page.locator('.ps-who').innerText(), /实施主体：县级水行政部门[\s\S]*选择您所在的乡镇（街道）/);
    await page.goto(`${env.base}?item=NO-SUCH-1`);
    await appReady(page);
    assert.match(await page.locator('.ps-item-title').innerText(), /没有编码为“NO-SUCH-1”的事项/);
    assertClean(problems);
    await close();
  });

  test('a shared link restores query, filters, region and item; reload, back and forward work', async () => {
    const link = `/?q=${encodeURIComponent('摆摊')}&field=${encodeURIComponent('城市管理')}&region=321281100`;
    const { page, problems, close } = await env.open(link);
    await appReady(page);
    await page.waitForFunction(() => document.querySelectorAll('#results > li').length > 0);
    const view = () => page.evaluate(() => ({
      q: document.querySelector('#q').value,
      field: document.querySelector('#field').value,
      region: document.querySelector('#region-3').value,
      item: document.querySelector('.ps-item-pane').hidden ? '' : document.querySelector('.ps-item-title').innerText,
      hits: document.querySelectorAll('#results > li').length,
    }));
    const results = await view();
    assert.deepEqual({ ...results, hits: results.hits > 0 }, { q: '摆摊', field: '城市管理', region: '321281100', item: '', hits: true });
    // A township and a filter: folded into one line under the box.
    assert.match(await page.locator('.ps-fold').innerText(), /^所在地和筛选：\s*戴窑镇 · 城市管理\s*·\s*更改$/);
    for (const meta of await page.locator('#results .ps-meta').allInnerTexts()) assert.match(meta, /城市管理/);

    // Open the first result: a new history entry with the item in the URL.
    const name = await page.locator('#results > li .ps-hit-name').first().innerText();
    await page.locator('#results > li').first().click();
    await page.waitForSelector('.ps-item');
    const itemUrl = page.url();
    assert.ok(new URL(itemUrl).searchParams.get('item'));
    await page.reload();
    await appReady(page);
    await page.waitForSelector('.ps-item');
    assert.deepEqual(await view(), { q: '摆摊', field: '城市管理', region: '321281100', item: name, hits: results.hits });

    // Back (the browser's) shows the results again, forward the item.
    await page.goBack();
    await page.waitForFunction(() => document.querySelector('.ps-item-pane').hidden);
    assert.deepEqual(await view(), results);
    await page.goForward();
    await page.waitForFunction(() => !document.querySelector('.ps-item-pane').hidden);
    assert.equal((await view()).item, name);
    // The page's own back button goes back in history too.
    await page.getByRole('button', { name: '← 返回结果' }).click();
    await page.waitForFunction(() => document.querySelector('.ps-item-pane').hidden);
    assert.equal(new URL(page.url()).searchParams.get('item'), null);

    // Typing replaces the current entry (no entry per keystroke); filters add one.
    const before = await page.evaluate(() => history.length);
    await page.locator('#q').pressSequentially('经营');
    assert.equal(await page.evaluate(() => history.length), before);
    assert.equal(new URL(page.url()).searchParams.get('q'), '摆摊经营');
    await page.getByRole('button', { name: '更改' }).click();
    await page.selectOption('#field', '');
    assert.equal(new URL(page.url()).searchParams.get('field'), null);
    await page.goBack();
    await page.waitForFunction(() => document.querySelector('#field').value === '城市管理');
    assert.equal(await page.locator('#q').inputValue(), '摆摊经营');
    assertClean(problems);
    await close();
  });

  test('the home view charts the catalog and the chosen county; a bar browses its category', async () => {
    // The charts are statistics for officers: shown in the officer view.
    const { page, problems, close } = await env.open('/?region=321281100', { officer: true });
    await appReady(page);
    const toggle = page.getByRole('button', { name: '查看统计图表' });
    await toggle.click();
    const charts = page.locator('.overview .chart');
    await charts.first().waitFor();
    assert.equal(await charts.count(), 4);
    const captions = await page.locator('.overview caption').allInnerTexts();
    assert.deepEqual(captions, ['各领域事项数', '各类型事项数', '各层级行使的事项数', '兴化市各乡镇（街道）承接的事项数']);
    assert.match(await page.locator('.overview tr', { hasText: '城市管理' }).first().innerText(), /城市管理\s+74 项/);
    assert.match(await page.locator('.overview tr[aria-current="true"]').innerText(), /戴窑镇\s+\d+ 项/);
    await shot(page, 'charts', { fullPage: true });
    await page.getByRole('button', { name: '农业农村' }).click();
    await page.waitForFunction(() => document.querySelector('#field').value === '农业农村');
    assert.match(await page.locator('#status').innerText(), /共 45 项/);
    await page.goBack();
    await page.waitForFunction(() => !document.querySelector('.ps-home').hidden);
    // The charts stay open; picking a township in the county chart sets the region.
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    await page.getByRole('button', { name: '昭阳街道' }).click();
    await page.waitForFunction(() => document.querySelector('#region-3').value === '321281001');
    await page.waitForFunction(() => document.activeElement?.closest('.chart-current'), null, { timeout: 3000 });
    // Closed, they stay closed.
    await toggle.click();
    assert.equal(await page.locator('#overview-charts').isHidden(), true);
    assertClean(problems);
    await close();
  });
});
