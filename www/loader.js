// Loads the wasm module and an index file, once per URL per page, and turns every failure into a
// LoadError whose Chinese text says what happened and what the reader can do about it.
import init, { PowerIndex, formatVersion, neededChunks, version } from './pkg/powerlist.js';
import { VERSION as PAGE_VERSION } from './pkg/build-info.js';

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

/**
 * Thrown by a chunked index's methods (see `loadIndex`) when the answer needs chunks that have
 * not arrived: `fetch()` downloads and adds them all; then ask again. Never a partial answer.
 */
export class NeedChunks extends Error {
  constructor(names, fetch) {
    super(`正在下载索引的 ${names.length} 个部分…`);
    this.name = 'NeedChunks';
    this.names = names;
    this.fetch = fetch;
  }
}

/** Calls `call()` until it no longer needs chunks, fetching what each round names. */
export async function ask(call) {
  for (let round = 0; ; round++) {
    try {
      return call();
    } catch (err) {
      if (!(err instanceof NeedChunks) || round >= MAX_ROUNDS) throw err;
      await err.fetch();
    }
  }
}

/** More rounds than any answer needs (four for a search, one more for an item page). */
const MAX_ROUNDS = 16;

/** A chunked index is named by its directory (`catalog/`) or its core (`catalog/core.bin`). */
const isChunked = (url) => url.endsWith('/') || /\/core\.bin$/.test(new URL(url).pathname);

/** URL → { promise, listeners }: one download per URL, whoever asks. */
const loads = new Map();

/**
 * Resolves to `{ index, bytes, url, checked }`. Several components asking for the same URL share
 * one download and one PowerIndex. A failed load is forgotten, so a retry fetches again.
 * `onProgress(received, total)` follows the index download (total is null when the server did
 * not say how much it sends).
 *
 * The index answers as soon as it is loaded: loading checks its header, metadata and term FSTs, and
 * the module checks postings, item records and the pinyin FST as searches first read them. `checked` resolves when
 * the rest has been checked too, a slice between frames, or rejects with a LoadError ('corrupt')
 * when a block is damaged — show it as a load error.
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

async function load(url, onProgress) {
  const chunked = isChunked(url);
  const file = chunked && url.endsWith('/') ? new URL('core.bin', url).href : url;
  // The index downloads while the module is fetched and compiled: neither waits for the other.
  // Its failure is reported after the module's own (a page without its module cannot search).
  const download = fetchIndex(file, onProgress);
  download.catch(() => {});
  try {
    // The module's URL from here, not from the glue's own: the page's bundle (app.min.js)
    // carries the glue, and this file and the bundle both sit beside pkg/.
    await init({ module_or_path: new URL('pkg/powerlist_bg.wasm', import.meta.url) });
  } catch (err) {
    throw new LoadError('module', '检索程序（WebAssembly 模块）未能加载。',
      '请刷新页面重试；如果仍然如此，请网站管理员检查 pkg/ 目录是否已完整部署，以及浏览器是否支持 WebAssembly。',
      err.message, url);
  }
  // The page and the module must come from one build (a stale cache can mix them).
  if (version() !== PAGE_VERSION) {
    throw new LoadError('module-version',
      `检索模块版本（powerlist ${version()}）与本页面版本（powerlist ${PAGE_VERSION}）不一致。`,
      '请强制刷新页面（Ctrl+F5）或清除本站缓存；网站管理员需要把同一次构建的 www/ 与 pkg/ 一起部署。',
      `module ${version()}, page ${PAGE_VERSION}`, url);
  }
  const bytes = await download;
  let index;
  try {
    index = chunked ? PowerIndex.fromCore(bytes) : new PowerIndex(bytes);
  } catch (err) {
    throw explain(err, file);
  }
  if (chunked) return chunkedIndex(index, bytes, file);
  const checked = checkRest(index, url);
  checked.catch(() => {}); // the callers report it; never an unhandled rejection
  return { index, bytes, url, checked };
}

/**
 * A chunked index as the page uses it: `index` answers like a PowerIndex, except that a call
 * needing chunks not here yet throws NeedChunks (whose `fetch()` gets them). `chunkBytes(name)`
 * downloads one chunk (for the maintainer's module); `checked` resolves at once, as each chunk is
 * checked when it is added.
 */
function chunkedIndex(raw, core, url) {
  const fetched = new Map(); // name → promise: one download per chunk, however many ask
  const add = (name) => {
    if (!fetched.has(name)) {
      const p = chunkBytes(name).then((bytes) => {
        try {
          raw.addChunk(bytes);
        } catch (err) {
          throw explain(err, new URL(`${name}.bin`, url).href);
        }
      });
      fetched.set(name, p);
      p.catch(() => fetched.delete(name)); // a retry downloads it again
    }
    return fetched.get(name);
  };
  const chunkBytes = (name) => fetchIndex(new URL(`${name}.bin`, url).href, () => {}, 'chunk');
  const fetchAll = (names) => Promise.all(names.map(add)).then(() => {});
  const index = new Proxy(raw, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      return (...args) => {
        try {
          return value.apply(target, args);
        } catch (err) {
          const names = neededChunks();
          if (!names.length) throw err;
          throw new NeedChunks(names, () => fetchAll(names));
        }
      };
    },
  });
  return { index, raw, bytes: core, core, url, chunked: true, chunkBytes, checked: Promise.resolve() };
}

/** Downloads the index file, reporting bytes as they arrive; throws a LoadError. */
async function fetchIndex(url, onProgress, what = 'index') {
  let resp;
  try {
    resp = await fetch(url);
  } catch (err) {
    throw offline(err, url);
  }
  if (resp.status === 404 && what === 'chunk') {
    throw new LoadError('missing-chunk', `索引的一部分没有找到（HTTP 404）：${url}`,
      '网站上的索引可能刚刚更新：请刷新页面；如果仍然如此，请网站管理员把 `powerlist build --web` 的输出完整发布。',
      `HTTP ${resp.status} ${resp.statusText}`, url);
  }
  if (resp.status === 404) {
    throw new LoadError('missing', `找不到索引文件（HTTP 404）：${url}`,
      '请检查网址中的 index= 参数是否正确；网站管理员需要用 `powerlist build` 生成索引文件并放到这个位置。',
      `HTTP ${resp.status} ${resp.statusText}`, url);
  }
  if (!resp.ok) {
    throw new LoadError('http', `服务器没有返回索引文件（HTTP ${resp.status}）：${url}`,
      '请稍后刷新页面重试；如果一直如此，请联系网站管理员。', `HTTP ${resp.status} ${resp.statusText}`, url);
  }
  try {
    return await readBody(resp, onProgress);
  } catch (err) {
    throw offline(err, url);
  }
}

function offline(err, url) {
  return new LoadError('network', '无法下载索引文件：网络不可用，本机也没有保存过它。',
    '请连接网络后刷新页面。首次成功打开后，本页即可离线使用。', err.message, url);
}

/**
 * The body as bytes, calling onProgress(received, total) per chunk. Content-Length is the total
 * only when the body is not compressed on the wire (then it counts compressed bytes).
 */
async function readBody(resp, onProgress) {
  const length = Number(resp.headers.get('Content-Length'));
  const encoding = resp.headers.get('Content-Encoding');
  let total = length > 0 && (!encoding || encoding === 'identity') ? length : null;
  if (!resp.body) return new Uint8Array(await resp.arrayBuffer());
  const reader = resp.body.getReader();
  const chunks = [];
  let received = 0;
  onProgress(0, total);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    if (total && received > total) total = null; // the server's figure was not the body's
    onProgress(received, total);
  }
  const bytes = new Uint8Array(received);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return bytes;
}

/** Bytes checked per slice: a few milliseconds of the main thread. */
const CHECK_SLICE = 2 << 20;

/** Checks what loading left unchecked, one slice per task, after the first answer is shown. */
function checkRest(index, url) {
  return new Promise((resolve, reject) => {
    const step = () => {
      try {
        if (index.verifySome(CHECK_SLICE)) resolve();
        else setTimeout(step, 0);
      } catch (err) {
        reject(explain(err, url));
      }
    };
    setTimeout(step, 0);
  });
}

/**
 * Words the PowerIndex error for the reader. The module's messages are English and stable
 * ("not a powerlist index", "format version N", "damaged or truncated"); the technical message
 * stays visible as `detail`, so nothing is lost if a new message is not recognised here.
 */
function explain(err, url) {
  const m = String(err && err.message || err);
  if (/not a powerlist index|index is empty/.test(m)) {
    return new LoadError('not-index', `这个文件不是权力清单索引：${url}`,
      '请检查网址中的 index= 参数是否指向由 `powerlist build` 生成的 .idx 文件。', m, url);
  }
  const v = m.match(/format version (\d+)/);
  if (v) {
    const newer = Number(v[1]) > formatVersion();
    return new LoadError('version',
      `索引文件的格式版本（${v[1]}）与本页面的检索程序（读取版本 ${formatVersion()}）不一致。`,
      newer
        ? '索引比程序新：请刷新页面以获取新版程序；如果仍然如此，请网站管理员同时更新网页程序（pkg/）和索引。'
        : '索引比程序旧：请网站管理员用当前版本的 powerlist 重新生成索引（powerlist build）。',
      m, url);
  }
  if (err && err.code === 'foreign-chunk') {
    return new LoadError('stale', '网站上的索引已经更新，本页面用的是旧版。',
      '请刷新页面以使用新版索引。', m, url);
  }
  if (/damaged|truncated|checksum|malformed/.test(m)) {
    return new LoadError('corrupt', `索引文件已损坏或下载不完整：${url}`,
      '请刷新页面重新下载；如果仍然如此，请网站管理员重新生成索引（powerlist build）。', m, url);
  }
  return new LoadError('other', `索引文件无法使用：${url}`,
    '请刷新页面重试；如果仍然如此，请把下面的技术信息告诉网站管理员。', m, url);
}
