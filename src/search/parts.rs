//! The items matching one part of a query, and how parts combine: lists sorted by item id,
//! merged.

/// The items matching one part of a query, with their scores, sorted by item id: parts combine
/// by merging (intersection sums the scores, union keeps the best), without hashing.
#[derive(Debug, Clone, Default)]
pub(super) struct PartHits(pub(super) Vec<(u32, f32)>);

impl PartHits {
    /// From pairs in any order; an item listed twice keeps its best score.
    pub(super) fn from_unsorted(mut v: Vec<(u32, f32)>) -> PartHits {
        v.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
        v.dedup_by_key(|x| x.0);
        PartHits(v)
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
