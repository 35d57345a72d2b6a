//! The assignments table (`assignments.csv`, or the assignments sheet of a workbook): in a
//! region and below, an item is handled by a body.

use std::collections::{HashMap, HashSet};

use super::diags::{Diags, Locator};
use super::headers::Column;
use super::items::Items;
use super::table::{read_table, Row, Table};
use super::{Assignment, Region, Sources};

const ASSIGNMENT_COLUMNS: &[Column] = &[
    Column {
        key: "item",
        names: &["item", "事项编码", "事项"],
        required: true,
    },
    Column {
        key: "region",
        names: &["region", "区划代码", "区划", "地区"],
        required: true,
    },
    Column {
        key: "body",
        names: &["body", "承办主体", "执法主体", "实施主体"],
        required: true,
    },
    Column {
        key: "mode",
        names: &["mode", "方式", "赋权方式"],
        required: false,
    },
];

/// Reads and checks the assignments table, if the catalog has one, against the items and
/// regions read. `regions_ok`: the regions table had no errors. Errors go to `diags`.
pub(super) fn read_assignments(
    sources: &Sources,
    items: &Items,
    regions: &[Region],
    regions_ok: bool,
    diags: &mut Diags,
) -> Vec<Assignment> {
    let Some(file) = &sources.assignments else {
        return Vec::new();
    };
    let Some(regions_file) = &sources.regions else {
        diags.error(
            &file.table_name(),
            0,
            "assignments need regions beside them: regions.csv (code,name,parent), or a sheet named regions or 区划 in the catalog workbook".into(),
        );
        return Vec::new();
    };
    let Some(Table { loc, rows, .. }) = read_table(file, ASSIGNMENT_COLUMNS, diags) else {
        return Vec::new();
    };
    let known = Known {
        items: items
            .items
            .iter()
            .enumerate()
            .map(|(i, it)| (it.code.to_ascii_lowercase(), i as u32))
            .collect(),
        broken: &items.broken,
        regions: regions
            .iter()
            .enumerate()
            .map(|(i, r)| (r.code.as_str(), i as u32))
            .collect(),
        // Don't repeat what the items or regions table already reported.
        check_items: items.readable,
        check_regions: regions_ok,
        items_table: sources.items.table_name(),
        regions_table: regions_file.table_name(),
    };
    let mut seen: HashMap<(u32, u32), usize> = HashMap::new();
    let mut out = Vec::new();
    for row in rows {
        let Some(a) = known.assignment(&row, &loc, diags) else {
            continue;
        };
        if let Some(prev) = seen.insert((a.item, a.region), row.line) {
            diags.at(
                &loc,
                row.line,
                None,
                format!(
                    "item {} is already assigned in region {} on line {prev}; keep one",
                    row.get(0),
                    row.get(1)
                ),
            );
            continue;
        }
        out.push(a);
    }
    out
}

/// What an assignment is checked against.
struct Known<'a> {
    /// Item codes (lowercase) → index into the items.
    items: HashMap<String, u32>,
    /// Item codes (lowercase) of rows with errors, already reported in the items table.
    broken: &'a HashSet<String>,
    /// Region codes → index into the regions.
    regions: HashMap<&'a str, u32>,
    /// Whether an unknown item is reported (not when the items table could not be read).
    check_items: bool,
    /// Whether an unknown region is reported (not when the regions table had errors).
    check_regions: bool,
    /// How messages name the items table.
    items_table: String,
    /// How messages name the regions table.
    regions_table: String,
}

impl Known<'_> {
    /// The assignment of a row, if its item and region are known and it names a body.
    fn assignment(&self, row: &Row, loc: &Locator, diags: &mut Diags) -> Option<Assignment> {
        if self.broken.contains(&row.get(0).to_ascii_lowercase()) {
            return None; // already reported in the items table
        }
        let item = self.items.get(&row.get(0).to_ascii_lowercase()).copied();
        let region = self.regions.get(row.get(1)).copied();
        let mut ok = item.is_some() && region.is_some();
        if item.is_none() && self.check_items {
            diags.at(
                loc,
                row.line,
                Some("item"),
                format!(
                    "unknown item \"{}\"; it is not a code in {}",
                    row.get(0),
                    self.items_table
                ),
            );
        }
        if region.is_none() && self.check_regions {
            diags.at(
                loc,
                row.line,
                Some("region"),
                format!(
                    "unknown region \"{}\"; it is not a code in {}",
                    row.get(1),
                    self.regions_table
                ),
            );
            ok = false;
        }
        if row.get(2).is_empty() {
            diags.at(
                loc,
                row.line,
                Some("body"),
                "the body (承办主体) is empty".into(),
            );
            ok = false;
        }
        let (Some(item), Some(region), true) = (item, region, ok) else {
            return None;
        };
        Some(Assignment {
            item,
            region,
            body: row.get(2).to_string(),
            mode: row.get(3).to_string(),
        })
    }
}
