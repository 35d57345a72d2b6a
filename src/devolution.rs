//! Devolution over time (下放与上收): per county, the township assignments that began and those
//! taken back (上收) between two dates, from the periods the catalog gives its assignments
//! (`from`/起始日期, `until`/收回日期). `powerlist stats --from D1 --to D2` prints it; the
//! maintainer's module returns it to the page (`PowerIndex.devolution`).
//!
//! A township is a region with a 9-digit division code, its county its parent (as in
//! [`crate::stats`]). An assignment **began** between the dates when its first day (`from`) lies
//! between them, and was **taken back** when its `until` (the first day it no longer holds)
//! does; both dates count. Assignments without dates are in neither list.
//!
//! ```
//! # use powerlist_build::catalog::{Catalog, SourceFile, Sources};
//! # let sources = Sources {
//! #     items: SourceFile::new("items.csv", "code,name,type,field,level,department,basis\nA-1,对乱扔垃圾的行政处罚,行政处罚,城市管理,县级；乡级,城管,\n"),
//! #     regions: Some(SourceFile::new("regions.csv", "code,name,parent\n320803,淮安区,\n320803101,甲镇,320803\n")),
//! #     assignments: Some(SourceFile::new("assignments.csv", "item,region,body,mode,document,from,until\nA-1,320803101,甲镇人民政府,赋权,淮政发〔2021〕37号,2021-06-01,2025-08-01\n")),
//! #     bodies: None, laws: vec![] };
//! # let index = powerlist::Index::from_bytes(&powerlist_build::writer::write_index(&Catalog::compile(&sources)?)?)?;
//! use powerlist::date::Date;
//! let d = |s| Date::parse(s).unwrap();
//! let r = index.devolution_between(d("2025-01-01"), d("2025-12-31"))?;
//! assert_eq!((r.devolved, r.taken_back), (0, 1));
//! assert_eq!(r.counties[0].taken_back_items[0].code, "A-1");
//! assert_eq!(index.devolution_between(d("2021-06-01"), d("2021-06-01"))?.devolved, 1);
//! # Ok::<(), powerlist::Error>(())
//! ```

use std::collections::BTreeMap;

use serde::Serialize;

use crate::date::Date;
use crate::error::Error;
use crate::index::Index;

/// What began and what was taken back between two dates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Devolution {
    /// The first day counted.
    pub from: Date,
    /// The last day counted.
    pub to: Date,
    /// Township assignments that began (下放).
    pub devolved: u32,
    /// Township assignments taken back (上收).
    pub taken_back: u32,
    /// Each county with either, in region order.
    pub counties: Vec<CountyDevolution>,
}

/// One county's township assignments that began or were taken back.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountyDevolution {
    /// Division code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Township assignments that began.
    pub devolved: u32,
    /// Township assignments taken back.
    pub taken_back: u32,
    /// The items of those that began, by code.
    pub devolved_items: Vec<ItemCount>,
    /// The items of those taken back, by code.
    pub taken_back_items: Vec<ItemCount>,
}

/// An item devolved to, or taken back from, some townships of a county.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemCount {
    /// Item code.
    pub code: String,
    /// Item name.
    pub name: String,
    /// In how many townships.
    pub townships: u32,
    /// The days it happened, ascending.
    pub dates: Vec<Date>,
    /// The documents that did it (文号), as the catalog gives them, each once.
    pub documents: Vec<String>,
}

/// Per item (by id): the townships, the days and the documents.
type PerItem = BTreeMap<u32, (u32, Vec<Date>, Vec<String>)>;

impl Index {
    /// The township assignments that began and those taken back (上收) from `from` to `to`
    /// (both counted), per county. `to` before `from` is an error.
    pub fn devolution_between(&self, from: Date, to: Date) -> Result<Devolution, Error> {
        if to < from {
            return Err(Error::Request(format!(
                "the period ends ({to}) before it begins ({from}); give --from before --to"
            )));
        }
        let rs = &self.regions_section()?.regions;
        let within = |d: u32| (from.ymd()..=to.ymd()).contains(&d);
        // County region → (began, taken back), per item.
        let mut per: BTreeMap<u32, [PerItem; 2]> = BTreeMap::new();
        for a in self.assignments()? {
            let (Some(t), Some(r)) = (a.terms, rs.get(a.region as usize)) else {
                continue;
            };
            let Some(county) = r.parent.filter(|_| r.code.len() == 9) else {
                continue;
            };
            for (k, day, doc) in [(0, t.from, t.document), (1, t.until, t.end_document)] {
                let Some(date) = Date::from_ymd(day).filter(|d| within(d.ymd())) else {
                    continue;
                };
                let e = per.entry(county).or_default()[k].entry(a.item).or_default();
                e.0 += 1;
                if !e.1.contains(&date) {
                    e.1.push(date);
                }
                if let Some(doc) = self.document(doc)? {
                    if !e.2.contains(&doc.number) {
                        e.2.push(doc.number.clone());
                    }
                }
            }
        }
        let mut counties = Vec::new();
        for (c, [began, ended]) in per {
            let (code, name) = self.region_label(c)?;
            counties.push(CountyDevolution {
                code: code.to_string(),
                name: name.to_string(),
                devolved: began.values().map(|e| e.0).sum(),
                taken_back: ended.values().map(|e| e.0).sum(),
                devolved_items: self.item_counts(began)?,
                taken_back_items: self.item_counts(ended)?,
            });
        }
        Ok(Devolution {
            from,
            to,
            devolved: counties.iter().map(|c| c.devolved).sum(),
            taken_back: counties.iter().map(|c| c.taken_back).sum(),
            counties,
        })
    }

    /// The items of `per`, by code.
    fn item_counts(&self, per: PerItem) -> Result<Vec<ItemCount>, Error> {
        let mut out = Vec::new();
        for (id, (townships, mut dates, documents)) in per {
            let rec = self.record(id)?;
            dates.sort_unstable();
            out.push(ItemCount {
                code: rec.code,
                name: rec.name,
                townships,
                dates,
                documents,
            });
        }
        out.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(out)
    }
}
