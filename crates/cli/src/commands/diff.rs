//! `powerlist diff`: what changed from an older index of the catalog to a newer one.

use std::path::Path;

use powerlist::Error;

use crate::io::{json, load, outln};

/// Prints the changes from `old` to `new`, as text or JSON.
pub fn run(old: &Path, new: &Path, as_json: bool) -> Result<(), Error> {
    let d = powerlist::diff::diff(&load(old)?, &load(new)?)?;
    if as_json {
        return json(&d);
    }
    outln!("{}", d.to_string().trim_end());
    Ok(())
}
