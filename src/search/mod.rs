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
//! #     regions: None, assignments: None, bodies: None, laws: vec![] };
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
//!
//! ## How a query is answered
//!
//! The steps of [`Index::search`], one file each (under `src/search/`):
//!
//! 1. `filters.rs`: the options' field, type and level become attribute numbers; an unknown name
//!    (or region) is an error that lists the known ones.
//! 2. `query.rs`: the query is folded (simplified characters, half-width, lower case), cut to
//!    [`MAX_QUERY_CHARS`] and understood: empty (browse), a code prefix (`code.rs`), a citation
//!    (`citation.rs`) or keywords (`keyword.rs`).
//! 3. `keyword.rs`: the query splits into runs (at most [`MAX_QUERY_RUNS`]); each run is matched
//!    as a phrase (`phrase.rs`: the postings of its character pairs intersected, positions
//!    checked), an ASCII run also as pinyin or initials (`pinyin.rs`: letters → syllables →
//!    the Chinese phrases they spell) and as a code prefix. The runs' items intersect
//!    (`parts.rs`: sorted lists merged).
//! 4. `relaxed.rs`: when fewer than [`RELAXED_BELOW`] items match a longer Chinese query (or
//!    the Chinese a pinyin query spelled), the items containing a good share of its character
//!    pairs follow them.
//! 5. `rank.rs`: each item is scored by BM25 over its fields, with boosts; each hit that passes
//!    the filters becomes one sortable integer, and only the page asked for is sorted.
//! 6. `facets.rs`: meanwhile every hit is counted per field, type and level, each facet ignoring
//!    its own filter.
//! 7. `marks.rs`: the names of the hits on the page are marked where the phrases that matched
//!    occur.
//!
//! Every lookup goes through index keys (`keys.rs`): character pairs, whole keywords, pinyin and
//! initials windows, codes; a scan of them for one query part stops at [`MAX_KEYS_PER_PART`]
//! keys (by default), however common the part; the phrases a pinyin query spells score at most
//! [`MAX_PINYIN_MATCHES`] matches in all, longest phrases first (a syllable such as `ji` spells
//! dozens of characters, each in tens of thousands of items of a large catalog).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::index::Index;

mod citation;
mod code;
mod contact;
mod facets;
mod filters;
mod intent;
mod keys;
mod keyword;
mod marks;
mod parts;
mod phrase;
mod phrases;
mod pinyin;
mod prefetch;
pub(crate) use prefetch::Need;
mod query;
mod rank;
mod relaxed;
mod typo;

use facets::FacetCounts;
use marks::Marks;
pub use pinyin::{MAX_PINYIN_MATCHES, MAX_PINYIN_PHRASES};
pub use query::{MAX_KEYS_PER_PART, MAX_QUERY_CHARS, MAX_QUERY_RUNS};
use rank::{select_page, Order};
pub use relaxed::RELAXED_BELOW;

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
    /// The day the hits' handlers are for, with `region` (`None`: the latest state the catalog
    /// knows — an assignment taken back (上收) no longer holds, one not begun yet does).
    pub date: Option<crate::date::Date>,
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
    /// them) that found what it spells.
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
    /// the article and the only part of it asked for (see
    /// [`crate::law::Article::cited_position`]).
    pub cited: Option<crate::law::CitedPosition>,
    /// No item cites what was asked for: the hits (maybe none) cite other parts of the
    /// article (`食品安全法122条第2款`); for an article or a law no item cites, there are none
    /// (`消防法64条`).
    pub uncited: bool,
    /// Each article asked for whose text the index has, in the order asked, each once, at most
    /// [`MAX_CITED_TEXTS`]: `大气法第18条、第19条` gives both, each labelled. For one article,
    /// the same text as `text` (empty when `text` is `None` and no other article is here).
    pub articles: Vec<ArticleText>,
}

/// Most article texts one citation query returns ([`CitedArticle::articles`]): a query may
/// name up to 8 articles (`QueryCitation::more`), whose texts would fill a phone's screen.
pub const MAX_CITED_TEXTS: usize = 5;

/// One article of a citation query, with its text ([`CitedArticle::articles`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleText {
    /// The whole article's citation: `《中华人民共和国大气污染防治法》第十九条`.
    pub title: String,
    /// Its number.
    pub article: u32,
    /// Its text, paragraphs and items on their own lines.
    pub text: String,
    /// The same text as paragraphs (款) with their items (项).
    pub paragraphs: Vec<crate::law::Paragraph>,
    /// Where the paragraph or item asked for sits in `paragraphs`, when one (and only one) part
    /// narrower than the article was asked for in it.
    pub cited: Option<crate::law::CitedPosition>,
}

/// Counts per facet value, over the hits (each facet ignoring its own filter).
pub type Facets = BTreeMap<String, BTreeMap<String, u32>>;

/// [`Facets`] as lists in the same order (facets by name, values by name):
/// [`Index::search_listed`]'s.
pub type FacetList = Vec<(&'static str, Vec<(String, u32)>)>;

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
    /// The query as searched, when it matched no item whole and a slip of the keyboard was
    /// corrected (`占到经营` → `占道经营`, `lajii` → `laji`): the hits are the correction's.
    pub corrected: Option<String>,
    /// When the correction is pinyin (`lajii` → `laji`), the Chinese word it spells that the
    /// hits are for (`垃圾`), to show instead; `None` when it spells no one word (`jiance`: 检测
    /// and 监测), and for other corrections (`占道经营` is Chinese already).
    pub corrected_word: Option<String>,
    /// The query asked how to reach a body (`城管电话`, `环保局在哪`): the hits are for the
    /// rest of it (`城管`), and a page shows how to reach whoever handles them.
    pub contact: bool,
}

impl Index {
    /// Runs a query. See the module docs for what a query can be.
    pub fn search(&self, query: &str, opts: &SearchOptions) -> Result<SearchResult, Error> {
        let (mut r, facets) = self.search_with(query, opts, true)?;
        r.facets = facets.named(self);
        Ok(r)
    }

    /// [`Index::search`] with the facets as lists (the result's own left empty): for the browser
    /// module, which makes objects of them and needs no map.
    pub fn search_listed(
        &self,
        query: &str,
        opts: &SearchOptions,
    ) -> Result<(SearchResult, FacetList), Error> {
        let (r, facets) = self.search_with(query, opts, true)?;
        Ok((r, facets.listed(self)))
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
    /// #     regions: None, assignments: None, bodies: None, laws: vec![] };
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
        Ok(self.search_with(query, opts, false)?.0)
    }

    /// The steps of a search (see the module docs); `full` adds the highlights and counts the
    /// facets (returned beside the result, whose own are left empty).
    fn search_with(
        &self,
        query: &str,
        opts: &SearchOptions,
        full: bool,
    ) -> Result<(SearchResult, FacetCounts), Error> {
        let asked = contact::question(query);
        let q = self.bounded_query(asked.as_deref().unwrap_or(query));
        self.prefetch_query(q.trim(), opts)?;
        let filters = self.filters(opts)?;
        let mut marks = Marks::default();
        let mut found = self.understand(q.trim(), &mut marks)?;
        let (corrected, corrected_word) = match found.fixed.take() {
            Some(fixed) => (Some(fixed), None),
            None => match self.corrected(q.trim(), opts, &mut found, &mut marks) {
                Ok(Some((fixed, word))) => (Some(fixed), word),
                Ok(None) => (None, None),
                // While a guess at a slip waits for its chunks, the records of the page as it
                // stands come with them: most guesses match nothing whole, and that page is
                // then shown without a round more.
                // (Any other error reading them is met when they are read.)
                Err(Error::NeedChunks(mut names)) => {
                    let mut ranked = self.ranked(&found, &filters, None).0;
                    let page = select_page(&mut ranked, opts);
                    let records = self.need_items(page.iter().map(|&k| k as u32));
                    if let Err(Error::NeedChunks(more)) = records {
                        for n in more {
                            if !names.contains(&n) {
                                names.push(n);
                            }
                        }
                    }
                    return Err(Error::NeedChunks(names));
                }
                Err(e) => return Err(e),
            },
        };

        let mut facets = FacetCounts::new(self.meta.fields.len());
        let (mut ranked, strict) = self.ranked(&found, &filters, full.then_some(&mut facets));
        let order = self.order(found.kind);
        let total = ranked.len();
        let page = select_page(&mut ranked, opts);
        let hits = self.page_hits(page, &order, &marks, full)?;
        let result = SearchResult {
            total,
            hits,
            facets: Facets::new(),
            kind: found.kind,
            suggestions: found.suggestions,
            citation: found.citation,
            relaxed: found.relaxed,
            strict,
            corrected,
            corrected_word,
            contact: asked.is_some(),
        };
        Ok((result, facets))
    }

    /// The hits that pass the filters, each as one sortable key (see `Order`): selecting the
    /// page among tens of thousands of hits compares integers; and how many match whole.
    /// `facets` count every hit, each ignoring its own filter.
    fn ranked(
        &self,
        found: &query::Understood,
        filters: &filters::Filters,
        mut facets: Option<&mut FacetCounts>,
    ) -> (Vec<u64>, usize) {
        let order = self.order(found.kind);
        let mut ranked: Vec<u64> = Vec::with_capacity(found.len());
        let mut strict = 0;
        for (id, score, part) in found.tiers() {
            let Some(a) = self.attrs.get(id as usize) else {
                continue;
            };
            let pass = filters.admit(a);
            if let Some(f) = facets.as_deref_mut() {
                f.count(a, pass);
            }
            if pass.all() {
                ranked.push(order.key(id, score, part));
                strict += usize::from(!part);
            }
        }
        (ranked, strict)
    }

    /// When `q` matched no item whole and reads as a slip (see `typo.rs`) whose correction
    /// does match items whole, `found` and `marks` become the correction's, which is returned
    /// with the Chinese word it spells when it is pinyin (see `Index::spelled_word`).
    fn corrected(
        &self,
        q: &str,
        opts: &SearchOptions,
        found: &mut query::Understood,
        marks: &mut Marks,
    ) -> Result<Option<(String, Option<String>)>, Error> {
        let words = matches!(found.kind, QueryKind::Keyword | QueryKind::Pinyin);
        if !words || !found.matched.is_empty() {
            return Ok(None);
        }
        let Some(fixed) = self.correction(q)? else {
            return Ok(None);
        };
        self.prefetch_query(&fixed, opts)?;
        let mut fixed_marks = Marks::default();
        let fixed_found = self.understand(&fixed, &mut fixed_marks)?;
        if fixed_found.matched.is_empty() {
            return Ok(None);
        }
        let word = if fixed_found.kind == QueryKind::Pinyin {
            self.spelled_word(&fixed_marks)?
        } else {
            None
        };
        *found = fixed_found;
        *marks = fixed_marks;
        Ok(Some((fixed, word)))
    }

    /// The hits of a page of rank keys, with their scores and (when `full`) highlights.
    fn page_hits(
        &self,
        page: &[u64],
        order: &Order,
        marks: &Marks,
        full: bool,
    ) -> Result<Vec<Hit>, Error> {
        if full && !marks.is_empty() {
            self.need_items(page.iter().map(|&k| k as u32))?;
        }
        let mut hits = Vec::with_capacity(page.len());
        let mut name: Vec<char> = Vec::new();
        for &k in page {
            let id = k as u32;
            let score = order.score(k);
            let highlights = if marks.is_empty() || !full {
                Vec::new()
            } else {
                self.highlights(id, marks, &mut name)?
            };
            hits.push(Hit {
                id,
                score,
                highlights,
            });
        }
        Ok(hits)
    }
}
