//! The relaxed pass: when few items match every part of a longer Chinese query, the items that
//! contain a good share of its character pairs (and, for short queries, its characters) follow
//! them — for a citizen's sentence (`饭店油烟扰民`) rather than the catalog's terms.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::Arc;

use crate::error::Error;
use crate::index::{Index, Postings, FIELD_KEYWORDS, FIELD_NAME};
use crate::text::{is_cjk, segments, CharHasher};

use super::keys::{keys_upper, literal_key};
use super::marks::Marks;
use super::parts::PartHits;
use super::query::MAX_QUERY_RUNS;

/// When fewer items than this match every part of a Chinese query of three or more characters,
/// the items matching most of it are listed after them (see
/// [`SearchResult::strict`](super::SearchResult::strict)).
pub const RELAXED_BELOW: usize = 10;
/// What a character pair counts for in the relaxed pass, by field.
const RELAXED_WEIGHTS: [f32; 4] = [1.0, 1.0, 0.125, 0.0625];
/// In the relaxed pass, a single character counts this much of what a pair counts.
const RELAXED_CHAR_WEIGHT: f32 = 0.7;
/// A character that begins more different pairs than this is too common for the relaxed pass.
pub(super) const RELAXED_CHAR_CONTEXTS: usize = 64;
/// The relaxed pass keeps items scoring at least this share of what the whole query would…
const RELAXED_SHARE: f32 = 0.3;
/// … and this share when the query is short enough for its characters to count
/// ([`RELAXED_CHARS_UP_TO`]).
const RELAXED_SHARE_WITH_CHARS: f32 = 0.2;
/// Queries of at most this many ideographs count single characters in the relaxed pass; in
/// longer ones the pairs say enough.
const RELAXED_CHARS_UP_TO: usize = 4;

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

/// The distinct character pairs of the query's runs (at most 64), and its distinct ideographs
/// when there are at most [`RELAXED_CHARS_UP_TO`] of them (else none).
fn pairs_and_chars(q: &str) -> (Vec<[char; 2]>, Vec<char>) {
    let mut pairs: Vec<[char; 2]> = Vec::new();
    let mut chars: Vec<char> = Vec::new();
    for (_, run) in segments(q).take(MAX_QUERY_RUNS) {
        for w in run.windows(2) {
            if !pairs.contains(&[w[0], w[1]]) {
                pairs.push([w[0], w[1]]);
            }
        }
        for &c in &run {
            if is_cjk(c) && !chars.contains(&c) {
                chars.push(c);
            }
        }
    }
    pairs.truncate(64);
    if chars.len() > RELAXED_CHARS_UP_TO {
        chars.clear();
    }
    (pairs, chars)
}

/// The relaxed pass's sums: per item, its score and whether a pair or character was in its
/// name or keywords; and the weight (idf) of all that occurs, what a whole match scores.
struct Shares<'a> {
    index: &'a Index,
    total: f32,
    present_idf: f32,
    acc: HashMap<u32, (f32, bool), BuildHasherDefault<CharHasher>>,
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
    /// for (`covered(item)`: the item already counts this through a pair). False when no
    /// item has it.
    fn add(&mut self, list: &Postings, weight: f32, covered: &dyn Fn(u32) -> bool) -> bool {
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
            let e = self.acc.entry(item).or_insert((0.0, false));
            // A pair in the name or an everyday keyword counts whole: citizens' words are
            // often the keywords (`噪音`, `扰民`), not the name's official terms.
            let best = slots
                .iter()
                .map(|s| RELAXED_WEIGHTS[((s >> 24) as usize).min(3)])
                .fold(0.0, f32::max);
            e.0 += idf * best;
            if slots
                .iter()
                .any(|s| s >> 24 == FIELD_NAME || s >> 24 == FIELD_KEYWORDS)
            {
                e.1 = true;
            }
        }
        true
    }

    /// The items with something in the name or keywords that score at least `share` of what
    /// the whole query would.
    fn keep(self, share: f32) -> PartHits {
        let present_idf = self.present_idf;
        let out = self
            .acc
            .into_iter()
            .filter(|(_, (score, in_name_or_kw))| *in_name_or_kw && *score >= share * present_idf)
            .map(|(item, (score, _))| (item, score))
            .collect();
        PartHits::from_unsorted(out)
    }
}

impl Index {
    /// The relaxed pass: items containing a good share of the query's character pairs and,
    /// at half weight, of its characters (`毁绿` finds 毁坏花草 and 破坏绿地护栏; `私搭乱建`
    /// finds 乱搭建). Characters that begin too many different pairs (`的`, `行`) say little
    /// and would cost a long list each: they are left out.
    pub(super) fn relaxed_hits(&self, q: &str, marks: &mut Marks) -> Result<PartHits, Error> {
        let (pairs, chars) = pairs_and_chars(q);
        let share = if chars.is_empty() {
            RELAXED_SHARE
        } else {
            RELAXED_SHARE_WITH_CHARS
        };
        let mut shares = Shares::new(self);
        // The query's pairs that occur, with their lists.
        let mut found: Vec<([char; 2], Arc<Postings>)> = Vec::new();
        for p in &pairs {
            let Some(off) = self.terms.get(&literal_key(p))? else {
                continue;
            };
            let list = self.postings_at(off)?;
            if shares.add(&list, 1.0, &|_| false) {
                marks.add(p);
                found.push((*p, list));
            }
        }
        for &c in &chars {
            if self.begins_many_pairs(c)? {
                continue;
            }
            let list = self.char_postings(c)?;
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
            if shares.add(&list, RELAXED_CHAR_WEIGHT, &covered) {
                marks.add(&[c]);
            }
        }
        Ok(shares.keep(share))
    }

    /// `c` begins more than [`RELAXED_CHAR_CONTEXTS`] different pairs: too common to count.
    fn begins_many_pairs(&self, c: char) -> Result<bool, Error> {
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
        Ok(contexts > RELAXED_CHAR_CONTEXTS)
    }
}
