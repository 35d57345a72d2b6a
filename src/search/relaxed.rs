//! The relaxed pass: when few items match every part of a longer Chinese query, the items that
//! contain a good share of its character pairs (and, for short queries, its characters) follow
//! them — for a citizen's sentence (`饭店油烟扰民`) rather than the catalog's terms.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::Arc;

use crate::error::Error;
use crate::index::{Index, Postings, FIELD_KEYWORDS, FIELD_NAME, KEY_KEYWORD};
use crate::text::{is_cjk, segments, CharHasher};

use super::intent::{intent, INTENT_BONUS};
use super::keys::{keys_upper, literal_key};
use super::marks::Marks;
use super::parts::PartHits;
use super::query::MAX_QUERY_RUNS;

/// When fewer items than this match every part of a Chinese query of three or more characters,
/// the items matching most of it are listed after them (see
/// [`SearchResult::strict`](super::SearchResult::strict)).
pub const RELAXED_BELOW: usize = 10;
/// What a character pair counts for in the relaxed pass, by field.
const RELAXED_WEIGHTS: [f32; 4] = [1.0, 2.0, 0.125, 0.0625];
/// What a single character counts for, by field (before [`RELAXED_CHAR_WEIGHT`]).
const RELAXED_CHAR_FIELDS: [f32; 4] = [1.0, 1.0, 0.125, 0.0625];
/// In the relaxed pass, a single character counts this much of what a pair counts.
const RELAXED_CHAR_WEIGHT: f32 = 0.7;
/// A character that begins more different pairs than this is too common for the relaxed pass.
pub(super) const RELAXED_CHAR_CONTEXTS: usize = 64;
/// In a query longer than [`RELAXED_CHARS_UP_TO`], a character counts only when it begins at
/// most this many different pairs (a rare word of one character: `秤`).
const RELAXED_RARE_CONTEXTS: usize = 16;
/// … and at most one item in this many has it.
const RELAXED_RARE_SHARE: usize = 32;
/// The relaxed pass keeps items scoring at least this share of what the whole query would…
const RELAXED_SHARE: f32 = 0.3;
/// … and this share when the query is short enough for its characters to count
/// ([`RELAXED_CHARS_UP_TO`]).
const RELAXED_SHARE_WITH_CHARS: f32 = 0.2;
/// Queries of at most this many ideographs count single characters in the relaxed pass; in
/// longer ones the pairs say enough.
const RELAXED_CHARS_UP_TO: usize = 4;
/// A query with more pairs than this is a sentence: no item has a good share of all its
/// words, so items scoring [`RELAXED_OF_BEST`] of the best one are kept too.
const RELAXED_SENTENCE_PAIRS: usize = 4;
/// See [`RELAXED_SENTENCE_PAIRS`]: when some items match the query whole, …
const RELAXED_OF_BEST: f32 = 0.4;
/// … and when none does (a citizen's sentence): a fifth, for its second and third answers
/// (the noise at night, then noise in general; the inspection beside the penalty) share fewer
/// of its words than the first.
const RELAXED_OF_BEST_ALONE: f32 = 0.2;
/// What a run of the query that is an item's keyword whole (`摆摊`, or a lexicon word the
/// build gave it, `地摊`) counts, besides its pairs: the catalog's and the lexicon's words are
/// the topic of a sentence, where a pair that merely occurs in the text (`行道` of 人行道 in
/// 行道树) is not: so a word counts half as much again as its weight (idf) alone.
const RELAXED_WORD_WEIGHT: f32 = 1.5;
/// What a word found whole counts besides, for an item whose text lacks one of its pairs (the
/// lexicon gave it the word): what a pair of its name would. Once, however long the word:
/// counting each missing pair made a long description (`吵得睡不着觉`, noise in general)
/// outweigh the sentence's other words.
const LEXICON_WORD_WEIGHT: f32 = RELAXED_WEIGHTS[FIELD_NAME as usize];
/// The longest keyword looked for in a sentence, in characters.
const RELAXED_WORD_CHARS: usize = 8;
/// In a sentence, an item's score grows by this share for each separate stretch of the query
/// it matches beyond the first (see [`stretches`]): the wage-arrears item matching `欠` and
/// `工钱` of 老板欠了三个月工钱 ranks above the item whose keyword merely has `老板`.
const RELAXED_STRETCH_BONUS: f32 = 0.25;

/// What the relaxed pass looks for, if anything: a query of two ideographs or more itself;
/// for pinyin (`letters`), the Chinese it spelled (`wzxy` = 无证行医 also finds 无证医生), when
/// it spelled only a few phrases.
pub(super) fn relaxed_text(q: &str, cjk: usize, letters: bool, marks: &Marks) -> Option<String> {
    if cjk >= 2 {
        Some(q.to_string())
    } else if letters {
        let spelled: Vec<String> = marks
            .phrases()
            .filter(|m| m.len() >= 2 && m.iter().all(|&c| is_cjk(c)))
            .map(|m| m.iter().collect())
            .collect();
        (1..=3).contains(&spelled.len()).then(|| spelled.join(" "))
    } else {
        None
    }
}

/// The distinct character pairs of the query's runs, and its distinct ideographs (at most 64
/// each).
/// The query's character pairs and characters, each with the characters of the query it
/// covers (see [`Span`]).
type PairsAndChars = (Vec<([char; 2], Span)>, Vec<(char, Span)>);

/// Each with the query's characters it covers (see [`Span`]).
fn pairs_and_chars(q: &str) -> PairsAndChars {
    let mut pairs: Vec<([char; 2], Span)> = Vec::new();
    let mut chars: Vec<(char, Span)> = Vec::new();
    for (start, run) in segments(q).take(MAX_QUERY_RUNS) {
        for (i, w) in run.windows(2).enumerate() {
            let at = span(start + i, 2);
            match pairs.iter_mut().find(|(p, _)| *p == [w[0], w[1]]) {
                Some((_, s)) => *s |= at,
                None => pairs.push(([w[0], w[1]], at)),
            }
        }
        for (i, &c) in run.iter().enumerate() {
            if !is_cjk(c) {
                continue;
            }
            let at = span(start + i, 1);
            match chars.iter_mut().find(|(x, _)| *x == c) {
                Some((_, s)) => *s |= at,
                None => chars.push((c, at)),
            }
        }
    }
    pairs.truncate(64);
    chars.truncate(64);
    (pairs, chars)
}

/// The characters of the query a pair, character or word covers, as bits by position (a
/// query has at most [`MAX_QUERY_CHARS`](super::MAX_QUERY_CHARS) = 128 characters).
type Span = u128;

/// The span of `len` characters from `start` (none beyond the 128th).
fn span(start: usize, len: usize) -> Span {
    (start..start + len)
        .filter(|&i| i < 128)
        .fold(0, |s, i| s | 1 << i)
}

/// How many separate stretches of the query `covered` has: an item matching a sentence's
/// problem word and what surrounds it (`油烟` and `饭馆`; `欠` and `工钱`) has two, an item
/// matching a side word alone (`老板`) one.
fn stretches(covered: Span) -> u32 {
    (covered & !(covered << 1)).count_ones()
}

/// What the relaxed pass knows of one item.
#[derive(Default, Clone, Copy)]
struct Share {
    /// What its pairs and characters score.
    score: f32,
    /// A pair or character was in its name or keywords.
    in_name_or_kw: bool,
    /// It has one of the query's pairs, or a character that is one of its keywords whole
    /// (`狗`).
    word: bool,
    /// How many of the query's characters it has outside its pairs.
    chars: u8,
    /// The query's characters its pairs, characters and words cover.
    covered: Span,
}

impl Share {
    /// Enough to list: something in the name or keywords, and a word or two characters (an
    /// item sharing one character with `离婚` is not an answer).
    fn listed(&self) -> bool {
        self.in_name_or_kw && (self.word || self.chars >= 2)
    }
}

/// The relaxed pass's sums: per item, its [`Share`]; and the weight (idf) of all that occurs,
/// what a whole match scores.
struct Shares<'a> {
    index: &'a Index,
    total: f32,
    present_idf: f32,
    acc: HashMap<u32, Share, BuildHasherDefault<CharHasher>>,
}

impl<'a> Shares<'a> {
    fn new(index: &'a Index) -> Shares<'a> {
        Shares {
            index,
            total: index.attrs.len().max(1) as f32,
            present_idf: 0.0,
            acc: HashMap::default(),
        }
    }

    /// Counts a pair's or character's list, at `weight`, for the items it is not `covered`
    /// for (`covered(item)`: the item already counts this through a pair); `word(item)`: what
    /// it counts is a word for the item (see [`Share::word`]); `at`: the query's characters it
    /// covers. False when no item has it.
    fn add(
        &mut self,
        list: &Postings,
        (weight, fields, at): (f32, &[f32; 4], Span),
        covered: &dyn Fn(u32) -> bool,
        word: &dyn Fn(u32) -> bool,
    ) -> bool {
        let items = self.index.attrs.len();
        // Items only: cited-unit documents do not count here.
        let df = list.docs.partition_point(|&d| (d as usize) < items) as f32;
        if df == 0.0 {
            return false;
        }
        let total = self.total;
        let idf = (1.0 + (total - df + 0.5) / (df + 0.5)).ln() * weight;
        self.present_idf += idf;
        for (item, slots) in list.iter() {
            if item as usize >= items || covered(item) {
                continue;
            }
            let e = self.acc.entry(item).or_default();
            // A pair in the name or an everyday keyword counts whole: citizens' words are
            // often the keywords (`噪音`, `扰民`), not the name's official terms.
            let best = slots
                .iter()
                .map(|s| fields[((s >> 24) as usize).min(3)])
                .fold(0.0, f32::max);
            e.score += idf * best;
            e.covered |= at;
            if slots
                .iter()
                .any(|s| s >> 24 == FIELD_NAME || s >> 24 == FIELD_KEYWORDS)
            {
                e.in_name_or_kw = true;
            }
            if word(item) {
                e.word = true;
            } else {
                e.chars = e.chars.saturating_add(1);
            }
        }
        true
    }

    /// Counts a word's items (`docs`, no positions) but those of `except` (sorted), at
    /// `weight`: for each, a word of its name or keywords covering `at` of the query. An item
    /// that lacks one of the word's pairs in its text (the lexicon gave it the word: 铁盖子
    /// for the manhole-cover item) counts it once more (see [`LEXICON_WORD_WEIGHT`]): the
    /// items whose text has the word count its pairs besides the word, and a setting word
    /// spelt out in some other item's keyword (下水道 of 往下水道倒垃圾) outscored the problem
    /// itself.
    fn add_word(&mut self, docs: &[u32], except: &[u32], weight: f32, at: Span) {
        let items = self.index.attrs.len();
        let df = docs.partition_point(|&d| (d as usize) < items) as f32;
        if df == 0.0 {
            return;
        }
        let total = self.total;
        let idf = (1.0 + (total - df + 0.5) / (df + 0.5)).ln();
        // The word's pairs, as spans of the query (none for a character).
        let start = at.trailing_zeros() as usize;
        let pairs = start..(start + at.count_ones() as usize).saturating_sub(1);
        // Not added to what the whole query scores: a sentence's words are a bonus over its
        // pairs, not a share the item must also have.
        for &item in docs.iter().take_while(|&&d| (d as usize) < items) {
            if except.binary_search(&item).is_ok() {
                continue;
            }
            let e = self.acc.entry(item).or_default();
            e.score += idf * weight;
            if pairs.clone().any(|i| e.covered & span(i, 2) != span(i, 2)) {
                e.score += idf * LEXICON_WORD_WEIGHT;
            }
            e.covered |= at;
            e.in_name_or_kw = true;
            e.word = true;
        }
    }

    /// The items [`Share::listed`] that score at least `share` of what the whole query
    /// would, or for a sentence, `of_best` of what the best item scores. In a sentence, each
    /// separate stretch of it an item matches beyond the first adds
    /// [`RELAXED_STRETCH_BONUS`] to its score (after the floor: which items are kept does
    /// not change, only their order); an item of the type the query asks for (`kind`, see
    /// [`intent`]) scores [`INTENT_BONUS`] more.
    fn keep(self, share: f32, sentence: bool, of_best: f32, kind: Option<u8>) -> PartHits {
        let mut floor = share * self.present_idf;
        if sentence {
            let best = self
                .acc
                .values()
                .filter(|s| s.listed())
                .map(|s| s.score)
                .fold(0.0, f32::max);
            floor = floor.min(of_best * best);
        }
        let out = self
            .acc
            .into_iter()
            .filter(|(_, s)| s.listed() && s.score >= floor)
            .map(|(item, s)| {
                let more = if sentence {
                    stretches(s.covered).saturating_sub(1)
                } else {
                    0
                };
                let asked =
                    kind.is_some() && self.index.attrs.get(item as usize).map(|a| a.kind) == kind;
                let bonus = if asked { 1.0 + INTENT_BONUS } else { 1.0 };
                let score = s.score * (1.0 + RELAXED_STRETCH_BONUS * more as f32) * bonus;
                (item, score)
            })
            .collect();
        PartHits::from_unsorted(out)
    }
}

impl Index {
    /// The relaxed pass: items containing a good share of the query's character pairs and,
    /// at half weight, of its characters (`毁绿` finds 毁坏花草 and 破坏绿地护栏; `私搭乱建`
    /// finds 乱搭建). Characters that begin too many different pairs (`的`, `行`) say little
    /// and would cost a long list each: they are left out.
    /// `none`: no item matches the query whole.
    pub(super) fn relaxed_hits(
        &self,
        q: &str,
        none: bool,
        marks: &mut Marks,
    ) -> Result<PartHits, Error> {
        // The words asking for a type of power (`办证`) are not the topic.
        let (kind, text) = intent(q);
        let q = text.as_str();
        let (pairs, chars) = pairs_and_chars(q);
        // A short query's characters count; in a longer one the pairs say enough, but for
        // its rare characters (`秤` of 秤少了, where the catalog has 少秤).
        let short = chars.len() <= RELAXED_CHARS_UP_TO;
        let share = if short {
            RELAXED_SHARE_WITH_CHARS
        } else {
            RELAXED_SHARE
        };
        let mut shares = Shares::new(self);
        // The query's pairs that occur, with their lists.
        let mut found: Vec<([char; 2], Arc<Postings>)> = Vec::new();
        // The query's characters in a pair some item has: a character there is a piece of
        // that pair (`里` of 村里), not a stretch of its own (see [`stretches`]).
        let mut in_pairs: Span = 0;
        for &(p, at) in &pairs {
            let Some(off) = self.terms.get(&literal_key(&p))? else {
                continue;
            };
            let list = self.postings_at(off)?;
            if shares.add(&list, (1.0, &RELAXED_WEIGHTS, at), &|_| false, &|_| true) {
                marks.add(&p);
                found.push((p, list));
                in_pairs |= at;
            }
        }
        // The words found whole, after the pairs: an item lacking a word's pairs counts them
        // (see [`Shares::add_word`]).
        let in_words = self.relaxed_words(q, &mut shares, marks)?;
        // In a sentence, a character of a word found whole (`馆` of 面馆) is that word's, not a
        // rare word itself.
        for &(c, at) in chars.iter().filter(|(c, _)| short || !in_words.contains(c)) {
            let limit = if short {
                RELAXED_CHAR_CONTEXTS
            } else {
                RELAXED_RARE_CONTEXTS
            };
            if self.begins_many_pairs(c, limit)? {
                continue;
            }
            let list = self.char_postings(c)?;
            // In a longer query, only a character few items have (a word of one character).
            let items = self.attrs.len();
            let df = list.docs.partition_point(|&d| (d as usize) < items);
            if !short && df > (items / RELAXED_RARE_SHARE).max(1) {
                continue;
            }
            // A character counts for the items that do not have it in a pair of the query
            // already (else `经营` items would count 经营, 经 and 营 for `占道经营`).
            let pairs_with_c: Vec<&Postings> = found
                .iter()
                .filter(|(p, _)| p.contains(&c))
                .map(|(_, l)| &**l)
                .collect();
            let covered = |item: u32| {
                pairs_with_c
                    .iter()
                    .any(|l| l.docs.binary_search(&item).is_ok())
            };
            // A character that is an item's keyword whole (`狗`) is a word for it.
            let mut key = vec![KEY_KEYWORD];
            key.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
            let whole = match self.terms.get(&key)? {
                Some(off) => self.docs_at(off)?,
                None => Vec::new(),
            };
            let word = |item: u32| whole.binary_search(&item).is_ok();
            if shares.add(
                &list,
                (RELAXED_CHAR_WEIGHT, &RELAXED_CHAR_FIELDS, at & !in_pairs),
                &covered,
                &word,
            ) {
                marks.add_loose(c);
            }
        }
        let of_best = if none {
            RELAXED_OF_BEST_ALONE
        } else {
            RELAXED_OF_BEST
        };
        let sentence = pairs.len() > RELAXED_SENTENCE_PAIRS;
        Ok(shares.keep(share, sentence, of_best, kind))
    }

    /// Counts every run of the query (one to [`RELAXED_WORD_CHARS`] characters) that is some
    /// item's keyword whole, longest first. A run of two characters or more inside a longer
    /// one found counts only for the items the longer one did not reach: `饭馆` of 小饭馆 (a
    /// lexicon word of the unlicensed-restaurant items) still finds the items saying 饭店
    /// (饭店油烟), so that the oil-fume item matches both the problem and the setting of
    /// 小饭馆的油烟. Returns the characters of the words of two characters or more found.
    fn relaxed_words(
        &self,
        q: &str,
        shares: &mut Shares,
        marks: &mut Marks,
    ) -> Result<Vec<char>, Error> {
        let mut in_words = Vec::new();
        for (run_start, run) in segments(q).take(MAX_QUERY_RUNS) {
            let mut taken = vec![false; run.len()];
            // The words found in this run: where they start, how long they are, their items.
            let mut words: Vec<(usize, usize, Vec<u32>)> = Vec::new();
            for len in (1..=RELAXED_WORD_CHARS.min(run.len())).rev() {
                for start in 0..=run.len() - len {
                    let word = &run[start..start + len];
                    let inside = taken[start..start + len].iter().all(|&t| t);
                    if (inside && len < 2) || !word.iter().all(|&c| is_cjk(c)) {
                        continue;
                    }
                    let mut key = vec![KEY_KEYWORD];
                    key.extend(word.iter().collect::<String>().bytes());
                    let Some(off) = self.terms.get(&key)? else {
                        continue;
                    };
                    let docs = self.docs_at(off)?;
                    let at = span(run_start + start, len);
                    marks.add(word);
                    if inside {
                        // Sorted as 64-bit integers: the sort ranking uses, not one of
                        // its own in the browser module.
                        let mut wide: Vec<u64> = words
                            .iter()
                            .filter(|(s, l, _)| *s <= start && start + len <= s + l)
                            .flat_map(|(_, _, d)| d.iter().map(|&d| u64::from(d)))
                            .collect();
                        wide.sort_unstable();
                        let reached: Vec<u32> = wide.into_iter().map(|d| d as u32).collect();
                        shares.add_word(&docs, &reached, RELAXED_WORD_WEIGHT, at);
                        continue;
                    }
                    shares.add_word(&docs, &[], RELAXED_WORD_WEIGHT, at);
                    if len >= 2 {
                        in_words.extend_from_slice(word);
                    }
                    taken[start..start + len].iter_mut().for_each(|t| *t = true);
                    words.push((start, len, docs));
                }
            }
        }
        Ok(in_words)
    }

    /// `c` begins more than `limit` (at most [`RELAXED_CHAR_CONTEXTS`]) different pairs: too
    /// common to count.
    fn begins_many_pairs(&self, c: char, limit: usize) -> Result<bool, Error> {
        let key = literal_key(&[c]);
        let contexts = self.char_contexts(c, RELAXED_CHAR_CONTEXTS + 1, || {
            let mut n = 0;
            self.terms
                .for_each_in(&key, keys_upper(&key).as_deref(), |_, _| {
                    n += 1;
                    Ok(n <= RELAXED_CHAR_CONTEXTS)
                })?;
            Ok(n)
        })?;
        Ok(contexts > limit.min(RELAXED_CHAR_CONTEXTS))
    }
}
