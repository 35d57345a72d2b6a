//! (b') Workbook bytes → sheets → read and validate as the mini catalog's tables (→ compile →
//! load when valid). Reading a workbook must never panic, whatever the bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use powerlist_build::catalog::{Catalog, SourceFile};
use powerlist_build::xlsx::Workbook;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(book) = Workbook::read("catalog.xlsx", data) else {
        return;
    };
    let mut s = common::mini_sources();
    let mut sheets = book.sheets.into_iter();
    if let Some(items) = sheets.next() {
        s.items = SourceFile::from_sheet("catalog.xlsx", items);
    }
    if let Some(regions) = sheets.next() {
        s.regions = Some(SourceFile::from_sheet("catalog.xlsx", regions));
    }
    if let Some(assignments) = sheets.next() {
        s.assignments = Some(SourceFile::from_sheet("catalog.xlsx", assignments));
    }
    if let Ok(catalog) = Catalog::compile(&s) {
        let bytes = powerlist_build::writer::write_index(&catalog).expect("a compiled catalog writes");
        let index = powerlist::Index::from_bytes(&bytes).expect("a compiled catalog loads");
        common::workout(&index);
    }
});
