//! Full item views: what a page or the CLI shows for one hit. Strings are built only here, for the
//! hits actually shown.

use serde::Serialize;

use crate::citation::ArticleRef;
use crate::date::Date;
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
    /// The responsibility list's 责任事项 (the duties in exercising the power), one entry
    /// each. Empty, and left out of JSON, when the catalog gives none, and in search hits: an
    /// item page ([`Index::get`], [`Index::item_view`]) has them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub duties: Vec<String>,
    /// The responsibility list's 追责情形 (what leads to accountability), one entry each; like
    /// `duties`, item pages only.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub accountability: Vec<String>,
    /// With a region: the item's assignments there and above it that have a period or a
    /// document (赋权 and 上收 with their 文号 and dates), nearest region first, each region's
    /// by date; empty without a region or when the catalog gives none.
    pub periods: Vec<PeriodView>,
}

/// An assignment of an item with a period or a document: who handled it in a region, from
/// when until when, by which document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodView {
    /// The region whose assignment it is (code).
    pub region: String,
    /// The region's name.
    pub region_name: String,
    /// The handling body.
    pub body: String,
    /// How it got the power (赋权, 委托…), if the assignment says.
    pub mode: Option<String>,
    /// The first day it holds, if given.
    pub from: Option<Date>,
    /// The first day it no longer holds (taken back, 上收, from that day), if it ended.
    pub until: Option<Date>,
    /// The last day it holds (the day before `until`).
    pub through: Option<Date>,
    /// On the day asked about: `"current"` (it holds), `"ended"` (taken back) or
    /// `"pending"` (not begun).
    pub state: PeriodState,
    /// The document that made it (文件文号), if the catalog names one.
    pub document: Option<DocumentView>,
    /// The document that ended it (收回文件), if the catalog names one.
    pub end_document: Option<DocumentView>,
    /// The catalog's note (备注), `""` when none.
    pub note: String,
}

/// Where a period stands on the day asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PeriodState {
    /// It holds.
    Current,
    /// It was taken back (上收) before.
    Ended,
    /// It begins later.
    Pending,
}

impl PeriodState {
    /// The name JSON gives it.
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodState::Current => "current",
            PeriodState::Ended => "ended",
            PeriodState::Pending => "pending",
        }
    }
}

/// A document (文件) that made or ended an assignment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentView {
    /// Its number (文号).
    pub number: String,
    /// Its date (发文日期), if the catalog gives it.
    pub date: Option<Date>,
    /// The document it rests on (依据文件), `""` when the catalog does not say.
    pub basis: String,
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
    /// The Chinese word a corrected pinyin query spells and the hits are for (`lajii` →
    /// `laji` → `垃圾`); `None` when it spells no one word, or the correction is not pinyin.
    pub corrected_word: Option<String>,
    /// The query asked how to reach a body (`城管电话`): the hits are for the rest of it.
    pub contact: bool,
}

impl Index {
    /// The full view of item `id`, with the handling body for `region` (code or name) in the
    /// latest state the catalog knows (see [`Index::view_of`] for a date).
    pub fn item_view(
        &self,
        id: u32,
        region: Option<&str>,
        hit: Option<&Hit>,
    ) -> Result<ItemView, Error> {
        self.view_of(id, region, None, hit, true)
    }

    /// An item's view, with the handling body for `region` on `date` (`None`: the latest state
    /// the catalog knows); without `texts`, its bases carry citations only (for result lists).
    pub fn view_of(
        &self,
        id: u32,
        region: Option<&str>,
        date: Option<Date>,
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
            Some(r) => Some(self.handling(id, r, date)?),
            None => None,
        };
        let contact = self.contact_for(id, &rec, region, date)?;
        let periods = match region {
            Some(r) => self.periods(id, r, date)?,
            None => Vec::new(),
        };
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
            duties: if texts { rec.duties } else { Vec::new() },
            accountability: if texts {
                rec.accountability
            } else {
                Vec::new()
            },
            periods,
        })
    }

    /// Item `id`'s assignments with a period or a document in `region` (an index from
    /// [`Index::find_region`]) and above it, as [`ItemView::periods`] lists them, each placed
    /// against `date` (`None`: the latest state the catalog knows).
    pub fn periods(
        &self,
        id: u32,
        region: u32,
        date: Option<Date>,
    ) -> Result<Vec<PeriodView>, Error> {
        let mut out = Vec::new();
        for held in self.dated_path(id, region)? {
            let a = held.record;
            let Some(t) = held
                .terms
                .map(|t| self.terms_record(t))
                .transpose()?
                .flatten()
            else {
                continue;
            };
            let (code, name) = self.region_label(a.region)?;
            let day = |n: u32| Date::from_ymd(n);
            let state = match date {
                _ if crate::date::holds(t.from, t.until, date) => PeriodState::Current,
                Some(d) if d.ymd() < t.from => PeriodState::Pending,
                _ => PeriodState::Ended,
            };
            out.push(PeriodView {
                region: code.to_string(),
                region_name: name.to_string(),
                body: self.body_name(a.body, a.region)?.to_string(),
                mode: Some(self.body_name(a.mode, a.region)?)
                    .filter(|m| !m.is_empty())
                    .map(String::from),
                from: day(t.from),
                until: day(t.until),
                through: day(t.until).map(Date::previous),
                state,
                document: self.document_view(t.document)?,
                end_document: self.document_view(t.end_document)?,
                note: t.note.clone(),
            });
        }
        Ok(out)
    }

    /// The document terms number `d` (1 + an index, 0 for none), as views show it.
    fn document_view(&self, d: u32) -> Result<Option<DocumentView>, Error> {
        Ok(self.document(d)?.map(|doc| DocumentView {
            number: doc.number.clone(),
            date: Date::from_ymd(doc.date),
            basis: doc.basis.clone(),
        }))
    }

    /// How to reach whoever handles item `id` in `region` (an index from
    /// [`Index::find_region`]; the department's when none is given or no assignment applies)
    /// on `date` (`None`: the latest state), as [`ItemView::contact`] says it.
    pub fn contact(
        &self,
        id: u32,
        region: Option<u32>,
        date: Option<Date>,
    ) -> Result<Option<Contact>, Error> {
        self.contact_for(id, &self.record(id)?, region, date)
    }

    /// How to reach whoever handles item `id` (record `rec`) in `region` (the department when
    /// no region is given or no assignment applies): the body's contact, the item's own
    /// 咨询电话 and 办理地点 first; `None` when nothing is known.
    fn contact_for(
        &self,
        id: u32,
        rec: &ItemRecord,
        region: Option<u32>,
        date: Option<Date>,
    ) -> Result<Option<Contact>, Error> {
        let assigned = match region {
            Some(r) => self.handler_record(id, r, date)?,
            None => None,
        };
        let body = match assigned {
            Some(h) => self.body_contact(h.record.body, h.record.region)?,
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

    /// Who handles item `id` in region `region` (an index from [`Index::find_region`]) on
    /// `date` (`None`: the latest state the catalog knows): the nearest assignment up the
    /// region tree that holds then, or nothing (then the item's department does). An error
    /// when the regions section is damaged, never "nothing".
    pub fn handling(
        &self,
        id: u32,
        region: u32,
        date: Option<Date>,
    ) -> Result<Handling<'_>, Error> {
        Ok(match self.handler(id, region, date)? {
            None => Handling::default(),
            Some((body, mode, r)) => Handling {
                by: Some(body),
                mode: Some(mode).filter(|m| !m.is_empty()),
                region: self.region(r)?.map(|x| x.code.as_str()),
            },
        })
    }

    /// Looks an item up by code (exact, case-insensitive), with who handles it in `region` in
    /// the latest state the catalog knows.
    pub fn get(&self, code: &str, region: Option<&str>) -> Result<ItemView, Error> {
        self.get_on(code, region, None)
    }

    /// [`Index::get`] on `date`: who handles the item in `region` that day.
    pub fn get_on(
        &self,
        code: &str,
        region: Option<&str>,
        date: Option<Date>,
    ) -> Result<ItemView, Error> {
        self.view_of(self.require_code(code)?, region, date, None, true)
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
            .map(|h| self.view_of(h.id, region, opts.date, Some(h), false))
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
            corrected_word: r.corrected_word,
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
        let below = self.children_of(Some(region))?;
        if !below.is_empty() {
            return Ok(below);
        }
        match self.parent_of(region)? {
            Some(p) => self.children_of(Some(p)),
            None => Ok(Vec::new()),
        }
    }

    /// The regions of [`Index::children_scope`] with their records, their assignments asked
    /// for at once (a chunked index).
    fn scope_regions(&self, region: u32) -> Result<Vec<(u32, &RegionRecord)>, Error> {
        let scope = self.children_scope(region)?;
        self.need_assignments(&scope)?;
        let mut out = Vec::with_capacity(scope.len());
        for r in scope {
            if let Some(rec) = self.region(r)? {
                out.push((r, rec));
            }
        }
        Ok(out)
    }

    /// Who handles item `code` in each region below `region` (a county: its townships; a
    /// township: all townships of its county) on `date` (`None`: the latest state).
    pub fn handlers_below(
        &self,
        code: &str,
        region: &str,
        date: Option<Date>,
    ) -> Result<Vec<RegionHandler>, Error> {
        let id = self.require_code(code)?;
        let region = self.find_region(region)?;
        let rec = self.record(id)?;
        let mut out = Vec::new();
        for (r, reg) in self.scope_regions(region)? {
            let h = self.handler(id, r, date)?;
            out.push(RegionHandler {
                code: reg.code.clone(),
                name: reg.name.clone(),
                handled_by: h.map_or_else(|| rec.department.clone(), |h| h.0.to_string()),
                handled_mode: h.map(|h| h.1.to_string()).filter(|m| !m.is_empty()),
                own: h.is_some_and(|h| h.2 == r),
                contact: self.contact_for(id, &rec, Some(r), date)?,
            });
        }
        Ok(out)
    }

    /// For each region below `region` (as in [`Index::handlers_below`]): how many items it
    /// handles itself in the latest state the catalog knows (assignments taken back not
    /// counted).
    pub fn devolved_counts(&self, region: &str) -> Result<Vec<RegionCount>, Error> {
        let region = self.find_region(region)?;
        let mut out = Vec::new();
        for (r, reg) in self.scope_regions(region)? {
            out.push(RegionCount {
                code: reg.code.clone(),
                name: reg.name.clone(),
                items: self.items_held(r, None)?.len() as u32,
            });
        }
        Ok(out)
    }

    /// The items region `r`'s own assignments hold on `date` (`None`: the latest state),
    /// ascending, each once.
    pub(crate) fn items_held(&self, r: u32, date: Option<Date>) -> Result<Vec<u32>, Error> {
        let here = self.assigned_in(r)?;
        let terms = &self.regions()?.terms;
        let mut items: Vec<u32> = (0..here.list.len())
            .filter(|&i| {
                here.terms_of(i)
                    .and_then(|t| terms.get(t as usize))
                    .is_none_or(|t| crate::date::holds(t.from, t.until, date))
            })
            .map(|i| here.list[i].item)
            .collect();
        items.dedup();
        Ok(items)
    }
}
