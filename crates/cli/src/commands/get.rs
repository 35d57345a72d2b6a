//! `powerlist get`: show one item by code.

use std::path::Path;

use powerlist::date::Date;
use powerlist::index::CatalogInfo;
use powerlist::Error;

use super::search::print_item;
use crate::io::{json, load, outln};

/// Prints the item `code` (who handles it in `region` on `date`, if a region is given), as
/// text or JSON.
pub fn run(
    index: &Path,
    code: &str,
    region: Option<&str>,
    date: Date,
    as_json: bool,
) -> Result<(), Error> {
    let index = load(index)?;
    let item = index.get_on(code, region, Some(date))?;
    if as_json {
        return json(&item);
    }
    print_item(0, &item, true);
    outln!("     catalog: {}", catalog_line(index.catalog_info()));
    Ok(())
}

/// `泰州市…清单（示例） 2025.1 (2025-11-25)`; what is missing is left out.
fn catalog_line(c: &CatalogInfo) -> String {
    let date = (!c.date.is_empty()).then(|| format!("({})", c.date));
    let parts = [
        Some(c.name.as_str()),
        Some(c.version.as_str()),
        date.as_deref(),
    ];
    let line: Vec<&str> = parts
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect();
    if line.is_empty() {
        "(no catalog.txt)".into()
    } else {
        line.join(" ")
    }
}
