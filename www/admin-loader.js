// The maintainer's module (pkg/admin/, built with the `maintainer` feature): the same PowerIndex
// plus stats, diff, amendment, overlaps, localList and devolved. A citizen's search and item
// pages need none of them, so pkg/powerlist_bg.wasm leaves them out and this module is fetched
// only when a view that needs them is first opened: the statistics charts, the changes since a
// version, what an amendment of a law changes, an item's possible overlaps, the printable local
// list.
import { LoadError } from './loader.js';

let admin = null;

/** The admin module, imported and initialised once (a failed load is forgotten, so a retry fetches again). */
function adminModule() {
  if (!admin) {
    admin = load();
    admin.catch(() => { admin = null; });
  }
  return admin;
}

async function load() {
  let mod;
  let PAGE_VERSION;
  try {
    // (build-info.js too is imported only now: the search worker checks its own module against it.)
    [mod, { VERSION: PAGE_VERSION }] = await Promise.all([import('./pkg/admin/powerlist.js'), import('./pkg/build-info.js')]);
    // Named from here rather than left to the glue (which looks beside itself): in a portal's
    // bundle the glue is inlined into the bundle, and pkg/admin/ is where the wasm was copied.
    await mod.default({ module_or_path: new URL('./pkg/admin/powerlist_bg.wasm', import.meta.url) });
  } catch (err) {
    throw new LoadError('module', '统计与比对程序（WebAssembly 模块）未能加载。',
      '请刷新页面重试；如果仍然如此，请网站管理员检查 pkg/admin/ 目录是否已完整部署。', err.message, '');
  }
  // Like loader.js: the page and the module must come from one build.
  if (mod.version() !== PAGE_VERSION) {
    throw new LoadError('module-version',
      `统计与比对模块版本（powerlist ${mod.version()}）与本页面版本（powerlist ${PAGE_VERSION}）不一致。`,
      '请强制刷新页面（Ctrl+F5）或清除本站缓存；网站管理员需要把同一次构建的 www/ 与 pkg/ 一起部署。',
      `admin module ${mod.version()}, page ${PAGE_VERSION}`, '');
  }
  return mod;
}

/**
 * The admin module's PowerIndex over `bytes`, the whole of a single-file index: the one place
 * index bytes become a maintainer's index. Throws like the PowerIndex constructor.
 */
export async function adminIndex(bytes) {
  const { PowerIndex } = await adminModule();
  return new PowerIndex(bytes);
}

/**
 * The admin module's PowerIndex for a chunked index (`loaded.chunked`): its core and every chunk
 * (the maintainer's views read the whole catalog), downloaded a few at a time — from the offline
 * copy when there is one.
 */
async function adminFromChunks(loaded) {
  const { PowerIndex } = await adminModule();
  const index = PowerIndex.fromCore(loaded.core);
  const names = index.missingChunks().map(([name]) => name);
  const next = () => names.shift();
  const worker = async () => {
    for (let name = next(); name; name = next()) index.addChunk(await loaded.chunkBytes(name));
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return index;
}

const made = new WeakMap();

/**
 * The maintainer's PowerIndex for an index `loadIndex` loaded (`{ index, bytes, url }`): made
 * once per loaded index, from the same bytes (nothing is downloaded again but the module).
 */
export function loadAdmin(loaded) {
  if (!made.has(loaded)) {
    const p = loaded.chunked ? adminFromChunks(loaded) : adminIndex(loaded.bytes);
    made.set(loaded, p);
    p.catch(() => made.delete(loaded));
  }
  return made.get(loaded);
}
