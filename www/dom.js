// DOM helpers shared by the app and the <power-search> element.
//
// Every catalog string reaches the page through these helpers as a text node, never as HTML:
// there is no innerHTML anywhere in www/. The page runs under a CSP without 'unsafe-inline',
// so inline style attributes are refused too: set styles through element.style, not here.
//
// And isolated: a string child that could reorder the text around it (right-to-left letters, or
// a bidi control such as U+202E, which reverses everything after it to the end of the line) is
// put in a <bdi> of its own, so a region or body name with an RLO reverses neither the body
// named after it nor a code beside it. The UI's own strings are Chinese: they never need it.
// So a catalog value must be its own child, not part of a longer string: write
// el('p', {}, t`在${name}由 `), not `在${name}由 `.

/**
 * Creates an element. `attrs` are attributes (`class`, `id`, `aria-*`, …), except:
 * `on` is an object of event listeners, and `hidden`/`disabled` take booleans.
 * Children are nodes or strings (strings become text nodes); null/false are skipped.
 */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'on') {
      for (const [type, fn] of Object.entries(v)) e.addEventListener(type, fn);
    } else if (k === 'style') {
      throw new Error('el(): set styles with element.style (the CSP forbids style attributes)');
    } else {
      e.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(e, children);
  return e;
}

/** Appends children (nodes, strings, arrays of them); skips null, undefined and false. */
export function append(parent, children) {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(parent, c);
    else if (typeof c === 'string') parent.append(isolated(c, parent));
    else parent.append(c);
  }
  return parent;
}

/** Replaces a node's children (as append() adds them: strings isolated when they need it). */
export function setText(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}

/**
 * Characters that can move the text around them: right-to-left letters (Hebrew, Arabic, Syriac,
 * Thaana, N'Ko…, their presentation forms and the supplementary right-to-left blocks) and the
 * explicit bidi controls (LRM, RLM, ALM, LRE…RLO, LRI…PDI).
 */
const BIDI = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|\ud802[\udc00-\udfff]|\ud803[\udc00-\udfff]|\ud83a[\udc00-\udfff]|\ud83b[\udc00-\udfff]/;
const CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` as it may stand beside other text: itself when it cannot reorder anything, else in a
 * <bdi> (its own direction; an override or embedding it opens ends with it). Where only text is
 * allowed (an <option>, the title), its controls are dropped and it is put between FSI and PDI.
 */
export function isolated(text, parent) {
  if (!BIDI.test(text)) return text;
  if (parent && (parent.localName === 'option' || parent.localName === 'title')) return isolatedText(text);
  const b = document.createElement('bdi');
  b.textContent = text;
  return b;
}

/** A string to put into a text-only place (an option's label, document.title) isolated. */
export function isolatedText(text) {
  return BIDI.test(text) ? `\u2068${text.replace(CONTROLS, '')}\u2069` : text;
}

/**
 * A template whose values are catalog strings, as children for el()/append(): each value its own
 * string, so each is isolated on its own. t`在${name}由 ` → ['在', name, '由 '].
 */
export function t(strings, ...values) {
  const out = [];
  strings.forEach((s, i) => {
    if (s) out.push(s);
    if (i < values.length && values[i] != null && values[i] !== '') out.push(String(values[i]));
  });
  return out;
}

/**
 * The name with its highlight ranges wrapped in <mark>. Ranges are [start, end) in characters
 * (code points), so the string is split with Array.from, not by UTF-16 index.
 */
export function highlighted(text, ranges = []) {
  const chars = Array.from(text);
  const frag = document.createDocumentFragment();
  let at = 0;
  for (const [s, e] of [...ranges].sort((a, b) => a[0] - b[0])) {
    const start = Math.max(s, at);
    const end = Math.min(e, chars.length);
    if (end <= start) continue;
    if (start > at) frag.append(chars.slice(at, start).join(''));
    frag.append(el('mark', {}, chars.slice(start, end).join('')));
    at = end;
  }
  if (at < chars.length) frag.append(chars.slice(at).join(''));
  return frag;
}

/** A short unique id prefix, so several components on one page never share ids. */
let counter = 0;
export function uid(prefix = 'ps') {
  counter += 1;
  return `${prefix}${counter}`;
}
