//! The assignments table (`assignments.csv`, or the assignments sheet of a workbook): in a
//! region and below, an item is handled by a body.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use super::dates::{describe, period, Documents};
use super::diags::{Diags, Locator};
use super::headers::Column;
use super::items::Items;
use super::table::{scan_table, Row};
use super::{Assignment, Document, Region, Sources};

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
    // When it holds and what made it (see `dates`), in the order of `dates::DOCUMENT`…
    Column {
        key: "document",
        names: &["document", "文件文号", "文号", "决定文号", "赋权文件"],
        required: false,
    },
    Column {
        key: "document_date",
        names: &["document_date", "发文日期", "文件日期"],
        required: false,
    },
    Column {
        key: "basis_document",
        names: &["basis_document", "依据文件", "依据文号"],
        required: false,
    },
    Column {
        key: "from",
        names: &["from", "起始日期", "生效日期", "施行日期"],
        required: false,
    },
    Column {
        key: "until",
        names: &["until", "收回日期", "上收日期"],
        required: false,
    },
    Column {
        key: "end_document",
        names: &["end_document", "收回文件", "上收文件"],
        required: false,
    },
    Column {
        key: "note",
        names: &["note", "备注", "说明"],
        required: false,
    },
];

/// The assignments table, read: the assignments, each one's line, and the documents they name.
#[derive(Default)]
pub(super) struct Read {
    pub(super) assignments: Vec<Assignment>,
    /// The line (CSV) or row (sheet) of each assignment.
    pub(super) lines: Vec<u32>,
    pub(super) documents: Vec<Document>,
}

/// Reads and checks the assignments table, if the catalog has one, against the items and
/// regions read. `regions_ok`: the regions table had no errors. Errors go to `diags`.
///
/// The table can have millions of rows (every township of a country): it is read row by row,
/// each row's body and mode moved into its assignment, so it is never held twice. An item may
/// be assigned in one region several times, for periods that do not overlap (`from`, `until`).
pub(super) fn read_assignments(
    sources: &Sources,
    items: &Items,
    regions: &[Region],
    regions_ok: bool,
    diags: &mut Diags,
) -> Read {
    let Some(file) = &sources.assignments else {
        return Read::default();
    };
    let Some(regions_file) = &sources.regions else {
        diags.error(
            &file.table_name(),
            0,
            "assignments need regions beside them: regions.csv (code,name,parent), or a sheet named regions or 区划 in the catalog workbook".into(),
        );
        return Read::default();
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
    let mut seen = Seen::new(items.items.len(), regions.len());
    let mut read = Read::default();
    let mut documents = Documents::default();
    let mut code = String::new();
    let mut each = |mut row: Row, loc: &Locator, diags: &mut Diags| {
        let Ok(terms) = documents.terms(&mut row, loc, diags) else {
            return;
        };
        let Some(mut a) = known.assignment(&mut row, &mut code, loc, diags) else {
            return;
        };
        a.terms = terms;
        let out = &read.assignments;
        let overlapping = seen
            .earlier(&a, out)
            .into_iter()
            .find(|&e| overlap(period(out[e].terms.as_deref()), period(a.terms.as_deref())));
        if let Some(e) = overlapping {
            let prev = read.lines[e];
            let message = if a.terms.is_none() && out[e].terms.is_none() {
                format!(
                    "item {} is already assigned in region {} on line {prev}; keep one",
                    row.get(0),
                    row.get(1)
                )
            } else {
                format!(
                    "item {} is already assigned in region {} on line {prev} {}, a period that overlaps this one ({}); keep one, or end the earlier with 收回日期 (until) on or before this one's 起始日期 (from)",
                    row.get(0),
                    row.get(1),
                    describe(out[e].terms.as_deref()),
                    describe(a.terms.as_deref()),
                )
            };
            diags.at(loc, row.line, None, message);
            return;
        }
        seen.insert(&a, &read.assignments);
        read.assignments.push(a);
        read.lines.push(u32::try_from(row.line).unwrap_or(u32::MAX));
    };
    scan_table(file, ASSIGNMENT_COLUMNS, diags, &mut each);
    read.documents = documents.list;
    read
}

/// Whether two periods `[from, until)` share a day.
fn overlap(a: (u32, u32), b: (u32, u32)) -> bool {
    a.0 < b.1 && b.0 < a.1
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
    /// The assignment of a row, if its item and region are known and it names a body; its body
    /// and mode are moved out of the row. `code`: room for the item code in lowercase.
    fn assignment(
        &self,
        row: &mut Row,
        code: &mut String,
        loc: &Locator,
        diags: &mut Diags,
    ) -> Option<Assignment> {
        code.clear();
        code.push_str(row.get(0));
        code.make_ascii_lowercase();
        if self.broken.contains(code.as_str()) {
            return None; // already reported in the items table
        }
        let item = self.items.get(code.as_str()).copied();
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
            body: row.take(2),
            mode: row.take(3),
            terms: None,
        })
    }
}

/// The (item, region) pairs assigned so far, and which assignments have each.
enum Seen {
    /// A bit per pair (item × regions + region), while no pair repeats; for a national
    /// catalog (500 items × 45,000 regions) 2.8 MB, where a map of 5.8 million pairs takes
    /// more than a second to fill.
    Bits { bits: Vec<u64>, regions: usize },
    /// For catalogs with too many items × regions for bits, and from the first repeated pair
    /// on: each pair's last assignment (an index into the assignments accepted), and for an
    /// assignment whose pair was assigned before, the one before it.
    Map {
        last: HashMap<u64, usize, BuildHasherDefault<PairHasher>>,
        before: HashMap<usize, usize>,
    },
}

/// `a`'s (item, region) pair as one number.
fn pair(a: &Assignment) -> u64 {
    u64::from(a.item) << 32 | u64::from(a.region)
}

impl Seen {
    /// At most this many bits (128 MiB, of which only the pages of pairs used are touched).
    const MAX_BITS: usize = 1 << 30;

    fn new(items: usize, regions: usize) -> Seen {
        Seen::with_limit(items, regions, Self::MAX_BITS)
    }

    /// Bits when `items × regions` is at most `max_bits`, else a map.
    fn with_limit(items: usize, regions: usize, max_bits: usize) -> Seen {
        match items.checked_mul(regions) {
            Some(bits) if bits <= max_bits => Seen::Bits {
                bits: vec![0; bits.div_ceil(64)],
                regions,
            },
            _ => Seen::Map {
                last: HashMap::default(),
                before: HashMap::new(),
            },
        }
    }

    /// The assignments of `out` (those accepted) with `a`'s pair, last first.
    fn earlier(&mut self, a: &Assignment, out: &[Assignment]) -> Vec<usize> {
        if let Seen::Bits { bits, regions } = self {
            let at = a.item as usize * *regions + a.region as usize;
            if bits[at / 64] & (1u64 << (at % 64)) == 0 {
                return Vec::new();
            }
            // A repeat: from now on, a map (which names the earlier assignments).
            let mut last: HashMap<u64, usize, BuildHasherDefault<PairHasher>> = HashMap::default();
            let mut before = HashMap::new();
            for (i, x) in out.iter().enumerate() {
                if let Some(p) = last.insert(pair(x), i) {
                    before.insert(i, p);
                }
            }
            *self = Seen::Map { last, before };
        }
        let Seen::Map { last, before } = self else {
            return Vec::new();
        };
        let mut found = Vec::new();
        let mut cur = last.get(&pair(a)).copied();
        while let Some(i) = cur {
            found.push(i);
            cur = before.get(&i).copied();
        }
        found
    }

    /// Records that `a`, about to be pushed onto `out` (the assignments accepted), has its
    /// pair.
    fn insert(&mut self, a: &Assignment, out: &[Assignment]) {
        match self {
            Seen::Bits { bits, regions } => {
                let at = a.item as usize * *regions + a.region as usize;
                bits[at / 64] |= 1u64 << (at % 64);
            }
            Seen::Map { last, before } => {
                if let Some(p) = last.insert(pair(a), out.len()) {
                    before.insert(out.len(), p);
                }
            }
        }
    }
}

/// Hashes the (item, region) pairs of assignments, packed in a `u64`: the SplitMix64 finalizer,
/// much faster than the default SipHash for the millions of pairs of a national catalog.
#[derive(Default)]
struct PairHasher(u64);

impl Hasher for PairHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n).wrapping_add(0x9E37_79B9_7F4A_7C15);
    }

    fn finish(&self) -> u64 {
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds (item, region) pairs as [`read_assignments`] does (a repeat is refused): for each
    /// repeat, its position and the positions of the accepted assignments it repeats.
    fn repeats(mut seen: Seen, pairs: &[(u32, u32)]) -> Vec<(usize, Vec<usize>)> {
        let mut out = Vec::new();
        let mut found = Vec::new();
        for (i, &(item, region)) in pairs.iter().enumerate() {
            let a = Assignment {
                item,
                region,
                body: String::new(),
                mode: String::new(),
                terms: None,
            };
            let earlier = seen.earlier(&a, &out);
            if earlier.is_empty() {
                seen.insert(&a, &out);
                out.push(a);
            } else {
                found.push((i, earlier));
            }
        }
        found
    }

    #[test]
    fn bits_and_map_name_the_same_earlier_assignments() {
        let pairs = [
            (0, 0),
            (1, 0),
            (0, 3),
            (0, 0),
            (2, 3),
            (1, 0),
            (0, 0),
            (2, 3),
        ];
        let expected = vec![(3, vec![0]), (5, vec![1]), (6, vec![0]), (7, vec![3])];
        let bits = Seen::new(3, 4);
        assert!(matches!(bits, Seen::Bits { .. }));
        assert_eq!(repeats(bits, &pairs), expected);
        let map = Seen::with_limit(3, 4, 11);
        assert!(matches!(map, Seen::Map { .. }));
        assert_eq!(repeats(map, &pairs), expected);
        assert_eq!(repeats(Seen::new(3, 4), &pairs[..3]), vec![]);
    }

    #[test]
    fn periods_of_one_pair_chain() {
        let mut seen = Seen::new(2, 2);
        let mut out = Vec::new();
        for _ in 0..3 {
            let a = Assignment {
                item: 1,
                region: 1,
                body: String::new(),
                mode: String::new(),
                terms: None,
            };
            let earlier = seen.earlier(&a, &out);
            assert_eq!(earlier, (0..out.len()).rev().collect::<Vec<_>>());
            seen.insert(&a, &out);
            out.push(a);
        }
    }
}
