//! The optional columns of the assignments table that say when an assignment holds and what
//! made it: `document` (文件文号) with `document_date` (发文日期) and `basis_document`
//! (依据文件), `from` (起始日期), `until` (收回日期: the first day it no longer holds),
//! `end_document` (收回文件) and `note` (备注).

use std::collections::HashMap;

use super::diags::{Diags, Locator};
use super::table::Row;
use super::{Date, Document, Terms};

/// The columns' positions in the assignments table's columns.
pub(super) const DOCUMENT: usize = 4;
const DOCUMENT_DATE: usize = 5;
const BASIS: usize = 6;
const FROM: usize = 7;
const UNTIL: usize = 8;
const END_DOCUMENT: usize = 9;
const NOTE: usize = 10;

/// The longest document number (文号) and basis accepted, in characters.
const MAX_NUMBER_CHARS: usize = 100;
/// The longest note accepted, in characters.
const MAX_NOTE_CHARS: usize = 500;

/// A date as catalogs write it: `2025-08-01`, `2025-8-1`, `2025/8/1`, `2025.8.1`,
/// `2025年8月1日` or `20250801` (a worksheet's date cells read as `YYYY-MM-DD`).
pub(super) fn parse_date(cell: &str) -> Option<Date> {
    let s = cell.trim();
    let number = |t: &str| {
        (!t.is_empty() && t.len() <= 4 && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse::<u32>().ok())
            .flatten()
    };
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        return Date::from_ymd(s.parse().ok()?);
    }
    let parts: Vec<&str> = match s.strip_suffix('日') {
        Some(rest) => rest.split(['年', '月']).collect(),
        None => s.split(['-', '/', '.']).collect(),
    };
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 => Date::new(number(y)?, number(m)?, number(d)?),
        _ => None,
    }
}

/// The documents the assignments name, each once, and the line that first gave each one's
/// date and basis.
#[derive(Default)]
pub(super) struct Documents {
    pub(super) list: Vec<Document>,
    by_number: HashMap<String, u32>,
    /// Where each document's date and basis were given (0: not given yet).
    lines: Vec<(usize, usize)>,
}

impl Documents {
    /// The document numbered `number`, added when new.
    fn named(&mut self, number: &str) -> u32 {
        if let Some(&i) = self.by_number.get(number) {
            return i;
        }
        let i = self.list.len() as u32;
        self.list.push(Document {
            number: number.to_string(),
            ..Document::default()
        });
        self.lines.push((0, 0));
        self.by_number.insert(number.to_string(), i);
        i
    }

    /// The terms of a row: `Ok(None)` when it has none, `Err(())` when a cell is wrong (the
    /// errors are in `diags`).
    pub(super) fn terms(
        &mut self,
        row: &mut Row,
        loc: &Locator,
        diags: &mut Diags,
    ) -> Result<Option<Box<Terms>>, ()> {
        if (DOCUMENT..=NOTE).all(|i| row.get(i).is_empty()) {
            return Ok(None);
        }
        let line = row.line;
        let mut ok = true;
        let mut date = |i: usize, key: &str, label: &str, diags: &mut Diags| {
            let cell = row.get(i);
            if cell.is_empty() {
                return None;
            }
            let d = parse_date(cell);
            if d.is_none() {
                diags.at(loc, line, Some(key), format!(
                    "the {label} ({key}) \"{cell}\" is not a date; write it as YYYY-MM-DD, e.g. 2025-08-01"
                ));
                ok = false;
            }
            d
        };
        let document_date = date(DOCUMENT_DATE, "document_date", "发文日期", diags);
        let from = date(FROM, "from", "起始日期", diags);
        let until = date(UNTIL, "until", "收回日期", diags);
        for (i, key, label, max) in [
            (DOCUMENT, "document", "文件文号", MAX_NUMBER_CHARS),
            (BASIS, "basis_document", "依据文件", MAX_NUMBER_CHARS),
            (END_DOCUMENT, "end_document", "收回文件", MAX_NUMBER_CHARS),
            (NOTE, "note", "备注", MAX_NOTE_CHARS),
        ] {
            let n = row.get(i).chars().count();
            if n > max {
                diags.at(
                    loc,
                    line,
                    Some(key),
                    format!("the {label} ({key}) has {n} characters, more than {max}; shorten it"),
                );
                ok = false;
            }
        }
        if let (Some(f), Some(u)) = (from, until) {
            if u <= f {
                diags.at(loc, line, Some("until"), format!(
                    "the 收回日期 (until) {u} is not after the 起始日期 (from) {f}; until is the first day the assignment no longer holds (自该日起上收), so it comes after from"
                ));
                ok = false;
            }
        }
        if row.get(DOCUMENT).is_empty()
            && !(row.get(DOCUMENT_DATE).is_empty() && row.get(BASIS).is_empty())
        {
            diags.at(loc, line, Some("document"), "a 发文日期 (document_date) or 依据文件 (basis_document) belongs to a document: give its number in 文件文号 (document)".into());
            ok = false;
        }
        if !row.get(END_DOCUMENT).is_empty() && until.is_none() {
            diags.at(loc, line, Some("until"), "a 收回文件 (end_document) takes the power back from a day: give it in 收回日期 (until), YYYY-MM-DD".into());
            ok = false;
        }
        if !ok {
            return Err(());
        }
        let document = match row.get(DOCUMENT) {
            "" => None,
            number => {
                Some(self.described(number, document_date, row.get(BASIS), line, loc, diags)?)
            }
        };
        let end_document = match row.get(END_DOCUMENT) {
            "" => None,
            number => Some(self.named(number)),
        };
        Ok(Some(Box::new(Terms {
            from,
            until,
            document,
            end_document,
            note: row.take(NOTE),
        })))
    }

    /// The document `number`, with the date and basis this row (at `line`) gives it: the same
    /// document must have the same date and basis on every row that gives them.
    fn described(
        &mut self,
        number: &str,
        date: Option<Date>,
        basis: &str,
        line: usize,
        loc: &Locator,
        diags: &mut Diags,
    ) -> Result<u32, ()> {
        let i = self.named(number);
        let (doc, lines) = (&mut self.list[i as usize], &mut self.lines[i as usize]);
        let mut ok = true;
        if let Some(d) = date {
            match doc.date {
                Some(e) if e != d => {
                    diags.at(loc, line, Some("document_date"), format!(
                        "document {number} is dated {e} on line {}, {d} here; one document has one date (发文日期)", lines.0
                    ));
                    ok = false;
                }
                Some(_) => {}
                None => (doc.date, lines.0) = (Some(d), line),
            }
        }
        if !basis.is_empty() {
            if doc.basis.is_empty() {
                (doc.basis, lines.1) = (basis.to_string(), line);
            } else if doc.basis != basis {
                diags.at(loc, line, Some("basis_document"), format!(
                    "document {number} rests on {} on line {}, on {basis} here; give one 依据文件 (basis_document) per document", doc.basis, lines.1
                ));
                ok = false;
            }
        }
        ok.then_some(i).ok_or(())
    }
}

/// The period of an assignment as numbers: `[from, until)`, from 0 and until `u32::MAX` when
/// not given.
pub(super) fn period(terms: Option<&Terms>) -> (u32, u32) {
    let from = terms.and_then(|t| t.from).map_or(0, Date::ymd);
    let until = terms.and_then(|t| t.until).map_or(u32::MAX, Date::ymd);
    (from, until)
}

/// A period for messages: `2021-06-01 to 2025-08-01`, `from 2021-06-01`, `always`.
pub(super) fn describe(terms: Option<&Terms>) -> String {
    match (terms.and_then(|t| t.from), terms.and_then(|t| t.until)) {
        (None, None) => "with no period".into(),
        (Some(f), None) => format!("from {f}"),
        (None, Some(u)) => format!("until {u}"),
        (Some(f), Some(u)) => format!("from {f} until {u}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_catalogs_write_them() {
        for s in [
            "2025-08-01",
            "2025-8-1",
            "2025/8/1",
            "2025.08.01",
            "2025年8月1日",
            "20250801",
            " 2025-08-01 ",
        ] {
            assert_eq!(
                parse_date(s).map(|d| d.to_string()).as_deref(),
                Some("2025-08-01"),
                "{s}"
            );
        }
        for s in [
            "2025-13-01",
            "2025-02-30",
            "25-8-1",
            "2025-8",
            "2025年8月",
            "八月一日",
            "2025-08-01T00:00",
            "x",
        ] {
            assert_eq!(parse_date(s), None, "{s}");
        }
    }
}
