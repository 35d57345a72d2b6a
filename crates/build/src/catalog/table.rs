//! Reading a table, from a CSV file or a worksheet, into rows ordered like its columns.

use std::collections::HashSet;

use super::diags::{line_of, Diags, Locator};
use super::headers::{column_named, header_hint, match_header, Column};
use super::SourceFile;
use crate::csv_cell::unescape;
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

    /// The cell of the `i`th column, trimmed, moved out of the row (left empty).
    pub(super) fn take(&mut self, i: usize) -> String {
        self.values
            .get_mut(i)
            .map(std::mem::take)
            .unwrap_or_default()
    }
}

/// A sheet's header and records before its columns are matched.
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

/// Reads a CSV file record by record, without holding them: `each` gets every row without
/// errors. Returns the locator and the number of non-blank records, or `None` when the table
/// cannot be read (not UTF-8, no header, a header that lacks required columns); the records'
/// own errors are reported all the same. Errors go to `diags`.
fn scan_csv(
    file: &SourceFile,
    columns: &'static [Column],
    diags: &mut Diags,
    each: &mut dyn FnMut(Row, &Locator, &mut Diags),
) -> Option<(Locator, usize)> {
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
    let mut rec = csv::StringRecord::new();
    match reader.read_record(&mut rec) {
        Ok(true) => {}
        Ok(false) => {
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
        Err(e) => {
            diags.error(name, 1, format!("cannot read the header row: {e}"));
            return None;
        }
    }
    let header: Vec<String> = rec.iter().map(str::to_string).collect();
    let matched = match_columns(file, columns, &header, 1, diags);
    let mut seen = 0;
    loop {
        match reader.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                seen += 1;
                let line = e.position().map_or(0, |p| p.line() as usize);
                diags.error(name, line, format!("cannot read this row ({e}); check its quotes: a field with a comma or quote must be in double quotes, with quotes doubled inside"));
                continue;
            }
        }
        let line = rec.position().map_or(0, |p| p.line() as usize);
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        seen += 1;
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
        if let Some((loc, map)) = &matched {
            let cells = Cells {
                header: &header,
                map,
                columns,
                loc,
            };
            // The `'` written in front of a formula comes off (`crate::csv_cell`).
            let text = rec.iter().map(|c| unescape(c.trim()));
            if let Some(row) = cells.row(line, text, diags) {
                each(row, loc, diags);
            }
        }
    }
    matched.map(|(loc, _)| (loc, seen))
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
    let mut rows = Vec::new();
    let (loc, records) = scan_table(file, columns, diags, &mut |row, _, _| rows.push(row))?;
    Some(Table { loc, rows, records })
}

/// Reads a table (a CSV file or a worksheet) row by row, for a table too large to hold twice:
/// `each` gets every row without errors, ordered like `columns`, with the table's locator.
/// Returns the locator and the number of non-blank records (rows with errors included), or
/// `None` when the table cannot be read. Errors go to `diags`.
pub(super) fn scan_table(
    file: &SourceFile,
    columns: &'static [Column],
    diags: &mut Diags,
    each: &mut dyn FnMut(Row, &Locator, &mut Diags),
) -> Option<(Locator, usize)> {
    let Some(sheet) = &file.sheet else {
        return scan_csv(file, columns, diags, each);
    };
    let raw = read_sheet(file, sheet, columns, diags)?;
    let (loc, map) = match_columns(file, columns, &raw.header, raw.header_line, diags)?;
    let cells = Cells {
        header: &raw.header,
        map: &map,
        columns,
        loc: &loc,
    };
    for rec in &raw.records {
        if let Some(row) = cells.row(rec.line, rec.cells.iter().map(String::as_str), diags) {
            each(row, &loc, diags);
        }
    }
    Some((loc, raw.seen))
}

/// The table's locator and where each header cell goes among `columns` (see
/// [`match_header`]), or `None` when the header lacks required columns.
fn match_columns(
    file: &SourceFile,
    columns: &'static [Column],
    header: &[String],
    header_line: usize,
    diags: &mut Diags,
) -> Option<(Locator, Vec<Option<usize>>)> {
    let mut loc = Locator::of(file, columns);
    let map = match_header(header, header_line, columns, &loc, diags)?;
    if let Some((_, cols)) = &mut loc.sheet {
        *cols = (0..columns.len())
            .map(|i| map.iter().position(|m| *m == Some(i)).map(|p| p as u32))
            .collect();
    }
    Some((loc, map))
}

/// How a record's cells become a row: the header, where each cell goes (`map`), the columns.
struct Cells<'a> {
    header: &'a [String],
    map: &'a [Option<usize>],
    columns: &'a [Column],
    loc: &'a Locator,
}

impl Cells<'_> {
    /// The header of a record's `i`-th cell and the key of the column it goes to.
    fn column(&self, i: usize) -> (&str, Option<&'static str>) {
        let col = self.header.get(i).map_or("?", |s| s.as_str());
        let key = self
            .map
            .get(i)
            .copied()
            .flatten()
            .map(|k| self.columns[k].key);
        (col, key)
    }

    /// The row of a record, each cell moved to its column and trimmed; `None` (an error) when a
    /// cell is overlong.
    fn row<'c>(
        &self,
        line: usize,
        cells: impl Iterator<Item = &'c str> + Clone,
        diags: &mut Diags,
    ) -> Option<Row> {
        if let Some((i, cell)) = cells
            .clone()
            .enumerate()
            .find(|(_, c)| c.len() > MAX_CELL_BYTES)
        {
            let (col, key) = self.column(i);
            diags.at(
                self.loc,
                line,
                key,
                format!(
                    "the \"{col}\" field is {} bytes long; at most {MAX_CELL_BYTES} are allowed (is a closing quote missing?)",
                    cell.len()
                ),
            );
            return None;
        }
        for (i, cell) in cells.clone().enumerate() {
            if let Some(c) = super::bidi::bidi_control(cell) {
                let (col, key) = self.column(i);
                let what = format!("the \"{col}\" field");
                diags.warn_at(self.loc, line, key, super::bidi::message(&what, c));
            }
        }
        let mut values = vec![String::new(); self.columns.len()];
        for (cell, m) in cells.zip(self.map) {
            if let Some(i) = m {
                values[*i] = cell.trim().to_string();
            }
        }
        Some(Row { line, values })
    }
}
