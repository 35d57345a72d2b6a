//! (a) Any bytes → load → searches and gets. Must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    if let Ok(index) = powerlist::Index::from_bytes(data) {
        common::workout(&index);
    }
});
