// "Where am I": the catalog's region tree, a cascading picker (province → city → county →
// township/street) and the remembered choice.
import { el } from './dom.js';
import { REGION_LEVELS } from './text.js';

const STORAGE_KEY = 'powerlist.region';

/** The regions of an index (index.regions(): parents before children) as a tree. */
export class RegionTree {
  constructor(regions) {
    this.byCode = new Map();
    this.kids = new Map();
    for (const r of regions) {
      this.byCode.set(r.code, r);
      const p = r.parent && this.byCode.has(r.parent) ? r.parent : '';
      if (!this.kids.has(p)) this.kids.set(p, []);
      this.kids.get(p).push(r);
    }
  }

  has(code) { return this.byCode.has(code); }

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
    let max = 0;
    for (const code of this.byCode.keys()) max = Math.max(max, this.depth(code) + 1);
    return Math.min(max, REGION_LEVELS.length);
  }
}

/** The remembered region, if it exists in this catalog. localStorage may be unavailable. */
export function savedRegion(tree) {
  try {
    const code = localStorage.getItem(STORAGE_KEY);
    return code && tree.has(code) ? code : '';
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

  #picked(depth) {
    const code = this.selects[depth].value;
    const chosen = this.tree.path(code || (depth ? this.selects[depth - 1].value : '')).map((r) => r.code);
    // A level with a single choice (one province, one city) is filled in for the reader.
    let last = chosen.at(-1) ?? '';
    while (code && chosen.length < this.selects.length) {
      const kids = this.tree.children(last);
      if (kids.length !== 1) break;
      last = kids[0].code;
      chosen.push(last);
    }
    this._value = chosen.at(-1) ?? '';
    this.#fill(depth + 1, chosen);
    this.onChange?.(this._value);
  }
}
