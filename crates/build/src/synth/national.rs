//! The national mode: every county and every township of the divisions gets assignments.
//!
//! - Every county (6-digit code) is assigned each item marked 县级, to the body the source
//!   catalog gives that item in its counties, with this county's and city's names
//!   (`{county}城市管理局`, `{city}自然资源和规划局{county}分局`), and the same mode.
//! - Every township (9-digit code) is assigned about `per_township` of the items marked 乡级. A
//!   kind of township (镇, 街道, 乡, other) takes as many, relative to the others, as its kind
//!   does in the source (in the sample a street takes fewer than a town), scaled so that the mean
//!   over the country's mix of kinds is `per_township`; each township's count varies by up to
//!   ±20 % around its kind's (within what there is). Which items: drawn without replacement,
//!   each weighted by the share of the source's townships of that kind that take it (so streets
//!   take mostly urban fields, and a third of towns keep 交通运输 and 水利 at the county, as in
//!   the sample). Bodies and modes: `<township><suffix>` with the suffixes and modes the source
//!   gives the item in its townships (`综合行政执法局`, 赋权), in the source's proportions.
//!
//! Rows are written as they are made, county by county and township by township in the order of
//! the divisions, so the memory used does not grow with them.

use std::cmp::Ordering;
use std::path::Path;

use super::divisions::{city_name, kind, Division, KINDS};
use super::items::{SynthItems, COUNTY};
use super::out::Csv;
use super::pattern::Pattern;
use super::places::{write_regions, Written};
use super::Rng;
use crate::catalog::Catalog;
use powerlist::error::Error;

/// How far a township's count goes from its kind's: ±20 %.
const SPREAD: f64 = 0.2;

/// Writes `regions.csv` (every division) and `assignments.csv` (every county's 县级 items, about
/// `per_township` 乡级 items for every township) into `out`.
pub(super) fn write(
    out: &Path,
    base: &Catalog,
    divs: &[Division],
    items: &SynthItems,
    per_township: usize,
    rng: &mut Rng,
) -> Result<Written, Error> {
    write_regions(out, divs)?;
    let pattern = Pattern::learn(base);
    let draw = Draw::new(&pattern, divs, items, per_township);
    let county_items: Vec<usize> = (0..items.codes.len())
        .filter(|&i| base.items[items.templates[i] as usize].levels & COUNTY != 0)
        .collect();
    let mut csv = Csv::create(&out.join("assignments.csv"), "item,region,body,mode")?;
    let mut written = Written {
        regions: divs.len(),
        ..Written::default()
    };
    let mut body = String::new();
    for d in divs {
        if d.is_county() {
            let city = city_name(divs, d);
            let bodies: Vec<(String, &str)> = (0..base.items.len())
                .map(|t| pattern.county_body(t, &d.name, &city))
                .collect();
            for &i in &county_items {
                let (b, mode) = &bodies[items.templates[i] as usize];
                csv.row(&[&items.codes[i], &d.code, b, mode])?;
            }
            written.county_rows += county_items.len();
        } else if d.is_township() {
            let k = kind(&d.name);
            let chosen = draw.choose(k, draw.count(k, rng), rng);
            for &j in &chosen {
                let i = items.township[j] as usize;
                let (suffix, mode) = pattern.township_mix(items.templates[i] as usize).pick(rng);
                body.clear();
                body.push_str(&d.name);
                body.push_str(suffix);
                csv.row(&[&items.codes[i], &d.code, &body, mode])?;
            }
            written.townships += 1;
            written.township_rows += chosen.len();
            let (lo, hi) = written.span.unwrap_or((usize::MAX, 0));
            written.span = Some((lo.min(chosen.len()), hi.max(chosen.len())));
        }
    }
    csv.finish()?;
    if written.span.is_none() {
        written.span = Some((0, 0));
    }
    Ok(written)
}

/// A township's count from its kind's target and `u` in (0, 1]: the target ±20 %, rounded,
/// within `0..=available`, and at least one when the target is not zero.
fn count(target: f64, u: f64, available: usize) -> usize {
    let x = target * (1.0 + SPREAD * (2.0 * u - 1.0));
    let floor = usize::from(target > 0.0).min(available);
    (x.round() as usize).clamp(floor, available)
}

/// Each kind's target count: `per_township` scaled by the kind's mean in the source relative to
/// the mean over the country's townships (`kinds[k]` of kind `k`), then all scaled together so
/// that the expected mean count, after the cut at `available`, is `per_township` (or as near as
/// `available` allows).
fn targets(
    means: &[f64; KINDS],
    kinds: &[usize; KINDS],
    available: usize,
    per_township: usize,
) -> [f64; KINDS] {
    let towns = kinds.iter().sum::<usize>().max(1) as f64;
    let mix = (0..KINDS).map(|k| kinds[k] as f64 * means[k]).sum::<f64>() / towns;
    let want = per_township as f64;
    let base = means.map(|m| if mix > 0.0 { want * m / mix } else { want });
    // The expected mean count at scale `s`, over 256 evenly spaced draws.
    let expected = |s: f64| {
        let mut sum = 0usize;
        for k in 0..KINDS {
            let draws: usize = (0..256)
                .map(|i| count(base[k] * s, (f64::from(i) + 0.5) / 256.0, available))
                .sum();
            sum += kinds[k] * draws;
        }
        sum as f64 / 256.0 / towns
    };
    let (mut lo, mut hi) = (0.0, 1.0);
    while expected(hi) < want && hi < 64.0 {
        (lo, hi) = (hi, hi * 2.0);
    }
    for _ in 0..40 {
        let mid = (lo + hi) / 2.0;
        if expected(mid) < want {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    base.map(|t| t * hi)
}

/// How many and which 乡级 items a township takes.
struct Draw<'a> {
    /// Per kind of township, the weight of each source item.
    weights: &'a [Vec<f64>; KINDS],
    /// Per kind, the greatest weight of a candidate (for drawing by rejection).
    max_weight: [f64; KINDS],
    /// The source item of each candidate (the generated items marked 乡级).
    templates: Vec<usize>,
    /// Per kind of township, its mean count.
    target: [f64; KINDS],
}

impl<'a> Draw<'a> {
    fn new(
        pattern: &'a Pattern,
        divs: &[Division],
        items: &SynthItems,
        per_township: usize,
    ) -> Draw<'a> {
        let templates: Vec<usize> = items
            .township
            .iter()
            .map(|&i| items.templates[i as usize] as usize)
            .collect();
        let mut max_weight = [0.0; KINDS];
        for (k, max) in max_weight.iter_mut().enumerate() {
            *max = templates
                .iter()
                .map(|&t| pattern.weights[k][t])
                .fold(0.0, f64::max);
        }
        let mut kinds = [0usize; KINDS];
        for d in divs.iter().filter(|d| d.is_township()) {
            kinds[kind(&d.name)] += 1;
        }
        let target = targets(&pattern.means, &kinds, templates.len(), per_township);
        Draw {
            weights: &pattern.weights,
            max_weight,
            templates,
            target,
        }
    }

    /// How many items a township of kind `k` takes: its kind's mean, ±20 %, within what there
    /// is.
    fn count(&self, k: usize, rng: &mut Rng) -> usize {
        count(self.target[k], rng.unit(), self.templates.len())
    }

    /// `n` candidates (indexes into the 乡级 items) drawn without replacement by weight, in
    /// order: by keys `ln(u) / w` (Efraimidis–Spirakis) among few candidates, by rejection
    /// among many.
    fn choose(&self, k: usize, n: usize, rng: &mut Rng) -> Vec<usize> {
        let all = self.templates.len();
        let n = n.min(all);
        if n == 0 {
            return Vec::new();
        }
        let weight = |j: usize| self.weights[k][self.templates[j]];
        if all <= 8 * n {
            let mut keys: Vec<(f64, usize)> =
                (0..all).map(|j| (rng.unit().ln() / weight(j), j)).collect();
            let by_key = |a: &(f64, usize), b: &(f64, usize)| -> Ordering {
                b.0.total_cmp(&a.0).then(a.1.cmp(&b.1))
            };
            keys.select_nth_unstable_by(n - 1, by_key);
            let mut chosen: Vec<usize> = keys[..n].iter().map(|x| x.1).collect();
            chosen.sort_unstable();
            return chosen;
        }
        let mut chosen: Vec<usize> = Vec::with_capacity(n);
        while chosen.len() < n {
            let j = rng.below(all);
            if rng.unit() * self.max_weight[k] > weight(j) {
                continue;
            }
            if let Err(at) = chosen.binary_search(&j) {
                chosen.insert(at, j);
            }
        }
        chosen
    }
}
