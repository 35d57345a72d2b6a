//! Crate-internal read access to a loaded index's items, citations, regions and assignments, for
//! the modules that compare items with each other ([`crate::diff`], [`crate::overlaps`]).

use crate::citation::ArticleRef;
use crate::date::Date;
use crate::error::Error;
use crate::index::{BasisRecord, Index, TermsRecord};

/// One item's attributes, decoded once.
#[derive(Debug, Clone)]
pub(crate) struct ItemFacts {
    pub id: u32,
    pub code: String,
    pub name: String,
    pub kind: &'static str,
    pub field: String,
    pub levels: Vec<&'static str>,
    pub department: String,
    pub keywords: Vec<String>,
    pub bases: Vec<BasisRecord>,
    pub duties: Vec<String>,
    pub accountability: Vec<String>,
    pub consult_phone: String,
    pub complaint_phone: String,
    pub place: String,
}

/// One assignment as stored: the region's own, not inherited.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Assignment<'a> {
    pub item: u32,
    pub region: u32,
    pub body: &'a str,
    pub mode: &'a str,
    /// When it holds and what made it, if the catalog says.
    pub terms: Option<&'a TermsRecord>,
}

impl Assignment<'_> {
    /// Whether it holds on `date` (`None`: in the latest state the catalog knows).
    pub fn holds(&self, date: Option<Date>) -> bool {
        self.terms
            .is_none_or(|t| crate::date::holds(t.from, t.until, date))
    }
}

impl Index {
    /// Every item's facts, in id order.
    pub(crate) fn all_facts(&self) -> Result<Vec<ItemFacts>, Error> {
        (0..self.item_count() as u32)
            .map(|id| self.item_facts(id))
            .collect()
    }

    /// One item's facts.
    pub(crate) fn item_facts(&self, id: u32) -> Result<ItemFacts, Error> {
        let rec = self.record(id)?;
        Ok(ItemFacts {
            id,
            code: rec.code,
            name: rec.name,
            kind: self.type_name(id),
            field: self.field_name(id).to_string(),
            levels: self.levels_of(id),
            department: rec.department,
            keywords: rec.keywords,
            bases: rec.bases,
            duties: rec.duties,
            accountability: rec.accountability,
            consult_phone: rec.consult_phone,
            complaint_phone: rec.complaint_phone,
            place: rec.place,
        })
    }

    /// A basis in the official form: `《城市道路管理条例》第二十七条第（一）项`.
    pub(crate) fn citation_of(&self, b: &BasisRecord) -> String {
        let r = ArticleRef {
            article: b.article,
            paragraph: b.paragraph,
            item: b.item,
        };
        format!("《{}》{}", self.law_title(b.law), r.display())
    }

    /// A law's title and an article number in the official form: `《城市道路管理条例》第二十七条`.
    pub(crate) fn article_citation(&self, law: u16, article: u32) -> String {
        self.citation_of(&BasisRecord {
            law,
            article,
            paragraph: None,
            item: None,
        })
    }

    /// Every assignment, ordered by region, then item, with its terms; an error when the
    /// regions section is damaged (never no assignments).
    pub(crate) fn assignments(&self) -> Result<impl Iterator<Item = Assignment<'_>> + '_, Error> {
        let regions = self.regions_section()?;
        let body = move |i: u32| regions.bodies.get(i as usize).map_or("", |s| s.as_str());
        // Both lists are sorted by position: walk the terms alongside.
        let mut dated = regions.dated.iter().peekable();
        Ok(regions.assignments.iter().enumerate().map(move |(at, a)| {
            let terms = dated
                .next_if(|d| d.at as usize == at)
                .and_then(|d| regions.terms.get(d.terms as usize));
            Assignment {
                item: a.item,
                region: a.region,
                body: body(a.body),
                mode: body(a.mode),
                terms,
            }
        }))
    }

    /// A region's code and name (empty for an id out of range; an error when the regions
    /// section is damaged).
    pub(crate) fn region_label(&self, region: u32) -> Result<(&str, &str), Error> {
        Ok(self
            .region(region)?
            .map_or(("", ""), |r| (r.code.as_str(), r.name.as_str())))
    }

    /// Whether `region` is `ancestor` or lies below it (an error when the regions section is
    /// damaged).
    pub(crate) fn region_within(&self, region: u32, ancestor: u32) -> Result<bool, Error> {
        let mut cur = Some(region);
        for _ in 0..=32 {
            match cur {
                Some(r) if r == ancestor => return Ok(true),
                Some(r) => cur = self.parent_of(r)?,
                None => return Ok(false),
            }
        }
        Ok(false)
    }
}
