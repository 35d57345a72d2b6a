// A township's first answer from a chunked index, as the page's worker makes it (search-worker.js:
// the citizen module, `PowerIndex.fromCore`, then every call repeated until it no longer needs
// chunks, `neededChunks()` naming them), in Node: the bytes on the wire and the memory after it.
//
//   node --expose-gc benches/node/first-answer.mjs DIR QUERY TOWNSHIP…
//
// DIR is `powerlist build … --web DIR` after `powerlist compress DIR`; each file is counted at its
// brotli size (FILE.br, quality 11) plus 300 bytes of request and response headers. The module is
// www/pkg's (scripts/build.sh). Each township starts from a fresh module instance. What is
// measured, in order: the page's first calls (info, fields, types, levels, regions), the
// township's regions (`regionsNear`, as the picker fetches them), then `search(QUERY, { region })`
// with its page of hits (full items, with who handles each there). Memory after the answer, after
// a forced GC: the module's WebAssembly memory and the JS heap (`heapUsed`; `external` holds the
// WebAssembly memory and the chunks' transfer buffers).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const HEADERS = 300;
const [dir, query, ...townships] = process.argv.slice(2);
if (!dir || !query || !townships.length) {
  console.error('usage: node --expose-gc benches/node/first-answer.mjs DIR QUERY TOWNSHIP…');
  process.exit(2);
}
const wasmBytes = fs.readFileSync(path.join(ROOT, 'www/pkg/powerlist_bg.wasm'));
const wire = (file) => {
  const br = `${file}.br`;
  return (fs.existsSync(br) ? fs.statSync(br).size : fs.statSync(file).size) + HEADERS;
};
const mib = (b) => `${(b / 2 ** 20).toFixed(1)} MiB`;
const gc = () => { if (globalThis.gc) { globalThis.gc(); globalThis.gc(); } };

for (const township of townships) {
  // A fresh glue module (and so a fresh instance) per township.
  const glue = await import(`${path.join(ROOT, 'www/pkg/powerlist.js')}?${township}`);
  const wasm = glue.initSync({ module: new WebAssembly.Module(wasmBytes) });
  gc();
  const base = process.memoryUsage();
  const core = path.join(dir, 'core.bin');
  let bytes = wire(core);
  let requests = 1;
  const index = glue.PowerIndex.fromCore(fs.readFileSync(core));
  const rounds = [];
  /** `run()` until it needs no more chunks, adding the ones each round names. */
  const ask = (run) => {
    for (;;) {
      try {
        return run();
      } catch (err) {
        const names = glue.neededChunks();
        if (!names.length) throw err;
        rounds.push(names.length);
        for (const name of names) {
          const file = path.join(dir, `${name}.bin`);
          index.addChunk(fs.readFileSync(file));
          bytes += wire(file);
          requests++;
        }
      }
    }
  };
  const t = performance.now();
  ask(() => [index.info(), index.fields(), index.types(), index.levels(), index.regions()]);
  const near = ask(() => index.regionsNear(township));
  const result = ask(() => index.search(query, { region: township, limit: 20 }));
  const ms = performance.now() - t;
  gc();
  const after = process.memoryUsage();
  const first = result.hits[0];
  console.log(`${township}: ${result.total} hits, the first ${first?.code} handled by ${first?.handled_by}; ` +
    `${near.length} regions near it; ${requests} requests in ${rounds.length} rounds (${rounds.join(' + ')} chunks), ` +
    `${bytes} bytes = ${(bytes / 1024).toFixed(1)} KiB with the core and headers; ${ms.toFixed(0)} ms`);
  console.log(`  memory after the answer: wasm ${mib(wasm.memory.buffer.byteLength)}, JS heap used ${mib(after.heapUsed)} ` +
    `(+${mib(after.heapUsed - base.heapUsed)} since the module was ready), external ${mib(after.external)}, ` +
    `array buffers ${mib(after.arrayBuffers)}, RSS ${mib(after.rss)}`);
  index.free();
}
