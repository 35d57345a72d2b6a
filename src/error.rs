//! Errors. Each one says what is wrong and what to do about it.

use std::fmt;

/// A problem in a catalog source file, at a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, as the user named it (e.g. `data/items.csv`).
    pub file: String,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// What is wrong and how to fix it.
    pub message: String,
    /// A warning does not stop a build.
    pub warning: bool,
    /// When the file is a workbook: the sheet, and the column when the problem is in one cell.
    pub sheet: Option<SheetPlace>,
}

/// A place in a workbook: `[items] row 12, column G (basis)`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SheetPlace {
    /// The sheet's name.
    pub sheet: String,
    /// The column's letters and what it holds, e.g. `G (basis)`.
    pub column: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.warning { "warning: " } else { "" };
        if let Some(place) = &self.sheet {
            write!(f, "{} [{}]", self.file, place.sheet)?;
            if self.line != 0 {
                write!(f, " row {}", self.line)?;
            }
            if let Some(column) = &place.column {
                write!(f, ", column {column}")?;
            }
            return write!(f, ": {kind}{}", self.message);
        }
        if self.line == 0 {
            write!(f, "{}: {kind}{}", self.file, self.message)
        } else {
            write!(f, "{}:{}: {kind}{}", self.file, self.line, self.message)
        }
    }
}

/// Everything that can go wrong in powerlist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The catalog has errors (warnings are included for context).
    Catalog(Vec<Diagnostic>),
    /// The index bytes cannot be used.
    Index(String),
    /// A file could not be read or written (or is not what it should be).
    Io {
        /// The path involved.
        path: String,
        /// What kind of failure: the operating system's, or `InvalidData`, `InvalidInput`,
        /// `NotFound` for a file powerlist refuses.
        kind: std::io::ErrorKind,
        /// The operating system's message, or what is wrong and what to do.
        message: String,
    },
    /// A request that cannot be served (an unknown region, a bad option).
    Request(String),
    /// The index writer could not encode what a valid catalog holds (a bug, not bad input:
    /// the message says which step failed).
    Write(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Catalog(diags) => {
                let errors = diags.iter().filter(|d| !d.warning).count();
                for d in diags {
                    writeln!(f, "{d}")?;
                }
                write!(f, "the catalog has {errors} error(s); nothing was written")
            }
            Error::Index(m) => write!(f, "invalid index: {m}"),
            Error::Io { path, message, .. } => write!(f, "{path}: {message}"),
            Error::Request(m) => write!(f, "{m}"),
            Error::Write(m) => write!(
                f,
                "cannot write the index: {m}; this is a bug in powerlist, please report it with the catalog"
            ),
        }
    }
}

impl std::error::Error for Error {}

impl Error {
    /// The error for `path` that the operating system reported, keeping its kind.
    pub fn io(path: impl fmt::Display, e: &std::io::Error) -> Error {
        Error::Io {
            path: path.to_string(),
            kind: e.kind(),
            message: e.to_string(),
        }
    }
}

/// Shorthand for results in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
