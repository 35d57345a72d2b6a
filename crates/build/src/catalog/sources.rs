//! Reading a catalog directory: each table as a CSV file, a workbook of its own or a sheet of
//! the catalog workbook; `laws/*.md`; and what a `base:` directory shares.

use std::path::{Path, PathBuf};

use super::{SourceFile, Sources};
use crate::xlsx::Workbook;
use powerlist::error::{Diagnostic, Error};

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
const BODIES: TableName = TableName {
    key: "bodies",
    sheets: &["bodies", "机构", "联系方式", "承办机构"],
};
const ASSIGNMENTS: TableName = TableName {
    key: "assignments",
    sheets: &["assignments", "承接", "分配", "承接主体", "赋权"],
};

/// A catalog file's bytes; a FIFO or a device is refused at once (reading it would hang).
fn read_file(p: &Path) -> Result<Vec<u8>, Error> {
    crate::files::read_regular(p)
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
                    && ![&ITEMS, &REGIONS, &ASSIGNMENTS, &BODIES]
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
    /// Reads a catalog directory: the items table (required), regions, assignments and bodies
    /// (optional), every `laws/*.md` and `laws/MANIFEST.tsv`. Each table is a CSV file (`items.csv`…), a workbook
    /// of its own (`items.xlsx`, first sheet) or a sheet of the catalog workbook
    /// (`catalog.xlsx` or the directory's only other `*.xlsx`; sheets `items`/`事项`,
    /// `regions`/`区划`, `assignments`/`承接`, `bodies`/`机构`).
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
        let law_dir = match &base {
            Some(b) if !dir.join("laws").is_dir() => b.join("laws"),
            _ => dir.join("laws"),
        };
        let laws = law_files(&law_dir)?;
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
            bodies: find_table(dir, &BODIES, book.as_ref())?,
            laws,
        })
    }
}

/// Every `*.md` of a laws directory but its `README.md`, and its `MANIFEST.tsv`, by name;
/// none when there is no such directory.
fn law_files(law_dir: &Path) -> Result<Vec<SourceFile>, Error> {
    let mut laws = Vec::new();
    if law_dir.is_dir() {
        let entries =
            std::fs::read_dir(law_dir).map_err(|e| Error::io(law_dir.display().to_string(), &e))?;
        let mut paths: Vec<_> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension().is_some_and(|x| x == "md")
                    && p.file_name().is_none_or(|n| n != "README.md")
                    || p.file_name()
                        .is_some_and(|n| n == super::versions::MANIFEST)
            })
            .collect();
        paths.sort();
        for p in paths {
            laws.push(SourceFile::new(p.display().to_string(), read_file(&p)?));
        }
    }
    Ok(laws)
}

/// The `base: DIR` of a catalog directory's `catalog.txt`, resolved against the directory; it
/// must be a directory.
fn base_dir(dir: &Path) -> Result<Option<PathBuf>, Error> {
    let path = dir.join("catalog.txt");
    let Some(text) = read_file(&path)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
    else {
        // Missing, not a regular file or not UTF-8: `read_info` reports the last two.
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
