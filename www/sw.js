// Service worker: the app and its index keep working with no network after the first visit.
//
// Strategy: network first for every same-origin GET, falling back to the cache when the network
// fails (or is slower than FALLBACK_MS while a cached copy exists). So a new index or a new
// wasm module replaces the cached one as soon as the page is online, and the module and index
// never drift apart for long; offline, the last good copies are used.
//
// Not in SHELL: previous.idx and versions.json (the older version, for 自X版以来的变化) are
// cached like any response, only once the page has fetched them.
//
// Bump VERSION when SHELL changes: the new worker precaches into a new cache, carries over what
// the old cache held (the index) and deletes the old cache.
const VERSION = '0.1.0-5';
const CACHE = `powerlist-${VERSION}`;
const FALLBACK_MS = 5000;

// Everything the app and the embed page need, relative to this file. The page test checks that
// every .js, .css and .html file in www/ is listed here.
const SHELL = [
  './',
  'index.html',
  'embed.html',
  'style.css',
  'components.css',
  'embed-demo.css',
  'favicon.svg',
  'admin-loader.js',
  'app.js',
  'changes.js',
  'charts.js',
  'dom.js',
  'item-view.js',
  'list.html',
  'list.css',
  'list.js',
  'loader.js',
  'offline.js',
  'power-search.js',
  'region.js',
  'render.js',
  'search-view.js',
  'text.js',
  'url-state.js',
  'pkg/powerlist.js',
  'pkg/build-info.js',
  'pkg/powerlist_bg.wasm',
  'pkg/admin/powerlist.js',
  'pkg/admin/powerlist_bg.wasm',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    for (const name of await caches.keys()) {
      if (name === CACHE || !name.startsWith('powerlist-')) continue;
      // Carry over what only the old cache has (indexes), then drop it.
      const old = await caches.open(name);
      for (const req of await old.keys()) {
        if (!(await cache.match(req))) await cache.put(req, await old.match(req));
      }
      await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

// The page asks to keep its index: { type: 'keep', url, bytes } → { ok }.
self.addEventListener('message', (event) => {
  const { data } = event;
  const port = event.ports[0];
  if (!data || data.type !== 'keep' || !port) return;
  event.waitUntil((async () => {
    try {
      const url = new URL(data.url, self.location.href);
      if (url.origin !== self.location.origin) throw new Error('other origin');
      const cache = await caches.open(CACHE);
      if (!(await cache.match(url.href))) {
        if (data.bytes) {
          await cache.put(url.href, new Response(data.bytes, { headers: { 'Content-Type': 'application/octet-stream' } }));
        } else {
          await cache.add(url.href);
        }
      }
      port.postMessage({ ok: true });
    } catch (err) {
      port.postMessage({ ok: false, error: String(err) });
    }
  })());
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || new URL(req.url).origin !== self.location.origin) return;
  event.respondWith(networkFirst(event));
});

/** Pages are cached without their query string: ?q=… only selects a view of the same page. */
function cacheKey(req) {
  if (req.mode !== 'navigate') return req.url;
  const u = new URL(req.url);
  u.search = '';
  u.hash = '';
  return u.href;
}

async function networkFirst(event) {
  const req = event.request;
  const key = cacheKey(req);
  const network = fetch(req);
  // Store a copy of a good response; the worker stays alive until it is written. (The clone is
  // taken in the first reaction to the response, before the page can read its body.)
  event.waitUntil(network.then((resp) => {
    if (!resp.ok || resp.type !== 'basic') return undefined;
    const copy = resp.clone();
    return caches.open(CACHE).then((c) => c.put(key, copy));
  }).catch(() => {}));
  const cache = await caches.open(CACHE);
  const cached = await cache.match(key);
  if (!cached) return network;
  let timer;
  const slow = new Promise((resolve) => { timer = setTimeout(() => resolve(cached), FALLBACK_MS); });
  // Offline or unreachable: the cached copy. A 404 or 500 is passed on as it is.
  return Promise.race([network.catch(() => cached), slow]).finally(() => clearTimeout(timer));
}
