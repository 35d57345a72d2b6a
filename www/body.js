// Reading a download's body with its progress, and handing a download from the page to the
// search worker: the page starts the module's and the index's downloads (the HTML preloads
// them, so they begin before any script has run), and the worker gets them whole, as if it had
// fetched them itself.

/**
 * The body as bytes, calling onProgress(received, total) per chunk. Content-Length is the total
 * only when the body is not compressed on the wire (then it counts compressed bytes).
 */
export async function readBody(resp, onProgress = () => {}) {
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

/**
 * Downloads `url` on the page, as a message can carry it to the worker: `{ status, statusText,
 * headers, body }` (an ArrayBuffer, to be transferred), or `{ error }` when the download failed
 * (offline, refused). What the answer means (a 404, a damaged body) is the worker's to say.
 */
export async function handOff(url, onProgress) {
  try {
    const resp = await fetch(url);
    const headers = [...resp.headers].filter(([k]) => /^content-(type|length|encoding)$/i.test(k));
    const body = resp.ok ? (await readBody(resp, onProgress)).buffer : null;
    return { status: resp.status, statusText: resp.statusText, headers, body };
  } catch (err) {
    return { error: String(err && err.message || err) };
  }
}

/** A download handed over by the page, as the Response the worker would have fetched. */
export function handedResponse(h) {
  if (h.error !== undefined) throw new TypeError(h.error);
  return new Response(h.body, { status: h.status, statusText: h.statusText, headers: h.headers });
}

/**
 * The file an index URL downloads first, and whether the index is chunked: a chunked index is
 * named by its directory (`catalog/`, whose core is `catalog/core.bin`) or by its core.
 */
export function indexFile(url) {
  const chunked = url.endsWith('/') || /\/core\.bin$/.test(new URL(url).pathname);
  return { chunked, file: chunked && url.endsWith('/') ? new URL('core.bin', url).href : url };
}
