//! Ranking: BM25 over the fields weighted name ≫ keywords ≫ legal basis ≫ department, boosts
//! for an exact name, a leading match and an exact keyword; each hit as one sortable integer,
//! and the page selected among them.

use crate::error::Error;
use crate::index::{Index, Postings, FIELD_BASIS, FIELD_NAME, KEY_KEYWORD};

use super::parts::PartHits;
use super::{QueryKind, SearchOptions};

const FIELD_WEIGHTS: [f32; 4] = [8.0, 4.0, 1.0, 0.5];
/// [`FIELD_KEYWORDS`](crate::index::FIELD_KEYWORDS) as an index of [`FIELD_WEIGHTS`].
const KEYWORDS_FIELD: usize = crate::index::FIELD_KEYWORDS as usize;
const K1: f32 = 1.2;
const B: f32 = 0.75;

/// BM25's term-frequency part for one field.
fn bm25(tf: f32, len: f32, avg: f32) -> f32 {
    tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * len / avg.max(1.0)))
}

/// What scoring a phrase's items needs besides their slots.
struct Scorer<'a> {
    index: &'a Index,
    /// The phrase's length in characters (a name this long is the phrase).
    len: u32,
    idf: f32,
    weight: f32,
    boosts: bool,
}

impl Scorer<'_> {
    /// The score of `item`, from its matching start `slots` and what its cited units score
    /// (`basis`); `None` for an id that is no item.
    fn score(&self, item: u32, slots: &[u32], basis: f32) -> Option<f32> {
        let a = self.index.attrs.get(item as usize)?;
        let mut tf = [0u32; 4];
        let mut leading = false;
        for &s in slots {
            let f = (s >> 24) as usize;
            let pos = s & 0xFF_FFFF;
            if f < 4 {
                tf[f] += 1;
            }
            if f as u32 == FIELD_NAME && pos <= 1 {
                leading = true;
            }
        }
        let mut score = basis;
        for f in 0..4 {
            if tf[f] > 0 {
                score += FIELD_WEIGHTS[f]
                    * bm25(
                        tf[f] as f32,
                        f32::from(a.lens[f]),
                        self.index.meta.avg_len[f],
                    );
            }
        }
        score *= self.idf * self.weight;
        if self.boosts && tf[FIELD_NAME as usize] > 0 {
            if u32::from(a.lens[0]) == self.len {
                score *= 4.0;
            } else if leading {
                score *= 1.5;
            }
        }
        Some(score)
    }
}

impl Index {
    /// BM25 over the fields of each item's matching start slots.
    pub(super) fn score_starts(
        &self,
        starts: &Postings,
        len: u32,
        weight: f32,
        boosts: bool,
    ) -> Result<PartHits, Error> {
        let n = self.attrs.len() as u32;
        // Documents are sorted: items (< n) first, then cited units.
        let units_from = starts.docs.partition_point(|&d| d < n);
        let direct = &starts.docs[..units_from];
        let basis = if units_from < starts.docs.len() {
            self.cited_scores(starts, units_from)?
        } else {
            Vec::new()
        };
        let cited_only = basis
            .iter()
            .filter(|(id, _)| direct.binary_search(id).is_err())
            .count();
        let total = self.attrs.len().max(1) as f32;
        let df = (units_from + cited_only) as f32;
        let idf = (1.0 + (total - df + 0.5) / (df + 0.5)).ln();
        let scorer = Scorer {
            index: self,
            len,
            idf,
            weight,
            boosts,
        };
        let mut out = Vec::with_capacity(units_from + cited_only);
        let mut push = |item: u32, slots: &[u32], basis: f32| {
            if let Some(score) = scorer.score(item, slots, basis) {
                out.push((item, score));
            }
        };
        // Both lists ascend: merge them, so the output ascends too.
        let mut b = basis.iter().peekable();
        for (i, &doc) in direct.iter().enumerate() {
            while let Some(&&(item, s)) = b.peek() {
                if item >= doc {
                    break;
                }
                push(item, &[], s);
                b.next();
            }
            let s = b.next_if(|x| x.0 == doc).map_or(0.0, |x| x.1);
            push(doc, starts.slots(i), s);
        }
        for &(item, s) in b {
            push(item, &[], s);
        }
        Ok(PartHits(out))
    }

    /// Matches in cited units (the documents of `starts` from `units_from` on) count for the
    /// items citing them, the best unit per item: `(item, score)` sorted by item.
    fn cited_scores(&self, starts: &Postings, units_from: usize) -> Result<Vec<(u32, f32)>, Error> {
        let n = self.attrs.len() as u32;
        let citers = self.unit_citers()?;
        let unit_score = |i: usize, a: usize| {
            let dl = self.meta.unit_lens.get(a).copied().unwrap_or(1) as f32;
            bm25(
                starts.slots(i).len() as f32,
                dl,
                self.meta.avg_len[FIELD_BASIS as usize],
            ) * FIELD_WEIGHTS[2]
        };
        let units = starts.docs.iter().enumerate().skip(units_from);
        let pairs: usize = units
            .clone()
            .map(|(_, &d)| citers.of((d - n) as usize).len())
            .sum();
        if pairs > self.attrs.len() / 8 {
            // Many citing items (a common word of the cited texts): the best score per
            // item in an array over all items, read in id order, instead of a sort.
            let mut best = vec![0f32; self.attrs.len()];
            for (i, &doc) in units {
                let a = (doc - n) as usize;
                let s = unit_score(i, a);
                for &item in citers.of(a) {
                    if let Some(b) = best.get_mut(item as usize) {
                        *b = b.max(s);
                    }
                }
            }
            Ok(best
                .iter()
                .enumerate()
                .filter(|(_, &s)| s > 0.0)
                .map(|(i, &s)| (i as u32, s))
                .collect())
        } else {
            let mut basis = Vec::new();
            for (i, &doc) in units {
                let a = (doc - n) as usize;
                let s = unit_score(i, a);
                basis.extend(citers.of(a).iter().map(|&item| (item, s)));
            }
            Ok(PartHits::from_unsorted(basis).0)
        }
    }

    /// The items (and only items) with keyword `text` whole: their own, or a lexicon word the
    /// build gave them. One lookup serves both the hits and the boost of a query's run (see
    /// `run_hits`).
    pub(super) fn keyword_docs(&self, text: &str) -> Result<Vec<u32>, Error> {
        let mut key = vec![KEY_KEYWORD];
        key.extend_from_slice(text.as_bytes());
        let Some(off) = self.terms.get(&key)? else {
            return Ok(Vec::new());
        };
        let n = self.attrs.len() as u32;
        Ok(self.docs_at(off)?.into_iter().filter(|&d| d < n).collect())
    }

    /// The items `docs` (with a keyword whole, from [`Index::keyword_docs`]) scored as half a
    /// match of the keywords field: below the items whose own text has it.
    pub(super) fn keyword_hits_of(&self, docs: Vec<u32>) -> PartHits {
        let (total, df) = (self.attrs.len().max(1) as f32, docs.len() as f32);
        let idf = (1.0 + (total - df + 0.5) / (df + 0.5)).ln();
        let score = 0.5 * idf * FIELD_WEIGHTS[KEYWORDS_FIELD];
        PartHits(docs.into_iter().map(|d| (d, score)).collect())
    }

    /// How the hits of a query of `kind` sort.
    pub(super) fn order(&self, kind: QueryKind) -> Order<'_> {
        if kind == QueryKind::Browse {
            Order::Code(self.code_rank())
        } else {
            Order::Rank
        }
    }
}

/// The hits of `part` that are among `docs` (sorted) score `factor` times more.
pub(super) fn boost_docs(docs: &[u32], part: &mut PartHits, factor: f32) {
    for x in &mut part.0 {
        if docs.binary_search(&x.0).is_ok() {
            x.1 *= factor;
        }
    }
}

/// How hits sort, as one integer each.
pub(super) enum Order<'a> {
    /// Browsing: by code (each item's place in code order), scores 0.
    Code(&'a [u32]),
    /// By [`rank_key`].
    Rank,
}

impl Order<'_> {
    /// The hit as the integer it sorts by; its low 32 bits are the id.
    pub(super) fn key(&self, id: u32, score: f32, part: bool) -> u64 {
        match self {
            Order::Code(code_rank) => {
                let rank = code_rank.get(id as usize).copied().unwrap_or(u32::MAX);
                u64::from(rank) << 32 | u64::from(id)
            }
            Order::Rank => rank_key(id, score, part),
        }
    }

    /// The score shown for the hit with key `key`.
    pub(super) fn score(&self, key: u64) -> f32 {
        match self {
            Order::Code(_) => 0.0,
            Order::Rank => rank_score(key),
        }
    }
}

/// A hit as one integer that sorts as the results are ranked: hits matching the whole query
/// before those matching most of it (`part`), then by score, highest first, then by id. Scores
/// are never negative, so their bits sort as they do (a negative or NaN score counts as 0).
fn rank_key(id: u32, score: f32, part: bool) -> u64 {
    let bits = if score > 0.0 { score.to_bits() } else { 0 };
    u64::from(part) << 63 | u64::from(0x7FFF_FFFF - bits) << 32 | u64::from(id)
}

/// The score [`rank_key`] holds.
fn rank_score(key: u64) -> f32 {
    f32::from_bits(0x7FFF_FFFF - ((key >> 32) as u32 & 0x7FFF_FFFF))
}

/// The page of `ranked` that `opts` asks for, in order. Only the hits up to the page's end
/// need an order: they are selected, then only they are sorted.
pub(super) fn select_page<'r>(ranked: &'r mut Vec<u64>, opts: &SearchOptions) -> &'r [u64] {
    let total = ranked.len();
    let offset = opts.offset.unwrap_or(0).min(total);
    let limit = opts.limit.unwrap_or(20);
    let page_end = offset.saturating_add(limit).min(total);
    if page_end == 0 {
        ranked.clear();
    } else if page_end < ranked.len() {
        select_smallest(ranked, page_end);
        ranked.truncate(page_end);
    }
    ranked.sort_unstable();
    ranked.get(offset..).unwrap_or(&[])
}

/// Moves the `k` smallest of `v` (in some order) to `v[..k]`: a quickselect (the median of
/// three as pivot) that sorts what is left when partitioning goes badly, rather than the
/// standard library's `select_nth_unstable`, a routine of its own (4 KB) in the browser module.
fn select_smallest(v: &mut [u64], k: usize) {
    let Some(target) = k.checked_sub(1).filter(|&t| t < v.len()) else {
        return;
    };
    // The `k`-th smallest lies in `v[lo..hi]`: all before `lo` are smaller, all from `hi` larger.
    let (mut lo, mut hi) = (0, v.len());
    let mut rounds = 2 * (usize::BITS - v.len().leading_zeros()) + 8;
    while hi - lo > 16 && rounds > 0 {
        rounds -= 1;
        let (a, b, c) = (v[lo], v[lo + (hi - lo) / 2], v[hi - 1]);
        let pivot = a.max(b).min(a.min(b).max(c));
        let mut store = lo;
        for i in lo..hi {
            if v[i] < pivot {
                v.swap(i, store);
                store += 1;
            }
        }
        // `v[lo..store]` < pivot <= `v[store..hi]`: the pivot goes to `store`.
        if let Some(at) = v[store..hi].iter().position(|&x| x == pivot) {
            v.swap(store, store + at);
        }
        match target.cmp(&store) {
            std::cmp::Ordering::Less => hi = store,
            std::cmp::Ordering::Greater => lo = store + 1,
            std::cmp::Ordering::Equal => return,
        }
    }
    v[lo..hi].sort_unstable();
}

#[cfg(test)]
mod tests {
    #[test]
    fn select_smallest_keeps_the_smallest() {
        let mut seed = 7u64;
        for len in 0..300usize {
            for pattern in 0..4 {
                let v: Vec<u64> = (0..len as u64)
                    .map(|i| {
                        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                        match pattern {
                            0 => seed >> 33,
                            1 => i,
                            2 => len as u64 - i,
                            _ => (seed >> 33) % 5,
                        }
                    })
                    .collect();
                let mut want = v.clone();
                want.sort_unstable();
                for k in [0, 1, len / 3, len / 2, len.saturating_sub(1), len, len + 1] {
                    let mut got = v.clone();
                    super::select_smallest(&mut got, k);
                    let mut head = got[..k.min(len)].to_vec();
                    head.sort_unstable();
                    assert_eq!(
                        head,
                        want[..k.min(len)],
                        "len {len} pattern {pattern} k {k}"
                    );
                }
            }
        }
    }

    // proptest is a native dev-dependency only.
    #[cfg(not(target_arch = "wasm32"))]
    mod props {
        use super::super::*;

        proptest::proptest! {
            #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]
            /// Rank keys sort as the results are ranked (whole matches first, then score
            /// descending, then id), and give back the score.
            #[test]
            fn rank_keys_sort_as_results_rank(
                a in (0u32..50, 0f32..1e7, proptest::bool::ANY),
                b in (0u32..50, 0f32..1e7, proptest::bool::ANY),
            ) {
                let order = a.2.cmp(&b.2).then(b.1.total_cmp(&a.1)).then(a.0.cmp(&b.0));
                proptest::prop_assert_eq!(rank_key(a.0, a.1, a.2).cmp(&rank_key(b.0, b.1, b.2)), order);
                proptest::prop_assert_eq!(rank_score(rank_key(a.0, a.1, a.2)), a.1);
            }
        }
    }
}
