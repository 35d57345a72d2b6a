//! Postings lists: decoding one from the postings section (every read bounds-checked, then its
//! blocks checked), the texts a pinyin window spells (stored in the same section), and the cache
//! of long lists decoded by earlier queries.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::{bad, Index};
use crate::error::{Error, Part};
use crate::format::Cursor;
use crate::text::CharHasher;

/// Decoded long postings lists, kept for the next queries: the bigrams of common words
/// (`行政`, `处罚`) recur in most queries, and decoding their lists was most of a query's time.
/// At most [`PostingsCache::BUDGET`] bytes; when full it starts over.
#[derive(Debug, Default)]
pub(super) struct PostingsCache {
    lists: HashMap<u64, std::sync::Arc<Postings>, BuildHasherDefault<CharHasher>>,
    bytes: usize,
    /// Per character, how many pairs begin with it (counted up to a cap): the relaxed pass
    /// leaves common characters out.
    contexts: HashMap<char, usize, BuildHasherDefault<CharHasher>>,
}

impl PostingsCache {
    /// Bytes of decoded lists kept.
    const BUDGET: usize = 16 << 20;
    /// Lists of fewer documents are decoded each time (that is as fast as a lookup).
    const MIN_DOCS: usize = 64;
}

/// A decoded postings list: documents in increasing order, each with its slots
/// (`field << 24 | position`, sorted). Three flat vectors, however long the list.
#[derive(Debug, Clone, Default)]
pub(crate) struct Postings {
    pub(crate) docs: Vec<u32>,
    ends: Vec<u32>,
    slots: Vec<u32>,
}

impl Postings {
    /// How many documents.
    pub(crate) fn len(&self) -> usize {
        self.docs.len()
    }

    /// The slots of the `i`-th document.
    pub(crate) fn slots(&self, i: usize) -> &[u32] {
        let end = self.ends.get(i).copied().unwrap_or(0) as usize;
        let start = match i.checked_sub(1) {
            Some(j) => self.ends.get(j).copied().unwrap_or(0) as usize,
            None => 0,
        };
        self.slots.get(start..end).unwrap_or(&[])
    }

    /// `(document, slots)` pairs in document order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (u32, &[u32])> + '_ {
        self.docs
            .iter()
            .enumerate()
            .map(|(i, &d)| (d, self.slots(i)))
    }

    /// Appends a document (greater than the last) with its slots.
    pub(crate) fn push(&mut self, doc: u32, slots: impl IntoIterator<Item = u32>) {
        self.slots.extend(slots);
        self.docs.push(doc);
        self.ends.push(self.slots.len() as u32);
    }

    /// Builds a list from unordered `(document, slot)` pairs, each as `document << 32 | slot`
    /// (sorted and deduplicated here: one integer sort, the one ranking uses, rather than a
    /// sort of pairs of its own in the browser module).
    pub(crate) fn from_pairs(mut pairs: Vec<u64>) -> Postings {
        pairs.sort_unstable();
        pairs.dedup();
        let mut out = Postings::default();
        for (d, s) in pairs.into_iter().map(|p| ((p >> 32) as u32, p as u32)) {
            if out.docs.last() != Some(&d) {
                out.docs.push(d);
                out.ends.push(out.slots.len() as u32);
            }
            out.slots.push(s);
            if let Some(e) = out.ends.last_mut() {
                *e = out.slots.len() as u32;
            }
        }
        out
    }
}

impl Index {
    /// Reads the texts a pinyin window spells, at `offset`.
    pub(crate) fn texts_at(&self, offset: u64) -> Result<Vec<String>, Error> {
        let start = usize::try_from(offset).map_err(|_| bad(Part::Pinyin))?;
        let (bytes, base) = self.postings.window(start)?;
        let mut c = Cursor::new(bytes, start - base);
        let mut read = || -> Option<Vec<String>> {
            let n = c.u32()? as usize;
            let mut out = Vec::with_capacity(n.min(64));
            for _ in 0..n {
                let len = c.u32()? as usize;
                out.push(std::str::from_utf8(c.take(len)?).ok()?.to_string());
            }
            Some(out)
        };
        let out = read();
        // Read first (bounds-checked), then checked, as in `read_postings`.
        let end = c.pos().saturating_add(usize::from(out.is_none()));
        self.postings.check(start, base + end.min(bytes.len()))?;
        out.ok_or_else(|| bad(Part::Pinyin))
    }

    /// How many pairs begin with `c`, counted by `count` (up to `cap`) the first time.
    pub(crate) fn char_contexts(
        &self,
        c: char,
        cap: usize,
        count: impl FnOnce() -> Result<usize, Error>,
    ) -> Result<usize, Error> {
        if let Some(&n) = self
            .cache
            .lock()
            .ok()
            .and_then(|m| m.contexts.get(&c).copied())
            .as_ref()
        {
            return Ok(n.min(cap));
        }
        let n = count()?;
        if let Ok(mut cache) = self.cache.lock() {
            if cache.contexts.len() >= 1 << 16 {
                cache.contexts.clear();
            }
            cache.contexts.insert(c, n);
        }
        Ok(n)
    }

    /// Reads a postings list at `offset`, or an error if the bytes are bad.
    pub(crate) fn postings_at(&self, offset: u64) -> Result<std::sync::Arc<Postings>, Error> {
        self.cached(offset, || {
            let mut out = Postings::default();
            self.read_postings(offset, Some(&mut out), &mut |_| ())?;
            Ok(out)
        })
    }

    /// The list cached under `key` (a postings offset, or a key with the top bit set for lists
    /// merged from several), else `make`'s, cached when long or merged (a merged list costs
    /// one decode per list merged, however short the result).
    pub(crate) fn cached(
        &self,
        key: u64,
        make: impl FnOnce() -> Result<Postings, Error>,
    ) -> Result<std::sync::Arc<Postings>, Error> {
        if let Ok(cache) = self.cache.lock() {
            if let Some(p) = cache.lists.get(&key) {
                return Ok(p.clone());
            }
        }
        let out = std::sync::Arc::new(make()?);
        if out.len() >= PostingsCache::MIN_DOCS || key >> 63 == 1 {
            if let Ok(mut cache) = self.cache.lock() {
                let size = 4 * (2 * out.docs.len() + out.slots.len());
                if cache.bytes + size > PostingsCache::BUDGET {
                    cache.lists.clear();
                    cache.bytes = 0;
                }
                if size <= PostingsCache::BUDGET {
                    cache.bytes += size;
                    cache.lists.insert(key, out.clone());
                }
            }
        }
        Ok(out)
    }

    /// Reads only the documents of the postings list at `offset` (slots are checked and skipped).
    pub(crate) fn docs_at(&self, offset: u64) -> Result<Vec<u32>, Error> {
        let mut docs = Vec::new();
        self.read_postings(offset, None, &mut |d| docs.push(d))?;
        Ok(docs)
    }

    /// Decodes the postings list at `offset`: every document goes to `doc`, and with `into`, the
    /// documents and their slots go there too. The bytes are decoded first (every read
    /// bounds-checked), then their blocks checked: what was read is only believed if they are
    /// intact, and bytes that do not decode are reported as damaged when they are.
    fn read_postings(
        &self,
        offset: u64,
        into: Option<&mut Postings>,
        doc: &mut dyn FnMut(u32),
    ) -> Result<(), Error> {
        let start = usize::try_from(offset).map_err(|_| bad(Part::Postings))?;
        if start > self.postings.len() {
            return Err(bad(Part::Postings));
        }
        let (bytes, base) = self.postings.window(start)?;
        let mut c = Cursor::new(bytes, start - base);
        let decoded = self.decode_postings(&mut c, into, doc);
        let end = match decoded {
            Ok(()) => c.pos(),
            Err(_) => c.pos().saturating_add(1).min(bytes.len()),
        };
        self.postings.check(start, base + end)?;
        decoded
    }

    fn decode_postings(
        &self,
        c: &mut Cursor,
        mut into: Option<&mut Postings>,
        doc: &mut dyn FnMut(u32),
    ) -> Result<(), Error> {
        let bad = || bad(Part::Postings);
        let len = self.postings.len();
        let docs = self.doc_count();
        let n = c.u32().ok_or_else(bad)? as usize;
        if n > docs {
            return Err(bad());
        }
        if let Some(p) = into.as_deref_mut() {
            p.docs.reserve(n);
            p.ends.reserve(n);
        }
        let mut item: u32 = 0;
        for i in 0..n {
            let delta = c.u32().ok_or_else(bad)?;
            if i > 0 && delta == 0 {
                return Err(bad()); // documents are strictly increasing
            }
            item = item.checked_add(delta).ok_or_else(bad)?;
            if item as usize >= docs {
                return Err(bad());
            }
            doc(item);
            let k = c.u32().ok_or_else(bad)? as usize;
            if k > len {
                return Err(bad());
            }
            let mut prev: Option<u32> = None;
            for _ in 0..k {
                let code = c.u32().ok_or_else(bad)?;
                let field = code & 3;
                let base = match prev {
                    Some(p) if p >> 24 == field => p & 0xFF_FFFF,
                    _ => 0,
                };
                let pos = base
                    .checked_add(code >> 2)
                    .filter(|&p| p < 1 << 24)
                    .ok_or_else(bad)?;
                let s = field << 24 | pos;
                if let Some(p) = into.as_deref_mut() {
                    p.slots.push(s);
                }
                prev = Some(s);
            }
            if let Some(p) = into.as_deref_mut() {
                p.docs.push(item);
                p.ends.push(p.slots.len() as u32);
            }
        }
        Ok(())
    }
}
