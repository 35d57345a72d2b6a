// <power-search>: the embed example page, Shadow DOM isolation both ways, theming, events, errors.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setup, shot, assertClean, embedReady, open, startServer, waitFor, www } from './harness.mjs';

const env = setup();
// Playwright's CSS locators pierce open shadow roots.
const inner = (page, sel) => page.locator(`power-search ${sel}`);
const embedDoc = readFileSync(path.join(www, 'EMBED.md'), 'utf8');
/** The files EMBED.md tells a portal to copy from www/. */
const embedFiles = embedDoc.match(/Copy these files[^]*?```text\n([^]*?)```/)[1].split(/\s+/).filter(Boolean);
/** Copies `files` from www/ to `dir`, in the same layout. */
function copyFiles(files, dir) {
  for (const f of files) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    copyFileSync(path.join(www, f), path.join(dir, f));
  }
}

// The tests are independent (each has its own browser context), so two run at a time.
describe('the <power-search> element', { concurrency: 2 }, () => {
  test('the embed page: one script tag, the region attribute, results and an item page inside the element', async () => {
    const { page, problems, close } = await env.open('/embed.html');
    await page.evaluate(() => {
      window.opened = [];
      document.addEventListener('power-search-open', (e) => window.opened.push(e.detail.code));
    });
    const input = inner(page, 'input[role="combobox"]');
    await embedReady(page);
    // Nothing of the component is in the light DOM.
    assert.equal(await page.evaluate(() => document.querySelector('power-search').children.length), 0);
    assert.equal(await page.evaluate(() => document.querySelectorAll('.ps').length), 0);
    await input.pressSequentially('摆摊', { delay: 20 });
    await page.waitForFunction(() => document.querySelector('power-search').shadowRoot.querySelectorAll('li[role="option"]').length > 0);
    assert.match(await inner(page, 'li[role="option"]').first().innerText(), /在戴窑镇由 戴窑镇综合行政执法局 办理/);
    assert.equal(await inner(page, '.ps-kind').innerText(), '按关键词检索');
    // Keyboard inside the shadow root: aria-activedescendant refers to an id in the same root.
    await input.press('ArrowDown');
    const active = await input.getAttribute('aria-activedescendant');
    assert.equal(await inner(page, `#${active}`).getAttribute('aria-selected'), 'true');
    await shot(page, 'embed');
    await input.press('Enter');
    await page.waitForFunction(() => document.querySelector('power-search').shadowRoot.querySelector('.ps-item'));
    assert.match(await inner(page, '.ps-reach').innerText(), /戴窑镇综合行政执法局/);
    assert.equal((await page.evaluate(() => window.opened)).length, 1);
    assert.equal(new URL(page.url()).search, '', 'the element leaves the host page URL alone');
    await shot(page, 'embed-item');
    assertClean(problems);
    await close();
  });

  test('styles do not leak either way; custom properties theme the element', async () => {
    const { page, problems, close } = await env.open('/embed.html');
    await embedReady(page);
    await inner(page, 'input').fill('油烟');
    await page.waitForFunction(() => document.querySelector('power-search').shadowRoot.querySelector('li mark'));
    const styles = await page.evaluate(() => {
      const root = document.querySelector('power-search').shadowRoot;
      const cs = (e) => getComputedStyle(e);
      return {
        hostLi: cs(document.querySelector('.portal-note li')).fontStyle,
        hostMark: cs(document.querySelector('.portal-note mark')).backgroundColor,
        innerLi: cs(root.querySelector('li[role="option"]')).fontStyle,
        innerMark: cs(root.querySelector('li mark')).backgroundColor,
        innerInput: cs(root.querySelector('input')).borderTopStyle,
        innerButton: cs(root.querySelector('select')).textTransform,
        kind: cs(root.querySelector('.ps-kind')).backgroundColor,
        font: cs(root.querySelector('.ps')).fontFamily,
      };
    });
    assert.equal(styles.hostLi, 'italic');
    assert.equal(styles.hostMark, 'rgb(255, 155, 210)', 'our mark style does not leak out');
    assert.equal(styles.innerLi, 'normal', 'the portal li style does not leak in');
    assert.equal(styles.innerInput, 'solid');
    assert.equal(styles.innerButton, 'none');
    assert.equal(styles.innerMark, 'rgb(207, 227, 255)', '--ps-mark');
    assert.equal(styles.kind, 'rgb(15, 76, 129)', '--ps-accent');
    assert.doesNotMatch(styles.font, /Georgia/);
    assertClean(problems);
    await close();
  });

  test('a portal with aggressive global CSS: sizes follow --ps-font-size, not the root; a fixed township has no picker; a failed load shows the portal\'s fallback and fires error', async () => {
    const { dir, rel } = env.tmp('portal');
    writeFileSync(path.join(dir, 'index.html'), `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<style>
html { font-size: 62.5%; } * { box-sizing: content-box; margin: 0; padding: 0; }
div { display: flex; } body { font: 1.4rem/1 Georgia, serif; } input, select { font-size: 1rem; }
</style>
<script type="module" src="/power-search.js"></script></head><body>
<power-search id="fixed" index="/catalog/" region="321281100" fixed-region></power-search>
<power-search id="big" index="/catalog/" style="--ps-font-size: 20px"></power-search>
<power-search id="bad" index="/no-such-index/"><p id="fallback">在线检索暂不可用，请拨打 12345 咨询。</p></power-search>
</body></html>`);
    const { page, problems, close } = await env.open(`/${rel}/`, { allow: [/status of 404/] });
    await page.addInitScript(() => {
      window.failed = [];
      document.addEventListener('error', (e) => { if (e.target.localName === 'power-search') window.failed.push(e.target.id); }, true);
    });
    await page.reload();
    const root = (id) => `document.getElementById('${id}').shadowRoot`;
    await page.waitForFunction(() => ['fixed', 'big'].every((id) => document.getElementById(id).shadowRoot?.querySelector('.ps')?.dataset.state === 'ready'));
    const size = (id, sel) => page.evaluate(([r, s]) => parseFloat(getComputedStyle(eval(r).querySelector(s)).fontSize), [root(id), sel]);
    const pad = (id, sel) => page.evaluate(([r, s]) => parseFloat(getComputedStyle(eval(r).querySelector(s)).paddingTop), [root(id), sel]);
    // 62.5 % at the root changes nothing: 16 px text, the box's padding .65 of it (not of 10 px).
    assert.equal(await size('fixed', '.ps'), 16);
    assert.equal(await size('fixed', '.ps-input'), 16);
    assert.ok(Math.abs(await pad('fixed', '.ps-input') - 10.4) < 0.1, 'padding in the element\'s units, not the root\'s');
    assert.equal(await size('big', '.ps'), 20);
    assert.equal(await size('big', '.ps-input'), 20);
    assert.ok(Math.abs(await pad('big', '.ps-input') - 13) < 0.1);
    // The fixed township: no picker, its handler named.
    assert.equal(await page.evaluate((r) => eval(r).querySelector('.ps-region-slot').hidden, root('fixed')), true);
    assert.equal(await page.evaluate((r) => eval(r).querySelector('.ps-region-slot').hidden, root('big')), false);
    await page.locator('#fixed input[role="combobox"]').fill('摆摊');
    await page.waitForFunction(() => document.getElementById('fixed').shadowRoot.querySelector('li[role="option"]'));
    assert.match(await page.locator('#fixed li[role="option"]').first().innerText(), /在戴窑镇由 戴窑镇综合行政执法局 办理/);
    assert.equal(await page.evaluate(() => Object.values(localStorage).some((v) => v.includes('321281100'))), false,
      'the portal\'s township is not remembered as the reader\'s');
    // The failed one: its message in Chinese, the portal's fallback, an error event.
    await page.waitForFunction(() => window.failed.includes('bad'));
    assert.ok(await page.locator('#fallback').isVisible());
    assert.match(await page.locator('#bad [role="alert"]').first().innerText(), /找不到索引文件/);
    assert.ok(!(await page.evaluate(() => window.failed)).includes('fixed'));
    await shot(page, 'embed-portal');
    assertClean(problems);
    await close();
  });

  test('url-state keeps the query and the open item in the portal\'s URL: Back returns to the results, a link opens an item', async () => {
    const { dir, rel } = env.tmp('linked');
    writeFileSync(path.join(dir, 'index.html'), `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<link rel="icon" href="data:,"><script type="module" src="/power-search.js"></script></head><body>
<h1>某镇门户</h1><power-search index="/catalog/" region="321281100" fixed-region url-state></power-search>
</body></html>`);
    const { page, problems, close } = await env.open(`/${rel}/?portal=1`);
    await page.waitForFunction(() => document.querySelector('power-search').shadowRoot?.querySelector('.ps')?.dataset.state === 'ready');
    const input = inner(page, 'input[role="combobox"]');
    await input.pressSequentially('摆摊', { delay: 20 });
    await page.waitForFunction(() => document.querySelector('power-search').shadowRoot.querySelectorAll('li[role="option"]').length > 0);
    await page.waitForFunction(() => location.hash === '#ps?q=%E6%91%86%E6%91%8A');
    const code = await inner(page, 'li[role="option"]').first().getAttribute('data-code');
    await input.press('ArrowDown');
    await input.press('Enter');
    await page.waitForFunction(() => document.querySelector('power-search').shadowRoot.querySelector('.ps-item'));
    const linked = new URL(page.url());
    assert.equal(linked.search, '?portal=1', 'the portal\'s own query string is kept');
    assert.equal(new URLSearchParams(linked.hash.slice(4)).get('item'), code);
    // Back: the results again, the portal's page not left.
    await page.goBack();
    await page.waitForFunction(() => !document.querySelector('power-search').shadowRoot.querySelector('.ps-item-pane:not([hidden]) .ps-item'));
    assert.equal(new URL(page.url()).pathname, `/${rel}/`);
    assert.ok(await inner(page, 'li[role="option"]').first().isVisible());
    // The link, opened afresh: the item page at once.
    await page.goto(linked.href);
    await page.waitForFunction(() => document.querySelector('power-search').shadowRoot?.querySelector('.ps-item'));
    assert.match(await inner(page, '.ps-item-title').innerText(), /./);
    assert.equal(await page.evaluate(() => document.querySelector('power-search').shadowRoot.querySelector('.ps-item [data-code], .ps-item')?.closest('.ps')?.dataset.state), 'ready');
    // 打印 prints the element alone: the portal's heading is hidden for the print, then back.
    await page.evaluate(() => { window.printed = 0; window.print = () => { window.printed++; }; });
    await inner(page, '.ps-print').click();
    assert.equal(await page.evaluate(() => window.printed), 1);
    await page.emulateMedia({ media: 'print' });
    const visible = () => page.evaluate(() => [getComputedStyle(document.querySelector('h1')).visibility,
      getComputedStyle(document.querySelector('power-search').shadowRoot.querySelector('.ps-item-title')).visibility]);
    assert.deepEqual(await visible(), ['hidden', 'visible']);
    await page.evaluate(() => dispatchEvent(new Event('afterprint')));
    assert.deepEqual(await visible(), ['visible', 'visible']);
    await page.emulateMedia({ media: 'screen' });
    assertClean(problems);
    await close();
  });

  test('frame.html in an iframe: the element from the URL, its height posted to the portal and followed by its one-line listener', async () => {
    const { dir, rel } = env.tmp('framed');
    writeFileSync(path.join(dir, 'index.html'), `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body>
<h1>某镇门户</h1>
<iframe id="powerlist" src="/frame.html?region=321281100&fixed" title="权力清单检索" style="width:100%;height:200px;border:0"></iframe>
<script>addEventListener('message', (e) => { if (e.data && e.data.type === 'powerlist:height') document.getElementById('powerlist').style.height = e.data.height + 'px'; });</script>
</body></html>`);
    const { page, problems, close } = await env.open(`/${rel}/`);
    const frame = page.frameLocator('#powerlist');
    const input = frame.locator('power-search input[role="combobox"]');
    await input.waitFor();
    await page.waitForFunction(() => parseFloat(document.getElementById('powerlist').style.height) !== 200);
    const before = await page.evaluate(() => parseFloat(document.getElementById('powerlist').style.height));
    await input.pressSequentially('摆摊', { delay: 20 });
    await frame.locator('power-search li[role="option"]').first().waitFor();
    assert.match(await frame.locator('power-search li[role="option"]').first().innerText(), /在戴窑镇由 戴窑镇综合行政执法局 办理/);
    await page.waitForFunction((h) => parseFloat(document.getElementById('powerlist').style.height) > h + 200, before);
    // The frame is as tall as its content: nothing scrolls inside it.
    const inside = await page.frames().find((f) => f.url().includes('frame.html')).evaluate(() => [document.documentElement.scrollHeight, innerHeight]);
    assert.ok(inside[0] <= inside[1] + 1, String(inside));
    assert.equal(await frame.locator('power-search .ps-region-slot').isHidden(), true, '?fixed: no picker');
    await shot(page, 'embed-frame');
    assertClean(problems);
    await close();
  });

  test('EMBED.md\'s snippets, verbatim, in bare portal pages: the files it lists copied under /powerlist/ (same origin), and from another origin', async () => {
    const snippets = [...embedDoc.matchAll(/```html\n(<script type="module" src="[^"]*power-search\.js"><\/script>\n\n<power-search [^\n]*><\/power-search>)\n```/g)].map((m) => m[1]);
    assert.equal(snippets.length, 2, 'a same-origin and a cross-origin snippet');
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'pl-portal-'));
    const servers = [];
    try {
      // The portal's site: its page, and exactly the files EMBED.md lists under /powerlist/.
      copyFiles(embedFiles, path.join(tmp, 'powerlist'));
      const page = (snippet) => `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<style>html { font-size: 62.5%; } body { font: 1.4rem Georgia, serif; }</style></head><body><h1>某镇门户</h1>
${snippet}
</body></html>`;
      writeFileSync(path.join(tmp, 'same.html'), page(snippets[0]));
      const portal = await startServer(tmp);
      servers.push(portal);
      // powerlist's own server on another origin (localhost, not 127.0.0.1), allowing the portal.
      const own = await startServer(www, '127.0.0.1:0', ['--cors', portal.base.replace(/\/$/, '')]);
      servers.push(own);
      const other = own.base.replace('127.0.0.1', 'localhost');
      writeFileSync(path.join(tmp, 'cross.html'), page(snippets[1].replaceAll('https://powerlist.example.gov.cn/', other)));
      for (const name of ['same', 'cross']) {
        // The portal's server is this page's own; powerlist's, on the other origin, is expected.
        const { page: p, problems, close } = await open(env.browser, portal.base, `${name}.html`);
        await p.waitForFunction(() => document.querySelector('power-search').shadowRoot?.querySelector('.ps')?.dataset.state === 'ready');
        await p.locator('power-search input[role="combobox"]').pressSequentially('摆摊', { delay: 20 });
        await p.locator('power-search li[role="option"]').first().waitFor();
        assert.match(await p.locator('power-search li[role="option"]').first().innerText(), /在戴窑镇由 戴窑镇综合行政执法局 办理/, name);
        assert.equal(await p.evaluate(() => parseFloat(getComputedStyle(document.querySelector('power-search').shadowRoot.querySelector('.ps')).fontSize)), 16, name);
        if (name === 'cross') await shot(p, 'embed-cross-origin');
        assertClean(problems.filter((x) => !x.startsWith(`foreign request: ${other}`)));
        await close();
      }
    } finally {
      for (const s of servers) await s.stop();
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  test('the element reports a bad index inside itself, in Chinese, and recovers when the attribute changes', async () => {
    const { page, problems, close } = await env.open('/embed.html', { allow: [/status of 404/] });
    await embedReady(page);
    const failed = page.evaluate(() => new Promise((resolve) => document.addEventListener('power-search-error', (e) => resolve(e.detail.error.kind), { once: true })));
    await page.evaluate(() => document.querySelector('power-search').setAttribute('index', 'nothing-here.idx'));
    assert.equal(await failed, 'missing');
    assert.match(await inner(page, '.ps-error').innerText(), /索引加载失败[\s\S]*找不到索引文件/);
    await page.evaluate(() => document.querySelector('power-search').setAttribute('index', 'catalog.idx'));
    await page.waitForFunction(() => document.querySelector('power-search').shadowRoot.querySelector('.ps-error').hidden);
    await page.evaluate(() => { document.querySelector('power-search').query = 'zdjy'; });
    await page.waitForFunction(() => document.querySelector('power-search').shadowRoot.querySelectorAll('li[role="option"]').length > 0);
    assert.equal(await inner(page, '.ps-kind').innerText(), '按拼音检索');
    assertClean(problems);
    await close();
  });

  test('a module file missing on the server: the element names it in Chinese with what to check, fires error and shows the fallback', async () => {
    const cases = [
      ['pkg/powerlist_bg.wasm', /检索程序加载失败[\s\S]*找不到检索模块文件（HTTP 404）：http:\/\/[^\s]+\/pkg\/powerlist_bg\.wasm[\s\S]*怎么办：[\s\S]*pkg\/ 目录/],
      ['pkg/powerlist.js', /检索程序加载失败[\s\S]*检索模块的程序文件未能加载：http:\/\/[^\s]+\/pkg\/powerlist\.js[\s\S]*怎么办：[\s\S]*pkg\/ 目录/],
      ['search-worker.js', /检索程序加载失败[\s\S]*检索程序未能启动：http:\/\/[^\s]+\/search-worker\.js[\s\S]*怎么办：[\s\S]*search-worker\.js 要作为第二个入口/],
    ];
    for (const [missing, message] of cases) {
      // The portal's copy of the listed files, but one (each case a fresh page and worker).
      const { dir, rel } = env.tmp(`no-${path.basename(missing, path.extname(missing))}`);
      copyFiles(embedFiles.filter((f) => f !== missing), dir);
      writeFileSync(path.join(dir, 'index.html'), `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="module" src="power-search.js"></script></head><body>
<power-search index="catalog.idx"><p id="fallback">在线检索暂不可用，请拨打 12345 咨询。</p></power-search>
</body></html>`);
      const { page, problems, close } = await env.open(null, { viewport: { width: 390, height: 844 }, allow: [/status of 404/] });
      await page.addInitScript(() => {
        window.events = [];
        document.addEventListener('power-search-error', (e) => window.events.push(['power-search-error', e.detail.error.kind]));
        document.addEventListener('error', (e) => { if (e.target.localName === 'power-search') window.events.push(['error', e.detail.error.kind]); }, true);
      });
      await page.goto(`${env.base}${rel}/`);
      await waitFor(async () => (await page.evaluate(() => window.events.length)) >= 2, `${missing}: the error events`, 20000);
      assert.deepEqual(await page.evaluate(() => window.events), [['power-search-error', 'module'], ['error', 'module']], missing);
      assert.equal(await inner(page, '.ps').getAttribute('data-state'), 'error');
      assert.match(await inner(page, '.ps-error').innerText(), message);
      assert.ok(await page.locator('#fallback').isVisible(), `${missing}: the portal's fallback`);
      if (missing.endsWith('.wasm')) await shot(page, 'embed-module-missing');
      assertClean(problems);
      await close();
    }
  });
});
