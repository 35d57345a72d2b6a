//! (d) New law texts against a fixed index: `powerlist amend` / the page's 法律修订影响. An input
//! starting with byte 0 is the whole text (the title line and size checks); any other is the
//! body of a new text of 《城市道路管理条例》, which the mini catalog cites, so it reaches the
//! comparison of the cited units.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use powerlist::amendment::{amendment, Status};
use powerlist::Index;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    static INDEX: OnceLock<Index> = OnceLock::new();
    let index = INDEX.get_or_init(common::mini_index);
    let text = match data.split_first() {
        Some((0, rest)) => rest.to_vec(),
        _ => ["# 城市道路管理条例\n".as_bytes(), data].concat(),
    };
    if let Ok(a) = amendment(index, &text) {
        let c = &a.counts;
        assert_eq!(c.unchanged + c.changed + c.moved + c.gone, a.units.len());
        for u in &a.units {
            assert_eq!(u.new.is_none(), u.status == Status::Gone);
            assert!((0.0..=1.0).contains(&u.similarity));
        }
        let _ = a.to_string();
    }
});
