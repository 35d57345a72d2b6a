// DOM helpers shared by the app and the <power-search> element.
//
// Every catalog string reaches the page through these helpers as a text node, never as HTML:
// there is no innerHTML anywhere in www/. The page runs under a CSP without 'unsafe-inline',
// so inline style attributes are refused too: set styles through element.style, not here.

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
    else parent.append(c);
  }
  return parent;
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
