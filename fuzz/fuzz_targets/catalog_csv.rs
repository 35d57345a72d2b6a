//! (b) Catalog bytes → read and validate (→ compile → load when valid). The first byte picks
//! which file of the mini catalog the rest replaces.
#![no_main]
use libfuzzer_sys::fuzz_target;
use powerlist_build::catalog::{Catalog, SourceFile};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else { return };
    let mut s = common::mini_sources();
    match which % 4 {
        0 => s.items = SourceFile::new("items.csv", rest),
        1 => s.regions = Some(SourceFile::new("regions.csv", rest)),
        2 => s.assignments = Some(SourceFile::new("assignments.csv", rest)),
        _ => s.laws[0] = SourceFile::new("laws/城市道路管理条例.md", rest),
    }
    if let Ok(catalog) = Catalog::compile(&s) {
        let bytes = powerlist_build::writer::write_index(&catalog).expect("a compiled catalog writes");
        let index = powerlist::Index::from_bytes(&bytes).expect("a compiled catalog loads");
        common::workout(&index);
    }
});
