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
//! # use powerlist::catalog::{Catalog, SourceFile, Sources};
//! # let sources = Sources {
//! #     items: SourceFile::new("items.csv", "code,name,type,field,level,department,basis,keywords\n\
//! #         CG-CF-001,对擅自占用城市道路的行政处罚,行政处罚,城市管理,县级；乡级,县级城市管理部门,,摆摊；占道经营\n"),
//! #     regions: None, assignments: None, laws: vec![] };
//! # let bytes = powerlist::writer::write_index(&Catalog::compile(&sources).unwrap());
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

use fst::automaton::{Automaton, Levenshtein, Str};
use fst::{IntoStreamer, Streamer};
use serde::{Deserialize, Serialize};

use crate::citation::{parse_query, ArticleRef};
use crate::error::Error;
use crate::index::{
    Index, FIELD_BASIS, FIELD_KEYWORDS, FIELD_NAME, KEY_INITIALS, KEY_KEYWORD, KEY_LITERAL,
    KEY_PINYIN, MAX_PINYIN_WINDOW, PINYIN_SEP,
};
use crate::model::{level_bit, type_index, LEVELS, TYPES};
use crate::text::{fold, is_cjk, segments};

/// Longest query considered, in characters; the rest is ignored.
pub const MAX_QUERY_CHARS: usize = 128;
/// Most runs (words) of a query considered.
pub const MAX_QUERY_RUNS: usize = 12;
/// Most index keys one query part may expand to (prefix and pinyin scans stop there).
pub const MAX_KEYS_PER_PART: usize = 20_000;
/// Most distinct phrases one pinyin or initials query expands to.
pub const MAX_PINYIN_PHRASES: usize = 256;

const FIELD_WEIGHTS: [f32; 4] = [8.0, 4.0, 1.0, 0.5];
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
    /// Pinyin or pinyin initials (ASCII letters that spell Chinese).
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
}

/// Accumulated match of one query part for one item.
#[derive(Debug, Clone, Default)]
struct PartHit {
    score: f32,
    highlights: Vec<(u32, u32)>,
}

type PartHits = HashMap<u32, PartHit>;

struct Filters {
    field: Option<u16>,
    kind: Option<u8>,
    level: Option<u8>,
}

impl Index {
    /// Runs a query. See the module docs for what a query can be.
    pub fn search(&self, query: &str, opts: &SearchOptions) -> Result<SearchResult, Error> {
        let filters = self.filters(opts)?;
        let q: String = fold(query, Some(&self.t2s))
            .chars()
            .take(MAX_QUERY_CHARS)
            .collect();
        let q = q.trim();
        let mut suggestions = Vec::new();
        let mut citation = None;
        let mut relaxed = false;
        let (kind, matched): (QueryKind, PartHits) = if q.is_empty() {
            let all = (0..self.attrs.len() as u32)
                .map(|i| (i, PartHit::default()))
                .collect();
            (QueryKind::Browse, all)
        } else if looks_like_code(q) && self.code_prefix_exists(q) {
            // Codes first (in code order), then any item whose text contains the query.
            let mut hits = self.keyword_hits(q)?;
            union_into(&mut hits, self.code_prefix(q)?);
            (QueryKind::Code, hits)
        } else if let Some(c) = parse_query(q, &self.titles) {
            let (hits, cited) = self.citation_hits(&c.law, c.article, &c.rest)?;
            citation = Some(cited);
            (QueryKind::Citation, hits)
        } else {
            let mut hits = self.keyword_hits(q)?;
            if hits.is_empty() {
                if looks_like_code(q) {
                    suggestions = self.code_suggestions(q)?;
                }
                let cjk = q.chars().filter(|&c| is_cjk(c)).count();
                if cjk >= 3 {
                    hits = self.relaxed_hits(q)?;
                    relaxed = !hits.is_empty();
                }
            }
            // Latin letters (and spaces) that found something found it as pinyin: item text
            // is Chinese.
            let letters = q.chars().all(|c| c.is_ascii_alphabetic() || c == ' ');
            let kind = if letters && !hits.is_empty() {
                QueryKind::Pinyin
            } else {
                QueryKind::Keyword
            };
            (kind, hits)
        };

        // Facets (each ignoring its own filter) and the filtered hit list.
        let mut by_field: BTreeMap<String, u32> = BTreeMap::new();
        let mut by_type: BTreeMap<String, u32> = BTreeMap::new();
        let mut by_level: BTreeMap<String, u32> = BTreeMap::new();
        let mut hits: Vec<Hit> = Vec::new();
        for (&id, h) in &matched {
            let Some(a) = self.attrs.get(id as usize) else {
                continue;
            };
            let f_ok = filters.field.is_none_or(|f| a.field == f);
            let t_ok = filters.kind.is_none_or(|k| a.kind == k);
            let l_ok = filters.level.is_none_or(|l| a.levels & l != 0);
            if t_ok && l_ok {
                *by_field.entry(self.field_name(id).to_string()).or_default() += 1;
            }
            if f_ok && l_ok {
                *by_type.entry(self.type_name(id).to_string()).or_default() += 1;
            }
            if f_ok && t_ok {
                for l in self.levels_of(id) {
                    *by_level.entry(l.to_string()).or_default() += 1;
                }
            }
            if f_ok && t_ok && l_ok {
                let mut hl = h.highlights.clone();
                hl.sort_unstable();
                hl.dedup();
                hits.push(Hit {
                    id,
                    score: h.score,
                    highlights: merge_ranges(hl),
                });
            }
        }
        if kind == QueryKind::Browse {
            hits.sort_by_key(|h| {
                self.code_rank
                    .get(h.id as usize)
                    .copied()
                    .unwrap_or(u32::MAX)
            });
        } else {
            hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
        }
        let total = hits.len();
        let offset = opts.offset.unwrap_or(0).min(total);
        let limit = opts.limit.unwrap_or(20);
        let hits = hits.into_iter().skip(offset).take(limit).collect();
        Ok(SearchResult {
            total,
            hits,
            facets: BTreeMap::from([
                ("field".to_string(), by_field),
                ("type".to_string(), by_type),
                ("level".to_string(), by_level),
            ]),
            kind,
            suggestions,
            citation,
            relaxed,
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
        let mut s = self.codes.search(Str::new(q).starts_with()).into_stream();
        s.next().is_some()
    }

    fn code_prefix(&self, q: &str) -> Result<PartHits, Error> {
        let mut out = PartHits::new();
        let mut s = self.codes.search(Str::new(q).starts_with()).into_stream();
        while let Some((k, v)) = s.next() {
            let Ok(id) = u32::try_from(v) else { continue };
            // Above any keyword score, in code order (the stream is sorted), exact first.
            let score = if k == q.as_bytes() {
                2.0e6
            } else {
                1.0e6 - out.len() as f32
            };
            out.insert(
                id,
                PartHit {
                    score,
                    highlights: Vec::new(),
                },
            );
            if out.len() >= self.key_budget {
                break;
            }
        }
        Ok(out)
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
    ) -> Result<(PartHits, CitedArticle), Error> {
        let law = *law as u16;
        let mut hits = PartHits::new();
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
            hits.entry(id).or_insert(PartHit {
                score,
                highlights: Vec::new(),
            });
        }
        if !rest.trim().is_empty() {
            let more = self.keyword_hits(rest)?;
            hits.retain(|id, _| more.contains_key(id));
            for (id, h) in hits.iter_mut() {
                if let Some(m) = more.get(id) {
                    h.score += m.score;
                    h.highlights.extend_from_slice(&m.highlights);
                }
            }
        }
        let text = match article {
            Some(a) => self.article(law, a.article)?.map(|x| x.text()),
            None => None,
        };
        let cited = CitedArticle {
            law: self.law_title(law).to_string(),
            article: article.map(|a| a.article),
            paragraph: article.and_then(|a| a.paragraph),
            item: article.and_then(|a| a.item),
            text,
        };
        Ok((hits, cited))
    }

    /// Every run of the query must match; ASCII runs may match as pinyin or code too.
    fn keyword_hits(&self, q: &str) -> Result<PartHits, Error> {
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
            let text: String = run.iter().collect();
            if run.iter().all(|c| c.is_ascii_alphabetic()) && run.len() >= 2 {
                union_into(&mut part, self.pinyin_hits(&text)?);
            }
            if looks_like_code(&text) {
                union_into(&mut part, self.code_prefix(&text)?);
            }
            self.boost_keyword(&text, &mut part)?;
            combined = Some(match combined {
                None => part,
                Some(mut acc) => {
                    acc.retain(|id, _| part.contains_key(id));
                    for (id, h) in acc.iter_mut() {
                        if let Some(p) = part.get(id) {
                            h.score += p.score;
                            h.highlights.extend_from_slice(&p.highlights);
                        }
                    }
                    acc
                }
            });
        }
        let hits = combined.unwrap_or_default();
        // "zhan dao jing ying": the letters together are one pinyin phrase, and when they spell
        // one, that is what was meant.
        if runs.len() > 1 && q.chars().all(|c| c.is_ascii_alphabetic() || c == ' ') {
            let joined: String = q.chars().filter(|c| *c != ' ').collect();
            let phrase = self.pinyin_hits(&joined)?;
            if !phrase.is_empty() {
                return Ok(phrase);
            }
        }
        Ok(hits)
    }

    /// Items whose fields contain `run` as consecutive characters, scored by BM25.
    fn phrase(&self, run: &[char]) -> Result<PartHits, Error> {
        let n = run.len();
        if n == 0 {
            return Ok(PartHits::new());
        }
        // Matching start slots per item.
        let mut starts: Vec<(u32, Vec<u32>)> = Vec::new();
        if n == 1 {
            let mut key = vec![KEY_LITERAL];
            key.extend_from_slice(run[0].to_string().as_bytes());
            let mut merged: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
            let key = String::from_utf8_lossy(&key);
            let mut s = self
                .terms
                .search(Str::new(&key).starts_with())
                .into_stream();
            let mut keys = 0;
            while let Some((_, off)) = s.next() {
                for (item, slots) in self.postings_at(off)? {
                    merged.entry(item).or_default().extend(slots);
                }
                keys += 1;
                if keys >= self.key_budget {
                    break;
                }
            }
            starts = merged
                .into_iter()
                .map(|(i, mut s)| {
                    s.sort_unstable();
                    s.dedup();
                    (i, s)
                })
                .collect();
        } else {
            let mut offsets: Vec<usize> = (0..n - 1).step_by(2).collect();
            if offsets.last() != Some(&(n - 2)) {
                offsets.push(n - 2);
            }
            let mut lists = Vec::with_capacity(offsets.len());
            for &o in &offsets {
                let mut key = vec![KEY_LITERAL];
                key.extend_from_slice(run[o].to_string().as_bytes());
                key.extend_from_slice(run[o + 1].to_string().as_bytes());
                match self.terms.get(&key) {
                    Some(off) => lists.push(self.postings_at(off)?),
                    None => return Ok(PartHits::new()),
                }
            }
            let (first, others) = lists
                .split_first()
                .ok_or_else(|| Error::Index("empty phrase".into()))?;
            'items: for (item, slots0) in first {
                let mut other_slots = Vec::with_capacity(others.len());
                for l in others {
                    match l.binary_search_by_key(item, |x| x.0) {
                        Ok(i) => other_slots.push(&l[i].1),
                        Err(_) => continue 'items,
                    }
                }
                let good: Vec<u32> = slots0
                    .iter()
                    .copied()
                    .filter(|&s| {
                        offsets[1..]
                            .iter()
                            .zip(&other_slots)
                            .all(|(&o, sl)| sl.binary_search(&(s + o as u32)).is_ok())
                    })
                    .collect();
                if !good.is_empty() {
                    starts.push((*item, good));
                }
            }
        }
        self.score_starts(&starts, n as u32, 1.0, true)
    }

    /// BM25 over the fields of each item's matching start slots.
    fn score_starts(
        &self,
        starts: &[(u32, Vec<u32>)],
        len: u32,
        weight: f32,
        boosts: bool,
    ) -> Result<PartHits, Error> {
        let n = self.attrs.len() as u32;
        // Matches in cited units count for the items citing them (the best unit counts).
        let mut basis: HashMap<u32, f32> = HashMap::new();
        for (doc, slots) in starts.iter().filter(|(d, _)| *d >= n) {
            let a = (doc - n) as usize;
            let dl = self.meta.unit_lens.get(a).copied().unwrap_or(1) as f32;
            let s = bm25(
                slots.len() as f32,
                dl,
                self.meta.avg_len[FIELD_BASIS as usize],
            ) * FIELD_WEIGHTS[2];
            for item in self.citing_unit(a)? {
                let e = basis.entry(item).or_insert(0.0);
                *e = e.max(s);
            }
        }
        let own: HashMap<u32, &Vec<u32>> = starts
            .iter()
            .filter(|(d, _)| *d < n)
            .map(|(d, s)| (*d, s))
            .collect();
        let mut ids: Vec<u32> = own.keys().copied().chain(basis.keys().copied()).collect();
        ids.sort_unstable();
        ids.dedup();
        let total = self.attrs.len().max(1) as f32;
        let df = ids.len() as f32;
        let idf = (1.0 + (total - df + 0.5) / (df + 0.5)).ln();
        let mut out = PartHits::with_capacity(ids.len());
        for item in ids {
            let Some(a) = self.attrs.get(item as usize) else {
                continue;
            };
            let mut tf = [0u32; 4];
            let mut hl = Vec::new();
            let mut leading = false;
            for &s in own.get(&item).map(|v| v.as_slice()).unwrap_or(&[]) {
                let f = (s >> 24) as usize;
                let pos = s & 0xFF_FFFF;
                if f < 4 {
                    tf[f] += 1;
                }
                if f as u32 == FIELD_NAME {
                    hl.push((pos, pos + len));
                    if pos == 0 || pos == 1 {
                        leading = true;
                    }
                }
            }
            let mut score = basis.get(&item).copied().unwrap_or(0.0);
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
            out.insert(
                item,
                PartHit {
                    score,
                    highlights: hl,
                },
            );
        }
        Ok(out)
    }

    /// Items that have the whole query part as one of their keywords get a boost.
    fn boost_keyword(&self, text: &str, part: &mut PartHits) -> Result<(), Error> {
        let mut key = vec![KEY_KEYWORD];
        key.extend_from_slice(text.as_bytes());
        if let Some(off) = self.terms.get(&key) {
            for (item, _) in self.postings_at(off)? {
                if let Some(h) = part.get_mut(&item) {
                    h.score *= 1.5;
                }
            }
        }
        Ok(())
    }

    /// Full pinyin (`zhandao`, a last syllable may be partial) or initials (`zdjy`).
    fn pinyin_hits(&self, letters: &str) -> Result<PartHits, Error> {
        let letters = letters.to_ascii_lowercase();
        if letters.len() < 2 || letters.len() > 6 * MAX_QUERY_CHARS {
            return Ok(PartHits::new());
        }
        let mut hits = PartHits::new();
        if let Some(sylls) = self.segment(&letters) {
            // Windows hold MAX_PINYIN_WINDOW syllables: longer queries go in chunks whose
            // phrases are joined.
            let mut phrases: BTreeSet<Vec<char>> = BTreeSet::from([Vec::new()]);
            for chunk in sylls.chunks(MAX_PINYIN_WINDOW) {
                let part: String = chunk.concat();
                let found = self.pinyin_phrases(PinyinPrefix { q: part.as_bytes() }, |k| {
                    syllables_covered(&k[1..], part.len()) as usize
                })?;
                phrases = join_phrases(&phrases, &found);
            }
            hits = self.phrases_hits(&phrases, 0.9)?;
        }
        if hits.is_empty() && letters.len() <= 4 * MAX_PINYIN_WINDOW {
            let mut phrases: BTreeSet<Vec<char>> = BTreeSet::from([Vec::new()]);
            for chunk in letters.as_bytes().chunks(MAX_PINYIN_WINDOW) {
                let part = String::from_utf8_lossy(chunk);
                let key = format!("{}{part}", KEY_INITIALS as char);
                let found = self.pinyin_phrases(Str::new(&key).starts_with(), |_| part.len())?;
                phrases = join_phrases(&phrases, &found);
            }
            hits = self.phrases_hits(&phrases, 0.6)?;
        }
        Ok(hits)
    }

    /// The distinct phrases that the pinyin keys matching `aut` spell, each cut to the number of
    /// characters the query covers (`covered(key)`).
    fn pinyin_phrases<A: Automaton>(
        &self,
        aut: A,
        covered: impl Fn(&[u8]) -> usize,
    ) -> Result<BTreeSet<Vec<char>>, Error> {
        let mut phrases = BTreeSet::new();
        let mut s = self.terms.search(aut).into_stream();
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
    fn phrases_hits(&self, phrases: &BTreeSet<Vec<char>>, weight: f32) -> Result<PartHits, Error> {
        let mut hits = PartHits::new();
        for p in phrases {
            let mut h = self.phrase(p)?;
            for x in h.values_mut() {
                x.score *= weight;
            }
            union_into(&mut hits, h);
        }
        Ok(hits)
    }

    /// Splits `letters` into syllables the catalog uses, the last one possibly partial
    /// (`zhandaoj` → `zhan dao j`); `None` when they do not split (`zdjy`).
    fn segment(&self, letters: &str) -> Option<Vec<String>> {
        let b = letters.as_bytes();
        let sylls = &self.meta.syllables;
        // back[i]: where the syllable ending at i starts, for the first i letters split whole.
        let mut back: Vec<Option<usize>> = vec![None; b.len() + 1];
        back[0] = Some(0);
        let mut partial_end: Option<usize> = None;
        for i in 0..b.len() {
            if back[i].is_none() {
                continue;
            }
            for s in sylls {
                let s = s.as_bytes();
                if b[i..].starts_with(s) {
                    let j = i + s.len();
                    // Prefer the split with the longer last syllable (xian over xi an).
                    if back[j].is_none_or(|k| i < k) {
                        back[j] = Some(i);
                    }
                } else if partial_end.is_none() && s.starts_with(&b[i..]) {
                    partial_end = Some(i); // the rest is the start of a syllable
                }
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

    /// The relaxed pass: items containing at least a good share of the query's character pairs.
    fn relaxed_hits(&self, q: &str) -> Result<PartHits, Error> {
        let mut pairs: Vec<[char; 2]> = Vec::new();
        for (_, run) in segments(q).take(MAX_QUERY_RUNS) {
            for w in run.windows(2) {
                if !pairs.contains(&[w[0], w[1]]) {
                    pairs.push([w[0], w[1]]);
                }
            }
        }
        pairs.truncate(64);
        let total = self.attrs.len().max(1) as f32;
        let mut present_idf = 0.0;
        // Per item: score, whether a pair was in the name or keywords, name highlights.
        type Acc = (f32, bool, Vec<(u32, u32)>);
        let mut acc: HashMap<u32, Acc> = HashMap::new();
        for p in &pairs {
            let mut key = vec![KEY_LITERAL];
            key.extend_from_slice(p[0].to_string().as_bytes());
            key.extend_from_slice(p[1].to_string().as_bytes());
            let Some(off) = self.terms.get(&key) else {
                continue;
            };
            let list = self.postings_at(off)?;
            let df = list.len() as f32;
            let idf = (1.0 + (total - df + 0.5) / (df + 0.5)).ln();
            present_idf += idf;
            for (item, slots) in list {
                if item as usize >= self.attrs.len() {
                    continue; // article documents do not count here
                }
                let e = acc.entry(item).or_insert((0.0, false, Vec::new()));
                let best = slots
                    .iter()
                    .map(|s| FIELD_WEIGHTS[((s >> 24) as usize).min(3)])
                    .fold(0.0, f32::max);
                e.0 += idf * best / FIELD_WEIGHTS[0];
                for s in &slots {
                    let f = s >> 24;
                    if f == FIELD_NAME || f == FIELD_KEYWORDS {
                        e.1 = true;
                    }
                    if f == FIELD_NAME {
                        let pos = s & 0xFF_FFFF;
                        e.2.push((pos, pos + 2));
                    }
                }
            }
        }
        let mut out = PartHits::new();
        for (item, (score, in_name_or_kw, hl)) in acc {
            if in_name_or_kw && score >= 0.35 * present_idf {
                out.insert(
                    item,
                    PartHit {
                        score,
                        highlights: hl,
                    },
                );
            }
        }
        Ok(out)
    }
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

fn union_into(into: &mut PartHits, other: PartHits) {
    for (id, h) in other {
        match into.get_mut(&id) {
            Some(x) => {
                if h.score > x.score {
                    x.score = h.score;
                }
                x.highlights.extend(h.highlights);
            }
            None => {
                into.insert(id, h);
            }
        }
    }
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
