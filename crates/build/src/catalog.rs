//! Reading and validating a catalog: `items.csv`, `regions.csv`, `assignments.csv`, `laws/*.md`.
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
//!     laws: vec![SourceFile::new("laws/城市道路管理条例.md",
//!         "# 城市道路管理条例\n\n第二十七条 城市道路范围内禁止下列行为：\n\n（一）擅自占用或者挖掘城市道路；\n")],
//! };
//! let catalog = Catalog::compile(&sources).unwrap();
//! assert_eq!(catalog.items[0].bases[0].r.article, 27);
//! ```

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::xlsx::{column_letters, Sheet, SheetRow, Workbook};
use powerlist::citation::{parse_basis, ArticleRef};
use powerlist::error::{Diagnostic, Error, SheetPlace};
pub use powerlist::index::CatalogInfo;
use powerlist::law::Law;
use powerlist::model::{level_bit, type_index, TYPES};
use powerlist::text::fold;

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
    /// `laws/*.md`.
    pub laws: Vec<SourceFile>,
}

/// One of a catalog's tables: its CSV file name, its own workbook's name and the sheet names
/// it may have in a catalog workbook.
struct TableName {
    key: &'static str,
    sheets: &'static [&'static str],
}

const ITEMS: TableName = TableName {
    key: "items",
    sheets: &["items", "事项", "权力事项", "事项清单", "权力清单"],
};
const REGIONS: TableName = TableName {
    key: "regions",
    sheets: &["regions", "区划", "行政区划"],
};
const ASSIGNMENTS: TableName = TableName {
    key: "assignments",
    sheets: &["assignments", "承接", "分配", "承接主体", "赋权"],
};

fn read_file(p: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(p).map_err(|e| Error::io(p.display().to_string(), &e))
}

/// The catalog workbook of a directory: `catalog.xlsx`, else its only `*.xlsx` that is not a
/// per-table workbook (`items.xlsx`…). Excel's lock files (`~$…`) are skipped.
fn catalog_workbook(dir: &Path) -> Result<Option<Workbook>, Error> {
    let named = dir.join("catalog.xlsx");
    let path = if named.is_file() {
        named
    } else {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Ok(None);
        };
        let mut found: Vec<_> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                let name = p
                    .file_name()
                    .map_or(String::new(), |n| n.to_string_lossy().into());
                let lower = name.to_lowercase();
                lower.ends_with(".xlsx")
                    && !name.starts_with("~$")
                    && ![&ITEMS, &REGIONS, &ASSIGNMENTS]
                        .iter()
                        .any(|t| lower == format!("{}.xlsx", t.key))
            })
            .collect();
        found.sort();
        match found.len() {
            0 => return Ok(None),
            1 => found.remove(0),
            _ => {
                let names: Vec<String> = found
                    .iter()
                    .map(|p| {
                        p.file_name()
                            .map_or(String::new(), |n| n.to_string_lossy().into())
                    })
                    .collect();
                return Err(Error::Io {
                    path: dir.display().to_string(),
                    kind: std::io::ErrorKind::InvalidInput,
                    message: format!(
                        "several workbooks ({}); name the catalog's workbook catalog.xlsx or remove the others",
                        names.join(", ")
                    ),
                });
            }
        }
    };
    let bytes = read_file(&path)?;
    Workbook::read(&path.display().to_string(), &bytes).map(Some)
}

/// Finds one table of a catalog directory: `NAME.csv`, `NAME.xlsx` (first sheet) or a sheet of
/// the catalog workbook. Two of them is an error that says which to remove.
fn find_table(
    dir: &Path,
    table: &TableName,
    book: Option<&Workbook>,
) -> Result<Option<SourceFile>, Error> {
    let mut found: Vec<(String, SourceFile)> = Vec::new();
    let csv = dir.join(format!("{}.csv", table.key));
    if csv.exists() {
        let name = csv.display().to_string();
        found.push((name.clone(), SourceFile::new(name, read_file(&csv)?)));
    }
    let own = dir.join(format!("{}.xlsx", table.key));
    if own.exists() {
        let name = own.display().to_string();
        let book = Workbook::read(&name, &read_file(&own)?)?;
        let sheet = book.sheets.into_iter().next().unwrap_or_default();
        found.push((name.clone(), SourceFile::from_sheet(name, sheet)));
    }
    if let Some(book) = book {
        let sheet = table.sheets.iter().find_map(|s| book.sheet(s));
        if let Some(sheet) = sheet {
            found.push((
                format!("sheet [{}] of {}", sheet.name, book.file),
                SourceFile::from_sheet(book.file.clone(), sheet.clone()),
            ));
        }
    }
    match found.len() {
        0 | 1 => Ok(found.pop().map(|(_, f)| f)),
        _ => {
            let names: Vec<&str> = found.iter().map(|(n, _)| n.as_str()).collect();
            Err(Error::Io {
                path: dir.display().to_string(),
                kind: std::io::ErrorKind::InvalidInput,
                message: format!(
                    "the {} table is given twice: {}; remove all but one",
                    table.key,
                    names.join(" and ")
                ),
            })
        }
    }
}

impl Sources {
    /// Reads a catalog directory: the items table (required), regions and assignments
    /// (optional), and every `laws/*.md`. Each table is a CSV file (`items.csv`…), a workbook
    /// of its own (`items.xlsx`, first sheet) or a sheet of the catalog workbook
    /// (`catalog.xlsx` or the directory's only other `*.xlsx`; sheets `items`/`事项`,
    /// `regions`/`区划`, `assignments`/`承接`).
    ///
    /// A directory whose `catalog.txt` has a `base: DIR` line (relative to the directory) takes
    /// the regions table and `laws/` from that directory when it has none of its own: an older
    /// version of a catalog keeps only its items, assignments and `catalog.txt`.
    pub fn from_dir(dir: &Path) -> Result<Sources, Error> {
        let base = base_dir(dir)?;
        let book = catalog_workbook(dir)?;
        let items = find_table(dir, &ITEMS, book.as_ref())?.ok_or_else(|| Error::Io {
            path: dir.join("items.csv").display().to_string(),
            kind: std::io::ErrorKind::NotFound,
            message: match &book {
                None => "not found; a catalog directory needs items.csv (columns 事项编码, 事项名称, 事项类型, 领域, 行使层级, 实施主体, 实施依据; see powerlist's data/README.md)".into(),
                Some(b) => format!(
                    "not found, and {} has no items sheet; name the sheet with the items {} (or add items.csv)",
                    b.file,
                    ITEMS.sheets[..2].join(" or ")
                ),
            },
        })?;
        let mut laws = Vec::new();
        let law_dir = match &base {
            Some(b) if !dir.join("laws").is_dir() => b.join("laws"),
            _ => dir.join("laws"),
        };
        if law_dir.is_dir() {
            let entries = std::fs::read_dir(&law_dir)
                .map_err(|e| Error::io(law_dir.display().to_string(), &e))?;
            let mut paths: Vec<_> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "md"))
                .filter(|p| p.file_name().is_none_or(|n| n != "README.md"))
                .collect();
            paths.sort();
            for p in paths {
                laws.push(SourceFile::new(p.display().to_string(), read_file(&p)?));
            }
        }
        Ok(Sources {
            items,
            regions: match find_table(dir, &REGIONS, book.as_ref())? {
                Some(own) => Some(own),
                None => match &base {
                    Some(b) => find_table(b, &REGIONS, catalog_workbook(b)?.as_ref())?,
                    None => None,
                },
            },
            assignments: find_table(dir, &ASSIGNMENTS, book.as_ref())?,
            laws,
        })
    }
}

/// A power item, validated.
#[derive(Debug, Clone)]
pub struct Item {
    /// Its code as written.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Index into [`TYPES`].
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
    /// Where it was defined (file line), for later checks.
    pub line: usize,
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
    /// Warnings found while reading (they do not stop a build).
    pub warnings: Vec<Diagnostic>,
    /// The name of the items file, for messages.
    pub items_file: String,
    /// The items sheet, when the items were read from a workbook.
    pub items_sheet: Option<String>,
    /// Name, version and date (from `catalog.txt`, see [`read_info`]).
    pub info: CatalogInfo,
}

struct Column {
    key: &'static str,
    names: &'static [&'static str],
    required: bool,
}

const ITEM_COLUMNS: &[Column] = &[
    Column {
        key: "code",
        names: &[
            "code",
            "事项编码",
            "编码",
            "事项代码",
            "权力编码",
            "权力事项编码",
            "事项编号",
            "编号",
            "基本编码",
        ],
        required: true,
    },
    Column {
        key: "name",
        names: &[
            "name",
            "事项名称",
            "名称",
            "权力名称",
            "权力事项名称",
            "职权名称",
        ],
        required: true,
    },
    Column {
        key: "type",
        names: &[
            "type",
            "事项类型",
            "类型",
            "权力类型",
            "权力类别",
            "事项类别",
            "职权类别",
            "职权类型",
            "类别",
        ],
        required: true,
    },
    Column {
        key: "field",
        names: &[
            "field",
            "领域",
            "所属领域",
            "行业领域",
            "所属行业",
            "业务领域",
        ],
        required: true,
    },
    Column {
        key: "level",
        names: &["level", "行使层级", "层级", "实施层级", "行权层级"],
        required: true,
    },
    Column {
        key: "department",
        names: &[
            "department",
            "实施主体",
            "实施机关",
            "实施部门",
            "责任主体",
            "责任部门",
            "行使主体",
        ],
        required: true,
    },
    Column {
        key: "basis",
        names: &[
            "basis",
            "实施依据",
            "法定依据",
            "依据",
            "设定依据",
            "法律依据",
            "设定和实施依据",
        ],
        required: true,
    },
    Column {
        key: "keywords",
        names: &["keywords", "关键词"],
        required: false,
    },
    Column {
        key: "note",
        names: &["note", "备注", "说明"],
        required: false,
    },
    // Row numbers in published lists; read and ignored.
    Column {
        key: "no",
        names: &["no", "序号", "id"],
        required: false,
    },
];

const REGION_COLUMNS: &[Column] = &[
    Column {
        key: "code",
        names: &["code", "区划代码", "代码"],
        required: true,
    },
    Column {
        key: "name",
        names: &["name", "名称", "区划名称"],
        required: true,
    },
    Column {
        key: "parent",
        names: &["parent", "上级", "上级代码", "上级区划代码"],
        required: true,
    },
];

const ASSIGNMENT_COLUMNS: &[Column] = &[
    Column {
        key: "item",
        names: &["item", "事项编码", "事项"],
        required: true,
    },
    Column {
        key: "region",
        names: &["region", "区划代码", "区划", "地区"],
        required: true,
    },
    Column {
        key: "body",
        names: &["body", "承办主体", "执法主体", "实施主体"],
        required: true,
    },
    Column {
        key: "mode",
        names: &["mode", "方式", "赋权方式"],
        required: false,
    },
];

/// The longest cell accepted; longer ones are almost always a missing closing quote.
const MAX_CELL_BYTES: usize = 16 * 1024;

struct Row {
    line: usize,
    values: Vec<String>,
}

impl Row {
    fn get(&self, i: usize) -> &str {
        self.values.get(i).map(|s| s.as_str()).unwrap_or("")
    }
}

/// Names places in a table for messages: `file:line` for a CSV file, `file [sheet] row N,
/// column G (key)` for a worksheet.
struct Locator {
    file: String,
    /// The sheet's name and, for each of the table's columns, the sheet column it was read from.
    sheet: Option<(String, Vec<Option<u32>>)>,
    columns: &'static [Column],
}

impl Locator {
    fn of(file: &SourceFile, columns: &'static [Column]) -> Locator {
        Locator {
            file: file.name.clone(),
            sheet: file.sheet.as_ref().map(|s| (s.name.clone(), Vec::new())),
            columns,
        }
    }

    /// The place of `key`'s column (`G (basis)`), for a worksheet.
    fn place(&self, key: Option<&str>) -> Option<SheetPlace> {
        let (sheet, cols) = self.sheet.as_ref()?;
        let column = key.and_then(|k| {
            let i = self.columns.iter().position(|c| c.key == k)?;
            let col = cols.get(i).copied().flatten()?;
            Some(format!("{} ({k})", column_letters(col)))
        });
        Some(SheetPlace {
            sheet: sheet.clone(),
            column,
        })
    }

    fn diagnostic(&self, line: usize, key: Option<&str>, message: String) -> Diagnostic {
        Diagnostic {
            file: self.file.clone(),
            line,
            message,
            warning: false,
            sheet: self.place(key),
        }
    }
}

struct Diags {
    list: Vec<Diagnostic>,
}

impl Diags {
    fn error(&mut self, file: &str, line: usize, message: String) {
        self.list.push(Diagnostic {
            file: file.to_string(),
            line,
            message,
            warning: false,
            sheet: None,
        });
    }
    /// An error at `line` of a table, in the column of `key` (none: the whole row).
    fn at(&mut self, loc: &Locator, line: usize, key: Option<&str>, message: String) {
        self.list.push(loc.diagnostic(line, key, message));
    }
    fn warn_at(&mut self, loc: &Locator, line: usize, key: Option<&str>, message: String) {
        let mut d = loc.diagnostic(line, key, message);
        d.warning = true;
        self.list.push(d);
    }
    fn has_errors(&self) -> bool {
        self.list.iter().any(|d| !d.warning)
    }
}

/// The line (1-based) of byte offset `at` in `bytes`.
fn line_of(bytes: &[u8], at: usize) -> usize {
    bytes[..at.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// A table's header and records before its columns are matched, from a CSV file or a sheet.
struct RawTable {
    header: Vec<String>,
    /// The line (CSV) or row (sheet) of the header.
    header_line: usize,
    records: Vec<RawRecord>,
    /// Non-blank records, those that could not be read included.
    seen: usize,
}

struct RawRecord {
    line: usize,
    cells: Vec<String>,
}

/// A table read and matched to its columns.
struct Table {
    loc: Locator,
    rows: Vec<Row>,
    /// Non-blank records, rows with errors included.
    records: usize,
}

fn header_hint(columns: &[Column]) -> String {
    let cols: Vec<_> = columns
        .iter()
        .filter(|c| c.key != "no")
        .map(|c| c.key)
        .collect();
    cols.join(",")
}

/// The column a header cell names, if any. Spaces and line breaks inside the cell (`实施\n依据`),
/// a required-field star (`*事项名称`) and a trailing remark in brackets (`实施依据（条款）`)
/// do not matter.
fn column_named(columns: &[Column], cell: &str) -> Option<usize> {
    let squeezed: String = cell
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '*' && *c != '＊')
        .collect::<String>()
        .to_ascii_lowercase();
    let find = |name: &str| columns.iter().position(|c| c.names.contains(&name));
    find(&squeezed).or_else(|| {
        let cut = squeezed.find(['（', '(']).filter(|&i| i > 0)?;
        find(&squeezed[..cut])
    })
}

/// Reads the records of a CSV file. Errors go to `diags`.
fn read_csv(file: &SourceFile, columns: &[Column], diags: &mut Diags) -> Option<RawTable> {
    let name = &file.name;
    let bytes = file
        .bytes
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(&file.bytes);
    if let Err(e) = std::str::from_utf8(bytes) {
        let line = line_of(bytes, e.valid_up_to());
        diags.error(
            name,
            line,
            "the file is not valid UTF-8; save it as \"CSV UTF-8\" (Excel: 另存为 → CSV UTF-8)"
                .into(),
        );
        return None;
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = reader.records();
    let header = match records.next() {
        None => {
            diags.error(
                name,
                1,
                format!(
                    "the file is empty; it needs a header row: {}",
                    header_hint(columns)
                ),
            );
            return None;
        }
        Some(Err(e)) => {
            diags.error(name, 1, format!("cannot read the header row: {e}"));
            return None;
        }
        Some(Ok(h)) => h,
    };
    let mut raw = RawTable {
        header: header.iter().map(str::to_string).collect(),
        header_line: 1,
        records: Vec::new(),
        seen: 0,
    };
    for rec in records {
        raw.seen += 1;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                diags.error(name, line, format!("cannot read this row ({e}); check its quotes: a field with a comma or quote must be in double quotes, with quotes doubled inside"));
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| p.line() as usize);
        if rec.iter().all(|c| c.trim().is_empty()) {
            raw.seen -= 1;
            continue;
        }
        // Excel sometimes writes empty cells past the last column: accept them.
        let extra_empty =
            rec.len() > header.len() && rec.iter().skip(header.len()).all(|c| c.trim().is_empty());
        if rec.len() != header.len() && !extra_empty {
            diags.error(
                name,
                line,
                format!(
                    "this row has {} fields but the header has {}; a field containing a comma must be in double quotes",
                    rec.len(),
                    header.len()
                ),
            );
            continue;
        }
        raw.records.push(RawRecord {
            line,
            cells: rec.iter().map(str::to_string).collect(),
        });
    }
    Some(raw)
}

/// Finds the header row of a sheet (the first row naming every required column; else the row
/// naming most columns) and takes the rows below its merged cells as records.
fn read_sheet(
    file: &SourceFile,
    sheet: &Sheet,
    columns: &[Column],
    diags: &mut Diags,
) -> Option<RawTable> {
    let named = |row: &SheetRow| {
        let found: HashSet<usize> = row
            .cells
            .iter()
            .filter_map(|c| column_named(columns, c))
            .collect();
        let complete = columns
            .iter()
            .enumerate()
            .all(|(i, c)| !c.required || found.contains(&i));
        (complete, found.len())
    };
    let header_at = sheet.rows.iter().position(|r| named(r).0).or_else(|| {
        let best = sheet.rows.iter().map(|r| named(r).1).max()?;
        sheet.rows.iter().position(|r| named(r).1 == best)
    });
    let Some(h) = header_at else {
        let loc = Locator::of(file, &[]);
        diags.at(
            &loc,
            0,
            None,
            format!(
                "the sheet is empty; it needs a header row: {}",
                header_hint(columns)
            ),
        );
        return None;
    };
    let header = &sheet.rows[h];
    let mut raw = RawTable {
        header: header.cells.clone(),
        header_line: header.number as usize,
        records: Vec::new(),
        seen: 0,
    };
    let loc = Locator::of(file, &[]);
    for row in sheet.rows[h + 1..]
        .iter()
        .filter(|r| r.number > header.merged_to)
    {
        raw.seen += 1;
        if let Some(col) = (raw.header.len()..row.cells.len())
            .find(|&c| !row.cells[c].is_empty() && raw.header.get(c).is_none())
        {
            diags.at(
                &loc,
                row.number as usize,
                None,
                format!(
                    "cell {}{} has a value but its column has no header; add the header or move the value",
                    column_letters(col as u32),
                    row.number
                ),
            );
            continue;
        }
        let mut cells = row.cells.clone();
        cells.resize(raw.header.len(), String::new());
        raw.records.push(RawRecord {
            line: row.number as usize,
            cells,
        });
    }
    Some(raw)
}

/// Reads a table (a CSV file or a worksheet) into rows ordered like `columns`. Errors go to
/// `diags`.
fn read_table(file: &SourceFile, columns: &'static [Column], diags: &mut Diags) -> Option<Table> {
    let raw = match &file.sheet {
        Some(sheet) => read_sheet(file, sheet, columns, diags)?,
        None => read_csv(file, columns, diags)?,
    };
    let mut loc = Locator::of(file, columns);
    let header_line = raw.header_line;
    // Map each header cell to a column.
    let mut map: Vec<Option<usize>> = Vec::new();
    let mut seen: HashMap<usize, String> = HashMap::new();
    let mut ok = true;
    for cell in &raw.header {
        let cell_t = cell.trim();
        match column_named(columns, cell_t) {
            Some(i) => {
                if let Some(prev) = seen.insert(i, cell_t.to_string()) {
                    diags.at(
                        &loc,
                        header_line,
                        None,
                        format!(
                            "column \"{cell_t}\" repeats column \"{prev}\" ({}); keep one",
                            columns[i].key
                        ),
                    );
                    ok = false;
                }
                map.push(Some(i));
            }
            None if cell_t.is_empty() => map.push(None),
            None => {
                // Published lists carry more columns (责任事项, 追责情形, 监督电话…): they are
                // ignored, and said so, so a misspelled optional column is noticed.
                let expected: Vec<String> = columns
                    .iter()
                    .map(|c| format!("{} ({})", c.key, c.names[1]))
                    .collect();
                diags.warn_at(
                    &loc,
                    header_line,
                    None,
                    format!(
                        "column \"{cell_t}\" is not one powerlist reads and is ignored; the columns it reads: {}",
                        expected.join(", ")
                    ),
                );
                map.push(None);
            }
        }
    }
    for (i, c) in columns.iter().enumerate() {
        if c.required && !seen.contains_key(&i) {
            diags.at(
                &loc,
                header_line,
                None,
                format!(
                    "missing column \"{}\" (中文表头: {}); add it to the header row",
                    c.key, c.names[1]
                ),
            );
            ok = false;
        }
    }
    if !ok {
        return None;
    }
    if let Some((_, cols)) = &mut loc.sheet {
        *cols = (0..columns.len())
            .map(|i| map.iter().position(|m| *m == Some(i)).map(|p| p as u32))
            .collect();
    }
    let mut rows = Vec::new();
    for rec in raw.records {
        if let Some((i, cell)) = rec
            .cells
            .iter()
            .enumerate()
            .find(|(_, c)| c.len() > MAX_CELL_BYTES)
        {
            let col = raw.header.get(i).map_or("?", |s| s.as_str());
            let key = map.get(i).copied().flatten().map(|k| columns[k].key);
            diags.at(
                &loc,
                rec.line,
                key,
                format!(
                    "the \"{col}\" field is {} bytes long; at most {MAX_CELL_BYTES} are allowed (is a closing quote missing?)",
                    cell.len()
                ),
            );
            continue;
        }
        let mut values = vec![String::new(); columns.len()];
        for (cell, m) in rec.cells.iter().zip(&map) {
            if let Some(i) = m {
                values[*i] = cell.trim().to_string();
            }
        }
        rows.push(Row {
            line: rec.line,
            values,
        });
    }
    Some(Table {
        loc,
        rows,
        records: raw.seen,
    })
}

fn split_list(s: &str) -> impl Iterator<Item = &str> {
    s.split(['；', ';', '、', ',', '，', '\n'])
        .map(|x| x.trim())
        .filter(|x| !x.is_empty())
}

fn valid_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 64
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        && code.as_bytes()[0].is_ascii_alphanumeric()
}

impl Catalog {
    /// Validates and resolves a catalog. On failure the error lists every problem found
    /// (warnings included); on success [`Catalog::warnings`] holds the warnings.
    pub fn compile(sources: &Sources) -> Result<Catalog, Error> {
        let mut diags = Diags { list: Vec::new() };
        // Laws first: citations resolve against them.
        let mut laws: Vec<(Law, String)> = Vec::new();
        // Titles of law files that failed: citations to them are not reported again.
        let mut broken_laws: HashSet<String> = HashSet::new();
        for f in &sources.laws {
            let text = match std::str::from_utf8(&f.bytes) {
                Ok(t) => t,
                Err(e) => {
                    diags.error(
                        &f.name,
                        line_of(&f.bytes, e.valid_up_to()),
                        "the law file is not valid UTF-8".into(),
                    );
                    broken_laws.insert(fold(&law_name_guess(&f.name, ""), None));
                    continue;
                }
            };
            match Law::parse(text) {
                Ok(law) => laws.push((law, f.name.clone())),
                Err(e) => {
                    diags.error(&f.name, e.line, e.message);
                    broken_laws.insert(fold(&law_name_guess(&f.name, text), None));
                }
            }
        }
        laws.sort_by(|a, b| a.0.title.cmp(&b.0.title));
        let mut by_title: HashMap<String, usize> = HashMap::new();
        for (i, (law, file)) in laws.iter().enumerate() {
            if let Some(&j) = by_title.get(&fold(&law.title, None)) {
                if laws[j].0.title == law.title {
                    diags.error(
                        file,
                        1,
                        format!(
                            "law 《{}》 is also in {}; keep one file per law",
                            law.title, laws[j].1
                        ),
                    );
                }
            }
            by_title.insert(fold(&law.title, None), i);
        }
        // Short titles resolve only when unambiguous.
        let mut short_count: HashMap<String, usize> = HashMap::new();
        for (law, _) in &laws {
            *short_count
                .entry(fold(law.short_title(), None))
                .or_default() += 1;
        }
        for (i, (law, _)) in laws.iter().enumerate() {
            let s = fold(law.short_title(), None);
            if short_count.get(&s) == Some(&1) {
                by_title.entry(s).or_insert(i);
            }
        }
        let laws: Vec<Law> = laws.into_iter().map(|(l, _)| l).collect();
        if laws.len() > u16::MAX as usize {
            diags.error(
                "laws",
                0,
                format!("{} laws; at most {} are supported", laws.len(), u16::MAX),
            );
        }

        let (items, broken, items_readable) =
            read_items(&sources.items, &laws, &by_title, &broken_laws, &mut diags);
        let mut code_index: HashMap<String, u32> = HashMap::new();
        for (i, it) in items.iter().enumerate() {
            code_index.insert(it.code.to_ascii_lowercase(), i as u32);
        }
        let errors_before = diags.list.len();
        let regions = match &sources.regions {
            Some(f) => read_regions(f, &mut diags),
            None => Vec::new(),
        };
        let regions_ok = diags.list.len() == errors_before;
        let assignments = match &sources.assignments {
            Some(f) => {
                if sources.regions.is_none() {
                    diags.error(
                        &f.table_name(),
                        0,
                        "assignments need regions beside them: regions.csv (code,name,parent), or a sheet named regions or 区划 in the catalog workbook".into(),
                    );
                    Vec::new()
                } else {
                    // Don't repeat what the items or regions table already reported.
                    let check = Checks {
                        items: items_readable,
                        regions: regions_ok,
                    };
                    let names = TableNames {
                        items: sources.items.table_name(),
                        regions: sources
                            .regions
                            .as_ref()
                            .map(SourceFile::table_name)
                            .unwrap_or_default(),
                    };
                    read_assignments(f, &code_index, &broken, &regions, check, &names, &mut diags)
                }
            }
            None => Vec::new(),
        };
        if diags.has_errors() {
            return Err(Error::Catalog(sorted(diags.list)));
        }
        let mut catalog = Catalog {
            items,
            laws,
            regions,
            assignments,
            warnings: diags.list,
            items_file: sources.items.name.clone(),
            items_sheet: sources.items.sheet.as_ref().map(|s| s.name.clone()),
            info: CatalogInfo::default(),
        };
        let findings = crate::lint::lint(&catalog);
        catalog.warnings.extend(findings);
        catalog
            .warnings
            .sort_by(|a, b| (&a.file, &a.sheet, a.line).cmp(&(&b.file, &b.sheet, b.line)));
        Ok(catalog)
    }
}

fn read_items(
    file: &SourceFile,
    laws: &[Law],
    by_title: &HashMap<String, usize>,
    broken_laws: &HashSet<String>,
    diags: &mut Diags,
) -> (Vec<Item>, HashSet<String>, bool) {
    let mut broken = HashSet::new();
    let Some(Table { loc, rows, records }) = read_table(file, ITEM_COLUMNS, diags) else {
        return (Vec::new(), broken, false);
    };
    let mut items = Vec::new();
    let mut codes: HashMap<String, usize> = HashMap::new();
    if records == 0 {
        diags.at(
            &loc,
            1,
            None,
            "the file has a header but no items; add one row per power item".into(),
        );
    }
    for row in rows {
        let line = row.line;
        let code = row.get(0).to_string();
        let item_name = row.get(1).to_string();
        let mut ok = true;
        if !valid_code(&code) {
            let shown = if code.is_empty() {
                "(empty)".to_string()
            } else {
                format!("\"{code}\"")
            };
            diags.at(&loc, line, Some("code"), format!("item code {shown} is not valid; use ASCII letters, digits, '-' and '.', starting with a letter or digit"));
            ok = false;
        } else if let Some(prev) = codes.insert(code.to_ascii_lowercase(), line) {
            diags.at(&loc, line, Some("code"), format!("duplicate item code \"{code}\" (first used on line {prev}); codes must be unique, ignoring case"));
            ok = false;
        }
        if item_name.is_empty() {
            diags.at(
                &loc,
                line,
                Some("name"),
                "the item name (事项名称) is empty".into(),
            );
            ok = false;
        }
        let kind = match type_index(row.get(2)) {
            Some(k) => k,
            None => {
                diags.at(
                    &loc,
                    line,
                    Some("type"),
                    format!(
                        "unknown type \"{}\"; use one of {}",
                        row.get(2),
                        TYPES.join("、")
                    ),
                );
                ok = false;
                0
            }
        };
        let field = row.get(3).to_string();
        if field.is_empty() {
            diags.at(
                &loc,
                line,
                Some("field"),
                "the field (领域) is empty, e.g. 城市管理".into(),
            );
            ok = false;
        }
        let mut levels = 0u8;
        for l in split_list(row.get(4)) {
            match level_bit(l) {
                Some(b) => levels |= b,
                None => {
                    diags.at(
                        &loc,
                        line,
                        Some("level"),
                        format!(
                            "unknown level \"{l}\"; use 省级, 市级, 县级 or 乡级, separated by ；"
                        ),
                    );
                    ok = false;
                }
            }
        }
        if levels == 0 && ok {
            diags.at(
                &loc,
                line,
                Some("level"),
                "the level (行使层级) is empty; use 省级, 市级, 县级 or 乡级, separated by ；"
                    .into(),
            );
            ok = false;
        }
        let department = row.get(5).to_string();
        if department.is_empty() {
            diags.at(
                &loc,
                line,
                Some("department"),
                "the department (实施主体) is empty".into(),
            );
            ok = false;
        }
        let mut bases = Vec::new();
        let basis_cell = row.get(6);
        match parse_basis(basis_cell) {
            Err(e) => {
                diags.at(&loc, line, Some("basis"), e);
                ok = false;
            }
            Ok(cites) => {
                for c in cites {
                    let key = fold(&c.title, None);
                    let Some(&li) = by_title.get(&key) else {
                        ok = false;
                        let short = key.strip_prefix("中华人民共和国").unwrap_or(&key);
                        if broken_laws.iter().any(|b| {
                            b == &key || b.strip_prefix("中华人民共和国").unwrap_or(b) == short
                        }) {
                            continue; // the law file's own error was reported
                        }
                        diags.at(&loc, line, Some("basis"), format!("law 《{}》 is not in the catalog's laws/; add laws/{}.md or correct the title", c.title, c.title));
                        ok = false;
                        continue;
                    };
                    let law = &laws[li];
                    for r in c.refs {
                        match resolve(law, &r) {
                            Ok(()) => bases.push(Basis { law: li as u16, r }),
                            Err(e) => {
                                diags.at(&loc, line, Some("basis"), e);
                                ok = false;
                            }
                        }
                    }
                }
            }
        }
        if bases.is_empty() && ok {
            diags.warn_at(&loc, line, Some("basis"), format!("item {code} {item_name} has no legal basis (实施依据); add the article that sets the power"));
        }
        let keywords: Vec<String> = split_list(row.get(7)).map(str::to_string).collect();
        if !ok {
            broken.insert(code.to_ascii_lowercase());
        } else {
            items.push(Item {
                code,
                name: item_name,
                kind,
                field,
                levels,
                department,
                bases,
                keywords,
                note: row.get(8).to_string(),
                line,
            });
        }
    }
    (items, broken, true)
}

fn resolve(law: &Law, r: &ArticleRef) -> Result<(), String> {
    let cite = format!("《{}》{}", law.title, r.display());
    let Some(article) = law.article(r.article) else {
        let last = law.articles.last().map_or(0, |a| a.number);
        return Err(format!(
            "{cite}: 《{}》 has no 第{}条 (its articles run to 第{}条); correct the article number",
            law.title,
            powerlist::text::chinese_number(r.article),
            powerlist::text::chinese_number(last)
        ));
    };
    if let Some(p) = r.paragraph {
        if p as usize > article.paragraphs.len() {
            return Err(format!(
                "{cite}: 第{}条 has {} paragraph(s) (款); there is no 第{}款",
                powerlist::text::chinese_number(r.article),
                article.paragraphs.len(),
                powerlist::text::chinese_number(p)
            ));
        }
    }
    if let Some(i) = r.item {
        let p = r.paragraph.unwrap_or(1);
        let n = article
            .paragraphs
            .get(p as usize - 1)
            .map_or(0, |p| p.items.len());
        if i as usize > n {
            return Err(format!(
                "{cite}: paragraph {p} of 第{}条 has {n} item(s) (项); there is no 第（{}）项",
                powerlist::text::chinese_number(r.article),
                powerlist::text::chinese_number(i)
            ));
        }
    }
    Ok(())
}

fn read_regions(file: &SourceFile, diags: &mut Diags) -> Vec<Region> {
    let Some(Table { loc, rows, .. }) = read_table(file, REGION_COLUMNS, diags) else {
        return Vec::new();
    };
    let mut index: HashMap<String, (u32, usize)> = HashMap::new();
    let mut regions = Vec::new();
    let mut lines = Vec::new();
    let mut parents = Vec::new();
    for row in &rows {
        let code = row.get(0);
        if !(code.bytes().all(|b| b.is_ascii_digit()) && matches!(code.len(), 2 | 4 | 6 | 9 | 12)) {
            diags.at(&loc, row.line, Some("code"), format!("region code \"{code}\" is not a division code; use 2 (省), 4 (市), 6 (县) or 9 (乡) digits"));
            continue;
        }
        if row.get(1).is_empty() {
            diags.at(
                &loc,
                row.line,
                Some("name"),
                format!("region {code} has no name"),
            );
            continue;
        }
        if let Some((_, prev)) = index.get(code) {
            diags.at(
                &loc,
                row.line,
                Some("code"),
                format!("duplicate region code {code} (first on line {prev})"),
            );
            continue;
        }
        index.insert(code.to_string(), (regions.len() as u32, row.line));
        regions.push(Region {
            code: code.to_string(),
            name: row.get(1).to_string(),
            parent: None,
        });
        lines.push(row.line);
        parents.push(row.get(2).to_string());
    }
    for (i, p) in parents.iter().enumerate() {
        if p.is_empty() {
            continue;
        }
        match index.get(p) {
            Some(&(pi, _)) if pi as usize == i => {
                diags.at(&loc, lines[i], Some("parent"), format!("region {} is its own parent", regions[i].code));
            }
            Some(&(pi, _)) => regions[i].parent = Some(pi),
            None => diags.at(&loc, lines[i], Some("parent"), format!("region {} names parent {p}, which is not in the file; add it or leave parent empty for a root", regions[i].code)),
        }
    }
    // Cycles: walk up from every region; a walk longer than the table loops.
    let mut reported: HashSet<usize> = HashSet::new();
    for start in 0..regions.len() {
        let mut cur = start;
        let mut steps = 0;
        while let Some(p) = regions[cur].parent {
            cur = p as usize;
            steps += 1;
            if steps > regions.len() {
                if reported.insert(cur) {
                    diags.at(
                        &loc,
                        lines[cur],
                        Some("parent"),
                        format!(
                            "region {} is part of a parent cycle; a region cannot be below itself",
                            regions[cur].code
                        ),
                    );
                }
                break;
            }
        }
    }
    regions
}

/// How messages name the items and regions tables an assignment refers to.
struct TableNames {
    items: String,
    regions: String,
}

fn read_assignments(
    file: &SourceFile,
    items: &HashMap<String, u32>,
    broken: &HashSet<String>,
    regions: &[Region],
    check: Checks,
    names: &TableNames,
    diags: &mut Diags,
) -> Vec<Assignment> {
    let Some(Table { loc, rows, .. }) = read_table(file, ASSIGNMENT_COLUMNS, diags) else {
        return Vec::new();
    };
    let region_index: HashMap<&str, u32> = regions
        .iter()
        .enumerate()
        .map(|(i, r)| (r.code.as_str(), i as u32))
        .collect();
    let mut seen: HashMap<(u32, u32), usize> = HashMap::new();
    let mut out = Vec::new();
    for row in rows {
        if broken.contains(&row.get(0).to_ascii_lowercase()) {
            continue; // already reported in the items table
        }
        let item = items.get(&row.get(0).to_ascii_lowercase()).copied();
        let region = region_index.get(row.get(1)).copied();
        let mut ok = item.is_some() && region.is_some();
        if item.is_none() && check.items {
            diags.at(
                &loc,
                row.line,
                Some("item"),
                format!(
                    "unknown item \"{}\"; it is not a code in {}",
                    row.get(0),
                    names.items
                ),
            );
        }
        if region.is_none() && check.regions {
            diags.at(
                &loc,
                row.line,
                Some("region"),
                format!(
                    "unknown region \"{}\"; it is not a code in {}",
                    row.get(1),
                    names.regions
                ),
            );
            ok = false;
        }
        if row.get(2).is_empty() {
            diags.at(
                &loc,
                row.line,
                Some("body"),
                "the body (承办主体) is empty".into(),
            );
            ok = false;
        }
        let (Some(item), Some(region), true) = (item, region, ok) else {
            continue;
        };
        if let Some(prev) = seen.insert((item, region), row.line) {
            diags.at(
                &loc,
                row.line,
                None,
                format!(
                    "item {} is already assigned in region {} on line {prev}; keep one",
                    row.get(0),
                    row.get(1)
                ),
            );
            continue;
        }
        out.push(Assignment {
            item,
            region,
            body: row.get(2).to_string(),
            mode: row.get(3).to_string(),
        });
    }
    out
}

/// Reads `catalog.txt`: `name: …`, `version: …`, `date: YYYY-MM-DD` lines (`#` starts a
/// comment). A missing file gives an empty info.
pub fn read_info(dir: &Path) -> Result<CatalogInfo, Error> {
    let path = dir.join("catalog.txt");
    if !path.exists() {
        return Ok(CatalogInfo::default());
    }
    let name = path.display().to_string();
    let bytes = std::fs::read(&path).map_err(|e| Error::io(name.clone(), &e))?;
    parse_info(&name, &bytes)
}

/// Parses the text of a `catalog.txt`.
pub fn parse_info(file: &str, bytes: &[u8]) -> Result<CatalogInfo, Error> {
    let err = |line: usize, message: String| {
        Error::Catalog(vec![Diagnostic {
            file: file.to_string(),
            line,
            message,
            warning: false,
            sheet: None,
        }])
    };
    let text = std::str::from_utf8(bytes).map_err(|e| {
        err(
            line_of(bytes, e.valid_up_to()),
            "the file is not valid UTF-8".into(),
        )
    })?;
    let mut info = CatalogInfo::default();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim().trim_start_matches('\u{feff}');
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once(':').or_else(|| line.split_once('：')) else {
            return Err(err(
                n + 1,
                format!("expected `key: value`, found \"{line}\""),
            ));
        };
        let value = value.trim().to_string();
        match key.trim() {
            "name" | "名称" => info.name = value,
            // Read by `Sources::from_dir` (see `base_dir`).
            "base" | "基础目录" => {}
            "version" | "版本" => info.version = value,
            "date" | "日期" => {
                let b = value.as_bytes();
                let ok = b.len() == 10
                    && b[4] == b'-'
                    && b[7] == b'-'
                    && b.iter()
                        .enumerate()
                        .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
                if !ok {
                    return Err(err(
                        n + 1,
                        format!("date \"{value}\" must be written YYYY-MM-DD"),
                    ));
                }
                info.date = value;
            }
            other => {
                return Err(err(
                    n + 1,
                    format!("unknown key \"{other}\"; use name, version, date or base"),
                ))
            }
        }
    }
    Ok(info)
}

/// The `base: DIR` of a catalog directory's `catalog.txt`, resolved against the directory; it
/// must be a directory.
fn base_dir(dir: &Path) -> Result<Option<std::path::PathBuf>, Error> {
    let path = dir.join("catalog.txt");
    let Ok(text) = std::fs::read_to_string(&path) else {
        // Missing, or not UTF-8: `read_info` reports the latter.
        return Ok(None);
    };
    for (n, line) in text.lines().enumerate() {
        let line = line.trim().trim_start_matches('\u{feff}');
        let Some((key, value)) = line.split_once(':').or_else(|| line.split_once('：')) else {
            continue;
        };
        if line.starts_with('#') || !matches!(key.trim(), "base" | "基础目录") {
            continue;
        }
        let base = dir.join(value.trim());
        if !base.is_dir() {
            return Err(Error::Catalog(vec![Diagnostic {
                file: path.display().to_string(),
                line: n + 1,
                message: format!(
                    "base \"{}\" is not a directory ({} does not exist); write the path of the catalog whose laws/ and regions.csv this version shares, relative to this file's directory",
                    value.trim(),
                    base.display()
                ),
                warning: false,
                sheet: None,
            }]));
        }
        return Ok(Some(base));
    }
    Ok(None)
}

/// What assignments can be checked against.
#[derive(Clone, Copy)]
struct Checks {
    items: bool,
    regions: bool,
}

/// Diagnostics grouped by file and sheet (in order of first appearance), then by line.
fn sorted(list: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let group = |d: &Diagnostic| (d.file.clone(), d.sheet.as_ref().map(|s| s.sheet.clone()));
    let mut groups = Vec::new();
    for d in &list {
        let g = group(d);
        if !groups.contains(&g) {
            groups.push(g);
        }
    }
    let mut list = list;
    list.sort_by_key(|d| (groups.iter().position(|g| *g == group(d)), d.line));
    list
}

/// The title a broken law file was meant to have: its `# ` line, else its file name.
fn law_name_guess(file: &str, text: &str) -> String {
    if let Some(t) = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .and_then(|l| l.strip_prefix("# "))
    {
        return t.trim().to_string();
    }
    Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default()
}
