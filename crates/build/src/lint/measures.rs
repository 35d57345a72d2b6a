//! Coercive measures in townships (行政强制法第十七条): "行政强制措施由法律、法规规定的行政机关在
//! 法定职权范围内实施。行政强制措施权不得委托。依据《中华人民共和国行政处罚法》的规定行使相对
//! 集中行政处罚权的行政机关，可以实施法律、法规规定的与行政处罚权有关的行政强制措施。"
//!
//! A township holds a coercive measure lawfully when a law names it, or when it was given the
//! penalty power the measure serves (赋权 under 行政处罚法第二十四条, 相对集中行政处罚权 under
//! 第十八条) and holds that penalty too. So, for an item that is a coercive measure:
//!
//! * a township assignment by 委托 is flagged (the power cannot be entrusted);
//! * a township assignment whose mode does not say the power was transferred (empty, or a word
//!   other than 赋权, 交由, 下放, 相对集中, 授权) is flagged;
//! * a township holding it by such a mode without any 行政处罚 item citing the same law is
//!   flagged (the measure must go with the penalty it serves);
//! * an item marked 乡级 that no assignment gives to a township is flagged.
//!
//! The last three are not flagged when the cited articles themselves name the township
//! government as the acting body (then a law gives it the measure).
//!
//! Which items are coercive measures (行政强制措施, 第九条), not coercive enforcement
//! (行政强制执行, 第十二条: 加处罚款、划拨、拍卖、排除妨碍、恢复原状、代履行…): a 行政强制 item
//! whose name names an enforcement is enforcement; else one whose name names a measure
//! ([`MEASURE_WORDS`]) is a measure; else its cited articles decide (measure words and no
//! enforcement words). An item of another type (not 行政处罚) whose name says 取缔 counts as a
//! measure too: 取缔 stops an unlicensed activity on the spot, by closing the place and taking
//! the tools (查封、扣押) — in substance the measures of 第九条, whatever the list calls it.

use std::collections::{HashMap, HashSet};

use crate::catalog::Catalog;

/// Words that name a coercive measure (行政强制法第九条: 限制公民人身自由、查封、扣押、冻结, and
/// the measures of other laws: 扣留、暂扣、封存、封闭、隔离).
pub const MEASURE_WORDS: &[&str] = &[
    "限制人身自由",
    "限制公民人身自由",
    "查封",
    "扣押",
    "冻结",
    "扣留",
    "暂扣",
    "封存",
    "封闭",
    "隔离",
];

/// Words that name a coercive enforcement (行政强制法第十二条).
pub const ENFORCEMENT_WORDS: &[&str] = &[
    "加处罚款",
    "滞纳金",
    "划拨",
    "拍卖",
    "排除妨碍",
    "恢复原状",
    "代履行",
    "代为",
    "拆除",
    "强制执行",
];

/// Modes that say the township was given the power itself.
const TRANSFER: &[&str] = &["赋权", "交由", "下放", "相对集中", "授权"];

/// Why item `item` is a coercive measure: the word that shows it; `None` when it is not one
/// (or cannot be told).
pub fn measure_word(catalog: &Catalog, item: usize) -> Option<&'static str> {
    let it = catalog.items.get(item)?;
    let kind = powerlist::model::TYPES.get(it.kind as usize).copied();
    if kind != Some("行政强制") {
        return (kind != Some("行政处罚") && it.name.contains("取缔")).then_some("取缔");
    }
    let first =
        |text: &str, words: &[&'static str]| words.iter().copied().find(|w| text.contains(w));
    if first(&it.name, ENFORCEMENT_WORDS).is_some() {
        return None;
    }
    if let Some(w) = first(&it.name, MEASURE_WORDS) {
        return Some(w);
    }
    let texts: Vec<String> = it
        .bases
        .iter()
        .filter_map(|b| catalog.laws.get(b.law as usize)?.article(b.r.article))
        .map(|a| a.text())
        .collect();
    let any = |words| texts.iter().find_map(|t| first(t, words));
    match (any(MEASURE_WORDS), any(ENFORCEMENT_WORDS)) {
        (Some(w), None) => Some(w),
        _ => None,
    }
}

/// How a township holds an item, from the assignment's mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Hold {
    /// 委托: forbidden for coercive measures.
    Entrusted,
    /// 赋权 and the like, but no penalty of the same law there.
    Alone,
    /// No mode, or one that does not say the power was transferred.
    Unstated,
}

/// A township (9-digit division code: 统计用区划代码's township level).
fn township(catalog: &Catalog, region: u32) -> bool {
    catalog
        .regions
        .get(region as usize)
        .is_some_and(|r| r.code.len() == 9 && r.code.bytes().all(|b| b.is_ascii_digit()))
}

/// The findings of 行政强制法第十七条: `(item index, message)`.
pub fn township_measures(catalog: &Catalog) -> Vec<(usize, String)> {
    let measures: HashMap<usize, &'static str> = (0..catalog.items.len())
        .filter_map(|i| Some((i, measure_word(catalog, i)?)))
        .filter(|&(i, _)| !named_township(catalog, i))
        .collect();
    if measures.is_empty() {
        return Vec::new();
    }
    let held = penalty_laws_held(catalog, &measures);
    let laws_of = |item: usize| catalog.items[item].bases.iter().map(|b| b.law);
    // Per measure and kind of holding: how many townships, and the first.
    let mut found: HashMap<(usize, Hold), (usize, usize)> = HashMap::new();
    let mut in_townships: HashSet<usize> = HashSet::new();
    for (n, a) in catalog.assignments.iter().enumerate() {
        let item = a.item as usize;
        if !measures.contains_key(&item) || !township(catalog, a.region) {
            continue;
        }
        in_townships.insert(item);
        let hold = if a.mode.contains("委托") {
            Hold::Entrusted
        } else if !TRANSFER.iter().any(|w| a.mode.contains(w)) {
            Hold::Unstated
        } else if !laws_of(item).any(|law| held.contains(&key(a.region, law))) {
            Hold::Alone
        } else {
            continue;
        };
        found.entry((item, hold)).or_insert((0, n)).0 += 1;
    }
    let mut out: Vec<(usize, String)> = found
        .into_iter()
        .map(|((item, hold), (count, first))| {
            (
                item,
                message(catalog, item, measures[&item], hold, count, first),
            )
        })
        .collect();
    let township_bit = powerlist::model::level_bit("乡级").unwrap_or(0);
    for (&item, &word) in &measures {
        let it = &catalog.items[item];
        if it.levels & township_bit != 0 && !in_townships.contains(&item) {
            out.push((item, format!(
                "lint: {} is a coercive measure (行政强制措施: {word}) marked 乡级, but no assignment gives it to a township; 行政强制法第十七条: only the body a law or regulation names, or one given the related penalty power (赋权, 相对集中行政处罚权), takes coercive measures, and 行政强制措施权不得委托: assign it to the townships by 赋权 together with the related penalty power, or remove 乡级 from its level (行使层级)",
                it.code
            )));
        }
    }
    out.sort();
    out
}

/// Whether item `item`'s cited articles name the township government as the acting body.
fn named_township(catalog: &Catalog, item: usize) -> bool {
    let it = &catalog.items[item];
    it.bases.iter().any(|b| {
        let Some(law) = catalog.laws.get(b.law as usize) else {
            return false;
        };
        super::statute::cited_scope(law, b).is_some_and(|text| {
            super::statute::named_bodies(&text).into_iter().any(|body| {
                super::statute::named(body) == super::statute::Named::Family("乡镇人民政府")
            })
        })
    })
}

/// A township and a law, as one key.
fn key(region: u32, law: u16) -> u64 {
    (u64::from(region) << 16) | u64::from(law)
}

/// The townships that hold a 行政处罚 item of a law some measure cites, with that law (as
/// [`key`]s): one pass over the assignments, whatever the catalog's size.
fn penalty_laws_held(catalog: &Catalog, measures: &HashMap<usize, &'static str>) -> HashSet<u64> {
    let cited: HashSet<u16> = measures
        .keys()
        .flat_map(|&m| catalog.items[m].bases.iter().map(|b| b.law))
        .collect();
    let penalty = powerlist::model::type_index("行政处罚");
    let laws: Vec<Vec<u16>> = catalog
        .items
        .iter()
        .map(|it| {
            let mut l: Vec<u16> = it.bases.iter().map(|b| b.law).collect();
            l.retain(|law| Some(it.kind) == penalty && cited.contains(law));
            l.dedup();
            l
        })
        .collect();
    let mut held = HashSet::new();
    for a in &catalog.assignments {
        let Some(l) = laws.get(a.item as usize).filter(|l| !l.is_empty()) else {
            continue;
        };
        if township(catalog, a.region) {
            held.extend(l.iter().map(|&law| key(a.region, law)));
        }
    }
    held
}

/// The message for `count` townships holding measure `item` (shown by `word`) as `hold`, the
/// assignment `first` the first of them.
fn message(
    catalog: &Catalog,
    item: usize,
    word: &str,
    hold: Hold,
    count: usize,
    first: usize,
) -> String {
    let code = &catalog.items[item].code;
    let a = &catalog.assignments[first];
    let region = catalog
        .regions
        .get(a.region as usize)
        .map_or(String::new(), |r| format!("{} {}", r.code, r.name));
    let example = format!("{region}: {}", a.body);
    let mode = if a.mode.is_empty() {
        "no mode".to_string()
    } else {
        format!("mode {}", a.mode)
    };
    let head = format!("lint: {code} is a coercive measure (行政强制措施: {word})");
    match hold {
        Hold::Entrusted => format!(
            "{head} and {count} township(s) hold it by 委托 (first: {example}); 行政强制法第十七条: 行政强制措施权不得委托: give it by 赋权 (or 相对集中行政处罚权) together with the related penalty power, or keep it with the county"
        ),
        Hold::Unstated => format!(
            "{head} and {count} township(s) hold it without saying the power was given to them (first: {example}, {mode}); 行政强制法第十七条 lets only the body a law or regulation names, or one given the related penalty power, take coercive measures, and forbids 委托: write 赋权 in the mode column (方式) if the township was given the power, else keep it with the county"
        ),
        Hold::Alone => format!(
            "{head} and {count} township(s) hold it by {} without any 行政处罚 item of the same law (first: {example}); 行政强制法第十七条第二款 lets a body given penalty power take only the coercive measures related to that power: assign the related penalty too, or keep the measure with the county",
            a.mode
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{SourceFile, Sources};

    /// A law made up for the test: a measure, an enforcement, a penalty.
    const LAW: &str = "# 示例条例\n\n第一条 违反本条例的，由县级以上人民政府示例主管部门查封场所、扣押财物。\n\n\
        第二条 逾期不拆除的，由示例主管部门代为拆除。\n\n第三条 违反本条例的，由示例主管部门处一万元以下的罚款。\n";

    fn catalog(items: &str, assignments: Option<&str>) -> Catalog {
        let regions = "code,name,parent\n321202,海陵区,\n321202001,城东街道,321202\n";
        Catalog::compile(&Sources {
            items: SourceFile::new(
                "items.csv",
                format!("code,name,type,field,level,department,basis\n{items}"),
            ),
            regions: assignments.map(|_| SourceFile::new("regions.csv", regions)),
            assignments: assignments
                .map(|a| SourceFile::new("assignments.csv", format!("item,region,body,mode\n{a}"))),
            bodies: None,
            laws: vec![SourceFile::new("laws/示例条例.md", LAW)],
        })
        .expect("valid")
    }

    #[test]
    fn measures_are_told_from_enforcements_by_name_then_by_article() {
        let c = catalog(
            "A-1,查封场所,行政强制,示例,县级,示例部门,《示例条例》第一条\n\
             A-2,拍卖查封的财物,行政强制,示例,县级,示例部门,《示例条例》第一条\n\
             A-3,对违法行为的强制措施,行政强制,示例,县级,示例部门,《示例条例》第一条\n\
             A-4,对违法行为的强制措施（执行）,行政强制,示例,县级,示例部门,《示例条例》第一条、第二条\n\
             A-5,对擅自经营的取缔,其他行政权力,示例,县级,示例部门,《示例条例》第三条\n\
             A-6,对被取缔后继续经营的行政处罚,行政处罚,示例,县级,示例部门,《示例条例》第三条\n",
            None,
        );
        let words: Vec<_> = (0..6).map(|i| measure_word(&c, i)).collect();
        assert_eq!(
            words,
            [Some("查封"), None, Some("查封"), None, Some("取缔"), None]
        );
    }

    #[test]
    fn a_township_needs_the_power_and_the_penalty_it_serves() {
        let items = "A-1,查封场所,行政强制,示例,县级；乡级,示例部门,《示例条例》第一条\n\
                     P-1,对违法行为的行政处罚,行政处罚,示例,县级；乡级,示例部门,《示例条例》第三条\n";
        let found = |a: &str| -> Vec<String> {
            township_measures(&catalog(items, Some(a)))
                .into_iter()
                .map(|(i, m)| format!("{i}: {m}"))
                .collect()
        };
        let both = "A-1,321202001,城东街道综合行政执法局,赋权\nP-1,321202001,城东街道综合行政执法局,赋权\n";
        assert!(found(both).is_empty());
        let both = "A-1,321202001,城东街道综合行政执法局,交由乡镇行使\nP-1,321202001,城东街道综合行政执法局,交由乡镇行使\n";
        assert!(found(both).is_empty(), "行政处罚法第二十四条's own word");
        let f = found("A-1,321202001,城东街道综合行政执法局,赋权\n");
        assert!(
            f.len() == 1 && f[0].contains("by 赋权 without any 行政处罚 item"),
            "{f:?}"
        );
        let f = found("A-1,321202001,城东街道综合行政执法局,委托\nP-1,321202001,城东街道综合行政执法局,委托\n");
        assert!(f.len() == 1 && f[0].contains("hold it by 委托"), "{f:?}");
        let f = found(
            "A-1,321202001,城东街道综合行政执法局,\nP-1,321202001,城东街道综合行政执法局,赋权\n",
        );
        assert!(f.len() == 1 && f[0].contains("no mode"), "{f:?}");
        // Held by the county only, though marked 乡级.
        let f = found("A-1,321202,海陵区示例局,\n");
        assert!(
            f.len() == 1 && f[0].contains("marked 乡级, but no assignment"),
            "{f:?}"
        );
    }
}
