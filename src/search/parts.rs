//! The items matching one part of a query, and how parts combine: lists sorted by item id,
//! merged.

/// The items matching one part of a query, with their scores, sorted by item id: parts combine
/// by merging (intersection sums the scores, union keeps the best), without hashing.
#[derive(Debug, Clone, Default)]
pub(super) struct PartHits(pub(super) Vec<(u32, f32)>);

/// `score`'s bits as an unsigned integer that sorts as `f32::total_cmp` orders scores.
fn score_order(score: f32) -> u32 {
    let bits = score.to_bits();
    if bits >> 31 == 0 {
        bits | 0x8000_0000
    } else {
        !bits
    }
}

/// The score whose [`score_order`] is `order`.
fn score_of_order(order: u32) -> f32 {
    f32::from_bits(if order >> 31 == 1 {
        order & 0x7FFF_FFFF
    } else {
        !order
    })
}

impl PartHits {
    /// From pairs in any order; an item listed twice keeps its best score.
    ///
    /// Each pair is sorted as one integer (the id, then the score descending in `total_cmp`'s
    /// order): the same integer sort as ranking's, so the browser module carries one sort where
    /// a sort of pairs by a closure was 11 KB of its own.
    pub(super) fn from_unsorted(v: Vec<(u32, f32)>) -> PartHits {
        let mut keys: Vec<u64> = v
            .into_iter()
            .map(|(id, score)| u64::from(id) << 32 | u64::from(!score_order(score)))
            .collect();
        keys.sort_unstable();
        keys.dedup_by_key(|k| *k >> 32);
        PartHits(
            keys.into_iter()
                .map(|k| ((k >> 32) as u32, score_of_order(!(k as u32))))
                .collect(),
        )
    }

    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The items in both, with the scores added.
    pub(super) fn intersect(&self, other: &PartHits) -> PartHits {
        let (mut i, mut j) = (0, 0);
        let (a, b) = (&self.0, &other.0);
        let mut out = Vec::with_capacity(a.len().min(b.len()));
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    out.push((a[i].0, a[i].1 + b[j].1));
                    i += 1;
                    j += 1;
                }
            }
        }
        PartHits(out)
    }

    /// The items in either, with the better score.
    pub(super) fn union(self, other: PartHits) -> PartHits {
        if self.0.is_empty() {
            return other;
        }
        if other.0.is_empty() {
            return self;
        }
        let (a, b) = (self.0, other.0);
        let (mut i, mut j) = (0, 0);
        let mut out = Vec::with_capacity(a.len() + b.len());
        while i < a.len() || j < b.len() {
            match (a.get(i), b.get(j)) {
                (Some(x), Some(y)) if x.0 == y.0 => {
                    out.push((x.0, x.1.max(y.1)));
                    i += 1;
                    j += 1;
                }
                (Some(x), Some(y)) if x.0 < y.0 => {
                    out.push(*x);
                    i += 1;
                }
                (Some(x), None) => {
                    out.push(*x);
                    i += 1;
                }
                (_, Some(y)) => {
                    out.push(*y);
                    j += 1;
                }
                (None, None) => break,
            }
        }
        PartHits(out)
    }

    /// The items in any of `parts`, each with its best score: one pass over them all rather
    /// than a merge per part (a pinyin syllable spells up to
    /// [`MAX_PINYIN_PHRASES`](super::pinyin::MAX_PINYIN_PHRASES) characters, whose lists
    /// merged one by one cost their number times the result). `items`: the ids are below it.
    pub(super) fn union_all(parts: Vec<PartHits>, items: usize) -> PartHits {
        let entries: usize = parts.iter().map(|p| p.0.len()).sum();
        if parts.len() < 3 || entries < items / 8 {
            return parts.into_iter().fold(PartHits::default(), PartHits::union);
        }
        // Many long lists: the best score per item in a table as long as the catalog.
        let mut best = vec![f32::NEG_INFINITY; items];
        for (id, score) in parts.iter().flat_map(|p| p.0.iter()) {
            if let Some(b) = best.get_mut(*id as usize) {
                *b = b.max(*score);
            }
        }
        let hits = best.into_iter().enumerate();
        PartHits(
            hits.filter(|(_, s)| *s > f32::NEG_INFINITY)
                .map(|(id, s)| (id as u32, s))
                .collect(),
        )
    }

    /// The items not in `other`.
    pub(super) fn minus(self, other: &PartHits) -> PartHits {
        let mut v = self.0;
        v.retain(|x| other.0.binary_search_by_key(&x.0, |y| y.0).is_err());
        PartHits(v)
    }

    pub(super) fn scale(&mut self, w: f32) {
        for x in &mut self.0 {
            x.1 *= w;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_order_sorts_as_total_cmp_and_round_trips() {
        let scores = [
            f32::NEG_INFINITY,
            -3.5,
            -0.0,
            0.0,
            1e-30,
            0.25,
            7.0,
            f32::INFINITY,
            f32::NAN,
        ];
        for a in scores {
            assert_eq!(score_of_order(score_order(a)).to_bits(), a.to_bits());
            for b in scores {
                assert_eq!(
                    score_order(a).cmp(&score_order(b)),
                    a.total_cmp(&b),
                    "{a} {b}"
                );
            }
        }
    }

    #[test]
    fn from_unsorted_sorts_by_id_and_keeps_the_best_score() {
        let hits = PartHits::from_unsorted(vec![(5, 1.0), (2, 0.5), (5, 3.0), (2, -1.0), (9, 0.0)]);
        assert_eq!(hits.0, vec![(2, 0.5), (5, 3.0), (9, 0.0)]);
    }
}
