//! The maintainer's methods, compiled only with the `maintainer` feature: what the statistics,
//! the changes between versions, what an amendment of a law changes, the overlaps on an item
//! page and the printable local list need. scripts/build.sh builds the module twice:
//! `www/pkg/` without them (what a citizen's search and item pages load) and `www/pkg/admin/`
//! with them, which the page loads only when one of those views is first opened
//! (www/admin-loader.js). The types of their results are declared here, beside the module's
//! other types in lib.rs, so both modules' `.d.ts` come from this one source.

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
export type ItemAttr = "type" | "field" | "level" | "department" | "keywords" | "duties" | "accountability" | "consult_phone" | "complaint_phone" | "place";
/** A cited law whose text is another version in this catalog (labels such as 2013年修正; null when unknown), or whose superseded date (YYYY-MM-DD) changed; items: this version's items citing it. */
export interface LawChange { title: string; old: string | null; new: string | null; old_superseded: string | null; new_superseded: string | null; items: string[]; /** All of it as one line: 《…》2013年修正 → 2025年修订. */ summary: string; }
/** What changed from an older version of the catalog to this one; lists ordered by code. */
export interface Diff {
  old: CatalogInfo;
  new: CatalogInfo;
  counts: { added: number; removed: number; recoded: number; renamed: number; rebased: number; changed: number; reassigned: number; laws: number };
  added: ItemRef[];
  removed: ItemRef[];
  recoded: { old_code: string; new_code: string; name: string }[];
  renamed: { code: string; old_name: string; new_name: string }[];
  /** Every citation before and after. */
  rebased: { code: string; name: string; old: string[]; new: string[] }[];
  /** label: the attribute as readers know it (事项类型, 所属领域, 行使层级, 实施主体, 关键词, 责任事项, 追责情形, 咨询电话, 监督电话, 办理地点); lists joined with 、 (duties with ；). */
  changed: { code: string; name: string; changes: { attr: ItemAttr; label: string; old: string; new: string }[] }[];
  /** Cited laws whose text is another version, by title. */
  laws: LawChange[];
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
/** Township assignments that began (下放) and were taken back (上收) from `from` to `to` (YYYY-MM-DD, both counted). */
export interface Devolution {
  from: string;
  to: string;
  devolved: number;
  taken_back: number;
  counties: CountyDevolution[];
}
export interface CountyDevolution {
  code: string;
  name: string;
  devolved: number;
  taken_back: number;
  devolved_items: DevolvedItem[];
  taken_back_items: DevolvedItem[];
}
/** An item devolved to (or taken back from) some townships: how many, on which days, by which documents (文号). */
export interface DevolvedItem { code: string; name: string; townships: number; dates: string[]; documents: string[]; }
/** What became of a cited unit: the same text at the same number, another text there, at another number (text changed or not), or nowhere. */
export type UnitStatus = "unchanged" | "changed" | "moved" | "gone";
/** A cited unit's place; label in the official form (第三十六条第一款第（一）项). */
export interface UnitAt { article: number; paragraph: number | null; item: number | null; label: string; }
/** A run of the character difference: the old text is the same and delete runs, the new text the same and insert runs. */
export interface TextEdit { kind: "same" | "delete" | "insert"; text: string; }
export interface UnitChange {
  status: UnitStatus;
  old: UnitAt;
  /** null when gone. */
  new: UnitAt | null;
  old_text: string;
  new_text: string | null;
  text_changed: boolean;
  /** Character-bigram Dice similarity of the old and new text, two decimals (1: the same text; 0: gone). */
  similarity: number;
  /** Empty unless the text changed (and is not gone). */
  edits: TextEdit[];
  /** When gone: what the new text has at the old number. */
  now_at_old_number: string | null;
  items: ItemRef[];
}
/** What a new text of a cited law changes for the catalog: every cited unit, in the order of the old references. */
export interface Amendment {
  law: string;
  new_title: string;
  old_articles: number;
  new_articles: number;
  /** items: items citing a unit that changed, moved or is gone. */
  counts: { units: number; unchanged: number; changed: number; moved: number; gone: number; items: number };
  units: UnitChange[];
}
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

    /// What the new text of a law the catalog cites (`law`: the file's bytes, Markdown as in
    /// `data/laws/` or plain text with the title first) changes for the catalog: every cited
    /// article, paragraph and item, unchanged, changed, moved or gone, with the items citing it
    /// (the same as `powerlist amend --json`). Throws, saying why and what to do, for a text
    /// that is too large, not UTF-8, not a law, or a law the catalog does not cite.
    #[wasm_bindgen(unchecked_return_type = "Amendment")]
    pub fn amendment(&self, law: &[u8]) -> Result<JsValue, JsError> {
        to_js(&powerlist::amendment::amendment(&self.inner, law).map_err(js_err)?)
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
    /// handled above (the same as `powerlist export --html`), on `date` (YYYY-MM-DD; default:
    /// the latest state the catalog knows).
    #[wasm_bindgen(js_name = localList, unchecked_return_type = "LocalList")]
    pub fn local_list(&self, region: &str, date: Option<String>) -> Result<JsValue, JsError> {
        let date = crate::date_arg(date)?;
        to_js(&self.inner.local_list_on(region, date).map_err(js_err)?)
    }

    /// Per county, the township assignments that began (下放) and those taken back (上收) from
    /// `from` to `to` (YYYY-MM-DD, both counted), the same as `powerlist stats --from --to`.
    #[wasm_bindgen(unchecked_return_type = "Devolution")]
    pub fn devolution(&self, from: &str, to: &str) -> Result<JsValue, JsError> {
        let day = |d: &str| d.parse::<powerlist::date::Date>().map_err(js_err);
        to_js(
            &self
                .inner
                .devolution_between(day(from)?, day(to)?)
                .map_err(js_err)?,
        )
    }

    /// What the index holds. Throws when a section it is counted from is damaged.
    #[wasm_bindgen(unchecked_return_type = "Stats")]
    pub fn stats(&self) -> Result<JsValue, JsError> {
        to_js(&self.inner.stats().map_err(js_err)?)
    }
}
