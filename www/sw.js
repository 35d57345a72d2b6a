// Service worker: a repeat visit needs no network before its first answer, a new deploy reaches a
// returning reader at their next visit, and the whole app works offline after the first visit.
//
// Driven by files.json (written by `powerlist manifest www`: every file's path, size and content
// hash, and a build digest over them), so nothing here lists files or needs bumping by hand.
//
// - A build's files live in the cache `powerlist-build-<digest>`. It becomes the current build
//   (a pointer in the cache `powerlist-meta`) only once every file is in it and matched its hash,
//   so a half-downloaded update is never used and the page never mixes two builds.
// - fetch: cache-first from the current build for every GET it holds (pages by path: ?q=… only
//   selects a view of the same page); the rest goes to the network, and successful responses are
//   kept for offline use in `powerlist-runtime` (content-named files are served from there first).
// - install: the first copy (registered by the page after its first answer). Updates: the page
//   asks for a check after its first answer ({type: 'check'}); a new build is downloaded in the
//   background, reusing every file whose hash did not change, then switched to atomically.
// - Progress ({type: 'progress'}), completion ({type: 'ready'}) and failure ({type: 'failed'})
//   are posted to every window, so the page can show them.
const BUILD = 'powerlist-build-';
const META = 'powerlist-meta';
const RUNTIME = 'powerlist-runtime';
const here = (path) => new URL(path, self.location.href).href;
const MANIFEST_URL = here('files.json');
const CURRENT_KEY = here('.powerlist/current');
/** Where a build cache keeps the manifest it was made from: for reuse by hash. */
const BUILD_MANIFEST_KEY = here('.powerlist/files.json');
/** Downloads at once while copying a build. */
const PARALLEL = 6;

/** Listed but not copied ahead: the older version (fetched only when the reader compares). */
// Single-file indexes (catalog.idx for the CLI and old embeds, previous.idx) are not copied
// ahead: the page reads the chunked catalog/; a .idx asked for is kept once fetched.
const precached = (path) => !path.endsWith('.idx') && !path.startsWith('test-tmp/');

/** Which build each window was served from (client id → digest): its later requests stay in it. */
const bound = new Map();
/** The check under way, if any: one at a time. */
let checking = null;
/** The build being copied, if any (never pruned while copying). */
let copying = null;
/** Bytes a page already downloaded (url → ArrayBuffer), offered so the first copy skips them. */
const offered = new Map();

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    try {
      await check();
    } catch (err) {
      // A new worker with no network: fine if a complete build is already here.
      if (!(await currentBuild())) throw err;
    }
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    await prune({ legacy: true });
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  const data = event.data || {};
  const port = event.ports[0];
  if (data.type === 'offer') offer(event, data);
  if (data.type !== 'check') return;
  // Answer at once (is this page's build complete?), then look for a new build if asked.
  event.waitUntil((async () => {
    const build = await currentBuild();
    port?.postMessage({ build, ready: Boolean(build) });
    if (data.update) await check().catch(() => {});
    else await prune();
  })());
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || url.href === self.location.href) return;
  event.respondWith(respond(event, url));
});

// ——— serving ———

/** Pages are looked up by path, without ?q=… (a view of the same page); a folder is its index.html. */
function cacheKey(req, url) {
  if (req.mode !== 'navigate') return url.href;
  const u = new URL(url.href);
  u.search = '';
  u.hash = '';
  if (u.pathname.endsWith('/')) u.pathname += 'index.html';
  return u.href;
}

async function respond(event, url) {
  const req = event.request;
  const key = cacheKey(req, url);
  // A page's own build for its subresources; a new page gets the current build.
  const build = (req.mode !== 'navigate' && bound.get(event.clientId)) || await currentBuild();
  if (build) {
    const hit = await caches.match(key, { cacheName: BUILD + build });
    if (hit) {
      if (req.mode === 'navigate' && event.resultingClientId) bound.set(event.resultingClientId, build);
      return hit;
    }
    // Listed but not copied ahead (catalog.idx, previous.idx): checked against its hash.
    const hash = (await listing(build))?.get(key);
    if (hash) return listedFromNetwork(event, key, build, hash);
  }
  return fromNetwork(event, key, url);
}

/** A name with a dot-part of 16 or more hex digits (core.0123…cdef.idx) names its contents: it never changes. */
const contentNamed = (path) => path.split('/').pop().split('.').slice(1).some((part) => /^[0-9a-f]{16,}$/i.test(part));

/**
 * Whether a response is the file asked for, fit to keep: a 200 from this origin, not redirected,
 * and not a page where a page was not asked for (a captive portal answers every request with
 * its login page, 200 text/html).
 */
function keepable(resp, url) {
  if (resp.status !== 200 || resp.type !== 'basic' || resp.redirected) return false;
  const page = url.pathname.endsWith('/') || /\.html?$/.test(url.pathname);
  return page || !/^text\/html\b/i.test(resp.headers.get('Content-Type') || '');
}

async function fromNetwork(event, key, url) {
  const req = event.request;
  if (contentNamed(url.pathname)) {
    const kept = await caches.match(key, { cacheName: RUNTIME });
    if (kept) return kept;
  }
  let resp;
  try {
    resp = await fetch(req);
  } catch (err) {
    // Offline: what was kept, or (for a file of an older build) any cache that has it.
    const kept = await caches.match(key, { cacheName: RUNTIME }) || await caches.match(key);
    if (kept) return kept;
    throw err;
  }
  if (url.pathname.endsWith('/files.json')) return resp;
  if (keepable(resp, url)) {
    // Kept for offline use (another ?index=, chunks not yet in a build).
    const copy = resp.clone();
    event.waitUntil(caches.open(RUNTIME).then((c) => c.put(key, copy)).catch(() => {}));
    return resp;
  }
  // Not the file (a login page, a redirect elsewhere, the gateway's 511): what was kept, if anything.
  if (resp.ok || resp.redirected || resp.status === 511) {
    const kept = await caches.match(key, { cacheName: RUNTIME });
    if (kept) return kept;
  }
  return resp;
}

/**
 * A file the page's build lists but did not copy ahead, from the network: kept in that build
 * once it matched its hash. A body that does not match (a damaged or newer file on the server,
 * a login page) is never kept; a copy kept earlier is served instead, if there is one.
 */
async function listedFromNetwork(event, key, build, hash) {
  const kept = () => caches.match(key, { cacheName: BUILD + build }).then((k) => k || caches.match(key, { cacheName: RUNTIME }));
  let resp;
  try {
    resp = await fetch(event.request);
  } catch (err) {
    const k = await kept() || await caches.match(key);
    if (k) return k;
    throw err;
  }
  if (resp.status !== 200 || resp.redirected) return (resp.redirected && await kept()) || resp;
  const body = await resp.arrayBuffer();
  const headers = new Headers({ 'Content-Type': resp.headers.get('Content-Type') || 'application/octet-stream' });
  if (await hashOf(body) === hash) {
    if (await caches.has(BUILD + build)) {
      const cache = await caches.open(BUILD + build);
      await cache.put(key, new Response(body.slice(0), { headers }));
    }
  } else {
    const k = await kept();
    if (k) return k;
  }
  return new Response(body, { status: 200, headers });
}

// ——— builds ———

async function currentBuild() {
  const resp = await caches.match(CURRENT_KEY, { cacheName: META });
  return resp ? (await resp.json()).build : null;
}

/** url → hash for every file a build lists (from the manifest kept in its cache); null if none. */
const listings = new Map();
async function listing(build) {
  if (!listings.has(build)) {
    const m = await caches.match(BUILD_MANIFEST_KEY, { cacheName: BUILD + build });
    if (!m) return null;
    listings.set(build, new Map((await m.json()).files.map((f) => [here(f.path), f.hash])));
  }
  return listings.get(build);
}

async function setCurrent(build) {
  const meta = await caches.open(META);
  await meta.put(CURRENT_KEY, new Response(JSON.stringify({ build }), { headers: { 'Content-Type': 'application/json' } }));
}

/**
 * Fetches files.json (revalidated: a 304 costs a few hundred bytes) and checks its shape; null
 * when the site has none (404).
 */
async function fetchManifest() {
  const resp = await fetch(MANIFEST_URL, { cache: 'no-cache' });
  if (resp.status === 404) return null;
  if (resp.status !== 200 || resp.redirected) throw new Error(`files.json: HTTP ${resp.status}${resp.redirected ? ' (redirected)' : ''}`);
  // A captive portal's login page (200 text/html) is not a list of files.
  if (/^text\/html\b/i.test(resp.headers.get('Content-Type') || '')) throw new Error('files.json: not a powerlist manifest (text/html)');
  let m;
  try {
    m = await resp.json();
  } catch {
    throw new Error('files.json: not a powerlist manifest (not JSON)');
  }
  const ok = m && /^[0-9a-f]{16,}$/.test(m.build) && Array.isArray(m.files) && m.files.every((f) =>
    typeof f.path === 'string' && !f.path.startsWith('/') && !f.path.split('/').includes('..')
    && Number.isSafeInteger(f.bytes) && /^[0-9a-f]{16,}$/.test(f.hash));
  if (!ok) throw new Error('files.json: not a powerlist manifest');
  return m;
}

/** Looks for a new build and copies it; one check at a time. Resolves when done. */
function check() {
  if (!checking) {
    checking = (async () => {
      const manifest = await fetchManifest();
      if (!manifest) {
        // The site no longer lists its files: its pages come from the network again (kept in
        // the runtime cache for offline use), rather than the last build forever. The build
        // caches stay, so a manifest that comes back reuses them.
        await caches.delete(META);
        throw new Error('files.json: HTTP 404');
      }
      const current = await currentBuild();
      if (manifest.build !== current) await copy(manifest, current);
      await prune();
    })().finally(() => { checking = null; });
  }
  return checking;
}

/**
 * Copies a build into its cache, reusing what any earlier (or half-done) build cache holds with
 * the same hash, then makes it current. Throws, leaving the current build in use, when a file
 * cannot be had or does not match its hash (the site changed again while downloading): the
 * verified files stay for the next try.
 */
async function copy(manifest, previous) {
  const name = BUILD + manifest.build;
  copying = manifest.build;
  try {
    const cache = await caches.open(name);
    await cache.put(BUILD_MANIFEST_KEY, new Response(JSON.stringify(manifest)));
    const reuse = await reusable(name);
    // Small files first: they are most of the app, and by the time the large ones come up a
    // page's offer of the index it already downloaded has arrived.
    const files = manifest.files.filter((f) => precached(f.path)).sort((a, b) => a.bytes - b.bytes);
    const progress = reporter(manifest.build, files, Boolean(previous));
    const queue = files.slice();
    const worker = async () => {
      for (let f = queue.shift(); f; f = queue.shift()) {
        try {
          await copyFile(cache, f, reuse, progress);
        } catch (err) {
          queue.length = 0; // the other downloads stop after their current file
          progress.stop();
          throw err;
        }
        progress.fileDone(f);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    // A newer worker may have pruned this cache meanwhile: never point at a missing build.
    if (!(await caches.has(name))) throw new Error('the copy was removed while it was made');
    await setCurrent(manifest.build);
    await keepUnlisted();
    await broadcast({ type: 'ready', build: manifest.build, updated: Boolean(previous) });
  } catch (err) {
    await broadcast({ type: 'failed', build: manifest.build, error: String(err && err.message || err) });
    throw err;
  } finally {
    copying = null;
  }
}

/** hash → [cache name, url] for every file the other build caches hold. */
async function reusable(except) {
  const out = new Map();
  for (const name of await caches.keys()) {
    if (!name.startsWith(BUILD) || name === except) continue;
    const m = await caches.match(BUILD_MANIFEST_KEY, { cacheName: name });
    if (!m) continue;
    for (const f of (await m.json()).files || []) out.set(f.hash, [name, here(f.path)]);
  }
  return out;
}

async function copyFile(cache, f, reuse, progress) {
  const url = here(f.path);
  if (await cache.match(url)) return; // verified by an earlier, interrupted try
  const old = reuse.get(f.hash);
  const kept = old && await caches.match(old[1], { cacheName: old[0] });
  if (kept) return cache.put(url, kept);
  const have = offered.get(url);
  if (have && await hashOf(have) === f.hash) {
    return cache.put(url, new Response(have, { headers: { 'Content-Type': 'application/octet-stream' } }));
  }
  // Revalidated, so an old copy in the browser's HTTP cache is not taken for the new one (a
  // content-named file cannot be old).
  const resp = await fetch(url, { cache: contentNamed(f.path) ? 'default' : 'no-cache' });
  if (resp.status !== 200) throw new Error(`${f.path}: HTTP ${resp.status}`);
  const body = await readAll(resp, (n) => progress.bytes(f, n));
  if (await hashOf(body) !== f.hash) throw new Error(`${f.path} changed while the build was copied`);
  const headers = new Headers();
  headers.set('Content-Type', resp.headers.get('Content-Type') || 'application/octet-stream');
  await cache.put(url, new Response(body, { headers }));
}

/** The whole body, reporting bytes as they arrive. */
async function readAll(resp, onBytes) {
  if (!resp.body) return resp.arrayBuffer();
  const reader = resp.body.getReader();
  const parts = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    size += value.length;
    onBytes(value.length);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out.buffer;
}

/** The first 128 bits of SHA-256, in hex: the manifest's hash. */
async function hashOf(buffer) {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', buffer));
  return Array.from(d.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Posts copy progress (files and bytes done of the total) to the pages, a few times a second. */
function reporter(build, files, update) {
  const total = { files: files.length, bytes: files.reduce((n, f) => n + f.bytes, 0) };
  const done = { files: 0, bytes: 0 };
  const partial = new Map(); // file → bytes received so far, while it downloads
  let last = 0;
  let stopped = false;
  const send = (force) => {
    const now = Date.now();
    if (stopped || (!force && now - last < 200)) return;
    last = now;
    let bytes = done.bytes;
    for (const n of partial.values()) bytes += n;
    broadcast({
      type: 'progress', build, update, files: done.files, filesTotal: total.files,
      bytes: Math.min(bytes, total.bytes), bytesTotal: total.bytes,
    });
  };
  send(true);
  return {
    stop() { stopped = true; },
    bytes(f, n) {
      partial.set(f, (partial.get(f) || 0) + n);
      send(false);
    },
    fileDone(f) {
      partial.delete(f);
      done.files += 1;
      done.bytes += f.bytes;
      send(done.files === total.files);
    },
  };
}

async function broadcast(message) {
  for (const c of await self.clients.matchAll({ type: 'window', includeUncontrolled: true })) c.postMessage(message);
}

/**
 * Deletes the build caches nothing uses: all but the current one, the one being copied and those
 * open pages were served from. On activation also the caches of the worker before files.json
 * (powerlist-<version>), which that worker no longer serves from. In the runtime cache, the files
 * a build lists (the current one's or a deleted one's) go too: they are a build's, not kept apart
 * (what stays there is what no build of this site lists: another ?index= the reader opened).
 */
async function prune({ legacy = false } = {}) {
  const current = await currentBuild();
  const keep = new Set([current, copying]);
  const live = new Set((await self.clients.matchAll({ type: 'window', includeUncontrolled: true })).map((c) => c.id));
  for (const [id, build] of bound) {
    if (live.has(id)) keep.add(build);
    else bound.delete(id);
  }
  const drop = [];
  const listed = new Set();
  for (const name of await caches.keys()) {
    if (name === META || name === RUNTIME || !name.startsWith('powerlist-')) continue;
    if (name.startsWith(BUILD)) {
      const build = name.slice(BUILD.length);
      if (build === current || !keep.has(build)) for (const url of (await listing(build))?.keys() ?? []) listed.add(url);
      if (keep.has(build)) continue;
    } else if (!legacy) continue;
    drop.push(name);
  }
  // Only once a build is current: before that the runtime cache is all an uncopied site has.
  if (current && await caches.has(RUNTIME)) {
    const runtime = await caches.open(RUNTIME);
    for (const req of await runtime.keys()) if (listed.has(req.url)) await runtime.delete(req);
  }
  for (const name of drop) {
    await caches.delete(name);
    listings.delete(name.slice(BUILD.length));
  }
}

/**
 * A page offers the bytes of a file it already downloaded ({type: 'offer', url, bytes}): the first
 * copy uses them once their hash matches, and a file no build lists (another ?index=) is kept
 * for offline use as the page fetched it.
 */
function offer(event, { url, bytes }) {
  let u;
  try {
    u = new URL(url, self.location.href);
  } catch {
    return;
  }
  if (u.origin !== self.location.origin || !ArrayBuffer.isView(bytes)) return;
  offered.set(u.href, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  // While a copy runs, it takes what it lists and keeps the rest when it is done.
  if (!copying) event.waitUntil(keepUnlisted());
}

/** Puts the offered files the current build does not list into the runtime cache. */
async function keepUnlisted() {
  const build = await currentBuild();
  const m = build && await caches.match(BUILD_MANIFEST_KEY, { cacheName: BUILD + build });
  if (!m) return;
  const listed = new Set((await m.json()).files.map((f) => here(f.path)));
  const runtime = await caches.open(RUNTIME);
  for (const [url, buffer] of offered) {
    if (!listed.has(url)) await runtime.put(url, new Response(buffer, { headers: { 'Content-Type': 'application/octet-stream' } }));
  }
  offered.clear();
}
