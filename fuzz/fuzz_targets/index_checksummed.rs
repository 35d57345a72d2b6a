//! (a, deeper) Like index_bytes, but every checksum is fixed up before loading
//! (`format::reseal`), so the fuzzer reaches the section decoders (and the FSTs) instead of
//! stopping at a CRC.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let mut bytes = data.to_vec();
    powerlist::format::reseal(&mut bytes);
    if let Ok(index) = powerlist::Index::from_bytes(&bytes) {
        common::workout(&index);
    }
});
