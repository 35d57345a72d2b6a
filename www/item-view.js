// The item page: who handles it here and how to reach that body, facts (and, on request, who
// handles it in every township of the county, with contacts),
// every legal basis with the full article text, the other items citing the same article, the
// responsibility list (责任清单) when the catalog gives one, possible overlaps (多头执法) and,
// when the app has compared versions, how the item changed.
import { el, t } from './dom.js';
import { REGION_LEVELS, today } from './text.js';
import { handlerLine, renderArticle, renderContact, renderHandlers, renderItemLinks, renderPeriods } from './render.js';

/**
 * `ctx`: { index (loader.js SearchIndex), tree, region, related (Map: an article's citation →
 * the other items citing it, asked for by the view), link(code, children) → Node, onBack(),
 * admin() → Promise of the maintainer module's PowerIndex (optional), print() (optional: the
 * 打印 button; window.print() without it) }.
 * Returns an <article>; its heading has tabindex=-1 so the caller can move focus to it.
 */
export function renderItemPage(item, ctx) {
  const headingId = `${ctx.idPrefix}item-title`;
  return el('article', { class: 'ps-item', 'aria-labelledby': headingId },
    nav(ctx),
    el('p', { class: 'ps-item-kicker' }, el('span', { class: 'ps-code' }, item.code), ' ', item.type, ' · ', item.field),
    el('h2', { id: headingId, class: 'ps-item-title', tabindex: '-1' }, item.name),
    reach(item, ctx),
    facts(item, Boolean(ctx.region)),
    everyTownship(item, ctx),
    bases(item, ctx),
    responsibility(item),
    moreInfo(item, ctx));
}

/** The page for a code that is not in the catalog (an old or mistyped link). */
export function renderMissingItem(code, ctx) {
  const headingId = `${ctx.idPrefix}item-title`;
  return el('article', { class: 'ps-item', 'aria-labelledby': headingId },
    nav(ctx),
    el('h2', { id: headingId, class: 'ps-item-title', tabindex: '-1' }, `没有编码为“${code}”的事项`),
    el('p', {}, '这个链接里的事项编码不在当前清单中，可能已调整或输错。请用名称、关键词或编码重新检索。'));
}

function nav(ctx) {
  return el('div', { class: 'ps-item-nav' },
    el('button', { type: 'button', class: 'ps-button', on: { click: () => ctx.onBack() } }, '← 返回结果'),
    el('button', { type: 'button', class: 'ps-button ps-print', on: { click: () => (ctx.print ?? (() => window.print()))() } }, '打印'));
}

/**
 * The first screen, the answer for the chosen township: who handles the item there (在戴窑镇由 …
 * 办理) and how to reach that body; the 12345 hotline when the catalog gives no phone. Without
 * a township, the catalog's 实施主体 is named as what it is (目录所列), not as the answer, with
 * how to choose one.
 */
function reach(item, ctx) {
  const box = el('section', { class: 'ps-reach', 'aria-label': '办理机关及联系方式' });
  if (ctx.region) {
    box.append(handlerLine(item, ctx.tree, ctx.region));
    // The documents and dates behind it, and what was taken back (上收) and when.
    const periods = renderPeriods(item, ctx.region);
    if (periods) box.append(periods);
  } else {
    box.append(el('p', { class: 'ps-reach-choose' }, '在上方“所在地”中选择您所在的乡镇（街道），即可看到本地的办理机关及联系方式。'),
      el('p', { class: 'ps-handler ps-handler-default' },
        el('span', { class: 'ps-handler-label' }, '目录所列实施主体：'), item.department));
  }
  box.append(renderContact(item));
  return box;
}

/** The catalog's facts; its 实施主体 among them when the top block named the local handler instead. */
function facts(item, department) {
  const rows = [
    ['事项编码', item.code],
    ['事项类型', item.type],
    ['所属领域', item.field],
    ['行使层级', item.level.join('、')],
    ['目录所列实施主体', department ? item.department : ''],
    ['备注', item.note],
  ].filter(([, v]) => v);
  return el('dl', { class: 'ps-facts' }, rows.map(([k, v]) => el('div', {}, el('dt', {}, k), el('dd', {}, v))));
}

/**
 * Who handles the item in every township of the county (or every county of a city…), with each
 * body's contact: what the top block does not say. Only with a region (the top block says how
 * to choose one); the table is built when asked for.
 */
function everyTownship(item, ctx) {
  const { tree, region } = ctx;
  if (!region) return null;
  // Every township of the county (or every county of a city…), built only when asked for.
  const depth = tree.depth(region);
  const levels = tree.levels();
  const listed = Math.min(depth + 1, levels - 1);
  const scope = depth >= levels - 1 ? tree.path(region).at(-2) : tree.path(region).at(-1);
  if (!scope || listed <= 0) return null;
  const label = t`${scope.name}各${REGION_LEVELS[listed].label}由谁办理`;
  const box = el('section', { class: 'ps-box ps-who', 'aria-label': '各地办理机关' }, el('h3', {}, '各地办理机关'),
    el('p', { class: 'ps-hint' }, '所在地：', tree.path(region).map((r, i) => [i ? ' › ' : null, r.name])));
  const panelId = `${ctx.idPrefix}handlers`;
  const panel = el('div', { id: panelId, class: 'ps-handlers', hidden: true });
  // Filled on first opening; a chunked index may first download the county's assignments.
  const fill = () => {
    panel.replaceChildren(el('p', { class: 'ps-hint', role: 'status' }, '正在加载…'));
    ctx.index.handlers(item.code, region, today()).then(
      (handlers) => panel.replaceChildren(renderHandlers(handlers, { region, caption: label })),
      (err) => panel.replaceChildren(el('p', { class: 'ps-error-line' }, `无法列出：${err.what ?? err.message}`)));
  };
  const button = el('button', {
    type: 'button', class: 'ps-button', 'aria-expanded': 'false', 'aria-controls': panelId,
    on: {
      click: () => {
        const open = button.getAttribute('aria-expanded') !== 'true';
        if (open && !panel.firstChild) fill();
        panel.hidden = !open;
        button.setAttribute('aria-expanded', String(open));
      },
    },
  }, '查看', label);
  box.append(button, panel);
  return box;
}

function bases(item, ctx) {
  const section = el('section', { class: 'ps-bases', 'aria-label': '法律依据' }, el('h3', {}, `法律依据（${item.bases.length}）`));
  if (!item.bases.length) {
    section.append(el('p', { class: 'ps-hint' }, '清单未列明本事项的法律依据。'));
    return section;
  }
  for (const b of item.bases) {
    section.append(el('div', { class: 'ps-basis' },
      el('h4', {}, b.versioned_citation),
      supersededNote(b),
      renderArticle(b.paragraphs, b.cited),
      related(item, b, ctx)));
  }
  return section;
}

/**
 * 责任清单: the duties in exercising the power (责任事项) and what leads to accountability
 * (追责情形), one entry a line as the catalog lists them; only when the catalog gives them.
 */
function responsibility(item) {
  const parts = [['责任事项', item.duties], ['追责情形', item.accountability]].filter(([, list]) => list?.length);
  if (!parts.length) return null;
  return el('section', { class: 'ps-responsibility', 'aria-label': '责任清单' }, el('h3', {}, '责任清单'),
    parts.map(([title, list]) => [el('h4', {}, title), el('ul', { class: 'ps-duties' }, list.map((entry) => el('li', {}, entry)))]));
}

/**
 * A law whose text a newer one has replaced (the catalog's 已被修订 declaration): said before the
 * older text it quotes, with the catalog's note.
 */
function supersededNote(b) {
  const s = b.superseded;
  if (!s) return null;
  return el('p', { class: 'ps-superseded', role: 'note' },
    el('strong', {}, t`该法律法规已于${s.date}修订`), '，下列条文为修订前的文本，请以现行文本为准。',
    s.note ? el('span', { class: 'ps-superseded-note' }, s.note) : null);
}

/** Other items citing the same article (a citation search for the article, 《law》第N条). */
function related(item, basis, ctx) {
  const hits = ctx.related?.get(basis.article_citation) ?? [];
  const box = el('div', { class: 'ps-related' });
  if (!hits.length) {
    box.append(el('p', { class: 'ps-hint' }, '没有其他事项引用本条。'));
    return box;
  }
  box.append(el('p', { class: 'ps-related-title' }, `同样引用本条的其他事项（${hits.length}）`), renderItemLinks(hits, ctx.link));
  return box;
}

/**
 * 更多信息: what an officer or the list's maintainer needs and a citizen does not — how the item
 * changed in this version, its keyword list, possible overlaps — folded at the end of the page
 * (open at first in the officer view, ctx.officer).
 */
function moreInfo(item, ctx) {
  const parts = [changeNote(item, ctx), keywords(item), overlaps(item, ctx)].filter(Boolean);
  if (!parts.length) return null;
  return el('details', { class: 'ps-more-info', open: Boolean(ctx.officer) },
    el('summary', {}, '更多信息', el('span', { class: 'ps-more-info-sub' }, '（供执法人员和清单维护人员参考）')),
    parts);
}

/** The everyday words the catalog lists for the item (what the search also matches). */
function keywords(item) {
  if (!item.keywords.length) return null;
  return el('dl', { class: 'ps-facts ps-keywords' },
    el('div', {}, el('dt', {}, '俗称关键词'), el('dd', {}, item.keywords.join('、'))));
}

/** 此版本中变化: what the version comparison says about this item (only once the app has it). */
function changeNote(item, ctx) {
  const note = ctx.itemNote?.(item.code);
  if (!note || !note.lines.length) return null;
  return el('aside', { class: 'ps-box ps-changed', 'aria-label': '此版本中变化' },
    el('h3', {}, `此版本中变化（与${note.since}版相比）`),
    el('ul', { class: 'ps-links' }, note.lines.map((line) => el('li', {}, line))));
}

const OVERLAP_TITLE = {
  same_unit: '引用同一条款项的同类事项（可能是多头执法）',
  same_article: '引用同一条文其他款项的同类事项（多为一条罚则对应不同行为）',
};

/**
 * 可能的多头执法/重复事项: same-type items citing its articles, and near-identical names. A
 * maintainer's question, answered by the maintainer module: listed when the reader asks (the
 * module is fetched then, the first time). None when the host gave no `ctx.admin`.
 */
function overlaps(item, ctx) {
  if (!ctx.admin) return null;
  const panelId = `${ctx.idPrefix}overlaps`;
  const panel = el('div', { id: panelId, class: 'ps-overlaps-list', hidden: true });
  const button = el('button', { type: 'button', class: 'ps-button', 'aria-expanded': 'false', 'aria-controls': panelId },
    '查看引用同一条文的同类事项和名称相近的事项');
  let listed = false;
  button.addEventListener('click', async () => {
    const open = button.getAttribute('aria-expanded') !== 'true';
    button.setAttribute('aria-expanded', String(open));
    panel.hidden = !open;
    if (!open || listed) return;
    listed = true;
    panel.replaceChildren(el('p', { class: 'ps-hint', role: 'status' }, '正在查找…'));
    try {
      const admin = await ctx.admin();
      panel.replaceChildren(...overlapList(admin.overlaps(item.code, ctx.region || undefined), ctx));
    } catch (err) {
      listed = false;
      panel.replaceChildren(el('p', { class: 'ps-error-line', role: 'alert' }, `无法列出：${err.what ?? err.message}`));
    }
  });
  return el('section', { class: 'ps-box ps-overlaps', 'aria-label': '可能的多头执法/重复事项' },
    el('h3', {}, '可能的多头执法/重复事项'), button, panel);
}

/** The overlaps `o` (ItemOverlaps) as paragraphs and lists. */
function overlapList(o, ctx) {
  if (!o.shared.length && !o.similar.length) {
    return [el('p', { class: 'ps-hint' }, '没有引用同一条文的同类事项，也没有名称相近的事项。')];
  }
  const where = ctx.region ? t`在${ctx.tree.name(ctx.region)}` : ['按默认实施主体'];
  const out = [el('p', { class: 'ps-hint' }, where, t`，本事项由 ${o.handled_by} 行使。`)];
  for (const level of ['same_unit', 'same_article']) {
    const list = o.shared.filter((s) => s.level === level);
    if (!list.length) continue;
    out.push(el('p', { class: 'ps-related-title' }, `${OVERLAP_TITLE[level]}（${list.length}）`),
      el('ul', { class: 'ps-links', 'data-level': level }, list.map((s) => el('li', { class: s.same_body ? null : 'ps-other-body' },
        ctx.link(s.code, [el('span', { class: 'ps-code' }, s.code), ' ', s.name]),
        el('span', { class: 'ps-overlap-why' }, ' 同引', s.provisions.map((p, i) => [i ? '、' : null, p]), t`，由 ${s.handled_by} 行使`, s.same_body ? '（同一机关）' : '（不同机关）')))));
  }
  if (o.similar.length) {
    out.push(el('p', { class: 'ps-related-title' }, `名称相近的同类事项（${o.similar.length}）`),
      el('ul', { class: 'ps-links', 'data-level': 'similar' }, o.similar.map((s) => el('li', {},
        ctx.link(s.code, [el('span', { class: 'ps-code' }, s.code), ' ', s.name]),
        el('span', { class: 'ps-overlap-why' }, ` 相似度 ${Math.round(s.similarity * 100)}%`)))));
  }
  return out;
}
