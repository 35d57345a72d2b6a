//! Catalog statistics (数量、分布): how many items by field, type, level, law, department and
//! handling body, how many each township exercises itself, and the share each county devolves.
//!
//! [`Index::stats`] is the one place these numbers come from: the CLI prints them
//! (`powerlist stats`, as text, `--json` or `--csv DIR`) and the wasm module returns them to the
//! page's charts.
//!
//! ```
//! # use powerlist_build::catalog::{Catalog, SourceFile, Sources};
//! # let sources = Sources {
//! #     items: SourceFile::new("items.csv", "code,name,type,field,level,department,basis\nA-1,对乱扔垃圾的行政处罚,行政处罚,城市管理,县级；乡级,城管,\n"),
//! #     regions: Some(SourceFile::new("regions.csv", "code,name,parent\n321281,兴化市,\n321281100,戴窑镇,321281\n")),
//! #     assignments: Some(SourceFile::new("assignments.csv", "item,region,body,mode\nA-1,321281100,戴窑镇综合行政执法局,赋权\n")),
//! #     bodies: None, laws: vec![] };
//! # let index = powerlist::Index::from_bytes(&powerlist_build::writer::write_index(&Catalog::compile(&sources)?)?)?;
//! let s = index.stats()?;
//! assert_eq!(s.by_level["乡级"], 1);
//! assert_eq!(s.townships[0].own, 1);
//! assert_eq!(s.counties[0].share, 1.0);
//! # Ok::<(), powerlist::Error>(())
//! ```

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::error::Error;
use crate::index::Index;

/// What an index is, in a few numbers that need no pass over its items: what a page's header and
/// footer say (the first fields of [`Stats`], with the same names and values).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndexInfo {
    /// powerlist version that built it.
    pub built_with: String,
    /// Index format version.
    pub format_version: u32,
    /// Index size in bytes.
    pub bytes: usize,
    /// The catalog's name, version and date.
    pub catalog: crate::index::CatalogInfo,
    /// Items.
    pub items: usize,
    /// Laws in the catalog.
    pub laws: usize,
    /// Distinct articles cited.
    pub articles_cited: usize,
    /// Regions.
    pub regions: usize,
}

/// What an index holds: its [`IndexInfo`] (whose fields it reads as its own, and prints first
/// in JSON) and how its items, laws and assignments are distributed.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// The catalog, counts, size and format.
    #[serde(flatten)]
    pub info: IndexInfo,
    /// Assignments.
    pub assignments: usize,
    /// Items per field.
    pub by_field: BTreeMap<String, u32>,
    /// Items per type.
    pub by_type: BTreeMap<String, u32>,
    /// Items per level.
    pub by_level: BTreeMap<String, u32>,
    /// Items citing each law (an item citing a law twice counts once).
    pub by_law: BTreeMap<String, u32>,
    /// Items per default department (实施主体).
    pub by_department: BTreeMap<String, u32>,
    /// Assignments per handling body (承办主体): how many items each body is assigned (in the
    /// latest state the catalog knows: assignments taken back, 上收, are not counted).
    pub by_body: BTreeMap<String, u32>,
    /// Each township (9-digit division code), in region order.
    pub townships: Vec<TownshipStats>,
    /// Each county (the parent of townships), in region order.
    pub counties: Vec<CountyStats>,
    /// Every law of the catalog (cited or not) with the version of its text and how many items
    /// cite it: most cited first, ties by title.
    pub law_texts: Vec<LawStats>,
}

/// One law of the catalog: which text the catalog holds, and how many items cite it.
#[derive(Debug, Clone, Serialize)]
pub struct LawStats {
    /// The title, without 《》.
    pub title: String,
    /// The version of the text, when known.
    pub version: Option<crate::law::LawVersion>,
    /// Set when a newer text has replaced it.
    pub superseded: Option<crate::law::Superseded>,
    /// How many articles the text has.
    pub articles: u32,
    /// Items citing it (an item citing it twice counts once).
    pub items: u32,
}

/// What one township exercises itself and what is handled above it.
#[derive(Debug, Clone, Serialize)]
pub struct TownshipStats {
    /// Division code.
    pub code: String,
    /// Name.
    pub name: String,
    /// The county's division code.
    pub county: String,
    /// Items assigned to the township itself (赋权, 委托…), those taken back (上收) not
    /// counted.
    pub own: u32,
    /// The other items: handled by the county or a body above it.
    pub above: u32,
}

/// How much one county devolves to its townships.
#[derive(Debug, Clone, Serialize)]
pub struct CountyStats {
    /// Division code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Its townships in the catalog.
    pub townships: u32,
    /// Items of the catalog.
    pub items: u32,
    /// Items assigned to at least one of its townships.
    pub devolved: u32,
    /// `devolved / items`, from 0 to 1.
    pub share: f64,
}

/// One table of [`Stats::tables`]: a name (the CSV file's stem), a header and rows.
#[derive(Debug, Clone, PartialEq)]
pub struct StatsTable {
    /// Stem of its file name, e.g. `by_field`.
    pub name: &'static str,
    /// A title for people, e.g. `各领域事项数`.
    pub title: &'static str,
    /// Column names.
    pub header: Vec<&'static str>,
    /// Rows of cells.
    pub rows: Vec<Vec<String>>,
}

impl Index {
    /// The index's facts that need no pass over its items; an error when the regions section
    /// (whose regions it counts) is damaged.
    pub fn info(&self) -> Result<IndexInfo, Error> {
        Ok(IndexInfo {
            built_with: self.meta.version.clone(),
            format_version: crate::format::FORMAT_VERSION,
            bytes: self.byte_len,
            catalog: self.meta.catalog.clone(),
            items: self.attrs.len(),
            laws: self.meta.laws.len(),
            articles_cited: self.meta.article_keys.len(),
            regions: self.regions()?.total(),
        })
    }

    /// Counts of what the index holds; an error when a section they are counted from (the item
    /// records, the regions and assignments) is damaged, never counts of nothing.
    pub fn stats(&self) -> Result<Stats, Error> {
        let mut by_field = BTreeMap::new();
        let mut by_type = BTreeMap::new();
        let mut by_level = BTreeMap::new();
        for id in 0..self.attrs.len() as u32 {
            *by_field.entry(self.field_name(id).to_string()).or_default() += 1;
            *by_type.entry(self.type_name(id).to_string()).or_default() += 1;
            for l in self.levels_of(id) {
                *by_level.entry(l.to_string()).or_default() += 1;
            }
        }
        let (townships, counties) = self.devolution()?;
        let ([by_law, by_department], law_items) = self.by_law_and_department()?;
        let regions = self.regions_section()?;
        let mut by_body = BTreeMap::new();
        for a in self.assignments()?.filter(|a| a.holds(None)) {
            *by_body.entry(a.body.to_string()).or_default() += 1;
        }
        Ok(Stats {
            info: self.info()?,
            assignments: regions.assignments.len(),
            by_field,
            by_type,
            by_level,
            by_law,
            by_department,
            by_body,
            townships,
            counties,
            law_texts: self.law_texts(&law_items),
        })
    }

    /// Every law with its version and `items[law]` items citing it, most cited first.
    fn law_texts(&self, items: &[u32]) -> Vec<LawStats> {
        let mut out: Vec<LawStats> = self
            .laws()
            .iter()
            .zip(items)
            .map(|(l, &n)| LawStats {
                title: l.title.clone(),
                version: l.version(),
                superseded: l.superseded.clone(),
                articles: l.articles,
                items: n,
            })
            .collect();
        out.sort_by(|a, b| b.items.cmp(&a.items).then_with(|| a.title.cmp(&b.title)));
        out
    }

    /// Items citing each law (by title, and by law number), and items per department.
    #[allow(clippy::type_complexity)]
    fn by_law_and_department(&self) -> Result<([BTreeMap<String, u32>; 2], Vec<u32>), Error> {
        let mut by_law = BTreeMap::new();
        let mut by_department = BTreeMap::new();
        let mut law_items = vec![0u32; self.laws().len()];
        for id in 0..self.attrs.len() as u32 {
            let rec = self.record(id)?;
            let laws: BTreeSet<u16> = rec.bases.iter().map(|b| b.law).collect();
            for law in laws {
                *by_law.entry(self.law_title(law).to_string()).or_default() += 1;
                if let Some(n) = law_items.get_mut(law as usize) {
                    *n += 1;
                }
            }
            *by_department.entry(rec.department).or_default() += 1;
        }
        Ok(([by_law, by_department], law_items))
    }

    /// Townships (9-digit codes) with their own items, and their counties with the items
    /// devolved to at least one of their townships.
    fn devolution(&self) -> Result<(Vec<TownshipStats>, Vec<CountyStats>), Error> {
        let regions = self.regions_section()?;
        let rs = &regions.regions;
        let items = self.attrs.len() as u32;
        let mut townships = Vec::new();
        let mut devolved: BTreeMap<u32, (u32, BTreeSet<u32>)> = BTreeMap::new();
        for (i, r) in rs.iter().enumerate() {
            let (Some(parent), 9) = (r.parent, r.code.len()) else {
                continue;
            };
            let own = self.items_held(i as u32, None)?;
            let county = devolved.entry(parent).or_default();
            county.0 += 1;
            county.1.extend(own.iter().copied());
            townships.push(TownshipStats {
                code: r.code.clone(),
                name: r.name.clone(),
                county: rs
                    .get(parent as usize)
                    .map_or_else(String::new, |p| p.code.clone()),
                own: own.len() as u32,
                above: items.saturating_sub(own.len() as u32),
            });
        }
        let counties = devolved
            .into_iter()
            .filter_map(|(c, (n, set))| {
                let r = rs.get(c as usize)?;
                let share = if items == 0 {
                    0.0
                } else {
                    set.len() as f64 / f64::from(items)
                };
                Some(CountyStats {
                    code: r.code.clone(),
                    name: r.name.clone(),
                    townships: n,
                    items,
                    devolved: set.len() as u32,
                    share,
                })
            })
            .collect();
        Ok((townships, counties))
    }

    /// Regions as (code, name, parent code); an error when the regions section is damaged,
    /// never an empty list. (A chunked index whose first piece leaves townships out needs
    /// every piece: [`Index::listed_regions`] gives the list without them.)
    pub fn region_list(&self) -> Result<Vec<(String, String, Option<String>)>, Error> {
        let regions = self.regions()?;
        let rs = if regions.leaves_out() {
            &self.regions_section()?.regions
        } else {
            &regions.regions
        };
        Ok(rs
            .iter()
            .map(|r| {
                let parent = r
                    .parent
                    .and_then(|p| rs.get(p as usize))
                    .map(|p| p.code.clone());
                (r.code.clone(), r.name.clone(), parent)
            })
            .collect())
    }
}

impl std::ops::Deref for Stats {
    type Target = IndexInfo;

    fn deref(&self) -> &IndexInfo {
        &self.info
    }
}

impl Stats {
    /// The statistics as tables with Chinese titles and English column names: `summary`,
    /// `by_field`, `by_type`, `by_level`, `by_law`, `by_department`, `by_body`, `townships`,
    /// `counties`, `laws` (each law's version, and the items citing it). Counts are sorted
    /// largest first (ties by name).
    pub fn tables(&self) -> Vec<StatsTable> {
        let counts = |name, title, key, map: &BTreeMap<String, u32>| {
            let mut rows: Vec<(&String, &u32)> = map.iter().collect();
            rows.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
            StatsTable {
                name,
                title,
                header: vec![key, "items"],
                rows: rows
                    .into_iter()
                    .map(|(k, v)| vec![k.clone(), v.to_string()])
                    .collect(),
            }
        };
        let c = &self.catalog;
        let summary = [
            ("name", c.name.clone()),
            ("version", c.version.clone()),
            ("date", c.date.clone()),
            ("items", self.items.to_string()),
            ("laws", self.laws.to_string()),
            ("articles_cited", self.articles_cited.to_string()),
            ("regions", self.regions.to_string()),
            ("assignments", self.assignments.to_string()),
            ("bytes", self.bytes.to_string()),
        ];
        vec![
            StatsTable {
                name: "summary",
                title: "概况",
                header: vec!["key", "value"],
                rows: summary
                    .into_iter()
                    .map(|(k, v)| vec![k.to_string(), v])
                    .collect(),
            },
            counts("by_field", "各领域事项数", "field", &self.by_field),
            counts("by_type", "各类型事项数", "type", &self.by_type),
            counts("by_level", "各层级行使的事项数", "level", &self.by_level),
            counts("by_law", "引用各法律法规的事项数", "law", &self.by_law),
            counts(
                "by_department",
                "各实施主体的事项数",
                "department",
                &self.by_department,
            ),
            counts("by_body", "各承办主体承接的事项数", "body", &self.by_body),
            StatsTable {
                name: "townships",
                title: "各乡镇（街道）自行行使与由上级行使的事项数",
                header: vec!["code", "name", "county", "own", "above"],
                rows: self
                    .townships
                    .iter()
                    .map(|t| {
                        vec![
                            t.code.clone(),
                            t.name.clone(),
                            t.county.clone(),
                            t.own.to_string(),
                            t.above.to_string(),
                        ]
                    })
                    .collect(),
            },
            StatsTable {
                name: "counties",
                title: "各县（市、区）下放到乡镇（街道）的事项比例",
                header: vec!["code", "name", "townships", "items", "devolved", "share"],
                rows: self
                    .counties
                    .iter()
                    .map(|c| {
                        vec![
                            c.code.clone(),
                            c.name.clone(),
                            c.townships.to_string(),
                            c.items.to_string(),
                            c.devolved.to_string(),
                            format!("{:.4}", c.share),
                        ]
                    })
                    .collect(),
            },
            self.laws_table(),
        ]
    }

    /// The `laws` table: each law's title, version (label, date, kind, source), the date and
    /// note of a newer text, its articles and the items citing it.
    fn laws_table(&self) -> StatsTable {
        let rows = self
            .law_texts
            .iter()
            .map(|l| {
                let v = l.version.as_ref();
                let s = l.superseded.as_ref();
                let cell = |x: Option<&String>| x.cloned().unwrap_or_default();
                vec![
                    l.title.clone(),
                    cell(v.map(|v| &v.label)),
                    cell(v.map(|v| &v.date)),
                    cell(v.map(|v| &v.kind)),
                    cell(v.map(|v| &v.source)),
                    cell(s.map(|s| &s.date)),
                    cell(s.map(|s| &s.note)),
                    l.articles.to_string(),
                    l.items.to_string(),
                ]
            })
            .collect();
        StatsTable {
            name: "laws",
            title: "法律法规的文本版本及引用事项数",
            header: vec![
                "title",
                "version",
                "date",
                "kind",
                "source",
                "superseded",
                "superseded_note",
                "articles",
                "items",
            ],
            rows,
        }
    }
}
