//! `powerlist overlaps`: possible overlapping powers (多头执法), shared provisions, different bodies.

use std::path::Path;

use powerlist::Error;

use crate::io::{json, load, outln};

/// Prints the possible overlaps of the index, or of one region and below, as text or JSON.
pub fn run(index: &Path, region: Option<&str>, as_json: bool) -> Result<(), Error> {
    let r = powerlist::overlaps::overlaps(&load(index)?, region)?;
    if as_json {
        return json(&r);
    }
    outln!("{}", r.to_string().trim_end());
    Ok(())
}
