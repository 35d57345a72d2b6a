// The modules and the element as a portal developer uses them, checked against the declarations
// (www/pkg/powerlist.d.ts and www/pkg/admin/powerlist.d.ts, made from crates/wasm/src/lib.rs and
// maintainer.rs, and www/power-search.d.ts) by types.test.mjs. Nothing here runs: it must compile
// under --strict --exactOptionalPropertyTypes.
import init, {
  formatVersion,
  initSync,
  PowerIndex,
  version,
  type Basis,
  type CitedArticle,
  type CitedPosition,
  type Contact,
  type IndexInfo,
  type Item,
  type OfficialDocument,
  type Period,
  type QueryKind,
  type SearchIds,
  type SearchOptions,
  type SearchResult,
} from '../../../www/pkg/powerlist.js';
import initAdmin, {
  PowerIndex as AdminIndex,
  type Devolution,
  type Amendment,
  type Diff,
  type ItemOverlaps,
  type LocalList,
  type OverlapLevel,
  type Stats,
  type TextEdit,
  type UnitAt,
  type UnitChange,
  type UnitStatus,
} from '../../../www/pkg/admin/powerlist.js';
import type * as Citizen from '../../../www/pkg/powerlist.js';
import type * as Admin from '../../../www/pkg/admin/powerlist.js';
import type { LoadErrorKind, PowerSearch, PowerSearchEventMap, SearchIndex } from '../../../www/power-search.js';

/** Loading, searching and an item page, as the README shows them. */
export async function portal(): Promise<string[]> {
  await init();
  const bytes = new Uint8Array(await (await fetch('catalog.idx')).arrayBuffer());
  const index = new PowerIndex(bytes);
  const lines: string[] = [`powerlist ${version()}, index format ${formatVersion()}, ${index.itemCount} items`];

  // Options are optional, and each of them.
  const plain: SearchResult = index.search('占道经营');
  const options: SearchOptions = { region: '321281100', limit: 10 };
  const here = index.search('占道经营', options);
  index.search('占道经营', { field: '城市管理', type: '行政处罚', level: '乡级', offset: 20 });
  index.search('', undefined);
  lines.push(`${plain.total} items, ${here.strict} matching every word${here.relaxed ? ' (relaxed)' : ''}`);

  const kinds: Record<QueryKind, string> = { browse: '浏览', code: '编码', citation: '法律条文', keyword: '关键词', pinyin: '拼音' };
  lines.push(kinds[here.kind]);
  for (const [field, n] of Object.entries(here.facets.field)) lines.push(`${field}（${n}）`);
  for (const s of index.search('CG-CF-0149').suggestions) lines.push(`${s.code} ${s.name}`);

  for (const hit of here.hits) {
    const name = Array.from(hit.name);
    for (const [start, end] of hit.highlights) lines.push(name.slice(start, end).join(''));
    lines.push(`${hit.code} ${hit.type} · ${hit.field} · ${hit.level.join('、')}`);
    lines.push(hit.handled_mode ? `${hit.handled_by}（${hit.handled_mode}）` : hit.handled_by);
    if (hit.handled_region !== null) lines.push(hit.handled_region);
    // How to reach the handler: null when the catalog gives no contact (the sample).
    const contact: Contact | null = hit.contact;
    if (contact !== null) lines.push(contact.phone, contact.address, contact.hours, contact.url);
    lines.push(hit.consult_phone, hit.complaint_phone, hit.place);
    // Search hits carry citations only.
    for (const b of hit.bases) lines.push(b.citation, b.article_citation);
    lines.push(hit.keywords.join('；'), hit.note, hit.score.toFixed(2));
  }

  // The cheap path: ids, then items one by one.
  const ids: SearchIds = index.searchIds('zdjy', { limit: 50 });
  const scores: Float32Array = ids.scores;
  for (const id of ids.ids) lines.push(index.item(id, '321281100').name);
  lines.push(`${ids.total} ${scores.length}`);
  index.searchIds('zdjy');
  ids.free();

  // An item page: article texts, the cited paragraph or item.
  const item: Item = index.get('CG-CF-014', '戴窑镇');
  index.get('CG-CF-014');
  // Who handles it on a given day (today's, by default the latest the catalog knows), and the
  // documents and periods behind that: 赋权 by a document, taken back (上收) from a day.
  const onDay = index.get('CG-CF-014', '戴窑镇', '2025-08-01');
  index.search('占道经营', { region: '321281100', date: '2025-08-01' });
  for (const p of onDay.periods) {
    const made: OfficialDocument | null = p.document;
    const state: Period['state'] = p.state;
    lines.push(`${p.region_name} ${p.body} ${p.mode ?? ''} ${p.from ?? ''}–${p.through ?? ''} ${state}`);
    if (made) lines.push(`${made.number} ${made.date ?? ''} ${made.basis}`);
    if (p.until !== null && p.end_document) lines.push(`自 ${p.until} 起上收（${p.end_document.number}）`, p.note);
  }
  for (const b of item.bases) {
    lines.push(articleWithEmphasis(b));
    if (b.cited_text !== undefined) lines.push(b.cited_text);
    const related = index.search(b.article_citation, { limit: 200 }).hits.filter((h) => h.code !== item.code);
    lines.push(`同样引用本条的其他事项（${related.length}）`);
  }
  // The responsibility list (责任清单), when the catalog gives one: entries to show as text.
  for (const [title, list] of [['责任事项', item.duties], ['追责情形', item.accountability]] as const) {
    if (list !== undefined && list.length > 0) lines.push(title, ...list);
  }

  // A citation query: the article comes with it.
  const cited: CitedArticle | null = index.search('城市道路管理条例第二十七条第（一）项').citation;
  if (cited && cited.text !== null) {
    lines.push(cited.title, ...cited.paragraphs.map((p) => p.text));
    if (cited.cited) lines.push(String(cited.cited.paragraph));
    if (cited.article !== null) lines.push(String(cited.article));
  }
  // Several articles: each text with its own citation.
  for (const a of index.search('大气法第18条、第19条').citation?.articles ?? []) {
    const at: CitedPosition | null = a.cited;
    lines.push(a.title, String(a.article), a.text, ...a.paragraphs.map((p) => p.text), String(at?.paragraph));
  }
  // A pinyin slip: the Chinese word its correction spells, or the corrected pinyin.
  const slip = index.search('lajii');
  if (slip.corrected !== null) lines.push(slip.corrected_word ?? slip.corrected);

  // Regions and who handles an item where.
  for (const r of index.regions()) lines.push(r.parent === null ? r.name : `${r.parent} › ${r.name}`);
  index.handlers('CG-CF-014', '321281100', '2025-08-01');
  for (const h of index.handlers('CG-CF-014', '321281100')) lines.push(`${h.name} ${h.handled_by} ${h.own ? h.handled_mode ?? '本级' : '上级'}`);
  lines.push(...index.fields(), ...index.types(), ...index.levels());
  const info: IndexInfo = index.info();
  lines.push(`${info.catalog.name} ${info.catalog.version} ${info.items} ${info.laws} ${info.articles_cited} ${info.regions} ${info.bytes} ${info.format_version} ${info.built_with}`);

  while (!index.verifySome(1 << 21)) await new Promise((r) => setTimeout(r, 0));
  lines.push(...(await maintainer(bytes)));
  return lines;
}

/** The maintainer's module: the same index, and the reports. */
export async function maintainer(bytes: Uint8Array): Promise<string[]> {
  await initAdmin();
  const index = new AdminIndex(bytes);
  const lines: string[] = [`${index.itemCount} items`, index.search('占道经营').hits.map((h) => h.code).join(' ')];
  for (const c of index.devolved('321281')) lines.push(`${c.name} ${c.items}`);
  lines.push(...overlapsOf(index.overlaps('CG-CF-014', '321281100')));
  index.overlaps('CG-CF-014');
  lines.push(...printable(index.localList('321281100')));
  index.localList('321281100', '2025-08-01');
  // Township assignments begun (下放) and taken back (上收) between two days, per county.
  const span: Devolution = index.devolution('2025-01-01', '2025-12-31');
  for (const c of span.counties) {
    lines.push(`${c.name} 下放 ${c.devolved} 上收 ${c.taken_back}`);
    for (const it of c.taken_back_items) lines.push(`${it.code} ${it.townships} ${it.dates.join('、')} ${it.documents.join('、')}`);
  }
  lines.push(...numbers(index.stats()));

  // Versions: what changed since an older index.
  const older = new AdminIndex(new Uint8Array(await (await fetch('previous.idx')).arrayBuffer()));
  lines.push(...changes(index.diff(older)));
  older.free();

  // A new text of a cited law: what it changes.
  const law = new Uint8Array(await (await fetch('laws/中华人民共和国大气污染防治法.md')).arrayBuffer());
  lines.push(...amended(index.amendment(law)));
  index.free();
  return lines;
}

/** Whether A and B are the same type (not merely assignable either way). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
/** The maintainer's methods: the admin PowerIndex is the citizen's plus these, nothing else differs. */
type MaintainerMethods = 'amendment' | 'devolution' | 'devolved' | 'diff' | 'localList' | 'overlaps' | 'stats';
export const sameTypes: [
  Same<Omit<Admin.PowerIndex, MaintainerMethods>, Citizen.PowerIndex>,
  Same<Admin.SearchResult, Citizen.SearchResult>,
  Same<Admin.Item, Citizen.Item>,
  Same<Admin.SearchOptions, Citizen.SearchOptions>,
  Same<Admin.Region, Citizen.Region>,
  Same<Admin.RegionHandler, Citizen.RegionHandler>,
  Same<Admin.Period, Citizen.Period>,
  Same<Admin.IndexInfo, Citizen.IndexInfo>,
  Same<Admin.SearchIds, Citizen.SearchIds>,
  Same<Pick<Stats, keyof IndexInfo>, IndexInfo>,
] = [true, true, true, true, true, true, true, true, true, true];

/** Node or a worker: the module from bytes. */
export function fromBytes(wasm: BufferSource, catalog: Uint8Array): PowerIndex {
  initSync({ module: wasm });
  try {
    return new PowerIndex(catalog);
  } catch (err) {
    // The load error says why, with a code.
    const code = (err as Error & { code?: string }).code;
    throw new Error(`${code ?? 'corrupt'}: ${(err as Error).message}`);
  }
}

function articleWithEmphasis(b: Basis): string {
  const paragraphs = b.paragraphs ?? [];
  const at: CitedPosition | undefined = b.cited;
  return paragraphs
    .map((p, pi) => {
      const whole = at?.paragraph === pi && at.item === null;
      const items = p.items.map((text, ii) => (whole || (at?.paragraph === pi && at.item === ii) ? `【${text}】` : text));
      return [whole ? `【${p.text}】` : p.text, ...items].join('\n');
    })
    .join('\n') || b.text || b.citation;
}

function overlapsOf(o: ItemOverlaps): string[] {
  const titles: Record<OverlapLevel, string> = { same_unit: '同一条款项', same_article: '同一条文' };
  return [
    `${o.code} ${o.handled_by}`,
    ...o.shared.map((s) => `${titles[s.level]} ${s.code} ${s.name} ${s.provisions.join('、')} ${s.handled_by}${s.same_body ? '（同一机关）' : ''}`),
    ...o.similar.map((s) => `${s.code} ${s.name} ${Math.round(s.similarity * 100)}%`),
  ];
}

function printable(list: LocalList): string[] {
  return [
    `${list.full_name}（${list.code}）`,
    ...list.own.map((it) => `${it.code} ${it.name} ${it.bases.map((b) => b.cited_text ?? b.text ?? '').join('')}`),
    ...list.above.map((it) => `${it.code} ${it.handled_by}`),
  ];
}

function numbers(s: Stats): string[] {
  const c = s.catalog;
  return [
    `${c.name} ${c.version} ${c.date} ${s.built_with} ${s.format_version} ${s.bytes}`,
    `${s.items} ${s.laws} ${s.articles_cited} ${s.regions} ${s.assignments}`,
    ...[s.by_field, s.by_type, s.by_level, s.by_law, s.by_department, s.by_body].flatMap((m) => Object.entries(m).map(([k, n]) => `${k} ${n}`)),
    ...s.townships.map((t) => `${t.county} ${t.code} ${t.name} ${t.own}/${t.above}`),
    ...s.counties.map((x) => `${x.code} ${x.name} ${x.townships} ${x.items} ${x.devolved} ${(100 * x.share).toFixed(1)}%`),
  ];
}

function changes(d: Diff): string[] {
  const c = d.counts;
  const total: number = c.added + c.removed + c.recoded + c.renamed + c.rebased + c.changed + c.reassigned;
  return [
    `${d.old.version}（${d.old.date}） → ${d.new.version}（${d.new.date}）: ${total}`,
    ...d.added.map((x) => `${x.code} ${x.name}`),
    ...d.removed.map((x) => `${x.code} ${x.name}`),
    ...d.recoded.map((x) => `${x.old_code} → ${x.new_code} ${x.name}`),
    ...d.renamed.map((x) => `${x.code} ${x.old_name} → ${x.new_name}`),
    ...d.rebased.map((x) => `${x.code} ${x.name} ${x.old.join('、')} → ${x.new.join('、')}`),
    ...d.changed.flatMap((x) => x.changes.map((ch) => `${x.code} ${ch.attr} ${ch.label}：${ch.old} → ${ch.new}`)),
    ...d.reassigned.flatMap((r) => r.changes.map((x) => `${r.region} ${r.name} ${x.code} ${x.name} ${x.old?.label ?? '（无）'} → ${x.new ? `${x.new.body} ${x.new.mode}` : '（无）'}`)),
  ];
}

function amended(a: Amendment): string[] {
  const c = a.counts;
  const status: Record<UnitStatus, string> = { unchanged: '未变', changed: '修改', moved: '移动', gone: '删除' };
  return [
    `《${a.law}》 ${a.new_title} ${a.old_articles} → ${a.new_articles}: ${c.units} ${c.unchanged} ${c.changed} ${c.moved} ${c.gone} ${c.items}`,
    ...a.units.map((u: UnitChange) => {
      const at: UnitAt = u.old;
      const where = u.new ? `${u.new.article} ${u.new.paragraph ?? ''} ${u.new.item ?? ''} ${u.new.label}` : u.now_at_old_number ?? '';
      const edits = u.edits.map((e: TextEdit) => (e.kind === 'same' ? e.text : `[${e.kind}:${e.text}]`)).join('');
      return `${status[u.status]} ${at.label} ${where} ${u.old_text} ${u.new_text ?? ''} ${u.text_changed} ${u.similarity.toFixed(2)} ${edits} ${u.items.map((x) => x.code).join('、')}`;
    }),
  ];
}

/** The element, from the portal page's script. */
export async function embedded(): Promise<void> {
  const el: PowerSearch | null = document.querySelector('power-search');
  if (!el) return;
  el.addEventListener('power-search-ready', (e) => console.log(e.detail.info.items, e.detail.info.catalog.version));
  el.addEventListener('power-search-open', (e) => console.log(e.detail.code));
  el.addEventListener('power-search-error', (e) => {
    const { error } = e.detail;
    if (error.kind === 'missing' || error.kind === 'network') console.log(error.url);
    console.log(error.what ?? error.message, error.todo, error.detail);
  });
  const events: (keyof PowerSearchEventMap)[] = ['power-search-ready', 'power-search-open', 'power-search-error'];
  const retry: LoadErrorKind[] = ['network', 'http'];
  console.log(events.length, retry);
  el.query = '摆摊';
  // The element's index answers from its search worker: the same queries, as promises.
  const index: SearchIndex = await el.ready;
  const r: SearchResult = await index.search(el.query, { limit: 5 });
  const ids = await index.searchIds('zdjy');
  console.log(el.index === index, el.query, r.total, ids.ids[0], index.itemCount, index.meta.info.items, index.meta.regions.length);
  const made = document.createElement('power-search');
  made.setAttribute('index', 'catalog.idx');
  document.body.append(made);
}
