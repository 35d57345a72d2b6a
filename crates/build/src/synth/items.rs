//! The generated items: the source catalog's as they are, or recombined from them.

use std::collections::BTreeSet;
use std::path::Path;

use super::out::Csv;
use super::Rng;
use crate::catalog::{Catalog, Item, Sources};
use powerlist::error::Error;
use powerlist::model::{level_names, TYPES};

/// The level bit of 乡级 (see [`powerlist::model::LEVELS`]).
pub(super) const TOWNSHIP: u8 = 0b1000;
/// The level bit of 县级.
pub(super) const COUNTY: u8 = 0b0100;

/// The items written, in file order.
pub(super) struct SynthItems {
    /// Their codes.
    pub(super) codes: Vec<String>,
    /// The index of each one's template among the source catalog's items.
    pub(super) templates: Vec<u32>,
    /// The items marked 乡级 (indexes into `codes`), which townships may be assigned.
    pub(super) township: Vec<u32>,
}

/// Writes `items.csv`: with `count`, that many items recombined from `base`'s (the first copy of
/// each keeps its name, the others join two violations, and all get new codes); without, `base`'s
/// items with their codes, names and notes.
pub(super) fn write_items(
    path: &Path,
    base: &Catalog,
    sources: &Sources,
    count: Option<usize>,
    rng: &mut Rng,
) -> Result<SynthItems, Error> {
    // The raw basis cell of each template is re-read from its source row.
    let rows = raw_rows(&sources.items.bytes);
    let mut csv = Csv::create(
        path,
        "code,name,type,field,level,department,basis,keywords,note",
    )?;
    let n = base.items.len();
    let recombined = count.is_some();
    let count = count.unwrap_or(n);
    let mut out = SynthItems {
        codes: Vec::with_capacity(count),
        templates: Vec::with_capacity(count),
        township: Vec::new(),
    };
    let mut names = BTreeSet::new();
    for i in 0..count {
        let t = &base.items[i % n];
        let name = if i < n {
            t.name.clone()
        } else {
            joined_name(base, t, i, &mut names, rng)
        };
        let code = if recombined || t.code.is_empty() {
            let prefix = t.code.rsplit_once('-').map_or(t.code.as_str(), |(p, _)| p);
            format!("{prefix}-{:07}", i + 1)
        } else {
            t.code.clone()
        };
        let basis = rows
            .get(t.line.saturating_sub(2))
            .map_or("", |r| r.as_str());
        let note = if recombined { "" } else { t.note.as_str() };
        csv.row(&[
            &code,
            &name,
            TYPES[t.kind as usize],
            &t.field,
            &level_names(t.levels).join("；"),
            &t.department,
            basis,
            &t.keywords.join("；"),
            note,
        ])?;
        if t.levels & TOWNSHIP != 0 {
            out.township.push(i as u32);
        }
        out.codes.push(code);
        out.templates.push((i % n) as u32);
    }
    csv.finish()?;
    Ok(out)
}

/// The violation in a name: `对擅自占用城市道路的行政处罚` → `擅自占用城市道路`.
fn core(name: &str) -> &str {
    let s = name.strip_prefix('对').unwrap_or(name);
    match s.rfind('的') {
        Some(p) if p > 0 => &s[..p],
        _ => s,
    }
}

/// The name of the `i`th generated item from template `t`: its violation joined with another
/// of the same field when there is one (`对擅自占用城市道路并随意倾倒生活垃圾的行政处罚`), made
/// unique among `names`.
fn joined_name(
    base: &Catalog,
    t: &Item,
    i: usize,
    names: &mut BTreeSet<String>,
    rng: &mut Rng,
) -> String {
    let n = base.items.len();
    let mut other = &base.items[rng.below(n)];
    for _ in 0..8 {
        if other.field == t.field && other.name != t.name {
            break;
        }
        other = &base.items[rng.below(n)];
    }
    let suffix = t
        .name
        .strip_prefix('对')
        .and_then(|s| s.rfind('的').map(|p| &s[p..]))
        .unwrap_or("");
    let mut name = format!("对{}并{}{}", core(&t.name), core(&other.name), suffix);
    if !names.insert(name.clone()) {
        name = format!("{name}（第{}种情形）", i / n + 1);
        names.insert(name.clone());
    }
    name
}

/// The basis cells of items.csv, indexed by line − 2 (rows of the validated catalog map to
/// lines); empty for a line without a row.
fn raw_rows(bytes: &[u8]) -> Vec<String> {
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(bytes);
    let basis_col = reader
        .headers()
        .ok()
        .and_then(|h| {
            h.iter()
                .position(|c| matches!(c.trim(), "basis" | "实施依据" | "法定依据" | "依据"))
        })
        .unwrap_or(6);
    let mut out = Vec::new();
    let mut last_line = 1;
    for rec in reader.records().flatten() {
        let line = rec.position().map_or(last_line + 1, |p| p.line() as usize);
        while out.len() + 2 < line {
            out.push(String::new());
        }
        out.push(rec.get(basis_col).unwrap_or_default().to_string());
        last_line = line;
    }
    out
}
