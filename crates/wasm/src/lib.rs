//! Browser bindings (`wasm-bindgen`). The same [`Index`] and search code as the CLI.
//!
//! ```js
//! import init, { PowerIndex } from './pkg/powerlist.js';
//! await init();
//! const bytes = new Uint8Array(await (await fetch('catalog.idx')).arrayBuffer());
//! const index = new PowerIndex(bytes);          // throws Error with the full message if invalid
//! const r = index.search('占道经营', { region: '321281100', limit: 10 });
//! r.hits[0].handled_by;                          // who handles it in that township
//! const fast = index.searchIds('zdjy');          // typed arrays, no strings built
//! index.item(fast.ids[0], '321281100');
//! index.info().catalog.version;                  // the catalog's name, version, date; counts
//! ```
//!
//! With the `maintainer` feature (the module in `www/pkg/admin/`, a superset) it also has what
//! the maintainer views need — `stats`, `diff`, `amendment`, `overlaps`, `localList`,
//! `devolved` — see the `maintainer` module:
//!
//! ```js
//! import init, { PowerIndex } from './pkg/admin/powerlist.js';
//! await init();
//! const index = new PowerIndex(bytes);
//! index.diff(older);                             // what changed since an older PowerIndex
//! index.amendment(lawBytes);                     // what a new text of a cited law changes
//! index.overlaps('CG-CF-014', '321281100');      // possible 多头执法 for an item page
//! ```

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use powerlist::date::Date;
use powerlist::index::Index;
use powerlist::model::{LEVELS, TYPES};
use powerlist::search::SearchOptions;
use powerlist::text::CharHasher;

mod chunks;
pub use chunks::needed_chunks;
mod js;
use js::{Key, Obj};
#[cfg(feature = "maintainer")]
mod maintainer;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
/** Search options; every filter is an exact name from the catalog. */
export interface SearchOptions {
  field?: string;
  type?: string;
  level?: string;
  /** Division code or name: hits then say who handles them there. */
  region?: string;
  /** Hits to return (default 20). */
  limit?: number;
  offset?: number;
  /**
   * The day the hits' handlers are for, YYYY-MM-DD (the page passes today's local date).
   * Default: the latest state the catalog knows (an assignment taken back no longer holds).
   */
  date?: string;
}
export type QueryKind = "browse" | "code" | "citation" | "keyword" | "pinyin";
/** A paragraph (款) of an article, with its items (项), each a whole line: （一）… */
export interface Paragraph { text: string; items: string[]; }
/** Where a citation points in an article: indexes (from 0) into its paragraphs and their items. */
export interface CitedPosition {
  paragraph: number;
  /** null: the whole paragraph. */
  item: number | null;
}
export interface Basis {
  law: string;
  article: number;
  /** Paragraph (款) and item (项) cited, from 1. */
  paragraph: number | null;
  item: number | null;
  /** Official form: 《…》第三十六条第一款第（一）项 */
  citation: string;
  /** The whole article: 《…》第三十六条. As a query, it finds every item citing the article. */
  article_citation: string;
  /** The whole article, paragraphs and items on separate lines (item(), get(); not in search hits). */
  text?: string;
  /** The cited paragraph or item, when narrower than the article (item(), get()). */
  cited_text?: string;
  /** Where the cited paragraph or item sits in `paragraphs`, when narrower than the article (item(), get()). */
  cited?: CitedPosition;
  /** The article's paragraphs (款), each with its items (项) (item(), get()). */
  paragraphs?: Paragraph[];
  /** The citation with the version of the law's text after the title: 《…》（2013年修正）第三十九条 (citation when the version is not known). */
  versioned_citation: string;
  /** Which text of the law the catalog holds; null when not known. */
  version: LawVersion | null;
  /** Set when a newer text has replaced the one quoted (the article text is then the older one's). */
  superseded: Superseded | null;
}
/** Which text of a law a catalog holds. */
export interface LawVersion {
  /** The text's date, YYYY-MM-DD. */
  date: string;
  /** 通过, 公布, 发布, 修订 or 修正, as the law file's history line of that date says; "" when none has that date. */
  kind: string;
  /** How pages name the version after the title: 2013年修正, or 2016年文本 when the kind is not known. */
  label: string;
  /** Where the text was taken from (laws/MANIFEST.tsv's source_path); "" when the catalog does not say. */
  source: string;
}
/** A newer text has replaced a law's: its date (YYYY-MM-DD) and a short note (may be ""). */
export interface Superseded { date: string; note: string; }
/**
 * An item as search hits, item() and get() return it: a fresh object each time, whose nested
 * arrays (level, bases, keywords, paragraphs, duties, accountability) are shared with later
 * results and frozen.
 */
export interface Item {
  code: string;
  name: string;
  type: string;
  field: string;
  level: string[];
  department: string;
  handled_by: string;
  handled_mode: string | null;
  handled_region: string | null;
  /**
   * How to reach handled_by (the catalog's bodies table), the item's own consult_phone and
   * place taking precedence over the body's phone and address; null when nothing is known
   * (then point to the 12345 hotline). Empty strings are unknown.
   */
  contact: Contact | null;
  /** The item's own 咨询电话, 监督电话 and 办理地点 ('' when the catalog gives none). */
  consult_phone: string;
  complaint_phone: string;
  place: string;
  bases: Basis[];
  keywords: string[];
  note: string;
  score: number;
  /** [start, end) in characters of name */
  highlights: [number, number][];
  /**
   * The responsibility list (责任清单): its 责任事项 (the duties in exercising the power:
   * 受理责任、审查责任…) and 追责情形 (what leads to accountability), one entry each, to be
   * shown as text (item(), get(); absent in search hits and when the catalog gives none).
   */
  duties?: string[];
  accountability?: string[];
  /**
   * With a region: the item's assignments there and above it that have a period or a
   * document (赋权, 上收), nearest region first, each region's by date; [] otherwise.
   */
  periods: Period[];
}
/** An assignment with a period or a document (dates are YYYY-MM-DD). */
export interface Period {
  /** The region whose assignment it is. */
  region: string;
  region_name: string;
  body: string;
  /** 赋权, 委托…, or null. */
  mode: string | null;
  /** The first day it holds, if given. */
  from: string | null;
  /** The first day it no longer holds: taken back (上收) from that day. */
  until: string | null;
  /** The last day it holds (the day before until). */
  through: string | null;
  /** On the day asked about: it holds, was taken back, or begins later. */
  state: "current" | "ended" | "pending";
  /** The document that made it (文件文号), and the one that ended it (收回文件). */
  document: OfficialDocument | null;
  end_document: OfficialDocument | null;
  /** The catalog's note (备注), '' when none. */
  note: string;
}
/** A document (文件): its number (文号), date (发文日期) and the document it rests on (依据文件, ''). */
export interface OfficialDocument { number: string; date: string | null; basis: string; }
/** How to reach a body: '' when unknown; url is http:// or https:// (checked when built). */
export interface Contact { phone: string; address: string; hours: string; url: string; }
export interface Suggestion { code: string; name: string; }
export interface CitedArticle {
  law: string;
  article: number | null;
  paragraph: number | null;
  item: number | null;
  /** The article's text (null when only a law was asked for, or the index lacks the article). */
  text: string | null;
  /** The article's paragraphs (款), each with its items (项); empty only when text is null. */
  paragraphs: Paragraph[];
  /** What was asked for in official form: 《…》第二十七条第一款第（一）项 (《…》 for a whole law). */
  title: string;
  /** Where the paragraph or item asked for sits in `paragraphs`, when narrower than the article. */
  cited: CitedPosition | null;
  /** No item cites the paragraph or item asked for: the hits cite the article's other parts. */
  uncited: boolean;
  /**
   * Each article asked for whose text the index has, in the order asked, each once, at most 5
   * (大气法第18条、第19条: both, each labelled); for one article, the same text as `text`.
   */
  articles: ArticleText[];
}
/** One article of a citation query, with its text. */
export interface ArticleText {
  /** The whole article's citation: 《中华人民共和国大气污染防治法》第十九条. */
  title: string;
  article: number;
  text: string;
  paragraphs: Paragraph[];
  /** Where the one paragraph or item asked for in this article sits in `paragraphs`, when narrower than the article. */
  cited: CitedPosition | null;
}
export interface SearchResult {
  total: number;
  hits: Item[];
  facets: { field: Record<string, number>; type: Record<string, number>; level: Record<string, number> };
  kind: QueryKind;
  suggestions: Suggestion[];
  citation: CitedArticle | null;
  relaxed: boolean;
  /** How many of `total` match every part of the query; the hits after them match most of it. */
  strict: number;
  /** The query as searched, when it matched no item whole and a keyboard slip was corrected (占到经营 → 占道经营): the hits are the correction's. */
  corrected: string | null;
  /**
   * The Chinese word a corrected pinyin query spells and the hits are for (lajii → laji → 垃圾),
   * to show instead of `corrected`; null when it spells no one word (jiance: 检测 and 监测) or
   * the correction is not pinyin.
   */
  corrected_word: string | null;
  /**
   * The query asked how to reach a body (城管电话, 环保局在哪): the hits are for the rest of it
   * (城管); each hit's handled_by and contact say how to reach whoever handles it.
   */
  contact: boolean;
}
export interface Region {
  code: string; name: string; parent: string | null;
  /** How many regions below it `regions()` leaves out (a county's townships, given by `regionsNear`). */
  more?: number;
}
export interface RegionHandler {
  code: string;
  name: string;
  handled_by: string;
  handled_mode: string | null;
  own: boolean;
  /** How to reach handled_by there (as Item.contact); null when nothing is known (then 12345). */
  contact: Contact | null;
}
export interface CatalogInfo { name: string; version: string; date: string; }
/** What an index is, in numbers that need no pass over its items (the first fields of Stats). */
export interface IndexInfo {
  built_with: string;
  format_version: number;
  bytes: number;
  catalog: CatalogInfo;
  items: number;
  laws: number;
  articles_cited: number;
  regions: number;
}
"#;

fn js_err(e: powerlist::Error) -> JsError {
    chunks::note(&e);
    JsError::new(&e.to_string())
}

/// A failure to load bytes (an index, a core, a chunk) as a JS `Error` named
/// `PowerlistIndexError` whose `code` is [`powerlist::error::IndexError::code`].
pub(crate) fn load_error(e: powerlist::Error) -> JsValue {
    let code = e.index_error().map_or("corrupt", |i| i.code());
    let err = js_sys::Error::new(&e.to_string());
    err.set_name("PowerlistIndexError");
    let _ = js_sys::Reflect::set(&err, &JsValue::from_str("code"), &JsValue::from_str(code));
    err.into()
}

impl PowerIndex {
    fn wrap(inner: Index) -> PowerIndex {
        PowerIndex {
            inner,
            shown: RefCell::default(),
            keys: Keys::default(),
        }
    }
}

/// A maintainer's result for JavaScript, by serde (the citizen's results: see [`js`]).
#[cfg(feature = "maintainer")]
fn to_js<T: serde::Serialize>(v: &T) -> Result<JsValue, JsError> {
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    v.serialize(&ser)
        .map_err(|e| JsError::new(&format!("cannot convert the result for JavaScript: {e}")))
}

/// The options object, read property by property: `undefined` and `null` mean the default, as
/// does a missing property; other keys are ignored. (Read by hand rather than by serde: the
/// generic deserializer and its messages were a tenth of the module.)
fn parse_options(v: Option<JsValue>) -> Result<SearchOptions, JsError> {
    let Some(v) = v.filter(|v| !v.is_undefined() && !v.is_null()) else {
        return Ok(SearchOptions::default());
    };
    let invalid = |why: &str| {
        JsError::new(&format!(
            "invalid search options ({why}); expected {{field?, type?, level?, region?, date?: string, limit?, offset?: number}}"
        ))
    };
    if !v.is_object() || js_sys::Array::is_array(&v) {
        return Err(invalid("not an object"));
    }
    let value = |key: Key| {
        let x = js::get(&v, key);
        (!x.is_undefined() && !x.is_null()).then_some(x)
    };
    let text = |key: Key| match value(key) {
        None => Ok(None),
        Some(x) => x
            .as_string()
            .map(Some)
            .ok_or_else(|| invalid(&format!("{} is not a string", js::name(key)))),
    };
    let count = |key: Key| match value(key) {
        None => Ok(None),
        Some(x) => match x.as_f64() {
            Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= u32::MAX as f64 => Ok(Some(n as usize)),
            _ => Err(invalid(&format!(
                "{} is not a whole number from 0",
                js::name(key)
            ))),
        },
    };
    Ok(SearchOptions {
        field: text(Key::Field)?,
        kind: text(Key::Type)?,
        level: text(Key::Level)?,
        region: text(Key::Region)?,
        limit: count(Key::Limit)?,
        offset: count(Key::Offset)?,
        date: match text(Key::Date)? {
            Some(d) => Some(
                d.parse::<Date>()
                    .map_err(|_| invalid(&format!("date \"{d}\" is not YYYY-MM-DD")))?,
            ),
            None => None,
        },
    })
}

/// A date argument: `YYYY-MM-DD`, or none (`undefined`, `null`, `''`).
fn date_arg(date: Option<String>) -> Result<Option<Date>, JsError> {
    match date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => d.parse::<Date>().map(Some).map_err(js_err),
        None => Ok(None),
    }
}

/// A loaded index.
#[wasm_bindgen]
pub struct PowerIndex {
    inner: Index,
    shown: RefCell<Shown>,
    keys: Keys,
}

/// Facet names and values as JS strings, made once: the same few dozen strings are set on
/// every search result. Sorted by name (found by binary search: a map of its own was 3 KB of the
/// module).
#[derive(Default)]
struct Keys(RefCell<Vec<(String, JsValue)>>);

impl PowerIndex {
    /// `obj[key] = value`, with `key` made into a JS string once per index.
    fn set_key(&self, obj: &js_sys::Object, key: &str, value: &JsValue) {
        let mut keys = self.keys.0.borrow_mut();
        match keys.binary_search_by(|(k, _)| k.as_str().cmp(key)) {
            Ok(i) => {
                let _ = js_sys::Reflect::set(obj, &keys[i].1, value);
            }
            Err(i) => {
                let k = JsValue::from_str(key);
                let _ = js_sys::Reflect::set(obj, &k, value);
                if keys.len() < 4096 {
                    keys.insert(i, (key.to_string(), k));
                }
            }
        }
    }
}

/// JavaScript objects already made for items, so that an item shown again (the next keystroke,
/// the next page, the same item page) is copied rather than decoded, formatted and converted
/// again: making hits' objects was most of what `search()` cost (in wasm, about 7 µs per hit to
/// build its view and 15 µs more to convert it, against one `Object.assign` for a copy).
///
/// The objects here are never handed out: every hit and every `item()` result is a fresh copy,
/// with its score, highlights and handling body set. Their nested arrays (`level`, `bases`,
/// `keywords`, `paragraphs`…) are shared between copies, so they are frozen.
#[derive(Default)]
struct Shown {
    /// Item id → a search hit's region-independent fields (bases as citations only).
    hits: HashMap<u32, js_sys::Object, BuildHasherDefault<CharHasher>>,
    /// Item id → `item()`'s fields without a region (bases with article texts).
    items: HashMap<u32, js_sys::Object, BuildHasherDefault<CharHasher>>,
}

impl Shown {
    /// Objects kept per kind; when full, the cache starts over (memory stays bounded at any
    /// catalog size).
    const CAP: usize = 8192;
}

/// Freezes `v` and, below it, every array and object (a shared template's nested values).
fn deep_freeze(v: &JsValue) {
    if !v.is_object() {
        return;
    }
    let obj = js_sys::Object::unchecked_from_js_ref(v);
    for value in js_sys::Object::values(obj).iter() {
        deep_freeze(&value);
    }
    js_sys::Object::freeze(obj);
}

/// Hit ids and scores as typed arrays: the cheap path for pages that render lazily.
#[wasm_bindgen]
pub struct SearchIds {
    total: usize,
    ids: Vec<u32>,
    scores: Vec<f32>,
}

#[wasm_bindgen]
impl SearchIds {
    /// Number of matching items.
    #[wasm_bindgen(getter)]
    pub fn total(&self) -> usize {
        self.total
    }
    /// Item ids, best first (pass them to `item`).
    #[wasm_bindgen(getter)]
    pub fn ids(&self) -> Vec<u32> {
        self.ids.clone()
    }
    /// Scores, parallel to `ids`.
    #[wasm_bindgen(getter)]
    pub fn scores(&self) -> Vec<f32> {
        self.scores.clone()
    }
}

#[wasm_bindgen]
impl PowerIndex {
    /// Loads an index. Throws an `Error` saying what is wrong with the bytes; its `code`
    /// property is `"empty"`, `"not-index"`, `"version"` or `"corrupt"`. Loading checks the
    /// header, the metadata and the codes and terms FSTs; postings, item records, regions and
    /// the pinyin FST are checked block by block as they are first read, so a search that reads damaged bytes throws instead of
    /// answering from them.
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: Vec<u8>) -> Result<PowerIndex, JsValue> {
        Index::from_vec(bytes)
            .map(PowerIndex::wrap)
            .map_err(load_error)
    }

    /// Checks about `bytes` more bytes of the index (postings, item records and regions are
    /// checked as they are first read; this checks the rest ahead of that) and returns whether
    /// all of it is checked now. Throws, with a message saying which section is damaged, when a
    /// block does not match its checksum. The page calls it between frames after loading.
    #[wasm_bindgen(js_name = verifySome)]
    pub fn verify_some(&self, bytes: usize) -> Result<bool, JsError> {
        self.inner.verify_some(bytes).map_err(js_err)
    }

    /// Searches; hits are full items with who handles them in `options.region`.
    #[wasm_bindgen(unchecked_return_type = "SearchResult")]
    pub fn search(
        &self,
        query: &str,
        #[wasm_bindgen(unchecked_optional_param_type = "SearchOptions | null")] options: Option<
            JsValue,
        >,
    ) -> Result<JsValue, JsError> {
        let opts = parse_options(options)?;
        let (r, facet_list) = self.inner.search_listed(query, &opts).map_err(js_err)?;
        let region = self.region_of(&opts)?;
        let date = opts.date;
        // A page of hits needs their records: ask for every chunk they are in at once.
        self.inner
            .need_items(r.hits.iter().map(|h| h.id))
            .map_err(js_err)?;
        let hits = js_sys::Array::new_with_length(r.hits.len() as u32);
        for (i, h) in r.hits.iter().enumerate() {
            let hit = Obj(self.copy_of(h.id, false, region, date)?);
            hit.num(Key::Score, f64::from(h.score));
            // Without highlights the template's own (frozen, empty) array stays.
            if !h.highlights.is_empty() {
                hit.val(Key::Highlights, &js::ranges(&h.highlights));
            }
            hits.set(i as u32, hit.into());
        }
        // The result object, property by property: facet names and values come from a small
        // fixed set, whose JS strings are made once.
        let facets = js_sys::Object::new();
        for (name, counts) in &facet_list {
            let o = js_sys::Object::new();
            for (value, n) in counts {
                self.set_key(&o, value, &JsValue::from(*n));
            }
            self.set_key(&facets, name, &o);
        }
        let out = Obj::new();
        out.num(Key::Total, r.total as f64)
            .val(Key::Hits, &hits)
            .val(Key::Facets, &facets)
            .val(Key::Kind, &js::kind(r.kind))
            .val(Key::Suggestions, &js::suggestions(&r.suggestions))
            .val(Key::Citation, &js::citation(r.citation.as_ref()))
            .val(Key::Relaxed, &JsValue::from_bool(r.relaxed))
            .num(Key::Strict, r.strict as f64)
            .opt_str(Key::Corrected, r.corrected.as_deref())
            .opt_str(Key::CorrectedWord, r.corrected_word.as_deref())
            .val(Key::Contact, &JsValue::from_bool(r.contact));
        Ok(out.into())
    }

    /// Searches, returning only ids and scores.
    #[wasm_bindgen(js_name = searchIds)]
    pub fn search_ids(
        &self,
        query: &str,
        #[wasm_bindgen(unchecked_optional_param_type = "SearchOptions | null")] options: Option<
            JsValue,
        >,
    ) -> Result<SearchIds, JsError> {
        let opts = parse_options(options)?;
        let r = self.inner.search_ids(query, &opts).map_err(js_err)?;
        Ok(SearchIds {
            total: r.total,
            ids: r.hits.iter().map(|h| h.id).collect(),
            scores: r.hits.iter().map(|h| h.score).collect(),
        })
    }

    /// One item by id (from `searchIds`), with who handles it in `region` on `date`
    /// (YYYY-MM-DD; default: the latest state the catalog knows).
    #[wasm_bindgen(unchecked_return_type = "Item")]
    pub fn item(
        &self,
        id: u32,
        region: Option<String>,
        date: Option<String>,
    ) -> Result<JsValue, JsError> {
        if id as usize >= self.inner.item_count() {
            return Err(JsError::new(&format!(
                "no item has id {id}; ids run from 0 to {}",
                self.inner.item_count()
            )));
        }
        let region = self.region_of(&SearchOptions {
            region,
            ..Default::default()
        })?;
        Ok(self.copy_of(id, true, region, date_arg(date)?)?.into())
    }

    /// One item by code (case-insensitive), as `item`. Throws when no item has that code.
    #[wasm_bindgen(unchecked_return_type = "Item")]
    pub fn get(
        &self,
        code: &str,
        region: Option<String>,
        date: Option<String>,
    ) -> Result<JsValue, JsError> {
        let id = self.inner.require_code(code).map_err(js_err)?;
        self.item(id, region, date)
    }

    /// The catalog's fields.
    pub fn fields(&self) -> Vec<String> {
        self.inner.fields().to_vec()
    }

    /// The ten power types.
    pub fn types(&self) -> Vec<String> {
        TYPES.iter().map(|s| s.to_string()).collect()
    }

    /// The four levels.
    pub fn levels(&self) -> Vec<String> {
        LEVELS.iter().map(|s| s.to_string()).collect()
    }

    /// Every region, parents before children; in a chunked index of many regions, the listed
    /// ones: a county whose townships the list leaves out has `more` (how many), and
    /// `regionsNear(code)` gives them. Throws when the regions section is damaged.
    #[wasm_bindgen(unchecked_return_type = "Region[]")]
    pub fn regions(&self) -> Result<JsValue, JsError> {
        Ok(js::regions(&self.inner.listed_regions().map_err(js_err)?))
    }

    /// The regions `regions()` leaves out near `code` (a code or name): a county's townships
    /// (and any region below them), or those of the county a township left out is in;
    /// parents before children; none when the list leaves nothing out there. Throws for an
    /// unknown region (and, in a chunked index, when the county's piece is still to fetch).
    #[wasm_bindgen(js_name = regionsNear, unchecked_return_type = "Region[]")]
    pub fn regions_near(&self, code: &str) -> Result<JsValue, JsError> {
        Ok(js::regions_near(
            &self.inner.regions_near(code).map_err(js_err)?,
        ))
    }

    /// Who handles item `code` in each township of `region`'s county (or below `region`) on
    /// `date` (YYYY-MM-DD; default: the latest state the catalog knows).
    #[wasm_bindgen(unchecked_return_type = "RegionHandler[]")]
    pub fn handlers(
        &self,
        code: &str,
        region: &str,
        date: Option<String>,
    ) -> Result<JsValue, JsError> {
        let date = date_arg(date)?;
        Ok(js::handlers(
            &self
                .inner
                .handlers_below(code, region, date)
                .map_err(js_err)?,
        ))
    }

    /// What the index is: its catalog, counts that need no pass over the items, its size and
    /// format. Throws when the regions section (whose regions it counts) is damaged.
    #[wasm_bindgen(unchecked_return_type = "IndexInfo")]
    pub fn info(&self) -> Result<JsValue, JsError> {
        Ok(js::info(&self.inner.info().map_err(js_err)?))
    }

    /// Number of items.
    #[wasm_bindgen(getter, js_name = itemCount)]
    pub fn item_count(&self) -> usize {
        self.inner.item_count()
    }
}

impl PowerIndex {
    /// The region asked for, as an index (an unknown region is an error, as in the CLI).
    fn region_of(&self, opts: &SearchOptions) -> Result<Option<u32>, JsError> {
        match opts
            .region
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
        {
            Some(r) => Ok(Some(self.inner.find_region(r).map_err(js_err)?)),
            None => Ok(None),
        }
    }

    /// A fresh object for item `id`: a copy of its cached template (made on first use; with
    /// article texts when `texts`), with the handling body for `region` on `date` set.
    fn copy_of(
        &self,
        id: u32,
        texts: bool,
        region: Option<u32>,
        date: Option<Date>,
    ) -> Result<js_sys::Object, JsError> {
        let mut shown = self.shown.borrow_mut();
        let cache = if texts {
            &mut shown.items
        } else {
            &mut shown.hits
        };
        let template = match cache.get(&id) {
            Some(t) => t.clone(),
            None => {
                let view = self
                    .inner
                    .view_of(id, None, None, None, texts)
                    .map_err(js_err)?;
                let t = js::item(&view).0;
                deep_freeze(&t);
                if cache.len() >= Shown::CAP {
                    cache.clear();
                }
                cache.insert(id, t.clone());
                t
            }
        };
        drop(shown);
        let out = Obj(js_sys::Object::assign(&js_sys::Object::new(), &template));
        if let Some(r) = region {
            let h = self.inner.handling(id, r, date).map_err(js_err)?;
            if let Some(by) = h.by {
                let contact = self.inner.contact(id, Some(r), date).map_err(js_err)?;
                out.str(Key::HandledBy, by)
                    .opt_str(Key::HandledMode, h.mode)
                    .opt_str(Key::HandledRegion, h.region)
                    .val(Key::Contact, &js::contact(contact.as_ref()));
            }
            let periods = self.inner.periods(id, r, date).map_err(js_err)?;
            if !periods.is_empty() {
                out.val(Key::Periods, &js::periods(&periods));
            }
        }
        Ok(out.0)
    }
}

/// The powerlist version of this module.
#[wasm_bindgen]
pub fn version() -> String {
    powerlist::VERSION.to_string()
}

/// The index format version this module reads.
#[wasm_bindgen(js_name = formatVersion)]
pub fn format_version() -> u32 {
    powerlist::format::FORMAT_VERSION
}
