//! `powerlist build` and `powerlist check`: validate a catalog directory, compile it into an index.

use std::collections::BTreeSet;
use std::path::Path;

use powerlist::Error;
use powerlist_build::catalog::{Catalog, Sources};

use crate::io::{outln, write_atomic, write_dir};

/// Compiles the catalog in `dir` and writes the index to `output` and its chunked form to
/// `web`; with neither (`check`), only validates it. Problems in the catalog are printed on
/// stderr.
pub fn run(dir: &Path, output: Option<&Path>, web: Option<&Path>) -> Result<(), Error> {
    let writes = output.is_some() || web.is_some();
    if let Some(out) = output {
        // Before the work: a device, a link or a folder there is refused at once.
        powerlist_build::files::check_output(out)?;
    }
    let catalog = compile(dir, writes)?;
    let bytes = powerlist_build::writer::write_index(&catalog)?;
    let summary = summary(&catalog, bytes.len());
    if let Some(out) = output {
        write_atomic(out, &bytes)?;
        outln!("built {}: {summary}", out.display());
    }
    if let Some(web) = web {
        let split = powerlist_build::web::split(&bytes, &Default::default())?;
        write_web(web, &split)?;
        let total: usize = split.chunks.iter().map(|c| c.bytes.len()).sum();
        outln!(
            "built {}: core.bin ({} bytes) and {} chunks ({total} bytes)",
            web.display(),
            split.core.len(),
            split.chunks.len()
        );
    }
    if !writes {
        outln!("{} is valid: {summary} (as an index)", dir.display());
    }
    Ok(())
}

/// Writes the chunked form into a fresh directory beside `dir`, then puts it in `dir`'s
/// place: a reader sees the old build or the new one, never a mix.
fn write_web(dir: &Path, web: &powerlist_build::web::WebIndex) -> Result<(), Error> {
    let mut files = vec![("core.bin".to_string(), web.core.clone())];
    files.extend(
        web.chunks
            .iter()
            .map(|c| (format!("{}.bin", c.name), c.bytes.clone())),
    );
    write_dir(dir, &files, |_| false)
}

/// Reads and compiles the catalog, printing its errors and warnings on stderr.
fn compile(dir: &Path, writes: bool) -> Result<Catalog, Error> {
    let sources = Sources::from_dir(dir)?;
    let mut catalog = Catalog::compile(&sources).map_err(|e| problems(dir, writes, e))?;
    powerlist_build::catalog::read_info(dir, &mut catalog)?;
    catalog.lexicon = powerlist_build::catalog::read_lexicon(dir, &mut catalog)
        .map_err(|e| problems(dir, writes, e))?;
    for w in &catalog.warnings {
        eprintln!("{w}");
    }
    superseded_summary(&catalog);
    Ok(catalog)
}

/// After the warnings, one line per superseded law text with how many items rest on it (the
/// warnings name each item): the list's size at a glance.
fn superseded_summary(catalog: &Catalog) {
    let uses = powerlist_build::lint::superseded_uses(catalog);
    let items: BTreeSet<&str> = uses.iter().flat_map(|(_, c)| c.iter().copied()).collect();
    if items.is_empty() {
        return;
    }
    eprintln!(
        "warning: {} item(s) rest on superseded law texts (each named above):",
        items.len()
    );
    for (law, codes) in uses.iter().filter(|(_, c)| !c.is_empty()) {
        let law = &catalog.laws[*law];
        let version = law.version.as_ref().map(|v| format!("（{}）", v.label));
        let date = law.superseded.as_ref().map_or("", |s| s.date.as_str());
        eprintln!(
            "  《{}》{}, superseded by the text of {date}: {} item(s)",
            law.title,
            version.unwrap_or_default(),
            codes.len()
        );
    }
}

/// A catalog's problems printed on stderr, and the error that ends the command; any other
/// error as it is.
fn problems(dir: &Path, writes: bool, e: Error) -> Error {
    let Error::Catalog(diags) = e else {
        return e;
    };
    let errors = diags.iter().filter(|d| !d.warning).count();
    for d in &diags {
        eprintln!("{d}");
    }
    let what = if writes { "; no index was written" } else { "" };
    Error::Request(format!("{} has {errors} error(s){what}", dir.display()))
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
