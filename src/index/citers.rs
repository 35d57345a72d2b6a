//! Which items cite a law or an article: the citation keys of the terms FST (one postings list
//! per cited article, [`Index::citing`]) and, for matches in the cited texts, the items citing
//! each cited unit, gathered once ([`Index::unit_citers`]).

use super::{bad, Index, KEY_CITE, KEY_UNIT};
use crate::error::{Error, Part};

/// The items citing each cited unit, all units in one table: a query matching words of the
/// cited texts credits the items citing each matching unit, and one FST lookup per unit was a
/// tenth of a small catalog's query time.
#[derive(Debug, Default)]
pub(crate) struct UnitCiters {
    /// `ends[u]`: where unit `u`'s items end in `items` (they start where `u - 1`'s end).
    ends: Vec<u32>,
    items: Vec<u32>,
}

impl UnitCiters {
    /// The items citing unit `u` (ascending; empty for an unknown unit).
    pub(crate) fn of(&self, u: usize) -> &[u32] {
        let start = match u.checked_sub(1) {
            None => 0,
            Some(p) => self.ends.get(p).map_or(usize::MAX, |&e| e as usize),
        };
        let end = self.ends.get(u).map_or(0, |&e| e as usize);
        self.items.get(start..end).unwrap_or(&[])
    }
}

impl Index {
    /// The items citing each cited unit (unit = a document id minus the item count), read from
    /// the index on first use.
    pub(crate) fn unit_citers(&self) -> Result<&UnitCiters, Error> {
        super::lazy::once(&self.unit_citers, || self.read_unit_citers())
    }

    fn read_unit_citers(&self) -> Result<UnitCiters, Error> {
        let units = self.meta.unit_lens.len();
        let mut lists: Vec<(u32, Vec<u32>)> = Vec::new();
        let mut keys = Vec::new();
        self.terms
            .for_each_in(&[KEY_UNIT], Some(&[KEY_UNIT + 1]), |k, off| {
                keys.push((k.to_vec(), off));
                Ok(true)
            })?;
        for (k, off) in keys {
            let u = k
                .get(1..5)
                .and_then(|b| <[u8; 4]>::try_from(b).ok())
                .map(u32::from_be_bytes)
                .filter(|&u| (u as usize) < units && k.len() == 5)
                .ok_or_else(|| bad(Part::Terms))?;
            let mut docs = self.docs_at(off)?;
            docs.retain(|&i| (i as usize) < self.attrs.len());
            lists.push((u, docs));
        }
        // Keys stream in order, so units ascend; fill the units no item cites.
        let mut out = UnitCiters::default();
        let mut next = lists.into_iter().peekable();
        for u in 0..units as u32 {
            if let Some((_, docs)) = next.next_if(|(x, _)| *x == u) {
                out.items.extend(docs);
            }
            let end = u32::try_from(out.items.len()).map_err(|_| bad(Part::Postings))?;
            out.ends.push(end);
        }
        Ok(out)
    }

    /// The items citing a law's article, or any article of the law.
    pub(crate) fn citing(&self, law: u16, number: Option<u32>) -> Result<Vec<u32>, Error> {
        let mut key = vec![KEY_CITE];
        key.extend_from_slice(&law.to_be_bytes());
        let mut out = Vec::new();
        match number {
            Some(n) => {
                key.extend_from_slice(&n.to_be_bytes());
                if let Some(off) = self.terms.get(&key)? {
                    out.extend(self.docs_at(off)?);
                }
            }
            None => {
                let hi = [
                    KEY_CITE,
                    (law >> 8) as u8,
                    (law & 0xff) as u8,
                    0xff,
                    0xff,
                    0xff,
                    0xff,
                    0xff,
                ];
                self.terms.for_each_in(&key, Some(&hi), |_, off| {
                    out.extend(self.docs_at(off)?);
                    Ok(true)
                })?;
                // As 64-bit integers: the sort ranking uses, not one of its own in the module.
                let mut wide: Vec<u64> = out.iter().map(|&i| u64::from(i)).collect();
                wide.sort_unstable();
                wide.dedup();
                out = wide.into_iter().map(|i| i as u32).collect();
            }
        }
        out.retain(|&i| (i as usize) < self.attrs.len());
        Ok(out)
    }
}
