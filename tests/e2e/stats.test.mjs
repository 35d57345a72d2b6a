// The home view's charts show the numbers `powerlist stats --json` prints for the same index:
// both come from one Rust function (Index::stats), through the wasm module in the page.
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
    const { page, problems, close } = await env.open('/?region=321281100');
    await appReady(page);
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
