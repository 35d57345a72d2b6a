// The app's view state in the URL's query string, so a link or a reload shows the same view and
// back/forward walk through it: ?q=摆摊&field=城市管理&region=321281100&item=CG-CF-014
// `index` is not view state: it is kept as it was in every URL the app writes.

const KEYS = ['q', 'field', 'type', 'level', 'region', 'item'];

/** The state in a URL. `region` is undefined when the URL does not name one (use the saved one). */
export function readState(href = location.href) {
  const p = new URL(href).searchParams;
  const s = Object.fromEntries(KEYS.map((k) => [k, p.get(k) ?? '']));
  if (!p.has('region')) s.region = undefined;
  return s;
}

/** The URL for a state, relative to the current page. */
export function stateUrl(state, href = location.href) {
  const current = new URL(href);
  const p = new URLSearchParams();
  for (const k of KEYS) if (state[k]) p.set(k, state[k]);
  const index = current.searchParams.get('index');
  if (index) p.set('index', index);
  const qs = p.toString();
  return qs ? `${current.pathname}?${qs}` : current.pathname;
}

/**
 * Records a state: 'push' makes a new history entry, 'replace' rewrites the current one (typing).
 * An entry that opened an item on top of the results is marked, so "back to the results" can
 * simply go back in history.
 */
export function writeState(state, how) {
  const url = stateUrl(state);
  const here = location.pathname + location.search;
  const fromList = how === 'push' && Boolean(state.item) && !new URL(location.href).searchParams.get('item');
  if (how === 'push' && url !== here) history.pushState({ powerlist: true, fromList }, '', url);
  else history.replaceState({ powerlist: true, fromList: history.state?.fromList ?? false }, '', url);
}
