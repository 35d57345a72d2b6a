//! `powerlist export`: the catalog's CSV source files, or a region's printable HTML list.

use std::path::Path;

use powerlist::{Error, Index};

use crate::io::{create_dir, load, outln, write_atomic};

/// Writes the CSV files into `csv_dir`, or with `html` the HTML list of `region` to `output`.
pub fn run(
    index: &Path,
    csv_dir: Option<&Path>,
    html: bool,
    region: Option<&str>,
    output: Option<&Path>,
) -> Result<(), Error> {
    let index = load(index)?;
    if let Some(dir) = csv_dir {
        return write_csv(&index, dir);
    }
    match (html, region, output) {
        (true, Some(region), Some(out)) => {
            let page = powerlist_build::export::html(&index, region)?;
            write_atomic(out, page.as_bytes())?;
            outln!("wrote {}", out.display());
            Ok(())
        }
        _ => Err(Error::Request(
            "say what to export: --csv DIR, or --html --region CODE_OR_NAME -o FILE.html".into(),
        )),
    }
}

/// items.csv, and regions.csv, assignments.csv, catalog.txt when the index has them.
fn write_csv(index: &Index, dir: &Path) -> Result<(), Error> {
    let files = powerlist_build::export::csv(index)?;
    create_dir(dir)?;
    let mut written = vec!["items.csv"];
    write_atomic(&dir.join("items.csv"), files.items.as_bytes())?;
    for (name, text) in [
        ("regions.csv", &files.regions),
        ("assignments.csv", &files.assignments),
        ("bodies.csv", &files.bodies),
        ("catalog.txt", &files.catalog_txt),
    ] {
        if let Some(text) = text {
            write_atomic(&dir.join(name), text.as_bytes())?;
            written.push(name);
        }
    }
    outln!(
        "wrote {} to {}; add the catalog's laws/ to rebuild it",
        written.join(", "),
        dir.display()
    );
    Ok(())
}
