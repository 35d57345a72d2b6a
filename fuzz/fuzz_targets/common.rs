// Shared by the fuzz targets: the mini catalog from tests/fixtures/mini, and a workout for a
// loaded index.
#![allow(dead_code)]

use powerlist_build::catalog::{Catalog, SourceFile, Sources};
use powerlist::{Index, SearchOptions};

pub const ITEMS: &str = include_str!("../../tests/fixtures/mini/items.csv");
pub const REGIONS: &str = include_str!("../../tests/fixtures/mini/regions.csv");
pub const ASSIGNMENTS: &str = include_str!("../../tests/fixtures/mini/assignments.csv");
pub const LAW_ROADS: &str = include_str!("../../tests/fixtures/mini/laws/城市道路管理条例.md");
pub const LAW_CITY: &str = include_str!("../../tests/fixtures/mini/laws/城市市容和环境卫生管理条例.md");

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

pub fn mini_index() -> Index {
    let catalog = Catalog::compile(&mini_sources()).expect("mini catalog");
    Index::from_bytes(&powerlist_build::writer::write_index(&catalog).expect("writes")).expect("mini index")
}

/// Several searches and lookups on a loaded index; none may panic.
pub fn workout(index: &Index) {
    let opts = SearchOptions { limit: Some(50), ..Default::default() };
    for q in ["", "占道", "摆摊", "zhandao", "zdjy", "cg-cf", "CG-CF-0l4", "城市道路管理条例第二十七条", "挖", "（一）"] {
        if let Ok(r) = index.search_view(q, &opts) {
            for h in r.hits.iter().take(3) {
                let _ = index.get(&h.code, Some("321281100"));
            }
        }
    }
    let _ = index.stats();
    let _ = index.region_list();
    for (code, _, _) in index.region_list().unwrap_or_default().into_iter().take(3) {
        let _ = index.devolved_counts(&code);
        let _ = index.handlers_below("CG-CF-014", &code);
        let o = SearchOptions { region: Some(code), ..opts.clone() };
        let _ = index.search_view("城市", &o);
    }
}
