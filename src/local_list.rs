//! One region's list of powers for publication (向社会公布): the items a township or county
//! exercises itself and the items handled above it. [`Index::local_list`] decides which is
//! which; `powerlist export --html` prints it and the page's printable view
//! (`PowerIndex.localList`) shows the same.

use serde::Serialize;

use crate::date::Date;
use crate::error::Error;
use crate::index::Index;
use crate::view::ItemView;

/// What one region exercises itself and what the levels above handle there.
#[derive(Debug, Clone, Serialize)]
pub struct LocalList {
    /// The region's division code.
    pub code: String,
    /// Its name with its ancestors': `江苏省泰州市兴化市戴窑镇`.
    pub full_name: String,
    /// Items whose nearest assignment is the region's own, in catalog order.
    pub own: Vec<ItemView>,
    /// The other items, handled by a body above the region (their `handled_by`).
    pub above: Vec<ItemView>,
}

impl Index {
    /// The list of `region` (a division code or name) in the latest state the catalog knows.
    /// A region that exercises no item itself (no assignment names it) is an error.
    pub fn local_list(&self, region: &str) -> Result<LocalList, Error> {
        self.local_list_on(region, None)
    }

    /// [`Index::local_list`] on `date`: what the region exercises itself that day.
    pub fn local_list_on(&self, region: &str, date: Option<Date>) -> Result<LocalList, Error> {
        let r = self.find_region(region)?;
        let reg = self
            .region(r)?
            .ok_or_else(|| Error::Request(format!("unknown region \"{region}\"")))?;
        let code = reg.code.clone();
        let mut own = Vec::new();
        let mut above = Vec::new();
        for id in 0..self.item_count() as u32 {
            let item = self.view_of(id, Some(&code), date, None, true)?;
            if item.handled_region.as_deref() == Some(code.as_str()) {
                own.push(item);
            } else {
                above.push(item);
            }
        }
        if own.is_empty() {
            return Err(Error::Request(format!(
                "{} ({code}) exercises no item itself (no assignment names it); choose a township or county that has assignments",
                reg.name
            )));
        }
        Ok(LocalList {
            full_name: self.full_name(r)?,
            code,
            own,
            above,
        })
    }

    /// A region's name with its ancestors': `江苏省泰州市兴化市戴窑镇`.
    fn full_name(&self, region: u32) -> Result<String, Error> {
        let mut names = Vec::new();
        let mut cur = Some(region);
        while let Some(r) = match cur {
            Some(r) => self.region(r)?,
            None => None,
        } {
            names.push(r.name.as_str());
            cur = r.parent;
            if names.len() > 32 {
                break;
            }
        }
        names.reverse();
        Ok(names.concat())
    }
}
