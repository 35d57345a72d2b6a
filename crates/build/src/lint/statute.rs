//! Department against statute: the body an item's penalty (or coercion) article names as the one
//! that acts, and the family of departments that body belongs to today.
//!
//! An article names its body in two ways: `由县级以上地方人民政府城乡规划主管部门责令停止建设…`
//! (a `由` phrase, the body running up to the verb that follows it) and
//! `乡级人民政府可以依照前款规定处罚` (a body opening a clause, then 可以/应当/有权 and a verb).
//! The body's family comes from [`FAMILIES`], which maps the names laws use, old ones
//! included, to today's departments. An article names its body *clearly* only when every body
//! it names is of one known family and none is a choice or a group (`或者`, `会同`, `等部门`,
//! `有关部门`, `确定的`, `原发证机关`…); the people's government itself (`由县级以上人民政府
//! 责令关闭`) names no department and is passed over, and so are the public security organs'
//! 治安管理处罚 and the disciplinary 处分 that many articles add.

use std::collections::HashMap;

use powerlist::citation::ArticleRef;
use powerlist::law::Law;

use crate::catalog::{Basis, Item};

/// The names laws give bodies, by a word they contain, and the family of today's departments
/// each belongs to: the longest word found decides. Sources:
///
/// * 2018 国务院机构改革方案 (approved by the 13th NPC's first session, 2018-03-17): 自然资源部
///   took over 国土资源部 and 住房和城乡建设部's 城乡规划管理; 生态环境部 环境保护部; 农业农村部
///   农业部; 文化和旅游部 文化部 and 国家旅游局; 国家卫生健康委员会 国家卫生和计划生育委员会;
///   应急管理部 国家安全生产监督管理总局 and 公安部's 消防管理 (today 消防救援机构, a body of its
///   own); 国家市场监督管理总局 国家工商行政管理总局, 国家质量监督检验检疫总局, 国家食品药品监督
///   管理总局, and price supervision (价格监督检查) from 国家发展和改革委员会.
/// * 深化党和国家机构改革方案 (2018), 深化行政执法体制改革: one 文化市场综合执法 team for 文化、
///   文物、出版、广播电视、电影、旅游; one 市场监管 team for 工商、质检、食品、药品、物价、商标、专利;
///   one 交通运输 team for 路政、运政; one 农业 team for 兽医兽药、生猪屠宰、种子、化肥、农药、
///   农机、农产品质量.
/// * 2008 国务院机构改革方案: 人力资源和社会保障部 (人事部 and 劳动和社会保障部: 劳动行政,
///   劳动保障行政, 社会保险行政), 住房和城乡建设部 (建设部: 建设行政, 房地产), 交通运输部 (交通部).
/// * 城市管理: 中共中央 国务院关于深入推进城市执法体制改革改进城市管理工作的指导意见
///   (中发〔2015〕37号) puts 市容环境卫生 with the city management department.
///
/// Bodies whose department differs from place to place (城镇排水, 燃气, 市政工程, 城市绿化,
/// 人民防空, 林业) are not listed: an article naming them names no known family.
pub const FAMILIES: &[(&str, &str)] = &[
    // 2018: 自然资源部 (国土资源部; 城乡规划 from 住房和城乡建设部; 测绘).
    ("自然资源", "自然资源"),
    ("国土资源", "自然资源"),
    ("国土", "自然资源"),
    ("土地行政", "自然资源"),
    ("城乡规划", "自然资源"),
    ("规划行政", "自然资源"),
    ("规划主管", "自然资源"),
    ("地质矿产", "自然资源"),
    ("测绘", "自然资源"),
    // 2018: 国家市场监督管理总局.
    ("市场监督管理", "市场监督管理"),
    ("市场监管", "市场监督管理"),
    ("工商行政管理", "市场监督管理"),
    ("质量技术监督", "市场监督管理"),
    ("产品质量监督", "市场监督管理"),
    ("食品药品监督管理", "市场监督管理"),
    ("食品安全监督管理", "市场监督管理"),
    ("药品监督管理", "市场监督管理"),
    ("特种设备安全监督管理", "市场监督管理"),
    ("价格主管", "市场监督管理"),
    ("标准化行政", "市场监督管理"),
    ("计量行政", "市场监督管理"),
    ("认证认可", "市场监督管理"),
    ("知识产权", "市场监督管理"),
    ("专利行政", "市场监督管理"),
    // 2018: 生态环境部 (环境保护部).
    ("生态环境", "生态环境"),
    ("环境保护", "生态环境"),
    // 2018: 应急管理部 (国家安全生产监督管理总局); 消防救援机构 (公安消防 until 2018).
    ("应急管理", "应急管理"),
    ("安全生产监督管理", "应急管理"),
    ("消防救援", "消防救援"),
    ("消防机构", "消防救援"),
    // 2018: 农业农村部 (农业部), and the 农业 enforcement team.
    ("农业农村", "农业农村"),
    ("农业", "农业农村"),
    ("畜牧兽医", "农业农村"),
    ("兽医", "农业农村"),
    ("渔业", "农业农村"),
    ("农机", "农业农村"),
    ("植物检疫", "农业农村"),
    // 2018: 文化和旅游部 (文化部, 国家旅游局), and the 文化市场 enforcement team.
    ("文化旅游", "文化和旅游"),
    ("文化", "文化和旅游"),
    ("旅游", "文化和旅游"),
    ("文物", "文化和旅游"),
    ("出版", "文化和旅游"),
    ("广播电视", "文化和旅游"),
    ("电影", "文化和旅游"),
    // 2018: 国家卫生健康委员会 (国家卫生和计划生育委员会).
    ("卫生健康", "卫生健康"),
    ("卫生计划生育", "卫生健康"),
    ("卫生行政", "卫生健康"),
    ("卫生主管", "卫生健康"),
    ("疾病预防控制", "卫生健康"),
    // 2008: 人力资源和社会保障部.
    ("人力资源社会保障", "人力资源社会保障"),
    ("劳动行政", "人力资源社会保障"),
    ("劳动保障", "人力资源社会保障"),
    ("社会保险行政", "人力资源社会保障"),
    // 2008: 交通运输部, and the 交通运输 enforcement team (路政, 运政).
    ("交通运输", "交通运输"),
    ("交通主管", "交通运输"),
    ("交通行政", "交通运输"),
    ("公路管理", "交通运输"),
    ("道路运输管理", "交通运输"),
    // 水利.
    ("水行政", "水利"),
    ("水利", "水利"),
    ("水务", "水利"),
    // 2008: 住房和城乡建设部 (建设部).
    ("住房城乡建设", "住房城乡建设"),
    ("建设行政", "住房城乡建设"),
    ("建设主管", "住房城乡建设"),
    ("房地产", "住房城乡建设"),
    ("房产管理", "住房城乡建设"),
    // 中发〔2015〕37号: 城市管理 (市容环境卫生).
    ("城市管理", "城市管理"),
    ("综合行政执法", "城市管理"),
    ("市容环境卫生", "城市管理"),
    ("环境卫生主管", "城市管理"),
    ("环境卫生行政", "城市管理"),
    // 公安 (公安机关交通管理部门 included).
    ("公安", "公安"),
    ("交通管理", "公安"),
    ("民政", "民政"),
    ("教育", "教育"),
    ("烟草专卖", "烟草专卖"),
    ("风景名胜区管理", "风景名胜区管理机构"),
    ("乡级人民政府", "乡镇人民政府"),
    ("乡、镇人民政府", "乡镇人民政府"),
    ("乡镇人民政府", "乡镇人民政府"),
    ("镇人民政府", "乡镇人民政府"),
    ("街道办事处", "乡镇人民政府"),
];

/// Departments whose family exercises others' penalties by law (相对集中行政处罚权,
/// 行政处罚法第十八条; 中发〔2015〕37号): an item of theirs may cite any body.
const CONCENTRATED: &[&str] = &["城市管理"];

/// What ends a body's name.
const SUFFIXES: &[&str] = &["部门", "机关", "机构", "人民政府", "办事处", "单位"];

/// What follows a body in a `由` phrase: the act, or how it acts.
const VERBS: &[&str] = &[
    "责令", "给予", "处", "依法", "依照", "按照", "依据", "根据", "没收", "予以", "吊销", "暂扣",
    "采取", "收缴", "对", "进行", "决定", "撤销", "扣押", "查封", "责成", "强制", "代为", "指定",
    "可以", "应当", "有权", "组织", "实施", "作出", "通知", "注销", "降低", "限期", "令其",
];

/// What follows a body opening a clause (after 可以, 应当 or 有权, if any).
const CLAUSE_VERBS: &[&str] = &["依照", "责令", "处", "给予", "没收", "吊销", "予以"];

/// A body that is a choice or a group, or not named at all.
const NOT_ONE: &[&str] = &[
    "或", "和", "及", "与", "会同", "、", "等", "有关", "其他", "指定", "确定", "授权", "委托",
    "其", "负有", "所在", "上级", "原",
];

/// Names with 和 that name one body (`住房和城乡建设`), written without it first.
const WITH_HE: &[(&str, &str)] = &[
    ("住房和城乡建设", "住房城乡建设"),
    ("文化和旅游", "文化旅游"),
    ("人力资源和社会保障", "人力资源社会保障"),
    ("卫生和计划生育", "卫生计划生育"),
];

/// The family of departments a body's name belongs to (see [`FAMILIES`]); `None` when it is
/// not known, or is a choice or a group.
pub fn family(name: &str) -> Option<&'static str> {
    let mut name = name.to_string();
    for (long, short) in WITH_HE {
        name = name.replace(long, short);
    }
    if NOT_ONE.iter().any(|w| name.contains(w)) {
        return None;
    }
    FAMILIES
        .iter()
        .filter(|(word, _)| name.contains(word))
        .max_by_key(|(word, _)| word.len())
        .map(|(_, f)| *f)
}

/// What a body's name says: a department family, the government itself (no department), or
/// not clearly one known body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    /// One department of this family (or the township government: `乡镇人民政府`).
    Family(&'static str),
    /// The people's government above the township, which names no department.
    Government,
    /// A choice, a group, or a body of no known family.
    Unclear,
}

/// What the body `name` an article gives says: the department after the government that
/// runs it (`城市、县人民政府城乡规划主管部门` is a 城乡规划 department), a township
/// government, or the government itself.
pub fn named(name: &str) -> Named {
    let township = [
        "乡级人民政府",
        "乡、镇人民政府",
        "乡镇人民政府",
        "镇人民政府",
        "乡人民政府",
    ];
    if township.iter().any(|t| name == *t || name.ends_with(t)) && !name.contains("县") {
        return Named::Family("乡镇人民政府");
    }
    let after = match name.rfind("人民政府") {
        Some(i) => &name[i + "人民政府".len()..],
        None => name,
    };
    if after.is_empty() {
        return Named::Government;
    }
    family(after).map_or(Named::Unclear, Named::Family)
}

/// The bodies `text` names as acting: `由` phrases and bodies that open a clause, each as the
/// article writes it. Bodies that are only `…单位` (the violator's own, a contractor) are not
/// acting bodies and are left out.
pub fn named_bodies(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for clause in text.split(['，', '。', '；', '：', '\n']) {
        for (i, _) in clause.match_indices('由') {
            let rest = &clause[i + '由'.len_utf8()..];
            // The next 由 starts another phrase.
            let seg = rest.find('由').map_or(rest, |j| &rest[..j]);
            if seg.contains("治安管理处罚") || seg.contains("处分") {
                continue;
            }
            if let Some(body) = body_before(seg, VERBS) {
                out.push(body);
            }
        }
        let aside = clause.contains("治安管理处罚") || clause.contains("处分");
        if let Some(body) = clause_subject(clause).filter(|_| !aside) {
            out.push(body);
        }
    }
    out.retain(|b| SUFFIXES[..5].iter().any(|s| b.contains(s)));
    out
}

/// The body at the start of `seg`: the shortest stretch ending in a [`SUFFIXES`] word that a
/// word of `verbs` follows.
fn body_before<'a>(seg: &'a str, verbs: &[&str]) -> Option<&'a str> {
    let mut ends: Vec<usize> = SUFFIXES
        .iter()
        .flat_map(|s| seg.match_indices(s).map(|(i, s)| i + s.len()))
        .collect();
    ends.sort_unstable();
    ends.into_iter()
        .filter(|&e| e <= 40 * 3)
        .find(|&e| verbs.iter().any(|v| seg[e..].starts_with(v)))
        .map(|e| &seg[..e])
}

/// A body opening `clause` and acting: `乡级人民政府可以依照前款规定处罚`.
fn clause_subject(clause: &str) -> Option<&str> {
    let clause = clause.trim_start();
    let body = body_before(clause, &["可以", "应当", "有权", "依法"])
        .or_else(|| body_before(clause, CLAUSE_VERBS))?;
    let rest = clause[body.len()..]
        .trim_start_matches("可以")
        .trim_start_matches("应当")
        .trim_start_matches("有权")
        .trim_start_matches("依法");
    let acts = CLAUSE_VERBS.iter().any(|v| rest.starts_with(v));
    (acts && !body.contains('的') && !body.contains('由')).then_some(body)
}

/// The text a basis points at, for finding the body: the cited paragraph with its items (the
/// body is in the paragraph, before its items), else the whole article. `None` when the
/// article does not exist.
pub fn cited_scope(law: &Law, b: &Basis) -> Option<String> {
    let a = law.article(b.r.article)?;
    let Some(pos) = a.cited_position(b.r.paragraph, b.r.item) else {
        return Some(a.text());
    };
    let p = a.paragraphs.get(pos.paragraph)?;
    let mut s = p.text.clone();
    for it in &p.items {
        s.push('\n');
        s.push_str(it);
    }
    Some(s)
}

/// The bodies one cited provision names as acting, each as [`named`] reads it; `None` when its
/// article holds none of the words looked for (not a penalty or coercion article).
type Bodies = Option<Vec<(Named, String)>>;

/// The department check over a catalog ([`Departments::finding`]): each cited provision and
/// each department is read once, however many items share it.
pub struct Departments<'a> {
    laws: &'a [Law],
    /// The words that make an article the one to read (penalties, or coercion).
    words: &'a [&'a str],
    scopes: HashMap<(u16, ArticleRef), Bodies>,
    departments: HashMap<String, Named>,
}

impl<'a> Departments<'a> {
    /// The check for items whose acting body is named by an article holding one of `words`.
    pub fn new(laws: &'a [Law], words: &'a [&'a str]) -> Departments<'a> {
        Departments {
            laws,
            words,
            scopes: HashMap::new(),
            departments: HashMap::new(),
        }
    }

    /// What basis `b` names (cached).
    fn bodies(&mut self, b: &Basis) -> &Bodies {
        let (laws, words) = (self.laws, self.words);
        self.scopes.entry((b.law, b.r)).or_insert_with(|| {
            let law = laws.get(b.law as usize)?;
            let whole = law.article(b.r.article)?.text();
            if !words.iter().any(|w| whole.contains(w)) {
                return None;
            }
            let scope = cited_scope(law, b)?;
            let list = named_bodies(&scope)
                .into_iter()
                .map(|body| (named(body), body.to_string()))
                .collect();
            Some(list)
        })
    }

    /// The one body an item's cited articles name, when they name one clearly: the bases whose
    /// article holds one of the words (the penalty or coercion articles), the bodies named in
    /// what they cite. `(family, the body as written, the citation)`.
    pub fn statute_body(&mut self, item: &Item) -> Option<(&'static str, String, String)> {
        let laws = self.laws;
        let mut found: Option<(&'static str, String, String)> = None;
        for b in &item.bases {
            let Some(list) = self.bodies(b) else {
                continue;
            };
            for (n, body) in list {
                match *n {
                    Named::Government => {}
                    Named::Unclear => return None,
                    Named::Family(f) => match &found {
                        Some((g, _, _)) if *g != f => return None,
                        Some(_) => {}
                        None => {
                            let title = laws.get(b.law as usize).map_or("", |l| l.title.as_str());
                            let cite = format!("《{title}》{}", b.r.display());
                            found = Some((f, body.clone(), cite));
                        }
                    },
                }
            }
        }
        found
    }

    /// The finding for `item` whose department's family is not the one its articles name, if so.
    pub fn finding(&mut self, item: &Item) -> Option<String> {
        let own = *self
            .departments
            .entry(item.department.clone())
            .or_insert_with(|| named(&item.department));
        let Named::Family(own) = own else {
            return None;
        };
        if CONCENTRATED.contains(&own) {
            return None;
        }
        let (theirs, body, cite) = self.statute_body(item)?;
        (theirs != own).then(|| {
            let (code, dept) = (&item.code, &item.department);
            format!(
                "lint: {code}'s department (实施主体) {dept} differs from the body its basis names: {cite} names {body} (today: {theirs}), not {own}; flagged for review: unless a local decision (机构改革, 相对集中行政处罚权) gives the power to {dept}, correct the department"
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_names_map_to_todays_departments() {
        assert_eq!(family("城乡规划主管部门"), Some("自然资源"));
        assert_eq!(family("工商行政管理部门"), Some("市场监督管理"));
        assert_eq!(family("安全生产监督管理部门"), Some("应急管理"));
        assert_eq!(family("环境保护主管部门"), Some("生态环境"));
        assert_eq!(family("县级住房城乡建设部门"), Some("住房城乡建设"));
        assert_eq!(family("住房和城乡建设主管部门"), Some("住房城乡建设"));
        assert_eq!(family("劳动保障行政部门"), Some("人力资源社会保障"));
        // The longest word decides: 环境卫生 is not 卫生健康, 交通管理 is the police.
        assert_eq!(family("市容环境卫生行政主管部门"), Some("城市管理"));
        assert_eq!(family("公安机关交通管理部门"), Some("公安"));
        assert_eq!(family("公安机关消防机构"), Some("消防救援"));
        // Choices, groups, and bodies of no known family.
        assert_eq!(family("水行政主管部门或者流域管理机构"), None);
        assert_eq!(family("文化行政部门会同公安机关"), None);
        assert_eq!(family("生态环境等主管部门"), None);
        assert_eq!(family("原发证机关"), None);
        assert_eq!(family("城镇排水主管部门"), None);
    }

    #[test]
    fn what_a_body_names() {
        assert_eq!(
            named("城市、县人民政府城乡规划主管部门"),
            Named::Family("自然资源")
        );
        assert_eq!(named("县级以上地方人民政府"), Named::Government);
        assert_eq!(named("乡级人民政府"), Named::Family("乡镇人民政府"));
        assert_eq!(named("乡镇人民政府"), Named::Family("乡镇人民政府"));
        assert_eq!(
            named("县级以上地方人民政府确定的监督管理部门"),
            Named::Unclear
        );
    }

    #[test]
    fn bodies_an_article_names() {
        let t = "违反本条例规定，在历史文化名城、名镇、名村保护范围内有下列行为之一的，由城市、县人民政府城乡规划主管部门责令停止违法行为、限期恢复原状或者采取其他补救措施；有违法所得的，没收违法所得；逾期不恢复原状或者不采取其他补救措施的，城乡规划主管部门可以指定有能力的单位代为恢复原状或者采取其他补救措施，所需费用由违法者承担：";
        assert_eq!(named_bodies(t), ["城市、县人民政府城乡规划主管部门"]);
        let t = "农村居民未经批准或者违反规划的规定建住宅的，乡级人民政府可以依照前款规定处罚。";
        assert_eq!(named_bodies(t), ["乡级人民政府"]);
        // A choice stays whole (then it is no one body); the police's 治安管理处罚 is left out.
        let t = "由县级以上地方人民政府水行政主管部门或者流域管理机构依据职权，责令停止违法行为，处一万元以上五万元以下的罚款；违反治安管理处罚法的，由公安机关依法给予治安管理处罚；";
        assert_eq!(
            named_bodies(t),
            ["县级以上地方人民政府水行政主管部门或者流域管理机构"]
        );
        // A contractor is not an acting body; 由此 names none.
        let t = "由具备相应资质条件的单位进行无害化处理，所需费用由违法行为人承担，由此造成的损失";
        assert!(named_bodies(t).is_empty());
        assert_eq!(named_bodies("由街道办事处责令改正"), ["街道办事处"]);
    }
}
