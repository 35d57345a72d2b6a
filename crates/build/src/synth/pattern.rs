//! What the national mode learns from the source catalog's own assignments, so that the
//! generated ones mirror it: each item's county body (`海陵区城市管理局` → `{county}城市管理局`,
//! `泰州市自然资源和规划局海陵区分局` → `{city}自然资源和规划局{county}分局`) and mode; the bodies and
//! modes of townships (`{township}综合行政执法局`, 赋权) in the proportions the source has; and how
//! often a town, a street or a 乡 takes each 乡级 item, and how many it takes.

use std::collections::BTreeMap;

use super::divisions::{city_name, kind, Division, KINDS};
use super::items::TOWNSHIP;
use super::Rng;
use crate::catalog::Catalog;

/// Stands for the county's name in a body template.
const COUNTY_MARK: &str = "\u{1}";
/// Stands for the city's name in a body template.
const CITY_MARK: &str = "\u{2}";

/// A body pattern and a mode, with how many of the source's assignments have them.
type Counted = BTreeMap<(String, String), u32>;

/// Choices of (body pattern, mode), each as often as the source has it.
#[derive(Debug, Clone)]
pub(super) struct Mix {
    choices: Vec<(String, String, u32)>,
    total: u32,
}

impl Mix {
    fn of(counted: &Counted) -> Option<Mix> {
        let choices: Vec<(String, String, u32)> = counted
            .iter()
            .map(|((b, m), n)| (b.clone(), m.clone(), *n))
            .collect();
        let total = choices.iter().map(|c| c.2).sum();
        (total > 0).then_some(Mix { choices, total })
    }

    /// A choice, drawn in proportion (no draw when there is only one).
    pub(super) fn pick(&self, rng: &mut Rng) -> (&str, &str) {
        let mut r = if self.choices.len() > 1 {
            rng.below(self.total as usize) as u32
        } else {
            0
        };
        for (body, mode, n) in &self.choices {
            if r < *n {
                return (body, mode);
            }
            r -= n;
        }
        ("", "")
    }

    /// The most frequent choice (the first in order among equals).
    fn top(&self) -> (&str, &str) {
        let mut best: Option<&(String, String, u32)> = None;
        for c in &self.choices {
            if best.is_none_or(|b| c.2 > b.2) {
                best = Some(c);
            }
        }
        best.map_or(("", ""), |b| (&b.0, &b.1))
    }
}

/// What the source catalog's assignments show, per source item.
pub(super) struct Pattern {
    /// Each item's county body template and mode.
    county: Vec<(String, String)>,
    /// Each item's township body suffixes (after the township's name) and modes.
    township: Vec<Option<Mix>>,
    /// The township suffixes and modes of all items, for items the source never devolves.
    township_all: Mix,
    /// Per kind of township (see [`kind`]), per item: the weight of the item in the draw.
    pub(super) weights: [Vec<f64>; KINDS],
    /// Per kind of township: how many 乡级 items one takes in the source, on average.
    pub(super) means: [f64; KINDS],
}

impl Pattern {
    /// Learns the pattern from `base`'s assignments.
    pub(super) fn learn(base: &Catalog) -> Pattern {
        let n = base.items.len();
        let regions: Vec<Division> = base
            .regions
            .iter()
            .map(|r| Division {
                code: r.code.clone(),
                name: r.name.clone(),
                parent: r.parent.map(|p| p as usize),
            })
            .collect();
        let mut county = vec![Counted::new(); n];
        let mut township = vec![Counted::new(); n];
        let mut township_all = Counted::new();
        let mut taken = [(); KINDS].map(|_| vec![0u32; n]);
        let mut towns = [0u32; KINDS];
        for r in regions.iter().filter(|r| r.is_township()) {
            towns[kind(&r.name)] += 1;
        }
        for a in &base.assignments {
            let (Some(r), item) = (regions.get(a.region as usize), a.item as usize) else {
                continue;
            };
            if r.is_county() && !r.name.is_empty() {
                let template = templatize(&a.body, &r.name, &city_name(&regions, r));
                *county[item].entry((template, a.mode.clone())).or_default() += 1;
            } else if r.is_township() {
                if base.items[item].levels & TOWNSHIP != 0 {
                    taken[kind(&r.name)][item] += 1;
                }
                if let Some(suffix) = a.body.strip_prefix(r.name.as_str()) {
                    let key = (suffix.to_string(), a.mode.clone());
                    *township[item].entry(key.clone()).or_default() += 1;
                    *township_all.entry(key).or_default() += 1;
                }
            }
        }
        let (weights, means) = weights(base, &taken, &towns);
        Pattern {
            county: county_templates(base, &county),
            township: township.iter().map(Mix::of).collect(),
            township_all: Mix::of(&township_all).unwrap_or(Mix {
                choices: vec![("综合行政执法局".into(), "赋权".into(), 1)],
                total: 1,
            }),
            weights,
            means,
        }
    }

    /// The body and mode of source item `item` in the county `county` of the city `city`.
    pub(super) fn county_body(&self, item: usize, county: &str, city: &str) -> (String, &str) {
        let Some((template, mode)) = self.county.get(item) else {
            return (format!("{county}人民政府"), "");
        };
        let mut body = template
            .replace(COUNTY_MARK, county)
            .replace(CITY_MARK, city);
        if city == county {
            // 东莞市 is both: `东莞市东莞市生态环境局` → `东莞市生态环境局`.
            body = body.replace(&format!("{county}{county}"), county);
        }
        (body, mode)
    }

    /// The township body suffixes and modes of source item `item`.
    pub(super) fn township_mix(&self, item: usize) -> &Mix {
        self.township
            .get(item)
            .and_then(Option::as_ref)
            .unwrap_or(&self.township_all)
    }
}

/// `body` with the county's and the city's names replaced by marks.
fn templatize(body: &str, county: &str, city: &str) -> String {
    let t = body.replace(county, COUNTY_MARK);
    if city.is_empty() {
        t
    } else {
        t.replace(city, CITY_MARK)
    }
}

/// Each item's most frequent county template; for an item the source never assigns to a
/// county, its field's most frequent one, else one made from its department
/// (`县级城市管理部门` → `{county}城市管理部门`).
fn county_templates(base: &Catalog, county: &[Counted]) -> Vec<(String, String)> {
    let mut by_field: BTreeMap<&str, Counted> = BTreeMap::new();
    for (item, counted) in base.items.iter().zip(county) {
        let field = by_field.entry(item.field.as_str()).or_default();
        for (key, n) in counted {
            *field.entry(key.clone()).or_default() += n;
        }
    }
    let top = |c: &Counted| {
        Mix::of(c).map(|m| {
            let (body, mode) = m.top();
            (body.to_string(), mode.to_string())
        })
    };
    base.items
        .iter()
        .zip(county)
        .map(|(item, counted)| {
            top(counted)
                .or_else(|| by_field.get(item.field.as_str()).and_then(top))
                .unwrap_or_else(|| {
                    let dept = item.department.trim_start_matches("县级");
                    let dept = if dept.is_empty() {
                        "人民政府"
                    } else {
                        dept
                    };
                    (format!("{COUNTY_MARK}{dept}"), String::new())
                })
        })
        .collect()
}

/// Per kind of township, each item's weight in the draw — the share of the source's townships
/// of that kind that take it, smoothed so that every 乡级 item can be drawn — and the mean
/// number of 乡级 items they take. A kind the source lacks takes the figures of all its
/// townships; a source without township assignments gives every item the same weight.
fn weights(
    base: &Catalog,
    taken: &[Vec<u32>; KINDS],
    towns: &[u32; KINDS],
) -> ([Vec<f64>; KINDS], [f64; KINDS]) {
    let n = base.items.len();
    let all_towns: u32 = towns.iter().sum();
    let all_taken: Vec<u32> = (0..n).map(|i| taken.iter().map(|t| t[i]).sum()).collect();
    let township_item = |i: usize| base.items[i].levels & TOWNSHIP != 0;
    let mean = |taken: &[u32], towns: u32| {
        let sum: u64 = (0..n)
            .filter(|&i| township_item(i))
            .map(|i| u64::from(taken[i]))
            .sum();
        sum as f64 / f64::from(towns.max(1))
    };
    let pooled_mean = mean(&all_taken, all_towns);
    if all_towns == 0 || pooled_mean == 0.0 {
        return ([(); KINDS].map(|_| vec![1.0; n]), [1.0; KINDS]);
    }
    let mut weights = [(); KINDS].map(|_| Vec::new());
    let mut means = [0.0; KINDS];
    for k in 0..KINDS {
        let (taken, towns) = if towns[k] > 0 {
            (&taken[k], towns[k])
        } else {
            (&all_taken, all_towns)
        };
        weights[k] = taken
            .iter()
            .map(|&t| (f64::from(t) + 0.5) / (f64::from(towns) + 1.0))
            .collect();
        means[k] = mean(taken, towns);
    }
    (weights, means)
}
