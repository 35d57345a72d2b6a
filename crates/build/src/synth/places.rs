//! The regions table, and the default mode's assignments: township items to a share of
//! townships.

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

use super::divisions::Division;
use super::items::SynthItems;
use super::out::Csv;
use super::Rng;
use powerlist::error::Error;

/// What was written to `regions.csv` and `assignments.csv`, for the summary.
#[derive(Debug, Default)]
pub(super) struct Written {
    pub(super) regions: usize,
    pub(super) townships: usize,
    pub(super) county_rows: usize,
    pub(super) township_rows: usize,
    /// Fewest and most items given to one township, in the national mode.
    pub(super) span: Option<(usize, usize)>,
}

impl fmt::Display for Written {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total = self.county_rows + self.township_rows;
        let Some((min, max)) = self.span else {
            return write!(f, "{} regions, {total} assignments", self.regions);
        };
        let mean = self.township_rows as f64 / self.townships.max(1) as f64;
        write!(
            f,
            "{} regions ({} townships), {total} assignments ({} county, {} township: {mean:.1} items per township, {min}–{max})",
            self.regions, self.townships, self.county_rows, self.township_rows
        )
    }
}

/// Writes every division to `regions.csv`, parents first.
pub(super) fn write_regions(out: &Path, divs: &[Division]) -> Result<(), Error> {
    let mut csv = Csv::create(&out.join("regions.csv"), "code,name,parent")?;
    for d in divs {
        let parent = d.parent.and_then(|p| divs.get(p)).map_or("", |p| &p.code);
        csv.row(&[&d.code, &d.name, parent])?;
    }
    csv.finish()
}

/// Writes the regions, and assignments of `per_township` of the 乡级 items each to at most
/// `townships` townships spread over the country (`<township>综合行政执法局`, 赋权).
pub(super) fn write(
    out: &Path,
    divs: &[Division],
    items: &SynthItems,
    townships: usize,
    per_township: usize,
    rng: &mut Rng,
) -> Result<Written, Error> {
    write_regions(out, divs)?;
    let mut csv = Csv::create(&out.join("assignments.csv"), "item,region,body,mode")?;
    let mut written = Written {
        regions: divs.len(),
        ..Written::default()
    };
    let township_items = &items.township;
    let towns: Vec<&Division> = divs.iter().filter(|d| d.is_township()).collect();
    let step = (towns.len() / townships.max(1)).max(1);
    if !township_items.is_empty() {
        for town in towns.iter().step_by(step).take(townships) {
            let body = format!("{}综合行政执法局", town.name);
            let mut chosen = BTreeSet::new();
            for _ in 0..per_township.min(township_items.len()) {
                chosen.insert(rng.below(township_items.len()));
            }
            for k in chosen {
                let code = &items.codes[township_items[k] as usize];
                csv.row(&[code, &town.code, &body, "赋权"])?;
                written.township_rows += 1;
            }
        }
    }
    csv.finish()?;
    Ok(written)
}
