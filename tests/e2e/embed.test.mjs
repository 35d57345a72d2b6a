// <power-search>: the embed example page, Shadow DOM isolation both ways, theming, events, errors.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, shot, assertClean, embedReady } from './harness.mjs';

const env = setup();
// Playwright's CSS locators pierce open shadow roots.
const inner = (page, sel) => page.locator(`power-search ${sel}`);

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
});
