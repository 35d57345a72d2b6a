// Loads the wasm module and an index file, once per URL per page, and turns every failure into a
// LoadError whose Chinese text says what happened and what the reader can do about it.
import init, { PowerIndex, formatVersion, version } from './pkg/powerlist.js';
import { VERSION as PAGE_VERSION } from './pkg/build-info.js';

/** A failure to load, worded for the reader; `detail` keeps the technical message. */
export class LoadError extends Error {
  constructor(kind, what, todo, detail, url) {
    super(what);
    this.name = 'LoadError';
    this.kind = kind; // module | module-version | network | missing | http | not-index | version | corrupt
    this.what = what;
    this.todo = todo;
    this.detail = detail;
    this.url = url;
  }
}

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
  // The index downloads while the module is fetched and compiled: neither waits for the other.
  // Its failure is reported after the module's own (a page without its module cannot search).
  const download = fetchIndex(url, onProgress);
  download.catch(() => {});
  try {
    await init();
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
    index = new PowerIndex(bytes);
  } catch (err) {
    throw explain(err, url);
  }
  const checked = checkRest(index, url);
  checked.catch(() => {}); // the callers report it; never an unhandled rejection
  return { index, bytes, url, checked };
}

/** Downloads the index file, reporting bytes as they arrive; throws a LoadError. */
async function fetchIndex(url, onProgress) {
  let resp;
  try {
    resp = await fetch(url);
  } catch (err) {
    throw offline(err, url);
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
  if (/damaged|truncated|checksum|malformed/.test(m)) {
    return new LoadError('corrupt', `索引文件已损坏或下载不完整：${url}`,
      '请刷新页面重新下载；如果仍然如此，请网站管理员重新生成索引（powerlist build）。', m, url);
  }
  return new LoadError('other', `索引文件无法使用：${url}`,
    '请刷新页面重试；如果仍然如此，请把下面的技术信息告诉网站管理员。', m, url);
}
