//! Catalog statistics.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::index::Index;

/// What an index holds.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// powerlist version that built it.
    pub built_with: String,
    /// Index format version.
    pub format_version: u32,
    /// Index size in bytes.
    pub bytes: usize,
    /// The catalog's name, version and date.
    pub catalog: crate::index::CatalogInfo,
    /// Items.
    pub items: usize,
    /// Laws in the catalog.
    pub laws: usize,
    /// Distinct articles cited.
    pub articles_cited: usize,
    /// Regions.
    pub regions: usize,
    /// Assignments.
    pub assignments: usize,
    /// Items per field.
    pub by_field: BTreeMap<String, u32>,
    /// Items per type.
    pub by_type: BTreeMap<String, u32>,
    /// Items per level.
    pub by_level: BTreeMap<String, u32>,
}

impl Index {
    /// Counts of what the index holds.
    pub fn stats(&self) -> Stats {
        let mut by_field = BTreeMap::new();
        let mut by_type = BTreeMap::new();
        let mut by_level = BTreeMap::new();
        for id in 0..self.attrs.len() as u32 {
            *by_field.entry(self.field_name(id).to_string()).or_default() += 1;
            *by_type.entry(self.type_name(id).to_string()).or_default() += 1;
            for l in self.levels_of(id) {
                *by_level.entry(l.to_string()).or_default() += 1;
            }
        }
        Stats {
            built_with: self.meta.version.clone(),
            format_version: crate::format::FORMAT_VERSION,
            bytes: self.byte_len,
            catalog: self.meta.catalog.clone(),
            items: self.attrs.len(),
            laws: self.meta.laws.len(),
            articles_cited: self.meta.article_keys.len(),
            regions: self.regions().map_or(0, |r| r.regions.len()),
            assignments: self.regions().map_or(0, |r| r.assignments.len()),
            by_field,
            by_type,
            by_level,
        }
    }

    /// Regions as (code, name, parent code).
    pub fn region_list(&self) -> Vec<(String, String, Option<String>)> {
        let Ok(regions) = self.regions() else {
            return Vec::new();
        };
        let rs = &regions.regions;
        rs.iter()
            .map(|r| {
                let parent = r
                    .parent
                    .and_then(|p| rs.get(p as usize))
                    .map(|p| p.code.clone());
                (r.code.clone(), r.name.clone(), parent)
            })
            .collect()
    }
}
