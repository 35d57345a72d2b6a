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
//! index.diff(older);                             // what changed since an older PowerIndex
//! index.overlaps('CG-CF-014', '321281100');      // possible 多头执法 for an item page
//! ```

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::index::Index;
use crate::model::{LEVELS, TYPES};
use crate::search::SearchOptions;

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
}
export type QueryKind = "browse" | "code" | "citation" | "keyword" | "pinyin";
export interface Basis {
  law: string;
  article: number;
  paragraph: number | null;
  item: number | null;
  /** Official form: 《…》第三十六条第一款第（一）项 */
  citation: string;
  /** The whole article, paragraphs and items on separate lines (item(), get(); not in search hits). */
  text?: string;
  /** The cited paragraph or item, when narrower than the article (item(), get()). */
  cited_text?: string | null;
  /** The article's paragraphs (款), each with its items (项) (item(), get()). */
  paragraphs?: { text: string; items: string[] }[];
}
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
  bases: Basis[];
  keywords: string[];
  note: string;
  score: number;
  /** [start, end) in characters of name */
  highlights: [number, number][];
}
export interface Suggestion { code: string; name: string; }
export interface CitedArticle {
  law: string;
  article: number | null;
  paragraph: number | null;
  item: number | null;
  text: string | null;
  /** The article's paragraphs (款), each with its items (项). */
  paragraphs: { text: string; items: string[] }[];
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
}
export interface Region { code: string; name: string; parent: string | null; }
export interface RegionHandler { code: string; name: string; handled_by: string; handled_mode: string | null; own: boolean; }
export interface RegionCount { code: string; name: string; items: number; }
export interface CatalogInfo { name: string; version: string; date: string; }
export interface ItemRef { code: string; name: string; }
export interface Handling { body: string; mode: string; }
/** What changed from an older version of the catalog to this one; lists ordered by code. */
export interface Diff {
  old: CatalogInfo;
  new: CatalogInfo;
  counts: { added: number; removed: number; recoded: number; renamed: number; rebased: number; changed: number; reassigned: number };
  added: ItemRef[];
  removed: ItemRef[];
  recoded: { old_code: string; new_code: string; name: string }[];
  renamed: { code: string; old_name: string; new_name: string }[];
  /** Every citation before and after. */
  rebased: { code: string; name: string; old: string[]; new: string[] }[];
  /** attr: "type" | "field" | "level" | "department" | "keywords" */
  changed: { code: string; name: string; changes: { attr: string; old: string; new: string }[] }[];
  /** Per region: assignments added (old null), removed (new null) or changed. */
  reassigned: { region: string; name: string; changes: { code: string; name: string; old: Handling | null; new: Handling | null }[] }[];
}
/** "same_unit": same article, paragraph and item (likely 多头执法); "same_article": same article only. */
export type OverlapLevel = "same_unit" | "same_article";
/** Possible overlaps of one item (same power type only). */
export interface ItemOverlaps {
  code: string;
  /** Who handles this item in the region (else its department). */
  handled_by: string;
  /** One entry per other item; provisions: its citations of the articles both items cite. */
  shared: { level: OverlapLevel; code: string; name: string; provisions: string[]; handled_by: string; same_body: boolean }[];
  /** Near-identical names (core names equal, or character-bigram Jaccard >= 0.8). */
  similar: { code: string; name: string; similarity: number }[];
}
export interface Stats {
  built_with: string;
  format_version: number;
  bytes: number;
  catalog: CatalogInfo;
  items: number;
  laws: number;
  articles_cited: number;
  regions: number;
  assignments: number;
  by_field: Record<string, number>;
  by_type: Record<string, number>;
  by_level: Record<string, number>;
  /** Items citing each law. */
  by_law: Record<string, number>;
  /** Items per default department (实施主体). */
  by_department: Record<string, number>;
  /** Assignments per handling body (承办主体). */
  by_body: Record<string, number>;
  /** Townships (9-digit codes): items exercised there (own) and above. */
  townships: TownshipStats[];
  /** Counties: items devolved to at least one of their townships, and the share. */
  counties: CountyStats[];
}
export interface TownshipStats { code: string; name: string; county: string; own: number; above: number; }
/** A region's list for publication: items it exercises itself, and those handled above. */
export interface LocalList { code: string; full_name: string; own: Item[]; above: Item[]; }
export interface CountyStats { code: string; name: string; townships: number; items: number; devolved: number; share: number; }
"#;

fn js_err(e: crate::Error) -> JsError {
    JsError::new(&e.to_string())
}

fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsError> {
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    v.serialize(&ser)
        .map_err(|e| JsError::new(&format!("cannot convert the result for JavaScript: {e}")))
}

fn parse_options(v: Option<JsValue>) -> Result<SearchOptions, JsError> {
    let Some(v) = v.filter(|v| !v.is_undefined() && !v.is_null()) else {
        return Ok(SearchOptions::default());
    };
    serde_wasm_bindgen::from_value(v).map_err(|e| {
        JsError::new(&format!(
            "invalid search options ({e}); expected {{field?, type?, level?, region?: string, limit?, offset?: number}}"
        ))
    })
}

/// A loaded index.
#[wasm_bindgen]
pub struct PowerIndex {
    inner: Index,
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
    /// Validates and loads an index. Throws an `Error` saying what is wrong with the bytes; its
    /// `code` property is `"empty"`, `"not-index"`, `"version"` or `"corrupt"`.
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: &[u8]) -> Result<PowerIndex, JsValue> {
        Index::from_bytes(bytes)
            .map(|inner| PowerIndex { inner })
            .map_err(|e| {
                let code = match &e {
                    crate::Error::Index(m) if m.contains("the index is empty") => "empty",
                    crate::Error::Index(m) if m.contains("not a powerlist index") => "not-index",
                    crate::Error::Index(m) if m.contains("format version") => "version",
                    _ => "corrupt",
                };
                let err = js_sys::Error::new(&e.to_string());
                err.set_name("PowerlistIndexError");
                let _ = js_sys::Reflect::set(
                    &err,
                    &JsValue::from_str("code"),
                    &JsValue::from_str(code),
                );
                err.into()
            })
    }

    /// Searches; hits are full items with who handles them in `options.region`.
    #[wasm_bindgen(unchecked_return_type = "SearchResult")]
    pub fn search(
        &self,
        query: &str,
        #[wasm_bindgen(unchecked_param_type = "SearchOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsError> {
        let opts = parse_options(options)?;
        to_js(&self.inner.search_view(query, &opts).map_err(js_err)?)
    }

    /// Searches, returning only ids and scores.
    #[wasm_bindgen(js_name = searchIds)]
    pub fn search_ids(
        &self,
        query: &str,
        #[wasm_bindgen(unchecked_param_type = "SearchOptions")] options: Option<JsValue>,
    ) -> Result<SearchIds, JsError> {
        let opts = parse_options(options)?;
        let r = self.inner.search_ids(query, &opts).map_err(js_err)?;
        Ok(SearchIds {
            total: r.total,
            ids: r.hits.iter().map(|h| h.id).collect(),
            scores: r.hits.iter().map(|h| h.score).collect(),
        })
    }

    /// One item by id (from `searchIds`).
    #[wasm_bindgen(unchecked_return_type = "Item")]
    pub fn item(&self, id: u32, region: Option<String>) -> Result<JsValue, JsError> {
        if id as usize >= self.inner.item_count() {
            return Err(JsError::new(&format!(
                "no item has id {id}; ids run from 0 to {}",
                self.inner.item_count()
            )));
        }
        to_js(
            &self
                .inner
                .item_view(id, region.as_deref(), None)
                .map_err(js_err)?,
        )
    }

    /// One item by code (case-insensitive). Throws when no item has that code.
    #[wasm_bindgen(unchecked_return_type = "Item")]
    pub fn get(&self, code: &str, region: Option<String>) -> Result<JsValue, JsError> {
        to_js(&self.inner.get(code, region.as_deref()).map_err(js_err)?)
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

    /// Every region, parents before children.
    #[wasm_bindgen(unchecked_return_type = "Region[]")]
    pub fn regions(&self) -> Result<JsValue, JsError> {
        #[derive(Serialize)]
        struct R {
            code: String,
            name: String,
            parent: Option<String>,
        }
        let list: Vec<R> = self
            .inner
            .region_list()
            .into_iter()
            .map(|(code, name, parent)| R { code, name, parent })
            .collect();
        to_js(&list)
    }

    /// Who handles item `code` in each township of `region`'s county (or below `region`).
    #[wasm_bindgen(unchecked_return_type = "RegionHandler[]")]
    pub fn handlers(&self, code: &str, region: &str) -> Result<JsValue, JsError> {
        to_js(&self.inner.handlers_below(code, region).map_err(js_err)?)
    }

    /// For each region below `region` (or beside a township), how many items it handles itself.
    #[wasm_bindgen(unchecked_return_type = "RegionCount[]")]
    pub fn devolved(&self, region: &str) -> Result<JsValue, JsError> {
        to_js(&self.inner.devolved_counts(region).map_err(js_err)?)
    }

    /// What changed from `older` (an earlier version of the catalog) to this index.
    #[wasm_bindgen(unchecked_return_type = "Diff")]
    pub fn diff(&self, older: &PowerIndex) -> Result<JsValue, JsError> {
        to_js(&crate::diff::diff(&older.inner, &self.inner).map_err(js_err)?)
    }

    /// Possible overlaps of item `code`: same-type items citing its articles, with who handles
    /// them in `region`, and items with near-identical names. Throws for an unknown code.
    #[wasm_bindgen(unchecked_return_type = "ItemOverlaps")]
    pub fn overlaps(&self, code: &str, region: Option<String>) -> Result<JsValue, JsError> {
        to_js(
            &self
                .inner
                .item_overlaps(code, region.as_deref())
                .map_err(js_err)?,
        )
    }

    /// A township's or county's list for publication: the items it exercises itself and those
    /// handled above (the same as `powerlist export --html`).
    #[wasm_bindgen(js_name = localList, unchecked_return_type = "LocalList")]
    pub fn local_list(&self, region: &str) -> Result<JsValue, JsError> {
        to_js(&self.inner.local_list(region).map_err(js_err)?)
    }

    /// What the index holds.
    #[wasm_bindgen(unchecked_return_type = "Stats")]
    pub fn stats(&self) -> Result<JsValue, JsError> {
        to_js(&self.inner.stats())
    }

    /// Number of items.
    #[wasm_bindgen(getter, js_name = itemCount)]
    pub fn item_count(&self) -> usize {
        self.inner.item_count()
    }
}

/// The powerlist version of this module.
#[wasm_bindgen]
pub fn version() -> String {
    crate::VERSION.to_string()
}

/// The index format version this module reads.
#[wasm_bindgen(js_name = formatVersion)]
pub fn format_version() -> u32 {
    crate::format::FORMAT_VERSION
}
