// Devolution over time on the item page (tests/fixtures/devolution, modelled on 淮安区: towns
// given penalty powers by 淮政发〔2021〕37号, some taken back from 2025-08-01 by 淮政发〔2025〕88号):
// the document behind the township's assignment, and for one taken back its dates, the
// document that took it back and who handles the item now. The page asks for today's local
// date; the browser's clock is set to a day before and a day after the taking back.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { setup, appReady, shot, assertClean, buildIndex, root, artifacts } from './harness.mjs';

const env = setup();
const PHONE = { width: 390, height: 844 };

/** The fixture's index in the served scratch folder: its ?index= value. */
function fixtureIndex() {
  const tmp = env.tmp('devolution');
  buildIndex(path.join(root, 'tests/fixtures/devolution'), path.join(tmp.dir, 'devolution.idx'));
  return `${tmp.rel}/devolution.idx`;
}

/** The app at `url` on a phone whose clock says `day` (local time, mid-morning). */
async function openOn(day, url) {
  const { page, context, problems, close } = await env.open(undefined, { viewport: PHONE });
  await page.clock.setFixedTime(new Date(`${day}T10:00:00`));
  await page.goto(new URL(url, env.base).href);
  await appReady(page);
  return { page, context, problems, close };
}

/** The non-empty lines of an element's text. */
const lines = async (locator) => (await locator.innerText()).split('\n').filter((l) => l.trim());

describe('devolution on the item page', { concurrency: 1 }, () => {
  test('a township item taken back: the dates, both documents, the note, who handles it now', async () => {
    const index = fixtureIndex();
    const { page, problems, close } = await openOn('2026-03-02', `/?index=${index}&region=320803101&item=HA-CF-001`);
    await page.waitForSelector('.ps-item .ps-periods');
    const top = page.locator('.ps-reach');
    // Today the district's bureau handles it (the town's assignment ended 2025-07-31).
    assert.match(await top.locator('.ps-handler').innerText(), /^在甲镇由 淮安区城市管理局 办理（按淮安区的分工）/);
    assert.deepEqual(await lines(top.locator('.ps-periods')), [
      '2021-06-01 至 2025-07-31 由 甲镇人民政府 办理（赋权，淮政发〔2021〕37号）',
      '自 2025-08-01 起上收，由 淮安区城市管理局 办理（淮政发〔2025〕88号）',
      '备注：2025年8月1日前已立案的案件仍由原承接乡镇办理',
      '淮政发〔2021〕37号：2021-05-20 发文，依据 苏司函〔2020〕47号',
      '淮政发〔2025〕88号：2025-07-15 发文，依据 苏司函〔2025〕15号',
    ]);
    assert.equal(await top.locator('.ps-period[data-state="ended"]').count(), 1);
    await shot(page, 'devolution-taken-back-phone', { fullPage: true });
    await top.screenshot({ path: path.join(artifacts, 'devolution-taken-back-reach-phone.png') });
    // Every township of the district, today: the towns' rows say the district's bureau too.
    await page.getByRole('button', { name: /查看.*由谁办理/ }).click();
    const jia = page.locator('.ps-handlers tr', { hasText: '甲镇' });
    await jia.waitFor();
    assert.match(await jia.innerText(), /淮安区城市管理局/);
    // A row of results names today's handler too.
    await page.goto(`${env.base}?index=${index}&region=320803101&q=HA-CF-00`);
    await appReady(page);
    const row = page.locator('.ps-hit[data-code="HA-CF-001"]');
    await row.waitFor();
    assert.match(await row.locator('.ps-handler').innerText(), /由 淮安区城市管理局 办理/);
    assertClean(problems);
    await close();
  });

  test('a township item still devolved: its document; the day before the taking back, the town', async () => {
    const index = fixtureIndex();
    let { page, problems, close } = await openOn('2026-03-02', `/?index=${index}&region=320803101&item=HA-CF-003`);
    await page.waitForSelector('.ps-item .ps-periods');
    const top = page.locator('.ps-reach');
    assert.match(await top.locator('.ps-handler').innerText(), /^在甲镇由 甲镇人民政府 办理（赋权）/);
    assert.deepEqual(await lines(top.locator('.ps-periods')), ['文件：淮政发〔2021〕37号，自 2021-06-01 起', '淮政发〔2021〕37号：2021-05-20 发文，依据 苏司函〔2020〕47号']);
    assertClean(problems);
    await close();

    // On 2025-07-31 (the phone's clock), HA-CF-001 is still the town's, until that day.
    ({ page, problems, close } = await openOn('2025-07-31', `/?index=${index}&region=320803101&item=HA-CF-001`));
    await page.waitForSelector('.ps-item .ps-periods');
    assert.match(await page.locator('.ps-reach .ps-handler').innerText(), /^在甲镇由 甲镇人民政府 办理（赋权）/);
    assert.equal(await page.locator('.ps-reach .ps-period').first().innerText(), '文件：淮政发〔2021〕37号，自 2021-06-01 起，至 2025-07-31 止（淮政发〔2025〕88号）');
    await shot(page, 'devolution-before-phone', { fullPage: true });
    assertClean(problems);
    await close();
  });
});
