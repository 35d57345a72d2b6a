// <power-search index="catalog/" region="321281100"></power-search>
//
// The embeddable search: one <script type="module" src=".../power-search.js"> and the element.
// Everything lives in a Shadow DOM, so the host page's CSS does not reach in and ours does not
// leak out; the host themes it with CSS custom properties (--ps-accent, --ps-font, …, see
// components.css). It is the app's own SearchView, without URL state and charts.
//
// Attributes: index (URL of the .idx, relative to the page; default catalog/, the chunked index of `powerlist build --web`; a single .idx file works too), region
// (division code or name; default: the reader's remembered choice), fixed-region (the region
// attribute is the only one: no picker, and the reader's own choice is neither used nor
// changed — a one-township portal), query (initial query), limit (results per page), url-state
// (opt-in: the query, filters and open item kept in the page's URL after `#ps?`, so Back returns
// from an item to the results and a link can open an item: one such element per page). Events: 'power-search-ready' (detail: { info }),
// 'power-search-open' (detail: { code }), 'power-search-error' (detail: { error }, bubbling) and
// 'error' (the same, on the element only, as an <img> fires it).
//
// What the portal puts inside <power-search> is its fallback: shown (with the element's own
// message) when the module, the index or a chunk cannot load — and, as for any element, when
// this script itself cannot.
import { loadIndex } from './loader.js';
import { loadAdmin } from './admin-loader.js';
import { SearchView } from './search-view.js';
import { el } from './dom.js';

const STYLESHEET = new URL('components.css', import.meta.url).href;

export class PowerSearch extends HTMLElement {
  static observedAttributes = ['index', 'region', 'query'];

  #view = null;
  #popstate = null;
  #fallback = null;
  #loaded = null;
  #loads = 0;

  connectedCallback() {
    if (this.#view) return;
    const shadow = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    // The element stays blank until its own stylesheet has loaded (no unstyled flash).
    const wrap = el('div', { class: 'ps-host', hidden: true });
    const link = el('link', { rel: 'stylesheet', href: STYLESHEET });
    const show = () => { wrap.hidden = false; };
    link.addEventListener('load', show);
    link.addEventListener('error', show);
    // The portal's own content (the light DOM), shown only when loading fails.
    this.#fallback = el('slot', { class: 'ps-fallback', hidden: true });
    shadow.replaceChildren(link, wrap, this.#fallback);
    this.#view = new SearchView(wrap, {
      limit: Number(this.getAttribute('limit')) || 10,
      fixedRegion: () => this.hasAttribute('fixed-region'),
      rememberRegion: !this.hasAttribute('fixed-region'),
      print: () => printOnly(this),
      onState: (state, how) => {
        if (state.item) this.dispatchEvent(new CustomEvent('power-search-open', { detail: { code: state.item }, bubbles: true, composed: true }));
        if (this.hasAttribute('url-state')) writeHash(state, how);
      },
    });
    if (!this.#popstate) {
      this.#popstate = () => {
        const view = this.#view;
        if (this.hasAttribute('url-state') && view?.index) view.setState({ ...view.state, ...EMPTY_HASH, ...readHash() });
      };
      addEventListener('popstate', this.#popstate);
    }
    this.#load();
  }

  disconnectedCallback() {
    if (this.#popstate) removeEventListener('popstate', this.#popstate);
    this.#popstate = null;
  }

  attributeChangedCallback(name, old, value) {
    if (!this.#view || old === value) return;
    const view = this.#view;
    if (name === 'index') this.#load();
    else if (!view.index) return; // applied when the index arrives
    else if (name === 'region') view.setState({ ...view.state, region: this.#region(view.index) });
    else view.setState({ ...view.state, q: value ?? '', item: '' });
  }

  /**
   * The loaded index (null until 'power-search-ready'), for pages that want the API: PowerIndex's
   * queries by the same names, answered by the search worker (each returns a promise).
   */
  get index() { return this.#view?.index ?? null; }

  /** Resolves when the index is loaded (rejects with the LoadError otherwise). */
  get ready() { return this.#loaded; }

  get query() { return this.#view?.state.q ?? ''; }

  set query(q) { this.setAttribute('query', q); }

  #load() {
    const url = this.getAttribute('index') || 'catalog/';
    const failed = (err) => {
      this.#view.showLoadError(err);
      this.#fallback.hidden = false;
      this.dispatchEvent(new CustomEvent('power-search-error', { detail: { error: err }, bubbles: true, composed: true }));
      this.dispatchEvent(new CustomEvent('error', { detail: { error: err } }));
    };
    // Only the latest index attribute counts: an earlier load finishing late is dropped.
    const load = ++this.#loads;
    const current = () => load === this.#loads;
    this.#loaded = loadIndex(url, document.baseURI, { onProgress: (n, total) => { if (current()) this.#view.setProgress(n, total); } }).then((loaded) => {
      const { index, checked } = loaded;
      if (!current()) return index;
      checked.catch((err) => { if (current()) failed(err); }); // a damaged block found after loading
      this.#fallback.hidden = true;
      const region = this.#region(index);
      const linked = this.hasAttribute('url-state') ? readHash() : {};
      this.#view.setIndex(index, { q: this.getAttribute('query') || '', ...(region ? { region } : {}), ...linked }, () => loadAdmin(loaded));
      this.dispatchEvent(new CustomEvent('power-search-ready', { detail: { info: index.meta.info }, bubbles: true, composed: true }));
      return index;
    }, (err) => {
      if (current()) failed(err);
      throw err;
    });
    this.#loaded.catch(() => {}); // reported in the element and by the event
  }

  /** The region attribute as a code: codes pass through, names are looked up. */
  #region(index) {
    const want = this.getAttribute('region');
    if (!want) return '';
    const match = index.meta.regions.find((r) => r.code === want || r.name === want);
    // A township a large chunked index does not list: its code, fetched when the view sets it.
    if (!match && /^[0-9A-Za-z]+$/.test(want) && index.meta.regions.some((r) => r.more)) return want;
    return match ? match.code : '';
  }
}

/**
 * Prints `element` alone: the item page's 打印 inside a portal would print the portal's header,
 * menus and footer around it. For the print, a stylesheet in the page hides everything else
 * (the element stays visible inside its hidden ancestors), and no focus ring is printed.
 */
function printOnly(element) {
  const mark = `ps-print-${Math.random().toString(36).slice(2)}`;
  element.setAttribute('data-ps-print', mark);
  // A constructed stylesheet: a portal whose CSP allows no inline styles still takes it.
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(`@media print {
  body * { visibility: hidden !important; }
  [data-ps-print="${mark}"], [data-ps-print="${mark}"] * { visibility: visible !important; }
  [data-ps-print="${mark}"] { position: absolute !important; inset: 0 auto auto 0 !important; width: 100% !important; margin: 0 !important; }
}`);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  const active = element.shadowRoot?.activeElement;
  active?.blur();
  const done = () => {
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
    element.removeAttribute('data-ps-print');
    active?.focus({ preventScroll: true });
  };
  addEventListener('afterprint', done, { once: true });
  window.print();
}

/** The view state an element with url-state keeps in the page's URL, after `#ps?`. */
const HASH_KEYS = ['q', 'field', 'type', 'level', 'item'];
const EMPTY_HASH = Object.fromEntries(HASH_KEYS.map((k) => [k, '']));

/** The state in the page's URL (`#ps?q=摆摊&item=CG-CF-014`); nothing when the hash is another. */
function readHash() {
  if (!location.hash.startsWith('#ps?')) return {};
  const p = new URLSearchParams(location.hash.slice(4));
  return Object.fromEntries(HASH_KEYS.filter((k) => p.has(k)).map((k) => [k, p.get(k)]));
}

/** Records the state in the page's URL: 'push' a new history entry (an item opened), else in place. */
function writeHash(state, how) {
  const p = new URLSearchParams();
  for (const k of HASH_KEYS) if (state[k]) p.set(k, state[k]);
  const qs = p.toString();
  const url = `${location.pathname}${location.search}${qs ? `#ps?${qs}` : ''}`;
  if (url === location.pathname + location.search + location.hash) return;
  if (how === 'push') history.pushState(history.state, '', url);
  else history.replaceState(history.state, '', url);
}

if (!customElements.get('power-search')) customElements.define('power-search', PowerSearch);
