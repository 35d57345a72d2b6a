// What every adapter shares: importing an ES module from bytes already in memory, JSON text.
export async function importBytes(buf) {
  return import(`data:text/javascript;base64,${buf.toString('base64')}`);
}

export const text = (buf) => buf.toString('utf8');

/**
 * A JSON array from bytes. Past V8's longest string (~512 M characters: the 1M catalog's
 * documents) it is parsed in pieces, as an application would stream it; that works because
 * lib/catalog.mjs writes one element per line.
 */
export function parseJsonArray(buf, piece = 128 * 2 ** 20) {
  if (buf.length < 2 * piece) return JSON.parse(buf.toString('utf8'));
  const out = [];
  let pos = buf.indexOf(0x0a) + 1; // after "[\n"
  const end = buf.lastIndexOf(0x0a, buf.lastIndexOf(0x5d)); // the line break before the final "]"
  while (pos < end) {
    let cut = Math.min(end, pos + piece);
    if (cut < end) cut = buf.indexOf(0x0a, cut);
    let s = buf.toString('utf8', pos, cut);
    if (s.endsWith(',')) s = s.slice(0, -1);
    for (const x of JSON.parse(`[${s}]`)) out.push(x);
    pos = cut + 1;
  }
  return out;
}
