//! The citizen module's results as JavaScript values, built field by field: the same objects
//! `serde_wasm_bindgen`'s JSON-compatible serializer made (same keys in the same order, `null`
//! for `None`, fields serde skipped left out), without its generic serializer, which was a
//! tenth of the module. `tests/wasm.rs` compares the two. The maintainer's results, converted
//! once per view, still go through serde (`to_js`, maintainer feature only).

use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use powerlist::format::RegionRecord;
use powerlist::index::Contact;
use powerlist::law::{CitedPosition, LawVersion, Paragraph, Superseded};
use powerlist::search::{CitedArticle, QueryKind, Suggestion};
use powerlist::stats::IndexInfo;
use powerlist::view::{BasisView, DocumentView, ItemView, PeriodView, RegionHandler};

/// The property names results use, in [`Key`]'s order.
const NAMES: [&str; 81] = [
    "code",
    "name",
    "type",
    "field",
    "level",
    "department",
    "handled_by",
    "handled_mode",
    "handled_region",
    "bases",
    "keywords",
    "note",
    "score",
    "highlights",
    "law",
    "article",
    "paragraph",
    "item",
    "citation",
    "article_citation",
    "text",
    "cited_text",
    "cited",
    "paragraphs",
    "items",
    "title",
    "own",
    "built_with",
    "format_version",
    "bytes",
    "catalog",
    "laws",
    "articles_cited",
    "regions",
    "parent",
    "version",
    "date",
    "region",
    "limit",
    "offset",
    "browse",
    "keyword",
    "pinyin",
    "total",
    "hits",
    "facets",
    "kind",
    "suggestions",
    "relaxed",
    "strict",
    "uncited",
    "contact",
    "phone",
    "address",
    "hours",
    "url",
    "consult_phone",
    "complaint_phone",
    "place",
    "corrected",
    "duties",
    "accountability",
    "periods",
    "region_name",
    "body",
    "mode",
    "from",
    "until",
    "through",
    "state",
    "document",
    "end_document",
    "number",
    "basis",
    "versioned_citation",
    "superseded",
    "label",
    "source",
    "more",
    "articles",
    "corrected_word",
];

/// A property name: an index into [`NAMES`].
#[derive(Clone, Copy)]
#[allow(missing_docs)]
pub(crate) enum Key {
    Code,
    Name,
    Type,
    Field,
    Level,
    Department,
    HandledBy,
    HandledMode,
    HandledRegion,
    Bases,
    Keywords,
    Note,
    Score,
    Highlights,
    Law,
    Article,
    Paragraph,
    Item,
    Citation,
    ArticleCitation,
    Text,
    CitedText,
    Cited,
    Paragraphs,
    Items,
    Title,
    Own,
    BuiltWith,
    FormatVersion,
    Bytes,
    Catalog,
    Laws,
    ArticlesCited,
    Regions,
    Parent,
    Version,
    Date,
    Region,
    Limit,
    Offset,
    Browse,
    Keyword,
    Pinyin,
    Total,
    Hits,
    Facets,
    Kind,
    Suggestions,
    Relaxed,
    Strict,
    Uncited,
    Contact,
    Phone,
    Address,
    Hours,
    Url,
    ConsultPhone,
    ComplaintPhone,
    Place,
    Corrected,
    Duties,
    Accountability,
    Periods,
    RegionName,
    Body,
    Mode,
    From,
    Until,
    Through,
    State,
    Document,
    EndDocument,
    Number,
    Basis,
    VersionedCitation,
    Superseded,
    Label,
    Source,
    More,
    Articles,
    CorrectedWord,
}

thread_local! {
    /// [`NAMES`] as JS strings, made once (also the search options' names and the query kinds).
    static KEYS: [JsValue; 81] = NAMES.map(JsValue::from_str);
}

/// The name `k` stands for.
pub(crate) fn name(k: Key) -> &'static str {
    NAMES[k as usize]
}

/// `v[k]` (`undefined` when reading it throws).
pub(crate) fn get(v: &JsValue, k: Key) -> JsValue {
    KEYS.with(|keys| js_sys::Reflect::get(v, &keys[k as usize]))
        .unwrap_or(JsValue::UNDEFINED)
}

// `target[key] = value` (as serde's conversion set them; faster than `Reflect.set`), with the
// value passed as it is: a string is decoded in JavaScript, a number stays a number (no
// `JsValue` made for it first, each a call out of the module of its own).
#[wasm_bindgen]
extern "C" {
    /// Any object, whose properties are set.
    type Target;
    #[wasm_bindgen(method, indexing_setter)]
    fn set_value(this: &Target, key: &JsValue, value: &JsValue);
    #[wasm_bindgen(method, indexing_setter)]
    fn set_str(this: &Target, key: &JsValue, value: &str);
    #[wasm_bindgen(method, indexing_setter)]
    fn set_number(this: &Target, key: &JsValue, value: f64);
}

/// A plain object being filled.
pub(crate) struct Obj(pub(crate) Object);

impl Obj {
    pub(crate) fn new() -> Obj {
        Obj(Object::new())
    }

    fn target(&self) -> &Target {
        self.0.unchecked_ref()
    }

    #[inline(never)]
    pub(crate) fn val(&self, k: Key, v: &JsValue) -> &Obj {
        KEYS.with(|keys| self.target().set_value(&keys[k as usize], v));
        self
    }

    #[inline(never)]
    pub(crate) fn str(&self, k: Key, v: &str) -> &Obj {
        KEYS.with(|keys| self.target().set_str(&keys[k as usize], v));
        self
    }

    #[inline(never)]
    pub(crate) fn num(&self, k: Key, v: f64) -> &Obj {
        KEYS.with(|keys| self.target().set_number(&keys[k as usize], v));
        self
    }

    /// The string, or `null`.
    #[inline(never)]
    pub(crate) fn opt_str(&self, k: Key, v: Option<&str>) -> &Obj {
        match v {
            Some(s) => self.str(k, s),
            None => self.val(k, &JsValue::NULL),
        }
    }

    /// The number, or `null`.
    #[inline(never)]
    pub(crate) fn opt_num(&self, k: Key, v: Option<f64>) -> &Obj {
        match v {
            Some(n) => self.num(k, n),
            None => self.val(k, &JsValue::NULL),
        }
    }
}

impl From<Obj> for JsValue {
    fn from(o: Obj) -> JsValue {
        o.0.into()
    }
}

/// An array of `f(x)` for each `x` of `v`.
fn array<T>(v: &[T], f: impl Fn(&T) -> JsValue) -> Array {
    let out = Array::new_with_length(v.len() as u32);
    for (i, x) in v.iter().enumerate() {
        out.set(i as u32, f(x));
    }
    out
}

/// An array of strings.
pub(crate) fn strings(v: &[String]) -> Array {
    array(v, |s| JsValue::from_str(s))
}

/// `"keyword"` for [`QueryKind::Keyword`], and so on.
pub(crate) fn kind(k: QueryKind) -> JsValue {
    let k = match k {
        QueryKind::Browse => Key::Browse,
        QueryKind::Code => Key::Code,
        QueryKind::Citation => Key::Citation,
        QueryKind::Keyword => Key::Keyword,
        QueryKind::Pinyin => Key::Pinyin,
    };
    KEYS.with(|keys| keys[k as usize].clone())
}

fn opt_u32(v: Option<u32>) -> Option<f64> {
    v.map(f64::from)
}

fn paragraphs(v: &[Paragraph]) -> Array {
    array(v, |p| {
        let o = Obj::new();
        o.str(Key::Text, &p.text)
            .val(Key::Items, &strings(&p.items));
        o.into()
    })
}

fn cited(c: &CitedPosition) -> JsValue {
    let o = Obj::new();
    o.num(Key::Paragraph, c.paragraph as f64)
        .opt_num(Key::Item, c.item.map(|i| i as f64));
    o.into()
}

fn basis(b: &BasisView) -> JsValue {
    let o = Obj::new();
    o.str(Key::Law, &b.law)
        .num(Key::Article, f64::from(b.article))
        .opt_num(Key::Paragraph, opt_u32(b.paragraph))
        .opt_num(Key::Item, opt_u32(b.item))
        .str(Key::Citation, &b.citation)
        .str(Key::ArticleCitation, &b.article_citation);
    if !b.text.is_empty() {
        o.str(Key::Text, &b.text);
    }
    if let Some(t) = &b.cited_text {
        o.str(Key::CitedText, t);
    }
    if let Some(c) = &b.cited {
        o.val(Key::Cited, &cited(c));
    }
    if !b.paragraphs.is_empty() {
        o.val(Key::Paragraphs, &paragraphs(&b.paragraphs));
    }
    o.str(Key::VersionedCitation, &b.versioned_citation)
        .val(Key::Version, &version(b.version.as_ref()))
        .val(Key::Superseded, &superseded(b.superseded.as_ref()));
    o.into()
}

/// The version of a law's text, or `null`.
fn version(v: Option<&LawVersion>) -> JsValue {
    let Some(v) = v else {
        return JsValue::NULL;
    };
    let o = Obj::new();
    o.str(Key::Date, &v.date)
        .str(Key::Kind, &v.kind)
        .str(Key::Label, &v.label)
        .str(Key::Source, &v.source);
    o.into()
}

/// The newer text that replaced a law's, or `null`.
fn superseded(s: Option<&Superseded>) -> JsValue {
    let Some(s) = s else {
        return JsValue::NULL;
    };
    let o = Obj::new();
    o.str(Key::Date, &s.date).str(Key::Note, &s.note);
    o.into()
}

/// How to reach a handling body, or `null`.
pub(crate) fn contact(c: Option<&Contact>) -> JsValue {
    let Some(c) = c else {
        return JsValue::NULL;
    };
    let o = Obj::new();
    o.str(Key::Phone, &c.phone)
        .str(Key::Address, &c.address)
        .str(Key::Hours, &c.hours)
        .str(Key::Url, &c.url);
    o.into()
}

/// An item as search hits and `item()` show it.
pub(crate) fn item(v: &ItemView) -> Obj {
    let o = Obj::new();
    o.str(Key::Code, &v.code)
        .str(Key::Name, &v.name)
        .str(Key::Type, &v.kind)
        .str(Key::Field, &v.field)
        .val(Key::Level, &strings(&v.level))
        .str(Key::Department, &v.department)
        .str(Key::HandledBy, &v.handled_by)
        .opt_str(Key::HandledMode, v.handled_mode.as_deref())
        .opt_str(Key::HandledRegion, v.handled_region.as_deref())
        .val(Key::Contact, &contact(v.contact.as_ref()))
        .str(Key::ConsultPhone, &v.consult_phone)
        .str(Key::ComplaintPhone, &v.complaint_phone)
        .str(Key::Place, &v.place)
        .val(Key::Bases, &array(&v.bases, basis))
        .val(Key::Keywords, &strings(&v.keywords))
        .str(Key::Note, &v.note)
        .num(Key::Score, f64::from(v.score))
        .val(Key::Highlights, &ranges(&v.highlights));
    // The responsibility list: item pages only, when the catalog gives it (as serde skips).
    if !v.duties.is_empty() {
        o.val(Key::Duties, &strings(&v.duties));
    }
    if !v.accountability.is_empty() {
        o.val(Key::Accountability, &strings(&v.accountability));
    }
    // Last, in the order of `ItemView`'s fields.
    o.val(Key::Periods, &periods(&v.periods));
    o
}

/// A document, or `null`.
fn document(d: Option<&DocumentView>) -> JsValue {
    let Some(d) = d else {
        return JsValue::NULL;
    };
    let o = Obj::new();
    o.str(Key::Number, &d.number)
        .opt_str(Key::Date, d.date.map(|x| x.to_string()).as_deref())
        .str(Key::Basis, &d.basis);
    o.into()
}

/// An item's assignments with a period or a document ([`ItemView::periods`]).
pub(crate) fn periods(v: &[PeriodView]) -> JsValue {
    let day = |d: Option<powerlist::date::Date>| d.map(|x| x.to_string());
    array(v, |p| {
        let o = Obj::new();
        o.str(Key::Region, &p.region)
            .str(Key::RegionName, &p.region_name)
            .str(Key::Body, &p.body)
            .opt_str(Key::Mode, p.mode.as_deref())
            .opt_str(Key::From, day(p.from).as_deref())
            .opt_str(Key::Until, day(p.until).as_deref())
            .opt_str(Key::Through, day(p.through).as_deref())
            .str(Key::State, p.state.as_str())
            .val(Key::Document, &document(p.document.as_ref()))
            .val(Key::EndDocument, &document(p.end_document.as_ref()))
            .str(Key::Note, &p.note);
        o.into()
    })
    .into()
}

// `Array.of(a, b)`, with numbers passed as numbers.
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Array, js_name = of)]
    fn pair(a: u32, b: u32) -> Array;
}

/// `[[start, end], …]` for highlight ranges.
pub(crate) fn ranges(v: &[(u32, u32)]) -> JsValue {
    array(v, |&(a, b)| pair(a, b).into()).into()
}

pub(crate) fn suggestions(v: &[Suggestion]) -> JsValue {
    array(v, |s| {
        let o = Obj::new();
        o.str(Key::Code, &s.code).str(Key::Name, &s.name);
        o.into()
    })
    .into()
}

/// The article a citation query asked for, or `null`.
pub(crate) fn citation(c: Option<&CitedArticle>) -> JsValue {
    let Some(c) = c else {
        return JsValue::NULL;
    };
    let o = Obj::new();
    o.str(Key::Law, &c.law)
        .opt_num(Key::Article, opt_u32(c.article))
        .opt_num(Key::Paragraph, opt_u32(c.paragraph))
        .opt_num(Key::Item, opt_u32(c.item))
        .opt_str(Key::Text, c.text.as_deref())
        .val(Key::Paragraphs, &paragraphs(&c.paragraphs))
        .str(Key::Title, &c.title);
    match &c.cited {
        Some(p) => o.val(Key::Cited, &cited(p)),
        None => o.val(Key::Cited, &JsValue::NULL),
    };
    o.val(Key::Uncited, &JsValue::from_bool(c.uncited));
    let articles = array(&c.articles, |a| {
        let o = Obj::new();
        o.str(Key::Title, &a.title)
            .num(Key::Article, f64::from(a.article))
            .str(Key::Text, &a.text)
            .val(Key::Paragraphs, &paragraphs(&a.paragraphs));
        match &a.cited {
            Some(p) => o.val(Key::Cited, &cited(p)),
            None => o.val(Key::Cited, &JsValue::NULL),
        };
        o.into()
    });
    o.val(Key::Articles, &articles);
    o.into()
}

/// Every region as `{code, name, parent}`.
pub(crate) fn regions(v: &[(&RegionRecord, Option<&str>, u32)]) -> JsValue {
    array(v, |(r, parent, more)| {
        let o = Obj::new();
        o.str(Key::Code, &r.code)
            .str(Key::Name, &r.name)
            .opt_str(Key::Parent, *parent);
        if *more > 0 {
            o.num(Key::More, f64::from(*more));
        }
        o.into()
    })
    .into()
}

pub(crate) fn regions_near(v: &[(String, String, String)]) -> JsValue {
    array(v, |(code, name, parent)| {
        let o = Obj::new();
        o.str(Key::Code, code)
            .str(Key::Name, name)
            .opt_str(Key::Parent, Some(parent.as_str()).filter(|p| !p.is_empty()));
        o.into()
    })
    .into()
}

pub(crate) fn handlers(v: &[RegionHandler]) -> JsValue {
    array(v, |h| {
        let o = Obj::new();
        o.str(Key::Code, &h.code)
            .str(Key::Name, &h.name)
            .str(Key::HandledBy, &h.handled_by)
            .opt_str(Key::HandledMode, h.handled_mode.as_deref())
            .val(Key::Own, &JsValue::from_bool(h.own))
            .val(Key::Contact, &contact(h.contact.as_ref()));
        o.into()
    })
    .into()
}

pub(crate) fn info(i: &IndexInfo) -> JsValue {
    let catalog = Obj::new();
    catalog
        .str(Key::Name, &i.catalog.name)
        .str(Key::Version, &i.catalog.version)
        .str(Key::Date, &i.catalog.date);
    let o = Obj::new();
    o.str(Key::BuiltWith, &i.built_with)
        .num(Key::FormatVersion, f64::from(i.format_version))
        .num(Key::Bytes, i.bytes as f64)
        .val(Key::Catalog, &catalog.into())
        .num(Key::Items, i.items as f64)
        .num(Key::Laws, i.laws as f64)
        .num(Key::ArticlesCited, i.articles_cited as f64)
        .num(Key::Regions, i.regions as f64);
    o.into()
}
