//! The maintainer's methods, compiled only with the `maintainer` feature: what the statistics,
//! the changes between versions, the overlaps on an item page and the printable local list
//! need. scripts/build.sh builds the module twice: `www/pkg/` without them (what a citizen's
//! search and item pages load) and `www/pkg/admin/` with them, which the page loads only when
//! one of those views is first opened (www/admin-loader.js). The types of their results are
//! declared here, beside the module's other types in lib.rs, so both modules' `.d.ts` come from
//! this one source.

use wasm_bindgen::prelude::*;

use crate::{js_err, to_js, PowerIndex};

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
export interface RegionCount { code: string; name: string; items: number; }
export interface ItemRef { code: string; name: string; }
export interface Handling {
  body: string;
  /** 赋权, 委托…, or "". */
  mode: string;
  /** Both as one line: 戴窑镇综合行政执法局（赋权）, or the body alone. */
  label: string;
}
/** An attribute of an item, as Diff.changed names it. */
export type ItemAttr = "type" | "field" | "level" | "department" | "keywords";
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
  /** label: the attribute as readers know it (事项类型, 所属领域, 行使层级, 实施主体, 关键词); lists joined with 、. */
  changed: { code: string; name: string; changes: { attr: ItemAttr; label: string; old: string; new: string }[] }[];
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
/** What the index holds: its IndexInfo, and how its items, laws and assignments are distributed. */
export interface Stats extends IndexInfo {
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
  /** Every law of the catalog with the version of its text and the items citing it, most cited first. */
  law_texts: LawStats[];
}
/** A law of the catalog: which text it holds (version), whether a newer one replaced it, and how many items cite it. */
export interface LawStats { title: string; version: LawVersion | null; superseded: Superseded | null; articles: number; items: number; }
export interface TownshipStats { code: string; name: string; county: string; own: number; above: number; }
/** A region's list for publication: items it exercises itself, and those handled above. */
export interface LocalList { code: string; full_name: string; own: Item[]; above: Item[]; }
export interface CountyStats { code: string; name: string; townships: number; items: number; devolved: number; share: number; }
"#;

#[wasm_bindgen]
impl PowerIndex {
    /// For each region below `region` (or beside a township), how many items it handles itself.
    #[wasm_bindgen(unchecked_return_type = "RegionCount[]")]
    pub fn devolved(&self, region: &str) -> Result<JsValue, JsError> {
        to_js(&self.inner.devolved_counts(region).map_err(js_err)?)
    }

    /// What changed from `older` (an earlier version of the catalog) to this index.
    #[wasm_bindgen(unchecked_return_type = "Diff")]
    pub fn diff(&self, older: &PowerIndex) -> Result<JsValue, JsError> {
        to_js(&powerlist::diff::diff(&older.inner, &self.inner).map_err(js_err)?)
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

    /// What the index holds. Throws when a section it is counted from is damaged.
    #[wasm_bindgen(unchecked_return_type = "Stats")]
    pub fn stats(&self) -> Result<JsValue, JsError> {
        to_js(&self.inner.stats().map_err(js_err)?)
    }
}
