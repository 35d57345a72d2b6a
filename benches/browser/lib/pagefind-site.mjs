// Pagefind as a peer: a static site of one page per catalog item, indexed by the `pagefind`
// binary that the npm package ships (the "extended" build, which segments Chinese with jieba
// when indexing). The pages carry what the other engines index — name (the <h1>, Pagefind's
// title), code, attributes, department, legal basis, keywords and their pinyin — inside
// data-pagefind-body; the code is also kept as metadata, so a result can show it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readDocsJson } from '../../node/lib/catalog.mjs';
import { HERE, mtime, put } from './files.mjs';

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

function itemPage(d) {
  const p = (label, text) => (text ? `<p>${label}${esc(text)}</p>\n` : '');
  return `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>${esc(d.name)}</title></head>
<body>
<main data-pagefind-body>
<h1>${esc(d.name)}</h1>
<p>编码：<span data-pagefind-meta="code">${esc(d.code)}</span></p>
${p('', [d.type, d.field, d.level].filter(Boolean).join(' · '))}${p('实施主体：', d.department)}${p('依据：', d.basis)}${p('俗称：', d.keywords.join('、'))}${p('拼音：', [...d.py, ...d.pyi].join(' '))}${p('备注：', d.note)}</main>
</body>
</html>
`;
}

/**
 * Writes items/<id>.html under `dir` from the documents in `docsFile`, then runs Pagefind on
 * `dir` (forcing Chinese, `zh`, for the whole site) unless its bundle is newer than its inputs.
 * Returns { pages, seconds, version, log } when it indexed, { cached: true } otherwise.
 */
export function writePagefindSite(dir, docsFile) {
  const bundle = path.join(dir, 'pagefind/pagefind.js');
  const inputs = [docsFile, new URL(import.meta.url).pathname, path.join(HERE, 'package-lock.json')];
  if (mtime(bundle) > Math.max(...inputs.map(mtime))) return { cached: true };
  fs.rmSync(path.join(dir, 'items'), { recursive: true, force: true });
  fs.rmSync(path.join(dir, 'pagefind'), { recursive: true, force: true });
  const docs = readDocsJson(docsFile);
  for (const d of docs) put(path.join(dir, 'items', `${d.id}.html`), itemPage(d));
  const bin = path.join(HERE, 'node_modules/pagefind/lib/runner/bin.cjs');
  const t = performance.now();
  const log = execFileSync(process.execPath, [bin, '--site', dir, '--force-language', 'zh'], { encoding: 'utf8', cwd: HERE });
  const seconds = (performance.now() - t) / 1000;
  const version = JSON.parse(fs.readFileSync(path.join(HERE, 'node_modules/pagefind/package.json'), 'utf8')).version;
  return { pages: docs.length, seconds, version, log: log.trim().split('\n').slice(-12).join('\n') };
}
