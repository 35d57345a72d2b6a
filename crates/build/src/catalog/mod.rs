//! Reading and validating a catalog: `items.csv`, `regions.csv`, `assignments.csv`, `bodies.csv`,
//! `laws/*.md`, and the optional `catalog.txt` ([`read_info`]) and `lexicon.tsv`
//! ([`read_lexicon`]).
//!
//! [`Sources`] holds the raw bytes (read from a directory with [`Sources::from_dir`], or given in
//! memory); [`Catalog::compile`] checks everything and resolves every citation. All errors are
//! collected, each naming the file, the line and the fix, so one run shows every problem.
//!
//! ```
//! use powerlist_build::catalog::{Catalog, SourceFile, Sources};
//! let sources = Sources {
//!     items: SourceFile::new("items.csv",
//!         "事项编码,事项名称,事项类型,领域,行使层级,实施主体,实施依据,关键词\n\
//!          CG-CF-001,对擅自占用城市道路的行政处罚,行政处罚,城市管理,县级；乡级,县级城市管理部门,\
//!          《城市道路管理条例》第二十七条第（一）项,摆摊；占道\n"),
//!     regions: None,
//!     assignments: None,
//!     bodies: None,
//!     laws: vec![SourceFile::new("laws/城市道路管理条例.md",
//!         "# 城市道路管理条例\n\n第二十七条 城市道路范围内禁止下列行为：\n\n（一）擅自占用或者挖掘城市道路；\n")],
//! };
//! let catalog = Catalog::compile(&sources).unwrap();
//! assert_eq!(catalog.items[0].bases[0].r.article, 27);
//! ```

mod assignments;
mod bidi;
mod bodies;
mod contacts;
mod dates;
mod diags;
mod duties;
mod headers;
mod info;
mod items;
mod laws;
mod lexicon;
mod regions;
mod sources;
mod table;
mod versions;

use crate::xlsx::Sheet;
pub use bidi::{bidi_control, BIDI_CONTROLS};
use diags::{sorted, Diags};
pub use info::{parse_info, read_info, MAX_INFO_CHARS};
pub use lexicon::{parse_lexicon, read_lexicon, LexEntry, Lexicon, LEXICON_FILE};
use powerlist::citation::ArticleRef;
pub use powerlist::date::Date;
use powerlist::error::{Diagnostic, Error};
pub use powerlist::index::CatalogInfo;
use powerlist::law::Law;

/// One source file: a name for messages and its bytes.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// How messages name the file (e.g. `data/items.csv`).
    pub name: String,
    /// Its contents (empty for a worksheet).
    pub bytes: Vec<u8>,
    /// Set when the table was read from a worksheet of the workbook `name`: its rows.
    pub sheet: Option<Sheet>,
}

impl SourceFile {
    /// How messages name the table: the file, or the workbook and the sheet
    /// (`catalog.xlsx [事项]`).
    pub fn table_name(&self) -> String {
        match &self.sheet {
            Some(sheet) => format!("{} [{}]", self.name, sheet.name),
            None => self.name.clone(),
        }
    }

    /// A source file from a name and contents.
    pub fn new(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> SourceFile {
        SourceFile {
            name: name.into(),
            bytes: bytes.into(),
            sheet: None,
        }
    }

    /// A table read from a worksheet of the workbook named `workbook`.
    pub fn from_sheet(workbook: impl Into<String>, sheet: Sheet) -> SourceFile {
        SourceFile {
            name: workbook.into(),
            bytes: Vec::new(),
            sheet: Some(sheet),
        }
    }
}

/// The raw files of a catalog.
#[derive(Debug, Clone)]
pub struct Sources {
    /// `items.csv`.
    pub items: SourceFile,
    /// `regions.csv`, if the catalog has regions.
    pub regions: Option<SourceFile>,
    /// `assignments.csv`, if the catalog assigns items to bodies per region.
    pub assignments: Option<SourceFile>,
    /// `bodies.csv`, if the catalog says how to reach its handling bodies.
    pub bodies: Option<SourceFile>,
    /// `laws/*.md`, and `laws/MANIFEST.tsv` when there is one (told apart by its name; it
    /// says which text of each law the files hold).
    pub laws: Vec<SourceFile>,
}

/// A power item, validated.
#[derive(Debug, Clone)]
pub struct Item {
    /// Its code as written.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Index into [`TYPES`](powerlist::model::TYPES).
    pub kind: u8,
    /// Its field (领域).
    pub field: String,
    /// Bit set over [`powerlist::model::LEVELS`].
    pub levels: u8,
    /// The body that exercises it by default.
    pub department: String,
    /// Its legal bases, resolved.
    pub bases: Vec<Basis>,
    /// Everyday words.
    pub keywords: Vec<String>,
    /// Free text.
    pub note: String,
    /// Its own consultation phone (咨询电话), may be empty.
    pub consult_phone: String,
    /// Its own complaint phone (监督电话), may be empty.
    pub complaint_phone: String,
    /// Where it is handled (办理地点), may be empty.
    pub place: String,
    /// Where it was defined (file line), for later checks.
    pub line: usize,
    /// Its 责任事项 (the duties in exercising it: 受理责任、审查责任…), one entry each; may be
    /// empty.
    pub duties: Vec<String>,
    /// Its 追责情形 (what leads to accountability), one entry each; may be empty.
    pub accountability: Vec<String>,
}

/// A resolved citation: which law (index into [`Catalog::laws`]) and which article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Basis {
    /// Index into [`Catalog::laws`].
    pub law: u16,
    /// The article, paragraph and item.
    pub r: ArticleRef,
}

/// An administrative division.
#[derive(Debug, Clone)]
pub struct Region {
    /// Statistical division code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Index of the parent in [`Catalog::regions`].
    pub parent: Option<u32>,
}

/// In `region` and below, `item` is handled by `body`.
#[derive(Debug, Clone)]
pub struct Assignment {
    /// Index into [`Catalog::items`].
    pub item: u32,
    /// Index into [`Catalog::regions`].
    pub region: u32,
    /// The handling body.
    pub body: String,
    /// How it got the power (赋权, 委托…), may be empty.
    pub mode: String,
    /// When it holds and the documents that made and ended it, when the table says.
    pub terms: Option<Box<Terms>>,
}

/// When an assignment holds and what made it: the optional columns of the assignments table
/// (`document`/文件文号, `from`/起始日期, `until`/收回日期, `end_document`/收回文件,
/// `note`/备注).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Terms {
    /// The first day it holds (`None`: no start given).
    pub from: Option<Date>,
    /// The first day it no longer holds: taken back (上收) from that day (`None`: not ended).
    pub until: Option<Date>,
    /// The document that made it, an index into [`Catalog::documents`].
    pub document: Option<u32>,
    /// The document that ended it, an index into [`Catalog::documents`].
    pub end_document: Option<u32>,
    /// A note (备注), may be empty.
    pub note: String,
}

/// A document (文件) named by assignments: the decision that devolved or took back powers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    /// Its number (文号), e.g. `淮政发〔2021〕37号`.
    pub number: String,
    /// Its date (发文日期), when some row gives it.
    pub date: Option<Date>,
    /// The document it rests on (依据文件), e.g. `苏司函〔2020〕47号`; may be empty.
    pub basis: String,
}

/// How to reach a handling body or department (a row of the bodies table).
#[derive(Debug, Clone)]
pub struct Body {
    /// The body's name, as assignments (承办主体) or items (实施主体) name it.
    pub name: String,
    /// Its phone, address, office hours and web page.
    pub contact: powerlist::index::Contact,
}

/// A validated catalog, ready to be compiled into an index.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// Items in file order.
    pub items: Vec<Item>,
    /// Laws, sorted by title.
    pub laws: Vec<Law>,
    /// Regions in file order.
    pub regions: Vec<Region>,
    /// Assignments in file order.
    pub assignments: Vec<Assignment>,
    /// How to reach bodies, in file order (names unique).
    pub bodies: Vec<Body>,
    /// Warnings found while reading (they do not stop a build).
    pub warnings: Vec<Diagnostic>,
    /// The name of the items file, for messages.
    pub items_file: String,
    /// The items sheet, when the items were read from a workbook.
    pub items_sheet: Option<String>,
    /// Name, version and date (from `catalog.txt`, see [`read_info`]).
    pub info: CatalogInfo,
    /// Everyday words and fillers (from `lexicon.tsv`, see [`read_lexicon`]).
    pub lexicon: Lexicon,
    /// The documents the assignments name (文件文号, 收回文件), each once, in order of
    /// first mention.
    pub documents: Vec<Document>,
    /// The line (CSV) or row (sheet) of each assignment, parallel to
    /// [`Catalog::assignments`] (for the lint's messages).
    pub assignment_lines: Vec<u32>,
    /// How messages name the assignments table: its file and, for a worksheet, its sheet.
    pub assignments_table: Option<(String, Option<String>)>,
}

impl Catalog {
    /// Validates and resolves a catalog. On failure the error lists every problem found
    /// (warnings included); on success [`Catalog::warnings`] holds the warnings.
    ///
    /// The steps: the laws (citations resolve against them), the items, the regions, the
    /// assignments (checked against the items and regions); then, when nothing is wrong, the
    /// warnings of [`crate::lint`].
    pub fn compile(sources: &Sources) -> Result<Catalog, Error> {
        let mut diags = Diags { list: Vec::new() };
        let laws = laws::Laws::read(&sources.laws, &mut diags);
        let items = items::read_items(&sources.items, &laws, &mut diags);
        let errors_before = diags.list.len();
        let regions = match &sources.regions {
            Some(f) => regions::read_regions(f, &mut diags),
            None => Vec::new(),
        };
        let regions_ok = diags.list.len() == errors_before;
        let read = assignments::read_assignments(sources, &items, &regions, regions_ok, &mut diags);
        let assignments = read.assignments;
        let bodies = match &sources.bodies {
            Some(f) => bodies::read_bodies(f, &items.items, &assignments, &mut diags),
            None => Vec::new(),
        };
        if diags.has_errors() {
            return Err(Error::Catalog(sorted(diags.list)));
        }
        let mut catalog = Catalog {
            items: items.items,
            laws: laws.laws,
            regions,
            assignments,
            bodies,
            warnings: diags.list,
            items_file: sources.items.name.clone(),
            items_sheet: sources.items.sheet.as_ref().map(|s| s.name.clone()),
            info: CatalogInfo::default(),
            lexicon: Lexicon::default(),
            documents: read.documents,
            assignment_lines: read.lines,
            assignments_table: sources
                .assignments
                .as_ref()
                .map(|f| (f.name.clone(), f.sheet.as_ref().map(|s| s.name.clone()))),
        };
        let findings = crate::lint::lint(&catalog);
        catalog.warnings.extend(findings);
        catalog
            .warnings
            .sort_by(|a, b| (&a.file, &a.sheet, a.line).cmp(&(&b.file, &b.sheet, b.line)));
        Ok(catalog)
    }
}
