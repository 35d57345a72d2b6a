//! Shared test helpers: the mini catalog in tests/fixtures/mini, compiled in memory; the
//! repository's root; running the CLI (`cli`, native only).
#![allow(dead_code)]

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;

use powerlist::Index;
use powerlist_build::catalog::{Catalog, SourceFile, Sources};

pub const ITEMS: &str = include_str!("../fixtures/mini/items.csv");
pub const REGIONS: &str = include_str!("../fixtures/mini/regions.csv");
pub const ASSIGNMENTS: &str = include_str!("../fixtures/mini/assignments.csv");
pub const LAW_ROADS: &str = include_str!("../fixtures/mini/laws/城市道路管理条例.md");
pub const LAW_CITY: &str = include_str!("../fixtures/mini/laws/城市市容和环境卫生管理条例.md");

pub fn mini_sources() -> Sources {
    Sources {
        items: SourceFile::new("items.csv", ITEMS),
        regions: Some(SourceFile::new("regions.csv", REGIONS)),
        assignments: Some(SourceFile::new("assignments.csv", ASSIGNMENTS)),
        laws: vec![
            SourceFile::new("laws/城市道路管理条例.md", LAW_ROADS),
            SourceFile::new("laws/城市市容和环境卫生管理条例.md", LAW_CITY),
        ],
    }
}

pub fn mini_bytes() -> Vec<u8> {
    let catalog = Catalog::compile(&mini_sources()).expect("the mini catalog is valid");
    powerlist_build::writer::write_index(&catalog).expect("the mini catalog writes")
}

pub fn mini_index() -> Index {
    Index::from_bytes(&mini_bytes()).expect("the mini index loads")
}

/// Sources with items.csv replaced.
pub fn with_items(items: &str) -> Sources {
    let mut s = mini_sources();
    s.items = SourceFile::new("items.csv", items);
    s.assignments = None;
    s
}

/// The index of the mini catalog with items.csv replaced (no assignments).
pub fn index_with_items(items: &str) -> Index {
    let catalog = Catalog::compile(&with_items(items)).expect("the test items are valid");
    Index::from_bytes(&powerlist_build::writer::write_index(&catalog).expect("writes"))
        .expect("the index loads")
}

/// The repository's root (the tests belong to crates/cli and crates/wasm).
#[cfg(not(target_arch = "wasm32"))]
pub fn repo() -> &'static std::path::Path {
    static REPO: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    REPO.get_or_init(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
}
