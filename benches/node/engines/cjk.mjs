// Tokenizing shared by the peer adapters (MiniSearch, FlexSearch): Chinese has no spaces, so
// names and keywords are indexed as character unigrams + bigrams, the usual dictionary-free
// approach; queries use bigrams (a single character alone), so every bigram must be found.

const RUN = /\p{Script=Han}+|[a-z0-9]+/gu;
const HAN = /^\p{Script=Han}/u;

/** powerlist's rule for a code query: ASCII with a digit, '-' or '.'. */
export const isCodeLike = (q) => /^[\x21-\x7e]+$/.test(q.trim()) && /[0-9.-]/.test(q);

/** Index terms of a text: Han runs → unigrams + bigrams; ASCII words lower-cased. */
export function indexTerms(text) {
  const out = [];
  for (const run of text.toLowerCase().match(RUN) || []) {
    if (!HAN.test(run)) { out.push(run); continue; }
    const cs = [...run];
    for (let i = 0; i < cs.length; i++) {
      out.push(cs[i]);
      if (i + 1 < cs.length) out.push(cs[i] + cs[i + 1]);
    }
  }
  return out;
}

/** Query terms: a code stays whole; Han runs → bigrams (one character alone); ASCII words. */
export function queryTerms(q) {
  if (isCodeLike(q)) return [q.trim().toLowerCase()];
  const out = [];
  for (const run of q.toLowerCase().match(RUN) || []) {
    if (!HAN.test(run)) { out.push(run); continue; }
    const cs = [...run];
    if (cs.length === 1) out.push(cs[0]);
    for (let i = 0; i + 1 < cs.length; i++) out.push(cs[i] + cs[i + 1]);
  }
  return [...new Set(out)];
}

/** The fields a result shows (every engine returns these objects). */
export const SHOW = ['code', 'name', 'type', 'field', 'level', 'department', 'basis', 'keywords', 'note'];
export const show = (d) => ({ id: d.id, code: d.code, name: d.name, type: d.type, field: d.field, level: d.level, department: d.department, basis: d.basis, keywords: d.keywords, note: d.note });
