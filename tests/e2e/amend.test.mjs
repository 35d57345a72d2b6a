// 法律修订影响 in the maintainer's view: a new text of a cited law chosen from disk, and the
// cited articles, paragraphs and items it changes, moves or deletes, with the items citing each
// (index.amendment in the maintainer module, the same as `powerlist amend`).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setup, appReady, shot, assertClean, root, buildIndex } from './harness.mjs';

const env = setup();
const PHONE = { viewport: { width: 390, height: 844 }, context: { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } };

/** The rows of the table: [条款, 变化, 新文本, 引用事项] as shown. */
const rows = (page) => page.locator('.amend-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.innerText.trim())));

describe('法律修订影响', { concurrency: 2 }, () => {
  test('the fixture catalog: every fate of a cited unit, in a table whose items open their pages', async () => {
    const tmp = env.tmp('amend');
    buildIndex(path.join(root, 'tests/fixtures/amend'), path.join(tmp.dir, 'amend.idx'));
    const law = path.join(root, 'tests/fixtures/amend/new/示例市容管理条例.md');
    for (const [name, options] of [['amend', { officer: true }], ['amend-phone', { officer: true, ...PHONE }]]) {
      const { page, problems, close } = await env.open(`/?index=${tmp.rel}/amend.idx`, options);
      await appReady(page);
      await page.getByRole('button', { name: '法律修订影响…' }).waitFor();
      await page.setInputFiles('#amend-file', law);
      await page.waitForSelector('#changes-title');
      assert.equal(await page.locator('#changes-title').innerText(), '法律修订影响：《示例市容管理条例》');
      assert.equal(await page.locator('.changes-versions').innerText(), '新文本：示例市容管理条例（2025年修订）（示例市容管理条例.md）；条文 10 条 → 11 条');
      const counts = await page.locator('.changes-counts').innerText();
      for (const [k, n] of [['被引用的条款', 8], ['未变', 3], ['修改', 2], ['移动', 2], ['删除', 1], ['待复核事项', 4]]) {
        assert.match(counts, new RegExp(`${k}\\s+${n}(\\D|$)`), k);
      }
      const got = await rows(page);
      const row = (label) => got.find((r) => r[0].replace(/^条款：/, '') === label);
      assert.equal(got.length, 5, JSON.stringify(got));
      assert.match(row('第三条第二款')[1], /修改[\s\S]*文字修改，相似度 0\.92/);
      assert.match(row('第五条')[1], /移动\s*→ 第六条[\s\S]*文字未变/);
      assert.match(row('第九条')[1], /移动\s*→ 第十条[\s\S]*文字修改/);
      assert.match(row('第六条')[1], /删除[\s\S]*新文本中没有相同或相近的条文/);
      assert.match(row('第六条')[2], /原：单位和个人应当按照规定的时间、地点和方式投放生活垃圾。[\s\S]*新文本第六条：任何单位和个人不得在城市道路两侧擅自设置摊点。/);
      assert.match(row('第六条')[3], /SR-JC-001 对生活垃圾投放的行政检查/);
      // How the text changed: deletions and insertions marked, as text.
      const diff = page.locator('.amend-table tr', { hasText: '第九条' }).locator('.amend-diff');
      assert.deepEqual(await diff.locator('del').allInnerTexts(), ['五', '五百', '二']);
      assert.deepEqual(await diff.locator('ins').allInnerTexts(), ['六', '一千', '五']);
      assert.equal(await page.locator('.amend-same summary').innerText(), '未变的条款（3）');
      // The phone: the panel's first rows, each a card of stacked cells.
      if (name === 'amend-phone') await page.locator('.amend-table tbody tr').first().scrollIntoViewIfNeeded();
      await shot(page, name, { fullPage: name === 'amend' });
      if (name === 'amend') {
        // An item opens in place, the panel closed.
        await page.locator('.amend-table tr', { hasText: '第六条' }).locator('a', { hasText: 'SR-JC-001' }).click();
        await page.waitForSelector('.ps-item');
        assert.equal(new URL(page.url()).searchParams.get('item'), 'SR-JC-001');
        assert.equal(await page.locator('#changes').isHidden(), true);
      }
      assertClean(problems);
      await close();
    }
  });

  test('the sample: a copy of 大气污染防治法 with a cited article changed and one deleted; wrong files are errors', async () => {
    const tmp = env.tmp('amend-sample');
    const text = readFileSync(path.join(root, 'data/laws/中华人民共和国大气污染防治法.md'), 'utf8');
    const changed = text.replace('远红外摄像等方式', '远红外摄像、无人机巡查等方式');
    const amended = changed.split('\n').filter((l) => !l.startsWith('第一百二十条 ')).join('\n');
    assert.ok(changed !== text && amended.length < changed.length, 'the copy is amended');
    const file = path.join(tmp.dir, '大气污染防治法（修订草案）.md');
    writeFileSync(file, amended);
    const { page, problems, close } = await env.open('/', { officer: true });
    await appReady(page);
    await page.setInputFiles('#amend-file', file);
    await page.waitForSelector('#changes-title');
    assert.equal(await page.locator('#changes-title').innerText(), '法律修订影响：《中华人民共和国大气污染防治法》');
    const got = await rows(page);
    assert.deepEqual(got.map((r) => r[0]), ['第二十九条', '第一百二十条']);
    assert.deepEqual(await page.locator('.amend-diff ins').allInnerTexts(), ['、无人机巡查']);
    assert.match(got[1][1], /删除/);
    assert.match(got[1][2], /^原：违反本法规定，从事服装干洗和机动车维修等服务活动/);
    await shot(page, 'amend-sample');
    // Not a law; a law the catalog does not cite.
    await page.setInputFiles('#amend-file', path.join(root, 'README.md'));
    await page.waitForSelector('#changes .ps-error-line');
    assert.match(await page.locator('#changes .ps-error-line').innerText(), /^无法分析法律修订：README\.md：line 1: no articles found.*请选择本清单引用的某部法律法规的新文本/);
    writeFileSync(path.join(tmp.dir, 'other.md'), '# 某某条例\n\n第一条 正文。\n');
    await page.setInputFiles('#amend-file', path.join(tmp.dir, 'other.md'));
    await page.waitForFunction(() => /某某条例/.test(document.querySelector('#changes .ps-error-line')?.innerText ?? ''));
    assert.match(await page.locator('#changes .ps-error-line').innerText(), /other\.md：the catalog cites no law titled 《某某条例》/);
    assertClean(problems);
    await close();
  });
});
