//! Search: one function, [`Index::search`], used by the CLI and the browser alike.
//!
//! A query is understood as one of:
//!
//! * a **code** (`CG-CF-001`, `cg-cf`): codes by prefix, case-insensitive; when nothing matches,
//!   codes one edit away are offered as suggestions;
//! * a **citation** (`食品安全法第一百二十二条`, `食品安全法 122`, `《城市市容和环境卫生管理条例》第十四条`):
//!   the items citing that article (or law), with the article's text;
//! * **keywords** (Chinese, pinyin, initials, words): every run of the query must match (as a
//!   phrase, checked by positions); an ASCII run also matches full pinyin (`zhandao`) and initials
//!   (`zdjy`). Every item whose name contains the query is found. When nothing matches a longer
//!   Chinese query, a relaxed pass ranks items by the share of its character pairs they contain
//!   (for sentences like `饭店油烟扰民`), and says so.
//!
//! Ranking is BM25 over fields weighted name ≫ keywords ≫ legal basis ≫ department, with boosts for
//! an exact name, a leading match and an exact keyword.
//!
//! ```
//! # use powerlist_build::catalog::{Catalog, SourceFile, Sources};
//! # let sources = Sources {
//! #     items: SourceFile::new("items.csv", "code,name,type,field,level,department,basis,keywords\n\
//! #         CG-CF-001,对擅自占用城市道路的行政处罚,行政处罚,城市管理,县级；乡级,县级城市管理部门,,摆摊；占道经营\n"),
//! #     regions: None, assignments: None, laws: vec![] };
//! # let bytes = powerlist_build::writer::write_index(&Catalog::compile(&sources).unwrap()).unwrap();
//! use powerlist::{Index, SearchOptions};
//! let index = Index::from_bytes(&bytes).unwrap();
//! let r = index.search("占用城市道路", &SearchOptions::default()).unwrap();
//! assert_eq!(r.total, 1);
//! assert_eq!(r.hits[0].highlights, vec![(3, 9)]);
//! assert_eq!(index.search("zhandao", &SearchOptions::default()).unwrap().total, 1);
//! assert_eq!(index.search("zdjy", &SearchOptions::default()).unwrap().total, 1);
//! assert_eq!(index.search("cg-cf", &SearchOptions::default()).unwrap().total, 1);
//! ```

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use fst::automaton::{Automaton, Levenshtein};
use fst::{IntoStreamer, Streamer};
use serde::{Deserialize, Serialize};

use crate::citation::{parse_query, ArticleRef};
use crate::error::Error;
use crate::index::{
    Index, Postings, FIELD_BASIS, FIELD_KEYWORDS, FIELD_NAME, KEY_INITIALS, KEY_KEYWORD,
    KEY_LITERAL, KEY_PINYIN, MAX_PINYIN_WINDOW, PINYIN_SEP,
};
use crate::model::{level_bit, type_index, LEVELS, TYPES};
use crate::text::{fold, fold_char, is_cjk, segments, CharHasher};
use std::hash::BuildHasherDefault;

/// Longest query considered, in characters; the rest is ignored.
pub const MAX_QUERY_CHARS: usize = 128;
/// Most runs (words) of a query considered.
pub const MAX_QUERY_RUNS: usize = 12;
/// Most index keys one query part may expand to (prefix and pinyin scans stop there).
pub const MAX_KEYS_PER_PART: usize = 20_000;
/// When fewer items than this match every part of a Chinese query of three or more characters,
/// the items matching most of it are listed after them (see [`SearchResult::strict`]).
pub const RELAXED_BELOW: usize = 10;
/// Most distinct phrases one pinyin or initials query expands to.
pub const MAX_PINYIN_PHRASES: usize = 256;

const FIELD_WEIGHTS: [f32; 4] = [8.0, 4.0, 1.0, 0.5];
/// What a character pair counts for in the relaxed pass, by field.
const RELAXED_WEIGHTS: [f32; 4] = [1.0, 1.0, 0.125, 0.0625];
/// In the relaxed pass, a single character counts this much of what a pair counts.
const RELAXED_CHAR_WEIGHT: f32 = 0.7;
/// A character that begins more different pairs than this is too common for the relaxed pass.
const RELAXED_CHAR_CONTEXTS: usize = 64;
/// The relaxed pass keeps items scoring at least this share of what the whole query would…
const RELAXED_SHARE: f32 = 0.3;
/// … and this share when the query is short enough for its characters to count
/// ([`RELAXED_CHARS_UP_TO`]).
const RELAXED_SHARE_WITH_CHARS: f32 = 0.2;
/// Queries of at most this many ideographs count single characters in the relaxed pass; in
/// longer ones the pairs say enough.
const RELAXED_CHARS_UP_TO: usize = 4;
const K1: f32 = 1.2;
const B: f32 = 0.75;

/// Search options. All filters are exact names (`城市管理`, `行政处罚`, `乡级`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchOptions {
    /// Only items of this field.
    pub field: Option<String>,
    /// Only items of this type (`行政处罚`, or the short form `处罚`).
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Only items exercised at this level.
    pub level: Option<String>,
    /// The user's region (code or name): hits name the body that handles them there.
    pub region: Option<String>,
    /// How many hits to return (default 20; 0 returns only counts).
    pub limit: Option<usize>,
    /// How many hits to skip.
    pub offset: Option<usize>,
}

/// How the query was understood.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QueryKind {
    /// Empty query: browse (filters only), in code order.
    Browse,
    /// Codes by prefix.
    Code,
    /// A legal citation.
    Citation,
    /// Keywords (Chinese or words).
    Keyword,
    /// Pinyin or pinyin initials: a query of Latin letters (spaces and apostrophes between
    /// them), whether or not it spells anything.
    Pinyin,
}

/// One hit: an item id, its score and the ranges of its name that matched.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// Item id.
    pub id: u32,
    /// Relevance; higher is better.
    pub score: f32,
    /// `[start, end)` ranges in characters of the item's name.
    pub highlights: Vec<(u32, u32)>,
}

/// A code one edit from the query, offered when no code matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    /// The code as written in the catalog.
    pub code: String,
    /// The item's name.
    pub name: String,
}

/// The article a citation query asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CitedArticle {
    /// Law title.
    pub law: String,
    /// Article number, if one was asked for.
    pub article: Option<u32>,
    /// Paragraph, if one was asked for.
    pub paragraph: Option<u32>,
    /// Item, if one was asked for.
    pub item: Option<u32>,
    /// The article's text, when the index has it (it keeps only cited articles).
    pub text: Option<String>,
    /// The same text as paragraphs (款) with their items (项) (empty only when `text` is `None`).
    pub paragraphs: Vec<crate::law::Paragraph>,
    /// What was asked for in official form: `《…》第二十七条第一款第（一）项` (`《…》` for a
    /// whole law).
    pub title: String,
    /// Where the paragraph or item asked for sits in `paragraphs` (0-based), when narrower than
    /// the article (see [`crate::law::Article::cited_position`]).
    pub cited: Option<crate::law::CitedPosition>,
}

/// Counts per facet value, over the hits (each facet ignoring its own filter).
pub type Facets = BTreeMap<String, BTreeMap<String, u32>>;

/// What a search returns.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResult {
    /// How many items matched (after filters).
    pub total: usize,
    /// The requested page of hits, best first.
    pub hits: Vec<Hit>,
    /// Counts per field, type and level.
    pub facets: Facets,
    /// How the query was understood.
    pub kind: QueryKind,
    /// Near-miss codes, when a code query matched nothing.
    pub suggestions: Vec<Suggestion>,
    /// The article asked for, for a citation query.
    pub citation: Option<CitedArticle>,
    /// True when no item matched every part of the query and the hits match only most of it.
    pub relaxed: bool,
    /// How many of the `total` hits match every part of the query; they rank first. When few
    /// items match a longer Chinese query, the items matching most of it follow them
    /// (`strict < total`): a citizen's `占道经营` finds the street-vendor items too.
    pub strict: usize,
}

/// The items matching one part of a query, with their scores, sorted by item id: parts combine
/// by merging (intersection sums the scores, union keeps the best), without hashing.
#[derive(Debug, Clone, Default)]
struct PartHits(Vec<(u32, f32)>);

impl PartHits {
    /// From pairs in any order; an item listed twice keeps its best score.
    fn from_unsorted(mut v: Vec<(u32, f32)>) -> PartHits {
        v.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
        v.dedup_by_key(|x| x.0);
        PartHits(v)
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The items in both, with the scores added.
    fn intersect(&self, other: &PartHits) -> PartHits {
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
    fn union(self, other: PartHits) -> PartHits {
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
    fn minus(self, other: &PartHits) -> PartHits {
        let mut v = self.0;
        v.retain(|x| other.0.binary_search_by_key(&x.0, |y| y.0).is_err());
        PartHits(v)
    }

    fn scale(&mut self, w: f32) {
        for x in &mut self.0 {
            x.1 *= w;
        }
    }
}

/// What to mark in the names of the hits shown: the phrases that matched (query runs, the
/// Chinese a pinyin query spelled, the pairs of a relaxed query). Marks are made for the page
/// returned only, by finding these in the (folded) names.
#[derive(Debug, Default)]
struct Marks(BTreeSet<Vec<char>>, u64);

impl Marks {
    fn add(&mut self, phrase: &[char]) {
        if let Some(&c) = phrase.first() {
            if self.0.len() < 2 * MAX_PINYIN_PHRASES {
                self.0.insert(phrase.to_vec());
                self.1 |= Self::bit(c);
            }
        }
    }

    /// A bit per first character (hashed into 64): most characters of a name begin no mark,
    /// and this says so without a lookup.
    fn bit(c: char) -> u64 {
        1 << ((c as u32).wrapping_mul(0x9E37_79B9) >> 26)
    }

    /// `[start, end)` character ranges of `name` (already folded) covered by a mark, merged.
    fn ranges(&self, name: &[char]) -> Vec<(u32, u32)> {
        use std::ops::Bound;
        let mut out = Vec::new();
        for (i, c) in name.iter().enumerate() {
            if self.1 & Self::bit(*c) == 0 {
                continue;
            }
            // The marks starting with this character (the set is sorted), longest match kept
            // by the merge below.
            let from = std::slice::from_ref(c);
            for m in self
                .0
                .range::<[char], _>((Bound::Included(from), Bound::Unbounded))
            {
                if m.first() != Some(c) {
                    break;
                }
                if name[i..].starts_with(m) {
                    out.push((i as u32, (i + m.len()) as u32));
                }
            }
        }
        out.sort_unstable();
        merge_ranges(out)
    }
}

struct Filters {
    field: Option<u16>,
    kind: Option<u8>,
    level: Option<u8>,
}

impl Index {
    /// Runs a query. See the module docs for what a query can be.
    pub fn search(&self, query: &str, opts: &SearchOptions) -> Result<SearchResult, Error> {
        self.search_with(query, opts, true)
    }

    /// [`Index::search`] without what a list of ids does not need: the hits have no
    /// highlights and the result has no facets. The same hits, in the same order, with the same
    /// `total`.
    ///
    /// ```
    /// # use powerlist_build::catalog::{Catalog, SourceFile, Sources};
    /// # let sources = Sources {
    /// #     items: SourceFile::new("items.csv", "code,name,type,field,level,department,basis,keywords\n\
    /// #         CG-CF-001,对擅自占用城市道路的行政处罚,行政处罚,城市管理,县级；乡级,县级城市管理部门,,摆摊；占道经营\n\
    /// #         CG-CF-002,对占道洗车的行政处罚,行政处罚,城市管理,县级,县级城市管理部门,,洗车\n"),
    /// #     regions: None, assignments: None, laws: vec![] };
    /// # let bytes = powerlist_build::writer::write_index(&Catalog::compile(&sources).unwrap()).unwrap();
    /// # let index = powerlist::Index::from_bytes(&bytes).unwrap();
    /// let opts = powerlist::SearchOptions::default();
    /// let full = index.search("占道", &opts).unwrap();
    /// let ids = index.search_ids("占道", &opts).unwrap();
    /// assert_eq!(full.total, 2);
    /// assert_eq!(full.total, ids.total);
    /// assert!(ids.hits.iter().zip(&full.hits).all(|(a, b)| a.id == b.id));
    /// assert!(ids.facets.is_empty() && ids.hits.iter().all(|h| h.highlights.is_empty()));
    /// ```
    pub fn search_ids(&self, query: &str, opts: &SearchOptions) -> Result<SearchResult, Error> {
        self.search_with(query, opts, false)
    }

    fn search_with(
        &self,
        query: &str,
        opts: &SearchOptions,
        full: bool,
    ) -> Result<SearchResult, Error> {
        let filters = self.filters(opts)?;
        let q: String = fold(query, Some(&self.t2s))
            .chars()
            .take(MAX_QUERY_CHARS)
            .collect();
        let q = q.trim();
        let mut suggestions = Vec::new();
        let mut citation = None;
        let mut relaxed = false;
        let mut marks = Marks::default();
        let mut partial = PartHits::default();
        let (kind, matched): (QueryKind, PartHits) = if q.is_empty() {
            let all = (0..self.attrs.len() as u32).map(|i| (i, 0.0)).collect();
            (QueryKind::Browse, PartHits(all))
        } else if looks_like_code(q) && self.code_prefix_exists(q) {
            // The codes starting with the query, in code order. (Item text holds no codes, so
            // the keyword and pinyin paths, which would read `cg`, `cf` as pinyin, are skipped.)
            (QueryKind::Code, self.code_prefix(q)?)
        } else if let Some(c) = parse_query(q, &self.titles) {
            let (hits, cited) = self.citation_hits(&c.law, c.article, &c.rest, &mut marks)?;
            citation = Some(cited);
            (QueryKind::Citation, hits)
        } else {
            let hits = self.keyword_hits(q, &mut marks)?;
            if hits.is_empty() && looks_like_code(q) {
                suggestions = self.code_suggestions(q)?;
            }
            let cjk = q.chars().filter(|&c| is_cjk(c)).count();
            // Latin letters (and spaces) may spell Chinese.
            let letters = q.chars().all(|c| c.is_ascii_alphabetic() || c == ' ');
            if hits.0.len() < RELAXED_BELOW {
                // Few items match every word: those matching most of it follow. For pinyin,
                // most of the Chinese it spelled (`wzxy` = 无证行医 also finds 无证医生), when
                // it spelled only a few phrases.
                let text = if cjk >= 2 {
                    Some(q.to_string())
                } else if letters {
                    let spelled: Vec<String> = marks
                        .0
                        .iter()
                        .filter(|m| m.len() >= 2 && m.iter().all(|&c| is_cjk(c)))
                        .map(|m| m.iter().collect())
                        .collect();
                    (1..=3).contains(&spelled.len()).then(|| spelled.join(" "))
                } else {
                    None
                };
                if let Some(text) = text {
                    partial = self.relaxed_hits(&text, &mut marks)?.minus(&hits);
                    relaxed = hits.is_empty() && !partial.is_empty();
                }
            }
            // A query of Latin letters is read as pinyin, found or not (`zhan'dao` too): item
            // text is Chinese.
            let latin = q
                .chars()
                .all(|c| c.is_ascii_alphabetic() || c.is_whitespace() || c == '\'');
            let kind = if latin {
                QueryKind::Pinyin
            } else {
                QueryKind::Keyword
            };
            (kind, hits)
        };

        // Facets (each ignoring its own filter), counted by attribute number, and the filtered
        // hits as (id, score): highlights are only made for the page returned.
        let mut by_field = vec![0u32; self.meta.fields.len()];
        let mut by_type = [0u32; TYPES.len()];
        let mut by_level = [0u32; LEVELS.len()];
        let mut by_levels = [0u32; 1 << LEVELS.len()];
        // Each hit as one sortable key (see `rank_key`): selecting the page among tens of
        // thousands of hits compares integers.
        let code_rank = if kind == QueryKind::Browse {
            self.code_rank()
        } else {
            &[]
        };
        let key = |id: u32, score: f32, part: bool| {
            if kind == QueryKind::Browse {
                let rank = code_rank.get(id as usize).copied().unwrap_or(u32::MAX);
                u64::from(rank) << 32 | u64::from(id)
            } else {
                rank_key(id, score, part)
            }
        };
        let mut ranked: Vec<u64> = Vec::with_capacity(matched.0.len() + partial.0.len());
        let mut strict = 0;
        let tiers = matched.0.iter().map(|&(i, s)| (i, s, false));
        for (id, score, part) in tiers.chain(partial.0.iter().map(|&(i, s)| (i, s, true))) {
            let Some(a) = self.attrs.get(id as usize) else {
                continue;
            };
            let f_ok = filters.field.is_none_or(|f| a.field == f);
            let t_ok = filters.kind.is_none_or(|k| a.kind == k);
            let l_ok = filters.level.is_none_or(|l| a.levels & l != 0);
            if full {
                if t_ok && l_ok {
                    if let Some(c) = by_field.get_mut(usize::from(a.field)) {
                        *c += 1;
                    }
                }
                if f_ok && l_ok {
                    if let Some(c) = by_type.get_mut(usize::from(a.kind)) {
                        *c += 1;
                    }
                }
                if f_ok && t_ok {
                    // Counted per combination of levels, spread over the levels below.
                    if let Some(n) = by_levels.get_mut(usize::from(a.levels)) {
                        *n += 1;
                    }
                }
            }
            if f_ok && t_ok && l_ok {
                ranked.push(key(id, score, part));
                strict += usize::from(!part);
            }
        }
        for (mask, &c) in by_levels.iter().enumerate() {
            for (bit, n) in by_level.iter_mut().enumerate() {
                if mask & (1 << bit) != 0 {
                    *n += c;
                }
            }
        }
        let total = ranked.len();
        let offset = opts.offset.unwrap_or(0).min(total);
        let limit = opts.limit.unwrap_or(20);
        let page_end = offset.saturating_add(limit).min(total);
        // Only the first `page_end` need an order: select them, then sort those.
        if page_end == 0 {
            ranked.clear();
        } else if page_end < ranked.len() {
            ranked.select_nth_unstable(page_end - 1);
            ranked.truncate(page_end);
        }
        ranked.sort_unstable();
        let mut hits = Vec::with_capacity(ranked.len().saturating_sub(offset));
        let mut name: Vec<char> = Vec::new();
        for &k in ranked.get(offset..).unwrap_or(&[]) {
            let id = k as u32;
            let score = if kind == QueryKind::Browse {
                0.0
            } else {
                rank_score(k)
            };
            let highlights = if marks.0.is_empty() || !full {
                Vec::new()
            } else {
                name.clear();
                name.extend(
                    self.name_of(id)?
                        .chars()
                        .map(|c| fold_char(c, Some(&self.t2s))),
                );
                marks.ranges(&name)
            };
            hits.push(Hit {
                id,
                score,
                highlights,
            });
        }
        let named = |counts: &[u32], name: &dyn Fn(usize) -> String| -> BTreeMap<String, u32> {
            counts
                .iter()
                .enumerate()
                .filter(|(_, &c)| c > 0)
                .map(|(i, &c)| (name(i), c))
                .collect()
        };
        let facets = if full {
            BTreeMap::from([
                (
                    "field".to_string(),
                    named(&by_field, &|i| {
                        self.meta.fields.get(i).cloned().unwrap_or_default()
                    }),
                ),
                (
                    "type".to_string(),
                    named(&by_type, &|i| TYPES[i].to_string()),
                ),
                (
                    "level".to_string(),
                    named(&by_level, &|i| LEVELS[i].to_string()),
                ),
            ])
        } else {
            Facets::new()
        };
        Ok(SearchResult {
            total,
            hits,
            facets,
            kind,
            suggestions,
            citation,
            relaxed,
            strict,
        })
    }

    fn filters(&self, opts: &SearchOptions) -> Result<Filters, Error> {
        let field = match opts
            .field
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(f) => Some(
                self.meta
                    .fields
                    .iter()
                    .position(|x| x == f)
                    .map(|i| i as u16)
                    .ok_or_else(|| {
                        Error::Request(format!(
                            "unknown field \"{f}\"; the catalog's fields are {}",
                            self.meta.fields.join("、")
                        ))
                    })?,
            ),
        };
        let kind = match opts
            .kind
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(t) => Some(type_index(t).ok_or_else(|| {
                Error::Request(format!(
                    "unknown type \"{t}\"; use one of {}",
                    TYPES.join("、")
                ))
            })?),
        };
        let level = match opts
            .level
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(l) => Some(level_bit(l).ok_or_else(|| {
                Error::Request(format!(
                    "unknown level \"{l}\"; use one of {}",
                    LEVELS.join("、")
                ))
            })?),
        };
        if let Some(r) = opts.region.as_deref().filter(|s| !s.trim().is_empty()) {
            self.find_region(r)?;
        }
        Ok(Filters { field, kind, level })
    }

    fn code_prefix_exists(&self, q: &str) -> bool {
        let mut s = prefix_range(&self.codes, q.as_bytes()).into_stream();
        s.next().is_some()
    }

    fn code_prefix(&self, q: &str) -> Result<PartHits, Error> {
        let mut out = Vec::new();
        let mut s = prefix_range(&self.codes, q.as_bytes()).into_stream();
        while let Some((k, v)) = s.next() {
            let Ok(id) = u32::try_from(v) else { continue };
            // Above any keyword score, in code order (the stream is sorted), exact first.
            let score = if k == q.as_bytes() {
                2.0e6
            } else {
                1.0e6 - out.len() as f32
            };
            out.push((id, score));
            if out.len() >= self.key_budget {
                break;
            }
        }
        Ok(PartHits::from_unsorted(out))
    }

    fn code_suggestions(&self, q: &str) -> Result<Vec<Suggestion>, Error> {
        if q.len() > 48 {
            return Ok(Vec::new());
        }
        let Ok(lev) = Levenshtein::new(q, 1) else {
            return Ok(Vec::new());
        };
        let mut ids = Vec::new();
        let mut s = self.codes.search(&lev).into_stream();
        while let Some((_, v)) = s.next() {
            ids.push(v as u32);
        }
        if ids.is_empty() {
            // No whole code is one edit away: try codes that start one edit away.
            let mut s = self.codes.search(lev.starts_with()).into_stream();
            while let Some((_, v)) = s.next() {
                if ids.len() >= 10 {
                    break;
                }
                ids.push(v as u32);
            }
        }
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for id in ids {
            if seen.insert(id) && (id as usize) < self.attrs.len() {
                let r = self.record(id)?;
                out.push(Suggestion {
                    code: r.code,
                    name: r.name,
                });
            }
            if out.len() >= 5 {
                break;
            }
        }
        Ok(out)
    }

    fn citation_hits(
        &self,
        law: &usize,
        article: Option<ArticleRef>,
        rest: &str,
        marks: &mut Marks,
    ) -> Result<(PartHits, CitedArticle), Error> {
        let law = *law as u16;
        let mut hits = Vec::new();
        for id in self.citing(law, article.map(|a| a.article))? {
            let number = article.map_or(0, |a| a.article);
            // A paragraph or item asked for: keep items citing it, or citing the whole article.
            let mut score = 1.0;
            if let Some(a) = article {
                let rec = self.record(id)?;
                let exact = rec.bases.iter().any(|b| {
                    b.law == law
                        && b.article == number
                        && b.paragraph == a.paragraph
                        && (a.item.is_none() || b.item == a.item)
                });
                let compatible = rec.bases.iter().any(|b| {
                    b.law == law
                        && b.article == number
                        && (a.paragraph.is_none()
                            || b.paragraph.is_none()
                            || b.paragraph == a.paragraph)
                        && (a.item.is_none() || b.item.is_none() || b.item == a.item)
                });
                if !compatible {
                    continue;
                }
                score = if exact { 2.0 } else { 1.0 };
            }
            hits.push((id, score));
        }
        let mut hits = PartHits::from_unsorted(hits);
        if !rest.trim().is_empty() {
            hits = hits.intersect(&self.keyword_hits(rest, marks)?);
        }
        let found = match article {
            Some(a) => self.article(law, a.article)?,
            None => None,
        };
        let text = found.as_ref().map(|x| x.text());
        let position = found
            .as_ref()
            .and_then(|x| article.and_then(|a| x.cited_position(a.paragraph, a.item)));
        let paragraphs = found.map(|x| x.paragraphs).unwrap_or_default();
        let title = self.law_title(law);
        let cited = CitedArticle {
            law: title.to_string(),
            article: article.map(|a| a.article),
            paragraph: article.and_then(|a| a.paragraph),
            item: article.and_then(|a| a.item),
            text,
            paragraphs,
            title: match article {
                Some(a) => format!("《{title}》{}", a.display()),
                None => format!("《{title}》"),
            },
            cited: position,
        };
        Ok((hits, cited))
    }

    /// Every run of the query must match; ASCII runs may match as pinyin or code too.
    fn keyword_hits(&self, q: &str, marks: &mut Marks) -> Result<PartHits, Error> {
        let mut runs: Vec<(usize, Vec<char>)> = segments(q).take(MAX_QUERY_RUNS).collect();
        if runs.is_empty() {
            // Only punctuation or symbols: each must occur (names and keywords index them).
            runs = q
                .chars()
                .filter(|c| !c.is_whitespace())
                .take(MAX_QUERY_RUNS)
                .map(|c| (0, vec![c]))
                .collect();
        }
        let mut combined: Option<PartHits> = None;
        for (_, run) in &runs {
            let mut part = self.phrase(run)?;
            marks.add(run);
            let text: String = run.iter().collect();
            if run.iter().all(|c| c.is_ascii_alphabetic()) && run.len() >= 2 {
                part = part.union(self.pinyin_hits(&text, marks)?);
            }
            if looks_like_code(&text) {
                part = part.union(self.code_prefix(&text)?);
            }
            self.boost_keyword(&text, &mut part, 1.5)?;
            combined = Some(match combined {
                None => part,
                Some(acc) => acc.intersect(&part),
            });
            if combined.as_ref().is_some_and(PartHits::is_empty) {
                break; // every run must match: nothing can come back
            }
        }
        let hits = combined.unwrap_or_default();
        // "zhan dao jing ying": the letters together are one pinyin phrase, and when they spell
        // one, that is what was meant.
        if runs.len() > 1 && q.chars().all(|c| c.is_ascii_alphabetic() || c == ' ') {
            let joined: String = q.chars().filter(|c| *c != ' ').collect();
            let phrase = self.pinyin_hits(&joined, marks)?;
            if !phrase.is_empty() {
                return Ok(phrase);
            }
        }
        Ok(hits)
    }

    /// Where a character occurs: every pair starting with it, and the key of a run ending
    /// with it, merged (kept in the cache: common characters recur).
    fn char_postings(&self, c: char) -> Result<std::sync::Arc<Postings>, Error> {
        self.cached(1 << 63 | u64::from(c), || {
            let key = literal_key(&[c]);
            let mut s = prefix_range(&self.terms, &key).into_stream();
            let mut pairs: Vec<(u32, u32)> = Vec::new();
            let mut keys = 0;
            while let Some((_, off)) = s.next() {
                for (doc, slots) in self.postings_at(off)?.iter() {
                    pairs.extend(slots.iter().map(|&s| (doc, s)));
                }
                keys += 1;
                if keys >= self.key_budget {
                    break;
                }
            }
            Ok(Postings::from_pairs(pairs))
        })
    }

    /// Items whose fields contain `run` as consecutive characters, scored by BM25.
    fn phrase(&self, run: &[char]) -> Result<PartHits, Error> {
        let n = run.len();
        if n == 0 {
            return Ok(PartHits::default());
        }
        // Matching start slots per document.
        let starts = if n == 1 {
            self.char_postings(run[0])?
        } else {
            // Bigrams at offsets 0, 2, 4, … and the last one: a start slot matches when every
            // one of them is found at its offset from it.
            let mut offsets: Vec<usize> = (0..n - 1).step_by(2).collect();
            if offsets.last() != Some(&(n - 2)) {
                offsets.push(n - 2);
            }
            let mut lists = Vec::with_capacity(offsets.len());
            for &o in &offsets {
                match self.terms.get(literal_key(&run[o..o + 2])) {
                    Some(off) => lists.push(self.postings_at(off)?),
                    None => return Ok(PartHits::default()),
                }
            }
            if let [only] = lists.as_slice() {
                // One pair: its list is the answer, every slot a start.
                return self.score_starts(only, n as u32, 1.0, true);
            }
            // The shortest list drives; the others are walked forward alongside it.
            let mut order: Vec<usize> = (0..lists.len()).collect();
            order.sort_by_key(|&i| lists[i].len());
            let lead = order[0];
            let mut cursors = vec![0usize; lists.len()];
            let mut starts = Postings::default();
            let mut good: Vec<u32> = Vec::new();
            'docs: for (i, &doc) in lists[lead].docs.iter().enumerate() {
                for &l in &order[1..] {
                    let docs = &lists[l].docs;
                    let c = &mut cursors[l];
                    *c = gallop(docs, *c, doc);
                    if docs.get(*c) != Some(&doc) {
                        continue 'docs;
                    }
                }
                // Start slots implied by the lead list's slots, checked against every list.
                let lead_off = offsets[lead] as u32;
                good.clear();
                good.extend(
                    lists[lead]
                        .slots(i)
                        .iter()
                        .filter(|&&s| s & 0xFF_FFFF >= lead_off)
                        .map(|&s| s - lead_off)
                        .filter(|&s| {
                            order[1..].iter().all(|&l| {
                                lists[l]
                                    .slots(cursors[l])
                                    .binary_search(&(s + offsets[l] as u32))
                                    .is_ok()
                            })
                        }),
                );
                if !good.is_empty() {
                    starts.push(doc, good.iter().copied());
                }
            }
            std::sync::Arc::new(starts)
        };
        self.score_starts(&starts, n as u32, 1.0, true)
    }

    /// BM25 over the fields of each item's matching start slots.
    fn score_starts(
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
        // Matches in cited units count for the items citing them (the best unit counts):
        // (item, score) sorted by item.
        let mut basis: Vec<(u32, f32)> = Vec::new();
        if units_from < starts.docs.len() {
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
                basis = best
                    .iter()
                    .enumerate()
                    .filter(|(_, &s)| s > 0.0)
                    .map(|(i, &s)| (i as u32, s))
                    .collect();
            } else {
                for (i, &doc) in units {
                    let a = (doc - n) as usize;
                    let s = unit_score(i, a);
                    basis.extend(citers.of(a).iter().map(|&item| (item, s)));
                }
                basis = PartHits::from_unsorted(basis).0;
            }
        }
        let cited_only = basis
            .iter()
            .filter(|(id, _)| direct.binary_search(id).is_err())
            .count();
        let total = self.attrs.len().max(1) as f32;
        let df = (units_from + cited_only) as f32;
        let idf = (1.0 + (total - df + 0.5) / (df + 0.5)).ln();
        let mut out = Vec::with_capacity(units_from + cited_only);
        let score_one = |item: u32, slots: &[u32], basis: f32, out: &mut Vec<(u32, f32)>| {
            let Some(a) = self.attrs.get(item as usize) else {
                return;
            };
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
                        * bm25(tf[f] as f32, f32::from(a.lens[f]), self.meta.avg_len[f]);
                }
            }
            score *= idf * weight;
            if boosts && tf[FIELD_NAME as usize] > 0 {
                if u32::from(a.lens[0]) == len {
                    score *= 4.0;
                } else if leading {
                    score *= 1.5;
                }
            }
            out.push((item, score));
        };
        // Both lists ascend: merge them, so the output ascends too.
        let mut b = basis.iter().peekable();
        for (i, &doc) in direct.iter().enumerate() {
            while let Some(&&(item, s)) = b.peek() {
                if item >= doc {
                    break;
                }
                score_one(item, &[], s, &mut out);
                b.next();
            }
            let s = b.next_if(|x| x.0 == doc).map_or(0.0, |x| x.1);
            score_one(doc, starts.slots(i), s, &mut out);
        }
        for &(item, s) in b {
            score_one(item, &[], s, &mut out);
        }
        Ok(PartHits(out))
    }

    /// Items that have the whole query part as one of their keywords get a boost.
    fn boost_keyword(&self, text: &str, part: &mut PartHits, factor: f32) -> Result<(), Error> {
        let mut key = vec![KEY_KEYWORD];
        key.extend_from_slice(text.as_bytes());
        if let Some(off) = self.terms.get(&key) {
            let docs = self.docs_at(off)?;
            for x in &mut part.0 {
                if docs.binary_search(&x.0).is_ok() {
                    x.1 *= factor;
                }
            }
        }
        Ok(())
    }

    /// Full pinyin (`zhandao`, a last syllable may be partial) or initials (`zdjy`).
    fn pinyin_hits(&self, letters: &str, marks: &mut Marks) -> Result<PartHits, Error> {
        let letters = letters.to_ascii_lowercase();
        if letters.len() < 2 || letters.len() > 6 * MAX_QUERY_CHARS {
            return Ok(PartHits::default());
        }
        let mut hits = PartHits::default();
        if let Some(sylls) = self.segment(&letters) {
            // Windows hold MAX_PINYIN_WINDOW syllables: longer queries go in chunks whose
            // phrases are joined.
            let mut phrases: BTreeSet<Vec<char>> = BTreeSet::from([Vec::new()]);
            for chunk in sylls.chunks(MAX_PINYIN_WINDOW) {
                let part: String = chunk.concat();
                // Keys start with the query's first letter (separators come after a
                // syllable): seek there rather than walk the FST from its root.
                let first = [KEY_PINYIN, part.as_bytes()[0]];
                let keys = self
                    .pinyin()?
                    .search(PinyinPrefix { q: part.as_bytes() })
                    .ge(first);
                let keys = match keys_upper(&first) {
                    Some(hi) => keys.lt(hi),
                    None => keys,
                };
                let found =
                    self.pinyin_phrases(keys, |k| syllables_covered(&k[1..], part.len()) as usize)?;
                phrases = join_phrases(&phrases, &found);
            }
            hits = self.phrases_hits(&phrases, 0.9, marks)?;
        }
        if hits.is_empty() && letters.len() <= 4 * MAX_PINYIN_WINDOW {
            let mut phrases: BTreeSet<Vec<char>> = BTreeSet::from([Vec::new()]);
            for chunk in letters.as_bytes().chunks(MAX_PINYIN_WINDOW) {
                let mut key = vec![KEY_INITIALS];
                key.extend_from_slice(chunk);
                let found =
                    self.pinyin_phrases(prefix_range(self.pinyin()?, &key), |_| chunk.len())?;
                phrases = join_phrases(&phrases, &found);
            }
            hits = self.phrases_hits(&phrases, 0.6, marks)?;
        }
        Ok(hits)
    }

    /// The distinct phrases that the pinyin keys matching `aut` spell, each cut to the number of
    /// characters the query covers (`covered(key)`).
    fn pinyin_phrases<A: Automaton>(
        &self,
        keys: fst::map::StreamBuilder<'_, A>,
        covered: impl Fn(&[u8]) -> usize,
    ) -> Result<BTreeSet<Vec<char>>, Error> {
        let mut phrases = BTreeSet::new();
        let mut s = keys.into_stream();
        let mut keys = 0;
        while let Some((k, off)) = s.next() {
            let n = covered(k);
            for text in self.texts_at(off)? {
                let p: Vec<char> = text.chars().take(n).collect();
                if !p.is_empty() {
                    phrases.insert(p);
                }
            }
            keys += 1;
            if keys >= self.key_budget || phrases.len() >= MAX_PINYIN_PHRASES {
                break;
            }
        }
        Ok(phrases)
    }

    /// The union of the phrases' hits, scaled by `weight`.
    fn phrases_hits(
        &self,
        phrases: &BTreeSet<Vec<char>>,
        weight: f32,
        marks: &mut Marks,
    ) -> Result<PartHits, Error> {
        let mut hits = PartHits::default();
        for p in phrases {
            let mut h = self.phrase(p)?;
            if !h.is_empty() {
                marks.add(p);
                h.scale(weight);
                // Pinyin spelling a whole keyword (`wj` = 违建) is what was typed it for: those
                // items go above the many whose text merely contains the same letters' words.
                let text: String = p.iter().collect();
                self.boost_keyword(&text, &mut h, 4.0)?;
                hits = hits.union(h);
            }
        }
        Ok(hits)
    }

    /// Splits `letters` into syllables the catalog uses, the last one possibly partial
    /// (`zhandaoj` → `zhan dao j`); `None` when they do not split (`zdjy`).
    fn segment(&self, letters: &str) -> Option<Vec<String>> {
        segment_with(&self.meta.syllables, letters)
    }

    /// The relaxed pass: items containing a good share of the query's character pairs and,
    /// at half weight, of its characters (`毁绿` finds 毁坏花草 and 破坏绿地护栏; `私搭乱建`
    /// finds 乱搭建). Characters that begin too many different pairs (`的`, `行`) say little
    /// and would cost a long list each: they are left out.
    fn relaxed_hits(&self, q: &str, marks: &mut Marks) -> Result<PartHits, Error> {
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
        let share = if chars.is_empty() {
            RELAXED_SHARE
        } else {
            RELAXED_SHARE_WITH_CHARS
        };
        let total = self.attrs.len().max(1) as f32;
        let mut present_idf = 0.0;
        // The query's pairs that occur, with their lists.
        let mut found: Vec<([char; 2], std::sync::Arc<Postings>)> = Vec::new();
        // Per item: score, and whether a pair or character was in the name or keywords.
        let mut acc: HashMap<u32, (f32, bool), BuildHasherDefault<CharHasher>> = HashMap::default();
        // `covered(item)`: the item already counts this through a pair.
        let mut add =
            |list: &Postings, weight: f32, covered: &dyn Fn(u32) -> bool, present_idf: &mut f32| {
                // Items only: cited-unit documents do not count here.
                let df = list
                    .docs
                    .partition_point(|&d| (d as usize) < self.attrs.len())
                    as f32;
                if df == 0.0 {
                    return false;
                }
                let idf = (1.0 + (total - df + 0.5) / (df + 0.5)).ln() * weight;
                *present_idf += idf;
                for (item, slots) in list.iter() {
                    if item as usize >= self.attrs.len() || covered(item) {
                        continue;
                    }
                    let e = acc.entry(item).or_insert((0.0, false));
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
            };
        for p in &pairs {
            let Some(off) = self.terms.get(literal_key(p)) else {
                continue;
            };
            let list = self.postings_at(off)?;
            if add(&list, 1.0, &|_| false, &mut present_idf) {
                marks.add(p);
                found.push((*p, list));
            }
        }
        for &c in &chars {
            let key = literal_key(&[c]);
            let contexts = self.char_contexts(c, RELAXED_CHAR_CONTEXTS + 1, || {
                let mut keys = prefix_range(&self.terms, &key).into_stream();
                let mut n = 0;
                while n <= RELAXED_CHAR_CONTEXTS && keys.next().is_some() {
                    n += 1;
                }
                n
            });
            if contexts > RELAXED_CHAR_CONTEXTS {
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
            if add(&list, RELAXED_CHAR_WEIGHT, &covered, &mut present_idf) {
                marks.add(&[c]);
            }
        }
        let out = acc
            .into_iter()
            .filter(|(_, (score, in_name_or_kw))| *in_name_or_kw && *score >= share * present_idf)
            .map(|(item, (score, _))| (item, score))
            .collect();
        Ok(PartHits::from_unsorted(out))
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

/// The first position at or after `from` whose document is not below `target` (`docs` ascends):
/// an exponential probe from `from`, then a binary search within the last step. A short list
/// driving the walk of a long one costs O(log gap) per document this way, where a binary search
/// of the whole rest of the list costs O(log rest) — at 100k items, most of a phrase query's
/// time (`审批并建`: 140 µs, half of it in those searches).
fn gallop(docs: &[u32], from: usize, target: u32) -> usize {
    let len = docs.len();
    if from >= len || docs[from] >= target {
        return from.min(len);
    }
    // docs[lo] < target throughout; find a bound at which it no longer holds.
    let mut lo = from;
    let mut step = 1;
    loop {
        let probe = lo + step;
        if probe >= len {
            break;
        }
        if docs[probe] >= target {
            return lo + 1 + docs[lo + 1..probe].partition_point(|&d| d < target);
        }
        lo = probe;
        step *= 2;
    }
    lo + 1 + docs[lo + 1..].partition_point(|&d| d < target)
}

/// BM25's term-frequency part for one field.
fn bm25(tf: f32, len: f32, avg: f32) -> f32 {
    tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * len / avg.max(1.0)))
}

/// Every phrase of `a` followed by every phrase of `b`, at most [`MAX_PINYIN_PHRASES`].
fn join_phrases(a: &BTreeSet<Vec<char>>, b: &BTreeSet<Vec<char>>) -> BTreeSet<Vec<char>> {
    let mut out = BTreeSet::new();
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

fn merge_ranges(sorted: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::with_capacity(sorted.len());
    for (s, e) in sorted {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// A code looks like ASCII letters/digits with at least one digit, `-` or `.`.
pub(crate) fn looks_like_code(q: &str) -> bool {
    !q.is_empty()
        && q.len() <= 64
        && q.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        && q.bytes()
            .any(|b| b.is_ascii_digit() || b == b'-' || b == b'.')
        && q.as_bytes()[0].is_ascii_alphanumeric()
}

/// [`Index::segment`] over a sorted list of syllables.
fn segment_with(sylls: &[String], letters: &str) -> Option<Vec<String>> {
    let b = letters.as_bytes();
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
        (None, Some(i)) => (i, vec![letters[i..].to_string()]),
        (None, None) => return None,
    };
    while end > 0 {
        let start = back[end]?;
        out.push(letters[start..end].to_string());
        end = start;
    }
    out.reverse();
    Some(out)
}

/// The index key of literal text: [`KEY_LITERAL`] and the characters in UTF-8.
fn literal_key(chars: &[char]) -> Vec<u8> {
    let mut key = Vec::with_capacity(1 + 4 * chars.len());
    key.push(KEY_LITERAL);
    for c in chars {
        key.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
    }
    key
}

/// The keys of `map` that start with `prefix`, as a range: fst seeks to the first one, where a
/// `starts_with` automaton walks every transition from the root (that walk was half the time
/// of a one-character query that matched nothing).
fn prefix_range<'m, D: AsRef<[u8]>>(
    map: &'m fst::Map<D>,
    prefix: &[u8],
) -> fst::map::StreamBuilder<'m> {
    let keys = map.range().ge(prefix);
    match keys_upper(prefix) {
        Some(hi) => keys.lt(hi),
        None => keys,
    }
}

/// The smallest key greater than every key starting with `prefix`, if there is one (there is
/// none for a prefix of `0xFF` bytes only).
fn keys_upper(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut upper = prefix.to_vec();
    while let Some(last) = upper.pop() {
        if last < 0xFF {
            upper.push(last + 1);
            return Some(upper);
        }
    }
    None
}

/// How many syllables of a pinyin key the first `n` query letters cover.
fn syllables_covered(key: &[u8], n: usize) -> u32 {
    let mut letters = 0;
    let mut sylls = 1;
    for &b in key {
        if letters == n {
            break;
        }
        if b == PINYIN_SEP {
            sylls += 1;
        } else {
            letters += 1;
        }
    }
    sylls
}

/// Matches full-pinyin keys whose letters (separators skipped) start with the query.
struct PinyinPrefix<'a> {
    q: &'a [u8],
}

const DEAD: usize = usize::MAX;

impl Automaton for PinyinPrefix<'_> {
    type State = usize;

    fn start(&self) -> usize {
        0
    }

    fn is_match(&self, s: &usize) -> bool {
        *s == self.q.len() + 1
    }

    fn can_match(&self, s: &usize) -> bool {
        *s != DEAD
    }

    fn accept(&self, s: &usize, b: u8) -> usize {
        match *s {
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

    // proptest is a native dev-dependency only.
    #[cfg(not(target_arch = "wasm32"))]
    mod props {
        use super::*;

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
            /// Galloping finds what a binary search of the rest of the list finds, from any start.
            #[test]
            fn gallop_finds_what_a_binary_search_finds(
                set in proptest::collection::btree_set(0u32..400, 0..120),
                from in 0usize..130,
                target in 0u32..420,
            ) {
                let docs: Vec<u32> = set.into_iter().collect();
                let want = from.min(docs.len()) + docs[from.min(docs.len())..].partition_point(|&d| d < target);
                proptest::prop_assert_eq!(gallop(&docs, from, target), want);
            }
        }
    }

    #[test]
    fn prefix_ranges_cover_exactly_the_keys_with_the_prefix() {
        assert_eq!(keys_upper(b"ab"), Some(b"ac".to_vec()));
        assert_eq!(keys_upper(&[7, 0xFF]), Some(vec![8]));
        assert_eq!(keys_upper(&[0xFF, 0xFF]), None);
        assert_eq!(keys_upper(b""), None);
        let keys: Vec<&[u8]> = vec![b"a", b"ab", b"ab\xff", b"ab\xff\x01", b"ac", b"b"];
        let map = fst::Map::from_iter(keys.iter().map(|k| (*k, 0u64))).unwrap();
        let found = |p: &[u8]| -> Vec<Vec<u8>> {
            let mut s = prefix_range(&map, p).into_stream();
            let mut out = Vec::new();
            while let Some((k, _)) = s.next() {
                out.push(k.to_vec());
            }
            out
        };
        assert_eq!(found(b"ab").len(), 3);
        assert_eq!(
            found(b"ab\xff"),
            vec![b"ab\xff".to_vec(), b"ab\xff\x01".to_vec()]
        );
        assert_eq!(found(b"").len(), keys.len());
        assert!(found(b"z").is_empty());
    }

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
    fn code_shapes() {
        assert!(looks_like_code("cg-cf-001"));
        assert!(looks_like_code("a1"));
        assert!(!looks_like_code("zhandao"));
        assert!(!looks_like_code("-1"));
        assert!(!looks_like_code("食品"));
    }

    #[test]
    fn syllable_cover() {
        assert_eq!(syllables_covered(b"zhan'dao'jing", 7), 2);
        assert_eq!(syllables_covered(b"zhan'dao'jing", 8), 3);
        assert_eq!(syllables_covered(b"zhan", 2), 1);
    }
}
