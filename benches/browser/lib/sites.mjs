// The site the browser loads for one catalog size: one folder per engine under
// target/bench/browser/sites/<size>/, all served from one origin:
//   powerlist/  the real app (www/ as built), its index replaced by the size's powerlist.idx
//   minisearch/ flexsearch/ fuse/  pages/index.html + the engine's page script, the library file
//               benches/node measures, engines/peers.mjs (the same configuration) and the
//               serialized index benches/node built (engines/*.mjs `prepare`)
//   pagefind/   one HTML page per item, Pagefind's bundle built from them, and a search page
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { compressSite } from './compress.mjs';
import { copy, HERE, NODE_BENCH, OUT, put, ROOT } from './files.mjs';
import { writePagefindSite } from './pagefind-site.mjs';

const PAGES = path.join(HERE, 'pages');

/** The real app: www/ as scripts/build.sh left it (no test scratch, no precompressed copies). */
function powerlistSite(dir, size) {
  const www = path.join(ROOT, 'www');
  for (const rel of fs.readdirSync(www, { recursive: true })) {
    const from = path.join(www, rel);
    if (rel.startsWith('test-tmp') || /\.(br|gz)$/.test(rel) || !fs.statSync(from).isFile()) continue;
    copy(from, path.join(dir, rel));
  }
  // The sample is www/catalog/ itself (what the app loads); larger sizes put their chunked
  // index in its place (and their single file in catalog.idx's), listed anew for the worker.
  if (size !== 'sample') {
    const cli = path.join(ROOT, 'target/release/powerlist');
    fs.rmSync(path.join(dir, 'catalog'), { recursive: true, force: true });
    execFileSync(cli, ['build', path.join(ROOT, 'target/bench', size, 'catalog'), '--web', path.join(dir, 'catalog')], { stdio: 'ignore' });
    copy(path.join(ROOT, 'target/bench', size, 'powerlist.idx'), path.join(dir, 'catalog.idx'));
    execFileSync(cli, ['manifest', dir], { stdio: 'ignore' });
  }
}

/** A peer's page: the shared page, its script as page.js, the library, config and data. */
function peerSite(dir, size, engine) {
  put(path.join(dir, 'index.html'), fs.readFileSync(path.join(PAGES, 'index.html'), 'utf8').replaceAll('ENGINE', engine.name));
  for (const f of ['page.css', 'common.js']) copy(path.join(PAGES, f), path.join(dir, f));
  copy(path.join(PAGES, `${engine.file}.js`), path.join(dir, 'page.js'));
  for (const f of ['peers.mjs', 'cjk.mjs']) copy(path.join(NODE_BENCH, 'engines', f), path.join(dir, f));
  for (const f of engine.codeFiles) copy(path.resolve(NODE_BENCH, f), path.join(dir, 'lib', path.basename(f)));
  for (const f of engine.variants.index.files) copy(path.join(ROOT, 'target/bench', size, f), path.join(dir, f));
}

function pagefindSite(dir, size) {
  put(path.join(dir, 'index.html'), fs.readFileSync(path.join(PAGES, 'index.html'), 'utf8').replaceAll('ENGINE', 'pagefind'));
  for (const f of ['page.css', 'common.js']) copy(path.join(PAGES, f), path.join(dir, f));
  copy(path.join(PAGES, 'pagefind.js'), path.join(dir, 'page.js'));
  return writePagefindSite(dir, path.join(ROOT, 'target/bench', size, 'docs.json'));
}

/**
 * Builds (or brings up to date) the site of `size` for `engines` ({ name, file, codeFiles,
 * variants } as benches/node's adapters export them, plus { name: 'pagefind' }). `compress`:
 * 'bench' writes .br/.gz with lib/compress.mjs, 'powerlist' runs `powerlist compress DIR`,
 * null writes none. Returns { dir, pagefind } (Pagefind's indexing report, when it ran).
 */
export function buildSite(size, engines, compress) {
  const dir = path.join(OUT, 'sites', size);
  const info = {};
  for (const e of engines) {
    const sub = path.join(dir, e.name);
    if (e.name === 'powerlist') powerlistSite(sub, size);
    else if (e.name === 'pagefind') info.pagefind = pagefindSite(sub, size);
    else peerSite(sub, size, e);
  }
  if (compress === 'bench') info.compressed = compressSite(dir);
  if (compress === 'powerlist') execFileSync(path.join(ROOT, 'target/release/powerlist'), ['compress', dir], { stdio: 'inherit' });
  return { dir, ...info };
}
