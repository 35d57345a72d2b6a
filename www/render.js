// Builds the DOM for search results, "who handles it", legal bases and article texts.
// Pure functions of their data: no index calls, no state. Catalog strings are text nodes only.
import { el, highlighted, t } from './dom.js';

/** "在戴窑镇由 戴窑镇综合行政执法局 办理（赋权）", or the default department when no region is chosen. */
export function handlerLine(item, tree, region, tag = 'p') {
  if (!region) {
    return el(tag, { class: 'ps-handler ps-handler-default' },
      el('span', { class: 'ps-handler-label' }, '实施主体：'), el('strong', {}, item.department));
  }
  // Each catalog string its own child (dom.js: isolated, so an RLO in a name moves nothing else).
  const how = [];
  if (item.handled_mode) how.push([item.handled_mode]);
  if (!item.handled_region) how.push(['清单未列明本地机关，按目录所列实施主体']);
  else if (item.handled_region !== region) how.push(t`按${tree.name(item.handled_region)}的分工`);
  return el(tag, { class: 'ps-handler' },
    el('span', { class: 'ps-handler-label' }, t`在${tree.name(region)}由 `),
    el('strong', {}, item.handled_by),
    ' 办理',
    how.length ? el('span', { class: 'ps-handler-how' }, '（', how.map((h, i) => [i ? '，' : null, h]), '）') : null);
}

/** A date that does not break at its hyphens. */
const day = (d) => el('span', { class: 'ps-date' }, d);

/**
 * What the catalog says of the item's devolution in the chosen region (item.periods), in the
 * catalog's own terms: for the assignment that applies, its document and since when; for one
 * taken back (上收), from when to when it held and by which document, then from when it was
 * taken back, by which document and who handles the item now; for one not begun, from when;
 * the notes; then each document's date and the document it rests on. Nothing when the catalog
 * gives no documents or dates.
 */
export function renderPeriods(item, region) {
  if (!item.periods?.length) return null;
  const box = el('div', { class: 'ps-periods' });
  const docs = new Map();
  const doc = (d) => {
    if (!d) return null;
    if (d.date || d.basis) docs.set(d.number, d);
    return d.number;
  };
  const paren = (...parts) => {
    const list = parts.filter(Boolean);
    return list.length ? ['（', list.map((x, i) => [i ? '，' : null, x]), '）'] : null;
  };
  for (const p of item.periods) {
    const where = p.region !== region && p.region !== item.handled_region ? t`${p.region_name}：` : null;
    const line = (state, ...children) => el('p', { class: 'ps-period', 'data-state': state }, where, ...children);
    if (p.state === 'current' && p.region === item.handled_region) {
      box.append(line('current', el('span', { class: 'ps-period-label' }, '文件：'), doc(p.document) ?? '清单未列明',
        p.from ? ['，自 ', day(p.from), ' 起'] : null, p.through ? ['，至 ', day(p.through), ' 止', paren(doc(p.end_document))] : null));
    } else if (p.state === 'ended') {
      box.append(line('ended', p.from ? [day(p.from), ' 至 '] : null, day(p.through), p.from ? ' 由 ' : ' 前由 ',
        el('strong', {}, p.body), ' 办理', paren(p.mode, doc(p.document))),
      el('p', { class: 'ps-period', 'data-state': 'taken-back' }, '自 ', day(p.until), ' 起上收，由 ',
        el('strong', {}, item.handled_by), ' 办理', paren(doc(p.end_document))));
    } else {
      box.append(line(p.state, p.from ? ['自 ', day(p.from), ' 起由 '] : '由 ', el('strong', {}, p.body), ' 办理',
        paren(p.mode, doc(p.document), p.through ? ['至 ', day(p.through)] : null)));
    }
    if (p.note) box.append(el('p', { class: 'ps-period-note' }, el('span', { class: 'ps-period-label' }, '备注：'), p.note));
  }
  for (const d of docs.values()) {
    box.append(el('p', { class: 'ps-period-doc' }, d.number, '：',
      [d.date ? [day(d.date), ' 发文'] : null, d.basis ? t`依据 ${d.basis}` : null].filter(Boolean).map((x, i) => [i ? '，' : null, x])));
  }
  return box;
}

/**
 * A phone cell ('0523-86000000、12345', '0523-86000000 转 8001') as tel: links, one per number
 * (an extension dialled after a pause). `attrs` are added to each link.
 */
export function phoneLinks(phones, attrs = {}) {
  const parts = [];
  phones.split(/[、；;/，,]/).map((p) => p.trim()).filter(Boolean).forEach((p, i) => {
    const [main, ext] = p.split('转');
    const digits = main.replace(/[^0-9]/g, '');
    const pause = ext ? `,${ext.replace(/[^0-9]/g, '')}` : '';
    if (i) parts.push('、');
    parts.push(digits ? el('a', { ...attrs, href: `tel:${digits}${pause}`, class: 'ps-tel' }, p) : p);
  });
  return parts;
}

/** Only http(s) pages are links (the catalog reader checks it; the page does not trust it). */
const isWebPage = (url) => /^https?:\/\/[^\s"<>\\]+$/i.test(url);

/** 可拨打 12345 政务服务便民热线咨询或投诉, for when the catalog gives no phone. */
export function hotlineLine(tag = 'p') {
  return el(tag, { class: 'ps-contact-line ps-hotline' },
    '可拨打 ', el('a', { href: 'tel:12345', class: 'ps-tel' }, '12345'), ' 政务服务便民热线咨询或投诉');
}

/**
 * How to reach whoever handles the item (item.contact: the catalog's bodies table, the item's
 * own 咨询电话 and 办理地点 first): phone as tel: links, address as plain text, office hours,
 * the web page (http(s) only), the item's 监督电话; the 12345 hotline when no phone is known.
 */
export function renderContact(item) {
  const c = item.contact ?? {};
  const line = (label, ...value) => el('p', { class: 'ps-contact-line' },
    el('span', { class: 'ps-contact-label' }, label), ...value);
  const box = el('div', { class: 'ps-contact' });
  if (c.phone) box.append(line('电话：', phoneLinks(c.phone)));
  if (c.address) box.append(line('地址：', c.address));
  if (c.hours) box.append(line('办公时间：', c.hours));
  if (c.url && isWebPage(c.url)) {
    box.append(line('网页：', el('a', { href: c.url, rel: 'noopener', target: '_blank' }, c.url)));
  }
  if (item.complaint_phone) box.append(line('监督电话：', phoneLinks(item.complaint_phone)));
  if (!c.phone) box.append(hotlineLine());
  return box;
}

/** "行政处罚 · 城市管理 · 县级、乡级" */
function metaLine(item) {
  return el('span', { class: 'ps-meta' }, `${item.type} · ${item.field} · ${item.level.join('、')}`);
}

/**
 * The inside of one result row: name with <mark>ed matches, code and attributes, who handles
 * it. When the match was not in the name (a keyword or the legal basis), the everyday words
 * that contain the query are shown, so the reader sees why the item is here.
 */
export function renderHit(hit, { tree, region, query }) {
  const parts = [
    el('span', { class: 'ps-hit-name' }, highlighted(hit.name, hit.highlights)),
    el('span', { class: 'ps-hit-sub' }, el('span', { class: 'ps-code' }, hit.code), ' ', metaLine(hit)),
  ];
  const q = query.trim().toLowerCase();
  if (q && hit.highlights.length === 0) {
    const words = hit.keywords.filter((k) => k.toLowerCase().includes(q));
    if (words.length) parts.push(el('span', { class: 'ps-hit-why' }, `俗称：${words.join('、')}`));
  }
  parts.push(handlerLine(hit, tree, region, 'span'));
  // The handler's phone, dialled from the row (the row itself opens the item: a click on the
  // number does not; out of the tab order, as the row is one option of the list).
  if (hit.contact?.phone) {
    const stop = { click: (e) => e.stopPropagation() };
    parts.push(el('span', { class: 'ps-hit-phone' }, '电话：',
      phoneLinks(hit.contact.phone, { tabindex: '-1', on: stop })));
  }
  return parts;
}

/**
 * One article, paragraph by paragraph, with the cited paragraph or item emphasised (a tinted,
 * bordered block tagged 引用, so the emphasis survives printing in black and white). `cited` is
 * where the citation points (Basis.cited, CitedArticle.cited: indexes from 0), or nothing;
 * `tag` labels it (本事项引用 on an item's page, 所查款项 for a citation query).
 */
export function renderArticle(paragraphs, cited, tag = '本事项引用') {
  const at = cited ?? { paragraph: null, item: null };
  const box = el('div', { class: 'ps-article' });
  let tagged = false;
  const line = (cls, text, isCited) => {
    const p = el('p', { class: isCited ? `${cls} ps-cited` : cls });
    if (isCited && !tagged) {
      p.append(el('span', { class: 'ps-cited-tag' }, tag));
      tagged = true;
    }
    p.append(text);
    return p;
  };
  paragraphs.forEach((para, pi) => {
    const whole = at.paragraph === pi && at.item == null;
    if (para.text) box.append(line('ps-para', para.text, whole));
    para.items.forEach((text, ii) => box.append(line('ps-para-item', text, whole || (at.paragraph === pi && at.item === ii))));
  });
  return box;
}

/** A plain list of item links ("other items citing this article"). */
export function renderItemLinks(items, link) {
  return el('ul', { class: 'ps-links' }, items.map((it) => el('li', {},
    link(it.code, [el('span', { class: 'ps-code' }, it.code), ' ', it.name]))));
}

/**
 * How to reach a body in a table cell: its phone as tel: links and its address as text; the
 * 12345 hotline when no phone is known.
 */
function contactCell(contact) {
  const c = contact ?? {};
  return [
    c.phone ? el('span', { class: 'ps-cell-line' }, phoneLinks(c.phone)) : el('span', { class: 'ps-cell-line ps-hotline' },
      el('a', { href: 'tel:12345', class: 'ps-tel' }, '12345'), '（政务服务热线）'),
    c.address ? el('span', { class: 'ps-cell-line ps-cell-address' }, c.address) : null,
  ];
}

/**
 * Who handles an item in each township of the county, and how to reach each body there
 * (RegionHandler.contact): a table, the reader's row marked.
 */
export function renderHandlers(rows, { region, caption }) {
  return el('table', { class: 'ps-table' },
    el('caption', {}, caption),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col' }, '地区'), el('th', { scope: 'col' }, '办理机关'), el('th', { scope: 'col' }, '方式'),
      el('th', { scope: 'col' }, '联系方式'))),
    el('tbody', {}, rows.map((r) => el('tr', { class: r.code === region ? 'ps-here' : null, 'aria-current': r.code === region ? 'location' : null },
      el('th', { scope: 'row' }, r.name, r.code === region ? el('span', { class: 'ps-here-tag' }, '（所在地）') : null),
      el('td', { 'data-label': '办理机关' }, r.handled_by),
      el('td', { 'data-label': '方式' }, r.own ? (r.handled_mode || '本级办理') : '由上级部门办理'),
      el('td', { class: 'ps-contact-cell', 'data-label': '联系方式' }, contactCell(r.contact))))));
}
