// The web app: the shared SearchView, plus what only a whole page has — the view in the URL
// (shareable, back/forward), charts on the home view, catalog facts and offline use.
// ?index=URL loads another index file (same origin only: the CSP allows no other); the page then
// says so at the top, with the way back to its own catalog.
import { loadIndex, useWorker } from './loader.js';
import { SearchView } from './search-view.js';
import { readState, stateUrl, writeState } from './url-state.js';
import { el, isolatedText, setText, t } from './dom.js';
import { formatBytes } from './text.js';
import { applyPrefs, bindToggle, pref } from './prefs.js';
import { DEFAULT_INDEX, showForeign } from './foreign.js';

// The search worker runs its own bundle (scripts/bundle.sh: the module's glue included), one
// request instead of two before the module and the index are asked for.
useWorker(new URL('search-worker.min.js', import.meta.url));

// 长辈模式 and 执法人员视图 as remembered, before the view is built.
applyPrefs();

// What the first answer does not need is imported when first used: the maintainer's module
// and charts, the version comparison, the offline copy.
const admin = () => import('./admin-loader.js');
const loadAdmin = (loaded) => admin().then((m) => m.loadAdmin(loaded));
/** The home view's charts module, once it is shown. */
let charts = null;
/** The version comparison module, once the page offers it. */
let changesModule = null;

const TITLE = '权力清单检索';
const indexParam = new URLSearchParams(location.search).get('index') || DEFAULT_INDEX;
const $ = (id) => document.getElementById(id);

/** The version comparison, once the reader asked for it: { since, diff }. */
let changes = null;
/** The loaded index ({ index, bytes, url, checked }, from loadIndex; index.meta: info, levels…). */
let loaded = null;
/** The charts of the home view: opened by the reader (kept open), and their Stats once loaded. */
const chartState = { open: false, stats: null, loading: null };

/** Resolves to the index's Stats (the maintainer module's stats()), fetching that module the first time. */
function loadStats() {
  if (!chartState.loading) {
    chartState.loading = loadAdmin(loaded).then((admin) => (chartState.stats = admin.stats()));
    chartState.loading.catch(() => { chartState.loading = null; });
  }
  return chartState.loading;
}

/** An item link: a real link (open in a new tab, copy), handled in place on a plain click. */
function itemLink(code, children, before = () => {}) {
  return el('a', {
    href: stateUrl({ ...view.state, item: code }),
    class: 'ps-link',
    on: {
      click: (e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        before();
        view.open(code);
      },
    },
  }, children);
}

const view = new SearchView($('app'), {
  idPrefix: '',
  autofocus: true,
  onState: (state, how) => {
    writeState(state, how);
    afterState();
    if (how === 'replace') keyboardRoom();
  },
  // A view drawn late (its index parts downloaded first): the title and charts follow it.
  onRender: () => afterState(),
  // Back from an item opened from the results is a step back in history, so the browser's own
  // back button and ours agree.
  onBack: () => {
    if (history.state?.fromList) history.back();
    else view.closeItem();
  },
  link: (code, children) => itemLink(code, children),
  // Result rows are links to the item's page (same URL as opening it here), opened in place.
  itemHref: (code) => stateUrl({ ...view.state, item: code }),
  fold: true,
  officer: () => pref('officer'),
  itemNote: (code) => changes && { since: changes.since, lines: changesModule.itemChanges(changes.diff, code) },
});

// The charts on the home view are statistics for officers: shown in the officer view only.
view.homeSlot.classList.add('officer-only');
bindToggle($('big-toggle'), 'big');
bindToggle($('officer-toggle'), 'officer', () => {
  // The item page's 更多信息 starts open in the officer view.
  if (view.state.item) view.setState(view.state);
});

/**
 * Typing on a short screen (a phone with its keyboard open): the search box goes to the top of
 * the screen, so the first results show right under it rather than under the keyboard.
 */
function keyboardRoom() {
  if (!view.state.q || document.activeElement !== view.input) return;
  if (!matchMedia('(max-width: 40rem), (max-height: 34rem)').matches) return;
  const bar = view.element.querySelector('.ps-bar');
  if (bar.getBoundingClientRect().top > 1) bar.scrollIntoView({ block: 'start' });
}

addEventListener('popstate', () => {
  view.setState(withRegion(readState()));
  afterState();
});

/** A URL without a region keeps the reader's current one. */
function withRegion(state) {
  return state.region === undefined ? { ...state, region: view.state.region } : state;
}

let homeRegion = null;
/** Title and the charts of the home view follow the state. */
function afterState() {
  const { q, item, region } = view.state;
  document.title = item && view.item ? `${isolatedText(view.item.name)} · ${TITLE}` : q ? `${isolatedText(q)} · ${TITLE}` : TITLE;
  if (!view.home.hidden && homeRegion !== region) {
    if (!charts) {
      // Drawn once its module is here (the home view's first paint has the search box already).
      import('./charts.js').then((m) => { charts = m; afterState(); }).catch(() => {});
      return;
    }
    homeRegion = region;
    view.homeSlot.replaceChildren(charts.overview({
      info: view.index.meta.info, levels: view.index.meta.levels, tree: view.tree, region,
      stats: chartState.stats, loadStats, open: chartState.open,
      onToggle: (open) => { chartState.open = open; },
      pick: (partial) => {
        view.apply({ ...partial, item: '' });
        // After picking a township the chart is rebuilt: keep the keyboard where it was.
        if (partial.region) view.homeSlot.querySelector('.chart-current .chart-pick')?.focus();
      },
    }));
  }
}

/** Parts joined by a separator, as children (each catalog string its own, so it is isolated). */
const joined = (parts, sep = ' · ') => parts.filter(Boolean).map((p, i) => [i ? sep : null, p]);

/** The catalog on screen (IndexInfo.catalog): the offline badge names its version. */
let shownCatalog = {};

function showCatalog({ info, version }) {
  const c = info.catalog;
  shownCatalog = c;
  setText($('catalog'), joined([c.name, c.version && t`版本 ${c.version}`, c.date && t`更新于 ${c.date}`]));
  showForeign($('foreign'), info);
  $('footer-stats').textContent = `${info.items} 项事项 · ${info.laws} 部法律法规 · ${info.articles_cited} 个被引用条文 · ${info.regions} 个行政区划 · 索引 ${formatBytes(info.bytes)}（格式 ${info.format_version}）· powerlist ${version}`;
}

showForeign($('foreign'), null);

const OFFLINE_TEXT = {
  saving: '正在保存离线副本…',
  ready: '已可离线使用',
  failed: '未能保存离线副本（需联网使用）',
  unsupported: '此浏览器不支持离线使用',
};

/** The page was answered from the offline copy (a repeat visit): the badge says which version. */
let fromCopy = false;

/** 离线副本：2025.1 版（2025-11-25）, from the catalog on screen. */
function copyText() {
  const c = shownCatalog;
  const what = c.version && c.date ? t`${c.version} 版（${c.date}）` : c.version ? t`${c.version} 版` : c.date ? [c.date] : null;
  return ['离线副本', what ? ['：', what] : null];
}

function offlineText(status) {
  if (status !== 'ready') return OFFLINE_TEXT[status];
  if (!navigator.onLine) return fromCopy ? ['离线模式 · ', copyText()] : '离线模式：正在使用本机保存的清单';
  return fromCopy ? copyText() : OFFLINE_TEXT.ready;
}

/**
 * The offline badge: the status in words (a live region: it changes a few times a visit), and
 * while the first copy is made a thin bar with the bytes copied, outside the live region. On a
 * repeat visit it names the copy the page answered from (离线副本：2025.1 版（2025-11-25）); a
 * newer build being copied is said quietly beside it (下次打开时使用), then that it is ready.
 */
function showOffline(status, progress) {
  const note = $('update-note');
  if (status === 'updating') {
    if (!note.firstChild) note.textContent = '正在下载新版本，下次打开时使用';
    return;
  }
  if (status === 'update-failed') {
    // The copy in use stays as it is; the next visit tries again. Nothing for the reader to do.
    if (!note.querySelector('button')) note.textContent = '';
    return;
  }
  if (status === 'updated') {
    // Quiet: the reader finishes what they are doing; the next visit (or this button) uses it.
    // It takes the badge's place (still true, less news), so the header keeps its height.
    $('offline').hidden = true;
    $('update-note').replaceChildren('已更新到新版本，刷新即可使用 ',
      el('button', { type: 'button', class: 'changes-toggle', on: { click: () => location.reload() } }, '刷新'));
    return;
  }
  const badge = $('offline');
  const bar = $('offline-progress');
  const saving = status === 'saving' && progress && progress.bytesTotal > 0;
  bar.hidden = !saving;
  if (saving) {
    bar.max = progress.bytesTotal;
    bar.value = progress.bytes;
    bar.title = `${progress.files} / ${progress.filesTotal} 个文件，${formatBytes(progress.bytes)} / ${formatBytes(progress.bytesTotal)}`;
  }
  if (status === 'ready' && progress?.repeat) fromCopy = true;
  if (badge.dataset.status === status) return; // progress only: the words stay, unannounced
  badge.dataset.status = status;
  setText(badge, offlineText(status));
}

/** Resolves once the browser has painted what is on screen now (the first answer). */
const painted = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

async function main() {
  try {
    loaded = await loadIndex(indexParam, document.baseURI, { onProgress: (n, total) => view.setProgress(n, total) });
  } catch (err) {
    view.showLoadError(err);
    $('catalog').textContent = '';
    return;
  }
  const { index, bytes, url, checked } = loaded;
  // A damaged block found after the first answer: the page shows it like a failed load.
  checked.catch((err) => {
    view.showLoadError(err);
    $('catalog').textContent = '';
  });
  view.setIndex(index, readState(), () => loadAdmin(loaded));
  // The URL now names the full view (including a remembered region), so it can be shared as is.
  writeState(view.state, 'replace');
  afterState();
  showCatalog(index.meta);
  // Only after the first answer is on screen: the offline copy (or the check for a new build)
  // and what the version comparison needs must not compete with it for the network.
  await view.drawn();
  await painted();
  import('./changes.js').then((m) => {
    changesModule = m;
    offerChanges(index.meta.info.catalog.version);
  }).catch(() => {}); // offline before it was copied: no comparison offered, nothing else lost
  (await import('./offline.js')).keepOffline(url, bytes, showOffline);
  const again = () => {
    const badge = $('offline');
    const status = badge.dataset.status;
    delete badge.dataset.status; // the words follow navigator.onLine
    showOffline(status);
  };
  addEventListener('online', again);
  addEventListener('offline', again);
}

/**
 * 法律修订影响…: for maintainers, a law text chosen from disk (read locally, never uploaded) and
 * what it changes for this catalog — the cited articles, paragraphs and items that changed,
 * moved or are gone, and the items citing them — in the maintainer module, shown in `panel`.
 * The button and its file input.
 */
function offerAmendment(panel) {
  const file = el('input', { type: 'file', accept: '.md,.txt,text/markdown,text/plain', id: 'amend-file', hidden: '' });
  file.addEventListener('change', async () => {
    const f = file.files && file.files[0];
    if (!f) return;
    file.value = '';
    const fail = (text) => {
      panel.replaceChildren(el('p', { class: 'ps-error-line', role: 'alert' }, text));
      panel.hidden = false;
    };
    let now;
    try {
      now = await loadAdmin(loaded);
    } catch (err) {
      return fail(`无法分析法律修订：${err.what ?? err.message}`);
    }
    let amendment;
    try {
      amendment = now.amendment(new Uint8Array(await f.arrayBuffer()));
    } catch (err) {
      return fail(`无法分析法律修订：${f.name}：${err.message}。请选择本清单引用的某部法律法规的新文本（UTF-8 编码的 Markdown 或纯文本，第一行是法律名称）。`);
    }
    panel.replaceChildren(changesModule.renderAmendment(amendment, {
      file: f.name,
      headingId: 'changes-title',
      onClose: () => { panel.hidden = true; },
      link: (code, children) => itemLink(code, children, () => { panel.hidden = true; }),
    }));
    panel.hidden = false;
    $('changes-title').focus();
  });
  const pick = el('button', { type: 'button', class: 'changes-toggle changes-file', on: { click: () => file.click() } }, '法律修订影响…');
  return [pick, file];
}

/**
 * 自X版以来的变化: a button beside the catalog version when the build provides an older index
 * (fetched only when the button is pressed), and for maintainers 与旧版对比…, which compares
 * with an older index file chosen from disk (read locally, never uploaded). Both compare in the
 * maintainer module, fetched when first asked for.
 */
async function offerChanges(currentVersion) {
  const panel = $('changes');
  const show = (diff) => {
    changes = { since: diff.old.version, diff };
    if (view.state.item) view.setState(view.state);
    panel.replaceChildren(changesModule.renderChanges(diff, {
      headingId: 'changes-title',
      items: view.index.itemCount,
      onClose: () => { panel.hidden = true; },
      link: (code, children) => itemLink(code, children, () => { panel.hidden = true; }),
    }));
    panel.hidden = false;
    $('changes-title').focus();
  };
  const file = el('input', { type: 'file', accept: '.idx', id: 'compare-file', hidden: '' });
  file.addEventListener('change', async () => {
    const f = file.files && file.files[0];
    if (!f) return;
    const fail = (text) => {
      panel.replaceChildren(el('p', { class: 'ps-error-line', role: 'alert' }, text));
      panel.hidden = false;
    };
    file.value = '';
    let now;
    try {
      now = await loadAdmin(loaded);
    } catch (err) {
      return fail(`无法比较版本：${err.what ?? err.message}`);
    }
    try {
      show(now.diff(await (await admin()).adminIndex(new Uint8Array(await f.arrayBuffer()))));
    } catch (err) {
      fail(`无法比较版本：${f.name} 不是可读取的权力清单索引（${err.message}）。请选择由 powerlist build 生成的旧版 .idx 文件。`);
    }
  });
  const pick = el('button', { type: 'button', class: 'changes-toggle changes-file', on: { click: () => file.click() } }, '与旧版对比…');
  $('versions').replaceChildren(pick, file, ' ', ...offerAmendment(panel));
  const prev = await changesModule.previousVersion(currentVersion);
  if (!prev) return;
  const button = el('button', { type: 'button', class: 'changes-toggle', 'aria-expanded': 'false', 'aria-controls': 'changes' },
    `自${prev.version}版以来的变化`);
  const close = () => {
    panel.hidden = true;
    button.setAttribute('aria-expanded', 'false');
  };
  button.addEventListener('click', async () => {
    if (!panel.hidden) return close();
    if (!changes) {
      button.disabled = true;
      panel.replaceChildren(el('p', { class: 'ps-hint', role: 'status' }, `正在加载${prev.version}版清单…`));
      panel.hidden = false;
      try {
        changes = { since: prev.version, diff: await changesModule.loadChanges(loaded, prev) };
      } catch (err) {
        panel.replaceChildren(el('p', { class: 'ps-error-line', role: 'alert' }, `无法比较版本：${err.what ?? err.message}`));
        button.disabled = false;
        return;
      }
      button.disabled = false;
      // An item page already open gets its note.
      if (view.state.item) view.setState(view.state);
    }
    panel.replaceChildren(changesModule.renderChanges(changes.diff, {
      headingId: 'changes-title',
      items: view.index.itemCount,
      onClose: () => { close(); button.focus(); },
      link: (code, children) => itemLink(code, children, close),
    }));
    panel.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    $('changes-title').focus();
  });
  $('versions').prepend(button, ' ');
}

main();
