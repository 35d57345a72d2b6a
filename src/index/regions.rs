//! The regions section: regions, handling bodies and assignments, decoded and cross-checked on
//! first use ([`Index::regions`]); finding a region by code or name; and who handles an item in
//! a region ([`Index::handler`]). A damaged or forged section is an error from whatever needs
//! it, never an empty list of regions.

use std::collections::HashMap;

use super::{bad, Index, RegionsSection};
use crate::error::{Error, Part};

/// The regions section, decoded and cross-checked, with a code → region map.
#[derive(Debug)]
pub(crate) struct Regions {
    section: RegionsSection,
    pub(crate) by_code: HashMap<String, u32>,
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
        let nr = section.regions.len();
        if section
            .regions
            .iter()
            .any(|r| r.parent.is_some_and(|p| p as usize >= nr))
        {
            return Err(bad(Part::Regions));
        }
        let nb = section.bodies.len();
        if section.assignments.iter().any(|a| {
            a.region as usize >= nr
                || a.item as usize >= items
                || a.body as usize >= nb
                || a.mode as usize >= nb
        }) || !section
            .assignments
            .windows(2)
            .all(|w| (w[0].region, w[0].item) <= (w[1].region, w[1].item))
        {
            return Err(bad(Part::Assignments));
        }
        let by_code = section
            .regions
            .iter()
            .enumerate()
            .map(|(i, r)| (r.code.clone(), i as u32))
            .collect();
        Ok(Regions { section, by_code })
    }
}

impl Index {
    /// The regions, their bodies and the assignments, decoded and checked on first use (the
    /// error, when they are damaged, is kept and returned to every later caller).
    pub(crate) fn regions(&self) -> Result<&Regions, Error> {
        super::lazy::once(&self.regions, || {
            let bytes = self.regions_bytes.read(0, self.regions_bytes.len())?;
            Regions::load(bytes, self.attrs.len())
        })
    }

    /// The regions and assignments section, decoded and checked on first use (an error when it
    /// is damaged, never an empty section).
    pub fn regions_section(&self) -> Result<&RegionsSection, Error> {
        self.regions().map(|r| &**r)
    }

    /// Resolves a region given by code or exact name.
    pub fn find_region(&self, region: &str) -> Result<u32, Error> {
        let r = region.trim();
        let regions = self.regions()?;
        if let Some(&i) = regions.by_code.get(r) {
            return Ok(i);
        }
        let by_name: Vec<u32> = regions
            .regions
            .iter()
            .enumerate()
            .filter(|(_, x)| x.name == r)
            .map(|(i, _)| i as u32)
            .collect();
        match by_name.as_slice() {
            [one] => Ok(*one),
            [] => Err(Error::Request(format!(
                "unknown region \"{r}\"; give a division code or name from the catalog's regions ({} known)",
                regions.regions.len()
            ))),
            many => Err(Error::Request(format!(
                "region name \"{r}\" is ambiguous ({} regions); give its division code instead",
                many.len()
            ))),
        }
    }

    /// Who handles `item` in `region`: the nearest assignment up the region tree, else `None`
    /// (the item's department). Returns (body, mode, region index of the assignment); an error
    /// when the regions section is damaged.
    pub(crate) fn handler(
        &self,
        item: u32,
        region: u32,
    ) -> Result<Option<(&str, &str, u32)>, Error> {
        let regions = self.regions()?;
        let body = |i: u32| regions.bodies.get(i as usize).map_or("", |s| s.as_str());
        let list = &regions.assignments;
        let mut cur = Some(region);
        let mut steps = 0;
        while let Some(r) = cur {
            let lo = list.partition_point(|a| (a.region, a.item) < (r, item));
            if let Some(a) = list.get(lo).filter(|a| a.region == r && a.item == item) {
                return Ok(Some((body(a.body), body(a.mode), r)));
            }
            cur = regions.regions.get(r as usize).and_then(|x| x.parent);
            steps += 1;
            if steps > 32 {
                break;
            }
        }
        Ok(None)
    }
}
