//! # powerlist-build
//!
//! The maintainers' side of [powerlist]: from the files a government publishes to the
//! index the browser searches, and back out.
//!
//! 1. [`catalog::Sources`] holds the maintainers' files (`items.csv`, `regions.csv`,
//!    `assignments.csv` or the sheets of an Excel workbook, see [`mod@xlsx`]; `laws/*.md`);
//!    [`catalog::Catalog::compile`] validates them and resolves every citation to an article,
//!    reporting each problem as `file:line: message` (`file [sheet] row N, column G (key):` in a
//!    workbook); [`lint`] adds warnings a valid catalog may still deserve.
//! 2. [`writer::write_index`] compiles the catalog into one index file, in the format that
//!    [`powerlist::format`] describes and [`powerlist::Index`] reads.
//!    [`web::split`] cuts that file into the chunked form a page fetches piece by piece.
//! 3. [`export`] writes an index back out: the CSV source files, a region's printable list.
//!    Cells that a spreadsheet would run as formulas get a leading `'` ([`csv_cell`]), which
//!    the catalog reader takes off again.
//!    `synth` (native only) generates large catalogs for the benchmarks.
//!
//! ```
//! use powerlist_build::catalog::{Catalog, SourceFile, Sources};
//! let sources = Sources {
//!     items: SourceFile::new("items.csv",
//!         "code,name,type,field,level,department,basis\nA-1,对乱扔垃圾的行政处罚,行政处罚,城市管理,县级,城管,\n"),
//!     regions: None, assignments: None, bodies: None, laws: vec![] };
//! let bytes = powerlist_build::writer::write_index(&Catalog::compile(&sources)?)?;
//! assert_eq!(powerlist::Index::from_bytes(&bytes)?.item_count(), 1);
//! # Ok::<(), powerlist::Error>(())
//! ```

#![deny(missing_docs)]

pub mod catalog;
pub mod csv_cell;
pub mod export;
mod export_html;
pub mod files;
pub mod lint;
#[cfg(not(target_arch = "wasm32"))]
pub mod synth;
pub mod web;
pub mod writer;
pub mod xlsx;
