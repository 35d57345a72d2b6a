//! Catalog lint: findings that are not errors but that a catalog maintainer must look at.
//!
//! * a 行政处罚 item none of whose cited articles contains a penalty (行政处罚法 第九条: 警告、
//!   通报批评、罚款、没收、暂扣、降低资质等级、吊销、限制开展生产经营活动、责令停产停业、责令关闭、限制从业、拘留);
//! * a 行政强制 item none of whose cited articles contains a coercive measure or enforcement
//!   (行政强制法 第九条、第十二条: 查封、扣押、冻结、强制拆除、代履行、划拨、拍卖、加处罚款…);
//! * an item with no legal basis (reported while reading);
//! * two items with the same name;
//! * a coercive measure (行政强制措施: 查封、扣押…, and 取缔) that a township holds by 委托, or
//!   without a mode saying the power was given to it (赋权…), or without the penalty power it
//!   serves, or that is marked 乡级 with no township assignment (行政强制法第十七条: only the
//!   body a law names, or one given the related penalty power, takes coercive measures; the power
//!   cannot be entrusted), see [`measures`];
//! * a 行政处罚 or 行政强制 item whose department (实施主体) is of another family than the one
//!   body its penalty or coercion article names (`由城乡规划主管部门责令…`: today 自然资源, not
//!   住房城乡建设), old names mapped to today's departments by the table in [`statute`];
//!   flagged for review.
//! * a county whose townships are assigned 行政处罚 items with no document behind them: under
//!   《行政处罚法》第二十四条 a province decides which county penalty powers townships exercise,
//!   and publishes the decision. One warning per county, with the count and the first items.
//! * an item citing a law whose file declares that a newer text has replaced it
//!   (`已被修订：2025-04-30`): once per item and law, so the maintainer has the list of items
//!   whose citations must be checked against the new text ([`superseded_uses`]).
//!
//! Findings are warnings: `build` prints them and still writes the index.

pub mod measures;
pub mod statute;

use std::collections::HashMap;

use crate::catalog::Catalog;
use powerlist::error::Diagnostic;

/// Words that show an article sets a penalty.
pub const PENALTY_WORDS: &[&str] = &[
    "罚款",
    "警告",
    "通报批评",
    "没收",
    "暂扣",
    "降低资质等级",
    "吊销",
    "限制开展生产经营活动",
    "责令停产停业",
    "责令停业",
    "责令关闭",
    "限制从业",
    "拘留",
];

/// Words that show an article sets a coercive measure or coercive enforcement.
pub const COERCION_WORDS: &[&str] = &[
    "查封",
    "扣押",
    "冻结",
    "强制拆除",
    "强制执行",
    "代履行",
    "划拨",
    "拍卖",
    "加处罚款",
    "滞纳金",
    "拖离",
    "拖移",
    "暂扣",
    "封存",
    "先行登记保存",
    "扣留",
    "强制",
    "强行",
    "代为",
    "拆除",
    "停止供电",
    "排除妨碍",
    "恢复原状",
];

/// How many items a finding of [`undocumented_devolution`] names.
const ITEMS_NAMED: usize = 3;

/// One warning per county whose townships (regions with a 9-digit division code) are assigned
/// 行政处罚 items without a document (文件文号), at the first such assignment's line: the count
/// of such assignments, of their items and townships, and the first few items.
fn undocumented_devolution(catalog: &Catalog) -> Vec<Diagnostic> {
    let Some((file, sheet)) = &catalog.assignments_table else {
        return Vec::new();
    };
    let penalty = powerlist::model::type_index("行政处罚");
    // County → (line of the first, assignments, items, townships).
    let mut per: std::collections::BTreeMap<u32, (u32, u32, Vec<u32>, Vec<u32>)> =
        std::collections::BTreeMap::new();
    // The first items named, in the table's order (per county below).
    let mut firsts: std::collections::HashMap<u32, Vec<u32>> = std::collections::HashMap::new();
    for (i, a) in catalog.assignments.iter().enumerate() {
        let Some(region) = catalog.regions.get(a.region as usize) else {
            continue;
        };
        let county = match region.parent {
            Some(c) if region.code.len() == 9 => c,
            _ => continue,
        };
        let documented = a.terms.as_ref().is_some_and(|t| t.document.is_some());
        let kind = catalog.items.get(a.item as usize).map(|it| it.kind);
        if documented || kind.is_none() || kind != penalty {
            continue;
        }
        let line = catalog.assignment_lines.get(i).copied().unwrap_or(0);
        let first = firsts.entry(county).or_default();
        let e = per
            .entry(county)
            .or_insert((line, 0, Vec::new(), Vec::new()));
        e.0 = e.0.min(line);
        e.1 += 1;
        e.2.push(a.item);
        e.3.push(a.region);
        if first.len() < ITEMS_NAMED && !first.contains(&a.item) {
            first.push(a.item);
        }
    }
    per.into_iter()
        .map(|(county, (line, n, mut items, mut townships))| {
            let name = catalog.regions.get(county as usize).map_or("", |r| r.name.as_str());
            let code = catalog.regions.get(county as usize).map_or("", |r| r.code.as_str());
            let first: Vec<&str> = firsts
                .get(&county)
                .into_iter()
                .flatten()
                .filter_map(|&i| catalog.items.get(i as usize).map(|it| it.code.as_str()))
                .collect();
            items.sort_unstable();
            items.dedup();
            townships.sort_unstable();
            townships.dedup();
            let more = if items.len() > ITEMS_NAMED { "…" } else { "" };
            Diagnostic {
                file: file.clone(),
                line: line as usize,
                message: format!(
                    "lint: {name} ({code}): {} of 行政处罚 items name no document ({} in {}: {}{more}); 《行政处罚法》第二十四条: the province decides which county penalty powers a township exercises, and the decision is published (决定应当公布) — give the county's document in 文件文号 (document), with 发文日期 (document_date) and the province's decision in 依据文件 (basis_document)",
                    count(n as usize, "township assignment"),
                    count(items.len(), "item"),
                    count(townships.len(), "township"),
                    first.join(", "),
                ),
                warning: true,
                sheet: sheet.as_ref().map(|s| powerlist::error::SheetPlace {
                    sheet: s.clone(),
                    column: None,
                }),
            }
        })
        .collect()
}

/// `1 item`, `2 items`.
fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Runs the lint over a validated catalog.
pub fn lint(catalog: &Catalog) -> Vec<Diagnostic> {
    let mut out = items_lint(catalog);
    out.extend(undocumented_devolution(catalog));
    out
}

/// The items' findings: penalties and coercive measures without the article that sets them,
/// two items with one name.
fn items_lint(catalog: &Catalog) -> Vec<Diagnostic> {
    let file = &catalog.items_file;
    let sheet = catalog
        .items_sheet
        .as_ref()
        .map(|s| powerlist::error::SheetPlace {
            sheet: s.clone(),
            column: None,
        });
    let mut out = Vec::new();
    let mut names: HashMap<&str, (usize, &str)> = HashMap::new();
    for item in &catalog.items {
        let texts: Vec<String> = item
            .bases
            .iter()
            .filter_map(|b| {
                catalog
                    .laws
                    .get(b.law as usize)?
                    .article(b.r.article)
                    .map(|a| a.text())
            })
            .collect();
        let contains_any =
            |words: &[&str]| texts.iter().any(|t| words.iter().any(|w| t.contains(w)));
        let finding = match powerlist::model::TYPES.get(item.kind as usize).copied() {
            Some("行政处罚") if !texts.is_empty() && !contains_any(PENALTY_WORDS) => Some(format!(
                "lint: {} is a 行政处罚 but none of its cited articles sets a penalty ({}…); cite the article that sets the penalty",
                item.code,
                PENALTY_WORDS[..4].join("、")
            )),
            Some("行政强制") if !texts.is_empty() && !contains_any(COERCION_WORDS) => Some(format!(
                "lint: {} is a 行政强制 but none of its cited articles sets a coercive measure ({}…); cite the article that sets it",
                item.code,
                COERCION_WORDS[..5].join("、")
            )),
            _ => None,
        };
        if let Some(message) = finding {
            out.push(Diagnostic {
                file: file.clone(),
                line: item.line,
                message,
                warning: true,
                sheet: sheet.clone(),
            });
        }
        out.extend(superseded_laws(catalog, item).map(|law| Diagnostic {
            file: file.clone(),
            line: item.line,
            message: superseded_message(&item.code, law),
            warning: true,
            sheet: sheet.clone(),
        }));
        if let Some((line, code)) =
            names.insert(item.name.as_str(), (item.line, item.code.as_str()))
        {
            out.push(Diagnostic {
                file: file.clone(),
                line: item.line,
                message: format!(
                    "lint: {} has the same name as {code} (line {line}); give each power one item, or make the names say how they differ",
                    item.code
                ),
                warning: true,
                sheet: sheet.clone(),
            });
        }
    }
    let at = |item: &crate::catalog::Item, message| Diagnostic {
        file: file.clone(),
        line: item.line,
        message,
        warning: true,
        sheet: sheet.clone(),
    };
    for (i, message) in measures::township_measures(catalog) {
        out.push(at(&catalog.items[i], message));
    }
    let mut penalties = statute::Departments::new(&catalog.laws, PENALTY_WORDS);
    let mut coercions = statute::Departments::new(&catalog.laws, COERCION_WORDS);
    for item in &catalog.items {
        let check = match powerlist::model::TYPES.get(item.kind as usize).copied() {
            Some("行政处罚") => &mut penalties,
            Some("行政强制") => &mut coercions,
            _ => continue,
        };
        if let Some(message) = check.finding(item) {
            out.push(at(item, message));
        }
    }
    out
}

/// The laws `item` cites whose text has been superseded, each once, in citation order.
fn superseded_laws<'a>(
    catalog: &'a Catalog,
    item: &crate::catalog::Item,
) -> impl Iterator<Item = &'a powerlist::law::Law> {
    let mut seen = Vec::new();
    for b in &item.bases {
        if !seen.contains(&b.law) {
            seen.push(b.law);
        }
    }
    seen.into_iter()
        .filter_map(|l| catalog.laws.get(l as usize))
        .filter(|l| l.superseded.is_some())
}

/// `SJ-CF-001 rests on 《…》（2013年修正）, superseded by the text of 2025-04-30: …`.
fn superseded_message(code: &str, law: &powerlist::law::Law) -> String {
    let version = law
        .version
        .as_ref()
        .map(|v| format!("（{}）", v.label))
        .unwrap_or_default();
    let date = law.superseded.as_ref().map_or("", |s| s.date.as_str());
    format!(
        "{code} rests on 《{}》{version}, superseded by the text of {date}: check its citations against the new text",
        law.title
    )
}

/// For each law whose text has been superseded, in the catalog's law order: the law's index
/// and the codes of the items citing it (what the warnings of [`lint`] list one by one).
pub fn superseded_uses(catalog: &Catalog) -> Vec<(usize, Vec<&str>)> {
    let mut out: Vec<(usize, Vec<&str>)> = catalog
        .laws
        .iter()
        .enumerate()
        .filter(|(_, l)| l.superseded.is_some())
        .map(|(i, _)| (i, Vec::new()))
        .collect();
    for item in &catalog.items {
        for (law, codes) in &mut out {
            if item.bases.iter().any(|b| b.law as usize == *law) {
                codes.push(item.code.as_str());
            }
        }
    }
    out
}
