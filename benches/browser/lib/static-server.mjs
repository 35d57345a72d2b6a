// The bench's own static server, standing in for what `powerlist serve` is about to do: files
// precompressed beside the originals (FILE.br, FILE.gz, written by lib/compress.mjs) chosen by
// Accept-Encoding, a strong ETag per representation with 304 on If-None-Match,
// `Cache-Control: no-cache` (always revalidate) and HTTP/1.1 keep-alive. GET and HEAD only.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

export const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};
const ENCODINGS = [['br', '.br'], ['gzip', '.gz']]; // in order of preference

/** The file a URL path names under `root` (a folder → its index.html), or null. */
function resolve(root, urlPath) {
  let rel;
  try {
    rel = decodeURIComponent(urlPath.split(/[?#]/)[0]);
  } catch {
    return null;
  }
  const full = path.join(root, path.normalize(rel));
  if (!full.startsWith(root)) return null;
  if (fs.existsSync(full) && fs.statSync(full).isDirectory()) return path.join(full, 'index.html');
  return full;
}

/** Accepted content codings (q=0 excluded). */
function accepted(header = '') {
  return new Set(header.split(',').map((s) => s.trim().split(';')).filter(([, q]) => !q || !/^q=0(\.0*)?$/.test(q.trim())).map(([c]) => c.trim().toLowerCase()));
}

const etags = new Map(); // file → { mtimeMs, etag }
function etagOf(file, stat) {
  const hit = etags.get(file);
  if (hit && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit.etag;
  const etag = `"${crypto.createHash('sha256').update(fs.readFileSync(file)).digest('base64url').slice(0, 22)}"`;
  etags.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, etag });
  return etag;
}

function respond(root, req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'only GET and HEAD\n');
  const file = resolve(root, req.url);
  if (!file || !fs.existsSync(file) || !fs.statSync(file).isFile()) return plain(res, 404, 'not found\n');
  const ok = accepted(req.headers['accept-encoding']);
  const [coding, served] = ENCODINGS.map(([c, ext]) => [c, file + ext]).find(([c, f]) => ok.has(c) && fs.existsSync(f)) || [null, file];
  const stat = fs.statSync(served);
  const headers = {
    'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream',
    'Cache-Control': 'no-cache',
    ETag: etagOf(served, stat),
    Vary: 'Accept-Encoding',
    'X-Content-Type-Options': 'nosniff',
  };
  if (coding) headers['Content-Encoding'] = coding;
  if (req.headers['if-none-match']?.split(',').map((s) => s.trim()).includes(headers.ETag)) {
    res.writeHead(304, headers);
    return res.end();
  }
  headers['Content-Length'] = stat.size;
  res.writeHead(200, headers);
  if (req.method === 'HEAD') return res.end();
  fs.createReadStream(served).pipe(res);
}

function plain(res, status, text) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Serves `root` on 127.0.0.1 (a free port): { host, port, close() }. */
export async function startStaticServer(root) {
  const abs = path.resolve(root);
  const server = http.createServer({ keepAliveTimeout: 5000 }, (req, res) => respond(abs, req, res));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { host: '127.0.0.1', port: server.address().port, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }) };
}
