// One schema for results: the real results of every PowerIndex call that returns a declared type,
// made by the built modules (www/pkg/powerlist.js, the citizen's, and www/pkg/admin/powerlist.js,
// the maintainer's superset, in Node over www/catalog.idx), are written to
// types/generated/results.ts as typed constants (`const x: ReturnType<PowerIndex['search']> = {…}`:
// object literals get excess-property checks, so a field the declarations lack, a missing field or
// a value of another type fails), with the CLI's --json output of the same views and the event
// details of <power-search> in a page, and compiled with types/api.ts (the API as a portal developer uses it, <power-search> included) by tsc
// --strict --exactOptionalPropertyTypes. The Rust views, the modules and the declarations
// (crates/wasm/src/lib.rs and maintainer.rs, www/power-search.d.ts) cannot drift apart without
// this failing; api.ts also checks that the two modules declare the same result types and that
// the maintainer's PowerIndex is the citizen's plus its own methods, and every citizen call gives
// the same result in both modules.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root, www, cli, setup, buildIndex } from './harness.mjs';

const env = setup();
const here = path.dirname(new URL(import.meta.url).pathname);
const typesDir = path.join(here, 'types');
const generated = path.join(typesDir, 'generated/results.ts');
const tsc = path.join(here, 'node_modules/.bin/tsc');

const mod = await import(path.join(www, 'pkg/powerlist.js'));
mod.initSync({ module: readFileSync(path.join(www, 'pkg/powerlist_bg.wasm')) });
const adm = await import(path.join(www, 'pkg/admin/powerlist.js'));
adm.initSync({ module: readFileSync(path.join(www, 'pkg/admin/powerlist_bg.wasm')) });
const index = new mod.PowerIndex(readFileSync(path.join(www, 'catalog.idx')));
const admin = new adm.PowerIndex(readFileSync(path.join(www, 'catalog.idx')));
const previous = new adm.PowerIndex(readFileSync(path.join(www, 'previous.idx')));
// A catalog with a responsibility list (tests/fixtures/duties), for the optional fields the
// sample never gives (duties, accountability).
const dutiesIdx = path.join(env.tmp('types-duties').dir, 'duties.idx');
buildIndex(path.join(root, 'tests/fixtures/duties'), dutiesIdx);
const withDuties = new mod.PowerIndex(readFileSync(dutiesIdx));

/** A new text of a cited law: the sample's 大气污染防治法 with a cited article changed and one deleted. */
const amendedLaw = new TextEncoder().encode(readFileSync(path.join(root, 'data/laws/中华人民共和国大气污染防治法.md'), 'utf8')
  .replace('远红外摄像等方式', '远红外摄像、无人机巡查等方式').split('\n').filter((l) => !l.startsWith('第一百二十条 ')).join('\n'));

const TOWNSHIP = '321281100'; // 戴窑镇
const COUNTY = '321281'; // 兴化市

// tests/fixtures/devolution: assignments with documents and periods (the sample has none).
const scratch = mkdtempSync(path.join(os.tmpdir(), 'powerlist-types-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const devolIdx = path.join(scratch, 'devolution.idx');
buildIndex(path.join(root, 'tests/fixtures/devolution'), devolIdx);
const devol = new mod.PowerIndex(readFileSync(devolIdx));
const devolAdmin = new adm.PowerIndex(readFileSync(devolIdx));
const JIA = '320803101'; // 甲镇

/** Calls over the devolution catalog: on `devol` (citizen) and `devolAdmin` (maintainer). */
const DEVOLUTION_CALLS = [
  ['get', 'HA-CF-001', JIA, '2025-08-01'],
  ['get', 'HA-CF-001', JIA, '2025-07-31'],
  ['item', 2, '320803103', '2025-08-01'],
  ['search', 'HA', { region: JIA, date: '2025-08-01' }],
  ['handlers', 'HA-CF-001', '320803', '2025-07-31'],
];
const DEVOLUTION_ADMIN_CALLS = [
  ['devolution', '2025-01-01', '2025-12-31'],
  ['localList', JIA, '2025-08-01'],
];

/**
 * Every call of the citizen's module, as [method, ...args]: the return type checked is the one
 * the declarations give that method (ReturnType<PowerIndex[method]>), and the call itself is
 * checked against its parameter types. The maintainer's module must answer each the same.
 */
const CALLS = [
  ['search', '占道经营'],
  ['search', '占道经营', { region: TOWNSHIP, limit: 10 }],
  ['search', '摆摊', { region: '戴窑镇', field: '城市管理', type: '行政处罚', level: '乡级', limit: 5, offset: 1 }],
  ['search', '饭店油烟扰民', { region: TOWNSHIP }],
  ['search', '饭店油烟扰民'],
  ['search', '城管电话', { region: TOWNSHIP, limit: 5 }],
  ['search', '环保局在哪'],
  ['search', 'zdjy', { region: TOWNSHIP }],
  ['search', 'zhan dao jing ying'],
  ['search', 'xqzvw'],
  ['search', 'lajii'], // a pinyin slip: corrected_word 垃圾
  ['search', 'jianche'], // corrected to jiance, which spells two words: no corrected_word
  ['search', '占到经营'],
  ['search', 'CG-CF-014', { region: TOWNSHIP }],
  ['search', 'cg-cf-00'],
  ['search', 'CG-CF-0149'],
  ['search', '食品安全法第一百二十二条', { region: TOWNSHIP }],
  ['search', '城市道路管理条例第二十七条第（一）项'],
  ['search', '《城市市容和环境卫生管理条例》第三十六条第一款', { limit: 3 }],
  ['search', '城市道路管理条例'],
  ['search', '大气法第18条、第19条'], // several articles: each text labelled (articles)
  ['search', '', { field: '城市管理', limit: 3 }],
  ['search', '', { limit: 0 }],
  ['item', 0],
  ['item', 1, TOWNSHIP],
  ['get', 'CG-CF-014', TOWNSHIP],
  ['get', 'CG-CF-014'],
  ['get', 'SL-XK-001', '戴窑镇'],
  ['get', 'WJ-CF-012'], // 《医疗机构管理条例》: its version has no kind; superseded
  ['fields'],
  ['types'],
  ['levels'],
  ['regions'],
  ['regionsNear', COUNTY],
  ['handlers', 'CG-CF-014', TOWNSHIP],
  ['info'],
  ['verifySome', 1 << 20],
];

/** The maintainer's methods, on the admin module's PowerIndex (`admin`; `older`: previous.idx). */
const ADMIN_CALLS = [
  ['devolved', COUNTY],
  ['stats'],
  ['diff', previous],
  ['amendment', amendedLaw],
  ['overlaps', 'CG-CF-014', TOWNSHIP],
  ['overlaps', 'CG-CF-014'],
  ['localList', TOWNSHIP],
  ['localList', COUNTY],
];

/** CLI commands whose --json prints a view the declarations describe. */
const CLI = [
  ['search', 'SearchResult', ['search', 'www/catalog.idx', '占道经营', '--region', TOWNSHIP, '--limit', '5', '--json']],
  ['search', 'SearchResult', ['search', 'www/catalog.idx', '城市道路管理条例第二十七条第（一）项', '--limit', '3', '--json']],
  ['search', 'SearchResult', ['search', 'www/catalog.idx', '饭店油烟扰民', '--json']],
  ['search', 'SearchResult', ['search', 'www/catalog.idx', '大气法第18条、第19条', '--json']],
  ['search', 'SearchResult', ['search', 'www/catalog.idx', 'lajii', '--limit', '2', '--json']],
  ['get', 'Item', ['get', 'www/catalog.idx', 'CG-CF-014', '--region', TOWNSHIP, '--json']],
  ['get', 'Item', ['get', path.relative(root, dutiesIdx), 'CG-CF-014', '--region', TOWNSHIP, '--json']],
  ['get', 'Item', ['get', 'www/catalog.idx', 'WJ-CF-001', '--json']],
  ['stats', 'Stats', ['stats', 'www/catalog.idx', '--json']],
  ['diff', 'Diff', ['diff', 'www/previous.idx', 'www/catalog.idx', '--json']],
  ['get', 'Item', ['get', devolIdx, 'HA-CF-001', '--region', JIA, '--date', '2025-08-01', '--json']],
  ['stats', 'Devolution', ['stats', devolIdx, '--from', '2025-01-01', '--to', '2025-12-31', '--json']],
];

const literal = (v) => JSON.stringify(v, null, 1);
const arg = (a) => (a === previous ? 'older' : a === amendedLaw ? 'amendedLaw' : literal(a));
const TARGETS = { index: () => index, admin: () => admin, withDuties: () => withDuties, devol: () => devol, devolAdmin: () => devolAdmin };

/**
 * The details of the element's events, as a portal's script receives them: ready and open from
 * the embed page, error from a second element whose index is missing.
 */
async function elementEvents() {
  const { page, close } = await env.open(undefined, { allow: [/404/] });
  await page.addInitScript(() => {
    window.seen = {};
    const plain = (detail) => (detail.error
      ? { error: { name: detail.error.name, message: detail.error.message, ...detail.error } }
      : detail);
    for (const type of ['power-search-ready', 'power-search-open', 'power-search-error']) {
      document.addEventListener(type, (e) => { window.seen[type] = JSON.parse(JSON.stringify(plain(e.detail))); });
    }
  });
  await page.goto(new URL('/embed.html', env.base).href);
  await page.waitForFunction(() => window.seen['power-search-ready']);
  await page.evaluate(() => { document.querySelector('power-search').query = '摆摊'; });
  await page.locator('power-search li[role="option"]').first().click();
  await page.waitForFunction(() => window.seen['power-search-open']);
  await page.evaluate(() => {
    const broken = document.createElement('power-search');
    broken.setAttribute('index', 'no-such.idx');
    document.body.append(broken);
  });
  await page.waitForFunction(() => window.seen['power-search-error']);
  const seen = await page.evaluate(() => window.seen);
  await close();
  return seen;
}

/** The generated file: one typed constant per call. */
function results(events) {
  const out = [
    '// Generated by tests/e2e/types.test.mjs from the results of www/pkg/powerlist.js over',
    '// www/catalog.idx and of `powerlist … --json`: do not edit (it is rewritten on every run).',
    "import { PowerIndex, SearchIds, formatVersion, version, type Item, type SearchResult } from '../../../../www/pkg/powerlist.js';",
    "import { PowerIndex as AdminIndex, type Stats, type Diff, type Devolution } from '../../../../www/pkg/admin/powerlist.js';",
    "import type { PowerSearchEventMap } from '../../../../www/power-search.js';",
    '',
    'declare const index: PowerIndex;',
    'declare const admin: AdminIndex;',
    'declare const older: AdminIndex;',
    'declare const withDuties: PowerIndex;',
    'declare const devol: PowerIndex;',
    'declare const devolAdmin: AdminIndex;',
    'declare const amendedLaw: Uint8Array;',
    '',
  ];
  const counts = {};
  const typed = (target, type, method, args) => {
    const value = TARGETS[target]()[method](...args);
    const n = (counts[method] = (counts[method] ?? 0) + 1);
    const call = `${target}.${method}(${args.map(arg).join(', ')})`;
    out.push(`/** ${call.replace(/\s+/g, ' ')} */`);
    out.push(`export const ${method}_${n}: ReturnType<${type}[${literal(method)}]> = ${literal(value)};`);
    // The call as made, against the declared parameters.
    out.push(`export const ${method}_${n}_call = () => ${call};`, '');
  };
  for (const [method, ...args] of CALLS) typed('index', 'PowerIndex', method, args);
  for (const [method, ...args] of ADMIN_CALLS) typed('admin', 'AdminIndex', method, args);
  for (const args of [['CG-CF-014', TOWNSHIP], ['CG-CF-015']]) typed('withDuties', 'PowerIndex', 'get', args);
  for (const [method, ...args] of DEVOLUTION_CALLS) typed('devol', 'PowerIndex', method, args);
  for (const [method, ...args] of DEVOLUTION_ADMIN_CALLS) typed('devolAdmin', 'AdminIndex', method, args);
  // searchIds: a class with typed arrays.
  const ids = index.searchIds('zdjy', { region: TOWNSHIP, limit: 5 });
  assert.ok(ids instanceof mod.SearchIds && ids.ids instanceof Uint32Array && ids.scores instanceof Float32Array && typeof ids.total === 'number');
  out.push(`export const searchIds_1 = { total: ${ids.total}, ids: new Uint32Array(${literal([...ids.ids])}), scores: new Float32Array(${literal([...ids.scores])}) } satisfies Omit<SearchIds, 'free' | typeof Symbol.dispose>;`);
  out.push(`export const searchIds_1_call = (): SearchIds => index.searchIds('zdjy', { region: ${literal(TOWNSHIP)}, limit: 5 });`);
  out.push(`export const itemCount: typeof index.itemCount = ${index.itemCount};`);
  out.push(`export const version_1: ReturnType<typeof version> = ${literal(mod.version())};`);
  out.push(`export const formatVersion_1: ReturnType<typeof formatVersion> = ${mod.formatVersion()};`, '');
  CLI.forEach(([, type, argv], i) => {
    const json = execFileSync(cli, argv, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
    out.push(`/** powerlist ${argv.join(' ')} */`);
    out.push(`export const cli_${i + 1}: ${type} = ${json.trim()};`, '');
  });
  for (const [type, detail] of Object.entries(events)) {
    out.push(`/** <power-search> event ${type}: its detail */`);
    out.push(`export const ${type.replaceAll('-', '_')}: PowerSearchEventMap[${literal(type)}]['detail'] = ${literal(detail)};`, '');
  }
  return out.join('\n');
}

test('every result of the module, the CLI and the element has the declared type; the API compiles as a portal uses it', async () => {
  const events = await elementEvents();
  assert.deepEqual(Object.keys(events).sort(), ['power-search-error', 'power-search-open', 'power-search-ready']);
  mkdirSync(path.dirname(generated), { recursive: true });
  writeFileSync(generated, results(events));
  const run = spawnSync(tsc, ['-p', typesDir, '--pretty', 'false'], { encoding: 'utf8' });
  assert.equal(run.error, undefined, `cannot run tsc (npm ci in tests/e2e): ${run.error}`);
  const output = `${run.stdout}${run.stderr}`.trim();
  assert.equal(run.status, 0, `tsc found the results and the declarations apart (${path.relative(root, generated)}):\n${output.split('\n').slice(0, 60).join('\n')}`);
});

test('the maintainer module answers every citizen call as the citizen module does', () => {
  for (const [method, ...args] of CALLS) {
    if (method === 'verifySome') continue; // how much is left to check differs by what was read
    assert.deepEqual(admin[method](...args), index[method](...args), `${method}(${args.map(arg).join(', ')})`);
  }
  for (const [method, ...args] of DEVOLUTION_CALLS) {
    assert.deepEqual(devolAdmin[method](...args), devol[method](...args), `${method}(${args.map(arg).join(', ')})`);
  }
  for (const [method] of ADMIN_CALLS) assert.equal(typeof index[method], 'undefined', `the citizen module has no ${method}`);
  assert.equal(adm.version(), mod.version());
});

test('the optional fields the declarations name are there when they say', () => {
  // Item pages: every basis has its article; the narrower citations say where they point.
  const bases = ['CG-CF-014', 'SL-XK-001'].flatMap((code) => index.get(code, TOWNSHIP).bases);
  for (const b of bases) {
    assert.ok(b.text && b.paragraphs.length, b.citation);
    assert.equal(b.cited_text === undefined, b.cited === undefined, b.citation);
  }
  assert.ok(bases.some((b) => b.cited && b.cited.item !== null), 'a cited item');
  // Search hits: citations only.
  for (const h of index.search('占道经营').hits) {
    for (const b of h.bases) for (const k of ['text', 'cited_text', 'cited', 'paragraphs']) assert.ok(!(k in b), `${h.code}: ${k}`);
  }
  // The responsibility list: on item pages when the catalog gives it; never in search hits.
  const item = withDuties.get('CG-CF-014', TOWNSHIP);
  assert.equal(item.duties.length, 7);
  assert.equal(item.accountability.length, 5);
  assert.ok(Object.isFrozen(item.duties), 'shared with later results: frozen');
  const dutiesOnly = withDuties.get('CG-CF-015');
  assert.ok(dutiesOnly.duties.length === 3 && !('accountability' in dutiesOnly));
  for (const code of ['CG-CF-014', 'SL-XK-001']) assert.ok(!('duties' in index.get(code)), code);
  for (const h of withDuties.search('城市道路').hits) assert.ok(!('duties' in h) && !('accountability' in h), h.code);
});

test('the views carry what the page shows: citations, the cited part, the query kind, change labels', () => {
  const [first, , last] = index.get('CG-CF-014').bases;
  assert.equal(first.citation, '《城市道路管理条例》第二十七条第（一）项');
  assert.equal(first.article_citation, '《城市道路管理条例》第二十七条');
  assert.deepEqual(first.cited, { paragraph: 0, item: 0 });
  assert.equal(first.paragraphs[0].items[0], first.cited_text);
  assert.equal(last.cited, undefined, 'a whole article: nothing narrower');
  const related = index.search(first.article_citation, { limit: 200 }).hits.map((h) => h.code);
  assert.ok(related.includes('CG-CF-014') && related.includes('CG-CF-015'));

  const c = index.search('《城市市容和环境卫生管理条例》第36条第1款第（二）项').citation;
  assert.equal(c.title, '《城市市容和环境卫生管理条例》第三十六条第一款第（二）项');
  assert.equal(index.search('城市道路管理条例第二十七条').citation.title, '《城市道路管理条例》第二十七条');
  assert.deepEqual(index.search('城市道路管理条例第二十七条第（三）项').citation.cited, { paragraph: 0, item: 2 });
  assert.equal(index.search('城市道路管理条例第二十七条').citation.cited, null);

  for (const q of ['zdjy', 'zhan dao', "zhan'dao", 'ZDJY']) assert.equal(index.search(q).kind, 'pinyin', q);
  for (const [q, kind] of [['xqzvw', 'keyword'], ['占道', 'keyword'], ['zd1', 'keyword'], ['CG-CF', 'code'], ['食品安全法 122', 'citation'], ['', 'browse']]) {
    assert.equal(index.search(q).kind, kind, q);
  }

  const d = admin.diff(previous);
  const labels = { type: '事项类型', field: '所属领域', level: '行使层级', department: '实施主体', keywords: '关键词' };
  for (const x of d.changed) for (const ch of x.changes) assert.equal(ch.label, labels[ch.attr], ch.attr);
  const handlings = d.reassigned.flatMap((r) => r.changes.flatMap((x) => [x.old, x.new])).filter(Boolean);
  assert.ok(handlings.length);
  for (const h of handlings) assert.equal(h.label, h.mode ? `${h.body}（${h.mode}）` : h.body);
});
