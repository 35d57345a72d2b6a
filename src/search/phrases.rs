//! A set of phrases kept as a sorted list: what pinyin spells and what highlights mark hold
//! (some hundreds at most). It iterates in the order a `BTreeSet<Vec<char>>` did, without the
//! B-tree's code in the browser module.

/// Distinct phrases, sorted.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct PhraseSet(Vec<Vec<char>>);

impl PhraseSet {
    /// An empty set.
    pub(crate) fn new() -> PhraseSet {
        PhraseSet(Vec::new())
    }

    fn find(&self, p: &[char]) -> Result<usize, usize> {
        self.0.binary_search_by(|x| x.as_slice().cmp(p))
    }

    /// Adds `p`; whether it was new.
    pub(crate) fn insert(&mut self, p: Vec<char>) -> bool {
        match self.find(&p) {
            Ok(_) => false,
            Err(i) => {
                self.0.insert(i, p);
                true
            }
        }
    }

    pub(crate) fn contains(&self, p: &[char]) -> bool {
        self.find(p).is_ok()
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The phrases, in order.
    pub(crate) fn iter(&self) -> std::slice::Iter<'_, Vec<char>> {
        self.0.iter()
    }

    /// The phrases from `from` on (those not less than it), in order.
    pub(crate) fn from(&self, from: &[char]) -> &[Vec<char>] {
        let at = self.0.partition_point(|x| x.as_slice() < from);
        &self.0[at..]
    }
}

impl Extend<Vec<char>> for PhraseSet {
    fn extend<I: IntoIterator<Item = Vec<char>>>(&mut self, iter: I) {
        for p in iter {
            self.insert(p);
        }
    }
}

impl FromIterator<Vec<char>> for PhraseSet {
    fn from_iter<I: IntoIterator<Item = Vec<char>>>(iter: I) -> PhraseSet {
        let mut set = PhraseSet::new();
        set.extend(iter);
        set
    }
}

impl IntoIterator for PhraseSet {
    type Item = Vec<char>;
    type IntoIter = std::vec::IntoIter<Vec<char>>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a PhraseSet {
    type Item = &'a Vec<char>;
    type IntoIter = std::slice::Iter<'a, Vec<char>>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::PhraseSet;
    use std::collections::BTreeSet;

    #[test]
    fn iterates_as_a_btree_set() {
        let mut seed = 99u32;
        let mut ours = PhraseSet::new();
        let mut want = BTreeSet::new();
        for _ in 0..500 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let p: Vec<char> = (0..(seed >> 28) % 4)
                .map(|i| char::from(b'a' + ((seed >> (i * 3 + 8)) % 4) as u8))
                .collect();
            assert_eq!(ours.insert(p.clone()), want.insert(p.clone()));
            assert_eq!(ours.len(), want.len());
            assert!(ours.contains(&p));
        }
        assert!(ours.iter().eq(want.iter()));
        let from = ['b'];
        let tail: Vec<_> = want
            .range::<[char], _>((
                std::ops::Bound::Included(&from[..]),
                std::ops::Bound::Unbounded,
            ))
            .collect();
        assert!(ours.from(&from).iter().eq(tail));
    }
}
