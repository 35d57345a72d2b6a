//! # powerlist
//!
//! A government power list (权力清单: standardized administrative power items, their codes and
//! legal bases) compiled into one compact FST index, searched by code, keyword, pinyin, legal
//! citation and field — natively and in the browser, with the same code.
//!
//! This crate is the part the browser needs: the index format, the reader and the search, and
//! the read-side reports. Building an index is the other crates' work (the repository is a
//! workspace): `powerlist-build` (crates/build) reads and validates catalogs (CSV or `.xlsx`
//! tables, `laws/*.md`) and writes the index; `powerlist-cli` (crates/cli) is the `powerlist`
//! command; `powerlist-wasm` (crates/wasm) the browser bindings. Nothing of the build side is in
//! this crate's dependencies.
//!
//! - [`mod@format`]: the bytes — the container with its block checksums, the on-disk schema of
//!   each section, varints and blob tables, each encoder beside its decoder;
//! - [`mod@index`]: [`Index::from_bytes`] validates and loads an index (it never panics, whatever
//!   the bytes), reading the large sections lazily, block by block;
//! - [`mod@search`]: [`Index::search`] answers queries by code, keyword, pinyin and citation;
//! - the reports: [`view`] (what a page shows of an item), [`stats`], [`diff`], [`overlaps`],
//!   [`local_list`] (what a region exercises itself) and [`amendment`] (what a new text of a
//!   cited law changes);
//! - the text they share: [`text`] (folding), [`citation`], [`law`] and [`model`].
//!
//! ```
//! use powerlist_build::catalog::{Catalog, SourceFile, Sources};
//! use powerlist::{Index, SearchOptions};
//!
//! let sources = Sources {
//!     items: SourceFile::new("items.csv",
//!         "事项编码,事项名称,事项类型,领域,行使层级,实施主体,实施依据,关键词\n\
//!          CG-CF-001,对擅自占用城市道路的行政处罚,行政处罚,城市管理,县级；乡级,县级城市管理部门,\
//!          《城市道路管理条例》第二十七条第（一）项,摆摊；占道经营\n"),
//!     regions: None,
//!     assignments: None,
//!     bodies: None,
//!     laws: vec![SourceFile::new("laws/城市道路管理条例.md",
//!         "# 城市道路管理条例\n\n第二十七条 城市道路范围内禁止下列行为：\n\n（一）擅自占用或者挖掘城市道路；\n")],
//! };
//! let catalog = Catalog::compile(&sources)?;
//! let bytes = powerlist_build::writer::write_index(&catalog)?;
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
pub mod amendment;
pub mod citation;
mod crc32;
pub mod date;
pub mod devolution;
pub mod diff;
pub mod error;
pub mod format;
pub mod index;
pub mod law;
pub mod local_list;
mod lowercase;
pub mod model;
pub mod overlaps;
pub mod search;
pub mod stats;
pub mod text;
pub mod view;

pub use error::{Diagnostic, Error, IndexError, SheetPlace};
pub use index::Index;
pub use search::{Hit, QueryKind, SearchOptions, SearchResult};
pub use stats::{IndexInfo, Stats};
pub use view::{ItemView, SearchView};

/// This crate's version; indexes record the version that wrote them.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
