// 打印本地清单: one township's or county's list of powers, for printing and publication
// (list.html?region=CODE[&index=URL]). Which items the region exercises itself and which are
// handled above comes from PowerIndex.localList, the Rust function `powerlist export --html`
// prints, in the maintainer module (admin-loader.js). Every catalog string is rendered as text.
import { loadIndex } from './loader.js';
import { loadAdmin } from './admin-loader.js';
import { el, isolatedText, setText, t } from './dom.js';
import { applyPrefs, bindToggle } from './prefs.js';
import { showForeign } from './foreign.js';
import { today } from './text.js';

applyPrefs();
bindToggle(document.getElementById('big-toggle'), 'big');

const params = new URLSearchParams(location.search);
const $ = (id) => document.getElementById(id);

const HEAD_OWN = ['序号', '事项编码', '事项名称', '事项类型', '承办主体', '实施依据'];
/** The column added when some item of the region's own has a responsibility list. */
const HEAD_DUTIES = '责任清单';
const HEAD_ABOVE = ['序号', '事项编码', '事项名称', '事项类型', '领域', '承办主体'];

/**
 * A table; each cell carries its column's name (data-label), which a phone shows before the
 * cell when the rows are drawn as cards (list.css).
 */
function table(head, rows) {
  for (const tr of rows) [...tr.children].forEach((td, i) => td.setAttribute('data-label', head[i]));
  return el('table', {},
    el('thead', {}, el('tr', {}, head.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows));
}

/** The list's errors in Chinese: what happened, what to do, and the technical text apart. */
class ListError extends Error {
  constructor(what, todo, detail) {
    super(what);
    this.what = what;
    this.todo = todo;
    this.detail = detail;
  }
}

/**
 * The region `code` (a division code) of the index, or a ListError saying why not. A township
 * a large chunked index does not list is looked for among its county's (index.regionsNear).
 */
async function findRegion(index, code) {
  if (!code) throw new ListError('没有指定地区。', '请在检索页选择一个乡镇（街道）或县（市、区），再打开本地清单。');
  let region = index.meta.regions.find((r) => r.code === code || r.name === code);
  if (!region && index.meta.regions.some((r) => r.more)) {
    region = (await index.regionsNear(code).catch(() => [])).find((r) => r.code === code || r.name === code);
  }
  if (!region) {
    throw new ListError(`清单中没有编码为“${code}”的行政区划。`, '这个链接里的地区编码可能输错或已调整。请回到检索页重新选择所在地，再打开本地清单。');
  }
  return region;
}

/** A maintainer-module error as a ListError. */
function listError(err, region) {
  const detail = err.detail ?? err.message;
  if (/exercises no item itself/.test(err.message)) {
    return new ListError(`${region.name}（${region.code}）本级没有行使的事项，没有可打印的本地清单。`,
      '请选择有事项分工的乡镇（街道）或县（市、区）。', detail);
  }
  return new ListError(err.what ?? '无法生成本地清单。', err.todo ?? '请刷新页面重试；如果仍然如此，请联系网站管理员。', detail);
}

/** The 责任清单 cell: 责任事项 and 追责情形, one entry a line (as `export --html` prints it). */
function duties(item) {
  const parts = [['责任事项', item.duties], ['追责情形', item.accountability]].filter(([, list]) => list?.length);
  if (!parts.length) return el('p', {}, '（未列明）');
  return parts.map(([title, list]) => [el('p', {}, title), el('ul', {}, list.map((entry) => el('li', {}, entry)))]);
}

function ownRow(item, n, withDuties) {
  const body = item.handled_mode ? t`${item.handled_by}（${item.handled_mode}）` : item.handled_by;
  const bases = item.bases.length
    ? item.bases.map((b) => [el('p', {}, b.versioned_citation),
      b.superseded ? el('p', { class: 'superseded' }, t`该法律法规已于${b.superseded.date}修订，下列条文为修订前的文本，请以现行文本为准。`) : null,
      el('blockquote', {}, b.cited_text ?? b.text)])
    : el('p', {}, '（未列明）');
  return el('tr', {},
    el('td', { class: 'n' }, String(n)),
    el('td', { class: 'code' }, item.code),
    el('td', {}, item.name),
    el('td', { class: 'kind' }, item.type),
    el('td', {}, body),
    el('td', { class: 'basis' }, bases),
    withDuties ? el('td', { class: 'duties' }, duties(item)) : null);
}

function render(list, info) {
  const name = info.name || '权力清单';
  document.title = `${isolatedText(list.full_name)} · ${isolatedText(name)}`;
  // Each catalog string its own text (dom.js: isolated, so an RLO in a name cannot reverse the code).
  setText($('title'), name);
  setText($('region'), list.full_name, '（', el('span', { class: 'code' }, list.code), '）');
  setText($('meta'), [info.version && t`版本 ${info.version}`, info.date && t`日期 ${info.date}`,
    [`本级行使 ${list.own.length} 项，由上级行使 ${list.above.length} 项`]].filter(Boolean).map((p, i) => [i ? ' · ' : null, p]));
  const byField = new Map();
  for (const it of list.own) {
    if (!byField.has(it.field)) byField.set(it.field, []);
    byField.get(it.field).push(it);
  }
  let n = 0;
  const withDuties = list.own.some((it) => it.duties?.length || it.accountability?.length);
  const head = withDuties ? [...HEAD_OWN, HEAD_DUTIES] : HEAD_OWN;
  const sections = [...byField.keys()].sort().map((field) => {
    const items = byField.get(field);
    return el('section', { class: 'field' },
      el('h2', {}, field, `（${items.length} 项）`),
      table(head, items.map((it) => ownRow(it, ++n, withDuties))));
  });
  const above = el('section', { class: 'above' },
    el('h2', {}, `由上级部门行使的事项（${list.above.length} 项）`),
    table(HEAD_ABOVE, list.above.map((it, i) => el('tr', {},
      el('td', { class: 'n' }, String(i + 1)), el('td', { class: 'code' }, it.code), el('td', {}, it.name),
      el('td', { class: 'kind' }, it.type), el('td', {}, it.field), el('td', {}, it.handled_by)))));
  $('list').replaceChildren(...sections, above);
  const print = $('print');
  print.hidden = false;
  print.addEventListener('click', () => window.print());
}

async function main() {
  const indexUrl = params.get('index') || 'catalog/';
  const back = new URL('./', location.href);
  if (params.get('region')) back.searchParams.set('region', params.get('region'));
  if (params.get('index')) back.searchParams.set('index', indexUrl);
  $('back').href = back.pathname + back.search;
  showForeign($('foreign'), null);
  try {
    const loaded = await loadIndex(indexUrl);
    await loaded.checked; // a list for printing is shown only from a fully checked index
    const region = await findRegion(loaded.index, params.get('region'));
    const admin = await loadAdmin(loaded);
    let list;
    try {
      list = admin.localList(region.code, today());
    } catch (err) {
      throw listError(err, region);
    }
    render(list, loaded.index.meta.info.catalog);
    showForeign($('foreign'), loaded.index.meta.info);
  } catch (err) {
    // Load errors (loader.js LoadError) say what and what to do in Chinese; so do ours; anything
    // else is said as a failure, its own text kept as technical information.
    const what = err.what ?? '无法生成本地清单。';
    const detail = err.what ? err.detail : err.message;
    $('title').textContent = '无法显示本地清单';
    $('list').replaceChildren(el('div', { class: 'error', role: 'alert' },
      el('p', { class: 'error-what' }, what),
      err.todo ? el('p', {}, '怎么办：', err.todo) : null,
      detail ? el('p', { class: 'error-detail' }, '技术信息：', el('code', {}, detail)) : null));
  }
}

main();
