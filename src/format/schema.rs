//! The on-disk schema: what each section of an index holds, as the writer encodes it
//! (`postcard`) and [`crate::Index`] decodes it, and the key and field numbers of the postings.

use serde::{Deserialize, Serialize};

/// Field numbers in postings slots.
pub const FIELD_NAME: u32 = 0;
/// Keywords field.
pub const FIELD_KEYWORDS: u32 = 1;
/// Legal basis field (citation and cited text).
pub const FIELD_BASIS: u32 = 2;
/// Department field.
pub const FIELD_DEPT: u32 = 3;

/// Key prefix: literal character bigram (or a single character ending a run).
pub const KEY_LITERAL: u8 = 1;
/// Key prefix: full pinyin window, syllables separated by [`PINYIN_SEP`].
pub const KEY_PINYIN: u8 = 2;
/// Key prefix: pinyin initials window.
pub const KEY_INITIALS: u8 = 3;
/// Key prefix: a whole keyword (for the exact-keyword boost).
pub const KEY_KEYWORD: u8 = 4;
/// Key prefix: law (u16 BE) and article (u32 BE) → the items citing it (no positions).
pub const KEY_CITE: u8 = 5;
/// Key prefix: cited unit (u32 BE; an article, paragraph or item as cited) → the items citing it.
pub const KEY_UNIT: u8 = 6;
/// Key prefix (in the pinyin FST): a character (UTF-8), then its syllable — how the query's
/// characters are read when they spell nothing in the catalog (`占到` → `zhan`, `dao`).
pub const KEY_READING: u8 = 7;
/// Separates syllables in full-pinyin keys.
pub const PINYIN_SEP: u8 = b'\'';
/// Syllables per pinyin key.
pub const MAX_PINYIN_WINDOW: usize = 6;

/// What a catalog says about itself (`catalog.txt` in the catalog directory).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogInfo {
    /// The catalog's name, e.g. `泰州市乡镇（街道）综合行政执法事项清单（示例）`.
    /// The name.
    pub name: String,
    /// The catalog's version, e.g. `2025.1`.
    /// The powerlist version that wrote the index.
    pub version: String,
    /// The date of that version, `YYYY-MM-DD`.
    pub date: String,
}

/// Catalog-wide metadata.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Meta {
    /// The powerlist version that wrote the index.
    pub version: String,
    /// What the catalog says about itself.
    pub catalog: CatalogInfo,
    /// How many items the catalog has.
    pub item_count: u32,
    /// The fields (领域), in the order [`ItemAttr::field`] numbers them.
    pub fields: Vec<String>,
    /// The laws cited, in the order [`BasisRecord::law`] numbers them.
    pub laws: Vec<LawMeta>,
    /// Every cited article as (law, article), in the order of the article-texts section.
    pub article_keys: Vec<(u16, u32)>,
    /// The length in characters of each cited unit (for BM25 over the legal-text field).
    pub unit_lens: Vec<u32>,
    /// Traditional → simplified pairs for the characters the catalog uses.
    pub t2s: Vec<(char, char)>,
    /// The pinyin syllables the catalog spells (for segmenting a pinyin query).
    pub syllables: Vec<String>,
    /// The average length of each field, for BM25.
    pub avg_len: [f32; 4],
    /// Words a query drops (`请问`, `找哪个部门`), folded, longest first (from the catalog's
    /// `lexicon.tsv`).
    pub fillers: Vec<String>,
    /// How to reach the departments (实施主体) the catalog's `bodies` table gives a contact
    /// for, sorted by name: here, so an item's page without a region reads nothing more.
    pub departments: Vec<(String, Contact)>,
    /// The short names each law's file declares (`简称：消法`), in the order of `laws`
    /// (an empty list when no law declares any).
    pub law_names: Vec<Vec<String>>,
}

/// A cited law.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LawMeta {
    /// The law's title, without 《》.
    pub title: String,
    /// How many articles it has.
    pub articles: u32,
    /// Which text of the law the catalog holds, when known (`laws/MANIFEST.tsv` or the file's
    /// history lines); [`LawMeta::version`] gives it with its label.
    pub text: Option<TextVersion>,
    /// Set when the law's file declares that a newer text has replaced this one.
    pub superseded: Option<crate::law::Superseded>,
}

/// Which text of a law the catalog holds, as the index keeps it (the label is derived: see
/// [`crate::law::LawVersion`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextVersion {
    /// The text's date, `YYYY-MM-DD`.
    pub date: String,
    /// 通过, 公布, 发布, 修订 or 修正; empty when not known.
    pub kind: String,
    /// Where the text was taken from; may be empty.
    pub source: String,
}

impl LawMeta {
    /// The version of the law's text, with its label (`2013年修正`), when known.
    pub fn version(&self) -> Option<crate::law::LawVersion> {
        let t = self.text.as_ref()?;
        Some(crate::law::LawVersion::new(&t.date, &t.kind, &t.source))
    }
}

/// Fixed per-item attributes used while ranking and filtering.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct ItemAttr {
    /// The power type, an index into [`crate::model::TYPES`].
    pub kind: u8,
    /// The levels that exercise it, one bit each (see [`crate::model::level_bit`]).
    pub levels: u8,
    /// The field, an index into [`Meta::fields`].
    pub field: u16,
    /// The length of each search field (name, keywords, basis, department).
    pub lens: [u16; 4],
}

/// An item's strings, decoded when it is shown.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ItemRecord {
    /// The code.
    pub code: String,
    /// The name.
    pub name: String,
    /// The department that exercises it by default.
    pub department: String,
    /// Everyday words that find it.
    pub keywords: Vec<String>,
    /// A free note.
    pub note: String,
    /// Its legal bases.
    pub bases: Vec<BasisRecord>,
    /// Its own consultation phone (咨询电话), empty when the catalog gives none.
    pub consult_phone: String,
    /// Its own complaint phone (监督电话), empty when the catalog gives none.
    pub complaint_phone: String,
    /// Where it is handled (办理地点), empty when the catalog gives none.
    pub place: String,
    /// Its 责任事项 (the duties in exercising it), one entry each; empty when the catalog
    /// gives none.
    pub duties: Vec<String>,
    /// Its 追责情形 (what leads to accountability), one entry each; empty when the catalog
    /// gives none.
    pub accountability: Vec<String>,
}

/// How to reach a handling body (the catalog's `bodies` table); empty strings are unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// Phone (电话): digits, `-`, spaces, an extension after `转`.
    pub phone: String,
    /// Address (地址), plain text.
    pub address: String,
    /// Office hours (办公时间).
    pub hours: String,
    /// Web page (网址), `http://` or `https://`.
    pub url: String,
}

/// A body's contact, by the body's number (an index into [`RegionsSection::bodies`], or into a
/// chunked index's bodies).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BodyContact {
    /// The body.
    pub body: u32,
    /// How to reach it.
    pub contact: Contact,
}

/// One legal basis of an item.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct BasisRecord {
    /// The law, an index into [`Meta::laws`].
    pub law: u16,
    /// The article number.
    pub article: u32,
    /// The paragraph (款), when cited.
    pub paragraph: Option<u32>,
    /// The item (项), when cited.
    pub item: Option<u32>,
}

/// A region (行政区划).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RegionRecord {
    /// The code.
    pub code: String,
    /// The name.
    pub name: String,
    /// The parent region, an index into [`RegionsSection::regions`].
    pub parent: Option<u32>,
}

/// An item assigned to a body in a region.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct AssignRecord {
    /// The region, an index into [`RegionsSection::regions`].
    pub region: u32,
    /// The item, by id.
    pub item: u32,
    /// The handling body, an index into [`RegionsSection::bodies`].
    pub body: u32,
    /// How it holds the power (赋权, 委托…), an index into [`RegionsSection::bodies`].
    pub mode: u32,
}

/// The regions and assignments section.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RegionsSection {
    /// Every region, parents before children.
    pub regions: Vec<RegionRecord>,
    /// The names of handling bodies and modes.
    pub bodies: Vec<String>,
    /// Every assignment, sorted by region then item (then by the first day it holds, when an
    /// item has several periods in a region).
    pub assignments: Vec<AssignRecord>,
    /// How to reach the bodies of `bodies` the catalog gives a contact for, sorted by body.
    pub contacts: Vec<BodyContact>,
    /// The documents (文件) that made or ended assignments (since format version 5).
    pub documents: Vec<DocumentRecord>,
    /// The distinct terms of assignments made by a document or for a period, which
    /// [`DatedRecord::terms`] numbers.
    pub terms: Vec<TermsRecord>,
    /// The assignments of `assignments` that have terms, by position, ascending (empty in a
    /// chunked index's first piece: each [`super::web::AssignPiece`] carries its own).
    pub dated: Vec<DatedRecord>,
}

/// A document (文件) that made or ended assignments: a county government's decision to devolve
/// penalty powers to its townships, or to take them back (上收).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRecord {
    /// Its number (文号), e.g. `淮政发〔2021〕37号`.
    pub number: String,
    /// Its date (发文日期) as `YYYYMMDD`, 0 when the catalog does not say.
    pub date: u32,
    /// The document it rests on (依据文件), e.g. a province's decision `苏司函〔2020〕47号`;
    /// empty when the catalog does not say.
    pub basis: String,
}

/// When an assignment holds and what made it.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TermsRecord {
    /// The first day it holds, `YYYYMMDD`; 0: no start given.
    pub from: u32,
    /// The first day it no longer holds (taken back from that day), `YYYYMMDD`; 0: not ended.
    pub until: u32,
    /// The document that made it: 1 + an index into [`RegionsSection::documents`], 0 for none.
    pub document: u32,
    /// The document that ended it, numbered as `document`.
    pub end_document: u32,
    /// A note (备注), e.g. who keeps the cases opened before it ended.
    pub note: String,
}

/// The terms of one assignment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatedRecord {
    /// The assignment's position in its list ([`RegionsSection::assignments`], or a piece's).
    pub at: u32,
    /// An index into [`RegionsSection::terms`].
    pub terms: u32,
}
