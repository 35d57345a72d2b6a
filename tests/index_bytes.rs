//! Damaged indexes: every truncation and every single-byte change is rejected with an error,
//! never a panic.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::mini_bytes;
use powerlist::format::{FORMAT_VERSION, MAGIC};
use powerlist::{Error, Index, SearchOptions};
use proptest::prelude::*;

fn message(bytes: &[u8]) -> String {
    match Index::from_bytes(bytes) {
        Ok(_) => panic!("a damaged index ({} bytes) was accepted", bytes.len()),
        Err(e) => e.to_string(),
    }
}

#[test]
fn every_truncation_is_rejected() {
    let bytes = common::mini_bytes();
    for len in 0..bytes.len() {
        let m = message(&bytes[..len]);
        assert!(m.starts_with("invalid index:"), "{len}: {m}");
    }
}

#[test]
fn every_single_byte_flip_is_rejected() {
    let bytes = common::mini_bytes();
    let mut copy = bytes.clone();
    for i in 0..bytes.len() {
        for mask in [0x01u8, 0xff] {
            copy[i] ^= mask;
            message(&copy);
            copy[i] ^= mask;
        }
    }
}

#[test]
fn messages_say_what_to_do() {
    assert!(message(b"").contains("the index is empty"));
    assert!(
        message(b"PK\x03\x04 this is a zip file, not an index").contains("not a powerlist index")
    );
    let mut bytes = common::mini_bytes();
    bytes[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    let m = message(&bytes);
    assert!(
        m.contains(&format!("format version {}", FORMAT_VERSION + 1)),
        "{m}"
    );
    assert!(m.contains("upgrade powerlist"), "{m}");
    bytes[8..12].copy_from_slice(&0u32.to_le_bytes());
    assert!(message(&bytes).contains("rebuild the index"));
    let bytes = common::mini_bytes();
    let m = message(&bytes[..bytes.len() - 1]);
    assert!(
        m.contains("checksum") || m.contains("outside the file"),
        "{m}"
    );
}

/// Replaces the bytes of section `id` with `fill` and fixes the checksum, as only a deliberate
/// forger would.
fn forge_section(bytes: &mut [u8], id: u32, fill: u8) {
    let u32_at = |b: &[u8], i: usize| u32::from_le_bytes(b[i..i + 4].try_into().unwrap());
    let u64_at = |b: &[u8], i: usize| u64::from_le_bytes(b[i..i + 8].try_into().unwrap());
    let n = u32_at(bytes, 12) as usize;
    for e in 0..n {
        let at = 16 + 24 * e;
        if u32_at(bytes, at) == id {
            let (off, len) = (
                u64_at(bytes, at + 8) as usize,
                u64_at(bytes, at + 16) as usize,
            );
            bytes[off..off + len].fill(fill);
        }
    }
    let end = bytes.len() - 4;
    let crc = crc32fast::hash(&bytes[..end]);
    bytes[end..].copy_from_slice(&crc.to_le_bytes());
}

#[test]
fn forged_regions_are_an_error_when_first_needed() {
    // Regions are decoded on first use (most searches never need them); a section that passes
    // the checksum but does not decode must still give an error there, never a panic.
    let mut bytes = mini_bytes();
    forge_section(&mut bytes, powerlist::format::section::REGIONS, 0xff);
    let index = Index::from_bytes(&bytes).expect("the rest of the index is fine");
    assert!(index.search("占道", &SearchOptions::default()).is_ok());
    let opts = SearchOptions {
        region: Some("321281100".into()),
        ..Default::default()
    };
    let err = index.search("占道", &opts).unwrap_err().to_string();
    assert!(err.contains("regions section is malformed"), "{err}");
    assert!(index.get("CG-CF-014", Some("321281100")).is_err());
    assert!(index.region_list().is_empty());
}

#[test]
fn magic_is_documented_value() {
    assert_eq!(&common::mini_bytes()[..8], MAGIC);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = Index::from_bytes(&data);
        let mut with_magic = MAGIC.to_vec();
        with_magic.extend_from_slice(&data);
        let _ = Index::from_bytes(&with_magic);
    }

    #[test]
    fn random_queries_never_fail(q in "\\PC{0,40}") {
        let index = common::mini_index();
        let r = index.search(&q, &SearchOptions::default());
        prop_assert!(r.is_ok() || matches!(r, Err(Error::Request(_))));
    }
}
