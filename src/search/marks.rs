//! Highlights: the phrases that matched, marked in the names of the hits shown.

use crate::error::Error;
use crate::index::Index;
use crate::text::fold_char;

use super::phrases::PhraseSet;
use super::pinyin::MAX_PINYIN_PHRASES;

/// What to mark in the names of the hits shown: the phrases that matched (query runs, the
/// Chinese a pinyin query spelled, the pairs of a relaxed query). Marks are made for the page
/// returned only, by finding these in the (folded) names. The third set holds the single
/// characters only the relaxed pass counted ([`Marks::add_loose`]): one of them alone in a
/// name is no mark (a name dotted with single characters reads as noise), only as part of a
/// longer marked run. The fourth holds the phrases a pinyin run spelled whole (its last
/// syllable as typed, not one it begins) that matched, the first [`MAX_SPELLED`] (see
/// `Index::spelled_word`).
#[derive(Debug, Default)]
pub(super) struct Marks(PhraseSet, u64, Vec<char>, Vec<Vec<char>>);

/// Most phrases [`Marks::spelled`] keeps.
pub(super) const MAX_SPELLED: usize = 9;

impl Marks {
    pub(super) fn add(&mut self, phrase: &[char]) {
        if let Some(&c) = phrase.first() {
            if self.0.len() < 2 * MAX_PINYIN_PHRASES {
                self.0.insert(phrase.to_vec());
                self.1 |= Self::bit(c);
                if phrase.len() == 1 {
                    // (A list, not a set: the few characters of one query, and a set's
                    // removal was 4 KB of the browser module.)
                    self.2.retain(|&x| x != c);
                }
            }
        }
    }

    /// A character the relaxed pass counted on its own (not a run of the query, not a pair):
    /// marked only where it touches another mark, so that a partial hit's name shows runs of
    /// two or more matched characters, never scattered single ones.
    pub(super) fn add_loose(&mut self, c: char) {
        if !self.0.contains(std::slice::from_ref(&c)) {
            self.add(&[c]);
            self.2.push(c);
        }
    }

    /// A phrase a pinyin run spelled whole that matched.
    pub(super) fn add_spelled(&mut self, phrase: &[char]) {
        if self.3.len() < MAX_SPELLED {
            self.3.push(phrase.to_vec());
        }
    }

    /// The phrases pinyin spelled whole that matched (at most [`MAX_SPELLED`]).
    pub(super) fn spelled(&self) -> &[Vec<char>] {
        &self.3
    }

    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The phrases, in order.
    pub(super) fn phrases(&self) -> impl Iterator<Item = &Vec<char>> {
        self.0.iter()
    }

    /// A bit per first character (hashed into 64): most characters of a name begin no mark,
    /// and this says so without a lookup.
    fn bit(c: char) -> u64 {
        1 << ((c as u32).wrapping_mul(0x9E37_79B9) >> 26)
    }

    /// `[start, end)` character ranges of `name` (already folded) covered by a mark, merged.
    fn ranges(&self, name: &[char]) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        for (i, c) in name.iter().enumerate() {
            if self.1 & Self::bit(*c) == 0 {
                continue;
            }
            // The marks starting with this character (the set is sorted), longest match kept
            // by the merge below.
            let from = std::slice::from_ref(c);
            for m in self.0.from(from) {
                if m.first() != Some(c) {
                    break;
                }
                if name[i..].starts_with(m) {
                    out.push((i as u64) << 32 | (i + m.len()) as u64);
                }
            }
        }
        // Each range as one integer (start, then end): the integer sort ranking uses, rather
        // than a sort of pairs of its own in the browser module.
        out.sort_unstable();
        let mut merged = merge_ranges(out.into_iter().map(|r| ((r >> 32) as u32, r as u32)));
        if !self.2.is_empty() {
            merged.retain(|&(s, e)| e > s + 1 || !self.2.contains(&name[s as usize]));
        }
        merged
    }
}

impl Index {
    /// The marked ranges of item `id`'s name; `name` is a buffer for the folded name.
    pub(super) fn highlights(
        &self,
        id: u32,
        marks: &Marks,
        name: &mut Vec<char>,
    ) -> Result<Vec<(u32, u32)>, Error> {
        name.clear();
        name.extend(
            self.name_of(id)?
                .chars()
                .map(|c| fold_char(c, Some(&self.t2s))),
        );
        Ok(marks.ranges(name))
    }
}

fn merge_ranges(sorted: impl ExactSizeIterator<Item = (u32, u32)>) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::with_capacity(sorted.len());
    for (s, e) in sorted {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn loose_characters_mark_only_within_longer_runs() {
        let mut m = Marks::default();
        m.add(&chars("摆摊"));
        m.add_loose('点');
        m.add_loose('服');
        // 摆摊 and 点 touch: one run; 服 alone is no mark.
        assert_eq!(m.ranges(&chars("服务摆摊点")), vec![(2, 5)]);
        assert!(m.ranges(&chars("服务")).is_empty());
        // A single character the query asked for itself (a run) stays marked.
        m.add(&['服']);
        assert_eq!(m.ranges(&chars("服务")), vec![(0, 1)]);
        let mut strict = Marks::default();
        strict.add(&['犬']);
        strict.add_loose('犬');
        assert_eq!(strict.ranges(&chars("饲养的犬只")), vec![(3, 4)]);
    }
}
