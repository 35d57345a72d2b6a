// The home view's charts show the numbers `powerlist stats --json` prints for the same index:
// both come from one Rust function (Index::stats), through the maintainer's wasm module, which the
// page fetches only when the charts are first opened.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { setup, appReady, shot, assertClean, cli, www } from './harness.mjs';

const env = setup();

/** Chart rows of the chart captioned `caption`, as { label: number }. */
async function chartRows(page, caption) {
  const table = page.locator('.overview table', { has: page.locator('caption', { hasText: caption }) });
  const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [
    tr.querySelector('th').textContent.trim(),
    Number.parseInt(tr.querySelector('.chart-value').textContent, 10),
  ]));
  return Object.fromEntries(rows);
}

describe('charts and powerlist stats', () => {
  test('the charts and totals on the page equal powerlist stats --json for www/catalog.idx', async () => {
    const stats = JSON.parse(execFileSync(cli, ['stats', path.join(www, 'catalog.idx'), '--json'], { encoding: 'utf8' }));
    const { page, problems, close } = await env.open('/?region=321281100', { officer: true });
    await appReady(page);
    await page.getByRole('button', { name: '查看统计图表' }).click();
    await page.locator('.overview table').first().waitFor();
    assert.deepEqual(await chartRows(page, '各领域事项数'), stats.by_field);
    assert.deepEqual(await chartRows(page, '各类型事项数'), stats.by_type);
    assert.deepEqual(await chartRows(page, '各层级行使的事项数'), stats.by_level);
    const sub = await page.locator('.overview-sub').innerText();
    assert.ok(sub.includes(`共 ${stats.items} 项事项，引用 ${stats.laws} 部法律法规的 ${stats.articles_cited} 个条文`), sub);

    // 兴化市 (321281): each township's own items, and the county's devolved share.
    const own = Object.fromEntries(stats.townships.filter((t) => t.county === '321281').map((t) => [t.name, t.own]));
    assert.ok(Object.keys(own).length > 10);
    assert.deepEqual(await chartRows(page, '兴化市各乡镇（街道）承接的事项数'), own);
    const county = stats.counties.find((c) => c.code === '321281');
    const note = await page.locator('.overview figure', { hasText: '兴化市各乡镇' }).locator('figcaption').innerText();
    assert.ok(note.includes(`共有 ${county.devolved} 项事项（占 ${(100 * county.share).toFixed(1)}%）`), note);
    await shot(page, 'stats-charts', { fullPage: true });
    assertClean(problems);
    await close();
  });
});

describe('the laws and their versions', () => {
  test('the 法律法规 table lists every law as powerlist stats --json does, superseded ones marked (phone)', async () => {
    const stats = JSON.parse(execFileSync(cli, ['stats', path.join(www, 'catalog.idx'), '--json'], { encoding: 'utf8' }));
    const { page, problems, close } = await env.open('/', { officer: true, viewport: { width: 390, height: 844 } });
    await appReady(page);
    await page.getByRole('button', { name: '查看统计图表' }).click();
    // Folded at first: the summary names the table and the caption says how many were replaced.
    const summary = page.locator('.law-chart summary');
    await summary.waitFor();
    assert.equal(await summary.innerText(), `法律法规（${stats.law_texts.length} 部）的文本版本及引用事项数`);
    const table = page.locator('.law-table');
    assert.equal(await table.isVisible(), false);
    await summary.click();
    assert.equal(await table.isVisible(), true);
    assert.equal(await table.locator('caption').textContent(), `法律法规（${stats.law_texts.length} 部）的文本版本及引用事项数`);
    const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => ({
      title: tr.querySelector('th').textContent,
      version: tr.querySelector('td').textContent,
      items: tr.querySelector('.law-items').textContent,
      superseded: tr.classList.contains('law-superseded'),
    })));
    assert.equal(rows.length, stats.law_texts.length);
    stats.law_texts.forEach((l, i) => {
      const row = rows[i];
      assert.equal(row.title, `《${l.title}》`);
      assert.equal(row.items, `${l.items} 项`);
      assert.ok(row.version.startsWith(`${l.version.label}（${l.version.date}）`), row.version);
      if (l.version.source) assert.ok(row.version.includes(`来源：${l.version.source}`), row.version);
      assert.equal(row.superseded, Boolean(l.superseded), l.title);
      if (l.superseded) assert.ok(row.version.includes(`已被修订：${l.superseded.date}`), row.version);
    });
    const superseded = rows.filter((r) => r.superseded).map((r) => r.title);
    assert.deepEqual(superseded.sort(), ['《中华人民共和国传染病防治法》', '《中华人民共和国反不正当竞争法》', '《医疗机构管理条例》'].sort());
    assert.match(await page.locator('.law-chart figcaption').innerText(), /其中 3 部的文本已被修订/);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390, 'no horizontal scrolling');
    await table.locator('tr.law-superseded').first().scrollIntoViewIfNeeded();
    await shot(page, 'stats-laws-phone');
    assertClean(problems);
    await close();
  });
});

describe('the maintainer module is fetched when first needed', () => {
  test('searching and an item page fetch only the citizen module; the statistics then fetch the admin one and work', async () => {
    const { page, problems, close } = await env.open(null, { officer: true });
    const fetched = [];
    page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
    await page.goto(new URL('/?region=321281100', env.base).href);
    await appReady(page);
    await page.locator('#q').fill('占道经营');
    await page.locator('#results [role="option"]').first().waitFor();
    await page.locator('#results [role="option"]').first().click();
    await page.locator('.ps-item').waitFor();
    assert.ok(fetched.includes('/pkg/powerlist_bg.wasm'), 'the citizen module');
    assert.deepEqual(fetched.filter((p) => p.startsWith('/pkg/admin/')), [], 'nothing of pkg/admin/ before a maintainer view');
    // Back home, the statistics: the admin module is fetched once, and the charts come from it.
    await page.goBack();
    await page.locator('#q').fill('');
    const open = page.getByRole('button', { name: '查看统计图表' });
    await open.click();
    await page.locator('.overview table').first().waitFor();
    assert.equal(await open.getAttribute('aria-expanded'), 'true');
    assert.deepEqual(fetched.filter((p) => p.startsWith('/pkg/admin/')).sort(), ['/pkg/admin/powerlist.js', '/pkg/admin/powerlist_bg.wasm']);
    const stats = JSON.parse(execFileSync(cli, ['stats', path.join(www, 'catalog.idx'), '--json'], { encoding: 'utf8' }));
    assert.deepEqual(await chartRows(page, '各类型事项数'), stats.by_type);
    // An item's overlaps use the module already there.
    await page.goto(new URL('/?region=321281100&item=CG-CF-014', env.base).href);
    await appReady(page);
    await page.getByRole('button', { name: '查看引用同一条文的同类事项和名称相近的事项' }).click();
    await page.locator('.ps-overlaps ul[data-level="same_unit"]').waitFor();
    assertClean(problems);
    await close();
  });
});

describe('the printable local list', () => {
  test('打印本地清单 opens the township list with the numbers of powerlist export --html', async () => {
    const { page, problems, close } = await env.open('/?region=321281100', { officer: true });
    await appReady(page);
    const link = page.getByRole('link', { name: '打印戴窑镇权力清单' });
    assert.equal(await link.getAttribute('href'), 'list.html?region=321281100');
    await link.click();
    await page.waitForSelector('#list section');
    const stats = JSON.parse(execFileSync(cli, ['stats', path.join(www, 'catalog.idx'), '--json'], { encoding: 'utf8' }));
    const township = stats.townships.find((t) => t.code === '321281100');
    assert.equal(await page.locator('#region').innerText(), '江苏省泰州市兴化市戴窑镇（321281100）');
    assert.match(await page.locator('#meta').innerText(), new RegExp(`本级行使 ${township.own} 项，由上级行使 ${township.above} 项`));
    assert.equal(await page.locator('section.field tbody tr').count(), township.own);
    assert.equal(await page.locator('section.above tbody tr').count(), township.above);
    const row = page.locator('section.field tr', { hasText: 'CG-CF-014' });
    assert.match(await row.innerText(), /戴窑镇综合行政执法局（赋权）/);
    assert.match(await row.innerText(), /《城市道路管理条例》（2019年文本）第二十七条第（一）项\s+\(一\)擅自占用或者挖掘城市道路；/);
    // A citation of a superseded text says so above the older article it quotes (as export --html).
    const old = page.locator('section.field tr', { hasText: 'WJ-CF-012' });
    assert.match(await old.innerText(), /《医疗机构管理条例》（2016年文本）第二十四条\s+该法律法规已于2022-03-29修订，下列条文为修订前的文本，请以现行文本为准。/);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.actions').isVisible(), false, 'no buttons on paper');
    assert.equal(await page.locator('thead').first().evaluate((e) => getComputedStyle(e).display), 'table-header-group');
    await shot(page, 'local-list-print');
    assertClean(problems);
    await close();
  });

  test('a region that exercises nothing itself says so', async () => {
    const { page, problems, close } = await env.open('/list.html?region=32', { allow: [/exercises no item itself/] });
    await page.waitForSelector('#list .error');
    // Said in Chinese, the module's own words kept apart as technical information.
    assert.match(await page.locator('#list .error-what').innerText(), /^江苏省（32）本级没有行使的事项/);
    assert.match(await page.locator('#list .error').innerText(), /怎么办：请选择有事项分工的乡镇（街道）或县（市、区）/);
    assertClean(problems);
    await close();
  });
});
