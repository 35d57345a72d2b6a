//! `powerlist build` and `powerlist check`: validate a catalog directory, compile it into an index.

use std::collections::BTreeSet;
use std::path::Path;

use powerlist::Error;
use powerlist_build::catalog::{Catalog, Sources};

use crate::io::{outln, write_atomic};

/// Compiles the catalog in `dir` and writes the index to `output`; with no output (`check`),
/// only validates it. Problems in the catalog are printed on stderr.
pub fn run(dir: &Path, output: Option<&Path>) -> Result<(), Error> {
    let catalog = compile(dir, output)?;
    let bytes = powerlist_build::writer::write_index(&catalog)?;
    let summary = summary(&catalog, bytes.len());
    match output {
        Some(out) => {
            write_atomic(out, &bytes)?;
            outln!("built {}: {summary}", out.display());
        }
        None => outln!("{} is valid: {summary} (as an index)", dir.display()),
    }
    Ok(())
}

/// Reads and compiles the catalog, printing its errors and warnings on stderr.
fn compile(dir: &Path, output: Option<&Path>) -> Result<Catalog, Error> {
    let sources = Sources::from_dir(dir)?;
    let catalog = match Catalog::compile(&sources) {
        Ok(c) => c,
        Err(Error::Catalog(diags)) => {
            let errors = diags.iter().filter(|d| !d.warning).count();
            for d in &diags {
                eprintln!("{d}");
            }
            let what = if output.is_some() {
                "; no index was written"
            } else {
                ""
            };
            return Err(Error::Request(format!(
                "{} has {errors} error(s){what}",
                dir.display()
            )));
        }
        Err(e) => return Err(e),
    };
    let mut catalog = catalog;
    catalog.info = powerlist_build::catalog::read_info(dir)?;
    for w in &catalog.warnings {
        eprintln!("{w}");
    }
    Ok(catalog)
}

/// `… items, … laws, … articles cited, … regions, … assignments, … bytes`.
fn summary(catalog: &Catalog, bytes: usize) -> String {
    let cited: BTreeSet<(u16, u32)> = catalog
        .items
        .iter()
        .flat_map(|i| i.bases.iter().map(|b| (b.law, b.r.article)))
        .collect();
    format!(
        "{} items, {} laws, {} articles cited, {} regions, {} assignments, {} bytes",
        catalog.items.len(),
        catalog.laws.len(),
        cited.len(),
        catalog.regions.len(),
        catalog.assignments.len(),
        bytes
    )
}
