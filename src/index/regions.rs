//! The regions section: regions, handling bodies and assignments, decoded and cross-checked on
//! first use ([`Index::regions`]); finding a region by code or name; and who handles an item in
//! a region ([`Index::handler`]). A damaged or forged section is an error from whatever needs
//! it, never an empty list of regions.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::{
    bad, AssignRecord, Contact, DatedRecord, DocumentRecord, Index, RegionsSection, TermsRecord,
};
use crate::date::Date;
use crate::error::{Error, Part};
use crate::format::web::{AssignPiece, RegionsHead};
use crate::format::RegionRecord;
use crate::text::CharHasher;

/// A listed region, its parent's code and how many regions the list leaves out after it.
pub type ListedRegion<'a> = (&'a RegionRecord, Option<&'a str>, u32);

/// An assignment that says who handles an item, with its terms (an index into
/// [`RegionsSection::terms`]) when it has any.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Held {
    pub(crate) record: AssignRecord,
    pub(crate) terms: Option<u32>,
}

/// The regions section, decoded and cross-checked, with a code → region map. In a chunked
/// index whose first piece leaves townships out ([`RegionsHead`]), `regions` holds the listed
/// regions only: [`Index::region`] finds any region by number.
#[derive(Debug)]
pub(crate) struct Regions {
    section: RegionsSection,
    /// Code → number, of the listed regions.
    pub(crate) by_code: HashMap<String, u32, BuildHasherDefault<CharHasher>>,
    /// Each listed region's number (empty when none is left out: its position).
    numbers: Vec<u32>,
    /// How many regions each listed region leaves out after it (empty when none).
    left_out: Vec<u32>,
    /// Which listed regions have assignments (bits; empty: any may).
    assigned: Vec<u8>,
    /// How many regions there are, listed or not.
    total: u32,
}

impl std::ops::Deref for Regions {
    type Target = RegionsSection;
    fn deref(&self) -> &RegionsSection {
        &self.section
    }
}

impl Regions {
    /// Decodes the section and checks every number in it (`items`: the index's item count).
    pub(super) fn load(bytes: &[u8], items: usize) -> Result<Regions, Error> {
        let section: RegionsSection =
            postcard::from_bytes(bytes).map_err(|_| bad(Part::Regions))?;
        Regions::checked(
            RegionsHead {
                section,
                left_out: Vec::new(),
                assigned: Vec::new(),
            },
            items,
        )
    }

    /// Decodes a chunked index's first piece and checks every number in it.
    pub(super) fn load_head(bytes: &[u8], items: usize) -> Result<Regions, Error> {
        let head: RegionsHead = postcard::from_bytes(bytes).map_err(|_| bad(Part::Regions))?;
        if !head.section.assignments.is_empty() || !head.section.dated.is_empty() {
            return Err(bad(Part::Assignments));
        }
        Regions::checked(head, items)
    }

    fn checked(head: RegionsHead, items: usize) -> Result<Regions, Error> {
        let RegionsHead {
            section,
            left_out,
            assigned,
        } = head;
        let listed = section.regions.len();
        if !left_out.is_empty() && left_out.len() != listed {
            return Err(bad(Part::Regions));
        }
        let mut numbers = Vec::new();
        let mut total: u32 = 0;
        for j in 0..listed {
            numbers.push(total);
            let skip = left_out.get(j).copied().unwrap_or(0);
            total = total
                .checked_add(1)
                .and_then(|t| t.checked_add(skip))
                .ok_or_else(|| bad(Part::Regions))?;
        }
        if left_out.is_empty() {
            numbers.clear();
        }
        let nr = total as usize;
        if section
            .regions
            .iter()
            .any(|r| r.parent.is_some_and(|p| p as usize >= nr))
            || (!assigned.is_empty() && assigned.len() != listed.div_ceil(8))
        {
            return Err(bad(Part::Regions));
        }
        check_assignments(&section.assignments, nr, section.bodies.len(), items, 0..nr)?;
        check_contacts(&section.contacts, 0..section.bodies.len())?;
        check_terms(&section)?;
        check_dated(
            &section.dated,
            section.assignments.len(),
            section.terms.len(),
        )
        .map_err(|_| bad(Part::Regions))?;
        let number = |j: usize| numbers.get(j).copied().unwrap_or(j as u32);
        let by_code = section
            .regions
            .iter()
            .enumerate()
            .map(|(j, r)| (r.code.clone(), number(j)))
            .collect();
        Ok(Regions {
            section,
            by_code,
            numbers,
            left_out,
            assigned,
            total,
        })
    }

    /// How many regions there are, listed or not.
    pub(crate) fn total(&self) -> usize {
        self.total as usize
    }

    /// Whether some regions are left out of the list (in the pieces of assignments).
    pub(crate) fn leaves_out(&self) -> bool {
        !self.numbers.is_empty()
    }

    /// The position in the list of region number `r`, if it is listed.
    pub(crate) fn listed(&self, r: u32) -> Option<usize> {
        if self.numbers.is_empty() {
            return ((r as usize) < self.section.regions.len()).then_some(r as usize);
        }
        self.numbers.binary_search(&r).ok()
    }

    /// The number of the listed region at position `j`.
    pub(crate) fn number(&self, j: usize) -> u32 {
        self.numbers.get(j).copied().unwrap_or(j as u32)
    }

    /// The numbers of the regions left out after the listed region at position `j`.
    fn left_out_after(&self, j: usize) -> std::ops::Range<u32> {
        let n = self.number(j);
        let k = self.left_out.get(j).copied().unwrap_or(0);
        n.saturating_add(1)..n.saturating_add(1).saturating_add(k)
    }

    /// The numbers of the regions left out after region `r`'s listed county: those after `r`
    /// when it is listed, else those among which `r` is (empty when none is left out there).
    pub(crate) fn left_out_near(&self, r: u32) -> std::ops::Range<u32> {
        if self.numbers.is_empty() {
            return 0..0;
        }
        let Some(j) = self.numbers.partition_point(|&n| n <= r).checked_sub(1) else {
            return 0..0;
        };
        let range = self.left_out_after(j);
        if self.number(j) == r || range.contains(&r) {
            range
        } else {
            0..0
        }
    }

    /// How many listed regions have numbers in `from..to`.
    fn listed_between(&self, from: u32, to: u32) -> usize {
        if self.numbers.is_empty() {
            return (to.min(self.total).saturating_sub(from)) as usize;
        }
        self.numbers
            .partition_point(|&n| n < to)
            .saturating_sub(self.numbers.partition_point(|&n| n < from))
    }

    /// Whether the listed region at position `j` may have assignments of its own.
    fn may_be_assigned(&self, j: usize) -> bool {
        self.assigned
            .get(j / 8)
            .is_none_or(|b| b & (1 << (j % 8)) != 0)
    }
}

/// Checks that every assignment of `list` names a region in `within`, an item below `items`,
/// bodies and modes below `bodies`, and that they are sorted by region, then item.
fn check_assignments(
    list: &[AssignRecord],
    regions: usize,
    bodies: usize,
    items: usize,
    within: std::ops::Range<usize>,
) -> Result<(), Error> {
    let bad_one = |a: &AssignRecord| {
        a.region as usize >= regions
            || !within.contains(&(a.region as usize))
            || a.item as usize >= items
            || a.body as usize >= bodies
            || a.mode as usize >= bodies
    };
    let sorted = list
        .windows(2)
        .all(|w| (w[0].region, w[0].item) <= (w[1].region, w[1].item));
    if list.iter().any(bad_one) || !sorted {
        return Err(bad(Part::Assignments));
    }
    Ok(())
}

/// Checks that every term names documents the section has and real days.
fn check_terms(section: &RegionsSection) -> Result<(), Error> {
    let docs = section.documents.len() as u64;
    let day = |d: u32| d == 0 || crate::date::Date::from_ymd(d).is_some();
    let ok = section.terms.iter().all(|t| {
        u64::from(t.document) <= docs
            && u64::from(t.end_document) <= docs
            && day(t.from)
            && day(t.until)
            && (t.until == 0 || t.from < t.until)
    }) && section.documents.iter().all(|d| day(d.date));
    if !ok {
        return Err(bad(Part::Regions));
    }
    Ok(())
}

/// Checks that the terms of a list of `len` assignments name positions in it, ascending, each
/// once, and terms below `terms`.
fn check_dated(dated: &[DatedRecord], len: usize, terms: usize) -> Result<(), Error> {
    let sorted = dated.windows(2).all(|w| w[0].at < w[1].at);
    if !sorted
        || dated
            .iter()
            .any(|d| d.at as usize >= len || d.terms as usize >= terms)
    {
        return Err(bad(Part::Assignments));
    }
    Ok(())
}

/// The assignments of one region, with their terms.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Assigned<'a> {
    /// The assignments, sorted by item (then by the first day each holds).
    pub(crate) list: &'a [AssignRecord],
    /// Where `list` starts in the list `dated` numbers.
    base: usize,
    /// The terms of that list's assignments, by position.
    dated: &'a [DatedRecord],
}

impl<'a> Assigned<'a> {
    /// The terms (an index into [`RegionsSection::terms`]) of `list[i]`, if it has any.
    pub(crate) fn terms_of(&self, i: usize) -> Option<u32> {
        let at = u32::try_from(self.base + i).ok()?;
        let k = self.dated.binary_search_by_key(&at, |d| d.at).ok()?;
        self.dated.get(k).map(|d| d.terms)
    }

    /// The positions in `list` of item `item`'s assignments.
    pub(crate) fn of_item(&self, item: u32) -> std::ops::Range<usize> {
        let lo = self.list.partition_point(|a| a.item < item);
        let hi = self.list.partition_point(|a| a.item <= item);
        lo..hi
    }
}

/// Checks that every contact names a body in `within`, each once, sorted by body.
fn check_contacts(
    list: &[crate::format::BodyContact],
    within: std::ops::Range<usize>,
) -> Result<(), Error> {
    let sorted = list.windows(2).all(|w| w[0].body < w[1].body);
    if !sorted || list.iter().any(|c| !within.contains(&(c.body as usize))) {
        return Err(bad(Part::Regions));
    }
    Ok(())
}

/// A chunked index's assignments, in pieces over consecutive ranges of regions (the regions
/// section's first piece holds the regions and the bodies many pieces name): each piece, with
/// the names of the bodies only it names, decoded and checked when first read.
pub(super) struct AssignPieces {
    /// The first region of each piece, ascending.
    firsts: Vec<u32>,
    /// The number of each piece's first own body, ascending.
    bodies: Vec<u32>,
    decoded: Vec<std::sync::OnceLock<Result<AssignPiece, Error>>>,
    all: std::sync::OnceLock<Result<RegionsSection, Error>>,
}

impl AssignPieces {
    /// From the directory's first keys of the regions section's pieces: empty for the first
    /// (the regions), then for each piece of assignments its first region and its first own
    /// body (u32 BE each).
    pub(super) fn new(firsts: &[Vec<u8>]) -> Result<AssignPieces, Error> {
        let (head, rest) = firsts.split_first().ok_or_else(|| bad(Part::Regions))?;
        let pairs = rest
            .iter()
            .map(|f| {
                let f = <[u8; 8]>::try_from(f.as_slice()).map_err(|_| bad(Part::Regions))?;
                let [a, b, c, d, e, g, h, i] = f;
                Ok((
                    u32::from_be_bytes([a, b, c, d]),
                    u32::from_be_bytes([e, g, h, i]),
                ))
            })
            .collect::<Result<Vec<(u32, u32)>, Error>>()?;
        let (firsts, bodies): (Vec<u32>, Vec<u32>) = pairs.into_iter().unzip();
        if !head.is_empty()
            || !firsts.windows(2).all(|w| w[0] < w[1])
            || !bodies.windows(2).all(|w| w[0] <= w[1])
        {
            return Err(bad(Part::Regions));
        }
        Ok(AssignPieces {
            decoded: firsts.iter().map(|_| std::sync::OnceLock::new()).collect(),
            all: std::sync::OnceLock::new(),
            firsts,
            bodies,
        })
    }

    /// The piece holding region `r`'s assignments, if any may.
    fn piece_of(&self, r: u32) -> Option<usize> {
        self.firsts.partition_point(|&f| f <= r).checked_sub(1)
    }
}

impl Index {
    /// The regions, their bodies and the assignments, decoded and checked on first use (the
    /// error, when they are damaged, is kept and returned to every later caller).
    pub(crate) fn regions(&self) -> Result<&Regions, Error> {
        super::lazy::once(&self.regions, || {
            // A chunked index's first piece holds the regions and the shared bodies, no
            // assignments.
            match self.regions_bytes.piece_list().first() {
                Some(p) => {
                    Regions::load_head(self.regions_bytes.read(p.start, p.end)?, self.attrs.len())
                }
                None => Regions::load(
                    self.regions_bytes.read(0, self.regions_bytes.len())?,
                    self.attrs.len(),
                ),
            }
        })
    }

    /// The assignments in region `r`, sorted by item, with their terms.
    pub(crate) fn assigned_in(&self, r: u32) -> Result<Assigned<'_>, Error> {
        let (list, dated) = match &self.assign {
            None => {
                let s = self.regions()?;
                (s.assignments.as_slice(), s.dated.as_slice())
            }
            Some(p) => {
                // A listed region the first piece marks as having none: no piece to read.
                let regions = self.regions()?;
                let none = regions
                    .listed(r)
                    .is_some_and(|j| !regions.may_be_assigned(j));
                match p.piece_of(r).filter(|_| !none) {
                    Some(i) => {
                        let piece = self.assign_piece(p, i)?;
                        (piece.assignments.as_slice(), piece.dated.as_slice())
                    }
                    None => (&[][..], &[][..]),
                }
            }
        };
        let lo = list.partition_point(|a| a.region < r);
        let hi = list.partition_point(|a| a.region <= r);
        Ok(Assigned {
            list: list.get(lo..hi).unwrap_or_default(),
            base: lo,
            dated,
        })
    }

    /// The terms numbered `t` (an index into [`RegionsSection::terms`]).
    pub(crate) fn terms_record(&self, t: u32) -> Result<Option<&TermsRecord>, Error> {
        Ok(self.regions()?.terms.get(t as usize))
    }

    /// The document numbered `d` as terms number them (1 + an index), if any.
    pub(crate) fn document(&self, d: u32) -> Result<Option<&DocumentRecord>, Error> {
        let docs = &self.regions()?.documents;
        Ok(d.checked_sub(1).and_then(|i| docs.get(i as usize)))
    }

    /// Piece `i` of a chunked index's assignments and its own bodies, decoded and checked on
    /// first use: every body it names is a shared one (the first piece's) or its own.
    fn assign_piece<'a>(&'a self, p: &'a AssignPieces, i: usize) -> Result<&'a AssignPiece, Error> {
        let cell = p.decoded.get(i).ok_or_else(|| bad(Part::Assignments))?;
        super::lazy::once(cell, || {
            let regions = self.regions()?;
            let piece = self
                .regions_bytes
                .piece_list()
                .get(i + 1)
                .ok_or_else(|| bad(Part::Assignments))?;
            let bytes = self.regions_bytes.read(piece.start, piece.end)?;
            let decoded: AssignPiece =
                postcard::from_bytes(bytes).map_err(|_| bad(Part::Assignments))?;
            let from = p.firsts.get(i).copied().unwrap_or(0) as usize;
            let to = p.firsts.get(i + 1).map_or(usize::MAX, |&t| t as usize);
            let shared = regions.bodies.len();
            let own = p.bodies.get(i).copied().unwrap_or(0) as usize;
            let own_end = own.saturating_add(decoded.bodies.len());
            let next = p.bodies.get(i + 1).map_or(usize::MAX, |&b| b as usize);
            if own < shared || own_end > next {
                return Err(bad(Part::Assignments));
            }
            let list = &decoded.assignments;
            // The regions it carries: those its range covers that the first piece leaves out.
            let end = p.firsts.get(i + 1).copied().unwrap_or(regions.total);
            let first = p.firsts.get(i).copied().unwrap_or(0);
            let expected = if regions.leaves_out() {
                (end.saturating_sub(first) as usize)
                    .saturating_sub(regions.listed_between(first, end))
            } else {
                0
            };
            let total = regions.total();
            if decoded.regions.len() != expected
                || decoded
                    .regions
                    .iter()
                    .any(|r| r.parent.is_some_and(|p| p as usize >= total))
            {
                return Err(bad(Part::Regions));
            }
            check_assignments(list, total, own_end, self.attrs.len(), from..to)?;
            let foreign = |b: u32| (shared..own).contains(&(b as usize));
            if list.iter().any(|a| foreign(a.body) || foreign(a.mode)) {
                return Err(bad(Part::Assignments));
            }
            check_contacts(&decoded.contacts, own..own_end).map_err(|_| bad(Part::Assignments))?;
            check_dated(&decoded.dated, list.len(), regions.terms.len())?;
            Ok(decoded)
        })
    }

    /// The name of body (or mode) `b` named by an assignment of region `r`.
    pub(crate) fn body_name(&self, b: u32, r: u32) -> Result<&str, Error> {
        let regions = self.regions()?;
        if let Some(name) = regions.bodies.get(b as usize) {
            return Ok(name);
        }
        let piece = match &self.assign {
            Some(p) => p.piece_of(r).map(|i| (p, i)),
            None => None,
        };
        let Some((p, i)) = piece else {
            return Ok("");
        };
        let own = p.bodies.get(i).copied().unwrap_or(0);
        let names = &self.assign_piece(p, i)?.bodies;
        Ok(b.checked_sub(own)
            .and_then(|k| names.get(k as usize))
            .map_or("", |s| s.as_str()))
    }

    /// Nothing when the assignments of `regions` and of the regions above them are here; else
    /// the error naming every chunk that holds some of them.
    pub(crate) fn need_assignments(&self, wanted: &[u32]) -> Result<(), Error> {
        let Some(p) = &self.assign else {
            return Ok(());
        };
        let regions = self.regions()?;
        let mut need = crate::search::Need::default();
        // Piece numbers as 64-bit integers, sorted and deduplicated below: the sort ranking
        // uses rather than a set of their own in the browser module.
        let mut pieces: Vec<u64> = Vec::new();
        for &r in wanted {
            let mut cur = Some(r);
            for _ in 0..=32 {
                let Some(x) = cur else { break };
                if let Some(j) = regions.listed(x) {
                    if regions.may_be_assigned(j) {
                        pieces.extend(p.piece_of(x).map(|i| i as u64));
                    }
                    cur = regions.regions.get(j).and_then(|x| x.parent);
                    continue;
                }
                // A region left out: it and the regions between it and its listed county
                // (its parents among them) are in the pieces that cover those numbers.
                let near = regions.left_out_near(x);
                if near.is_empty() {
                    break;
                }
                let (lo, hi) = (p.piece_of(near.start), p.piece_of(x));
                if let (Some(lo), Some(hi)) = (lo, hi) {
                    pieces.extend((lo..=hi).map(|i| i as u64));
                }
                cur = near.start.checked_sub(1);
            }
        }
        pieces.sort_unstable();
        pieces.dedup();
        for i in pieces {
            need.add(self.assign_piece(p, i as usize))?;
        }
        need.ask()
    }

    /// The regions and assignments section, decoded and checked on first use (an error when it
    /// is damaged, never an empty section).
    pub fn regions_section(&self) -> Result<&RegionsSection, Error> {
        let Some(p) = &self.assign else {
            return self.regions().map(|r| &**r);
        };
        let regions = self.regions()?;
        let mut need = crate::search::Need::default();
        for i in 0..p.firsts.len() {
            need.add(self.assign_piece(p, i))?;
        }
        need.ask()?;
        super::lazy::once(&p.all, || {
            let mut assignments = Vec::new();
            let mut bodies = regions.bodies.clone();
            let mut contacts = regions.contacts.clone();
            let mut dated = Vec::new();
            let mut left_out = Vec::new();
            for i in 0..p.firsts.len() {
                let piece = self.assign_piece(p, i)?;
                left_out.extend(piece.regions.iter().cloned());
                if p.bodies.get(i).map(|&b| b as usize) != Some(bodies.len()) {
                    return Err(bad(Part::Assignments));
                }
                let base = u32::try_from(assignments.len()).map_err(|_| bad(Part::Assignments))?;
                dated.extend(piece.dated.iter().map(|d| DatedRecord {
                    at: base.saturating_add(d.at),
                    terms: d.terms,
                }));
                assignments.extend_from_slice(&piece.assignments);
                bodies.extend_from_slice(&piece.bodies);
                contacts.extend_from_slice(&piece.contacts);
            }
            fold_copies(&mut bodies, &mut assignments, &mut contacts);
            Ok(RegionsSection {
                regions: all_regions(regions, left_out)?,
                bodies,
                assignments,
                contacts,
                documents: regions.documents.clone(),
                terms: regions.terms.clone(),
                dated,
            })
        })
    }

    /// Resolves a region given by code or exact name. In a chunked index whose first piece
    /// leaves townships out, a township's code is looked for in the pieces of the listed
    /// regions whose codes begin it, and a name that is not listed (one not all ASCII) in every
    /// piece.
    pub fn find_region(&self, region: &str) -> Result<u32, Error> {
        let r = region.trim();
        let regions = self.regions()?;
        if let Some(&i) = regions.by_code.get(r) {
            return Ok(i);
        }
        if regions.leaves_out() {
            if let Some(i) = self.find_left_out(regions, r)? {
                return Ok(i);
            }
        }
        let mut by_name: Vec<u32> = regions
            .regions
            .iter()
            .enumerate()
            .filter(|(_, x)| x.name == r)
            .map(|(j, _)| regions.number(j))
            .collect();
        if regions.leaves_out() && !r.is_ascii() {
            by_name = self
                .regions_section()?
                .regions
                .iter()
                .enumerate()
                .filter(|(_, x)| x.name == r)
                .map(|(i, _)| i as u32)
                .collect();
        }
        match by_name.as_slice() {
            [one] => Ok(*one),
            [] => Err(Error::Request(format!(
                "unknown region \"{r}\"; give a division code or name from the catalog's regions ({} known)",
                regions.total()
            ))),
            many => Err(Error::Request(format!(
                "region name \"{r}\" is ambiguous ({} regions); give its division code instead",
                many.len()
            ))),
        }
    }

    /// A region left out of the list by its code: among the regions left out after each
    /// listed region whose code begins `code` (their pieces asked for at once).
    fn find_left_out(&self, regions: &Regions, code: &str) -> Result<Option<u32>, Error> {
        let ranges: Vec<std::ops::Range<u32>> = code
            .char_indices()
            .skip(1)
            .filter_map(|(k, _)| code.get(..k).and_then(|p| regions.by_code.get(p)))
            .map(|&n| regions.left_out_near(n))
            .filter(|range| !range.is_empty())
            .collect();
        let mut need = crate::search::Need::default();
        for range in &ranges {
            need.add(self.left_out_records(range.clone()))?;
        }
        need.ask()?;
        for range in ranges {
            for (n, rec) in self.left_out_records(range)? {
                if rec.code == code {
                    return Ok(Some(n));
                }
            }
        }
        Ok(None)
    }

    /// The regions numbered in `range`, all left out of the list, with their numbers (their
    /// pieces asked for at once).
    pub(crate) fn left_out_records(
        &self,
        range: std::ops::Range<u32>,
    ) -> Result<Vec<(u32, &RegionRecord)>, Error> {
        let Some(p) = &self.assign else {
            return Ok(Vec::new());
        };
        if range.is_empty() {
            return Ok(Vec::new());
        }
        let (Some(lo), Some(hi)) = (p.piece_of(range.start), p.piece_of(range.end - 1)) else {
            return Err(bad(Part::Regions));
        };
        let mut need = crate::search::Need::default();
        for i in lo..=hi {
            need.add(self.assign_piece(p, i))?;
        }
        need.ask()?;
        range.map(|n| Ok((n, self.region_record(n)?))).collect()
    }

    /// Region number `r`: listed, or from the piece that covers it (an error naming its
    /// chunk when that is not here; `None` past the last region).
    pub(crate) fn region(&self, r: u32) -> Result<Option<&RegionRecord>, Error> {
        let regions = self.regions()?;
        if let Some(j) = regions.listed(r) {
            return Ok(regions.regions.get(j));
        }
        if r as usize >= regions.total() {
            return Ok(None);
        }
        self.region_record(r).map(Some)
    }

    /// Region number `r`, left out of the list, from the piece that covers it.
    fn region_record(&self, r: u32) -> Result<&RegionRecord, Error> {
        let regions = self.regions()?;
        let p = self.assign.as_ref().ok_or_else(|| bad(Part::Regions))?;
        let i = p.piece_of(r).ok_or_else(|| bad(Part::Regions))?;
        let piece = self.assign_piece(p, i)?;
        let first = p.firsts.get(i).copied().unwrap_or(0);
        let k = ((r - first) as usize).saturating_sub(regions.listed_between(first, r));
        piece.regions.get(k).ok_or_else(|| bad(Part::Regions))
    }

    /// The parent of region number `r`, if it has one.
    pub(crate) fn parent_of(&self, r: u32) -> Result<Option<u32>, Error> {
        Ok(self.region(r)?.and_then(|x| x.parent))
    }

    /// The numbers of the regions directly below `parent` (the roots for `None`), in order.
    pub(crate) fn children_of(&self, parent: Option<u32>) -> Result<Vec<u32>, Error> {
        let regions = self.regions()?;
        let mut out: Vec<u32> = regions
            .regions
            .iter()
            .enumerate()
            .filter(|(_, x)| x.parent == parent)
            .map(|(j, _)| regions.number(j))
            .collect();
        if let Some(p) = parent {
            for (n, rec) in self.left_out_records(regions.left_out_near(p))? {
                if rec.parent == Some(p) {
                    out.push(n);
                }
            }
            // As 64-bit integers: the sort ranking uses, not one of its own in the module.
            let mut wide: Vec<u64> = out.iter().map(|&n| u64::from(n)).collect();
            wide.sort_unstable();
            out = wide
                .into_iter()
                .filter_map(|n| u32::try_from(n).ok())
                .collect();
        }
        Ok(out)
    }

    /// The listed regions, each with how many regions the list leaves out after it (a county's
    /// townships, which [`Index::regions_near`] gives).
    pub fn listed_regions(&self) -> Result<Vec<ListedRegion<'_>>, Error> {
        let regions = self.regions()?;
        Ok(regions
            .regions
            .iter()
            .enumerate()
            .map(|(j, r)| {
                let parent = r
                    .parent
                    .and_then(|p| regions.listed(p))
                    .and_then(|p| regions.regions.get(p))
                    .map(|p| p.code.as_str());
                (r, parent, regions.left_out.get(j).copied().unwrap_or(0))
            })
            .collect())
    }

    /// The regions the list leaves out near `region` (a code or name): a listed county's
    /// townships, or those among which a township left out is; none when nothing is left out
    /// there. Each as (code, name, parent's code), parents before children.
    pub fn regions_near(&self, region: &str) -> Result<Vec<(String, String, String)>, Error> {
        let r = self.find_region(region)?;
        let range = self.regions()?.left_out_near(r);
        let mut out = Vec::new();
        for (_, rec) in self.left_out_records(range)? {
            let parent = match rec.parent {
                Some(p) => self.region(p)?.map(|p| p.code.clone()).unwrap_or_default(),
                None => String::new(),
            };
            out.push((rec.code.clone(), rec.name.clone(), parent));
        }
        Ok(out)
    }

    /// Who handles `item` in `region` on `date` (`None`: the latest state the catalog knows):
    /// the nearest assignment up the region tree that holds then, else `None` (the item's
    /// department). Returns (body, mode, region index of the assignment); an error when the
    /// regions section is damaged.
    pub(crate) fn handler(
        &self,
        item: u32,
        region: u32,
        date: Option<Date>,
    ) -> Result<Option<(&str, &str, u32)>, Error> {
        Ok(match self.handler_record(item, region, date)? {
            Some(h) => Some((
                self.body_name(h.record.body, h.record.region)?,
                self.body_name(h.record.mode, h.record.region)?,
                h.record.region,
            )),
            None => None,
        })
    }

    /// The assignment that says who handles `item` in `region` on `date` (`None`: the latest
    /// state): the nearest up the region tree that holds then, if any. An assignment taken
    /// back (上收) before `date`, or not begun, is passed over for the one above it.
    pub(crate) fn handler_record(
        &self,
        item: u32,
        region: u32,
        date: Option<Date>,
    ) -> Result<Option<Held>, Error> {
        let regions = self.regions()?;
        self.need_assignments(&[region])?;
        let mut cur = Some(region);
        let mut steps = 0;
        while let Some(r) = cur {
            let here = self.assigned_in(r)?;
            for i in here.of_item(item) {
                let terms = here.terms_of(i);
                let holds = match terms.and_then(|t| regions.terms.get(t as usize)) {
                    Some(t) => crate::date::holds(t.from, t.until, date),
                    None => true,
                };
                if holds {
                    return Ok(here.list.get(i).map(|&record| Held { record, terms }));
                }
            }
            cur = self.parent_of(r)?;
            steps += 1;
            if steps > 32 {
                break;
            }
        }
        Ok(None)
    }

    /// Every assignment of `item` with terms in `region` and the regions above it, nearest
    /// region first, each region's by the first day they hold.
    pub(crate) fn dated_path(&self, item: u32, region: u32) -> Result<Vec<Held>, Error> {
        self.regions()?;
        self.need_assignments(&[region])?;
        let mut out = Vec::new();
        let mut cur = Some(region);
        for _ in 0..=32 {
            let Some(r) = cur else { break };
            let here = self.assigned_in(r)?;
            for i in here.of_item(item) {
                if let (Some(terms), Some(&record)) = (here.terms_of(i), here.list.get(i)) {
                    out.push(Held {
                        record,
                        terms: Some(terms),
                    });
                }
            }
            cur = self.parent_of(r)?;
        }
        Ok(out)
    }

    /// How to reach body `b` named by an assignment of region `r`, if the catalog says.
    pub(crate) fn body_contact(&self, b: u32, r: u32) -> Result<Option<&Contact>, Error> {
        let regions = self.regions()?;
        let list = if (b as usize) < regions.bodies.len() {
            regions.contacts.as_slice()
        } else {
            match &self.assign {
                Some(p) => match p.piece_of(r) {
                    Some(i) => self.assign_piece(p, i)?.contacts.as_slice(),
                    None => &[],
                },
                None => &[],
            }
        };
        Ok(list
            .binary_search_by_key(&b, |c| c.body)
            .ok()
            .and_then(|i| list.get(i))
            .map(|c| &c.contact))
    }
}

/// Numbers each body once, as the single file does: a body that a few pieces of assignments
/// name travels in each under a number of each's (see [`crate::format::web::AssignPiece`]), and
/// the single file names each body once (its names are distinct). The copies' assignments and
/// contacts take the first copy's number.
fn fold_copies(
    bodies: &mut Vec<String>,
    assignments: &mut [crate::format::AssignRecord],
    contacts: &mut Vec<crate::format::BodyContact>,
) {
    let mut first: HashMap<&str, u32, BuildHasherDefault<CharHasher>> =
        HashMap::with_capacity_and_hasher(bodies.len(), Default::default());
    let mut new_of = Vec::with_capacity(bodies.len());
    let mut keep = Vec::with_capacity(bodies.len());
    for (b, name) in bodies.iter().enumerate() {
        let next = first.len() as u32;
        let n = *first.entry(name.as_str()).or_insert(next);
        if n == next {
            keep.push(b);
        }
        new_of.push(n);
    }
    if keep.len() == bodies.len() {
        return;
    }
    let renumber = |b: &mut u32| {
        if let Some(&n) = new_of.get(*b as usize) {
            *b = n;
        }
    };
    for a in assignments.iter_mut() {
        renumber(&mut a.body);
        renumber(&mut a.mode);
    }
    // A copy's contact is its first copy's: kept in place, the list stays sorted.
    contacts.retain(|c| keep.binary_search(&(c.body as usize)).is_ok());
    for c in contacts.iter_mut() {
        renumber(&mut c.body);
    }
    let old = std::mem::take(bodies);
    *bodies = keep
        .into_iter()
        .filter_map(|b| old.get(b).cloned())
        .collect();
}

/// Every region by number: the listed ones of `regions` and, between them, those left out
/// (`left_out`, in order, as the pieces carry them).
fn all_regions(regions: &Regions, left_out: Vec<RegionRecord>) -> Result<Vec<RegionRecord>, Error> {
    if !regions.leaves_out() {
        return Ok(regions.regions.clone());
    }
    let mut out = Vec::with_capacity(regions.total());
    let mut rest = left_out.into_iter();
    for (j, r) in regions.regions.iter().enumerate() {
        out.push(r.clone());
        for _ in regions.left_out_after(j) {
            out.push(rest.next().ok_or_else(|| bad(Part::Regions))?);
        }
    }
    if rest.next().is_some() {
        return Err(bad(Part::Regions));
    }
    Ok(out)
}
