// Loads an index, once per URL per page, in the search worker (search-worker.js: the wasm module
// and the index run there, off the main thread, so typing never waits for a search), and turns
// every failure into a LoadError whose Chinese text says what happened and what the reader can
// do about it. The page gets an object with PowerIndex's method names returning promises.

import { handOff, indexFile } from './body.js';

/** A failure to load, worded for the reader; `detail` keeps the technical message. */
export class LoadError extends Error {
  constructor(kind, what, todo, detail, url) {
    super(what);
    this.name = 'LoadError';
    this.kind = kind; // module | module-version | network | missing | missing-chunk | http | not-index | version | corrupt | stale
    this.what = what;
    this.todo = todo;
    this.detail = detail;
    this.url = url;
  }
}

/** An error from the worker's message, an Error again (a LoadError when it was one). */
function revive(e) {
  if (e.name === 'LoadError') return new LoadError(e.kind, e.what, e.todo, e.detail, e.url);
  const err = new Error(e.message);
  err.name = e.name;
  if (e.code !== undefined) err.code = e.code;
  if (e.names !== undefined) err.names = e.names;
  return err;
}

/**
 * Whether `err` says an answer needs index parts not downloaded yet (a call made with
 * `{ now: true }` on a chunked index): the same call without it fetches them and answers.
 */
export const needsChunks = (err) => err?.name === 'NeedChunks';

/** Whether `err` says a newer query in the same lane came first (its answer is not wanted). */
export const superseded = (err) => err?.name === 'Superseded';

let workerUrl = null;
let port = null;
let nextId = 0;
/** id → { resolve, reject, progress?, checked? } */
const pending = new Map();

/**
 * The script the worker runs: search-worker.js beside this module unless the page says
 * otherwise before its first load (the app's bundle names the worker's bundle).
 */
export function useWorker(url) {
  if (!port) workerUrl = url;
}

/** The worker's script. */
const workerScript = () => workerUrl ?? new URL('./search-worker.js', import.meta.url);

/** The port to the worker, started on first use: one for every index and view of the page. */
function connect() {
  if (port) return port;
  const url = workerScript();
  const sameOrigin = new URL(url, location.href).origin === location.origin;
  let worker = null;
  if (sameOrigin) {
    try {
      // (The literal form, which bundlers recognise and emit as a worker of its own.)
      worker = workerUrl
        ? new Worker(workerUrl, { type: 'module', name: 'powerlist-search' })
        : new Worker(new URL('./search-worker.js', import.meta.url), { type: 'module', name: 'powerlist-search' });
    } catch {
      worker = null; // no module workers, or the page's CSP forbids them: the page runs it
    }
  }
  if (worker) {
    let answered = false;
    worker.addEventListener('message', () => { answered = true; });
    worker.addEventListener('error', (e) => {
      // The worker's script did not load (or threw while starting): every wait fails, as a
      // module that did not load. A worker that never answered is dropped, so a message sent
      // after this (the page's downloads can end later than the worker's 404) starts another
      // and fails the same way, rather than waiting for ever.
      if (!answered && port === worker) {
        port = null;
        worker.terminate();
      }
      failAll(notStarted(url, e.message || `${url} did not start`));
    });
    port = worker;
  } else {
    // A module worker must come from the page's own origin: served from another (an embed from
    // a CDN), the search runs on the page, through the same messages.
    const channel = new MessageChannel();
    port = channel.port1;
    import(/* @vite-ignore */ String(url)).then((m) => m.serve(channel.port2), (err) => {
      failAll(notStarted(url, err.message));
    });
  }
  port.onmessage = ({ data }) => {
    const p = pending.get(data.id);
    if (!p) return;
    if (data.progress) return p.progress?.(...data.progress);
    if ('checked' in data) {
      pending.delete(data.id);
      return data.checked === true ? p.checked.resolve() : p.checked.reject(revive(data.checked));
    }
    if (!p.checked) pending.delete(data.id);
    if (data.error) {
      pending.delete(data.id);
      p.reject(revive(data.error));
    } else p.resolve(data.value);
  };
  return port;
}

/** The search worker's script did not load or start: the error names it and what to check. */
function notStarted(url, detail) {
  return new LoadError('module', `检索程序未能启动：${url}`,
    '请刷新页面重试；如果仍然如此，请网站管理员检查这个文件和它旁边的 pkg/ 目录是否已完整部署（用打包工具时，search-worker.js 要作为第二个入口打包到页面脚本旁边，见 EMBED.md）。',
    detail, String(url));
}

function failAll(err) {
  for (const [id, p] of pending) {
    pending.delete(id);
    p.reject(err);
    p.checked?.reject(err);
  }
}

/** Sends a message to the worker; resolves to its answer. */
function send(message, extra = {}, transfer = []) {
  const id = ++nextId;
  const port = connect();
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject, ...extra });
    port.postMessage({ ...message, id }, transfer);
  });
}

/** URL → { promise, listeners }: one load per URL, whoever asks. */
const loads = new Map();

/**
 * Resolves to `{ index, bytes, url, checked, chunked, core, chunkBytes }` (`url`: the file
 * downloaded, the core of a chunked index). Several components
 * asking for the same URL share one download and one index. A failed load is forgotten, so a
 * retry fetches again. `onProgress(received, total)` follows the index download (total is null
 * when the server did not say how much it sends).
 *
 * `index` answers as soon as it is loaded: loading checks its header, metadata and term FSTs,
 * and the module checks postings, item records and the pinyin FST as searches first read them.
 * `checked` resolves when the rest has been checked too (in the worker, between queries), or
 * rejects with a LoadError ('corrupt') when a block is damaged — show it as a load error.
 *
 * A chunked index (`catalog/`, or its `core.bin`) fetches the chunks each call needs in the
 * worker, before it answers (never from part of what it needs). `bytes` (`core` when chunked)
 * are the index's bytes as downloaded, for the offline copy and the maintainer's module;
 * `chunkBytes(name)` downloads one chunk (for the maintainer's module).
 */
export function loadIndex(url, base = document.baseURI, { onProgress } = {}) {
  const abs = new URL(url, base).href;
  let entry = loads.get(abs);
  if (!entry) {
    const listeners = new Set();
    const promise = load(abs, (received, total) => { for (const f of listeners) f(received, total); });
    entry = { promise, listeners };
    loads.set(abs, entry);
    promise.catch(() => loads.delete(abs)).finally(() => listeners.clear());
  }
  if (onProgress) entry.listeners.add(onProgress);
  return entry.promise;
}

/** The module's download is handed to the worker with the first load only. */
let moduleHanded = false;

/**
 * The page downloads the index file (a chunked index's core) and, the first time, the module,
 * and hands them to the worker: they start before the worker's script has even arrived (the
 * HTML preloads them, and a worker's fetch could not use the page's preload), side by side.
 */
async function download(url, onProgress) {
  connect(); // the worker's script downloads meanwhile
  const { file } = indexFile(url);
  const wasm = moduleHanded ? null : handOff(new URL('pkg/powerlist_bg.wasm', workerScript()).href);
  moduleHanded = true;
  const [index, module] = await Promise.all([handOff(file, onProgress), wasm]);
  const given = module ? { index, wasm: module } : { index };
  return { given, transfer: [index.body, module?.body].filter(Boolean) };
}

async function load(url, onProgress) {
  const { given, transfer } = await download(url, onProgress);
  let checkedResolve;
  let checkedReject;
  const checked = new Promise((resolve, reject) => { checkedResolve = resolve; checkedReject = reject; });
  checked.catch(() => {}); // the callers report it; never an unhandled rejection
  const value = await send({ type: 'load', url, given }, {
    progress: onProgress,
    checked: { resolve: checkedResolve, reject: checkedReject },
  }, transfer).catch((err) => {
    checkedReject(err);
    throw err;
  });
  const index = new SearchIndex(url, value);
  const chunkBytes = (name) => send({ type: 'chunk', url, name });
  // `url`: the file downloaded (a chunked index's core.bin), which the offline copy is offered.
  return { index, bytes: value.bytes, core: value.chunked ? value.bytes : undefined, url: value.file, chunked: value.chunked, chunkBytes, checked };
}

/**
 * An index in the worker, as the page uses it: PowerIndex's queries by the same names, each
 * returning a promise of its plain answer (`searchIds` of `{ total, ids, scores }`). `meta`
 * holds what does not change (info, fields, types, levels, regions — a large chunked index's
 * without townships: `regionsNear(code)` fetches a county's —, the module's version) and
 * `itemCount` the number of items, at once.
 *
 * `at({ lane, seq, now })` gives the same queries for one view: a call whose seq is no longer
 * the newest of its lane when its turn comes (the reader typed on) is not run, and rejects with
 * Superseded; with `now`, a call needing chunks not downloaded yet rejects with NeedChunks
 * instead of fetching them.
 */
export class SearchIndex {
  #url;

  constructor(url, { itemCount, meta }) {
    this.#url = url;
    this.itemCount = itemCount;
    this.meta = meta;
  }

  #call(method, args, how = {}) {
    return send({ type: 'call', url: this.#url, method, args, ...how });
  }

  at(how) {
    const call = (method) => (...args) => this.#call(method, args, how);
    return Object.fromEntries(METHODS.map((m) => [m, call(m)]));
  }

  search(...args) { return this.#call('search', args); }

  searchIds(...args) { return this.#call('searchIds', args); }

  item(...args) { return this.#call('item', args); }

  get(...args) { return this.#call('get', args); }

  handlers(...args) { return this.#call('handlers', args); }

  fields() { return this.#call('fields', []); }

  types() { return this.#call('types', []); }

  levels() { return this.#call('levels', []); }

  regions() { return this.#call('regions', []); }

  regionsNear(...args) { return this.#call('regionsNear', args); }

  info() { return this.#call('info', []); }

  missingChunks() { return this.#call('missingChunks', []); }
}

const METHODS = ['search', 'searchIds', 'item', 'get', 'handlers', 'fields', 'types', 'levels', 'regions', 'regionsNear', 'info', 'missingChunks'];
