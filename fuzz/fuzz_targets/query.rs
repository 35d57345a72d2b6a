//! (c) Query strings (and filter values) against a fixed index.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use powerlist::{Index, SearchOptions};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    static INDEX: OnceLock<Index> = OnceLock::new();
    let index = INDEX.get_or_init(common::mini_index);
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(2, '\u{1}');
    let query = parts.next().unwrap_or("");
    let region = parts.next();
    let opts = SearchOptions { region: region.map(str::to_string), limit: Some(30), ..Default::default() };
    if let Ok(r) = index.search_view(query, &opts) {
        assert!(r.hits.len() <= 30);
        for h in &r.hits {
            let n = h.name.chars().count() as u32;
            assert!(h.highlights.iter().all(|&(s, e)| s < e && e <= n), "highlight out of range");
        }
    }
    let _ = index.get(query, None);
});
