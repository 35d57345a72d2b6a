// 形象化展示: the catalog at a glance, as labelled horizontal bar charts built with DOM nodes.
// Each chart is a real <table> (a caption, a row header and a number per row), so it reads
// correctly without the bars, prints, and needs no chart library. Bars are sized with
// element.style (allowed by the CSP, unlike style attributes).
import { el, t } from './dom.js';

/**
 * rows: [{ label, value, key }]; onPick(key) makes each row label a button (e.g. "browse this
 * field"); `current` marks one row. `unit` follows each number.
 */
export function barChart({ title, note, rows, onPick, current, unit = '项', pickLabel }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const body = rows.map((r) => {
    const bar = el('span', { class: 'chart-bar', 'aria-hidden': 'true' });
    bar.style.width = `${(100 * r.value) / max}%`;
    const isCurrent = current != null && r.key === current;
    const label = onPick
      ? el('button', { type: 'button', class: 'chart-pick', title: pickLabel ? pickLabel(r) : null, on: { click: () => onPick(r.key) } }, r.label)
      : r.label;
    return el('tr', { class: isCurrent ? 'chart-current' : null, 'aria-current': isCurrent ? 'true' : null },
      el('th', { scope: 'row' }, label),
      el('td', {}, el('span', { class: 'chart-track' }, bar), el('span', { class: 'chart-value' }, `${r.value} ${unit}`)));
  });
  return el('figure', { class: 'chart' },
    el('table', { class: 'chart-table' },
      el('caption', {}, title),
      el('thead', { class: 'visually-hidden' }, el('tr', {}, el('th', { scope: 'col' }, '类别'), el('th', { scope: 'col' }, '事项数'))),
      el('tbody', {}, body)),
    note ? el('figcaption', {}, note) : null);
}

const byValue = (obj) => Object.entries(obj).map(([label, value]) => ({ label, value, key: label })).sort((a, b) => b.value - a.value);

/**
 * The overview shown on the app's home: the catalog in one line (`info`, from the search module),
 * the printable list of the reader's township, and on request (查看统计图表, `open` when the
 * reader opened it before) the charts: items by field, type and level, and for the reader's
 * county how many items each township exercises itself. Their numbers are stats(), from the
 * maintainer module: `stats` when the page has them already (the charts are then drawn at once),
 * else `loadStats()` resolves to them, fetching the module the first time. `levels`: the levels
 * in order. `pick(partial)` applies a filter or region; `onToggle(open)` says the charts were
 * opened or closed.
 */
export function overview({ info, levels, tree, region, pick, stats = null, loadStats, open = false, onToggle = () => {} }) {
  const box = el('div', { id: 'overview-charts', class: 'overview-charts', hidden: !open });
  const button = el('button', {
    type: 'button', class: 'ps-button overview-toggle', 'aria-expanded': String(open), 'aria-controls': 'overview-charts',
  }, '查看统计图表');
  let shown = false;
  const draw = (s) => box.replaceChildren(charts({ s, levels, tree, region, pick }));
  const show = async () => {
    shown = true;
    if (stats) return draw(stats);
    box.replaceChildren(el('p', { class: 'ps-hint', role: 'status' }, '正在加载统计…'));
    try {
      draw(await loadStats());
    } catch (err) {
      shown = false;
      box.replaceChildren(el('p', { class: 'ps-error-line', role: 'alert' }, `无法显示统计：${err.what ?? err.message}`));
    }
  };
  button.addEventListener('click', () => {
    const opening = button.getAttribute('aria-expanded') !== 'true';
    button.setAttribute('aria-expanded', String(opening));
    box.hidden = !opening;
    onToggle(opening);
    if (opening && !shown) show();
  });
  if (open) show();
  return el('section', { class: 'overview', 'aria-labelledby': 'overview-title' },
    el('h2', { id: 'overview-title' }, '清单概览'),
    el('p', { class: 'overview-sub' }, `共 ${info.items} 项事项，引用 ${info.laws} 部法律法规的 ${info.articles_cited} 个条文。`),
    localListLink({ tree, region }),
    el('p', { class: 'overview-more' }, button),
    box);
}

/** The charts of the overview, from `s` (Stats); a category's row label browses it. */
function charts({ s, levels, tree, region, pick }) {
  const levelRows = levels.filter((l) => s.by_level[l]).map((l) => ({ label: l, value: s.by_level[l], key: l }));
  return el('div', {},
    el('p', { class: 'ps-hint' }, '点击类别可浏览其中的事项。'),
    el('div', { class: 'chart-grid' },
      barChart({ title: '各领域事项数', rows: byValue(s.by_field), onPick: (field) => pick({ field }), pickLabel: (r) => `浏览${r.label}领域的 ${r.value} 项事项` }),
      barChart({ title: '各类型事项数', rows: byValue(s.by_type), onPick: (type) => pick({ type }), pickLabel: (r) => `浏览 ${r.value} 项${r.label}事项` }),
      barChart({ title: '各层级行使的事项数', rows: levelRows, onPick: (level) => pick({ level }), note: '一项事项可由多个层级行使，故合计多于事项总数。' }),
      devolvedChart({ stats: s, tree, region, pick })),
    lawTable(s.law_texts));
}

/**
 * 法律法规: every law of the catalog with the version of its text (and where it was taken from),
 * whether a newer text has replaced it, and how many items cite it; rows as stats() orders them
 * (most cited first). The numbers are `powerlist stats`'s `laws` table.
 */
function lawTable(laws) {
  const superseded = laws.filter((l) => l.superseded).length;
  const rows = laws.map((l) => el('tr', { class: l.superseded ? 'law-superseded' : null },
    el('th', { scope: 'row' }, t`《${l.title}》`),
    el('td', {},
      l.version ? [t`${l.version.label}`, el('span', { class: 'law-date' }, t`（${l.version.date}）`)] : '版本不详',
      l.version?.source ? el('span', { class: 'law-source' }, t`来源：${l.version.source}`) : null,
      l.superseded ? el('span', { class: 'law-replaced' }, t`已被修订：${l.superseded.date}`,
        l.superseded.note ? el('span', { class: 'law-replaced-note' }, l.superseded.note) : null) : null),
    el('td', { class: 'law-items' }, `${l.items} 项`)));
  const title = `法律法规（${laws.length} 部）的文本版本及引用事项数`;
  // Folded (a row per law is long): the summary says how many texts have been replaced.
  return el('figure', { class: 'chart law-chart' },
    el('details', {},
      el('summary', {}, title),
      el('table', { class: 'law-table' },
        el('caption', { class: 'visually-hidden' }, title),
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, '法律法规'), el('th', { scope: 'col' }, '文本版本'), el('th', { scope: 'col' }, '引用事项'))),
        el('tbody', {}, rows))),
    el('figcaption', {}, superseded
      ? `其中 ${superseded} 部的文本已被修订（表中标有“已被修订”），引用它们的事项须对照新文本核对。`
      : '版本即清单所收文本的版本（修正、修订或公布的年份）。'));
}

/**
 * 打印本地清单: a link to the printable list (list.html) of the chosen township or county;
 * none for a province or city.
 */
function localListLink({ tree, region }) {
  const path = region ? tree.path(region) : [];
  if (path.length < 3) return null;
  const params = new URLSearchParams({ region });
  const index = new URLSearchParams(location.search).get('index');
  if (index) params.set('index', index);
  const name = path[path.length - 1].name;
  return el('p', { class: 'overview-print' },
    el('a', { href: `list.html?${params}`, class: 'ps-link' }, t`打印${name}权力清单`),
    '（本地自行行使的事项及其法律依据，可打印或另存为 PDF 向社会公布）');
}

/**
 * Townships of the reader's county by the number of items they exercise themselves, and the
 * county's share of items devolved: both from index.stats() (the numbers `powerlist stats` prints).
 */
function devolvedChart({ stats, tree, region, pick }) {
  const path = region ? tree.path(region) : [];
  // The county is the third level (province, city, county); a township's parent.
  const county = path[2];
  if (!county) {
    return el('figure', { class: 'chart chart-empty' },
      el('p', { class: 'chart-title' }, '各乡镇（街道）承接的事项数'),
      el('p', {}, '在上方“所在地”中选择一个县（市、区）或乡镇（街道），这里将显示该县各乡镇（街道）自行行使的执法事项数。'));
  }
  const rows = stats.townships
    .filter((t) => t.county === county.code)
    .map((t) => ({ label: t.name, value: t.own, key: t.code }));
  const c = stats.counties.find((x) => x.code === county.code);
  const share = c ? `${county.name}共有 ${c.devolved} 项事项（占 ${(100 * c.share).toFixed(1)}%）下放到至少一个乡镇（街道）。` : '';
  return barChart({
    title: `${county.name}各乡镇（街道）承接的事项数`,
    rows,
    current: region,
    onPick: (code) => pick({ region: code }),
    pickLabel: (r) => `把所在地设为${r.label}`,
    note: `由乡镇（街道）自己行使（赋权或委托）的事项数；其余事项仍由县级部门办理。${share}点击名称可设为所在地。`,
  });
}
