// The item page (facts, who handles it, article texts, related items, print) and shareable URLs.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { setup, appReady, shot, assertClean, buildIndex, root, artifacts } from './harness.mjs';

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
    // The handler is said once, at the top; the box below adds the other townships.
    assert.match(await page.locator('.ps-reach .ps-handler').innerText(), /在戴窑镇由 戴窑镇综合行政执法局 办理（赋权）/);
    assert.equal(await page.locator('.ps-item .ps-handler').count(), 1, 'one statement of who handles it');
    const who = page.locator('.ps-who');
    assert.match(await who.innerText(), /江苏省 › 泰州市 › 兴化市 › 戴窑镇/);

    // Three bases, each with the whole article; 第二十七条第（一）项 emphasises item (一) only.
    const bases = page.locator('.ps-basis');
    assert.equal(await bases.count(), 3);
    const first = bases.first();
    // The version of the law's text after its title (MANIFEST.tsv dates it; no history line names the kind).
    assert.equal(await first.locator('h4').innerText(), '《城市道路管理条例》（2019年文本）第二十七条第（一）项');
    assert.equal(await page.locator('.ps-superseded').count(), 0, 'a law still in force: no note');
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
    assert.match(await page.locator('.ps-handlers tr[aria-current="location"]').innerText(), /戴窑镇（所在地）\s+戴窑镇综合行政执法局\s+赋权\s+12345（政务服务热线）/);
    // The sample has no contacts: 12345 on every row.
    assert.equal(await page.locator('.ps-handlers td.ps-contact-cell a[href="tel:12345"]').count(), await rows.count());
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

  test('a basis names the version of the law\'s text, and says so when a newer text has replaced it (phone)', async () => {
    // WJ-CF-001 cites 《传染病防治法》 (data/laws declares it 已被修订：2025-04-30).
    const { page, problems, close } = await env.open('/?item=WJ-CF-001', { viewport: { width: 390, height: 844 } });
    await appReady(page);
    await page.waitForSelector('.ps-item');
    const first = page.locator('.ps-basis').first();
    assert.equal(await first.locator('h4').innerText(), '《中华人民共和国传染病防治法》（2013年修正）第二十九条第一款');
    const note = first.locator('.ps-superseded');
    assert.equal(await note.isVisible(), true);
    assert.match(await note.innerText(), /^该法律法规已于2025-04-30修订，下列条文为修订前的文本，请以现行文本为准。/);
    assert.match(await note.innerText(), /自2025年9月1日起施行/);
    // Said before the older text, and inside the phone's width.
    const [noteBox, articleBox] = [await note.boundingBox(), await first.locator('.ps-article').boundingBox()];
    assert.ok(noteBox.y < articleBox.y, 'the note comes before the article');
    assert.ok(noteBox.x >= 0 && noteBox.x + noteBox.width <= 390, JSON.stringify(noteBox));
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390, 'no horizontal scrolling');
    await note.scrollIntoViewIfNeeded();
    await shot(page, 'item-superseded-phone');
    assertClean(problems);
    await close();
  });

  test('an item without a region names the default department; an unknown code says so', async () => {
    const { page, problems, close } = await env.open('/?item=SL-XK-001');
    await appReady(page);
    await page.waitForSelector('.ps-item');
    // The catalog's 实施主体 named as what it is, not as the local answer; how to get that.
    assert.match(await page.locator('.ps-reach').innerText(), /^在上方“所在地”中选择您所在的乡镇（街道）[\s\S]*目录所列实施主体：县级水行政部门[\s\S]*12345/);
    assert.equal(await page.locator('.ps-who').count(), 0);
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
    assert.equal(await charts.count(), 5);
    const captions = await page.locator('.overview .chart-table caption').allInnerTexts();
    assert.deepEqual(captions, ['各领域事项数', '各类型事项数', '各层级行使的事项数', '兴化市各乡镇（街道）承接的事项数']);
    // Then the laws, folded (stats.test.mjs checks the table).
    assert.match(await page.locator('.overview .law-chart summary').innerText(), /^法律法规（\d+ 部）的文本版本及引用事项数$/);
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

  test('the item page opens with the local handler and how to reach it (a test catalog with contacts)', async () => {
    // tests/fixtures/contacts: the mini catalog with a bodies table; every contact is fictitious.
    const tmp = env.tmp('contacts');
    buildIndex(path.join(root, 'tests/fixtures/contacts'), path.join(tmp.dir, 'contacts.idx'));
    const index = `${tmp.rel}/contacts.idx`;
    const { page, problems, close } = await env.open(`/?index=${index}&region=321281100&item=CG-CF-014`);
    await appReady(page);
    await page.waitForSelector('.ps-item');
    // Right under the title: who handles it here, then how to reach it.
    assert.equal(await page.evaluate(() => document.querySelector('.ps-item-title').nextElementSibling.className), 'ps-reach');
    const top = page.locator('.ps-reach');
    assert.match(await top.locator('.ps-handler').innerText(), /^在戴窑镇由 戴窑镇综合行政执法局 办理（赋权）/);
    // The item's own 咨询电话 and 办理地点 before the body's; the body's hours and web page.
    const tel = top.locator('a[href^="tel:"]');
    assert.equal(await tel.first().getAttribute('href'), 'tel:052300000099');
    assert.equal(await tel.first().innerText(), '0523-00000099');
    const text = await top.innerText();
    for (const s of ['地址：测试路99号便民服务中心', '办公时间：周一至周五 8:30-12:00、14:00-17:30', '监督电话：0523-00000098']) assert.ok(text.includes(s), `${s} in ${text}`);
    assert.equal(await top.locator('a', { hasText: '测试路' }).count(), 0, 'the address is plain text');
    const web = top.locator('a[href="https://example.com/daiyao"]');
    assert.equal(await web.getAttribute('rel'), 'noopener');
    assert.equal(await top.locator('.ps-hotline').count(), 0, 'a phone is known: no hotline');
    // The body's name is not a link and does not look like one.
    const looks = await page.evaluate(() => {
      const name = document.querySelector('.ps-reach .ps-handler strong');
      const link = document.querySelector('.ps-reach a[href^="tel:"]');
      const style = (e) => getComputedStyle(e);
      return { tag: name.closest('a') ? 'a' : 'text', name: style(name).color, link: style(link).color, underline: style(name).textDecorationLine };
    });
    assert.equal(looks.tag, 'text');
    assert.notEqual(looks.name, looks.link);
    assert.equal(looks.underline, 'none');
    assert.match(await page.locator('.ps-facts').first().innerText(), /目录所列实施主体\s+县级城市管理部门/);
    await shot(page, 'item-contacts');

    // Handled by a body without a contact: the 12345 hotline.
    await page.goto(`${env.base}?index=${index}&region=321281100&item=CG-CF-015`);
    await page.waitForFunction(() => document.querySelector('.ps-item-title')?.innerText.includes('挖掘'));
    assert.equal(await page.locator('.ps-reach .ps-hotline a').getAttribute('href'), 'tel:12345');

    // A result row dials the handler's phone; the row still opens the item.
    await page.goto(`${env.base}?index=${index}&region=321281100&q=摆摊`);
    await appReady(page);
    const row = page.locator('.ps-hit[data-code="CG-CF-014"]');
    await row.waitFor();
    assert.equal(await row.locator('a.ps-tel').getAttribute('href'), 'tel:052300000099');
    await row.locator('.ps-hit-name').click();
    await page.waitForSelector('.ps-reach');
    assertClean(problems);
    await close();
  });

  test('the item page shows the responsibility list, as text, when the catalog gives one (a test catalog); so does the printed list', async () => {
    // tests/fixtures/duties: the mini catalog with 责任事项 and 追责情形 (texts written for the tests).
    const tmp = env.tmp('duties');
    buildIndex(path.join(root, 'tests/fixtures/duties'), path.join(tmp.dir, 'duties.idx'));
    const index = `${tmp.rel}/duties.idx`;
    const { page, problems, close } = await env.open(`/?index=${index}&region=321281100&item=CG-CF-014`,
      { viewport: { width: 390, height: 844 }, context: { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } });
    await appReady(page);
    await page.waitForSelector('.ps-item');
    const box = page.locator('.ps-responsibility');
    assert.equal(await box.getAttribute('aria-label'), '责任清单');
    assert.equal(await box.locator('h3').innerText(), '责任清单');
    assert.deepEqual(await box.locator('h4').allInnerTexts(), ['责任事项', '追责情形']);
    const lists = box.locator('ul.ps-duties');
    assert.equal(await lists.nth(0).locator('li').count(), 7);
    assert.equal(await lists.nth(0).locator('li').first().innerText(), '1.立案责任：发现涉嫌擅自占用城市道路的行为，予以审查，决定是否立案。');
    assert.equal(await lists.nth(1).locator('li').count(), 5);
    assert.equal(await lists.nth(1).locator('li').last().innerText(), '4.其他违反法律法规规章规定的行为。');
    // After the legal bases; nothing sideways on a phone.
    assert.equal(await page.evaluate(() => document.querySelector('.ps-responsibility').previousElementSibling.className), 'ps-bases');
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0);
    await box.scrollIntoViewIfNeeded();
    await shot(page, 'item-duties-phone');
    await box.screenshot({ path: path.join(artifacts, 'item-duties-section.png') });

    // Duties only: one list. No responsibility list: no section.
    await page.goto(`${env.base}?index=${index}&region=321281100&item=CG-CF-015`);
    await page.waitForFunction(() => document.querySelector('.ps-item-title')?.innerText.includes('挖掘'));
    assert.deepEqual(await page.locator('.ps-responsibility h4').allInnerTexts(), ['责任事项']);
    assert.equal(await page.locator('.ps-responsibility li').count(), 3);
    await page.goto(`${env.base}?index=${index}&region=321281100&item=CG-CF-001`);
    await page.waitForFunction(() => document.querySelector('.ps-item-title')?.innerText.includes('吐痰'));
    assert.equal(await page.locator('.ps-responsibility').count(), 0);

    // The printed list: a 责任清单 column for the township's own items (not for those above).
    await page.goto(`${env.base}list.html?index=${index}&region=321281100`);
    await page.waitForSelector('td.duties');
    const cell = page.locator('tr', { hasText: 'CG-CF-014' }).locator('td.duties');
    assert.equal(await cell.getAttribute('data-label'), '责任清单');
    assert.match(await cell.innerText(), /^责任事项\s+1\.立案责任：/);
    assert.match(await cell.innerText(), /追责情形\s+因不履行/);
    assert.equal(await page.locator('section.above td.duties').count(), 0);
    await shot(page, 'list-duties-phone', { fullPage: true });
    assertClean(problems);
    await close();
  });

  test('on the sample (no contacts), the item page opens with the local handler and the 12345 hotline', async () => {
    const { page, problems, close } = await env.open('/?region=321281100&item=CG-CF-014');
    await appReady(page);
    await page.waitForSelector('.ps-item');
    const top = page.locator('.ps-reach');
    assert.match(await top.locator('.ps-handler').innerText(), /^在戴窑镇由 戴窑镇综合行政执法局 办理（赋权）/);
    assert.equal(await top.locator('.ps-hotline').innerText(), '可拨打 12345 政务服务便民热线咨询或投诉');
    assert.equal(await top.locator('.ps-hotline a').getAttribute('href'), 'tel:12345');
    assert.equal(await top.locator('a').count(), 1, 'no other link: the catalog gives no contact');
    assertClean(problems);
    await close();
  });
});
