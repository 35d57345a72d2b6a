//! Catalog lint: findings that are not errors but that a catalog maintainer must look at.
//!
//! * a 行政处罚 item none of whose cited articles contains a penalty (行政处罚法 第九条: 警告、
//!   通报批评、罚款、没收、暂扣、降低资质等级、吊销、限制开展生产经营活动、责令停产停业、责令关闭、限制从业、拘留);
//! * a 行政强制 item none of whose cited articles contains a coercive measure or enforcement
//!   (行政强制法 第九条、第十二条: 查封、扣押、冻结、强制拆除、代履行、划拨、拍卖、加处罚款…);
//! * an item with no legal basis (reported while reading);
//! * two items with the same name;
//! * an item citing a law whose file declares that a newer text has replaced it
//!   (`已被修订：2025-04-30`): once per item and law, so the maintainer has the list of items
//!   whose citations must be checked against the new text ([`superseded_uses`]).
//!
//! Findings are warnings: `build` prints them and still writes the index.

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

/// Runs the lint over a validated catalog.
pub fn lint(catalog: &Catalog) -> Vec<Diagnostic> {
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
