// A catalog whose strings are markup (<script>, <img onerror>, <svg onload>, javascript: links)
// renders them as inert text everywhere: results, item page, region picker, charts, catalog line,
// the printable local list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setup, appReady, shot, assertClean, buildIndex, root } from './harness.mjs';

const env = setup();

const CATALOG = {
  'catalog.txt': `name: <script>window.__xss='catalog'</script>测试清单
version: <i>1</i>
date: 2025-01-01
`,
  'items.csv': `code,name,type,field,level,department,basis,keywords,note
X-CF-001,<script>window.__xss='name'</script>对擅自占用城市道路的行政处罚,行政处罚,城市<b>管理</b>,县级；乡级,"<img src=x onerror=""window.__xss='dept'"">部门",《城市道路管理条例》第二十七条第（一）项、第四十二条,摆摊；<svg onload=alert(1)>,"<a href=""javascript:alert(1)"">备注</a>"
X-CF-002,"对<img src=x onerror=""window.__xss='name2'"">挖掘城市道路的行政处罚",行政处罚,城市<b>管理</b>,县级,县级城市管理部门,《城市道路管理条例》第二十七条第（一）项,挖路,
`,
  'regions.csv': `code,name,parent
32,江苏省<i>x</i>,
3212,泰州市,32
321281,兴化市,3212
321281100,"<img src=x onerror=""window.__xss='region'"">戴窑镇",321281
`,
  'assignments.csv': `item,region,body,mode
X-CF-001,321281100,<script>window.__xss='body'</script>执法局,<b>赋权</b>
`,
};

test('catalog strings that look like markup are shown as text and never run', async () => {
  // The catalog is written to a temp dir; the index goes to www/test-tmp/ (served, then deleted).
  const data = mkdtempSync(path.join(os.tmpdir(), 'powerlist-xss-'));
  try {
    mkdirSync(path.join(data, 'laws'));
    copyFileSync(path.join(root, 'data/laws/城市道路管理条例.md'), path.join(data, 'laws/城市道路管理条例.md'));
    for (const [name, text] of Object.entries(CATALOG)) writeFileSync(path.join(data, name), text);
    const { dir, rel } = env.tmp('xss');
    buildIndex(data, path.join(dir, 'x.idx'));

    const { page, problems, close } = await env.open(`/?index=${rel}/x.idx&region=321281100`, { officer: true });
    await appReady(page);
    const inert = () => page.evaluate(() => ({
      xss: window.__xss ?? null,
      // No element the catalog could have injected: only the app's own tags exist.
      injected: document.querySelectorAll('main img, main script, main svg, main b, main i, main a[href^="javascript"], header script, header i').length,
    }));
    assert.match(await page.locator('#catalog').innerText(), /<script>window\.__xss='catalog'<\/script>测试清单 · 版本 <i>1<\/i>/);
    await page.getByRole('button', { name: '查看统计图表' }).click();
    await page.locator('.overview table').first().waitFor();
    assert.match(await page.locator('.overview').innerText(), /城市<b>管理<\/b>/, 'chart labels');
    assert.match(await page.locator('#region-3 option:checked').innerText(), /<img src=x onerror="window.__xss='region'">戴窑镇/);
    await page.fill('#q', '道路');
    await page.waitForFunction(() => document.querySelectorAll('#results > li').length === 2);
    const results = await page.locator('#results').innerText();
    assert.ok(results.includes("<script>window.__xss='name'</script>对擅自占用城市道路的行政处罚"), results);
    assert.ok(results.includes('<script>window.__xss=\'body\'</script>执法局'), results);
    assert.ok(results.includes('<b>赋权</b>'), results);
    assert.ok(await page.locator('#results mark').count() > 0, 'highlights still work around the markup text');
    assert.ok((await page.locator('#field option').allInnerTexts()).some((t) => t.startsWith('城市<b>管理</b>')));
    await shot(page, 'xss-results');
    await page.locator('#results > li').first().click();
    await page.waitForSelector('.ps-item');
    const item = await page.locator('.ps-item').innerText();
    for (const s of [`<img src=x onerror="window.__xss='dept'">部门`, '<svg onload=alert(1)>', '<a href="javascript:alert(1)">备注</a>']) {
      assert.ok(item.includes(s), s);
    }
    await page.getByRole('button', { name: /各乡镇（街道）由谁办理/ }).click();
    await page.locator('.ps-handlers table').waitFor(); // answered by the search worker
    assert.match(await page.locator('.ps-handlers').innerText(), /<script>window\.__xss='body'<\/script>执法局/);
    assert.match(await page.title(), /^<script>/);
    await shot(page, 'xss-item', { fullPage: true });
    assert.deepEqual(await inert(), { xss: null, injected: 0 });

    // The printable local list shows the same strings as text.
    await page.goto(`${env.base}/list.html?index=${rel}/x.idx&region=321281100`);
    await page.waitForSelector('#list section');
    const list = await page.locator('#list').innerText();
    assert.ok(list.includes("<script>window.__xss='name'</script>对擅自占用城市道路的行政处罚"), list);
    assert.ok(list.includes("<script>window.__xss='body'</script>执法局（<b>赋权</b>）"), list);
    assert.match(await page.locator('#title').innerText(), /^<script>window\.__xss='catalog'<\/script>测试清单$/);
    assert.deepEqual(await page.evaluate(() => ({
      xss: window.__xss ?? null,
      injected: document.querySelectorAll('main img, main script, main svg, main b, main i, header script, header i').length,
    })), { xss: null, injected: 0 });
    assertClean(problems);
    await close();
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
});
