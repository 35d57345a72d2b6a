//! The regions table (`regions.csv`, or the regions sheet of a workbook): administrative
//! divisions and their parents.

use std::collections::HashMap;

use super::diags::{Diags, Locator};
use super::headers::Column;
use super::table::{read_table, Row, Table};
use super::{Region, SourceFile};

const REGION_COLUMNS: &[Column] = &[
    Column {
        key: "code",
        names: &["code", "区划代码", "代码"],
        required: true,
    },
    Column {
        key: "name",
        names: &["name", "名称", "区划名称"],
        required: true,
    },
    Column {
        key: "parent",
        names: &["parent", "上级", "上级代码", "上级区划代码"],
        required: true,
    },
];

/// Reads and checks the regions table: codes, names, parents, and no parent cycles. Errors go
/// to `diags`.
pub(super) fn read_regions(file: &SourceFile, diags: &mut Diags) -> Vec<Region> {
    let Some(Table { loc, rows, .. }) = read_table(file, REGION_COLUMNS, diags) else {
        return Vec::new();
    };
    let mut read = region_rows(&rows, &loc, diags);
    link_parents(&mut read, &loc, diags);
    report_cycles(&read, &loc, diags);
    read.regions
}

/// The valid rows of a regions table, their parents not linked yet.
struct RegionRows {
    /// In file order.
    regions: Vec<Region>,
    /// Each region's line.
    lines: Vec<usize>,
    /// Each region's parent code as written (empty: a root).
    parents: Vec<String>,
    /// Code → (index into `regions`, line).
    index: HashMap<String, (u32, usize)>,
}

/// The rows with a division code not seen before and a name.
fn region_rows(rows: &[Row], loc: &Locator, diags: &mut Diags) -> RegionRows {
    let mut read = RegionRows {
        regions: Vec::new(),
        lines: Vec::new(),
        parents: Vec::new(),
        index: HashMap::new(),
    };
    for row in rows {
        let code = row.get(0);
        if !(code.bytes().all(|b| b.is_ascii_digit()) && matches!(code.len(), 2 | 4 | 6 | 9 | 12)) {
            diags.at(loc, row.line, Some("code"), format!("region code \"{code}\" is not a division code; use 2 (省), 4 (市), 6 (县) or 9 (乡) digits"));
            continue;
        }
        if row.get(1).is_empty() {
            diags.at(
                loc,
                row.line,
                Some("name"),
                format!("region {code} has no name"),
            );
            continue;
        }
        if let Some((_, prev)) = read.index.get(code) {
            diags.at(
                loc,
                row.line,
                Some("code"),
                format!("duplicate region code {code} (first on line {prev})"),
            );
            continue;
        }
        read.index
            .insert(code.to_string(), (read.regions.len() as u32, row.line));
        read.regions.push(Region {
            code: code.to_string(),
            name: row.get(1).to_string(),
            parent: None,
        });
        read.lines.push(row.line);
        read.parents.push(row.get(2).to_string());
    }
    read
}

/// Sets each region's parent from the code its row names.
fn link_parents(read: &mut RegionRows, loc: &Locator, diags: &mut Diags) {
    let regions = &mut read.regions;
    let lines = &read.lines;
    for (i, p) in read.parents.iter().enumerate() {
        if p.is_empty() {
            continue;
        }
        match read.index.get(p) {
            Some(&(pi, _)) if pi as usize == i => {
                diags.at(loc, lines[i], Some("parent"), format!("region {} is its own parent", regions[i].code));
            }
            Some(&(pi, _)) => regions[i].parent = Some(pi),
            None => diags.at(loc, lines[i], Some("parent"), format!("region {} names parent {p}, which is not in the file; add it or leave parent empty for a root", regions[i].code)),
        }
    }
}

/// Cycles: walk up from every region not seen yet, marking the walk; reaching a region of this
/// walk closes a loop (each of its regions is reported once), reaching one of an earlier walk
/// ends it. Every region is walked once: linear in the table, however deep the tree.
fn report_cycles(read: &RegionRows, loc: &Locator, diags: &mut Diags) {
    const NEW: u32 = u32::MAX;
    const DONE: u32 = u32::MAX - 1;
    let regions = &read.regions;
    // NEW, DONE, or the walk (its start) that reached the region.
    let mut seen = vec![NEW; regions.len()];
    let mut path = Vec::new();
    for start in 0..regions.len() {
        let mut cur = start;
        path.clear();
        while seen[cur] == NEW {
            seen[cur] = start as u32;
            path.push(cur);
            match regions[cur].parent {
                Some(p) => cur = p as usize,
                None => break,
            }
        }
        if seen[cur] == start as u32 && regions[cur].parent.is_some() {
            let from = path.iter().position(|&r| r == cur).unwrap_or(0);
            for &r in &path[from..] {
                diags.at(
                    loc,
                    read.lines[r],
                    Some("parent"),
                    format!(
                        "region {} is part of a parent cycle; a region cannot be below itself",
                        regions[r].code
                    ),
                );
            }
        }
        for &r in &path {
            seen[r] = DONE;
        }
    }
}
