//! Full item views: what a page or the CLI shows for one hit. Strings are built only here, for the
//! hits actually shown.

use serde::Serialize;

use crate::citation::ArticleRef;
use crate::error::Error;
use crate::index::{Contact, Index, ItemRecord, LawMeta, RegionRecord};
use crate::law::{CitedPosition, LawVersion, Superseded};
use crate::search::{
    CitedArticle, Facets, Hit, QueryKind, SearchOptions, SearchResult, Suggestion,
};

/// One legal basis of an item, with the article text.
#[derive(Debug, Clone, Serialize)]
pub struct BasisView {
    /// Law title.
    pub law: String,
    /// Article number.
    pub article: u32,
    /// Paragraph (款) cited, if any.
    pub paragraph: Option<u32>,
    /// Item (项) cited, if any.
    pub item: Option<u32>,
    /// The citation in official form: `《…》第三十六条第一款第（一）项`.
    pub citation: String,
    /// The whole article's citation, `《…》第三十六条`: as a query, it finds every item citing
    /// the article.
    pub article_citation: String,
    /// The whole article's text (paragraphs and items on separate lines). Empty, and left out of
    /// JSON, in search hits: an item page ([`Index::get`], [`Index::item_view`]) has it.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// The cited paragraph or item's text, when narrower than the article (item pages only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cited_text: Option<String>,
    /// Where the cited paragraph or item sits in `paragraphs` (0-based), when narrower than the
    /// article (item pages only; see [`crate::law::Article::cited_position`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cited: Option<CitedPosition>,
    /// The article's paragraphs (款) with their items (项), for pages that emphasise the cited
    /// part (item pages only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub paragraphs: Vec<crate::law::Paragraph>,
    /// The citation with the version of the law's text after the title:
    /// `《…》（2013年修正）第三十九条`; `citation` when the catalog does not know the version.
    pub versioned_citation: String,
    /// Which text of the law the catalog holds, when known.
    pub version: Option<LawVersion>,
    /// Set when the catalog says a newer text has replaced the one quoted: its date and a
    /// note. The article text is then the older text's.
    pub superseded: Option<Superseded>,
}

/// An item as shown to a user, with who handles it.
#[derive(Debug, Clone, Serialize)]
pub struct ItemView {
    /// Item code.
    pub code: String,
    /// Item name.
    pub name: String,
    /// Power type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Field.
    pub field: String,
    /// Levels that exercise it.
    pub level: Vec<String>,
    /// Default body.
    pub department: String,
    /// The body handling it in the requested region (else the department).
    pub handled_by: String,
    /// How the handling body got the power there (赋权, 委托…), if an assignment says.
    pub handled_mode: Option<String>,
    /// Code of the region whose assignment applies, if any.
    pub handled_region: Option<String>,
    /// How to reach `handled_by` (the catalog's `bodies` table), the item's own 咨询电话 and
    /// 办理地点 taking precedence over the body's phone and address; `None` when nothing is
    /// known (a page then points to the 12345 hotline).
    pub contact: Option<Contact>,
    /// The item's own consultation phone (咨询电话), empty when the catalog gives none.
    pub consult_phone: String,
    /// The item's own complaint phone (监督电话), empty when the catalog gives none.
    pub complaint_phone: String,
    /// Where the item is handled (办理地点), empty when the catalog gives none.
    pub place: String,
    /// Legal bases.
    pub bases: Vec<BasisView>,
    /// Everyday words.
    pub keywords: Vec<String>,
    /// Note.
    pub note: String,
    /// Relevance score (0 for a plain lookup).
    pub score: f32,
    /// Matched ranges of the name, in characters.
    pub highlights: Vec<(u32, u32)>,
}

/// A search result with item views, as the CLI's `--json` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct SearchView {
    /// Number of matching items.
    pub total: usize,
    /// The hits shown.
    pub hits: Vec<ItemView>,
    /// Facet counts.
    pub facets: Facets,
    /// How the query was understood.
    pub kind: QueryKind,
    /// Near-miss codes.
    pub suggestions: Vec<Suggestion>,
    /// The article a citation query asked for.
    pub citation: Option<CitedArticle>,
    /// Whether the hits match only most of the query.
    pub relaxed: bool,
    /// How many of `total` match every part of the query (they come first).
    pub strict: usize,
    /// The query as searched, when a slip of the keyboard was corrected (`占到经营` →
    /// `占道经营`).
    pub corrected: Option<String>,
    /// The query asked how to reach a body (`城管电话`): the hits are for the rest of it.
    pub contact: bool,
}

impl Index {
    /// The full view of item `id`, with the handling body for `region` (code or name).
    pub fn item_view(
        &self,
        id: u32,
        region: Option<&str>,
        hit: Option<&Hit>,
    ) -> Result<ItemView, Error> {
        self.view_of(id, region, hit, true)
    }

    /// An item's view; without `texts`, its bases carry citations only (for result lists).
    pub fn view_of(
        &self,
        id: u32,
        region: Option<&str>,
        hit: Option<&Hit>,
        texts: bool,
    ) -> Result<ItemView, Error> {
        let rec = self.record(id)?;
        let region = match region.map(str::trim).filter(|r| !r.is_empty()) {
            Some(r) => Some(self.find_region(r)?),
            None => None,
        };
        // A chunked index: ask at once for every article text and assignment this view reads.
        let mut need = crate::search::Need::default();
        if texts {
            need.add(self.need_articles(rec.bases.iter().map(|b| (b.law, b.article))))?;
        }
        if let Some(r) = region {
            need.add(self.need_assignments(&[r]))?;
        }
        need.ask()?;
        let handling = match region {
            Some(r) => Some(self.handling(id, r)?),
            None => None,
        };
        let contact = self.contact_for(id, &rec, region)?;
        let mut bases = Vec::with_capacity(rec.bases.len());
        for b in &rec.bases {
            let r = ArticleRef {
                article: b.article,
                paragraph: b.paragraph,
                item: b.item,
            };
            let article = if texts {
                self.article(b.law, b.article)?
            } else {
                None
            };
            let text = article.as_ref().map(|a| a.text()).unwrap_or_default();
            let cited_text = if b.paragraph.is_some() || b.item.is_some() {
                article.as_ref().and_then(|a| a.cited_text(&r))
            } else {
                None
            };
            let cited = article
                .as_ref()
                .and_then(|a| a.cited_position(b.paragraph, b.item));
            let whole = ArticleRef {
                paragraph: None,
                item: None,
                ..r
            };
            let meta = self.laws().get(b.law as usize);
            let version = meta.and_then(LawMeta::version);
            let label = version
                .as_ref()
                .map(|v| format!("（{}）", v.label))
                .unwrap_or_default();
            let title = self.law_title(b.law);
            bases.push(BasisView {
                law: title.to_string(),
                article: b.article,
                paragraph: b.paragraph,
                item: b.item,
                citation: format!("《{title}》{}", r.display()),
                article_citation: format!("《{title}》{}", whole.display()),
                text,
                cited_text,
                cited,
                paragraphs: article.map(|a| a.paragraphs).unwrap_or_default(),
                versioned_citation: format!("《{title}》{label}{}", r.display()),
                version,
                superseded: meta.and_then(|l| l.superseded.clone()),
            });
        }
        Ok(ItemView {
            code: rec.code,
            name: rec.name,
            kind: self.type_name(id).to_string(),
            field: self.field_name(id).to_string(),
            level: self.levels_of(id).into_iter().map(String::from).collect(),
            handled_by: handling
                .and_then(|h| h.by)
                .map_or_else(|| rec.department.clone(), String::from),
            handled_mode: handling.and_then(|h| h.mode).map(String::from),
            handled_region: handling.and_then(|h| h.region).map(String::from),
            contact,
            consult_phone: rec.consult_phone,
            complaint_phone: rec.complaint_phone,
            place: rec.place,
            department: rec.department,
            bases,
            keywords: rec.keywords,
            note: rec.note,
            score: hit.map_or(0.0, |h| h.score),
            highlights: hit.map_or(Vec::new(), |h| h.highlights.clone()),
        })
    }

    /// How to reach whoever handles item `id` in `region` (an index from
    /// [`Index::find_region`]; the department's when none is given or no assignment applies),
    /// as [`ItemView::contact`] says it.
    pub fn contact(&self, id: u32, region: Option<u32>) -> Result<Option<Contact>, Error> {
        self.contact_for(id, &self.record(id)?, region)
    }

    /// How to reach whoever handles item `id` (record `rec`) in `region` (the department when
    /// no region is given or no assignment applies): the body's contact, the item's own
    /// 咨询电话 and 办理地点 first; `None` when nothing is known.
    fn contact_for(
        &self,
        id: u32,
        rec: &ItemRecord,
        region: Option<u32>,
    ) -> Result<Option<Contact>, Error> {
        let assigned = match region {
            Some(r) => self.handler_record(id, r)?,
            None => None,
        };
        let body = match assigned {
            Some(a) => self.body_contact(a.body, a.region)?,
            None => self.department_contact(&rec.department),
        };
        let mut contact = body.cloned().unwrap_or_default();
        if !rec.consult_phone.is_empty() {
            contact.phone.clone_from(&rec.consult_phone);
        }
        if !rec.place.is_empty() {
            contact.address.clone_from(&rec.place);
        }
        Ok((contact != Contact::default()).then_some(contact))
    }

    /// How to reach the departments (实施主体) the catalog gives a contact for, by name.
    pub fn department_contacts(&self) -> &[(String, Contact)] {
        &self.meta.departments
    }

    /// How to reach the department (实施主体) named `name`, if the catalog says.
    fn department_contact(&self, name: &str) -> Option<&Contact> {
        let list = &self.meta.departments;
        list.binary_search_by(|(n, _)| n.as_str().cmp(name))
            .ok()
            .and_then(|i| list.get(i))
            .map(|(_, c)| c)
    }

    /// Who handles item `id` in region `region` (an index from [`Index::find_region`]): the
    /// nearest assignment up the region tree, or nothing (then the item's department does).
    /// An error when the regions section is damaged, never "nothing".
    pub fn handling(&self, id: u32, region: u32) -> Result<Handling<'_>, Error> {
        Ok(match self.handler(id, region)? {
            None => Handling::default(),
            Some((body, mode, r)) => Handling {
                by: Some(body),
                mode: Some(mode).filter(|m| !m.is_empty()),
                region: self
                    .regions()?
                    .regions
                    .get(r as usize)
                    .map(|x| x.code.as_str()),
            },
        })
    }

    /// Looks an item up by code (exact, case-insensitive).
    pub fn get(&self, code: &str, region: Option<&str>) -> Result<ItemView, Error> {
        self.item_view(self.require_code(code)?, region, None)
    }

    /// The item id of `code`, or an error that says how to find the item.
    pub fn require_code(&self, code: &str) -> Result<u32, Error> {
        self.find_code(code).ok_or_else(|| {
            Error::Request(format!(
                "no item has code \"{}\"; search for it to see near matches",
                code.trim()
            ))
        })
    }

    /// [`Index::search`] with item views for the hits. Their legal bases are citations only
    /// (no article texts: those are for the item page, [`Index::get`]); a citation query's
    /// article comes whole in [`SearchView::citation`].
    pub fn search_view(&self, query: &str, opts: &SearchOptions) -> Result<SearchView, Error> {
        let r: SearchResult = self.search(query, opts)?;
        let region = opts.region.as_deref();
        let hits = r
            .hits
            .iter()
            .map(|h| self.view_of(h.id, region, Some(h), false))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(SearchView {
            total: r.total,
            hits,
            facets: r.facets,
            kind: r.kind,
            suggestions: r.suggestions,
            citation: r.citation,
            relaxed: r.relaxed,
            strict: r.strict,
            corrected: r.corrected,
            contact: r.contact,
        })
    }
}

/// Who handles an item in a region, when an assignment says (see [`Index::handling`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Handling<'a> {
    /// The handling body.
    pub by: Option<&'a str>,
    /// How it got the power (赋权, 委托…), when the assignment says.
    pub mode: Option<&'a str>,
    /// The code of the region whose assignment applies.
    pub region: Option<&'a str>,
}

/// Who handles an item in one region.
#[derive(Debug, Clone, Serialize)]
pub struct RegionHandler {
    /// Region code.
    pub code: String,
    /// Region name.
    pub name: String,
    /// The handling body there.
    pub handled_by: String,
    /// How it got the power (赋权, 委托…), if an assignment says.
    pub handled_mode: Option<String>,
    /// Whether the assignment is the region's own (the item is devolved to it).
    pub own: bool,
    /// How to reach `handled_by` there, as [`ItemView::contact`] says it (the item's own
    /// 咨询电话 and 办理地点 first); `None` when nothing is known (then the 12345 hotline).
    pub contact: Option<Contact>,
}

/// How many items a region handles itself.
#[derive(Debug, Clone, Serialize)]
pub struct RegionCount {
    /// Region code.
    pub code: String,
    /// Region name.
    pub name: String,
    /// Items whose nearest assignment is this region's own.
    pub items: u32,
}

impl Index {
    /// The regions directly below `region` (for a township: its siblings under the county).
    fn children_scope(&self, region: u32) -> Result<Vec<u32>, Error> {
        let rs = &self.regions()?.regions;
        let has_children = |r: u32| rs.iter().any(|x| x.parent == Some(r));
        let parent = if has_children(region) {
            Some(region)
        } else {
            rs.get(region as usize).and_then(|r| r.parent)
        };
        Ok(match parent {
            Some(p) => (0..rs.len() as u32)
                .filter(|&i| rs[i as usize].parent == Some(p))
                .collect(),
            None => Vec::new(),
        })
    }

    /// The regions of [`Index::children_scope`] with their records, their assignments asked
    /// for at once (a chunked index).
    fn scope_regions(&self, region: u32) -> Result<Vec<(u32, &RegionRecord)>, Error> {
        let regions = self.regions()?;
        let scope = self.children_scope(region)?;
        self.need_assignments(&scope)?;
        Ok(scope
            .into_iter()
            .filter_map(|r| Some((r, regions.regions.get(r as usize)?)))
            .collect())
    }

    /// Who handles item `code` in each region below `region` (a county: its townships; a
    /// township: all townships of its county).
    pub fn handlers_below(&self, code: &str, region: &str) -> Result<Vec<RegionHandler>, Error> {
        let id = self.require_code(code)?;
        let region = self.find_region(region)?;
        let rec = self.record(id)?;
        let mut out = Vec::new();
        for (r, reg) in self.scope_regions(region)? {
            let h = self.handler(id, r)?;
            out.push(RegionHandler {
                code: reg.code.clone(),
                name: reg.name.clone(),
                handled_by: h.map_or_else(|| rec.department.clone(), |h| h.0.to_string()),
                handled_mode: h.map(|h| h.1.to_string()).filter(|m| !m.is_empty()),
                own: h.is_some_and(|h| h.2 == r),
                contact: self.contact_for(id, &rec, Some(r))?,
            });
        }
        Ok(out)
    }

    /// For each region below `region` (as in [`Index::handlers_below`]): how many items it
    /// handles itself.
    pub fn devolved_counts(&self, region: &str) -> Result<Vec<RegionCount>, Error> {
        let region = self.find_region(region)?;
        let mut out = Vec::new();
        for (r, reg) in self.scope_regions(region)? {
            out.push(RegionCount {
                code: reg.code.clone(),
                name: reg.name.clone(),
                items: self.assignments_in(r)?.len() as u32,
            });
        }
        Ok(out)
    }
}
