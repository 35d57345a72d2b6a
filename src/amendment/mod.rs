//! What an amendment of a law changes for a catalog (动态化管理): given the catalog's index and
//! the new text of a law it cites, every cited article, paragraph (款) and item (项) whose text
//! changed, moved to another number or disappeared, with the items citing each — the work an
//! amendment creates, before the catalog is rebuilt.
//!
//! The old law is what the index keeps of it: the articles the catalog cites, whole (enough,
//! since only cited units are reported on). Each cited unit is looked for in the new text among
//! the units of its kind (articles for an article, paragraphs for a paragraph, items for an
//! item), on normalised text (letters, digits and ideographs only, full-width folded, an item's
//! `（一）` left out), in this order, each unit of the new text taken at most once:
//!
//! 1. the same number with the same text: [`Status::Unchanged`];
//! 2. the same text at another number: [`Status::Moved`] (nearest number first);
//! 3. a similar text — character-bigram Dice similarity at least [`SIMILAR`] — the most similar
//!    pair first, the same number counting [`SAME_NUMBER_BONUS`] more: [`Status::Changed`] at
//!    the same number, else [`Status::Moved`] with its text changed;
//! 4. nothing: [`Status::Gone`].
//!
//! A unit of the new text that no cited unit matches is not reported: the index does not hold
//! the old law's other articles, so it cannot tell a new article from an uncited old one.
//!
//! The work is bounded: a law text has at most [`MAX_LAW_BYTES`] bytes and [`MAX_LAW_ARTICLES`]
//! articles, each cited unit is compared with each unit of its kind by merging sorted bigram sets
//! (pairs that cannot reach [`SIMILAR`] by their sizes are skipped), and the character
//! differences shown are bounded by [`MAX_DIFF_CELLS`].
//!
//! ```
//! use powerlist_build::catalog::{Catalog, SourceFile, Sources};
//! use powerlist::amendment::{amendment, Status};
//!
//! let old_law = "# 示例条例\n\n第一条 为了示例，制定本条例。\n\n第二条 禁止在公共场所随地吐痰。\n\n\
//!                第三条 违反第二条规定的，处五十元以下罚款。\n";
//! let sources = Sources {
//!     items: SourceFile::new("items.csv", "code,name,type,field,level,department,basis\n\
//!         A-1,对随地吐痰的行政处罚,行政处罚,城市管理,县级,城管,《示例条例》第二条、第三条\n"),
//!     regions: None, assignments: None, bodies: None,
//!     laws: vec![SourceFile::new("laws/示例条例.md", old_law)],
//! };
//! let index = powerlist::Index::from_bytes(&powerlist_build::writer::write_index(&Catalog::compile(&sources)?)?)?;
//!
//! // The new text inserts an article: 第二条 is now 第三条, and the fine is raised.
//! let new_law = "# 示例条例\n\n第一条 为了示例，制定本条例。\n\n第二条 本条例适用于本市。\n\n\
//!                第三条 禁止在公共场所随地吐痰。\n\n第四条 违反第三条规定的，处二百元以下罚款。\n";
//! let a = amendment(&index, new_law.as_bytes())?;
//! assert_eq!(a.law, "示例条例");
//! let moved: Vec<_> = a.units.iter().map(|u| (u.status, u.old.label.as_str(), u.new.as_ref().map(|n| n.label.as_str()))).collect();
//! assert_eq!(moved, [
//!     (Status::Moved, "第二条", Some("第三条")),
//!     (Status::Moved, "第三条", Some("第四条")),
//! ]);
//! assert!(a.units[1].text_changed && !a.units[0].text_changed);
//! assert_eq!(a.units[0].items[0].code, "A-1");
//! assert_eq!((a.counts.moved, a.counts.items), (2, 1));
//! assert!(a.needs_review());
//! # Ok::<(), powerlist::Error>(())
//! ```

mod edits;
mod report;

use serde::Serialize;

pub use edits::{edits, Edit, EditKind, MAX_DIFF_CELLS};

use crate::citation::ArticleRef;
use crate::diff::ItemRef;
use crate::error::{Error, Part};
use crate::index::{bad, Index};
use crate::law::{Article, Law};
use crate::overlaps::{bigrams, common, Bigrams};

/// The largest law text accepted, in bytes (the longest Chinese law, the Civil Code, is about a
/// third of it).
pub const MAX_LAW_BYTES: usize = 1 << 20;

/// The most articles a law text may have (the Civil Code has 1,260).
pub const MAX_LAW_ARTICLES: usize = 3_000;

/// Two texts at least this similar (Dice coefficient of their character-bigram sets) are one
/// unit, changed. Tuned on synthetic amendments of the sample's 83 laws (the test
/// `threshold_on_synthetic_amendments`, 6,235 articles: one in twelve deleted, one in fifteen
/// inserted from another law, one in five changed — an amount, a phrase added or dropped, a body
/// renamed): at 0.4 and 0.5 every article was found where it went but one deleted article was
/// taken for an inserted one; at 0.6 none was, and 4 short articles that lost half their words
/// were reported gone; at 0.7 19 were, at 0.8 43. Either error still lists the unit for review.
pub const SIMILAR: f64 = 0.6;

/// How much more a unit at the same number counts when ranking similar pairs: a slightly changed
/// unit stays where it was rather than being taken for a similar unit elsewhere.
pub const SAME_NUMBER_BONUS: f64 = 0.1;

/// Titles at least this similar (Dice, without `中华人民共和国`) are offered when a text's title
/// is not one the catalog cites: `示例市容条例` for `示例市容管理条例`, not `城镇燃气管理条例`.
const CLOSE_TITLE: f64 = 0.5;

/// Similar units kept per cited unit while pairing them (the most similar).
const KEEP_CANDIDATES: usize = 8;

/// What became of a cited unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Same number, same text.
    Unchanged,
    /// Same number, the text changed.
    Changed,
    /// At another number (the text changed or not: [`UnitChange::text_changed`]).
    Moved,
    /// No unit of the new text has the same or a similar text.
    Gone,
}

impl Status {
    /// The status as the reports name it: 未变, 修改, 移动, 删除.
    pub fn label(self) -> &'static str {
        match self {
            Status::Unchanged => "未变",
            Status::Changed => "修改",
            Status::Moved => "移动",
            Status::Gone => "删除",
        }
    }
}

/// A cited unit's place: article, paragraph, item, and all three as the law is cited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitAt {
    /// Article (条) number.
    pub article: u32,
    /// Paragraph (款) number, when one is cited.
    pub paragraph: Option<u32>,
    /// Item (项) number, when one is cited.
    pub item: Option<u32>,
    /// In the official form: `第三十六条第一款第（一）项`.
    pub label: String,
}

impl From<ArticleRef> for UnitAt {
    fn from(r: ArticleRef) -> UnitAt {
        UnitAt {
            article: r.article,
            paragraph: r.paragraph,
            item: r.item,
            label: r.display(),
        }
    }
}

/// What became of one cited unit, and who cites it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitChange {
    /// What became of it.
    pub status: Status,
    /// Where it was.
    pub old: UnitAt,
    /// Where it is now (`None` when gone). An item cited without its paragraph keeps being
    /// cited so while it stays in its article's first paragraph.
    pub new: Option<UnitAt>,
    /// Its text in the old law.
    pub old_text: String,
    /// Its text in the new one (`None` when gone).
    pub new_text: Option<String>,
    /// Whether the text changed (beyond spaces and punctuation).
    pub text_changed: bool,
    /// How similar the old and the new text are, 0 to 1 (two decimals; 1 for the same text,
    /// 0 when gone).
    pub similarity: f64,
    /// How the text changed, character by character (empty when it did not, or is gone).
    pub edits: Vec<Edit>,
    /// When gone: what the new text has at the old number, if anything.
    pub now_at_old_number: Option<String>,
    /// The items citing it, by code.
    pub items: Vec<ItemRef>,
}

/// How many cited units had each fate, and how many items cite one that did not stay.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Cited units of the law.
    pub units: usize,
    /// Unchanged.
    pub unchanged: usize,
    /// Changed in place.
    pub changed: usize,
    /// Moved (changed or not).
    pub moved: usize,
    /// Gone.
    pub gone: usize,
    /// Items citing a unit that changed, moved or is gone: to review.
    pub items: usize,
}

/// What a new text of a law changes for the catalog.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Amendment {
    /// The law's title as the catalog cites it.
    pub law: String,
    /// The title the new text gives itself.
    pub new_title: String,
    /// How many articles the catalog's text of the law has.
    pub old_articles: u32,
    /// How many the new text has.
    pub new_articles: usize,
    /// How many of each.
    pub counts: Counts,
    /// Every cited unit of the law, in the order of the old references.
    pub units: Vec<UnitChange>,
}

impl Amendment {
    /// Whether a cited unit changed, moved or is gone: items to review.
    pub fn needs_review(&self) -> bool {
        self.counts.unchanged < self.counts.units
    }
}

/// Why a law text cannot be compared ([`Error::Amendment`] carries it, with the file).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AmendError {
    /// Larger than [`MAX_LAW_BYTES`].
    TooLarge {
        /// Its size in bytes.
        bytes: usize,
    },
    /// Not UTF-8.
    NotUtf8 {
        /// The line of the first byte that is not.
        line: usize,
    },
    /// It does not read as a law text ([`Law::parse`]'s error).
    NotALaw {
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// More than [`MAX_LAW_ARTICLES`] articles.
    TooManyArticles {
        /// How many.
        articles: usize,
    },
    /// The catalog cites no law of this title.
    UnknownLaw {
        /// The title of the text.
        title: String,
        /// The catalog's laws of similar titles (at most three, the closest first).
        close: Vec<String>,
        /// How many laws the catalog cites.
        cited: usize,
    },
}

impl AmendError {
    /// The line of the text the error is at, if it is at one.
    pub fn line(&self) -> Option<usize> {
        match self {
            AmendError::NotUtf8 { line } | AmendError::NotALaw { line, .. } => Some(*line),
            _ => None,
        }
    }
}

impl std::fmt::Display for AmendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const FORM: &str = "choose a law text in Markdown as in data/laws/ (a `# 标题` line first), or the plain text of a law with its title on the first line";
        match self {
            AmendError::TooLarge { bytes } => write!(
                f,
                "the law text is {bytes} bytes long, more than the {MAX_LAW_BYTES} a law text may have; choose the text of one law"
            ),
            AmendError::NotUtf8 { .. } => write!(
                f,
                "the law text is not valid UTF-8; save it as UTF-8 (not GBK)"
            ),
            AmendError::NotALaw { message, .. } => write!(f, "{message}; {FORM}"),
            AmendError::TooManyArticles { articles } => write!(
                f,
                "the law text has {articles} articles, more than the {MAX_LAW_ARTICLES} a law may have; choose the text of one law"
            ),
            AmendError::UnknownLaw {
                title,
                close,
                cited,
            } => {
                write!(f, "the catalog cites no law titled 《{title}》")?;
                if close.is_empty() {
                    write!(f, " (none of the {cited} laws it cites has a similar title: `powerlist stats INDEX` lists them)")?;
                } else {
                    let close: Vec<String> = close.iter().map(|t| format!("《{t}》")).collect();
                    write!(f, "; it cites {}", close.join("、"))?;
                }
                write!(
                    f,
                    "; the text's title line must be the title the catalog cites"
                )
            }
        }
    }
}

/// The old law as the catalog knows it: the articles it cites and, for each cited unit, the
/// items citing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitedLaw {
    /// Its title.
    pub title: String,
    /// How many articles it has.
    pub articles_total: u32,
    /// The cited articles, whole, by number.
    pub articles: Vec<Article>,
    /// The cited units, by reference.
    pub units: Vec<(ArticleRef, Vec<ItemRef>)>,
}

impl CitedLaw {
    /// Law `law` (an index into the index's laws) as the index holds it.
    fn of(index: &Index, law: u16) -> Result<CitedLaw, Error> {
        // (unit, the item's place in code order, item), sorted: the units in order, each one's
        // items by code.
        let rank = index.code_rank();
        let mut cites: Vec<(ArticleRef, u32, u32)> = Vec::new();
        let mut items: Vec<Option<ItemRef>> = vec![None; index.item_count()];
        for id in 0..index.item_count() as u32 {
            let rec = index.record(id)?;
            let mut cited = false;
            for b in rec.bases.iter().filter(|b| b.law == law) {
                let r = ArticleRef {
                    article: b.article,
                    paragraph: b.paragraph,
                    item: b.item,
                };
                cites.push((r, rank.get(id as usize).copied().unwrap_or(u32::MAX), id));
                cited = true;
            }
            if cited {
                items[id as usize] = Some(ItemRef {
                    code: rec.code,
                    name: rec.name,
                });
            }
        }
        crate::index::heap_sort(&mut cites);
        cites.dedup();
        let mut units: Vec<(ArticleRef, Vec<ItemRef>)> = Vec::new();
        for (r, _, id) in cites {
            let Some(item) = items.get(id as usize).cloned().flatten() else {
                continue;
            };
            match units.last_mut() {
                Some((last, list)) if *last == r => list.push(item),
                _ => units.push((r, vec![item])),
            }
        }
        let mut articles = Vec::new();
        for &(_, number) in index.meta.article_keys.iter().filter(|(l, _)| *l == law) {
            articles.push(
                index
                    .article(law, number)?
                    .ok_or_else(|| bad(Part::Articles))?,
            );
        }
        let meta = index.meta.laws.get(law as usize);
        Ok(CitedLaw {
            title: meta.map_or(String::new(), |l| l.title.clone()),
            articles_total: meta.map_or(0, |l| l.articles),
            articles,
            units,
        })
    }

    /// The text of a cited unit, when the law holds it.
    fn text_of(&self, r: &ArticleRef) -> Option<String> {
        let i = self
            .articles
            .binary_search_by_key(&r.article, |a| a.number)
            .ok()?;
        self.articles[i].cited_text(r)
    }
}

/// What the law text `law` (its bytes: Markdown as in `data/laws/`, or a plain text with the
/// title on its first line) changes for the catalog of `index`: see the module documentation.
///
/// Fails with [`Error::Amendment`] when the text is too large, not UTF-8, not a law, has too
/// many articles or is a law the catalog does not cite; with an index error when the index's
/// item records or articles are damaged.
pub fn amendment(index: &Index, law: &[u8]) -> Result<Amendment, Error> {
    let new = read_law(law)?;
    let l = find_law(index, &new)?;
    let old = CitedLaw::of(index, l)?;
    if old.units.iter().any(|(r, _)| old.text_of(r).is_none()) {
        return Err(bad(Part::Articles));
    }
    Ok(compare(&old, &new))
}

/// The law of a text's bytes, within bounds.
fn read_law(bytes: &[u8]) -> Result<Law, Error> {
    let fail = |error| Error::Amendment { error, file: None };
    if bytes.len() > MAX_LAW_BYTES {
        return Err(fail(AmendError::TooLarge { bytes: bytes.len() }));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        fail(AmendError::NotUtf8 { line })
    })?;
    let law = Law::parse(&as_markdown(text)).map_err(|e| {
        fail(AmendError::NotALaw {
            line: e.line,
            message: e.message,
        })
    })?;
    if law.articles.len() > MAX_LAW_ARTICLES {
        return Err(fail(AmendError::TooManyArticles {
            articles: law.articles.len(),
        }));
    }
    Ok(law)
}

/// A plain law text (as published: the title on the first line, `第一章　总则` headings) in the
/// Markdown form [`Law::parse`] reads, line for line (so errors keep their line numbers); a
/// Markdown text, or one that starts with an article, as it is.
fn as_markdown(text: &str) -> std::borrow::Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().map(str::trim).find(|l| !l.is_empty());
    match first {
        None => return text.into(),
        Some(l) if l.starts_with('#') || heading_or_article(l) => return text.into(),
        Some(_) => {}
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut titled = false;
    for line in text.lines() {
        let l = line.trim();
        if !titled && !l.is_empty() {
            out.push_str("# ");
            titled = true;
        } else if heading_or_article(l) && !is_article(l) {
            out.push_str("## ");
        }
        out.push_str(line);
        out.push('\n');
    }
    out.into()
}

/// `第N条 …`.
fn is_article(line: &str) -> bool {
    numbered(line).is_some_and(|unit| unit == '条')
}

/// `第一章 总则`, `第二节`, `第三编`, or an article: `第`, a number, the unit, then a space or
/// nothing.
fn heading_or_article(line: &str) -> bool {
    numbered(line).is_some_and(|unit| matches!(unit, '条' | '章' | '节' | '编'))
}

/// The unit after `第N` at the start of a line when a space or the end follows it.
fn numbered(line: &str) -> Option<char> {
    let rest = line.strip_prefix('第')?;
    let (end, unit) = rest.char_indices().find(|&(_, c)| !is_numeral(c))?;
    let after = rest[end + unit.len_utf8()..].chars().next();
    (end > 0 && matches!(after, None | Some(' ' | '\u{3000}'))).then_some(unit)
}

fn is_numeral(c: char) -> bool {
    c.is_ascii_digit() || crate::citation::is_numeral(c)
}

/// The catalog's law the text is a version of: the same title (a version note such as
/// `（2018年修正）` aside), or one of the names the catalog's law goes by.
fn find_law(index: &Index, new: &Law) -> Result<u16, Error> {
    let title = crate::citation::strip_version_note(new.title.trim());
    let folded = crate::text::fold(title, Some(&index.t2s));
    let found = index
        .meta
        .laws
        .iter()
        .position(|l| l.title == title)
        .or_else(|| {
            index
                .titles
                .iter()
                .position(|names| names.contains(&folded))
        });
    if let Some(l) = found.and_then(|l| u16::try_from(l).ok()) {
        return Ok(l);
    }
    let core = |t: &str| -> Bigrams {
        bigrams(&crate::text::fold(
            t.strip_prefix("中华人民共和国").unwrap_or(t),
            Some(&index.t2s),
        ))
    };
    let want = core(title);
    let mut close: Vec<(std::cmp::Reverse<u32>, usize)> = index
        .meta
        .laws
        .iter()
        .map(|l| dice(&want, &core(&l.title)))
        .enumerate()
        .filter(|&(_, d)| d >= CLOSE_TITLE)
        .map(|(i, d)| (std::cmp::Reverse(score_key(d)), i))
        .collect();
    crate::index::heap_sort(&mut close);
    Err(Error::Amendment {
        error: AmendError::UnknownLaw {
            title: title.to_string(),
            close: close
                .iter()
                .take(3)
                .filter_map(|&(_, i)| index.meta.laws.get(i).map(|l| l.title.clone()))
                .collect(),
            cited: index.meta.laws.len(),
        },
        file: None,
    })
}

/// A similarity (0 to about 1.1) as an integer that sorts alike, to millionths.
fn score_key(d: f64) -> u32 {
    (d * 1e6) as u32
}

/// Dice similarity of two bigram sets (0 when both are empty).
fn dice(a: &Bigrams, b: &Bigrams) -> f64 {
    let total = a.len() + b.len();
    if total == 0 {
        return 0.0;
    }
    2.0 * common(a, b) as f64 / total as f64
}

/// The kinds of unit, each matched among its own kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Article,
    Paragraph,
    Item,
}

fn kind(r: &ArticleRef) -> Kind {
    match (r.paragraph, r.item) {
        (_, Some(_)) => Kind::Item,
        (Some(_), None) => Kind::Paragraph,
        (None, None) => Kind::Article,
    }
}

/// A reference with its paragraph named when it cites an item (`第二十七条第（一）项` is the
/// first paragraph's item): how units of the new text are keyed.
fn canonical(r: &ArticleRef) -> ArticleRef {
    ArticleRef {
        paragraph: match r.item {
            Some(_) => Some(r.paragraph.unwrap_or(1)),
            None => r.paragraph,
        },
        ..*r
    }
}

/// A text normalised for comparison: letters, digits and ideographs, folded; an item's leading
/// `（一）` left out.
fn normalise(text: &str, kind: Kind) -> String {
    let text = match kind {
        Kind::Item => strip_item_mark(text),
        _ => text,
    };
    text.chars()
        .map(|c| crate::text::fold_char(c, None))
        .filter(|&c| crate::text::is_word_char(c))
        .collect()
}

/// `（一）text` → `text`.
fn strip_item_mark(text: &str) -> &str {
    let t = text.trim_start();
    let Some(rest) = t.strip_prefix('（').or_else(|| t.strip_prefix('(')) else {
        return text;
    };
    match rest.find(['）', ')']) {
        Some(e) if rest[..e].chars().all(is_numeral) => {
            rest[e..].trim_start_matches(['）', ')']).trim_start()
        }
        _ => text,
    }
}

/// One unit of a kind in the new text.
struct Unit {
    at: ArticleRef,
    text: String,
    norm: String,
    grams: Bigrams,
}

impl Unit {
    fn new(at: ArticleRef, text: String, kind: Kind) -> Unit {
        let norm = normalise(&text, kind);
        let grams = grams(&norm);
        Unit {
            at,
            text,
            norm,
            grams,
        }
    }
}

/// A normalised text's bigrams; a single character counts as one.
fn grams(norm: &str) -> Bigrams {
    let mut chars = norm.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => vec![u64::from(c) << 32],
        _ => bigrams(norm),
    }
}

/// The new text's units of a kind, keyed by canonical reference.
fn units_of(law: &Law, kind: Kind) -> Vec<Unit> {
    let mut out = Vec::new();
    for a in &law.articles {
        if kind == Kind::Article {
            let at = ArticleRef {
                article: a.number,
                paragraph: None,
                item: None,
            };
            out.push(Unit::new(at, a.text(), kind));
            continue;
        }
        for (p, para) in a.paragraphs.iter().enumerate() {
            let at = |item: Option<usize>| ArticleRef {
                article: a.number,
                paragraph: Some(p as u32 + 1),
                item: item.map(|i| i as u32 + 1),
            };
            if kind == Kind::Paragraph {
                if let Some(text) = a.cited_text(&at(None)) {
                    out.push(Unit::new(at(None), text, kind));
                }
                continue;
            }
            for (i, text) in para.items.iter().enumerate() {
                out.push(Unit::new(at(Some(i)), text.clone(), kind));
            }
        }
    }
    out
}

/// Compares the cited units of `old` with `new`: see the module documentation. Never fails:
/// a unit whose text `old` lacks counts as empty.
pub fn compare(old: &CitedLaw, new: &Law) -> Amendment {
    compare_at(old, new, SIMILAR)
}

/// [`compare`] with another similarity threshold (for tuning it).
fn compare_at(old: &CitedLaw, new: &Law, similar: f64) -> Amendment {
    let olds: Vec<String> = old
        .units
        .iter()
        .map(|(r, _)| old.text_of(r).unwrap_or_default())
        .collect();
    let mut found: Vec<Option<(usize, f64)>> = vec![None; old.units.len()];
    let mut pools: Vec<(Kind, Vec<Unit>)> = Vec::new();
    for k in [Kind::Article, Kind::Paragraph, Kind::Item] {
        let which: Vec<usize> = (0..old.units.len())
            .filter(|&u| kind(&old.units[u].0) == k)
            .collect();
        if which.is_empty() {
            continue;
        }
        let pool = units_of(new, k);
        // Two citations of one unit (`第二条第（一）项`, `第二条第一款第（一）项`) are one.
        let mut by_ref: Vec<(ArticleRef, usize)> = which
            .iter()
            .map(|&u| (canonical(&old.units[u].0), u))
            .collect();
        crate::index::heap_sort(&mut by_ref);
        by_ref.dedup_by_key(|(r, _)| *r);
        let cited: Vec<(ArticleRef, Unit)> = by_ref
            .iter()
            .map(|&(r, u)| (r, Unit::new(old.units[u].0, olds[u].clone(), k)))
            .collect();
        let hits = pair(&cited, &pool, similar);
        for &u in &which {
            let r = canonical(&old.units[u].0);
            found[u] = by_ref
                .binary_search_by_key(&r, |&(x, _)| x)
                .ok()
                .and_then(|n| hits[n]);
        }
        pools.push((k, pool));
    }
    let pool_of = |k: Kind| pools.iter().find(|(x, _)| *x == k).map(|(_, p)| p);
    let units: Vec<UnitChange> = old
        .units
        .iter()
        .zip(olds)
        .zip(found)
        .map(|(((r, items), old_text), hit)| {
            let pool = pool_of(kind(r)).map_or(&[][..], Vec::as_slice);
            change(r, old_text, hit.map(|(c, d)| (&pool[c], d)), new, items)
        })
        .collect();
    let mut counts = Counts {
        units: units.len(),
        ..Counts::default()
    };
    let mut review: Vec<&str> = Vec::new();
    for u in &units {
        match u.status {
            Status::Unchanged => counts.unchanged += 1,
            Status::Changed => counts.changed += 1,
            Status::Moved => counts.moved += 1,
            Status::Gone => counts.gone += 1,
        }
        if u.status != Status::Unchanged {
            review.extend(u.items.iter().map(|i| i.code.as_str()));
        }
    }
    crate::index::heap_sort(&mut review);
    review.dedup();
    counts.items = review.len();
    Amendment {
        law: old.title.clone(),
        new_title: new.title.clone(),
        old_articles: old.articles_total,
        new_articles: new.articles.len(),
        counts,
        units,
    }
}

/// For each cited unit (its canonical reference, and itself as a [`Unit`]), the unit of `pool`
/// it became and their similarity (at least `similar`); each unit of `pool` taken at most once.
fn pair(cited: &[(ArticleRef, Unit)], pool: &[Unit], similar: f64) -> Vec<Option<(usize, f64)>> {
    let mut found: Vec<Option<(usize, f64)>> = vec![None; cited.len()];
    let mut taken = vec![false; pool.len()];
    // The pool is in reference order (articles, paragraphs and items in order).
    let at = |r: &ArticleRef| pool.binary_search_by_key(r, |u| u.at).ok();
    // The pool by a hash of its normalised texts, to find the same text elsewhere.
    let mut by_norm: Vec<(u64, usize)> = pool
        .iter()
        .enumerate()
        .map(|(i, u)| (hash(&u.norm), i))
        .collect();
    crate::index::heap_sort(&mut by_norm);
    // 1. Same number, same text.
    for (n, (r, u)) in cited.iter().enumerate() {
        if let Some(c) = at(r).filter(|&c| pool[c].norm == u.norm && !taken[c]) {
            taken[c] = true;
            found[n] = Some((c, 1.0));
        }
    }
    // 2. The same text elsewhere, the nearest number first.
    for (n, (r, u)) in cited.iter().enumerate() {
        if found[n].is_some() || u.norm.is_empty() {
            continue;
        }
        let h = hash(&u.norm);
        let from = by_norm.partition_point(|&(x, _)| x < h);
        let near = by_norm[from..]
            .iter()
            .take_while(|&&(x, _)| x == h)
            .map(|&(_, c)| c)
            .filter(|&c| !taken[c] && pool[c].norm == u.norm)
            .min_by_key(|&c| (pool[c].at.article.abs_diff(r.article), c));
        if let Some(c) = near {
            taken[c] = true;
            found[n] = Some((c, 1.0));
        }
    }
    // 3. Similar texts, the most similar pairs first: (score, unit, candidate), the score
    // negated so that ascending order puts the best first.
    let mut pairs: Vec<(std::cmp::Reverse<u32>, usize, usize)> = Vec::new();
    for (n, (r, u)) in cited.iter().enumerate() {
        if found[n].is_some() {
            continue;
        }
        let mut best: Vec<(std::cmp::Reverse<u32>, usize, usize)> = Vec::new();
        for (c, cand) in pool.iter().enumerate() {
            let (la, lb) = (u.grams.len(), cand.grams.len());
            let total = la + lb;
            if taken[c] || total == 0 || (2 * la.min(lb)) as f64 / (total as f64) < similar {
                continue;
            }
            let d = dice(&u.grams, &cand.grams);
            if d < similar {
                continue;
            }
            let bonus = if cand.at == *r {
                SAME_NUMBER_BONUS
            } else {
                0.0
            };
            let pair = (std::cmp::Reverse(score_key(d + bonus)), n, c);
            // The best few, kept in order.
            let at = best.partition_point(|p| *p <= pair);
            if at < KEEP_CANDIDATES {
                best.insert(at, pair);
                best.truncate(KEEP_CANDIDATES);
            }
        }
        pairs.extend(best);
    }
    crate::index::heap_sort(&mut pairs);
    for (_, n, c) in pairs {
        if found[n].is_none() && !taken[c] {
            taken[c] = true;
            found[n] = Some((c, dice(&cited[n].1.grams, &pool[c].grams)));
        }
    }
    found
}

/// A hash of a text (FNV-1a): texts that hash alike are compared whole.
fn hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// What became of the cited unit `r` (text `old_text`, cited by `items`): `hit` is the unit of
/// the new text it became and their similarity.
fn change(
    r: &ArticleRef,
    old_text: String,
    hit: Option<(&Unit, f64)>,
    new: &Law,
    items: &[ItemRef],
) -> UnitChange {
    let round = |d: f64| (d * 100.0).round() / 100.0;
    let Some((unit, similarity)) = hit else {
        return UnitChange {
            status: Status::Gone,
            old: UnitAt::from(*r),
            new: None,
            now_at_old_number: new.article(r.article).and_then(|a| a.cited_text(r)),
            old_text,
            new_text: None,
            text_changed: true,
            similarity: 0.0,
            edits: Vec::new(),
            items: items.to_vec(),
        };
    };
    let k = kind(r);
    let text_changed = unit.norm != normalise(&old_text, k);
    let mut at = unit.at;
    if r.paragraph.is_none() && at.paragraph == Some(1) && k == Kind::Item {
        // Cited as the article's item: the first paragraph's, without naming it.
        at.paragraph = None;
    }
    let status = match (unit.at == canonical(r), text_changed) {
        (true, false) => Status::Unchanged,
        (true, true) => Status::Changed,
        (false, _) => Status::Moved,
    };
    UnitChange {
        status,
        old: UnitAt::from(*r),
        new: Some(UnitAt::from(at)),
        edits: if text_changed {
            edits(&old_text, &unit.text)
        } else {
            Vec::new()
        },
        old_text,
        new_text: Some(unit.text.clone()),
        text_changed,
        similarity: if text_changed { round(similarity) } else { 1.0 },
        now_at_old_number: None,
        items: items.to_vec(),
    }
}

#[cfg(test)]
mod tests;
