// The mini catalog (tests/fixtures/mini), compiled in memory, and a workout for a loaded index.
// Shared by the integration tests (tests/common/mod.rs) and the fuzz targets
// (fuzz/fuzz_targets/common.rs includes this file), so it uses `//` comments only.

use powerlist::{Index, SearchOptions};
use powerlist_build::catalog::{Catalog, SourceFile, Sources};

/// The mini catalog's tables and laws.
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
        bodies: None,
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

/// Searches and lookups that reach every part of an index (search, views, regions, handlers,
/// stats); on a damaged index each may fail but none may panic.
pub fn workout(index: &Index) {
    let opts = SearchOptions {
        limit: Some(50),
        ..Default::default()
    };
    for q in [
        "",
        "占道",
        "摆摊",
        "zhandao",
        "zdjy",
        "cg-cf",
        "CG-CF-0l4",
        "城市道路管理条例第二十七条",
        "挖",
        "（一）",
    ] {
        if let Ok(r) = index.search_view(q, &opts) {
            for h in r.hits.iter().take(3) {
                let _ = index.get(&h.code, Some("321281100"));
            }
        }
    }
    let _ = index.stats();
    let _ = index.listed_regions();
    for r in ["321281", "321281100", "戴窑镇", "3212819"] {
        let _ = index.regions_near(r);
        let _ = index.find_region(r);
    }
    let _ = index.region_list();
    for (code, _, _) in index.region_list().unwrap_or_default().into_iter().take(3) {
        let _ = index.devolved_counts(&code);
        let _ = index.handlers_below("CG-CF-014", &code, None);
        let o = SearchOptions {
            region: Some(code),
            ..opts.clone()
        };
        let _ = index.search_view("城市", &o);
    }
}
