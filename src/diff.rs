//! What changed between two versions of a catalog: items added, removed, moved to another code,
//! renamed, given another legal basis or other attributes (their responsibility list and
//! contacts included), the text of a cited law replaced by another version, and assignments
//! changed per region.
//!
//! Items are matched by code. An item removed under one code and added under another with the
//! same name is reported once, as a move ([`Diff::recoded`]), and then compared like an item
//! that kept its code; its assignments follow it, so a move alone changes no assignment.
//!
//! ```
//! use powerlist_build::catalog::{Catalog, SourceFile, Sources};
//! use powerlist::Index;
//!
//! let law = SourceFile::new("laws/城市道路管理条例.md",
//!     "# 城市道路管理条例\n\n第二十七条 城市道路范围内禁止下列行为：\n\n（一）擅自占用或者挖掘城市道路；\n\n第四十二条 违反本条例的，责令限期改正，可以处以2万元以下的罚款。\n");
//! let index = |items: &str| -> Result<Index, powerlist::Error> {
//!     let sources = Sources {
//!         items: SourceFile::new("items.csv", format!("code,name,type,field,level,department,basis\n{items}")),
//!         regions: None,
//!         assignments: None,
//!         bodies: None,
//!         laws: vec![law.clone()],
//!     };
//!     Index::from_bytes(&powerlist_build::writer::write_index(&Catalog::compile(&sources)?)?)
//! };
//! let old = index("CG-1,对擅自占用道路的行政处罚,行政处罚,城市管理,县级,城管,《城市道路管理条例》第二十七条第（一）项\n")?;
//! let new = index("CG-1,对擅自占用城市道路的行政处罚,行政处罚,城市管理,县级,城管,《城市道路管理条例》第二十七条第（一）项、第四十二条\n")?;
//!
//! let d = powerlist::diff::diff(&old, &new)?;
//! assert_eq!(d.renamed[0].new_name, "对擅自占用城市道路的行政处罚");
//! assert_eq!(d.rebased[0].new, ["《城市道路管理条例》第二十七条第（一）项", "《城市道路管理条例》第四十二条"]);
//! assert!(powerlist::diff::diff(&new, &new)?.is_empty());
//! # Ok::<(), powerlist::Error>(())
//! ```

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::access::ItemFacts;
use crate::error::Error;
use crate::index::{CatalogInfo, Index};

/// An item named by code and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemRef {
    /// Item code.
    pub code: String,
    /// Item name.
    pub name: String,
}

/// An item that moved to another code, keeping its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recoded {
    /// Its code in the older version.
    pub old_code: String,
    /// Its code in the newer version.
    pub new_code: String,
    /// Its name (in the newer version).
    pub name: String,
}

/// An item that kept its code and changed its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Renamed {
    /// Item code (the newer one, for a moved item).
    pub code: String,
    /// The older name.
    pub old_name: String,
    /// The newer name.
    pub new_name: String,
}

/// An item whose legal basis changed: every citation, before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rebased {
    /// Item code.
    pub code: String,
    /// Item name (newer).
    pub name: String,
    /// The older citations, in the official form.
    pub old: Vec<String>,
    /// The newer citations.
    pub new: Vec<String>,
}

/// One attribute that changed: `type`, `field`, `level`, `department`, `keywords`, `duties`,
/// `accountability`, `consult_phone`, `complaint_phone` or `place`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttrChange {
    /// The attribute.
    pub attr: &'static str,
    /// Its name as the catalog's readers know it: 事项类型, 所属领域, 行使层级, 实施主体, 关键词,
    /// 责任事项, 追责情形, 咨询电话, 监督电话, 办理地点.
    pub label: &'static str,
    /// The older value (lists joined with `、`; duties and accountability with `；`).
    pub old: String,
    /// The newer value.
    pub new: String,
}

/// An item whose other attributes changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Changed {
    /// Item code.
    pub code: String,
    /// Item name (newer).
    pub name: String,
    /// What changed, in the order type, field, level, department, keywords, duties,
    /// accountability, consult phone, complaint phone, place.
    pub changes: Vec<AttrChange>,
}

/// A cited law whose text in the catalog is another version (another date or kind), or was
/// declared superseded (or no longer is).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LawChange {
    /// The law's title, without 《》.
    pub title: String,
    /// The older text's version label (`2013年修正`), `None` when the older catalog did not
    /// know it or did not cite the law.
    pub old: Option<String>,
    /// The newer text's version label, `None` when unknown.
    pub new: Option<String>,
    /// The date of the text that replaced the older one, when the older catalog declared it.
    pub old_superseded: Option<String>,
    /// The same for the newer catalog: its text is out of date from then on.
    pub new_superseded: Option<String>,
    /// The codes of the newer version's items citing the law (to be checked against its text).
    pub items: Vec<String>,
    /// All of it as one line: `《传染病防治法》2013年修正 → 2025年修订`, with what is known of
    /// the superseded state.
    pub summary: String,
}

/// Who a region's own assignment names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Handling {
    /// The handling body.
    pub body: String,
    /// How it got the power (赋权, 委托…), possibly empty.
    pub mode: String,
    /// Both as one line: `戴窑镇综合行政执法局（赋权）`, or the body alone without a mode.
    pub label: String,
}

impl Handling {
    /// An assignment to `body` by `mode` (possibly empty).
    pub fn new(body: &str, mode: &str) -> Handling {
        Handling {
            body: body.to_string(),
            mode: mode.to_string(),
            label: if mode.is_empty() {
                body.to_string()
            } else {
                format!("{body}（{mode}）")
            },
        }
    }
}

/// One assignment of a region that was added, removed or changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssignmentChange {
    /// Item code (newer, for a moved item).
    pub code: String,
    /// Item name.
    pub name: String,
    /// The older assignment, `None` when it was added.
    pub old: Option<Handling>,
    /// The newer assignment, `None` when it was removed.
    pub new: Option<Handling>,
}

/// The assignment changes of one region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegionChanges {
    /// Region code.
    pub region: String,
    /// Region name (newer, else older).
    pub name: String,
    /// The changes, by item code.
    pub changes: Vec<AssignmentChange>,
}

/// How many of each kind of change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Items added.
    pub added: usize,
    /// Items removed.
    pub removed: usize,
    /// Items moved to another code.
    pub recoded: usize,
    /// Items renamed.
    pub renamed: usize,
    /// Items with another legal basis.
    pub rebased: usize,
    /// Items with other attributes changed.
    pub changed: usize,
    /// Assignments added, removed or changed (over all regions).
    pub reassigned: usize,
    /// Cited laws whose text changed version or superseded state.
    pub laws: usize,
}

/// The changes from an older index to a newer one; every list is ordered by code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diff {
    /// The older catalog's name, version and date.
    pub old: CatalogInfo,
    /// The newer catalog's.
    pub new: CatalogInfo,
    /// How many of each.
    pub counts: Counts,
    /// Items only in the newer version.
    pub added: Vec<ItemRef>,
    /// Items only in the older version.
    pub removed: Vec<ItemRef>,
    /// Items moved to another code.
    pub recoded: Vec<Recoded>,
    /// Items renamed.
    pub renamed: Vec<Renamed>,
    /// Items with another legal basis.
    pub rebased: Vec<Rebased>,
    /// Items with another type, field, level, department, keywords, responsibility list or
    /// contacts.
    pub changed: Vec<Changed>,
    /// Cited laws whose text is another version (by title).
    pub laws: Vec<LawChange>,
    /// Assignment changes, per region (ordered by region code).
    pub reassigned: Vec<RegionChanges>,
}

impl Diff {
    /// Whether the two versions hold the same items and assignments.
    pub fn is_empty(&self) -> bool {
        self.counts == Counts::default()
    }

    /// Whether item `code` (of the newer version) was added, moved, renamed, rebased or changed
    /// (assignments aside).
    pub fn touches(&self, code: &str) -> bool {
        self.added.iter().any(|x| x.code == code)
            || self.recoded.iter().any(|x| x.new_code == code)
            || self.renamed.iter().any(|x| x.code == code)
            || self.rebased.iter().any(|x| x.code == code)
            || self.changed.iter().any(|x| x.code == code)
    }
}

/// Compares two indexes: what changed from `old` to `new`.
///
/// Fails only when an index's item records or its regions and assignments are damaged.
pub fn diff(old: &Index, new: &Index) -> Result<Diff, Error> {
    let olds = old.all_facts()?;
    let news = new.all_facts()?;
    let old_by_code: BTreeMap<&str, &ItemFacts> =
        olds.iter().map(|f| (f.code.as_str(), f)).collect();
    let new_by_code: BTreeMap<&str, &ItemFacts> =
        news.iter().map(|f| (f.code.as_str(), f)).collect();

    // Only in one version; then pair removed and added items with the same name as moves.
    let mut gone: Vec<&ItemFacts> = old_by_code
        .iter()
        .filter(|(c, _)| !new_by_code.contains_key(*c))
        .map(|(_, f)| *f)
        .collect();
    let mut came: Vec<&ItemFacts> = new_by_code
        .iter()
        .filter(|(c, _)| !old_by_code.contains_key(*c))
        .map(|(_, f)| *f)
        .collect();
    let moves = pair_moves(&mut gone, &mut came);

    // Pairs of the same item in both versions (old, new): kept codes, then moves.
    let mut pairs: Vec<(&ItemFacts, &ItemFacts)> = old_by_code
        .iter()
        .filter_map(|(c, o)| new_by_code.get(c).map(|n| (*o, *n)))
        .collect();
    pairs.extend(moves.iter().copied());
    pairs.sort_by(|a, b| a.1.code.cmp(&b.1.code));

    let mut d = Diff {
        old: old.catalog_info().clone(),
        new: new.catalog_info().clone(),
        counts: Counts::default(),
        added: came.iter().map(|f| item_ref(f)).collect(),
        removed: gone.iter().map(|f| item_ref(f)).collect(),
        recoded: moves
            .iter()
            .map(|(o, n)| Recoded {
                old_code: o.code.clone(),
                new_code: n.code.clone(),
                name: n.name.clone(),
            })
            .collect(),
        renamed: Vec::new(),
        rebased: Vec::new(),
        changed: Vec::new(),
        laws: law_changes(old, new, &news),
        reassigned: Vec::new(),
    };
    for (o, n) in &pairs {
        if o.name != n.name {
            d.renamed.push(Renamed {
                code: n.code.clone(),
                old_name: o.name.clone(),
                new_name: n.name.clone(),
            });
        }
        let (oc, nc) = (citations(old, o), citations(new, n));
        if oc != nc {
            d.rebased.push(Rebased {
                code: n.code.clone(),
                name: n.name.clone(),
                old: oc,
                new: nc,
            });
        }
        let changes = attr_changes(o, n);
        if !changes.is_empty() {
            d.changed.push(Changed {
                code: n.code.clone(),
                name: n.name.clone(),
                changes,
            });
        }
    }
    // Older items' ids → the newer code they continue as.
    let renamed_to: HashMap<u32, &str> =
        pairs.iter().map(|(o, n)| (o.id, n.code.as_str())).collect();
    d.reassigned = reassignments(old, new, &news, &renamed_to)?;
    d.counts = Counts {
        added: d.added.len(),
        removed: d.removed.len(),
        recoded: d.recoded.len(),
        renamed: d.renamed.len(),
        rebased: d.rebased.len(),
        changed: d.changed.len(),
        reassigned: d.reassigned.iter().map(|r| r.changes.len()).sum(),
        laws: d.laws.len(),
    };
    Ok(d)
}

/// Pairs removed items (`gone`) with added ones (`came`) of the same name: one item moved to a
/// new code. The pairs leave both lists; they come back sorted by the new code.
fn pair_moves<'a>(
    gone: &mut Vec<&'a ItemFacts>,
    came: &mut Vec<&'a ItemFacts>,
) -> Vec<(&'a ItemFacts, &'a ItemFacts)> {
    let mut moves: Vec<(&ItemFacts, &ItemFacts)> = Vec::new();
    let mut came_by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, f) in came.iter().enumerate().rev() {
        came_by_name.entry(f.name.as_str()).or_default().push(i);
    }
    let mut taken = vec![false; came.len()];
    gone.retain(
        |o| match came_by_name.get_mut(o.name.as_str()).and_then(Vec::pop) {
            Some(i) => {
                taken[i] = true;
                moves.push((o, came[i]));
                false
            }
            None => true,
        },
    );
    let mut i = 0;
    came.retain(|_| {
        i += 1;
        !taken[i - 1]
    });
    moves.sort_by(|a, b| a.1.code.cmp(&b.1.code));
    moves
}

fn item_ref(f: &ItemFacts) -> ItemRef {
    ItemRef {
        code: f.code.clone(),
        name: f.name.clone(),
    }
}

fn citations(index: &Index, f: &ItemFacts) -> Vec<String> {
    f.bases.iter().map(|b| index.citation_of(b)).collect()
}

/// The laws both versions cite (by title) whose text's version or superseded date differs,
/// with the newer version's items citing each; ordered by title.
fn law_changes(old: &Index, new: &Index, news: &[ItemFacts]) -> Vec<LawChange> {
    let label = |m: &crate::format::schema::LawMeta| m.version().map(|v| v.label);
    let superseded =
        |m: &crate::format::schema::LawMeta| m.superseded.as_ref().map(|s| s.date.clone());
    let olds: HashMap<&str, &crate::format::schema::LawMeta> =
        old.laws().iter().map(|m| (m.title.as_str(), m)).collect();
    let mut out: Vec<LawChange> = new
        .laws()
        .iter()
        .enumerate()
        .filter_map(|(i, n)| {
            let o = olds.get(n.title.as_str())?;
            // Another source path alone is the same text.
            let version = |m: &crate::format::schema::LawMeta| {
                m.text.as_ref().map(|t| (t.date.clone(), t.kind.clone()))
            };
            let same_text = version(o) == version(n);
            if same_text && superseded(o) == superseded(n) {
                return None;
            }
            let items = news
                .iter()
                .filter(|f| f.bases.iter().any(|b| usize::from(b.law) == i))
                .map(|f| f.code.clone())
                .collect();
            let mut change = LawChange {
                title: n.title.clone(),
                old: label(o),
                new: label(n),
                old_superseded: superseded(o),
                new_superseded: superseded(n),
                items,
                summary: String::new(),
            };
            change.summary = law_change_line(&change);
            Some(change)
        })
        .collect();
    out.sort_by(|a, b| a.title.cmp(&b.title));
    out
}

fn attr_changes(o: &ItemFacts, n: &ItemFacts) -> Vec<AttrChange> {
    let pairs = [
        ("type", o.kind.to_string(), n.kind.to_string()),
        ("field", o.field.clone(), n.field.clone()),
        ("level", o.levels.join("、"), n.levels.join("、")),
        ("department", o.department.clone(), n.department.clone()),
        ("keywords", o.keywords.join("、"), n.keywords.join("、")),
        ("duties", o.duties.join("；"), n.duties.join("；")),
        (
            "accountability",
            o.accountability.join("；"),
            n.accountability.join("；"),
        ),
        (
            "consult_phone",
            o.consult_phone.clone(),
            n.consult_phone.clone(),
        ),
        (
            "complaint_phone",
            o.complaint_phone.clone(),
            n.complaint_phone.clone(),
        ),
        ("place", o.place.clone(), n.place.clone()),
    ];
    pairs
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .map(|(attr, old, new)| AttrChange {
            attr,
            label: attr_label(attr),
            old,
            new,
        })
        .collect()
}

/// Per region code: item code → (body, mode), with older items under their newer codes.
type Assigned<'a> = BTreeMap<&'a str, (&'a str, BTreeMap<&'a str, Handling>)>;

fn assigned<'a>(
    index: &'a Index,
    code_of: impl Fn(u32) -> Option<&'a str>,
) -> Result<Assigned<'a>, Error> {
    let mut out: Assigned<'a> = BTreeMap::new();
    // The latest state each version knows: an assignment taken back (上收) is no longer there.
    for a in index.assignments()?.filter(|a| a.holds(None)) {
        let Some(code) = code_of(a.item) else {
            continue;
        };
        let (rcode, rname) = index.region_label(a.region)?;
        out.entry(rcode)
            .or_insert_with(|| (rname, BTreeMap::new()))
            .1
            .insert(code, Handling::new(a.body, a.mode));
    }
    Ok(out)
}

fn reassignments(
    old: &Index,
    new: &Index,
    news: &[ItemFacts],
    renamed_to: &HashMap<u32, &str>,
) -> Result<Vec<RegionChanges>, Error> {
    // Assignments of removed items are not reported: the item's removal says it all. Likewise
    // for added items.
    let before = assigned(old, |id| renamed_to.get(&id).copied())?;
    let kept: std::collections::HashSet<&str> = renamed_to.values().copied().collect();
    let after = assigned(new, |id| {
        news.get(id as usize)
            .map(|f| f.code.as_str())
            .filter(|c| kept.contains(c))
    })?;
    let name_of: HashMap<&str, &str> = news
        .iter()
        .map(|f| (f.code.as_str(), f.name.as_str()))
        .collect();
    let empty = BTreeMap::new();
    let mut regions: Vec<&str> = before.keys().chain(after.keys()).copied().collect();
    regions.sort_unstable();
    regions.dedup();
    let mut out = Vec::new();
    for r in regions {
        let (b_name, b) = before.get(r).map_or(("", &empty), |(n, m)| (*n, m));
        let (a_name, a) = after.get(r).map_or(("", &empty), |(n, m)| (*n, m));
        let mut codes: Vec<&str> = b.keys().chain(a.keys()).copied().collect();
        codes.sort_unstable();
        codes.dedup();
        let changes: Vec<AssignmentChange> = codes
            .into_iter()
            .filter(|c| b.get(c) != a.get(c))
            .map(|c| AssignmentChange {
                code: c.to_string(),
                name: name_of.get(c).copied().unwrap_or("").to_string(),
                old: b.get(c).cloned(),
                new: a.get(c).cloned(),
            })
            .collect();
        if !changes.is_empty() {
            out.push(RegionChanges {
                region: r.to_string(),
                name: if a_name.is_empty() { b_name } else { a_name }.to_string(),
                changes,
            });
        }
    }
    Ok(out)
}

/// The Chinese label of an attribute of [`AttrChange`].
fn attr_label(attr: &'static str) -> &'static str {
    match attr {
        "type" => "事项类型",
        "field" => "所属领域",
        "level" => "行使层级",
        "department" => "实施主体",
        "keywords" => "关键词",
        "duties" => "责任事项",
        "accountability" => "追责情形",
        "consult_phone" => "咨询电话",
        "complaint_phone" => "监督电话",
        "place" => "办理地点",
        other => other,
    }
}

fn version_label(info: &CatalogInfo) -> String {
    let v = if info.version.is_empty() {
        "（未标版本）".to_string()
    } else {
        info.version.clone()
    };
    if info.date.is_empty() {
        v
    } else {
        format!("{v}（{}）", info.date)
    }
}

/// `《传染病防治法》2013年修正 → 2025年修订`, with what is known of the superseded state.
fn law_change_line(x: &LawChange) -> String {
    let unknown = || "（版本未知）".to_string();
    let mut line = format!(
        "《{}》{} → {}",
        x.title,
        x.old.clone().unwrap_or_else(unknown),
        x.new.clone().unwrap_or_else(unknown)
    );
    match (&x.old_superseded, &x.new_superseded) {
        (_, Some(d)) => line.push_str(&format!("；已于{d}修订，所收文本已过时")),
        (Some(d), None) => line.push_str(&format!("（旧版注明已于{d}修订）")),
        (None, None) => {}
    }
    line
}

fn handling_label(h: &Option<Handling>) -> String {
    match h {
        None => "（无）".into(),
        Some(h) => h.label.clone(),
    }
}

impl std::fmt::Display for Diff {
    /// The text report: a title, the counts, then each non-empty group under a Chinese heading.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = if self.new.name.is_empty() {
            &self.old.name
        } else {
            &self.new.name
        };
        if !name.is_empty() {
            writeln!(f, "{name}")?;
        }
        writeln!(
            f,
            "{} → {}",
            version_label(&self.old),
            version_label(&self.new)
        )?;
        let c = &self.counts;
        writeln!(
            f,
            "新增 {} · 删除 {} · 编码变更 {} · 更名 {} · 依据变更 {} · 其他变更 {} · 分工变更 {} · 法律文本变更 {}",
            c.added, c.removed, c.recoded, c.renamed, c.rebased, c.changed, c.reassigned, c.laws
        )?;
        if self.is_empty() {
            return writeln!(f, "两个版本的事项和分工相同。");
        }
        let heading = |f: &mut std::fmt::Formatter<'_>, title: &str, n: usize| {
            writeln!(f)?;
            writeln!(f, "{title}（{n}）")
        };
        if !self.added.is_empty() {
            heading(f, "新增事项", self.added.len())?;
            for x in &self.added {
                writeln!(f, "  {}  {}", x.code, x.name)?;
            }
        }
        if !self.removed.is_empty() {
            heading(f, "删除事项", self.removed.len())?;
            for x in &self.removed {
                writeln!(f, "  {}  {}", x.code, x.name)?;
            }
        }
        if !self.recoded.is_empty() {
            heading(f, "编码变更", self.recoded.len())?;
            for x in &self.recoded {
                writeln!(f, "  {} → {}  {}", x.old_code, x.new_code, x.name)?;
            }
        }
        if !self.renamed.is_empty() {
            heading(f, "更名", self.renamed.len())?;
            for x in &self.renamed {
                writeln!(f, "  {}  {} → {}", x.code, x.old_name, x.new_name)?;
            }
        }
        if !self.rebased.is_empty() {
            heading(f, "依据变更", self.rebased.len())?;
            for x in &self.rebased {
                writeln!(f, "  {}  {}", x.code, x.name)?;
                writeln!(f, "    原：{}", x.old.join("、"))?;
                writeln!(f, "    现：{}", x.new.join("、"))?;
            }
        }
        if !self.changed.is_empty() {
            heading(f, "其他变更", self.changed.len())?;
            for x in &self.changed {
                writeln!(f, "  {}  {}", x.code, x.name)?;
                for ch in &x.changes {
                    writeln!(f, "    {}：{} → {}", ch.label, ch.old, ch.new)?;
                }
            }
        }
        if !self.laws.is_empty() {
            heading(f, "法律文本变更", self.laws.len())?;
            for x in &self.laws {
                writeln!(f, "  {}", x.summary)?;
                if !x.items.is_empty() {
                    writeln!(f, "    引用的事项：{}", x.items.join("、"))?;
                }
            }
        }
        if !self.reassigned.is_empty() {
            writeln!(f)?;
            writeln!(
                f,
                "分工变更（{} 处，{} 个地区）",
                c.reassigned,
                self.reassigned.len()
            )?;
            for r in &self.reassigned {
                writeln!(f, "  {}（{}）", r.name, r.region)?;
                for x in &r.changes {
                    writeln!(
                        f,
                        "    {}  {}：{} → {}",
                        x.code,
                        x.name,
                        handling_label(&x.old),
                        handling_label(&x.new)
                    )?;
                }
            }
        }
        Ok(())
    }
}
