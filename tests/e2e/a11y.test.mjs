// Accessibility audit with axe-core (WCAG 2 A/AA and best practices) on every view of the app
// and the embed page. axe is injected as a script, which the pages' CSP forbids, so the audit
// contexts bypass the CSP; every other test runs under it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { setup, appReady, embedReady, assertClean } from './harness.mjs';

const env = setup();
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

async function audit(page, label) {
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n    ')}`);
  });
  assert.deepEqual(violations, [], `${label}: axe violations:\n${violations.join('\n')}`);
}

// One context for every audit (opening contexts is the slow part of these tests).
test('axe: home with charts, results with an active option, citation, item page, phone, contact question, embed page, error page', async () => {
  const { page, problems, close } = await env.open('/?region=321281100', { context: { bypassCSP: true }, officer: true });
  await appReady(page);
  await audit(page, 'home');
  await page.fill('#q', '油烟');
  await page.waitForFunction(() => document.querySelectorAll('#results > li').length > 0);
  await page.press('#q', 'ArrowDown');
  await audit(page, 'results');
  await page.fill('#q', '食品安全法第一百二十二条');
  await page.waitForFunction(() => !document.querySelector('.ps-citation').hidden);
  await audit(page, 'citation');

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${env.base}?region=321281100&item=CG-CF-014`);
  await appReady(page);
  await page.waitForSelector('.ps-item');
  await page.getByRole('button', { name: /各乡镇（街道）由谁办理/ }).click();
  await audit(page, 'item (phone)');
  // A contact question: the card with how to reach the handler above the results.
  await page.goto(`${env.base}?region=321281100&q=${encodeURIComponent('城管电话')}`);
  await appReady(page);
  await page.waitForSelector('.ps-reach-card:not([hidden])');
  await audit(page, 'contact question (phone)');

  await page.setViewportSize({ width: 1000, height: 900 });
  await page.goto(`${env.base}embed.html`);
  await embedReady(page);
  await page.locator('power-search input').fill('摆摊');
  await page.waitForFunction(() => document.querySelector('power-search').shadowRoot.querySelectorAll('li[role="option"]').length > 0);
  await audit(page, 'embed');

  await page.goto(`${env.base}?index=index.html`);
  await page.waitForSelector('.ps-error:not([hidden])');
  await audit(page, 'error');
  assertClean(problems);
  await close();
});
