// A citizen's questions answered on a phone (issue 16): the item page says once, on its first
// screen, who handles the item in the chosen township and how to reach that body; the township
// table gives every body's contact; a contact question (城管电话) gets a card with how to reach
// the handler above the results; a partial hit's name is marked by runs, never single characters.
//
// tests/fixtures/contacts is the catalog with contacts (every one fictitious); the sample in
// data/ has none, so it falls back to the 12345 hotline.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { setup, appReady, shot, assertClean, buildIndex, root } from './harness.mjs';

const env = setup();
const PHONE = { viewport: { width: 390, height: 844 }, context: { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } };
const DAIYAO = '321281100';

/** The contacts catalog, built once for the file. */
let contacts = null;
function contactsIndex() {
  if (!contacts) {
    const tmp = env.tmp('citizen-contacts');
    buildIndex(path.join(root, 'tests/fixtures/contacts'), path.join(tmp.dir, 'contacts.idx'));
    contacts = `${tmp.rel}/contacts.idx`;
  }
  return contacts;
}

/** Whether `locator`'s box lies wholly inside the 390×844 first screen. */
async function onFirstScreen(locator) {
  const b = await locator.boundingBox();
  return Boolean(b) && b.y >= 0 && b.y + b.height <= 844 && b.x >= 0 && b.x + b.width <= 390;
}

describe('a citizen on a phone', { concurrency: 2 }, () => {
  test('the item page: the local handler and how to reach it on the first screen, said once; every township with its contact', async () => {
    const index = contactsIndex();
    const { page, problems, close } = await env.open(`/?index=${index}&region=${DAIYAO}&item=CG-CF-001`, PHONE);
    await appReady(page);
    await page.waitForSelector('.ps-item');
    const top = page.locator('.ps-reach');
    // Handled by the county there: the county body and its phone, on the first screen.
    assert.match(await top.locator('.ps-handler').innerText(), /^在戴窑镇由 兴化市城市管理局 办理/);
    const tel = top.locator('a[href^="tel:"]').first();
    assert.equal(await tel.getAttribute('href'), 'tel:052300000002,8001');
    assert.ok(await onFirstScreen(top.locator('.ps-handler')), 'the handler on the first screen');
    assert.ok(await onFirstScreen(tel), 'its phone on the first screen');
    assert.ok(await onFirstScreen(top.getByText('测试路2号')), 'its address on the first screen');
    // Said once: no second 由谁办理 statement further down; the catalog's 实施主体 only as a
    // labelled fact below the answer.
    assert.equal(await page.locator('.ps-item .ps-handler').count(), 1);
    assert.equal(await page.getByText('由谁办理', { exact: true }).count(), 0);
    const generic = page.locator('.ps-facts dt', { hasText: '目录所列实施主体' });
    assert.ok((await generic.boundingBox()).y > (await tel.boundingBox()).y, 'the catalog entry comes after the answer');
    await shot(page, 'phone-item-reach');

    // Every township: its body and how to reach it there, 12345 where nothing is known.
    await page.getByRole('button', { name: '查看兴化市各乡镇（街道）由谁办理' }).click();
    const here = page.locator('.ps-handlers tr[aria-current="location"]');
    await here.waitFor();
    assert.match(await here.innerText(), /戴窑镇（所在地）\s+兴化市城市管理局\s+由上级部门办理\s+0523-00000002 转 8001\s*测试路2号/);
    assert.equal(await here.locator('a[href^="tel:"]').getAttribute('href'), 'tel:052300000002,8001');
    const zhaoyang = page.locator('.ps-handlers tbody tr', { hasText: '昭阳街道' });
    assert.match(await zhaoyang.innerText(), /昭阳街道综合行政执法局\s+委托\s+12345（政务服务热线）/);
    assert.equal(await zhaoyang.locator('a').getAttribute('href'), 'tel:12345');
    assert.equal(await page.locator('.ps-handlers a', { hasText: '测试路' }).count(), 0, 'addresses are text');
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), 0, 'no sideways scrolling');
    await page.locator('.ps-who').scrollIntoViewIfNeeded();
    await shot(page, 'phone-item-townships');

    // The sample (no contacts), a three-line title: the handler and 12345 on the first screen.
    await page.goto(`${env.base}?region=${DAIYAO}&item=CG-CF-016`);
    await page.waitForFunction(() => document.querySelector('.ps-item-title')?.innerText.includes('履带车'));
    assert.ok(await onFirstScreen(page.locator('.ps-reach .ps-handler')));
    assert.ok(await onFirstScreen(page.locator('.ps-reach .ps-hotline a[href="tel:12345"]')), '12345 on the first screen');

    // No township chosen: the catalog's 实施主体 as what it is, how to choose one, and 12345 or
    // the department's contact.
    await page.goto(`${env.base}?index=${index}&item=CG-CF-015`);
    await page.waitForSelector('.ps-item');
    const none = await page.locator('.ps-reach').innerText();
    assert.match(none, /^在上方“所在地”中选择您所在的乡镇（街道），即可看到本地的办理机关及联系方式。\s+目录所列实施主体：县级城市管理部门/);
    assert.equal(await page.locator('.ps-reach strong').count(), 0, 'the catalog entry is not set out as the answer');
    assert.equal(await page.locator('.ps-facts dt', { hasText: '目录所列实施主体' }).count(), 0, 'nor repeated in the facts');
    assert.equal(await page.locator('.ps-who').count(), 0, 'no township table without a township');
    assertClean(problems);
    await close();
  });

  test('a contact question (城管电话, 摆摊联系方式) shows how to reach the handler above the results', async () => {
    // The contacts catalog: the handler's phone, address and hours from the index.
    const index = contactsIndex();
    const { page, problems, close } = await env.open(`/?index=${index}&region=${DAIYAO}&q=${encodeURIComponent('摆摊联系方式')}`, PHONE);
    await appReady(page);
    const card = page.locator('.ps-reach-card');
    await card.waitFor();
    const first = page.locator('#results [role="option"]').first();
    await first.waitFor();
    assert.equal(await first.getAttribute('data-code'), 'CG-CF-014', 'the rest of the question is searched');
    assert.ok((await card.boundingBox()).y < (await first.boundingBox()).y, 'the card is above the results');
    const text = await card.innerText();
    for (const s of ['戴窑镇的办理机关联系方式', '戴窑镇综合行政执法局', '电话：0523-00000099', '地址：测试路99号便民服务中心', '办公时间：周一至周五']) {
      assert.ok(text.includes(s), `${s} in ${text}`);
    }
    assert.equal(await card.locator('a[href^="tel:"]').first().getAttribute('href'), 'tel:052300000099');
    assert.ok(await onFirstScreen(card.locator('a[href^="tel:"]').first()), 'the phone on the first screen');
    await shot(page, 'phone-contact-question');
    // Not a contact question: no card.
    await page.fill('#q', '摆摊');
    await page.waitForFunction(() => document.querySelector('.ps-reach-card').hidden);
    // No assignment in the township: the catalog's department, said to be that, and its contact.
    await page.fill('#q', '乱堆乱放怎么联系');
    await page.waitForFunction(() => !document.querySelector('.ps-reach-card').hidden);
    assert.match(await card.locator('.ps-reach-name').first().innerText(), /^县级城市管理部门（目录所列实施主体，清单未列明本地机关）$/);
    assert.equal(await card.locator('a[href^="tel:"]').first().getAttribute('href'), 'tel:052300000003');

    // The sample (no contacts; its lexicon maps 城管): the handler, and 12345.
    await page.goto(`${env.base}?region=${DAIYAO}&q=${encodeURIComponent('城管电话')}`);
    await appReady(page);
    await card.waitFor();
    assert.match(await card.innerText(), /^戴窑镇的办理机关联系方式\s+\S+\s+可拨打 12345 政务服务便民热线咨询或投诉/);
    assert.equal(await card.locator('a').first().getAttribute('href'), 'tel:12345');
    const fields = await page.locator('#results [role="option"] .ps-meta').allInnerTexts();
    assert.ok(fields.length > 0 && fields.slice(0, 3).every((f) => f.includes('城市管理')), fields.join(' | '));
    await shot(page, 'phone-contact-question-sample');
    // No township chosen: say how to get the answer, and still offer 12345.
    const other = await env.open(`/?q=${encodeURIComponent('环保局在哪')}`, PHONE);
    await appReady(other.page);
    const card2 = other.page.locator('.ps-reach-card');
    await card2.waitFor();
    assert.match(await card2.innerText(), /选择乡镇后显示当地办理机关的联系方式[\s\S]*12345/);
    assert.equal(await card2.locator('a').getAttribute('href'), 'tel:12345');
    assertClean(other.problems);
    await other.close();
    assertClean(problems);
    await close();
  });

  test('a partial hit is marked where two or more characters in a row match, never at single characters', async () => {
    const { page, problems, close } = await env.open(`/?q=${encodeURIComponent('门口有人摆摊')}`, PHONE);
    await appReady(page);
    await page.locator('#results [role="option"]').first().waitFor();
    // The marked hit need not be on the first screen, drawn before the rest of the page's
    // records arrive: wait for the page of hits to be drawn whole.
    await page.locator('#results mark').first().waitFor({ timeout: 10_000 }).catch(() => {});
    const marks = await page.locator('#results mark').allInnerTexts();
    assert.ok(marks.length > 0, 'some runs are marked');
    assert.deepEqual(marks.filter((m) => [...m].length < 2), [], marks.join(' '));
    // A full match of one character is still marked.
    await page.fill('#q', '摊');
    await page.waitForFunction(() => document.querySelector('#results mark')?.textContent === '摊');
    assertClean(problems);
    await close();
  });
});
