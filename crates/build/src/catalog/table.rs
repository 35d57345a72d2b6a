//! Reading a table, from a CSV file or a worksheet, into rows ordered like its columns.

use std::collections::HashSet;

use super::diags::{line_of, Diags, Locator};
use super::headers::{column_named, header_hint, match_header, Column};
use super::SourceFile;
use crate::xlsx::{column_letters, Sheet, SheetRow};

/// The longest cell accepted; longer ones are almost always a missing closing quote.
const MAX_CELL_BYTES: usize = 16 * 1024;

/// A record of a table, its cells in the order of the table's columns.
pub(super) struct Row {
    /// The line (CSV) or row (sheet) it was read from.
    pub(super) line: usize,
    values: Vec<String>,
}

impl Row {
    /// The cell of the `i`th column, trimmed; empty when the table lacks the column.
    pub(super) fn get(&self, i: usize) -> &str {
        self.values.get(i).map(|s| s.as_str()).unwrap_or("")
    }
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
pub(super) struct Table {
    /// Names places in the table.
    pub(super) loc: Locator,
    /// The rows without errors.
    pub(super) rows: Vec<Row>,
    /// Non-blank records, rows with errors included.
    pub(super) records: usize,
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
pub(super) fn read_table(
    file: &SourceFile,
    columns: &'static [Column],
    diags: &mut Diags,
) -> Option<Table> {
    let raw = match &file.sheet {
        Some(sheet) => read_sheet(file, sheet, columns, diags)?,
        None => read_csv(file, columns, diags)?,
    };
    let mut loc = Locator::of(file, columns);
    let map = match_header(&raw.header, raw.header_line, columns, &loc, diags)?;
    if let Some((_, cols)) = &mut loc.sheet {
        *cols = (0..columns.len())
            .map(|i| map.iter().position(|m| *m == Some(i)).map(|p| p as u32))
            .collect();
    }
    let rows = rows(&raw, &map, columns, &loc, diags);
    Some(Table {
        loc,
        rows,
        records: raw.seen,
    })
}

/// The records of a table as rows, each cell moved to its column (`map`, from the header).
/// A record with an overlong cell is an error and left out.
fn rows(
    raw: &RawTable,
    map: &[Option<usize>],
    columns: &[Column],
    loc: &Locator,
    diags: &mut Diags,
) -> Vec<Row> {
    let mut rows = Vec::new();
    for rec in &raw.records {
        if let Some((i, cell)) = rec
            .cells
            .iter()
            .enumerate()
            .find(|(_, c)| c.len() > MAX_CELL_BYTES)
        {
            let col = raw.header.get(i).map_or("?", |s| s.as_str());
            let key = map.get(i).copied().flatten().map(|k| columns[k].key);
            diags.at(
                loc,
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
        for (cell, m) in rec.cells.iter().zip(map) {
            if let Some(i) = m {
                values[*i] = cell.trim().to_string();
            }
        }
        rows.push(Row {
            line: rec.line,
            values,
        });
    }
    rows
}
