// "What changed since version X" (自X版以来的变化): when the build provides a previous version's
// index (versions.json, written by scripts/build.sh), a button beside the catalog version fetches
// it — only when pressed — and shows the changes grouped by kind. Item pages then note how the
// item changed. And 法律修订影响 (renderAmendment): what a new text of a cited law changes.
// Catalog strings are text nodes only (el()).
import { el, t } from './dom.js';
import { loadIndex } from './loader.js';
import { loadAdmin } from './admin-loader.js';

/**
 * Reads versions.json; null when there is none, or it describes another catalog version. Offline
 * there is no comparison to offer (the older index is fetched on demand), so nothing is asked.
 */
export async function previousVersion(currentVersion, url = 'versions.json') {
  if (navigator.onLine === false) return null;
  try {
    const resp = await fetch(url);
    if (!resp.ok) return null;
    const v = await resp.json();
    const prev = v && v.previous;
    if (!prev || typeof prev.index !== 'string' || !prev.version || v.current !== currentVersion) return null;
    return { version: String(prev.version), date: String(prev.date || ''), index: prev.index };
  } catch {
    return null;
  }
}

/**
 * Loads the previous index and compares it with `loaded` (what loadIndex resolved to), both in
 * the maintainer's module: resolves to the Diff (see pkg/admin/powerlist.d.ts).
 */
export async function loadChanges(loaded, prev) {
  const older = await loadIndex(prev.index);
  const [now, then] = await Promise.all([loadAdmin(loaded), loadAdmin(older)]);
  return now.diff(then);
}

const handling = (h) => (h ? h.label : '（无）');

/** Rows a group of the changes panel lists; the rest are counted (powerlist diff lists all). */
const ROW_LIMIT = 300;

/**
 * Whether the diff compares two different catalogs rather than two versions of one: another
 * name, or more items added and removed than the newer catalog has (`items`).
 */
export function unrelated(diff, items) {
  const c = diff.counts;
  return Boolean(diff.old.name && diff.new.name && diff.old.name !== diff.new.name)
    || (items > 0 && c.added + c.removed > items);
}

/**
 * The changes panel. `link(code, children)` makes an item link; removed items and older codes
 * are plain text (they are not in this catalog). `items`: the newer catalog's item count. Each
 * group lists at most ROW_LIMIT rows; two catalogs that are not versions of one are said to be
 * so above the counts.
 */
export function renderChanges(diff, { link, onClose, headingId, items = 0 }) {
  const c = diff.counts;
  // Rows are made only for what is listed (a comparison with an unrelated 100k catalog had 113k).
  const groups = [
    ['新增事项', c.added, diff.added, (x) => el('li', {}, link(x.code, [code(x.code), ' ', x.name]))],
    ['删除事项', c.removed, diff.removed, (x) => el('li', {}, code(x.code), ' ', x.name)],
    ['编码变更', c.recoded, diff.recoded, (x) => el('li', {}, code(x.old_code), ' → ', link(x.new_code, [code(x.new_code), ' ', x.name]))],
    ['更名', c.renamed, diff.renamed, (x) => el('li', {}, link(x.code, [code(x.code), ' ', x.new_name]), el('span', { class: 'changes-was' }, t`原名称：${x.old_name}`))],
    ['法律依据变更', c.rebased, diff.rebased, (x) => el('li', {}, link(x.code, [code(x.code), ' ', x.name]),
      el('span', { class: 'changes-was' }, '原：', x.old.length ? x.old.map((s, i) => [i ? '、' : null, s]) : '（无）'),
      el('span', { class: 'changes-now' }, '现：', x.new.length ? x.new.map((s, i) => [i ? '、' : null, s]) : '（无）'))],
    ['其他变更', c.changed, diff.changed, (x) => el('li', {}, link(x.code, [code(x.code), ' ', x.name]),
      x.changes.map((ch) => el('span', { class: 'changes-was' }, ch.label, '：', ch.old || '（无）', ' → ', ch.new || '（无）')))],
    ['法律文本变更', c.laws, diff.laws, (x) => el('li', {}, x.summary,
      x.items.length ? el('span', { class: 'changes-now' }, '引用的事项：', x.items.map((k, i) => [i ? '、' : null, link(k, [code(k)])])) : null)],
  ];
  const counts = [['新增', c.added], ['删除', c.removed], ['编码变更', c.recoded], ['更名', c.renamed],
    ['依据变更', c.rebased], ['其他变更', c.changed], ['分工变更', c.reassigned], ['法律文本变更', c.laws]];
  const panel = el('div', { class: 'changes' },
    el('div', { class: 'changes-head' },
      el('h2', { id: headingId, tabindex: '-1' }, `自${diff.old.version}版以来的变化`),
      el('button', { type: 'button', class: 'ps-button', on: { click: onClose } }, '关闭')),
    el('p', { class: 'changes-versions' }, `${diff.old.version}${diff.old.date ? `（${diff.old.date}）` : ''} → ${diff.new.version}${diff.new.date ? `（${diff.new.date}）` : ''}`));
  if (unrelated(diff, items)) {
    panel.append(el('p', { class: 'ps-error-line changes-unrelated', role: 'alert' },
      '这两个索引不像是同一份清单的两个版本（', t`旧：${diff.old.name || '（未命名）'}`, '；',
      t`新：${diff.new.name || '（未命名）'}`, '），大部分事项互不对应，下面的比较多半没有意义。请确认选择的是本清单的旧版索引。'));
  }
  panel.append(el('ul', { class: 'changes-counts' }, counts.map(([k, n]) => el('li', { 'data-kind': k }, `${k} `, el('strong', {}, String(n))))));
  if (Object.values(c).every((n) => n === 0)) {
    panel.append(el('p', { class: 'ps-hint' }, '两个版本的事项和分工相同。'));
    return panel;
  }
  for (const [title, n, list, row] of groups) {
    if (!n) continue;
    const rows = list.slice(0, ROW_LIMIT).map(row);
    if (list.length > ROW_LIMIT) {
      rows.push(el('li', { class: 'ps-hint changes-more' }, `还有 ${list.length - ROW_LIMIT} 项未列出（用 powerlist diff 命令可查看全部）`));
    }
    panel.append(el('section', { class: 'changes-group' }, el('h3', {}, `${title}（${n}）`), el('ul', { class: 'ps-links' }, rows)));
  }
  if (c.reassigned) {
    panel.append(el('section', { class: 'changes-group' },
      el('h3', {}, `分工变更（${c.reassigned} 处，${diff.reassigned.length} 个地区）`),
      diff.reassigned.slice(0, ROW_LIMIT).map((r) => el('details', { class: 'changes-region' },
        el('summary', {}, r.name, `（${r.changes.length} 处）`),
        el('ul', { class: 'ps-links' }, r.changes.slice(0, ROW_LIMIT).map((x) => el('li', {}, link(x.code, [code(x.code), ' ', x.name]),
          el('span', { class: 'changes-was' }, handling(x.old), ' → ', handling(x.new))))))),
      diff.reassigned.length > ROW_LIMIT ? el('p', { class: 'ps-hint changes-more' }, `还有 ${diff.reassigned.length - ROW_LIMIT} 个地区未列出`) : null));
  }
  return panel;
}

function code(s) {
  return el('span', { class: 'ps-code' }, s);
}

/** What the diff says about one item of this version, as short lines (none: unchanged). */
export function itemChanges(diff, code) {
  const out = [];
  if (diff.added.some((x) => x.code === code)) out.push('本版本新增的事项。');
  for (const x of diff.recoded) if (x.new_code === code) out.push(`编码由 ${x.old_code} 变更为 ${x.new_code}。`);
  for (const x of diff.renamed) if (x.code === code) out.push(`原名称：${x.old_name}`);
  for (const x of diff.rebased) if (x.code === code) out.push(`法律依据原为：${x.old.join('、') || '（无）'}`);
  for (const x of diff.laws) if (x.items.includes(code)) out.push(`所引法律文本：${x.summary}`);
  for (const x of diff.changed) {
    if (x.code !== code) continue;
    for (const ch of x.changes) out.push(`${ch.label}原为：${ch.old || '（无）'}`);
  }
  const regions = diff.reassigned.filter((r) => r.changes.some((x) => x.code === code)).map((r) => r.name);
  if (regions.length) out.push(`分工有变化的地区：${regions.join('、')}`);
  return out;
}

/** The statuses of a cited unit (Amendment.units[].status), as the report names them. */
const UNIT_STATUS = { unchanged: '未变', changed: '修改', moved: '移动', gone: '删除' };

/**
 * 法律修订影响: what a new text of a cited law changes (index.amendment(bytes), the maintainer
 * module; the same as `powerlist amend`): the counts, then a table of the cited articles,
 * paragraphs and items that changed, moved or are gone — how their text changed, where they
 * went, the items citing them (links to their pages) — and the unchanged ones folded below.
 * `file`: the chosen file's name. Every string is a text node.
 */
export function renderAmendment(a, { file, link, onClose, headingId }) {
  const c = a.counts;
  const panel = el('div', { class: 'changes amend' },
    el('div', { class: 'changes-head' },
      el('h2', { id: headingId, tabindex: '-1' }, '法律修订影响：', t`《${a.law}》`),
      el('button', { type: 'button', class: 'ps-button', on: { click: onClose } }, '关闭')),
    el('p', { class: 'changes-versions' }, t`新文本：${a.new_title}（${file}）`, `；条文 ${a.old_articles} 条 → ${a.new_articles} 条`),
    el('ul', { class: 'changes-counts' }, [['被引用的条款', c.units], ['未变', c.unchanged], ['修改', c.changed], ['移动', c.moved],
      ['删除', c.gone], ['待复核事项', c.items]].map(([k, n]) => el('li', { 'data-kind': k }, `${k} `, el('strong', {}, String(n))))));
  const review = a.units.filter((u) => u.status !== 'unchanged');
  if (!review.length) {
    panel.append(el('p', { class: 'ps-hint' }, '新文本没有改动本清单引用的条款。'));
  } else {
    panel.append(el('table', { class: 'amend-table' },
      el('thead', {}, el('tr', {}, ['条款', '变化', '新文本', '引用事项'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, review.map((u) => amendRow(u, link)))));
  }
  const same = a.units.filter((u) => u.status === 'unchanged');
  if (same.length) {
    panel.append(el('details', { class: 'amend-same' }, el('summary', {}, `未变的条款（${same.length}）`),
      el('ul', { class: 'ps-links' }, same.map((u) => el('li', {}, u.old.label, '：',
        u.items.map((x, i) => [i ? '、' : null, link(x.code, [code(x.code), ' ', x.name])]))))));
  }
  return panel;
}

/** One row of the amendment table: a unit that changed, moved or is gone. */
function amendRow(u, link) {
  const where = u.new && u.new.label !== u.old.label ? `→ ${u.new.label}` : null;
  const how = u.status === 'gone' ? '新文本中没有相同或相近的条文'
    : u.text_changed ? `文字修改，相似度 ${u.similarity.toFixed(2)}` : '文字未变';
  let text;
  if (u.status === 'gone') {
    text = [el('p', { class: 'changes-was' }, '原：', u.old_text),
      u.now_at_old_number === null ? null : el('p', { class: 'changes-now' }, `新文本${u.old.label}：`, u.now_at_old_number)];
  } else if (u.edits.length) {
    text = el('p', { class: 'amend-diff' }, u.edits.map((e) => (e.kind === 'same' ? e.text
      : el(e.kind === 'delete' ? 'del' : 'ins', {}, e.text))));
  } else {
    text = el('p', {}, u.new_text);
  }
  return el('tr', { 'data-status': u.status },
    el('th', { scope: 'row', 'data-label': '条款' }, u.old.label),
    el('td', { 'data-label': '变化' }, el('strong', {}, UNIT_STATUS[u.status]), where ? [' ', where] : null, el('span', { class: 'changes-was' }, how)),
    el('td', { 'data-label': '新文本' }, text),
    el('td', { 'data-label': '引用事项' }, el('ul', { class: 'ps-links' }, u.items.map((x) => el('li', {}, link(x.code, [code(x.code), ' ', x.name]))))));
}
