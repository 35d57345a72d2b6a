//! Shared test helpers: the mini catalog in tests/fixtures/mini, compiled in memory; the
//! repository's root; running the CLI (`cli`, native only); `powerlist serve` and an HTTP client
//! (`http`, native only).
#![allow(dead_code)]

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
#[cfg(not(target_arch = "wasm32"))]
pub mod http;
mod mini;

pub use mini::*;

use powerlist::Index;
use powerlist_build::catalog::{Catalog, SourceFile, Sources};

/// The contacts test catalog (tests/fixtures/contacts: the mini catalog with a bodies table
/// and the items' own contacts, all fictitious), in memory.
pub fn contacts_sources() -> Sources {
    let mut s = mini_sources();
    s.items = SourceFile::new("items.csv", include_str!("../fixtures/contacts/items.csv"));
    s.bodies = Some(SourceFile::new(
        "bodies.csv",
        include_str!("../fixtures/contacts/bodies.csv"),
    ));
    s
}

/// The index of the contacts test catalog.
pub fn contacts_bytes() -> Vec<u8> {
    let catalog = Catalog::compile(&contacts_sources()).expect("the contacts catalog is valid");
    powerlist_build::writer::write_index(&catalog).expect("writes")
}

/// The index of the responsibility-list test catalog (tests/fixtures/duties: the mini catalog
/// with 责任事项 and 追责情形 written for the tests), in memory.
pub fn duties_bytes() -> Vec<u8> {
    let mut s = mini_sources();
    s.items = SourceFile::new("items.csv", include_str!("../fixtures/duties/items.csv"));
    let catalog = Catalog::compile(&s).expect("the duties catalog is valid");
    powerlist_build::writer::write_index(&catalog).expect("writes")
}

/// The devolution test catalog (tests/fixtures/devolution: assignments with documents and
/// periods, modelled on 淮安区's; the mini catalog's laws), in memory.
pub fn devolution_sources() -> Sources {
    let mut s = mini_sources();
    s.items = SourceFile::new(
        "items.csv",
        include_str!("../fixtures/devolution/items.csv"),
    );
    s.regions = Some(SourceFile::new(
        "regions.csv",
        include_str!("../fixtures/devolution/regions.csv"),
    ));
    s.assignments = Some(SourceFile::new(
        "assignments.csv",
        include_str!("../fixtures/devolution/assignments.csv"),
    ));
    s
}

/// The index of the devolution test catalog.
pub fn devolution_bytes() -> Vec<u8> {
    let catalog = Catalog::compile(&devolution_sources()).expect("the devolution catalog is valid");
    powerlist_build::writer::write_index(&catalog).expect("writes")
}

/// The mini catalog with its 城市道路管理条例 declared superseded by a newer text (a made-up date,
/// `已被修订：2030-01-01（测试用的日期）`) and a `laws/MANIFEST.tsv` dating the other law, compiled.
pub fn superseded_bytes() -> Vec<u8> {
    let mut s = mini_sources();
    let roads = LAW_ROADS.replacen(
        "<!-- INFO END -->",
        "已被修订：2030-01-01（测试用的日期）\n\n<!-- INFO END -->",
        1,
    );
    s.laws[0] = SourceFile::new("laws/城市道路管理条例.md", roads);
    s.laws.push(SourceFile::new(
        "laws/MANIFEST.tsv",
        "file\tsource_path\tversion_date\n城市市容和环境卫生管理条例.md\t测试/市容.md\t2017-03-01\n",
    ));
    let catalog = Catalog::compile(&s).expect("the superseded catalog is valid");
    powerlist_build::writer::write_index(&catalog).expect("writes")
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
