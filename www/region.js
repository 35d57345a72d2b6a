// "Where am I": the catalog's region tree, a cascading picker (province → city → county →
// township/street) and the remembered choice.
import { el } from './dom.js';
import { REGION_LEVELS } from './text.js';

const STORAGE_KEY = 'powerlist.region';

/**
 * The regions of an index (index.regions(): parents before children) as a tree. A large chunked
 * index lists its counties without their townships (a county has `more`: how many are left
 * out); `load(code)` (index.regionsNear) fetches those near a code, and add() takes them.
 */
export class RegionTree {
  constructor(regions, load = null) {
    this.byCode = new Map();
    this.kids = new Map();
    /** Codes whose townships are still to fetch. */
    this.pending = new Set();
    this.load = load;
    this.#deepest = 0;
    this.add(regions);
  }

  #deepest;

  /** Adds regions (parents before children); a county whose townships arrive is no longer pending. */
  add(regions) {
    for (const r of regions) {
      if (this.byCode.has(r.code)) continue;
      this.byCode.set(r.code, r);
      const p = r.parent && this.byCode.has(r.parent) ? r.parent : '';
      if (!this.kids.has(p)) this.kids.set(p, []);
      this.kids.get(p).push(r);
      this.pending.delete(p);
      if (r.more) this.pending.add(r.code);
      // A county that leaves townships out counts the level below it.
      this.#deepest = Math.max(this.#deepest, this.depth(r.code) + (r.more ? 2 : 1));
    }
  }

  has(code) { return this.byCode.has(code); }

  /** Whether the tree may lack `code` or its children until fetch(code). */
  lacks(code) { return Boolean(code) && Boolean(this.load) && (this.pending.has(code) || (!this.byCode.has(code) && this.pending.size > 0)); }

  /** Fetches the regions near `code` (a county's townships) when the tree lacks them. */
  async fetch(code) {
    if (!this.lacks(code)) return;
    const near = await this.load(code);
    this.add(near);
    this.pending.delete(code);
  }

  name(code) { return this.byCode.get(code)?.name ?? code; }

  /** Children of `code` ('' for the roots). */
  children(code) { return this.kids.get(code) ?? []; }

  /** The regions from the root down to `code`. */
  path(code) {
    const out = [];
    for (let r = this.byCode.get(code); r; r = r.parent ? this.byCode.get(r.parent) : null) out.unshift(r);
    return out;
  }

  /** 江苏省泰州市兴化市戴窑镇 */
  fullName(code) { return this.path(code).map((r) => r.name).join(''); }

  /** 0 for a root, 1 below it, … (the tree's own depth, not the code length). */
  depth(code) { return Math.max(0, this.path(code).length - 1); }

  /** How many levels the tree has (at most the four the picker knows). */
  levels() {
    return Math.min(this.#deepest, REGION_LEVELS.length);
  }
}

/**
 * The remembered region, if it exists in this catalog (or may: a township the tree has still to
 * fetch). localStorage may be unavailable.
 */
export function savedRegion(tree) {
  try {
    const code = localStorage.getItem(STORAGE_KEY);
    return code && (tree.has(code) || tree.lacks(code)) ? code : '';
  } catch {
    return '';
  }
}

export function saveRegion(code) {
  try {
    if (code) localStorage.setItem(STORAGE_KEY, code);
    else localStorage.removeItem(STORAGE_KEY);
  } catch { /* private mode or sandboxed frame: the choice just is not remembered */ }
}

/**
 * Cascading selects, one per level. `value` is the deepest chosen region ('' for none).
 * `onChange(code)` fires on user changes only, not when `value` is set.
 */
export class RegionPicker {
  constructor(tree, { idPrefix, onChange }) {
    this.tree = tree;
    this.onChange = onChange;
    this.selects = [];
    const fields = [];
    for (let depth = 0; depth < tree.levels(); depth++) {
      const level = REGION_LEVELS[depth];
      const id = `${idPrefix}region-${depth}`;
      const select = el('select', { id, class: 'ps-select', 'data-depth': depth, on: { change: () => this.#picked(depth) } });
      this.selects.push(select);
      fields.push(el('div', { class: 'ps-field' }, el('label', { for: id }, level.label), select));
    }
    this.element = el('fieldset', { class: 'ps-region' },
      el('legend', {}, '所在地（用于显示本地由谁办理）'),
      el('div', { class: 'ps-region-selects' }, fields));
    this.picking = 0;
    this.value = '';
  }

  get value() { return this._value; }

  set value(code) {
    this._value = code && this.tree.has(code) ? code : '';
    const chosen = this.tree.path(this._value).map((r) => r.code);
    this.#fill(0, chosen);
  }

  /** Refills the selects from `depth` down, selecting `chosen[d]` at each depth. */
  #fill(from, chosen) {
    for (let d = from; d < this.selects.length; d++) {
      const select = this.selects[d];
      const parent = d === 0 ? '' : chosen[d - 1];
      const options = d === 0 || parent ? this.tree.children(parent) : [];
      select.replaceChildren(
        el('option', { value: '' }, options.length ? `（${REGION_LEVELS[d].placeholder}）` : '—'),
        ...options.map((r) => el('option', { value: r.code }, r.name)));
      select.value = chosen[d] ?? '';
      select.disabled = options.length === 0;
    }
  }

  async #picked(depth) {
    const code = this.selects[depth].value;
    const picking = ++this.picking;
    const chosen = this.tree.path(code || (depth ? this.selects[depth - 1].value : '')).map((r) => r.code);
    // A level with a single choice (one province, one city) is filled in for the reader; a
    // county whose townships are still to fetch is fetched first (its townships come with
    // its assignments, which its answers need anyway).
    let last = chosen.at(-1) ?? '';
    while (code && chosen.length < this.selects.length) {
      if (this.tree.lacks(last)) {
        this.#waiting(depth + 1, chosen);
        try {
          await this.tree.fetch(last);
        } catch {
          break; // the list stays as it is; choosing the county again retries
        }
        if (picking !== this.picking) return; // the reader chose again meanwhile
      }
      const kids = this.tree.children(last);
      if (kids.length !== 1) break;
      last = kids[0].code;
      chosen.push(last);
    }
    this._value = chosen.at(-1) ?? '';
    this.#fill(depth + 1, chosen);
    this.onChange?.(this._value);
  }

  /** The selects below `from` say their list is on its way. */
  #waiting(from, chosen) {
    this.#fill(from, chosen);
    const select = this.selects[from];
    if (!select) return;
    select.replaceChildren(el('option', { value: '' }, '（正在加载…）'));
    select.disabled = true;
  }
}
