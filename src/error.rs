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
    /// The index bytes cannot be used: why (with [`IndexError::code`] for a program), and the
    /// file they were read from, when the reader knows it.
    Index {
        /// What is wrong with the bytes.
        error: IndexError,
        /// The file the bytes came from (the CLI names it, see [`Error::in_file`]); `None` for
        /// bytes from elsewhere (a page's download).
        file: Option<String>,
    },
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
    /// A chunked index (see [`crate::format::web`]) needs these chunk files to answer, and they
    /// have not been added yet: fetch them (by name, beside the core), add each with
    /// [`crate::Index::add_chunk`], and ask again. Never a partial answer.
    NeedChunks(Vec<String>),
    /// A law text given to [`crate::amendment::amendment`] cannot be compared with the catalog:
    /// why, and the file it was read from when the caller knows it (see
    /// [`Error::in_law_file`]).
    Amendment {
        /// What is wrong with the text.
        error: crate::amendment::AmendError,
        /// The file the text came from; `None` for text from elsewhere (a page's upload).
        file: Option<String>,
    },
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
            Error::Index { error, file: None } => write!(f, "invalid index: {error}"),
            Error::Index {
                error,
                file: Some(file),
            } => write!(f, "invalid index: {file}: {error}"),
            Error::Io { path, message, .. } => write!(f, "{path}: {message}"),
            Error::Request(m) => write!(f, "{m}"),
            Error::Write(m) => write!(
                f,
                "cannot write the index: {m}; this is a bug in powerlist, please report it with the catalog"
            ),
            Error::NeedChunks(names) => write!(
                f,
                "the index needs chunks that are not loaded yet: {}; fetch them and add them with add_chunk",
                names.join(", ")
            ),
            Error::Amendment { error, file } => match (file, error.line()) {
                (Some(file), Some(line)) => write!(f, "{file}:{line}: {error}"),
                (Some(file), None) => write!(f, "{file}: {error}"),
                (None, Some(line)) => write!(f, "line {line}: {error}"),
                (None, None) => write!(f, "{error}"),
            },
        }
    }
}

impl std::error::Error for Error {}

impl Error {
    /// The same error, naming `file` as where the index bytes came from when it is an
    /// [`Error::Index`] (`invalid index: data/catalog.idx: …`); other errors are returned as
    /// they are.
    pub fn in_file(self, file: impl fmt::Display) -> Error {
        match self {
            Error::Index { error, .. } => Error::Index {
                error,
                file: Some(file.to_string()),
            },
            other => other,
        }
    }

    /// The same error, naming `file` as where the law text came from when it is an
    /// [`Error::Amendment`] (`new.md:3: …`); other errors (the index's) are returned as they are.
    pub fn in_law_file(self, file: impl fmt::Display) -> Error {
        match self {
            Error::Amendment { error, .. } => Error::Amendment {
                error,
                file: Some(file.to_string()),
            },
            other => other,
        }
    }

    /// What is wrong with the index bytes, when that is the error.
    pub fn index_error(&self) -> Option<&IndexError> {
        match self {
            Error::Index { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The error for `path` that the operating system reported, keeping its kind.
    pub fn io(path: impl fmt::Display, e: &std::io::Error) -> Error {
        Error::Io {
            path: path.to_string(),
            kind: e.kind(),
            message: e.to_string(),
        }
    }
}

impl From<IndexError> for Error {
    fn from(error: IndexError) -> Error {
        Error::Index { error, file: None }
    }
}

/// Why index bytes cannot be used, in the order [`crate::Index::from_bytes`] checks: the
/// header, the section table, the checksums, then what each section holds. Its `Display` is the
/// message people read (what is wrong and what to do); [`IndexError::code`] is the kind a
/// program branches on.
///
/// ```
/// use powerlist::error::{Error, IndexError};
/// let err = powerlist::Index::from_bytes(b"").unwrap_err();
/// assert!(matches!(err, Error::Index { error: IndexError::Empty, .. }));
/// assert_eq!(err.index_error().map(IndexError::code), Some("empty"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum IndexError {
    /// There are no bytes at all.
    Empty,
    /// The bytes do not start with [`crate::format::MAGIC`]: this is some other file.
    NotAnIndex,
    /// An index of a format version this powerlist does not read.
    Version {
        /// The version in the file's header.
        found: u32,
        /// The version this powerlist reads ([`crate::format::FORMAT_VERSION`]).
        supported: u32,
    },
    /// The bytes begin like an index but are too short to hold its header and checksum.
    Truncated {
        /// How many bytes there are.
        len: usize,
    },
    /// The section table does not fit the file.
    Table(TableError),
    /// The checksum over the header, the section table and the block checksums does not match.
    TableChecksum {
        /// The checksum the file holds.
        stored: u32,
        /// The checksum of its bytes.
        computed: u32,
    },
    /// A section this powerlist needs is not in the table.
    MissingSection {
        /// Its id ([`crate::format::section`]).
        section: u32,
    },
    /// A block of a section does not match its checksum.
    Checksum {
        /// The section's id ([`crate::format::section`]).
        section: u32,
        /// Which block of the section ([`crate::format::BLOCK`] bytes each), from 0.
        block: usize,
    },
    /// A blob table's record count and offsets do not fit its section.
    BlobTable {
        /// Which table.
        part: Part,
    },
    /// A part of the index passed its checksums but does not decode, or holds a number that
    /// points outside what it indexes (a forged or foreign file).
    Malformed {
        /// Which part.
        part: Part,
    },
    /// A chunk of a chunked index was written for another build of the index than its core
    /// (a stale cache, or files of two builds mixed on a server).
    ForeignChunk {
        /// The build the core is ([`crate::format::web::WebDir::build`]).
        expected: u64,
        /// The build the chunk says it belongs to.
        found: u64,
    },
    /// A chunk's bytes do not match the hash the core's directory holds for it (its name).
    ChunkChecksum {
        /// The chunk's name.
        chunk: String,
    },
    /// The bytes are the core of a chunked index (`build --web`), which is read with
    /// [`crate::Index::from_core`] and its chunks, not as a single-file index.
    ChunkedCore,
    /// The bytes are not the core of a chunked index (the single-file form, or a chunk).
    NotACore,
}

impl IndexError {
    /// The kind of problem, for a program to branch on: `"empty"` ([`IndexError::Empty`]),
    /// `"not-index"` ([`IndexError::NotAnIndex`]), `"version"` ([`IndexError::Version`]),
    /// `"foreign-chunk"` ([`IndexError::ForeignChunk`]: reload), `"wrong-form"` (a chunked core
    /// read as a single file or the reverse), else `"corrupt"` (the file is damaged, truncated
    /// or forged).
    pub fn code(&self) -> &'static str {
        match self {
            IndexError::Empty => "empty",
            IndexError::NotAnIndex => "not-index",
            IndexError::Version { .. } => "version",
            IndexError::ForeignChunk { .. } => "foreign-chunk",
            IndexError::ChunkedCore | IndexError::NotACore => "wrong-form",
            _ => "corrupt",
        }
    }
}

impl fmt::Display for IndexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const DAMAGED: &str = "; the file is damaged or truncated; download it again or rebuild it with `powerlist build`";
        match self {
            IndexError::Empty => write!(
                f,
                "the index is empty (0 bytes); build one with `powerlist build DATA_DIR -o FILE.idx`"
            ),
            IndexError::NotAnIndex => write!(
                f,
                "this is not a powerlist index (wrong magic bytes); build one with `powerlist build DATA_DIR -o FILE.idx` and check the URL or path"
            ),
            IndexError::Version { found, supported } => {
                let hint = if found > supported {
                    "upgrade powerlist (and the web page's module) to read it"
                } else {
                    "rebuild the index from its catalog with this powerlist"
                };
                write!(
                    f,
                    "the index has format version {found}, but powerlist {} reads format version {supported}; {hint}",
                    crate::VERSION
                )
            }
            IndexError::Truncated { len } => {
                write!(f, "the index is only {len} bytes long{DAMAGED}")
            }
            IndexError::Table(e) => write!(f, "{e}{DAMAGED}"),
            IndexError::TableChecksum { stored, computed } => write!(
                f,
                "checksum mismatch in the section table (stored {stored:08x}, computed {computed:08x}){DAMAGED}"
            ),
            IndexError::MissingSection { section } => {
                write!(f, "required section {section} is missing{DAMAGED}")
            }
            IndexError::Checksum { section, block } => write!(
                f,
                "checksum mismatch in section {section} (block {block}, bytes {}..){DAMAGED}",
                block.saturating_mul(crate::format::BLOCK)
            ),
            IndexError::BlobTable { part } => write!(f, "the {part} table is malformed{DAMAGED}"),
            IndexError::Malformed { part } => write!(
                f,
                "the {part} section is malformed; the file is damaged or was written by a different powerlist; rebuild it with `powerlist build`"
            ),
            IndexError::ForeignChunk { expected, found } => write!(
                f,
                "a chunk of build {found:016x} was offered to the index of build {expected:016x}: the files of two builds are mixed (a stale cache or a half-finished upload); reload the page, and if it persists, publish the output of one `powerlist build --web` whole"
            ),
            IndexError::ChunkChecksum { chunk } => {
                write!(f, "chunk {chunk} does not match its hash in the core{DAMAGED}")
            }
            IndexError::ChunkedCore => write!(
                f,
                "this is the core of a chunked index (written by `powerlist build --web`): load it with its chunks (from_core), or build a single file with `powerlist build DATA_DIR -o FILE.idx`"
            ),
            IndexError::NotACore => write!(
                f,
                "this is not the core of a chunked index (no chunk directory): load a single-file index with from_bytes, or point to core.bin written by `powerlist build --web DIR`"
            ),
        }
    }
}

/// How the section table fails to fit the file ([`IndexError::Table`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TableError {
    /// The header claims more sections than an index has.
    TooManySections {
        /// How many it claims.
        count: usize,
    },
    /// The table runs past the end of the file.
    PastEnd,
    /// An entry of the table is cut short.
    CutShort,
    /// A section's offset does not fit this machine's addresses.
    OffsetOutOfRange,
    /// A section's length does not fit this machine's addresses.
    LengthOutOfRange,
    /// A section's offset plus its length overflows.
    LengthOverflows,
    /// A section lies (partly) outside the file's sections.
    OutsideFile {
        /// Its id.
        section: u32,
        /// Where it starts.
        start: usize,
        /// Where it ends.
        end: usize,
        /// The file's length.
        len: usize,
    },
    /// A section id appears twice in the table.
    Duplicate {
        /// Its id.
        section: u32,
    },
    /// The block checksums the sections need run past the start of the file.
    ChecksumsPastStart,
    /// A section overlaps the block checksums.
    OverlapsChecksums {
        /// Its id.
        section: u32,
        /// Where it starts.
        start: usize,
        /// Where it ends.
        end: usize,
        /// Where the block checksums start.
        checksums: usize,
    },
    /// The file is larger than an index may be ([`crate::format::container::MAX_INDEX_BYTES`]).
    TooLarge {
        /// The file's length.
        len: u64,
        /// The largest index.
        max: u64,
    },
    /// The header, the sections the table declares and their block checksums do not add up to
    /// the file's length.
    SizeMismatch {
        /// The length the table declares.
        declared: u64,
        /// The file's length.
        len: u64,
    },
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TableError::TooManySections { count } => {
                write!(f, "the section table claims {count} sections")
            }
            TableError::PastEnd => write!(f, "the section table runs past the end of the file"),
            TableError::CutShort => write!(f, "the section table is cut short"),
            TableError::OffsetOutOfRange => write!(f, "a section offset is out of range"),
            TableError::LengthOutOfRange => write!(f, "a section length is out of range"),
            TableError::LengthOverflows => write!(f, "a section length overflows"),
            TableError::OutsideFile {
                section,
                start,
                end,
                len,
            } => write!(
                f,
                "section {section} lies outside the file (bytes {start}..{end} of {len})"
            ),
            TableError::Duplicate { section } => write!(f, "section {section} appears twice"),
            TableError::ChecksumsPastStart => {
                write!(f, "the block checksums run past the start of the file")
            }
            TableError::OverlapsChecksums {
                section,
                start,
                end,
                checksums,
            } => write!(
                f,
                "section {section} overlaps the block checksums (bytes {start}..{end}, checksums from {checksums})"
            ),
            TableError::TooLarge { len, max } => write!(
                f,
                "the file is {len} bytes long, more than an index may be ({max} bytes)"
            ),
            TableError::SizeMismatch { declared, len } => write!(
                f,
                "the section table declares {declared} bytes, but the file is {len} bytes long"
            ),
        }
    }
}

/// A part of an index, as an [`IndexError`] names it: a section, a table in one, or a
/// cross-check between sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Part {
    /// The catalog-wide metadata ([`crate::format::section::META`]).
    Metadata,
    /// The per-item attributes ([`crate::format::section::ATTRS`]).
    ItemAttributes,
    /// The item count the metadata, attributes, records and codes must agree on.
    ItemCount,
    /// The item records ([`crate::format::section::ITEMS`]).
    Items,
    /// The cited article texts ([`crate::format::section::ARTICLES`]).
    Articles,
    /// The codes FST ([`crate::format::section::CODES`]).
    Codes,
    /// The terms FST ([`crate::format::section::TERMS`]).
    Terms,
    /// The postings lists ([`crate::format::section::POSTINGS`]).
    Postings,
    /// The pinyin FST ([`crate::format::section::PINYIN`]) or the texts it points to.
    Pinyin,
    /// The regions of the regions section ([`crate::format::section::REGIONS`]).
    Regions,
    /// The assignments of the regions section.
    Assignments,
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Part::Metadata => "metadata",
            Part::ItemAttributes => "item attributes",
            Part::ItemCount => "item count",
            Part::Items => "items",
            Part::Articles => "articles",
            Part::Codes => "codes",
            Part::Terms => "terms",
            Part::Postings => "postings",
            Part::Pinyin => "pinyin",
            Part::Regions => "regions",
            Part::Assignments => "assignments",
        })
    }
}

/// Shorthand for results in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    /// The messages are what people (and the page, and the end-to-end tests) read: each kind's
    /// text, word for word.
    #[test]
    fn index_messages_are_unchanged() {
        let damaged = "; the file is damaged or truncated; download it again or rebuild it with `powerlist build`";
        let v = crate::VERSION;
        let cases: Vec<(IndexError, String)> = vec![
            (
                IndexError::Empty,
                "the index is empty (0 bytes); build one with `powerlist build DATA_DIR -o FILE.idx`".into(),
            ),
            (
                IndexError::NotAnIndex,
                "this is not a powerlist index (wrong magic bytes); build one with `powerlist build DATA_DIR -o FILE.idx` and check the URL or path".into(),
            ),
            (
                IndexError::Version { found: 3, supported: 2 },
                format!("the index has format version 3, but powerlist {v} reads format version 2; upgrade powerlist (and the web page's module) to read it"),
            ),
            (
                IndexError::Version { found: 1, supported: 2 },
                format!("the index has format version 1, but powerlist {v} reads format version 2; rebuild the index from its catalog with this powerlist"),
            ),
            (IndexError::Truncated { len: 7 }, format!("the index is only 7 bytes long{damaged}")),
            (
                IndexError::Table(TableError::TooManySections { count: 300 }),
                format!("the section table claims 300 sections{damaged}"),
            ),
            (
                IndexError::Table(TableError::PastEnd),
                format!("the section table runs past the end of the file{damaged}"),
            ),
            (
                IndexError::Table(TableError::CutShort),
                format!("the section table is cut short{damaged}"),
            ),
            (
                IndexError::Table(TableError::OffsetOutOfRange),
                format!("a section offset is out of range{damaged}"),
            ),
            (
                IndexError::Table(TableError::LengthOutOfRange),
                format!("a section length is out of range{damaged}"),
            ),
            (
                IndexError::Table(TableError::LengthOverflows),
                format!("a section length overflows{damaged}"),
            ),
            (
                IndexError::Table(TableError::OutsideFile { section: 7, start: 10, end: 99, len: 50 }),
                format!("section 7 lies outside the file (bytes 10..99 of 50){damaged}"),
            ),
            (
                IndexError::Table(TableError::Duplicate { section: 2 }),
                format!("section 2 appears twice{damaged}"),
            ),
            (
                IndexError::Table(TableError::ChecksumsPastStart),
                format!("the block checksums run past the start of the file{damaged}"),
            ),
            (
                IndexError::Table(TableError::OverlapsChecksums { section: 9, start: 100, end: 200, checksums: 150 }),
                format!("section 9 overlaps the block checksums (bytes 100..200, checksums from 150){damaged}"),
            ),
            (
                IndexError::TableChecksum { stored: 0xab, computed: 0x1234_5678 },
                format!("checksum mismatch in the section table (stored 000000ab, computed 12345678){damaged}"),
            ),
            (
                IndexError::MissingSection { section: 8 },
                format!("required section 8 is missing{damaged}"),
            ),
            (
                IndexError::Checksum { section: 7, block: 2 },
                format!("checksum mismatch in section 7 (block 2, bytes 32768..){damaged}"),
            ),
            (
                IndexError::BlobTable { part: Part::Articles },
                format!("the articles table is malformed{damaged}"),
            ),
            (
                IndexError::Malformed { part: Part::ItemCount },
                "the item count section is malformed; the file is damaged or was written by a different powerlist; rebuild it with `powerlist build`".into(),
            ),
        ];
        for (e, want) in cases {
            assert_eq!(e.to_string(), want);
            let err = Error::from(e.clone());
            assert_eq!(err.to_string(), format!("invalid index: {want}"));
            assert_eq!(
                err.in_file("a/b.idx").to_string(),
                format!("invalid index: a/b.idx: {want}")
            );
        }
    }

    #[test]
    fn parts_are_named_as_before() {
        let names = [
            (Part::Metadata, "metadata"),
            (Part::ItemAttributes, "item attributes"),
            (Part::ItemCount, "item count"),
            (Part::Items, "items"),
            (Part::Articles, "articles"),
            (Part::Codes, "codes"),
            (Part::Terms, "terms"),
            (Part::Postings, "postings"),
            (Part::Pinyin, "pinyin"),
            (Part::Regions, "regions"),
            (Part::Assignments, "assignments"),
        ];
        for (part, name) in names {
            assert_eq!(part.to_string(), name);
        }
    }

    #[test]
    fn codes() {
        assert_eq!(IndexError::Empty.code(), "empty");
        assert_eq!(IndexError::NotAnIndex.code(), "not-index");
        let v = IndexError::Version {
            found: 9,
            supported: 2,
        };
        assert_eq!(v.code(), "version");
        assert_eq!(
            IndexError::Checksum {
                section: 1,
                block: 0
            }
            .code(),
            "corrupt"
        );
        assert_eq!(
            IndexError::Malformed { part: Part::Terms }.code(),
            "corrupt"
        );
    }
}
