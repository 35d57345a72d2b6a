//! Pinyin queries: full pinyin (`zhandao`, `zhandaoj`) split into the catalog's syllables, or
//! initials (`zdjy`), expanded through the pinyin keys into the Chinese phrases they spell,
//! whose hits are unioned.

use crate::error::Error;
use crate::index::{Index, KeyAutomaton, KEY_INITIALS, KEY_PINYIN, MAX_PINYIN_WINDOW, PINYIN_SEP};

use super::keys::keys_upper;
use super::marks::Marks;
use super::parts::PartHits;
use super::phrases::PhraseSet;
use super::prefetch::Need;
use super::query::MAX_QUERY_CHARS;

/// Most distinct phrases one pinyin or initials query expands to.
pub const MAX_PINYIN_PHRASES: usize = 256;
/// Most matches (item, phrase) the phrases of one pinyin query score, shared by its words: a
/// common syllable (`ji`) spells dozens of characters, each in tens of thousands of items of
/// a 100k catalog. Longer phrases are scored first; the characters that no longer fit are
/// left out, so such a query is answered from part of what it spells (the work stays under
/// 50 ms however many words it has).
pub const MAX_PINYIN_MATCHES: usize = 150_000;
/// What a phrase counts when its last syllable only begins with the last one typed whole
/// (`weijian` spelling 未将, wei jiang), against 0.9 for the syllables typed.
const LONGER_WEIGHT: f32 = 0.3;

type Phrases = PhraseSet;

impl Index {
    /// Full pinyin (`zhandao`, a last syllable may be partial) or initials (`zdjy`), scoring
    /// at most about `budget` matches (see [`MAX_PINYIN_MATCHES`]).
    pub(super) fn pinyin_hits(
        &self,
        letters: &str,
        budget: usize,
        marks: &mut Marks,
    ) -> Result<PartHits, Error> {
        let letters = letters.to_ascii_lowercase();
        if letters.len() < 2 || letters.len() > 6 * MAX_QUERY_CHARS {
            return Ok(PartHits::default());
        }
        let mut hits = PartHits::default();
        if let Some(sylls) = self.segment(&letters) {
            let (whole, longer) = self.spelled_sets(&sylls)?;
            // A last syllable typed whole (`weijian`): what it spells (违建) comes before what
            // the longer syllables it begins spell (未将, wei jiang); a partial one (`weiji`)
            // means them all alike.
            let typed_whole = sylls.last().is_some_and(|s| self.is_syllable(s));
            let lesser = if typed_whole { LONGER_WEIGHT } else { 0.9 };
            let mut weighted: Vec<(&[char], f32)> = whole.iter().map(|p| (&p[..], 0.9)).collect();
            weighted.extend(
                longer
                    .iter()
                    .filter(|p| !whole.contains(p))
                    .map(|p| (&p[..], lesser)),
            );
            // What a last syllable typed whole spells is noted (see `Marks::spelled`).
            let empty = PhraseSet::new();
            let spelled = if typed_whole { &whole } else { &empty };
            hits = self.phrases_hits(weighted, budget, marks, spelled)?;
        }
        if hits.is_empty() && letters.len() <= 4 * MAX_PINYIN_WINDOW {
            let phrases = self.initials_phrases(&letters)?;
            let weighted = phrases.iter().map(|p| (&p[..], 0.6)).collect();
            hits = self.phrases_hits(weighted, budget, marks, &PhraseSet::new())?;
        }
        Ok(hits)
    }

    /// The phrases that syllables `sylls` spell (the last one possibly partial). Windows hold
    /// [`MAX_PINYIN_WINDOW`] syllables: longer queries go in chunks whose phrases are joined.
    pub(super) fn spelled_phrases(&self, sylls: &[String]) -> Result<PhraseSet, Error> {
        let (mut phrases, longer) = self.spelled_sets(sylls)?;
        phrases.extend(longer);
        Ok(phrases)
    }

    /// [`Index::spelled_phrases`] in two sets: those whose last syllable is the last one typed,
    /// and those whose last syllable only begins with it (`jian` of jiang). A window before the
    /// last ends where its syllables do.
    pub(super) fn spelled_sets(&self, sylls: &[String]) -> Result<(PhraseSet, Phrases), Error> {
        let mut phrases = just_empty();
        let mut longer = PhraseSet::new();
        let last = sylls.len().saturating_sub(1) / MAX_PINYIN_WINDOW;
        for (i, chunk) in sylls.chunks(MAX_PINYIN_WINDOW).enumerate() {
            let part: String = chunk.concat();
            // Seek to where the matching keys are rather than walk the FST from its root.
            let seek = self.pinyin_seek(part.as_bytes());
            let (found, more) =
                self.pinyin_phrases(Some(PinyinPrefix { q: part.as_bytes() }), &seek, |k| {
                    let (n, at) = syllables_covered(&k[1..], part.len());
                    // The key's syllable goes on after the letters typed.
                    let on = k[1..].get(at).is_some_and(|&b| b != PINYIN_SEP);
                    (n as usize, on)
                })?;
            if i == last {
                longer = join_phrases(&phrases, &more);
            }
            phrases = join_phrases(&phrases, &found);
        }
        Ok((phrases, longer))
    }

    /// Some full-pinyin key has syllables `sylls` whole, window by window: they spell some
    /// phrase (only the keys are read, not the texts they spell).
    pub(super) fn spells(&self, sylls: &[String]) -> Result<bool, Error> {
        for chunk in sylls.chunks(MAX_PINYIN_WINDOW) {
            let part = chunk.concat();
            let seek = self.pinyin_seek(part.as_bytes());
            let hi = keys_upper(&seek);
            let mut found = false;
            let aut = PinyinPrefix { q: part.as_bytes() };
            self.pinyin
                .for_each_matching(&aut, &seek, hi.as_deref(), &mut |k, _| {
                    let (_, at) = syllables_covered(&k[1..], part.len());
                    found = k[1..].get(at).is_none_or(|&b| b == PINYIN_SEP);
                    Ok(!found)
                })?;
            if !found {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The phrases whose initials are `letters`, in chunks of [`MAX_PINYIN_WINDOW`] joined.
    fn initials_phrases(&self, letters: &str) -> Result<PhraseSet, Error> {
        let mut phrases = just_empty();
        for chunk in letters.as_bytes().chunks(MAX_PINYIN_WINDOW) {
            let mut key = vec![KEY_INITIALS];
            key.extend_from_slice(chunk);
            let (found, _) = self.pinyin_phrases(None, &key, |_| (chunk.len(), false))?;
            phrases = join_phrases(&phrases, &found);
        }
        Ok(phrases)
    }

    /// The distinct phrases that the pinyin keys starting with `prefix` and matching `aut`
    /// spell, each cut to the number of characters the query covers (`covered(key)`).
    fn pinyin_phrases(
        &self,
        aut: Option<PinyinPrefix>,
        prefix: &[u8],
        covered: impl Fn(&[u8]) -> (usize, bool),
    ) -> Result<(Phrases, Phrases), Error> {
        let mut phrases = PhraseSet::new();
        let mut longer = PhraseSet::new();
        let mut keys = 0;
        // In a chunked index, the texts not here yet are asked for all at once, after the
        // walk, rather than one round each.
        let mut missing = Need::default();
        // Seek to the prefix rather than walk the FST from its root.
        let hi = keys_upper(prefix);
        let mut each = |k: &[u8], off: u64| -> Result<bool, Error> {
            let (n, on) = covered(k);
            let set = if on { &mut longer } else { &mut phrases };
            match self.texts_at(off) {
                Ok(texts) => {
                    for text in texts {
                        let p: Vec<char> = text.chars().take(n).collect();
                        if !p.is_empty() {
                            set.insert(p);
                        }
                    }
                }
                missing_texts => missing.add(missing_texts)?,
            }
            keys += 1;
            Ok(keys < self.key_budget && phrases.len() + longer.len() < MAX_PINYIN_PHRASES)
        };
        match aut {
            Some(aut) => self
                .pinyin
                .for_each_matching(&aut, prefix, hi.as_deref(), &mut each)?,
            None => self.pinyin.for_each_in(prefix, hi.as_deref(), each)?,
        }
        missing.ask()?;
        Ok((phrases, longer))
    }

    /// The union of the phrases' hits, each scaled by its weight: the longest phrases first,
    /// until about `budget` matches are scored. Those of `spelled` that match are noted in
    /// `marks` (see `Marks::spelled`).
    fn phrases_hits(
        &self,
        by_length: Vec<(&[char], f32)>,
        budget: usize,
        marks: &mut Marks,
        spelled: &Phrases,
    ) -> Result<PartHits, Error> {
        // Longest first, ties in their order (a stable sort): each as one integer (the length
        // descending, then the position), sorted by the sort ranking uses rather than a stable
        // sort of its own in the browser module.
        let mut order: Vec<u64> = by_length
            .iter()
            .enumerate()
            .map(|(i, p)| u64::from(!(p.0.len() as u32)) << 32 | i as u64)
            .collect();
        order.sort_unstable();
        let mut hits = Vec::with_capacity(by_length.len());
        let mut scored = 0;
        for (p, weight) in order.into_iter().map(|k| by_length[k as u32 as usize]) {
            if scored >= budget {
                break;
            }
            let mut h = self.phrase(p)?;
            if !h.is_empty() {
                scored += h.0.len();
                marks.add(p);
                if spelled.contains(p) {
                    marks.add_spelled(p);
                }
                // Pinyin spelling a whole keyword (`wj` = 违建) is what was typed it for: those
                // items go above the many whose text merely contains the same letters' words;
                // the items the lexicon gives it (占道经营: 摆摊设点) come too, as for Chinese.
                let text: String = p.iter().collect();
                let docs = self.keyword_docs(&text)?;
                h = h.union(self.keyword_hits_of(docs.clone()));
                h.scale(weight);
                super::rank::boost_docs(&docs, &mut h, 4.0);
                hits.push(h);
            }
        }
        Ok(PartHits::union_all(hits, self.attrs.len()))
    }

    /// The phrases a pinyin query spells: in full pinyin when the letters split into
    /// syllables, else as initials (what a chunked index fetches the keys of ahead).
    pub(super) fn pinyin_phrase_set(&self, letters: &str) -> Result<PhraseSet, Error> {
        match self.segment(letters) {
            Some(sylls) => self.spelled_phrases(&sylls),
            None if letters.len() <= 4 * MAX_PINYIN_WINDOW => self.initials_phrases(letters),
            None => Ok(PhraseSet::new()),
        }
    }

    /// The key prefix every full-pinyin key whose letters start with `letters` has. A key
    /// starts with one of the catalog's syllables, whole (separators come after it), so that
    /// syllable is a prefix of the letters or the letters of it: the keys start with the
    /// shortest syllable the letters start with, or with the letters when none is (`zhandao`:
    /// `zha`, which `zhan` and `zhang` start with too). In a chunked index this is what spares
    /// a query the shards of every key starting with its first letter.
    pub(super) fn pinyin_seek(&self, letters: &[u8]) -> Vec<u8> {
        let shortest = self
            .meta
            .syllables
            .iter()
            .map(String::as_bytes)
            .filter(|s| !s.is_empty() && letters.starts_with(s))
            .min_by_key(|s| s.len());
        let mut key = vec![KEY_PINYIN];
        key.extend_from_slice(shortest.unwrap_or(letters));
        key
    }

    /// Splits `letters` into syllables the catalog uses, the last one possibly partial
    /// (`zhandaoj` → `zhan dao j`); `None` when they do not split (`zdjy`).
    pub(super) fn segment(&self, letters: &str) -> Option<Vec<String>> {
        segment_with(&self.meta.syllables, letters)
    }

    /// `s` is one of the catalog's syllables, whole.
    pub(super) fn is_syllable(&self, s: &str) -> bool {
        self.meta
            .syllables
            .binary_search_by(|x| x.as_str().cmp(s))
            .is_ok()
    }
}

/// A set of one phrase, the empty one.
fn just_empty() -> PhraseSet {
    let mut set = PhraseSet::new();
    set.insert(Vec::new());
    set
}

/// Every phrase of `a` followed by every phrase of `b`, at most [`MAX_PINYIN_PHRASES`].
fn join_phrases(a: &PhraseSet, b: &PhraseSet) -> PhraseSet {
    let mut out = PhraseSet::new();
    'outer: for x in a {
        for y in b {
            if out.len() >= MAX_PINYIN_PHRASES {
                break 'outer;
            }
            let mut p = x.clone();
            p.extend_from_slice(y);
            out.insert(p);
        }
    }
    out
}

/// [`Index::segment`] over a sorted list of syllables.
fn segment_with(sylls: &[String], letters: &str) -> Option<Vec<String>> {
    // Sorted at load: whole syllables and syllable prefixes are found by binary search.
    let longest = sylls.iter().map(String::len).max().unwrap_or(0);
    let is_syllable = |s: &[u8]| sylls.binary_search_by(|x| x.as_bytes().cmp(s)).is_ok();
    // Some syllable is longer than `rest` and starts with it.
    let starts_syllable = |rest: &[u8]| {
        let from = sylls.partition_point(|x| x.as_bytes() <= rest);
        sylls
            .get(from)
            .is_some_and(|x| x.as_bytes().starts_with(rest))
    };
    split_letters(letters, longest, &is_syllable, &starts_syllable)
}

/// `letters` split into syllables (`is_syllable`, at most `longest` letters), the last one
/// possibly the start of one (`starts_syllable`); the split with the longer last syllable
/// first. (`letters` is sliced with `get`: a slice of a `str` that can fail brings the
/// panic's formatting of characters, and its Unicode tables, into the browser module.)
pub(super) fn split_letters(
    letters: &str,
    longest: usize,
    is_syllable: &dyn Fn(&[u8]) -> bool,
    starts_syllable: &dyn Fn(&[u8]) -> bool,
) -> Option<Vec<String>> {
    let b = letters.as_bytes();
    // back[i]: where the syllable ending at i starts, for the first i letters split whole.
    let mut back: Vec<Option<usize>> = vec![None; b.len() + 1];
    back[0] = Some(0);
    let mut partial_end: Option<usize> = None;
    for i in 0..b.len() {
        if back[i].is_none() {
            continue;
        }
        for j in i + 1..=b.len().min(i + longest) {
            // Prefer the split with the longer last syllable (xian over xi an).
            if is_syllable(&b[i..j]) && back[j].is_none_or(|k| i < k) {
                back[j] = Some(i);
            }
        }
        if partial_end.is_none() && starts_syllable(&b[i..]) {
            partial_end = Some(i); // the rest is the start of a syllable
        }
    }
    let (mut end, mut out) = match (back[b.len()], partial_end) {
        (Some(_), _) => (b.len(), Vec::new()),
        (None, Some(i)) => (i, vec![letters.get(i..)?.to_string()]),
        (None, None) => return None,
    };
    while end > 0 {
        let start = back[end]?;
        out.push(letters.get(start..end)?.to_string());
        end = start;
    }
    out.reverse();
    Some(out)
}

/// How many syllables of a pinyin key the first `n` query letters cover, and where in the key
/// they end.
fn syllables_covered(key: &[u8], n: usize) -> (u32, usize) {
    let mut letters = 0;
    let mut sylls = 1;
    let mut at = 0;
    for &b in key {
        if letters == n {
            break;
        }
        if b == PINYIN_SEP {
            sylls += 1;
        } else {
            letters += 1;
        }
        at += 1;
    }
    (sylls, at)
}

/// Matches full-pinyin keys whose letters (separators skipped) start with the query.
struct PinyinPrefix<'a> {
    q: &'a [u8],
}

const DEAD: usize = usize::MAX;

impl KeyAutomaton for PinyinPrefix<'_> {
    fn start(&self) -> usize {
        0
    }

    fn is_match(&self, s: usize) -> bool {
        s == self.q.len() + 1
    }

    fn can_match(&self, s: usize) -> bool {
        s != DEAD
    }

    fn accept(&self, s: usize, b: u8) -> usize {
        match s {
            DEAD => DEAD,
            0 => {
                if b == KEY_PINYIN {
                    1
                } else {
                    DEAD
                }
            }
            s if s == self.q.len() + 1 => s,
            s if b == PINYIN_SEP => s,
            s => {
                if self.q.get(s - 1) == Some(&b) {
                    s + 1
                } else {
                    DEAD
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinyin_segments_prefer_the_longer_last_syllable_and_allow_a_partial_one() {
        let sylls = ["an", "dao", "jing", "xi", "xian", "ying", "zhan"];
        let split = |q: &str| segment_with(&sylls.map(String::from), q);
        assert_eq!(split("xian").unwrap(), ["xian"]);
        assert_eq!(split("zhandaoj").unwrap(), ["zhan", "dao", "j"]);
        assert_eq!(
            split("zhandaojingying").unwrap(),
            ["zhan", "dao", "jing", "ying"]
        );
        assert!(split("zdjy").is_none());
    }

    #[test]
    fn syllable_cover() {
        assert_eq!(syllables_covered(b"zhan'dao'jing", 7), (2, 8));
        assert_eq!(syllables_covered(b"zhan'dao'jing", 8), (3, 10));
        assert_eq!(syllables_covered(b"zhan", 2), (1, 2));
    }
}
