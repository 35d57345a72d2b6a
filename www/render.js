// Builds the DOM for search results, "who handles it", legal bases and article texts.
// Pure functions of their data: no index calls, no state. Catalog strings are text nodes only.
import { el, highlighted } from './dom.js';

/** "在戴窑镇由 戴窑镇综合行政执法局 办理（赋权）", or the default department when no region is chosen. */
export function handlerLine(item, tree, region, tag = 'p') {
  if (!region) {
    return el(tag, { class: 'ps-handler ps-handler-default' },
      el('span', { class: 'ps-handler-label' }, '实施主体：'), el('strong', {}, item.department));
  }
  const how = [];
  if (item.handled_mode) how.push(item.handled_mode);
  if (!item.handled_region) how.push('默认实施主体');
  else if (item.handled_region !== region) how.push(`按${tree.name(item.handled_region)}的分工`);
  return el(tag, { class: 'ps-handler' },
    el('span', { class: 'ps-handler-label' }, `在${tree.name(region)}由 `),
    el('strong', {}, item.handled_by),
    ' 办理',
    how.length ? el('span', { class: 'ps-handler-how' }, `（${how.join('，')}）`) : null);
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

/** Who handles an item in each township of the county: a table, the reader's row marked. */
export function renderHandlers(rows, { region, caption }) {
  return el('table', { class: 'ps-table' },
    el('caption', {}, caption),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col' }, '地区'), el('th', { scope: 'col' }, '办理机关'), el('th', { scope: 'col' }, '方式'))),
    el('tbody', {}, rows.map((r) => el('tr', { class: r.code === region ? 'ps-here' : null, 'aria-current': r.code === region ? 'location' : null },
      el('th', { scope: 'row' }, r.name, r.code === region ? el('span', { class: 'ps-here-tag' }, '（所在地）') : null),
      el('td', {}, r.handled_by),
      el('td', {}, r.own ? (r.handled_mode || '本级办理') : '由上级部门办理')))));
}
