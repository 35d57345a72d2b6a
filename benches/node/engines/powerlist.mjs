// powerlist: the wasm module (wasm-bindgen --target web glue + .wasm) and the .idx built by the CLI.
import { importBytes } from './common.mjs';

export const name = 'powerlist';
export const about = 'wasm module + FST index from `powerlist build`; pinyin, codes, phrases native';
// www/pkg as built by scripts/build.sh, copied by run.mjs when a run starts (one build per run).
export const codeFiles = ['../../target/bench/pkg/powerlist.js', '../../target/bench/pkg/powerlist_bg.wasm'];
export const variants = {
  idx: { files: ['powerlist.idx'], about: 'powerlist.idx (items, legal-basis article texts, regions, assignments, FSTs, postings)' },
};

export async function prepare() {
  // The index is built by the CLI when the catalog is prepared (lib/catalog.mjs).
}

export async function load(_variant, code, data, mark) {
  const glue = await importBytes(code['powerlist.js']);
  mark('import glue');
  glue.initSync({ module: new WebAssembly.Module(code['powerlist_bg.wasm']) });
  mark('wasm compile+instantiate');
  const idx = new glue.PowerIndex(data['powerlist.idx']);
  mark('new PowerIndex');
  const ids = (q, limit) => {
    const r = idx.searchIds(q, { limit });
    const out = Array.from(r.ids);
    r.free();
    return out;
  };
  return {
    apis: {
      'search()': (q, limit) => idx.search(q, { limit }).hits,
      'searchIds()+item()': (q, limit) => ids(q, limit).map((id) => idx.item(id)),
    },
    ids,
    // How many hits match every part of the query (the rest match most of it).
    strict: (q) => idx.search(q, { limit: 0 }).strict,
    version: glue.version(),
  };
}

const SECTIONS = { 1: 'metadata', 2: 'item attributes', 3: 'item records', 4: 'cited article texts', 5: 'codes FST', 6: 'terms FST', 7: 'postings', 8: 'regions + assignments', 9: 'pinyin FST' };

/** Where the index's bytes go: its section table (see src/format/container.rs), with sizes per section. */
export function breakdown(idxBytes, sizes, quality) {
  const view = new DataView(idxBytes.buffer, idxBytes.byteOffset, idxBytes.byteLength);
  const n = view.getUint32(12, true);
  const out = {};
  for (let i = 0; i < n; i++) {
    const at = 16 + 24 * i;
    const id = view.getUint32(at, true);
    const offset = Number(view.getBigUint64(at + 8, true));
    const length = Number(view.getBigUint64(at + 16, true));
    out[SECTIONS[id] || `section ${id}`] = sizes(idxBytes.subarray(offset, offset + length), quality);
  }
  return out;
}
