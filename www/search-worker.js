// The search worker: the citizen module (pkg/powerlist.js) and the indexes it loads, off the
// page's main thread, so typing never waits for a search, however long one takes. The page
// talks to it through loader.js, which gives the views an object with PowerIndex's method names
// returning promises of plain data (the module's answers are plain objects already; they
// structured-clone as they are). All the search is the module's: nothing here but loading,
// fetching and passing messages.
//
// Messages from the page, each with an id its answer carries back ({ id, value } or { id, error }):
//   { type: 'load', id, url, given? }
//                               → { id, progress: [received, total] }… as the index downloads,
//                                  then { id, value: { bytes, file, chunked, itemCount, meta } },
//                                  then { id, checked: true } or { id, checked: error } once
//                                  the rest of a single-file index is verified. `given`:
//                                  { index, wasm? }, the page's downloads of the index file and
//                                  the module (body.js handOff), used instead of fetching them
//   { type: 'call', id, url, method, args, lane?, seq?, now? }
//                               → the method's answer, from the whole of what it needs: the
//                                  chunks it names are fetched first (with `now`, it fails with
//                                  NeedChunks instead, fetching nothing). A call in a `lane` (a
//                                  view's queries) whose seq is no longer the lane's newest when it
//                                  comes to run fails with Superseded, unrun.
//   { type: 'chunk', id, url, name } → the bytes of one chunk (for the maintainer's module)
// Errors travel as plain objects: a LoadError's kind, what, todo, detail and url, or any Error's
// name, message and code; loader.js makes them Errors again.
//
// loader.js starts it as a module worker; where none can be made (the page is on another origin
// than this file), it imports this module on the page and talks to serve() over a MessageChannel.

// Imported at once (dynamic imports, so the index's download does not wait for them when this
// file is not bundled; scripts/bundle.sh bundles the module's glue in, not build-info.js).
import { handedResponse, indexFile, readBody } from './body.js';

const glue = import('./pkg/powerlist.js');
const built = import('./pkg/build-info.js');
glue.catch(() => {});
built.catch(() => {});

/** A failure to load, worded for the reader (loader.js rebuilds its LoadError from these fields). */
class LoadError extends Error {
  constructor(kind, what, todo, detail, url) {
    super(what);
    this.name = 'LoadError';
    Object.assign(this, { kind, what, todo, detail, url });
  }
}

/** More rounds than any answer needs (four for a search, one more for an item page). */
const MAX_ROUNDS = 16;
/** Bytes verified per slice: the worker answers queries between slices. */
const CHECK_SLICE = 2 << 20;
/** What the page may call: the citizen PowerIndex's queries. */
const METHODS = new Set(['search', 'searchIds', 'item', 'get', 'fields', 'types', 'levels', 'regions', 'regionsNear', 'handlers', 'info', 'missingChunks']);

let ready = null;

/** The module's files, named in its errors (the glue is inlined where this file is bundled). */
// (Not `new URL('…', import.meta.url)` for names only: bundlers would copy the file as an asset.)
const here = import.meta.url;
const GLUE = new URL('pkg/powerlist.js', here).href;
const WASM = new URL('pkg/powerlist_bg.wasm', import.meta.url).href;
/** What the webmaster checks when a module file is missing or unusable. */
const DEPLOYED = '它应在 search-worker.js 旁边的 pkg/ 目录里，与页面的其他文件来自同一次构建（用打包工具时，要把 powerlist 包的 pkg/ 目录复制到打包结果旁边，见 EMBED.md）';

/**
 * The module, initialised once, and checked against the build's version; from `wasm`, the
 * module's download the page handed over (see body.js), when it did. Each way it can fail names
 * the file and what to check.
 */
function moduleReady(url, wasm) {
  if (!ready) {
    ready = (async () => {
      let mod;
      try {
        mod = await glue;
      } catch (err) {
        throw new LoadError('module', `检索模块的程序文件未能加载：${GLUE}`,
          `请刷新页面重试；如果仍然如此，请网站管理员检查这个文件是否已部署：${DEPLOYED}。`, err.message, url);
      }
      const source = await wasmResponse(wasm, url);
      try {
        await mod.default({ module_or_path: source });
      } catch (err) {
        throw new LoadError('module', `检索模块（WebAssembly）无法启动：${WASM}`,
          `请使用支持 WebAssembly 的新版浏览器。网站管理员请检查：这个文件是否完整，是否与 pkg/powerlist.js 来自同一次构建；页面的内容安全策略（CSP）是否允许 'wasm-unsafe-eval'。`,
          err.message, url);
      }
      // The page and the module must come from one build (a stale cache can mix them).
      let page;
      try {
        page = (await built).VERSION;
      } catch (err) {
        throw new LoadError('module', `检索模块的版本文件未能加载：${new URL('pkg/build-info.js', here).href}`,
          `请刷新页面重试；如果仍然如此，请网站管理员检查这个文件是否已部署：${DEPLOYED}。`, err.message, url);
      }
      if (mod.version() !== page) {
        throw new LoadError('module-version',
          `检索模块版本（powerlist ${mod.version()}）与本页面版本（powerlist ${page}）不一致。`,
          '请强制刷新页面（Ctrl+F5）或清除本站缓存；网站管理员需要把同一次构建的 www/ 与 pkg/ 一起部署。',
          `module ${mod.version()}, page ${page}`, url);
      }
      return mod;
    })();
    ready.catch(() => { ready = null; });
  }
  return ready;
}

/** The module's .wasm as a successful Response (the page's download when handed over); a LoadError naming it otherwise. */
async function wasmResponse(given, url) {
  let resp;
  try {
    resp = given ? handedResponse(given) : await fetch(WASM);
  } catch (err) {
    throw new LoadError('module', `检索模块文件未能下载：${WASM}`,
      '请检查网络连接后刷新页面。', err.message, url);
  }
  if (resp.status === 404) {
    throw new LoadError('module', `找不到检索模块文件（HTTP 404）：${WASM}`,
      `请网站管理员检查这个文件是否已部署：${DEPLOYED}。`, `HTTP ${resp.status} ${resp.statusText}`, url);
  }
  if (!resp.ok) {
    throw new LoadError('module', `服务器没有返回检索模块文件（HTTP ${resp.status}）：${WASM}`,
      '请稍后刷新页面重试；如果一直如此，请联系网站管理员。', `HTTP ${resp.status} ${resp.statusText}`, url);
  }
  return resp;
}

/** URL → promise of { index, mod, chunked, fetchAll, file }: one load per URL (a failed one is forgotten). */
const indexes = new Map();

/**
 * Loads the index at `url`: its download and the module's start together. Resolves to what the
 * page keeps: the bytes (the module copied them; the page's offline copy and maintainer module
 * reuse them), the static facts the views draw from, and `checked`.
 */
async function load(url, onProgress, given = {}) {
  const { chunked, file } = indexFile(url);
  // Neither waits for the other; the index's failure is reported after the module's own (a page
  // without its module cannot search). `given`: the downloads the page made for us.
  const download = fetchIndex(file, onProgress, 'index', given.index);
  download.catch(() => {});
  const mod = await moduleReady(url, given.wasm);
  const bytes = await download;
  let index;
  try {
    index = chunked ? mod.PowerIndex.fromCore(bytes) : new mod.PowerIndex(bytes);
  } catch (err) {
    throw explain(err, file, mod);
  }
  const entry = { index, mod, chunked, file, fetchAll: chunked ? chunkFetcher(index, file, mod) : null };
  let meta;
  try {
    meta = await ask(entry, () => ({
      info: index.info(), fields: index.fields(), types: index.types(), levels: index.levels(),
      regions: index.regions(), version: mod.version(),
    }));
  } catch (err) {
    throw explain(err, file, mod);
  }
  const checked = chunked ? Promise.resolve() : checkRest(index, url, mod);
  checked.catch(() => {}); // reported to the page
  return { entry, checked, value: { bytes, file, chunked, itemCount: index.itemCount, meta } };
}

/** Fetches and adds chunks by name, each once however many ask (a failed one is fetched again when asked again). */
function chunkFetcher(index, url, mod) {
  const fetched = new Map();
  const add = (name) => {
    if (!fetched.has(name)) {
      const p = chunkBytes(url, name).then((bytes) => {
        try {
          index.addChunk(bytes);
        } catch (err) {
          throw explain(err, new URL(`${name}.bin`, url).href, mod);
        }
      });
      fetched.set(name, p);
      p.catch(() => fetched.delete(name));
    }
    return fetched.get(name);
  };
  return (names) => Promise.all(names.map(add)).then(() => {});
}

const chunkBytes = (url, name) => fetchIndex(new URL(`${name}.bin`, url).href, () => {}, 'chunk');

/**
 * Calls `run()` until it no longer needs chunks, fetching what each round names: never an answer
 * from part of what it needs. `now`: fail with NeedChunks instead of fetching. `stale()`: the
 * call was superseded (checked before each round).
 */
async function ask(entry, run, { now = false, stale = () => false } = {}) {
  for (let round = 0; ; round++) {
    if (stale()) throw superseded();
    try {
      return run();
    } catch (err) {
      const names = entry.chunked ? entry.mod.neededChunks() : [];
      if (!names.length || round >= MAX_ROUNDS) throw err;
      if (now) throw Object.assign(new Error(`正在下载索引的 ${names.length} 个部分…`), { name: 'NeedChunks', names });
      await entry.fetchAll(names);
    }
  }
}

const superseded = () => Object.assign(new Error('a newer query came first'), { name: 'Superseded' });

/** Verifies what loading left unverified, a slice at a time (queries are answered in between). */
function checkRest(index, url, mod) {
  return new Promise((resolve, reject) => {
    const step = () => {
      try {
        if (index.verifySome(CHECK_SLICE)) resolve();
        else setTimeout(step, 0);
      } catch (err) {
        reject(explain(err, url, mod));
      }
    };
    setTimeout(step, 0);
  });
}

/** An answer as plain data: SearchIds (a module object) becomes { total, ids, scores }. */
function plain(value) {
  if (value && typeof value === 'object' && '__wbg_ptr' in value) {
    const out = { total: value.total, ids: value.ids, scores: value.scores };
    value.free();
    return out;
  }
  return value;
}

/**
 * Downloads an index file or chunk, reporting bytes as they arrive; throws a LoadError. `given`:
 * the page's download of it (body.js), read instead.
 */
async function fetchIndex(url, onProgress, what = 'index', given = null) {
  let resp;
  try {
    resp = given ? handedResponse(given) : await fetch(url);
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
 * Words the PowerIndex error for the reader. The module's messages are English and stable
 * ("not a powerlist index", "format version N", "damaged or truncated"); the technical message
 * stays visible as `detail`, so nothing is lost if a new message is not recognised here.
 */
function explain(err, url, mod) {
  if (err instanceof LoadError) return err;
  const m = String(err && err.message || err);
  if (/not a powerlist index|index is empty/.test(m)) {
    return new LoadError('not-index', `这个文件不是权力清单索引：${url}`,
      '请检查网址中的 index= 参数是否指向由 `powerlist build` 生成的 .idx 文件。', m, url);
  }
  const v = m.match(/format version (\d+)/);
  if (v) {
    const newer = Number(v[1]) > mod.formatVersion();
    return new LoadError('version',
      `索引文件的格式版本（${v[1]}）与本页面的检索程序（读取版本 ${mod.formatVersion()}）不一致。`,
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

/** An error as a message can carry it. */
function errorData(err) {
  const e = err ?? {};
  return {
    name: e.name ?? 'Error', message: String(e.message ?? e), kind: e.kind, what: e.what, todo: e.todo,
    detail: e.detail, url: e.url, code: e.code, names: e.names,
  };
}

/** Answers the page's messages on `port` (the worker's global scope, or a MessagePort). */
export function serve(port) {
  /** lane → the newest seq received: older calls in it are dropped when their turn comes. */
  const latest = new Map();
  const queue = [];
  // One call per task: messages that arrived during a long call are received (and may supersede
  // calls still queued) before the next one runs.
  const tick = new MessageChannel();
  let scheduled = false;
  const schedule = () => {
    if (scheduled || !queue.length) return;
    scheduled = true;
    tick.port2.postMessage(null);
  };
  tick.port1.onmessage = () => {
    scheduled = false;
    const m = queue.shift();
    if (m) handle(m);
    schedule();
  };
  const reply = (id, value, transfer = []) => port.postMessage({ id, value }, transfer);
  const fail = (id, err) => port.postMessage({ id, error: errorData(err) });
  const stale = (m) => () => Boolean(m.lane) && latest.get(m.lane) !== m.seq;

  function handle(m) {
    if (m.type === 'load') {
      let known = indexes.get(m.url);
      if (!known) {
        const listeners = new Set();
        const promise = load(m.url, (received, total) => { for (const f of listeners) f(received, total); }, m.given);
        known = { promise, listeners };
        indexes.set(m.url, known);
        promise.catch(() => indexes.delete(m.url)).finally(() => listeners.clear());
      }
      known.listeners.add((received, total) => port.postMessage({ id: m.id, progress: [received, total] }));
      known.promise.then(({ value, checked }) => {
        // The module copied the bytes: the page gets them, moved rather than copied (the page
        // loads a URL once: a second load of it, which nothing makes, would get none).
        const bytes = known.given ? null : value.bytes;
        known.given = true;
        value.bytes = null;
        reply(m.id, { ...value, bytes }, bytes ? [bytes.buffer] : []);
        checked.then(() => port.postMessage({ id: m.id, checked: true }),
          (err) => port.postMessage({ id: m.id, checked: errorData(err) }));
      }, (err) => fail(m.id, err));
      return;
    }
    if (m.type === 'chunk') {
      chunkBytes(m.url, m.name)
        .then((bytes) => reply(m.id, bytes, [bytes.buffer]), (err) => fail(m.id, err));
      return;
    }
    if (m.type !== 'call') return fail(m.id, new Error(`unknown message ${m.type}`));
    const known = indexes.get(m.url);
    if (!known) return fail(m.id, new Error(`no index loaded from ${m.url}`));
    if (!METHODS.has(m.method)) return fail(m.id, new TypeError(`index.${m.method} is not a function`));
    known.promise.then(({ entry }) => ask(entry, () => plain(entry.index[m.method](...m.args)), { now: m.now, stale: stale(m) }))
      .then((value) => reply(m.id, value), (err) => fail(m.id, err));
  }

  port.onmessage = ({ data }) => {
    if (data.lane) latest.set(data.lane, data.seq);
    // A superseded call still queued is dropped at once, so a queue of keystrokes never builds up.
    if (data.lane) {
      for (let i = queue.length - 1; i >= 0; i--) {
        const q = queue[i];
        if (q.lane === data.lane && q.seq < data.seq) {
          queue.splice(i, 1);
          fail(q.id, superseded());
        }
      }
    }
    queue.push(data);
    schedule();
  };
}

// In a worker: answer the page. (Imported on the page instead, serve() is called with a port.)
if (typeof WorkerGlobalScope !== 'undefined' && globalThis instanceof WorkerGlobalScope) serve(globalThis);
