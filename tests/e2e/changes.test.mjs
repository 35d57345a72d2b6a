// Version changes (自X版以来的变化) and possible overlaps (可能的多头执法/重复事项) in the app.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setup, appReady, shot, assertClean, root } from './harness.mjs';

const env = setup();
const expected = JSON.parse(readFileSync(path.join(root, 'data/history/2024.1/changes.json'), 'utf8'));

describe('versions and overlaps', { concurrency: 2 }, () => {
  test('a maintainer compares with an older index file chosen from disk; a wrong file is an error', async () => {
    const { page, problems, close } = await env.open('/', { officer: true });
    await appReady(page);
    await page.getByRole('button', { name: '与旧版对比…' }).waitFor();
    await page.setInputFiles('#compare-file', path.join(root, 'www/previous.idx'));
    await page.waitForSelector('#changes-title');
    assert.equal(await page.locator('#changes-title').innerText(), '自2024.1版以来的变化');
    assert.match(await page.locator('.changes-counts').innerText(), new RegExp(`新增\\s+${expected.added}(\\D|$)`));
    assert.equal(await page.locator('.changes-unrelated').count(), 0, 'two versions of one catalog');
    // Another catalog altogether: said so, and each group lists at most 300 rows.
    const other = path.join(mkdtempSync(path.join(os.tmpdir(), 'pl-other-')), 'other.idx');
    execFileSync(path.join(root, 'target/release/powerlist'), ['synth', '--from', path.join(root, 'data'), '--items', '700', '--seed', '7', '-o', path.dirname(other) + '/c']);
    writeFileSync(path.dirname(other) + '/c/catalog.txt', 'name: 另一份清单\nversion: 1\n');
    execFileSync(path.join(root, 'target/release/powerlist'), ['build', path.dirname(other) + '/c', '-o', other]);
    await page.setInputFiles('#compare-file', other);
    await page.waitForSelector('.changes-unrelated');
    assert.match(await page.locator('.changes-unrelated').innerText(), /不像是同一份清单的两个版本（旧：另一份清单；新：泰州市/);
    const listed = await page.locator('.changes-group ul').evaluateAll((us) => us.map((u) => u.querySelectorAll(':scope > li:not(.changes-more)').length));
    assert.ok(listed.every((n) => n <= 300) && listed.includes(300), String(listed));
    assert.ok(await page.locator('.changes-region').count() <= 300);
    assert.match(await page.locator('.changes-more').first().innerText(), /还有 \d+ 项未列出/);
    await shot(page, 'changes-unrelated');
    await page.setInputFiles('#compare-file', path.join(root, 'www/favicon.svg'));
    await page.waitForSelector('#changes .ps-error-line');
    assert.match(await page.locator('#changes .ps-error-line').innerText(), /favicon\.svg 不是可读取的权力清单索引/);
    assertClean(problems);
    await close();
  });

  test('changes since 2024.1: fetched on demand, grouped with counts; an item opens with its note', async () => {
    const { page, problems, close } = await env.open('/', { officer: true });
    const fetched = [];
    page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
    await appReady(page);
    const toggle = page.getByRole('button', { name: '自2024.1版以来的变化' });
    await toggle.waitFor();
    assert.ok(!fetched.includes('/previous.idx'), 'the previous index is not fetched at start-up');
    await toggle.click();
    await page.waitForSelector('#changes-title');
    assert.ok(fetched.includes('/previous.idx'));
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    assert.equal(await page.locator('#changes-title').innerText(), '自2024.1版以来的变化');
    assert.match(await page.locator('.changes-versions').innerText(), /^2024\.1（2024-11-29） → 2025\.1（2025-11-25）$/);
    const counts = await page.locator('.changes-counts').innerText();
    for (const [label, n] of [['新增', expected.added], ['删除', expected.removed], ['编码变更', expected.recoded], ['更名', expected.renamed],
      ['依据变更', expected.rebased], ['其他变更', expected.changed], ['分工变更', expected.reassigned]]) {
      assert.match(counts, new RegExp(`${label}\\s+${n}(\\D|$)`), label);
    }
    const headings = await page.locator('.changes-group h3').allInnerTexts();
    assert.deepEqual(headings, [`新增事项（${expected.added}）`, `编码变更（${expected.recoded}）`, `更名（${expected.renamed}）`,
      `法律依据变更（${expected.rebased}）`, `其他变更（${expected.changed}）`, `分工变更（${expected.reassigned} 处，2 个地区）`]);
    assert.match(await page.locator('.changes-group', { hasText: '编码变更' }).innerText(), /SJ-CF-901 → SJ-CF-001/);
    await shot(page, 'changes');

    // An added item opens in place; its page says what changed.
    await page.locator('.changes-group', { hasText: '新增事项' }).locator('a', { hasText: 'CG-ZS-001' }).click();
    await page.waitForSelector('.ps-item');
    assert.equal(new URL(page.url()).searchParams.get('item'), 'CG-ZS-001');
    assert.equal(await page.locator('#changes').isHidden(), true);
    assert.match(await page.locator('.ps-changed').innerText(), /此版本中变化（与2024\.1版相比）\s+本版本新增的事项。/);
    // A renamed item shows its older name.
    await page.goto(`${env.base}?item=CG-CF-006`);
    await appReady(page);
    await page.getByRole('button', { name: '自2024.1版以来的变化' }).click();
    await page.waitForSelector('.ps-changed');
    assert.match(await page.locator('.ps-changed').innerText(), /原名称：对不履行卫生责任区清扫保洁义务或不按规定清运/);
    assertClean(problems);
    await close();
  });

  test('an item without changes has no note; another catalog gets no versions.json comparison', async () => {
    const { page, problems, close } = await env.open('/?item=SL-XK-001', { officer: true });
    await appReady(page);
    await page.getByRole('button', { name: '自2024.1版以来的变化' }).click();
    await page.waitForSelector('#changes-title');
    assert.equal(await page.locator('.ps-changed').count(), 0);
    // Another index (?index=) is not the version versions.json describes.
    const tmp = env.tmp('versions');
    const { buildIndex } = await import('./harness.mjs');
    buildIndex(path.join(root, 'tests/fixtures/mini'), path.join(tmp.dir, 'mini.idx'));
    await page.goto(`${env.base}?index=${tmp.rel}/mini.idx`);
    await appReady(page);
    await page.waitForTimeout(300);
    // Only the maintainers' files chosen from disk (与旧版对比…, 法律修订影响…) are offered.
    assert.deepEqual(await page.locator('#versions button').allInnerTexts(), ['与旧版对比…', '法律修订影响…']);
    assertClean(problems);
    await close();
  });

  test('an item page lists possible overlaps with the bodies in the chosen township', async () => {
    const { page, problems, close } = await env.open('/?region=321202001&item=ST-CF-022', { officer: true });
    await appReady(page);
    const section = page.locator('.ps-overlaps');
    await section.waitFor();
    assert.equal(await section.locator('h3').innerText(), '可能的多头执法/重复事项');
    // Listed on request, by the maintainer module.
    const button = section.getByRole('button', { name: '查看引用同一条文的同类事项和名称相近的事项' });
    assert.equal(await button.getAttribute('aria-expanded'), 'false');
    await button.click();
    await section.locator('ul[data-level]').first().waitFor();
    assert.equal(await button.getAttribute('aria-expanded'), 'true');
    assert.match(await section.innerText(), /在城东街道，本事项由 城东街道综合行政执法局 行使。/);
    const unit = section.locator('ul[data-level="same_unit"] li', { hasText: 'ST-CF-021' });
    assert.match(await unit.innerText(), /由 泰州市海陵区生态环境局 行使（不同机关）/);
    await section.scrollIntoViewIfNeeded();
    await shot(page, 'overlaps');
    await unit.locator('a').click();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('item') === 'ST-CF-021');
    assertClean(problems);
    await close();
  });
});
