//! `powerlist export`: the catalog's CSV source files, or a region's printable HTML list.

use std::path::Path;

use powerlist::{Error, Index};

use crate::io::{load, outln, write_atomic, write_dir};

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

/// The files `export --csv` writes; anything else in its folder is kept.
const CSV_FILES: [&str; 5] = [
    "items.csv",
    "regions.csv",
    "assignments.csv",
    "bodies.csv",
    "catalog.txt",
];

/// items.csv, and regions.csv, assignments.csv, bodies.csv, catalog.txt when the index has them,
/// written as a whole (see [`write_dir`]): the old set or the new one, never a mix.
fn write_csv(index: &Index, dir: &Path) -> Result<(), Error> {
    let files = powerlist_build::export::csv(index)?;
    let texts = [
        Some(&files.items),
        files.regions.as_ref(),
        files.assignments.as_ref(),
        files.bodies.as_ref(),
        files.catalog_txt.as_ref(),
    ];
    let set: Vec<(String, Vec<u8>)> = CSV_FILES
        .iter()
        .zip(texts)
        .filter_map(|(name, text)| Some((name.to_string(), text?.clone().into_bytes())))
        .collect();
    write_dir(dir, &set, |name| !CSV_FILES.contains(&name))?;
    let written: Vec<&str> = set.iter().map(|(n, _)| n.as_str()).collect();
    outln!(
        "wrote {} to {}; add the catalog's laws/ to rebuild it",
        written.join(", "),
        dir.display()
    );
    Ok(())
}
