// The search interface shared by the app (light DOM) and <power-search> (Shadow DOM): the search
// box as an ARIA combobox over a listbox of results, filters with live counts, the region picker,
// the item page and load errors. It knows nothing about URLs or charts: the app adds those
// through the options below.
import { el, append, isolatedText, setText, t, uid } from './dom.js';
import { KIND_LABEL, REGION_LEVELS, formatBytes, today } from './text.js';
import { RegionTree, RegionPicker, savedRegion, saveRegion } from './region.js';
import { renderHit, renderArticle, renderContact, hotlineLine } from './render.js';
import { renderItemPage, renderMissingItem } from './item-view.js';
import { needsChunks, superseded } from './loader.js';

const EMPTY = { q: '', field: '', type: '', level: '', region: '', item: '' };
const FILTERS = [
  { key: 'field', label: '领域', all: '全部领域', list: (meta) => meta.fields },
  { key: 'type', label: '类型', all: '全部类型', list: (meta) => meta.types },
  { key: 'level', label: '层级', all: '全部层级', list: (meta) => meta.levels },
];
/**
 * Hits shown first while a chunked index is still downloading the records of a page: what a
 * phone's first screen holds, and what the browser's six connections to a host fetch in one
 * round trip. The rest of the page follows.
 */
const FIRST_SCREEN = 6;
/** A contact question's card: the bodies handling the first REACH_HITS hits, at most REACH_BODIES. */
const REACH_HITS = 3;
const REACH_BODIES = 2;
const EXAMPLES = ['占道经营', '饭店油烟扰民', 'zdjy', 'CG-CF-014', '食品安全法第一百二十二条'];
/** Said to a query in letters the index does not understand (English, say). */
const QUERY_HINT = '请用中文描述您遇到的问题，例如“摆摊”“噪声扰民”，或输入事项编码、拼音。';
/** A query of Latin letters only (no Chinese, no digits: not a code or a citation). */
const lettersOnly = (q) => /^[\sa-z'’-]+$/i.test(q.trim()) && /[a-z]{2}/i.test(q);

export class SearchView {
  /**
   * options:
   * - idPrefix: prefix of element ids ('' in the app, unique per element otherwise)
   * - limit: results per page (20)
   * - rememberRegion: read/write the region in localStorage (true)
   * - onState(state, how): the reader changed the state; how is 'push' or 'replace'
   * - print(): what the item page's 打印 does (default window.print())
   * - onBack(): the item page's back button (default: close the item)
   * - link(code, children): a Node that opens an item (default: a button)
   * - autofocus: focus the search box once loaded
   * - itemNote(code): { since, lines } to show on an item page as 此版本中变化, or null
   * - itemHref(code): the URL of an item page; each result row is then a real link to it (open
   *   in a new tab, long-press, share), still opened in place on a plain click
   * - fold: once a township is chosen, fold the region picker and the filters into one line
   *   under the search box (戴南镇 · 行政处罚 · 更改), so the results start right under it
   * - officer(): whether the officer view is on (the item page's 更多信息 then starts open)
   *
   * The index (loader.js SearchIndex) answers from the search worker: every view is drawn when
   * its answers arrive, and only the latest state's (a query typed over is dropped unanswered).
   *
   * Until setIndex() the view is loading: the search box takes typing (answered once the index
   * is there), setProgress() shows the download, and `.ps[data-state]` is 'loading', then
   * 'ready' (or 'error').
   */
  constructor(root, options = {}) {
    this.opt = { limit: 20, rememberRegion: true, ...options };
    this.p = this.opt.idPrefix ?? uid('ps');
    this.state = { ...EMPTY };
    this.index = null;
    /** The latest drawing asked for: an answer for an earlier one is dropped. */
    this.seq = 0;
    /** The newest setState that waits for a township's regions. */
    this.regionSeq = 0;
    /** That wait, while it lasts (drawn() waits for it). */
    this.regionWait = null;
    /** The worker's lane for this view's queries: a newer one supersedes those still queued. */
    this.lane = uid('lane');
    /** A drawing is waiting for its answers (see drawn()). */
    this.drawing = false;
    /** Who waits for the view to show an answer (see drawn()). */
    this.drawnWaiters = [];
    this.hits = [];
    this.active = -1;
    this.#build();
    root.append(this.element);
  }

  // ——— building ———

  #build() {
    const p = this.p;
    this.input = el('input', {
      id: `${p}q`, class: 'ps-input', type: 'search', role: 'combobox', 'aria-autocomplete': 'list',
      'aria-expanded': 'false', 'aria-controls': `${p}results`, 'aria-describedby': `${p}status`,
      autocomplete: 'off', spellcheck: 'false', enterkeyhint: 'search',
      placeholder: this.opt.placeholder ?? '事项名称、俗称、拼音、编码或法律条文',
      on: { input: () => this.#typed(), keydown: (e) => this.#key(e) },
    });
    this.filterSelects = {};
    const filters = FILTERS.map((f) => {
      const id = `${p}${f.key}`;
      const select = el('select', { id, class: 'ps-select', disabled: true, on: { change: () => { this.unfolded = true; this.#update({ [f.key]: select.value, item: '' }, 'push'); } } },
        el('option', { value: '' }, f.all));
      this.filterSelects[f.key] = select;
      return el('div', { class: 'ps-field' }, el('label', { for: id }, f.label), select);
    });
    this.clearButton = el('button', { type: 'button', class: 'ps-button ps-clear', hidden: true, on: { click: () => this.#update({ field: '', type: '', level: '' }, 'push') } }, '清除筛选');
    this.filters = el('div', { id: `${p}filters`, class: 'ps-filters', role: 'group', 'aria-label': '筛选' }, filters, this.clearButton);
    // Until the index says how many levels its regions have, a disabled picker of the usual four
    // holds the picker's place, so nothing below it moves when the real one arrives.
    this.regionSlot = el('div', { id: `${p}region-slot`, class: 'ps-region-slot' }, placeholderPicker());
    // The folded picker and filters (opt.fold): one line, 戴南镇 · 行政处罚 · 更改.
    this.foldText = el('span', { class: 'ps-fold-text' });
    this.foldButton = el('button', {
      type: 'button', class: 'ps-fold-toggle', 'aria-expanded': 'false', 'aria-controls': `${p}region-slot ${p}filters`,
      on: { click: () => this.#toggleFold() },
    }, '更改');
    this.foldLine = el('div', { class: 'ps-fold', hidden: true },
      el('span', { class: 'ps-visually-hidden' }, '所在地和筛选：'), this.foldText,
      el('span', { class: 'ps-fold-sep', 'aria-hidden': 'true' }, ' · '), this.foldButton);
    /** The reader opened the folded picker (更改), or changed it while it showed: it stays open. */
    this.unfolded = false;
    this.status = el('div', { id: `${p}status`, class: 'ps-status', role: 'status', 'aria-live': 'polite' }, '正在加载索引…');
    // Native <progress> (role progressbar): indeterminate until the size is known. The figures
    // beside it are not in the live status line, so a screen reader is not told every chunk.
    this.progress = el('progress', { class: 'ps-progress', 'aria-label': '索引下载进度' });
    this.progressText = el('span', { class: 'ps-progress-text' });
    this.loading = el('div', { class: 'ps-loading' }, this.progress, this.progressText);
    this.suggest = el('div', { class: 'ps-suggest', hidden: true });
    this.citation = el('section', { class: 'ps-citation', 'aria-label': '检索的法律条文', hidden: true });
    /** A contact question's answer (城管电话): how to reach the bodies handling the top hits. */
    this.reachCard = el('section', { class: 'ps-reach-card', 'aria-label': '联系方式', hidden: true });
    this.list = el('ul', { id: `${p}results`, class: 'ps-results', role: 'listbox', 'aria-label': '检索结果', hidden: true,
      on: { click: (e) => this.#clicked(e) } });
    this.more = el('button', { type: 'button', class: 'ps-button ps-more', hidden: true, on: { click: () => this.#loadMore() } });
    this.home = el('div', { class: 'ps-home', hidden: true },
      el('p', { class: 'ps-examples' }, '试试：', EXAMPLES.map((q) => el('button', { type: 'button', class: 'ps-chip', on: { click: () => this.#example(q) } }, q))));
    /** The app puts its own home content (charts) here. */
    this.homeSlot = el('div', { class: 'ps-home-slot' });
    this.home.append(this.homeSlot);
    this.searchPane = el('div', { class: 'ps-search-pane', 'aria-busy': 'true' },
      this.filters, this.status, this.loading, this.reachCard, this.suggest, this.citation, this.list, this.more, this.home);
    this.itemPane = el('div', { class: 'ps-item-pane', hidden: true, on: { keydown: (e) => { if (e.key === 'Escape') this.#back(); } } });
    this.errorBox = el('div', { class: 'ps-error', role: 'alert', hidden: true });
    this.element = el('div', { class: 'ps', 'data-state': 'loading' },
      el('div', { class: 'ps-bar' },
        el('label', { for: `${p}q`, class: 'ps-label' }, '搜索权力事项'),
        el('div', { class: 'ps-input-wrap' }, this.input)),
      this.foldLine, this.regionSlot, this.errorBox, this.searchPane, this.itemPane);
  }

  // ——— public API ———

  /**
   * The index download while loading: `received` bytes of `total` (null or 0 when the server did
   * not say: the bar stays indeterminate).
   */
  setProgress(received, total) {
    if (this.index) return;
    if (total) {
      this.progress.max = total;
      this.progress.value = Math.min(received, total);
      this.progressText.textContent = `${formatBytes(received)} / ${formatBytes(total)}`;
    } else {
      this.progress.removeAttribute('value');
      this.progressText.textContent = received ? formatBytes(received) : '';
    }
  }

  /**
   * Attaches a loaded index (loader.js SearchIndex); `state` (optional) is the initial view. `admin` (optional):
   * a function resolving to the same index in the maintainer module (admin-loader.js), for the
   * item page's possible overlaps, called only when the reader asks for them.
   */
  setIndex(index, state = {}, admin = null) {
    // A query typed while the index was loading is the one the reader wants answered.
    if (this.typedEarly) state = { ...state, q: this.input.value, item: '' };
    this.typedEarly = false;
    this.index = index;
    this.admin = admin;
    this.tree = new RegionTree(index.meta.regions, (code) => index.regionsNear(code));
    this.picker = new RegionPicker(this.tree, { idPrefix: this.p, onChange: (code) => this.#regionPicked(code) });
    this.regionSlot.replaceChildren(this.picker.element);
    this.values = Object.fromEntries(FILTERS.map((f) => [f.key, f.list(index.meta)]));
    for (const f of FILTERS) {
      const select = this.filterSelects[f.key];
      select.replaceChildren(el('option', { value: '' }, f.all), ...this.values[f.key].map((v) => el('option', { value: v }, v)));
      select.disabled = false;
    }
    this.input.disabled = false;
    this.errorBox.hidden = true;
    this.#loaded('ready');
    const region = state.region ?? (this.opt.rememberRegion ? savedRegion(this.tree) : '');
    this.setState({ ...state, region });
    if (this.opt.autofocus && !this.state.item) this.input.focus();
  }

  /**
   * Replaces the state (from a URL, history or attributes) without reporting it back. A
   * township the region tree has still to fetch (a large chunked index lists counties only)
   * is fetched first: with its county's townships, which its answers need anyway.
   */
  setState(state) {
    const { region } = state;
    if (region && this.tree?.lacks(region)) {
      const tree = this.tree;
      const seq = ++this.regionSeq;
      // drawn() waits for this too: the answer for the township is still to come.
      const wait = tree.fetch(region).catch(() => {}).then(() => {
        // Unless the index or the wanted state changed meanwhile.
        if (this.tree === tree && seq === this.regionSeq) this.#setState(state);
      }).finally(() => {
        if (this.regionWait === wait) this.regionWait = null;
      });
      this.regionWait = wait;
      return;
    }
    this.regionSeq++;
    this.#setState(state);
  }

  #setState(state) {
    const wasItem = this.state.item;
    this.state = this.#clean({ ...EMPTY, ...state });
    this.#render();
    if (wasItem && !this.state.item && this.index) this.input.focus();
  }

  /** Opens an item page by code. */
  open(code) {
    this.#update({ item: code }, 'push');
  }

  /** Applies a change as if the reader made it (reported through onState, a new history entry). */
  apply(partial) {
    if ('region' in partial && this.opt.rememberRegion) saveRegion(partial.region);
    if (partial.region && this.tree?.lacks(partial.region)) {
      // A township the tree has still to fetch (a chart's), with its county's.
      const tree = this.tree;
      tree.fetch(partial.region).catch(() => {}).then(() => { if (this.tree === tree) this.#update(partial, 'push'); });
      return;
    }
    this.#update(partial, 'push');
  }

  /** Closes the item page, back to the results. */
  closeItem() {
    this.#update({ item: '' }, 'push');
  }

  /** Shows a LoadError (or any Error) in place of the interface. */
  showLoadError(err) {
    this.index = null;
    this.seq++; // an answer on its way is not drawn
    this.drawing = false;
    this.input.disabled = true;
    this.#loaded('error');
    this.searchPane.hidden = true;
    this.itemPane.hidden = true;
    this.status.textContent = '';
    this.errorBox.replaceChildren();
    append(this.errorBox, [
      el('h2', {}, err.kind?.startsWith('module') ? '检索程序加载失败' : '索引加载失败'),
      el('p', { class: 'ps-error-what' }, err.what ?? err.message),
      err.todo ? el('p', { class: 'ps-error-todo' }, el('strong', {}, '怎么办：'), err.todo) : null,
      el('p', { class: 'ps-error-detail' }, '技术信息：', el('code', {}, err.detail ?? err.message)),
      el('button', { type: 'button', class: 'ps-button', on: { click: () => location.reload() } }, '重新加载')]);
    this.errorBox.hidden = false;
  }

  /**
   * Resolves once the view shows its answer: at once, unless it is waiting for one (from the
   * worker, which may first download index parts, or for a township's regions), then when it
   * is drawn.
   */
  drawn() {
    if (this.regionWait) return this.regionWait.then(() => this.drawn());
    if (!this.drawing) return Promise.resolve();
    return new Promise((resolve) => this.drawnWaiters.push(resolve));
  }

  /** The loading phase is over: no progress bar, the results are no longer busy. */
  #loaded(how) {
    this.element.dataset.state = how;
    this.loading.hidden = true;
    this.searchPane.removeAttribute('aria-busy');
  }

  // ——— state ———

  /** Drops filter values and regions this catalog does not have (old or hand-edited links). */
  #clean(s) {
    if (!this.index) return s;
    for (const f of FILTERS) if (s[f.key] && !this.values[f.key].includes(s[f.key])) s[f.key] = '';
    if (s.region && !this.tree.has(s.region)) s.region = '';
    return s;
  }

  #update(partial, how) {
    const wasItem = this.state.item;
    this.state = this.#clean({ ...this.state, ...partial });
    // Focus follows the page opened or closed, once it is drawn (after any download it needs).
    this.afterRender = null;
    if (!wasItem && this.state.item) this.afterRender = () => this.itemPane.querySelector('h2')?.focus();
    if (wasItem && !this.state.item) this.afterRender = () => this.input.focus();
    this.#render();
    this.opt.onState?.({ ...this.state }, how);
  }

  #regionPicked(code) {
    // Picked in the picker on screen: it stays open while the reader is at it (收起 folds it).
    this.unfolded = true;
    this.apply({ region: code });
  }

  #toggleFold() {
    this.unfolded = !this.unfolded;
    this.#renderFold();
  }

  /** Whether the chosen region is a township (the deepest level of the tree). */
  #township() {
    const { region } = this.state;
    return Boolean(region) && this.tree.depth(region) >= this.tree.levels() - 1;
  }

  /**
   * opt.fold: with a township chosen, the picker and the filters fold into one line under the
   * box (the township, the active filters, 更改); 更改 unfolds them until 收起.
   */
  /** opt.fixedRegion(): the page fixed the township (a one-township portal): no picker. */
  #regionFixed() {
    return Boolean(this.opt.fixedRegion?.() && this.state.region);
  }

  #renderFold() {
    const foldable = Boolean(this.opt.fold) && this.#township();
    const folded = foldable && !this.unfolded;
    this.foldLine.hidden = !foldable;
    this.regionSlot.hidden = folded || this.#regionFixed();
    this.filters.hidden = folded;
    if (!foldable) return;
    const { field, type, level } = this.state;
    setText(this.foldText, [this.tree.name(this.state.region), field, type, level].filter(Boolean).map((s, i) => [i ? ' · ' : null, s]));
    this.foldButton.textContent = folded ? '更改' : '收起';
    this.foldButton.setAttribute('aria-expanded', String(!folded));
  }

  #typed() {
    if (!this.index) {
      // Loading: say the query will be answered; setIndex() takes it from the box. Nothing is
      // reported yet: the state is not known before the index (a URL's region, say), and
      // reporting this half of it would drop the rest from the URL.
      this.typedEarly = true;
      const q = this.input.value.trim();
      this.status.textContent = q ? `正在加载索引，完成后立即检索“${q}”…` : '正在加载索引…';
      return;
    }
    // Typing again: done with the picker, which folds back (the results need the room, above
    // the phone's keyboard).
    if (this.#township()) this.unfolded = false;
    // Typing on an item page goes back to the results; that is a new history entry.
    this.#update({ q: this.input.value, item: '' }, this.state.item ? 'push' : 'replace');
  }

  #example(q) {
    this.input.value = q;
    this.#update({ q, item: '' }, 'push');
    this.input.focus();
  }

  #back() {
    if (this.opt.onBack) this.opt.onBack();
    else this.closeItem();
  }

  // ——— rendering ———

  #render() {
    if (!this.index) return;
    if (this.input.value !== this.state.q) this.input.value = this.state.q;
    if (this.picker.value !== this.state.region) this.picker.value = this.state.region;
    this.#renderFold();
    const showItem = Boolean(this.state.item);
    this.searchPane.hidden = showItem;
    this.itemPane.hidden = !showItem;
    this.drawing = true;
    this.#draw(++this.seq);
  }

  /**
   * Asks the worker for what the state shows and draws it, unless a newer drawing was asked for
   * meanwhile (then its answers are dropped, and the worker skips its queries still queued).
   * Answered at once when the index has what they need; else (a chunked index) 正在检索… (never an
   * earlier query's results in their place), the first screen of hits, then the rest.
   */
  async #draw(seq) {
    const key = this.#resultsKey();
    const showItem = Boolean(this.state.item);
    const current = () => seq === this.seq && this.index;
    const lane = { lane: this.lane, seq };
    let data;
    try {
      data = await this.#ask(this.index.at({ ...lane, now: true }), false);
    } catch (err) {
      if (!current() || superseded(err)) return;
      if (!needsChunks(err)) return this.#failed(err);
      if (this.keepKey !== key) {
        // Nothing of an earlier query stays on screen as if it answered this one.
        this.#setStatus('正在检索…', null);
        this.#showList([], 0);
      }
      this.#busy(true);
      const ix = this.index.at(lane);
      try {
        // The records of a page of hits come in many chunks: the first screen's first, drawn
        // (the rest of the page comes next, below it).
        if (!showItem && this.keepKey !== key && !this.#home()) {
          const first = await this.#ask(ix, true);
          if (!current()) return;
          if (this.#drawResults(first.results, key, true)) this.keepKey = key;
        }
        data = await this.#ask(ix, false);
      } catch (e) {
        if (!current() || superseded(e)) return;
        this.#busy(false);
        return this.#failed(e, true);
      }
      if (!current()) return;
      this.#busy(false);
    }
    if (!current()) return;
    this.#drawResults(data.results, key, false);
    if (showItem) this.#drawItem(data.item);
    this.keepKey = null;
    this.drawing = false;
    const after = this.afterRender;
    this.afterRender = null;
    after?.();
    this.opt.onRender?.();
    for (const resolve of this.drawnWaiters.splice(0)) resolve();
  }

  /**
   * The answers the state needs from `ix` (SearchIndex.at): the results (or the error searching),
   * and on an item page the item and the other items citing each of its articles. Rejects only
   * with NeedChunks (asked with `now`), Superseded or a failed download.
   */
  async #ask(ix, firstScreen) {
    const { q, item: code, region } = this.state;
    const home = this.#home();
    const pass = (err) => needsChunks(err) || superseded(err) || err?.name === 'LoadError';
    const results = ix.search(q, this.#options(home ? { limit: 0 } : firstScreen ? { limit: FIRST_SCREEN } : {}))
      .then((r) => ({ r }), (error) => { if (pass(error)) throw error; return { error }; });
    const item = code && !firstScreen ? this.#askItem(ix, code, region, pass) : null;
    const [r, i] = await Promise.all([results, item]);
    return { results: r, item: i };
  }

  async #askItem(ix, code, region, pass) {
    let item = null;
    try {
      item = await ix.get(code, region || undefined, today());
    } catch (err) {
      if (pass(err)) throw err; // an unknown code: the missing-item page says so
    }
    if (!item) return { item: null, related: new Map() };
    // Other items citing the same article (a citation search for the article, 《law》第N条).
    const related = new Map();
    await Promise.all([...new Set(item.bases.map((b) => b.article_citation))].map(async (citation) => {
      try {
        related.set(citation, (await ix.search(citation, { limit: 200 })).hits.filter((h) => h.code !== item.code));
      } catch (err) {
        if (pass(err)) throw err; // a law the search cannot parse: just no list
      }
    }));
    return { item, related };
  }

  /** Waiting for index parts (busy), or not. */
  #busy(on) {
    if (on) {
      this.searchPane.setAttribute('aria-busy', 'true');
      this.status.dataset.fetching = '';
    } else {
      this.searchPane.removeAttribute('aria-busy');
      delete this.status.dataset.fetching;
    }
  }

  /** A drawing failed: a failed download of index parts (`download`, with a retry) or a search error. */
  #failed(err, download = false) {
    this.drawing = false; // (who waits in drawn() waits for an answer drawn)
    if (download || err?.name === 'LoadError') {
      this.#setStatus(`无法下载所需的索引部分：${err.what ?? err.message}`, null, true);
      this.status.append(' ', el('button', { type: 'button', class: 'ps-button', on: { click: () => this.#render() } }, '重试'));
      if (err.todo) this.status.append(el('span', { class: 'ps-error-todo' }, ` ${err.todo}`));
    } else {
      this.#setStatus(`检索出错：${err.message}`, null, true);
    }
  }

  /** The home view: no query, no filter. */
  #home() {
    const { q, field, type, level } = this.state;
    return !q.trim() && !(field || type || level);
  }

  #options(extra = {}) {
    const { field, type, level, region } = this.state;
    return { field: field || undefined, type: type || undefined, level: level || undefined, region: region || undefined, date: region ? today() : undefined, limit: this.opt.limit, ...extra };
  }

  /** What the results show: the query with its filters and region. */
  #resultsKey() {
    return JSON.stringify([this.state.q, this.#options()]);
  }

  /**
   * Draws `answer` ({ r } or { error }), the results of the query `key`: its first screen
   * (`first`: returns true when more hits are to come), or the page.
   */
  #drawResults(answer, key, first) {
    const { q, field, type, level } = this.state;
    const filtered = Boolean(field || type || level);
    const home = this.#home();
    if (answer.error) {
      this.#setStatus(`检索出错：${answer.error.message}`, null, true);
      this.#showList([], 0);
      return false;
    }
    const { r } = answer;
    this.result = r;
    this.#updateFacets(r.facets);
    this.clearButton.hidden = !filtered;
    this.home.hidden = !home;
    this.#renderSuggestions(r);
    this.#renderCitation(r);
    this.#renderReach(r);
    if (home) {
      this.#setStatus(`共 ${r.total} 项事项。输入关键词开始检索，或选择领域浏览。`, null);
      this.#showList([], 0);
      return;
    }
    const { kind } = r;
    // Letters only (English, or letters that spell nothing): no hit, or none matching all of
    // it, says how to ask instead of 按拼音检索 over chance matches.
    const unknown = lettersOnly(q) && (r.total === 0 || r.relaxed || r.strict === 0);
    if (unknown) {
      this.#setStatus(r.total === 0 ? `没有找到与“${q.trim()}”相符的事项。` : `没有与“${q.trim()}”完全相符的事项，以下 ${r.total} 项最接近。`, null);
      this.status.append(el('span', { class: 'ps-query-hint' }, QUERY_HINT));
    } else if (r.total === 0) {
      this.#setStatus(`没有找到与“${q.trim()}”相符的事项${filtered ? '（已应用筛选，可清除筛选再试）' : ''}。可以换个说法、用更短的词或拼音首字母。`, kind);
    } else if (r.kind === 'browse') {
      this.#setStatus(`共 ${r.total} 项`, kind);
    } else if (r.corrected) {
      const rest = r.strict < r.total ? `，另有 ${r.total - r.strict} 项部分相符` : '';
      // Pinyin corrected (lajii → laji) is shown as the Chinese word it spells (垃圾), when one.
      const meant = r.corrected_word ?? r.corrected;
      this.#setStatus(`您是不是要找“${meant}”？“${q.trim()}”没有相符的事项，已按“${meant}”检索：找到 ${r.strict} 项${rest}`, kind);
    } else if (r.relaxed) {
      this.#setStatus(`没有完全相符的事项，以下 ${r.total} 项最接近`, kind);
    } else if (r.strict < r.total) {
      this.#setStatus(`找到 ${r.strict} 项完全相符，另有 ${r.total - r.strict} 项部分相符`, kind);
    } else {
      this.#setStatus(`找到 ${r.total} 项`, kind);
    }
    /** Hits from this place on match only part of the query (see SearchResult.strict). */
    this.strict = r.relaxed ? r.total : r.strict;
    this.#showList(r.hits, r.total, this.keepKey === key);
    const more = first && r.hits.length < Math.min(r.total, this.opt.limit);
    if (more) this.more.hidden = true;
    return more;
  }

  #setStatus(text, kind, error = false) {
    this.status.classList.toggle('ps-status-error', error);
    this.status.replaceChildren(el('span', { class: 'ps-count' }, text));
    if (kind) this.status.append(el('span', { class: 'ps-kind', 'data-kind': kind }, kind === 'browse' ? '分类浏览' : `按${KIND_LABEL[kind]}检索`));
  }

  #updateFacets(facets) {
    for (const f of FILTERS) {
      const select = this.filterSelects[f.key];
      const counts = facets[f.key] ?? {};
      for (const option of select.options) {
        if (!option.value) continue;
        const n = counts[option.value] ?? 0;
        option.textContent = `${isolatedText(option.value)}（${n}）`;
        option.disabled = n === 0 && option.value !== this.state[f.key];
      }
      select.value = this.state[f.key];
    }
  }

  #renderSuggestions(r) {
    const show = r.total === 0 && r.suggestions.length > 0;
    this.suggest.hidden = !show;
    if (!show) return;
    this.suggest.replaceChildren('您是不是要找：', ...r.suggestions.map((s) => el('button', {
      type: 'button', class: 'ps-chip', on: { click: () => this.open(s.code) },
    }, s.code, ' ', s.name)));
  }

  /**
   * A contact question (城管电话, 环保局在哪: SearchResult.contact): above the results, how to
   * reach the bodies that handle the first hits in the chosen township (each hit's handled_by
   * and contact, as the module gives them), the 12345 hotline where none is known. Without a
   * township: how to get that answer, and 12345.
   */
  #renderReach(r) {
    const show = Boolean(r.contact && r.hits.length);
    this.reachCard.hidden = !show;
    if (!show) return this.reachCard.replaceChildren();
    const region = this.state.region;
    const title = el('h2', {}, region ? t`${this.tree.name(region)}的办理机关联系方式` : '办理机关联系方式');
    if (!region) {
      return this.reachCard.replaceChildren(title,
        el('p', { class: 'ps-hint' }, '选择乡镇后显示当地办理机关的联系方式。'), hotlineLine());
    }
    // The bodies of the first hits, each once, the first hit's first.
    const bodies = [];
    for (const h of r.hits.slice(0, REACH_HITS)) {
      if (!bodies.some((b) => b.handled_by === h.handled_by)) bodies.push(h);
    }
    this.reachCard.replaceChildren(title,
      ...bodies.slice(0, REACH_BODIES).map((h) => el('div', { class: 'ps-reach-body' },
        el('p', { class: 'ps-reach-name' }, h.handled_by,
          h.handled_region ? null : el('span', { class: 'ps-handler-how' }, '（目录所列实施主体，清单未列明本地机关）')),
        renderContact({ ...h, complaint_phone: '' }))),
      el('p', { class: 'ps-hint' }, '具体事项的办理机关见下方结果。'));
  }

  /**
   * The article a citation query names, with the cited paragraph or item emphasised; several
   * articles (大气法第18条、第19条) each under its own citation; or, for an article or law no
   * item cites, that no item cites it.
   */
  #renderCitation(r) {
    const c = r.citation;
    const articles = c?.articles ?? [];
    const show = Boolean(c && (c.text || articles.length || c.uncited));
    this.citation.hidden = !show;
    if (!show) return;
    const uncited = r.total ? `没有事项引用${c.title}；下列事项引用本条的其他款项。` : `没有事项引用${c.title}。`;
    const tag = c.uncited ? '所查款项（无事项引用）' : '所查款项';
    // One article, the first asked: under the heading, which names it. Otherwise each article
    // the index has, labelled with its own citation.
    const labelled = articles.length > 1 || !c.text;
    const texts = labelled
      ? articles.map((a) => el('section', { class: 'ps-cited-article', 'aria-label': a.title },
        el('h3', { class: 'ps-article-title' }, a.title), renderArticle(a.paragraphs, a.cited, tag)))
      : [renderArticle(c.paragraphs, c.cited, tag)];
    this.citation.replaceChildren(
      el('h2', { class: 'ps-citation-title' }, c.title),
      ...(c.uncited ? [el('p', { class: 'ps-uncited' }, uncited)] : []),
      ...texts);
  }

  /**
   * Shows `hits` of `total`; when `more` and they continue the hits on screen (the rest of a
   * page after its first screen), only the new rows are added: the selection and the rows
   * already read stay.
   */
  #showList(hits, total, more = false) {
    const prior = this.hits ?? [];
    if (more && prior.length <= hits.length && prior.every((h, i) => h.code === hits[i].code)) {
      this.list.append(...hits.slice(prior.length).map((h, i) => this.#row(h, prior.length + i)));
      this.hits = hits;
      this.total = total;
      this.#afterList();
      return;
    }
    this.hits = hits;
    this.total = total;
    this.active = -1;
    this.input.removeAttribute('aria-activedescendant');
    this.list.replaceChildren(...hits.map((h, i) => this.#row(h, i)));
    this.#afterList();
  }

  /**
   * One result. With opt.itemHref the option is a link (<li role="none"><a role="option" href>),
   * out of the tab order like any option of a combobox (the box moves through them); else the
   * <li> is the option.
   */
  #row(hit, i) {
    const partial = this.strict != null && i >= this.strict && this.strict > 0;
    const href = this.opt.itemHref?.(hit.code);
    const option = el(href ? 'a' : 'li', {
      id: `${this.p}opt-${i}`, class: partial ? 'ps-hit ps-hit-partial' : 'ps-hit', role: 'option', 'aria-selected': 'false',
      'aria-setsize': this.total, 'aria-posinset': i + 1, 'data-code': hit.code, href, tabindex: href ? '-1' : null,
    }, renderHit(hit, { tree: this.tree, region: this.state.region, query: this.state.q }));
    if (partial) option.prepend(el('span', { class: 'ps-partial-tag' }, '部分相符'));
    return href ? el('li', { role: 'none', class: 'ps-hit-row' }, option) : option;
  }

  /** The option element of result `i` (the row itself, or the link in it). */
  #option(i) {
    const row = this.list.children[i];
    return row && row.getAttribute('role') !== 'option' ? row.firstElementChild : row;
  }

  #afterList() {
    const open = this.hits.length > 0 && !this.state.item;
    this.list.hidden = !open;
    this.input.setAttribute('aria-expanded', String(open));
    const rest = this.total - this.hits.length;
    this.more.hidden = rest <= 0;
    this.more.textContent = `显示更多（还有 ${rest} 项）`;
  }

  async #loadMore() {
    const seq = this.seq;
    const start = this.hits.length;
    let r;
    this.#busy(true);
    try {
      r = await this.index.search(this.state.q, this.#options({ offset: start }));
    } catch (err) {
      if (seq !== this.seq) return;
      this.#busy(false);
      return this.#failed(err);
    }
    if (seq !== this.seq || this.hits.length !== start) return; // the reader moved on
    this.#busy(false);
    this.hits = this.hits.concat(r.hits);
    this.list.append(...r.hits.map((h, i) => this.#row(h, start + i)));
    this.#afterList();
    this.#setActive(start);
    this.input.focus();
  }

  /** Draws the item page from its answers ({ item, related }: null item, a code not in the catalog). */
  #drawItem({ item, related }) {
    const ctx = {
      index: this.index, tree: this.tree, region: this.state.region, idPrefix: this.p, related,
      onBack: () => this.#back(), itemNote: this.opt.itemNote, admin: this.admin, officer: this.opt.officer?.() ?? false,
      print: this.opt.print,
      link: this.opt.link ?? ((code, children) => el('button', { type: 'button', class: 'ps-link', on: { click: () => this.open(code) } }, children)),
    };
    /** The item shown, for the page title. */
    this.item = item;
    this.itemPane.replaceChildren(item ? renderItemPage(item, ctx) : renderMissingItem(this.state.item, ctx));
  }

  // ——— keyboard and mouse ———

  #key(e) {
    // Moving through the results or opening one while an answer is on its way: it acts on that
    // answer, once drawn.
    if (this.drawing && ['ArrowDown', 'ArrowUp', 'Enter'].includes(e.key)) {
      e.preventDefault();
      const { key } = e;
      this.drawn().then(() => this.#key({ key, preventDefault() {} }));
      return;
    }
    switch (e.key) {
      case 'ArrowDown':
        if (!this.hits.length) return;
        e.preventDefault();
        this.#setActive(Math.min(this.active + 1, this.hits.length - 1));
        break;
      case 'ArrowUp':
        if (!this.hits.length) return;
        e.preventDefault();
        this.#setActive(Math.max(this.active - 1, 0));
        break;
      case 'Enter': {
        const hit = this.hits[this.active >= 0 ? this.active : 0];
        if (!hit || this.state.item) return;
        e.preventDefault();
        this.open(hit.code);
        break;
      }
      case 'Escape':
        e.preventDefault();
        if (this.state.item) this.#back();
        else if (this.input.value) {
          this.input.value = '';
          this.#update({ q: '' }, 'replace');
        }
        break;
      default:
    }
  }

  #setActive(i) {
    const old = this.#option(this.active);
    if (old) old.setAttribute('aria-selected', 'false');
    this.active = i;
    const li = this.#option(i);
    if (!li) return;
    li.setAttribute('aria-selected', 'true');
    this.input.setAttribute('aria-activedescendant', li.id);
    li.scrollIntoView({ block: 'nearest' });
  }

  #clicked(e) {
    const option = e.target.closest('[role="option"]');
    if (!option) return;
    // A link row: a new tab, a download, … (modifier keys, another button) is the browser's.
    if (option.href && (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey)) return;
    e.preventDefault();
    this.open(option.dataset.code);
  }
}

/** A disabled region picker of the usual four levels, in the real one's markup. */
function placeholderPicker() {
  return el('fieldset', { class: 'ps-region', disabled: true, 'aria-hidden': 'true' },
    el('legend', {}, '所在地（用于显示本地由谁办理）'),
    el('div', { class: 'ps-region-selects' }, REGION_LEVELS.map((level) =>
      el('div', { class: 'ps-field' }, el('label', {}, level.label), el('select', { class: 'ps-select' }, el('option', {}, '—'))))));
}
