// 正在查看另一份清单: a page showing any catalog but its own (?index=URL, same origin only under
// the pages' CSP) says so at the top, with the catalog's name, version and where it came from,
// and a link to the same view of the page's own catalog. A catalog anyone can put beside the
// site must not pass for the official list in the official-looking page.
import { el, setText } from './dom.js';

/** The pages' own catalog (the chunked index of `powerlist build --web`). */
export const DEFAULT_INDEX = 'catalog/';

/**
 * Whether `url` (an ?index= value, relative to `base`) names the page's own catalog: `catalog/`,
 * its core, or the same build's single file beside the page (`catalog.idx`, for old links).
 */
export function isDefaultIndex(url, base = document.baseURI) {
  const own = new URL(DEFAULT_INDEX, base).href;
  const abs = new URL(url, base).href;
  return [own, new URL('core.bin', own).href, new URL('catalog.idx', base).href].includes(abs);
}

/**
 * Fills `note` (hidden until then) for the ?index= of this page's URL, when it is not the page's
 * own catalog. `info` (IndexInfo, once loaded; null before) gives the name and version.
 * Returns whether a notice is shown.
 */
export function showForeign(note, info, href = location.href) {
  const here = new URL(href);
  const index = here.searchParams.get('index');
  if (!index || isDefaultIndex(index)) return false;
  const c = info?.catalog ?? {};
  const src = new URL(index, document.baseURI);
  const source = src.origin === here.origin ? src.pathname + src.search : src.href;
  here.searchParams.delete('index');
  setText(note, el('span', { class: 'foreign-what' },
    info ? ['正在查看另一份清单：', c.name || '未命名清单', '（', c.version ? [c.version, '，'] : null] : '正在查看另一份清单（',
    '来源：', el('code', {}, source), '）'),
  ' ', el('a', { href: here.pathname + here.search, class: 'foreign-back' }, '返回本站清单'));
  note.hidden = false;
  return true;
}
