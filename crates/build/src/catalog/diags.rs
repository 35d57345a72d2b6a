//! Diagnostics: where in a table a problem is, and the list of problems found.

use super::headers::Column;
use super::SourceFile;
use crate::xlsx::column_letters;
use powerlist::error::{Diagnostic, SheetPlace};

/// Names places in a table for messages: `file:line` for a CSV file, `file [sheet] row N,
/// column G (key)` for a worksheet.
pub(super) struct Locator {
    file: String,
    /// The sheet's name and, for each of the table's columns, the sheet column it was read from.
    pub(super) sheet: Option<(String, Vec<Option<u32>>)>,
    columns: &'static [Column],
}

impl Locator {
    /// The locator of a table read from `file`; the sheet columns are set once the header
    /// is matched.
    pub(super) fn of(file: &SourceFile, columns: &'static [Column]) -> Locator {
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

/// The problems found so far, in the order found.
pub(super) struct Diags {
    pub(super) list: Vec<Diagnostic>,
}

impl Diags {
    /// An error at `line` of `file` (0: the whole file).
    pub(super) fn error(&mut self, file: &str, line: usize, message: String) {
        self.list.push(Diagnostic {
            file: file.to_string(),
            line,
            message,
            warning: false,
            sheet: None,
        });
    }
    /// A warning at `line` of `file`.
    pub(super) fn warn(&mut self, file: &str, line: usize, message: String) {
        self.list.push(Diagnostic {
            file: file.to_string(),
            line,
            message,
            warning: true,
            sheet: None,
        });
    }
    /// An error at `line` of a table, in the column of `key` (none: the whole row).
    pub(super) fn at(&mut self, loc: &Locator, line: usize, key: Option<&str>, message: String) {
        self.list.push(loc.diagnostic(line, key, message));
    }
    /// A warning at `line` of a table, in the column of `key`.
    pub(super) fn warn_at(
        &mut self,
        loc: &Locator,
        line: usize,
        key: Option<&str>,
        message: String,
    ) {
        let mut d = loc.diagnostic(line, key, message);
        d.warning = true;
        self.list.push(d);
    }
    pub(super) fn has_errors(&self) -> bool {
        self.list.iter().any(|d| !d.warning)
    }
}

/// The line (1-based) of byte offset `at` in `bytes`.
pub(super) fn line_of(bytes: &[u8], at: usize) -> usize {
    bytes[..at.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Diagnostics grouped by file and sheet (in order of first appearance), then by line.
pub(super) fn sorted(list: Vec<Diagnostic>) -> Vec<Diagnostic> {
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
