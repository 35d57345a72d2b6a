//! Facets: the hits counted per field, type and level, each facet ignoring its own filter (so
//! that a page can offer the other values of a filter already chosen).

use crate::index::{heap_sort, Index, ItemAttr};
use crate::model::{LEVELS, TYPES};

use super::filters::Pass;
use super::{FacetList, Facets};

/// The counts, by attribute number.
pub(super) struct FacetCounts {
    by_field: Vec<u32>,
    by_type: [u32; TYPES.len()],
    /// Per combination of levels (an item is exercised at several): spread over the levels
    /// once, at the end.
    by_levels: [u32; 1 << LEVELS.len()],
}

impl FacetCounts {
    /// No counts yet, for a catalog of `fields` fields.
    pub(super) fn new(fields: usize) -> FacetCounts {
        FacetCounts {
            by_field: vec![0; fields],
            by_type: [0; TYPES.len()],
            by_levels: [0; 1 << LEVELS.len()],
        }
    }

    /// Counts a hit with attributes `a` in each facet whose other filters it passes.
    pub(super) fn count(&mut self, a: &ItemAttr, pass: Pass) {
        if pass.kind && pass.level {
            if let Some(c) = self.by_field.get_mut(usize::from(a.field)) {
                *c += 1;
            }
        }
        if pass.field && pass.level {
            if let Some(c) = self.by_type.get_mut(usize::from(a.kind)) {
                *c += 1;
            }
        }
        if pass.field && pass.kind {
            if let Some(n) = self.by_levels.get_mut(usize::from(a.levels)) {
                *n += 1;
            }
        }
    }

    /// The counts by name, values with no hits left out.
    pub(super) fn named(&self, index: &Index) -> Facets {
        self.listed(index)
            .into_iter()
            .map(|(facet, values)| (facet.to_string(), values.into_iter().collect()))
            .collect()
    }

    /// [`FacetCounts::named`] as sorted lists, in the same order, without a map: the browser
    /// module's search builds its objects from them (a map of its own there was 7 KB).
    pub(super) fn listed(&self, index: &Index) -> FacetList {
        let mut by_level = [0u32; LEVELS.len()];
        for (mask, &c) in self.by_levels.iter().enumerate() {
            for (bit, n) in by_level.iter_mut().enumerate() {
                if mask & (1 << bit) != 0 {
                    *n += c;
                }
            }
        }
        // Sorted by name then number, and of equal names (a damaged index's fields) the last
        // kept: what inserting them one by one into a map gave.
        let named = |counts: &[u32], name: &dyn Fn(usize) -> String| -> Vec<(String, u32)> {
            let mut all: Vec<(String, usize, u32)> = counts
                .iter()
                .enumerate()
                .filter(|(_, &c)| c > 0)
                .map(|(i, &c)| (name(i), i, c))
                .collect();
            heap_sort(&mut all);
            let mut out: Vec<(String, u32)> = Vec::with_capacity(all.len());
            for (name, _, c) in all {
                match out.last_mut() {
                    Some(last) if last.0 == name => last.1 = c,
                    _ => out.push((name, c)),
                }
            }
            out
        };
        // The facets' names in order.
        vec![
            (
                "field",
                named(&self.by_field, &|i| {
                    index.meta.fields.get(i).cloned().unwrap_or_default()
                }),
            ),
            ("level", named(&by_level, &|i| LEVELS[i].to_string())),
            ("type", named(&self.by_type, &|i| TYPES[i].to_string())),
        ]
    }
}
