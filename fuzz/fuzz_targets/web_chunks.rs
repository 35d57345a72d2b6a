//! (e) The chunked web form: core bytes → `Index::from_core`, or the mini catalog's real core
//! plus chunk bytes → `add_chunk`; then every query path, with the real chunks added. The
//! input's checksums are fixed up first (`reseal`), so the decoders behind them are reached.
//! The first byte also picks the form: the mini catalog as `build --web` cuts it (its regions
//! whole in the core), or with its townships left to the pieces of assignments
//! (`RegionsHead`, `AssignPiece::regions`), as a country's are.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use powerlist_build::web::{split, WebIndex, WebOptions};

#[path = "common.rs"]
mod common;

fn mini(left_out: bool) -> &'static WebIndex {
    static MINI: OnceLock<WebIndex> = OnceLock::new();
    static LEFT_OUT: OnceLock<WebIndex> = OnceLock::new();
    if left_out {
        LEFT_OUT.get_or_init(|| {
            let opts = WebOptions {
                regions: 0,
                ..Default::default()
            };
            split(&common::mini_bytes(), &opts).expect("splits")
        })
    } else {
        MINI.get_or_init(|| split(&common::mini_bytes(), &Default::default()).expect("splits"))
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else { return };
    let mini = || mini(which & 2 != 0);
    let mut bytes = rest.to_vec();
    powerlist::format::reseal(&mut bytes);
    let index = if which % 2 == 0 {
        let Ok(index) = powerlist::Index::from_core(&bytes) else { return };
        index
    } else {
        let index = powerlist::Index::from_core(&mini().core).expect("the mini core loads");
        let _ = index.add_chunk(&bytes);
        index
    };
    for c in &mini().chunks {
        let _ = index.add_chunk(&c.bytes);
    }
    common::workout(&index);
});
