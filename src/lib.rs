//! # powerlist
//!
//! A government power list (权力清单: standardized administrative power items, their codes and
//! legal bases) compiled into one compact FST index, searched by code, keyword, pinyin, legal
//! citation and field — natively and in the browser, with the same code.
//!
//! The pipeline has three steps:
//!
//! 1. [`catalog::Sources`] holds the maintainers' files (`items.csv`, `regions.csv`,
//!    `assignments.csv` or the sheets of an Excel workbook, see [`mod@xlsx`]; `laws/*.md`);
//!    [`catalog::Catalog::compile`] validates them and resolves every citation to an article,
//!    reporting each problem as `file:line: message` (`file [sheet] row N, column G (key):` in a
//!    workbook).
//! 2. [`writer::write_index`] compiles the catalog into one index file (see [`mod@format`]).
//! 3. [`Index::from_bytes`] validates and loads an index (it never panics, whatever the bytes);
//!    [`Index::search`] answers queries; [`Index::stats`] counts what the catalog holds and
//!    [`export`] writes it back out (CSV source files, a region's printable list).
//!
//! ```
//! use powerlist::catalog::{Catalog, SourceFile, Sources};
//! use powerlist::{Index, SearchOptions};
//!
//! let sources = Sources {
//!     items: SourceFile::new("items.csv",
//!         "事项编码,事项名称,事项类型,领域,行使层级,实施主体,实施依据,关键词\n\
//!          CG-CF-001,对擅自占用城市道路的行政处罚,行政处罚,城市管理,县级；乡级,县级城市管理部门,\
//!          《城市道路管理条例》第二十七条第（一）项,摆摊；占道经营\n"),
//!     regions: None,
//!     assignments: None,
//!     laws: vec![SourceFile::new("laws/城市道路管理条例.md",
//!         "# 城市道路管理条例\n\n第二十七条 城市道路范围内禁止下列行为：\n\n（一）擅自占用或者挖掘城市道路；\n")],
//! };
//! let catalog = Catalog::compile(&sources)?;
//! let bytes = powerlist::writer::write_index(&catalog);
//!
//! let index = Index::from_bytes(&bytes)?;
//! for query in ["占道", "摆摊", "zhandao", "zdjy", "CG-CF", "城市道路管理条例第二十七条"] {
//!     let result = index.search(query, &SearchOptions::default())?;
//!     assert_eq!(result.total, 1, "{query}");
//! }
//! # Ok::<(), powerlist::Error>(())
//! ```

#![deny(missing_docs)]

mod access;
#[cfg(feature = "builder")]
pub mod catalog;
pub mod citation;
pub mod diff;
pub mod error;
#[cfg(feature = "builder")]
pub mod export;
#[cfg(feature = "builder")]
mod export_html;
pub mod format;
mod fst_check;
pub mod index;
pub mod law;
#[cfg(feature = "builder")]
pub mod lint;
pub mod local_list;
pub mod model;
pub mod overlaps;
pub mod search;
pub mod stats;
#[cfg(all(feature = "builder", not(target_arch = "wasm32")))]
pub mod synth;
pub mod text;
pub mod view;
#[cfg(feature = "builder")]
pub mod writer;
#[cfg(feature = "builder")]
pub mod xlsx;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::{Diagnostic, Error, SheetPlace};
pub use index::Index;
pub use search::{Hit, QueryKind, SearchOptions, SearchResult};
pub use stats::Stats;
pub use view::{ItemView, SearchView};

/// This crate's version; indexes record the version that wrote them.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
