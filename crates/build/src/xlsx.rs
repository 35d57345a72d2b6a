//! Reading worksheets of an `.xlsx` workbook as plain text grids.
//!
//! Catalog maintainers keep their lists in Excel. [`Workbook::read`] turns every worksheet into a
//! [`Sheet`]: rows of cell texts, each row keeping its 1-based Excel row number, so the catalog
//! reader can treat a sheet like a CSV file and still name the sheet, row and column in its
//! messages. What Excel adds on top of a table is smoothed away here:
//!
//! - **Merged cells**: a region merged over several rows gives its value to every row it covers
//!   (a 领域 merged over a group of items, a header merged over two header rows); a region merged
//!   over several columns keeps its value in its leftmost column only (a title over the whole
//!   table, a group header over several columns).
//! - **Numbers** read as text the way they look: a code typed as `1001` is `"1001"`, not
//!   `"1001.0"`; dates are `YYYY-MM-DD`.
//! - **Blank trailing rows and columns** are dropped.
//!
//! Reading never panics, whatever the bytes; a file that is not an `.xlsx` workbook gets an error
//! that says what to do.
//!
//! ```
//! let err = powerlist_build::xlsx::Workbook::read("catalog.xlsx", b"code,name\n").unwrap_err();
//! assert!(err.to_string().contains("save it as an Excel workbook (.xlsx)"));
//! ```

use std::collections::{BTreeMap, HashMap};
use std::io::{Cursor, Read};

use calamine::{Data, DataRef, Dimensions, Reader, Xlsx};

use powerlist::error::Error;

/// Cells beyond this column are ignored (catalog tables have about ten columns).
pub const MAX_COLUMNS: u32 = 256;

/// At most this many non-empty cells are read from one workbook.
pub const MAX_CELLS: usize = 50_000_000;

/// The most bytes one part of a workbook (a sheet's XML, the shared strings…) may expand to:
/// a catalog's sheet is a few dozen MB; a zip bomb (a small file whose part inflates to GBs)
/// is refused.
pub const MAX_PART_BYTES: u64 = 256 << 20;

/// The most bytes all the parts of a workbook may expand to together.
pub const MAX_WORKBOOK_BYTES: u64 = 1 << 30;

/// The worksheets of one workbook.
#[derive(Debug, Clone)]
pub struct Workbook {
    /// How messages name the file (e.g. `data/catalog.xlsx`).
    pub file: String,
    /// The worksheets, in workbook order.
    pub sheets: Vec<Sheet>,
}

/// One worksheet as text.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    /// The sheet's name (its tab).
    pub name: String,
    /// The non-blank rows, top to bottom.
    pub rows: Vec<SheetRow>,
}

/// One non-blank row of a worksheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    /// The 1-based Excel row number.
    pub number: u32,
    /// Cell texts by column (index 0 is column A), trimmed; blank trailing cells dropped.
    pub cells: Vec<String>,
    /// The last row (1-based) that a region merged down from this row covers; `number` when no
    /// region starts here. A header row merged over two rows ends at the second.
    pub merged_to: u32,
}

/// The letters of a 0-based column index: 0 → `A`, 25 → `Z`, 26 → `AA`.
///
/// ```
/// assert_eq!(powerlist_build::xlsx::column_letters(6), "G");
/// assert_eq!(powerlist_build::xlsx::column_letters(27), "AB");
/// ```
pub fn column_letters(column: u32) -> String {
    let mut n = u64::from(column) + 1;
    let mut out = Vec::new();
    while n > 0 {
        let d = ((n - 1) % 26) as u8;
        out.push(b'A' + d);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8_lossy(&out).into_owned()
}

impl Workbook {
    /// Reads every worksheet of an `.xlsx` workbook. `file` names it in messages.
    pub fn read(file: &str, bytes: &[u8]) -> Result<Workbook, Error> {
        let fail = |what: String| Error::Io {
            path: file.to_string(),
            kind: std::io::ErrorKind::InvalidData,
            message: what,
        };
        if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
            return Err(fail(
                "this is an old Excel 97-2003 workbook (.xls); open it in Excel and save it as an Excel workbook (.xlsx) or as CSV UTF-8".into(),
            ));
        }
        if !bytes.starts_with(b"PK") {
            return Err(fail(
                "not an Excel workbook (an .xlsx file is a zip archive; is it a CSV file renamed?); save it as an Excel workbook (.xlsx), or as CSV UTF-8 named items.csv, regions.csv, assignments.csv".into(),
            ));
        }
        let unreadable = |e: calamine::XlsxError| {
            fail(format!(
                "cannot read this workbook ({e}); it may be damaged or truncated: open it in Excel and save it again as an Excel workbook (.xlsx), or as CSV UTF-8"
            ))
        };
        match check_parts(bytes) {
            Ok(()) => {}
            Err(Problem::Reference(bad)) => return Err(fail(format!(
                "cannot read this workbook (a cell reference \"{bad}\" is malformed); it may be damaged: open it in Excel and save it again as an Excel workbook (.xlsx), or as CSV UTF-8"
            ))),
            Err(Problem::TooLarge(part, limit)) => return Err(fail(format!(
                "its part {part} expands to more than {limit} bytes, more than a catalog needs (or a zip bomb); save the catalog as CSV UTF-8, or split it into several workbooks"
            ))),
        }
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
        let mut sheets = Vec::new();
        let mut budget = MAX_CELLS;
        for name in book.sheet_names() {
            let merges = match book.worksheet_merge_cells(&name) {
                Some(Ok(m)) => m,
                Some(Err(e)) => return Err(unreadable(e)),
                None => Vec::new(),
            };
            let (grid, complete) = read_cells(&mut book, &name, &mut budget).map_err(unreadable)?;
            if !complete {
                return Err(fail(format!(
                    "sheet [{name}]: the workbook has more than {MAX_CELLS} filled cells; split the catalog or save it as CSV UTF-8"
                )));
            }
            sheets.push(Sheet::from_grid(name, grid, &merges));
        }
        Ok(Workbook {
            file: file.to_string(),
            sheets,
        })
    }

    /// The sheet with this name, ignoring case and surrounding spaces.
    pub fn sheet(&self, name: &str) -> Option<&Sheet> {
        let want = name.trim().to_lowercase();
        self.sheets
            .iter()
            .find(|s| s.name.trim().to_lowercase() == want)
    }
}

/// Why [`check_parts`] refuses a workbook.
enum Problem {
    /// A malformed cell reference.
    Reference(String),
    /// A part (or all parts, named `all parts`) expands to more than this many bytes.
    TooLarge(String, u64),
}

/// Checks every part of the workbook before calamine reads it: its size, declared and as it is
/// inflated (at most [`MAX_PART_BYTES`] each, [`MAX_WORKBOOK_BYTES`] together; what is
/// inflated is counted, so a forged declared size does not help), and the cell references
/// (`r="B2"`, `ref="A1:I6"`) of every worksheet: calamine 0.35 computes with them unchecked and
/// panics (in builds with overflow checks) on a reversed range (`ref="P3:D4"`) or a reference
/// longer than Excel allows. A file that is not a zip archive passes: calamine's own error says
/// so.
fn check_parts(bytes: &[u8]) -> Result<(), Problem> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let mut total = 0u64;
    for i in 0..zip.len() {
        let Ok(mut entry) = zip.by_index(i) else {
            continue;
        };
        let name = entry.name().to_string();
        let too_large = || Problem::TooLarge(name.clone(), MAX_PART_BYTES);
        if entry.size() > MAX_PART_BYTES {
            return Err(too_large());
        }
        let size = inflate(&mut entry);
        if size > MAX_PART_BYTES {
            return Err(too_large());
        }
        total += size;
        if total > MAX_WORKBOOK_BYTES {
            return Err(Problem::TooLarge("all parts".into(), MAX_WORKBOOK_BYTES));
        }
        let lower = name.to_ascii_lowercase();
        drop(entry);
        if lower.starts_with("xl/worksheets/") && lower.ends_with(".xml") {
            // Its size is known now: read it again, whole.
            let Ok(entry) = zip.by_index(i) else {
                continue;
            };
            let mut xml = Vec::with_capacity(size as usize);
            // A checksum error comes at the end: what was read is still what calamine will see.
            let _ = entry.take(size).read_to_end(&mut xml);
            check_references(&xml).map_err(Problem::Reference)?;
        }
    }
    Ok(())
}

/// Inflates a part, at most [`MAX_PART_BYTES`] + 1 bytes of it (nothing is kept); how many. A
/// damaged part ends early.
fn inflate(entry: &mut impl Read) -> u64 {
    let mut buf = vec![0u8; 64 << 10];
    let mut n = 0u64;
    while n <= MAX_PART_BYTES {
        match entry.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(k) => n += k as u64,
        }
    }
    n
}

/// The first malformed cell reference of a worksheet's XML.
fn check_references(xml: &[u8]) -> Result<(), String> {
    for attr in [&b" r=\""[..], b" ref=\"", b" sqref=\""] {
        let mut rest = xml;
        while let Some(at) = find(rest, attr) {
            rest = &rest[at + attr.len()..];
            let end = find(rest, b"\"").unwrap_or(rest.len());
            let value = &rest[..end];
            if !value.split(|&b| b == b' ').all(valid_range) {
                return Err(String::from_utf8_lossy(value).into_owned());
            }
        }
    }
    Ok(())
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// `A1`, `$A$1`, `A1:C3` (start before end), or no letters / no digits (whole rows, columns).
fn valid_range(range: &[u8]) -> bool {
    let cell = |c: &[u8]| -> Option<(u64, u64)> {
        let c: Vec<u8> = c.iter().copied().filter(|&b| b != b'$').collect();
        let letters = c.iter().take_while(|b| b.is_ascii_alphabetic()).count();
        let (col, row) = c.split_at(letters);
        if letters > 3 || row.len() > 7 || !row.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let col = col.iter().fold(0u64, |n, b| {
            n * 26 + u64::from(b.to_ascii_uppercase() - b'A') + 1
        });
        let row = row.iter().fold(0u64, |n, b| n * 10 + u64::from(b - b'0'));
        Some((row, col))
    };
    let mut parts = range.split(|&b| b == b':');
    let (Some(a), b, None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let Some(start) = cell(a) else { return false };
    match b.map(cell) {
        None => true,
        Some(None) => false,
        Some(Some(end)) => end.0 >= start.0 && end.1 >= start.1,
    }
}

/// Non-empty cells as (row, column, text), 0-based.
type Cells = Vec<(u32, u32, String)>;

/// The non-empty cells of a sheet in reading order, and
/// whether they all fitted in `budget` (which is lowered by the cells read).
fn read_cells(
    book: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    budget: &mut usize,
) -> Result<(Cells, bool), calamine::XlsxError> {
    let mut reader = book.worksheet_cells_reader(name)?;
    let mut out = Vec::new();
    while let Some(cell) = reader.next_cell()? {
        let (row, col) = cell.get_position();
        if col >= MAX_COLUMNS {
            continue;
        }
        let text = cell_text(cell.get_value());
        if text.is_empty() {
            continue;
        }
        if *budget == 0 {
            return Ok((out, false));
        }
        *budget -= 1;
        out.push((row, col, text));
    }
    Ok((out, true))
}

/// A cell's text as a person reads it in Excel.
fn cell_text(value: &DataRef<'_>) -> String {
    let text = match value {
        DataRef::Empty => return String::new(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        DataRef::DateTime(d) if d.is_datetime() => {
            let (y, mo, da, h, mi, s, _) = d.to_ymd_hms_milli();
            if (h, mi, s) == (0, 0, 0) {
                format!("{y:04}-{mo:02}-{da:02}")
            } else {
                format!("{y:04}-{mo:02}-{da:02} {h:02}:{mi:02}:{s:02}")
            }
        }
        DataRef::DateTime(d) => number_text(d.as_f64()),
        DataRef::Error(e) => Data::Error(e.clone()).to_string(),
    };
    text.trim().to_string()
}

/// A number as text: whole numbers without a decimal point (`1001`, not `1001.0`).
fn number_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

impl Sheet {
    /// Builds the text grid from sparse cells and the sheet's merged regions.
    fn from_grid(name: String, cells: Cells, merges: &[Dimensions]) -> Sheet {
        let mut by_row: BTreeMap<u32, Vec<String>> = BTreeMap::new();
        for (row, col, text) in cells {
            set(by_row.entry(row).or_default(), col, text);
        }
        // A merged region's value sits in its top-left cell: copy it down the leftmost column,
        // into the rows below that have other cells (a merged cell alone does not make a row).
        let mut merged_to: HashMap<u32, u32> = HashMap::new();
        for m in merges {
            let (top, left) = m.start;
            let bottom = m.end.0.max(top);
            let end = merged_to.entry(top).or_insert(top);
            *end = (*end).max(bottom);
            let text = by_row
                .get(&top)
                .and_then(|cells| cells.get(left as usize))
                .filter(|t| !t.is_empty())
                .cloned();
            let (Some(text), Some(below)) = (text, top.checked_add(1)) else {
                continue;
            };
            if below > bottom {
                continue; // one row: nothing to copy down
            }
            for (_, cells) in by_row.range_mut(below..=bottom) {
                set(cells, left, text.clone());
            }
        }
        let rows = by_row
            .into_iter()
            .filter_map(|(row, mut cells)| {
                while cells.last().is_some_and(|c| c.is_empty()) {
                    cells.pop();
                }
                if cells.is_empty() {
                    return None;
                }
                let number = row.saturating_add(1);
                Some(SheetRow {
                    number,
                    cells,
                    merged_to: merged_to
                        .get(&row)
                        .map_or(number, |&end| end.saturating_add(1)),
                })
            })
            .collect();
        Sheet { name, rows }
    }
}

/// Sets column `col` of a row, widening it as needed.
fn set(cells: &mut Vec<String>, col: u32, text: String) {
    let col = col as usize;
    if cells.len() <= col {
        cells.resize(col + 1, String::new());
    }
    cells[col] = text;
}
