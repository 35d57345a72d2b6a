// The web app: the shared SearchView, plus what only a whole page has — the view in the URL
// (shareable, back/forward), charts on the home view, catalog facts and offline use.
// ?index=URL loads another index file (same origin only: the CSP allows no other).
import { version } from './pkg/powerlist.js';
import { loadIndex } from './loader.js';
import { SearchView } from './search-view.js';
import { readState, stateUrl, writeState } from './url-state.js';
import { overview } from './charts.js';
import { keepOffline } from './offline.js';
import { el } from './dom.js';
import { formatBytes } from './text.js';

const TITLE = '权力清单检索';
const indexParam = new URLSearchParams(location.search).get('index') || 'catalog.idx';
const $ = (id) => document.getElementById(id);

const view = new SearchView($('app'), {
  idPrefix: '',
  autofocus: true,
  onState: (state, how) => {
    writeState(state, how);
    afterState();
  },
  // Back from an item opened from the results is a step back in history, so the browser's own
  // back button and ours agree.
  onBack: () => {
    if (history.state?.fromList) history.back();
    else view.closeItem();
  },
  // Related items are real links (open in a new tab, copy), handled in place on a plain click.
  link: (code, children) => el('a', {
    href: stateUrl({ ...view.state, item: code }),
    class: 'ps-link',
    on: {
      click: (e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        view.open(code);
      },
    },
  }, children),
});

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
  document.title = item && view.item ? `${view.item.name} · ${TITLE}` : q ? `${q} · ${TITLE}` : TITLE;
  if (!view.home.hidden && homeRegion !== region) {
    homeRegion = region;
    view.homeSlot.replaceChildren(overview({
      index: view.index, tree: view.tree, region,
      pick: (partial) => {
        view.apply({ ...partial, item: '' });
        // After picking a township the chart is rebuilt: keep the keyboard where it was.
        if (partial.region) view.homeSlot.querySelector('.chart-current .chart-pick')?.focus();
      },
    }));
  }
}

function showCatalog(stats) {
  const c = stats.catalog;
  $('catalog').textContent = [c.name, c.version && `版本 ${c.version}`, c.date && `更新于 ${c.date}`].filter(Boolean).join(' · ');
  $('footer-stats').textContent = `${stats.items} 项事项 · ${stats.laws} 部法律法规 · ${stats.articles_cited} 个被引用条文 · ${stats.regions} 个行政区划 · 索引 ${formatBytes(stats.bytes)}（格式 ${stats.format_version}）· powerlist ${version()}`;
}

const OFFLINE_TEXT = {
  saving: '正在保存，以便离线使用…',
  ready: '已可离线使用',
  failed: '未能保存离线副本（需联网使用）',
  unsupported: '此浏览器不支持离线使用',
};

function showOffline(status) {
  const badge = $('offline');
  badge.dataset.status = status;
  badge.textContent = status === 'ready' && !navigator.onLine ? '离线模式：正在使用本机保存的清单' : OFFLINE_TEXT[status];
}

async function main() {
  let loaded;
  try {
    loaded = await loadIndex(indexParam);
  } catch (err) {
    view.showLoadError(err);
    $('catalog').textContent = '';
    return;
  }
  const { index, bytes, url } = loaded;
  view.setIndex(index, readState());
  // The URL now names the full view (including a remembered region), so it can be shared as is.
  writeState(view.state, 'replace');
  afterState();
  showCatalog(index.stats());
  keepOffline(url, bytes, showOffline);
  addEventListener('online', () => showOffline($('offline').dataset.status));
  addEventListener('offline', () => showOffline($('offline').dataset.status));
}

main();
