//! Possible overlapping powers (多头执法、重复事项): items of one type that cite the same legal
//! provision and are exercised by different bodies in the same place, and items whose names are
//! nearly the same under different codes.
//!
//! **Shared provisions.** Two items *share a provision* when they have the same power type and
//! cite the same article. They share the *same unit* when both cite the same paragraph (款) and
//! item (项) of it (`第五十条第一款` and `第五十条第一款`; `第二十七条第（一）项` twice) — the
//! strongest sign of one power listed twice. Many 行政处罚 items legitimately cite one penalty
//! article that punishes several acts, so a shared article alone is reported as
//! [`Level::SameArticle`], below [`Level::SameUnit`]. Items of different types citing one
//! article (a licence and the penalty for acting without it) are never compared.
//!
//! **Same place.** For every region with assignments of its own, each item's handling body is
//! the nearest assignment up the region tree, else the item's department. A provision is
//! reported for the regions where its items have more than one body; items handled by one body
//! everywhere are not reported. A catalog without assignments compares departments.
//!
//! **Near-identical names.** Two items of one type under different codes whose *core names* are
//! equal, or whose core names' character-bigram Jaccard similarity is at least
//! [`NAME_SIMILARITY`]. The core name drops punctuation and spaces, a leading `对` and a trailing
//! type phrase (`的行政处罚`, `的行政检查`, `审批`…): `对擅自占用城市道路的行政处罚` → `擅自占用城市道路`.
//!
//! ```
//! assert_eq!(powerlist::overlaps::core_name("对擅自占用城市道路的行政处罚"), "擅自占用城市道路");
//! assert_eq!(powerlist::overlaps::core_name("临时占用城市道路审批"), "临时占用城市道路");
//! assert!(powerlist::overlaps::name_similarity(
//!     "对在人口集中地区焚烧沥青、油毡、橡胶、塑料、皮革、垃圾等产生有毒有害烟尘和恶臭气体的物质的行政处罚",
//!     "对在人口集中地区焚烧沥青、油毡、橡胶、塑料、皮革等产生有毒有害烟尘和恶臭气体的物质的行政处罚") >= 0.8);
//! ```

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::Serialize;

use crate::access::ItemFacts;
use crate::error::Error;
use crate::index::{BasisRecord, Index};

/// Core names at least this similar (character-bigram Jaccard) are near-identical. Tuned on the
/// sample catalog: at 0.8 it found the one real duplicate (two 焚烧 items differing by `垃圾`,
/// 0.89) and two reviewed pairs (0.82, 0.80; see data/README.md); lower thresholds mostly add
/// items that share a subject but punish different acts.
pub const NAME_SIMILARITY: f64 = 0.8;

/// How strongly a shared provision suggests one power held by several bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Same article, paragraph and item, same place, different bodies: likely 多头执法.
    SameUnit,
    /// Same article, different (or unspecified) paragraphs or items: usually one penalty
    /// article for several acts, legitimate unless the acts are the same.
    SameArticle,
}

/// An item taking part in an overlap, with its citation of the shared provision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverlapItem {
    /// Item code.
    pub code: String,
    /// Item name.
    pub name: String,
    /// How it cites the provision: `《城市道路管理条例》第二十七条第（一）项`.
    pub citation: String,
}

/// One body in a region and the items it handles there.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BodyItems {
    /// The handling body.
    pub body: String,
    /// The codes of the items it handles.
    pub items: Vec<String>,
}

/// The distinct bodies of one region.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionBodies {
    /// Region code (empty in a catalog without assignments).
    pub region: String,
    /// Region name.
    pub name: String,
    /// Two or more bodies.
    pub bodies: Vec<BodyItems>,
}

/// Items of one type sharing a provision, and the regions where different bodies hold them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProvisionOverlap {
    /// Same unit or same article.
    pub level: Level,
    /// The shared provision: the unit (`…第五十条第一款`) or the article (`…第五十条`).
    pub provision: String,
    /// The items' power type.
    #[serde(rename = "type")]
    pub kind: String,
    /// The items, by code.
    pub items: Vec<OverlapItem>,
    /// Regions where the items have more than one body, by region code.
    pub regions: Vec<RegionBodies>,
}

/// Items of one type with near-identical names under different codes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NameOverlap {
    /// The items' power type.
    #[serde(rename = "type")]
    pub kind: String,
    /// The two items, by code.
    pub items: Vec<crate::diff::ItemRef>,
    /// Bigram Jaccard similarity of their core names (1 when equal), two decimals.
    pub similarity: f64,
}

/// Counts of each kind of finding.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OverlapCounts {
    /// Provisions shared at the unit level.
    pub same_unit: usize,
    /// Provisions shared at the article level only.
    pub same_article: usize,
    /// Pairs of near-identical names.
    pub names: usize,
}

/// The overlap report of a catalog (or of one region and below).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overlaps {
    /// The region the report is limited to (code), if any.
    pub region: Option<String>,
    /// Counts.
    pub counts: OverlapCounts,
    /// Shared provisions: same-unit first, then by number of regions (most first), provision.
    pub provisions: Vec<ProvisionOverlap>,
    /// Near-identical names, most similar first: at most [`MAX_NAME_PAIRS`] of the
    /// [`OverlapCounts::names`] pairs.
    pub names: Vec<NameOverlap>,
}

/// Another item sharing provisions with the item asked about, as an item page lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SharedWith {
    /// The strongest sharing: same unit if any shared article is cited at the same unit.
    pub level: Level,
    /// The other item's code.
    pub code: String,
    /// The other item's name.
    pub name: String,
    /// The other item's citations of the articles both cite.
    pub provisions: Vec<String>,
    /// Who handles the other item in the region (else its department).
    pub handled_by: String,
    /// Whether that is the body handling this item there.
    pub same_body: bool,
}

/// An item with a near-identical name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimilarName {
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Core-name similarity, two decimals.
    pub similarity: f64,
}

/// Possible overlaps of one item, for its page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemOverlaps {
    /// The item's code.
    pub code: String,
    /// Who handles it in the region (else its department).
    pub handled_by: String,
    /// Items of the same type citing one of its articles, same-unit first.
    pub shared: Vec<SharedWith>,
    /// Items of the same type with near-identical names.
    pub similar: Vec<SimilarName>,
}

/// Punctuation and spaces dropped from core names.
const PUNCTUATION: &str = "（）()、，,。.；;：:“”\"‘’'《》<>〈〉·-—…【】[]！!？? \u{3000}";

/// Trailing type phrases dropped from core names, longest first.
const TYPE_SUFFIXES: [&str; 17] = [
    "的行政强制措施",
    "的行政处罚",
    "的行政检查",
    "的行政强制",
    "的行政征收",
    "的行政给付",
    "的行政确认",
    "的行政奖励",
    "的行政裁决",
    "的行政许可",
    "的监督检查",
    "的处罚",
    "的检查",
    "行政许可",
    "审批",
    "许可",
    "核准",
];

/// The part of a name that says what the item is about (see the module docs).
pub fn core_name(name: &str) -> String {
    let mut s: String = name.chars().filter(|c| !PUNCTUATION.contains(*c)).collect();
    for suffix in TYPE_SUFFIXES {
        if let Some(rest) = s.strip_suffix(suffix) {
            s = rest.to_string();
            break;
        }
    }
    match s.strip_prefix('对') {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => s,
    }
}

/// A name's character bigrams as a set: each pair as one integer, sorted, once each (compared
/// by merging, which at 100k names is several times faster than hashing pairs).
pub(crate) type Bigrams = Vec<u64>;

pub(crate) fn bigrams(s: &str) -> Bigrams {
    let chars: Vec<char> = s.chars().collect();
    let mut v: Bigrams = chars
        .windows(2)
        .map(|w| u64::from(w[0]) << 32 | u64::from(w[1]))
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// How many bigrams two sets share.
pub(crate) fn common(a: &Bigrams, b: &Bigrams) -> usize {
    let (mut i, mut j, mut both) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    both
}

fn jaccard(a: &Bigrams, b: &Bigrams) -> f64 {
    let both = common(a, b);
    let union = a.len() + b.len() - both;
    if union == 0 {
        return 0.0;
    }
    both as f64 / union as f64
}

/// The similarity of two names' core names: 1 when equal, else their character-bigram Jaccard.
pub fn name_similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (core_name(a), core_name(b));
    if a == b {
        return 1.0;
    }
    jaccard(&bigrams(&a), &bigrams(&b))
}

fn two_decimals(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Whether two citations of one article name the same paragraph and item (narrower than the
/// whole article).
fn same_unit(a: &BasisRecord, b: &BasisRecord) -> bool {
    let narrow = |x: &BasisRecord| x.paragraph.is_some() || x.item.is_some();
    narrow(a) && narrow(b) && a.paragraph == b.paragraph && a.item == b.item
}

/// The places to compare: every region with assignments of its own (within `scope`), or one
/// catalog-wide place when the catalog has no assignments.
fn places(index: &Index, scope: Option<u32>) -> Result<Vec<Option<u32>>, Error> {
    let all: BTreeSet<u32> = index.assignments()?.map(|a| a.region).collect();
    if all.is_empty() {
        return Ok(vec![None]);
    }
    let mut regions = BTreeSet::new();
    for r in all {
        if scope.map_or(Ok(true), |s| index.region_within(r, s))? {
            regions.insert(r);
        }
    }
    Ok(regions.into_iter().map(Some).collect())
}

/// Who handles `f` in `place` (its department when no assignment says, or catalog-wide).
fn body_in(index: &Index, f: &ItemFacts, place: Option<u32>) -> Result<String, Error> {
    let h = match place {
        Some(r) => index.handler(f.id, r, None)?,
        None => None,
    };
    Ok(h.map_or_else(|| f.department.clone(), |h| h.0.to_string()))
}

/// The regions where `items` have more than one body.
fn regions_with_bodies(
    index: &Index,
    items: &[&ItemFacts],
    places: &[Option<u32>],
) -> Result<Vec<RegionBodies>, Error> {
    let mut out = Vec::new();
    for &place in places {
        let mut bodies: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for f in items {
            bodies
                .entry(body_in(index, f, place)?)
                .or_default()
                .push(f.code.clone());
        }
        if bodies.len() < 2 {
            continue;
        }
        let (code, name) = match place {
            Some(r) => index.region_label(r)?,
            None => ("", "全部"),
        };
        out.push(RegionBodies {
            region: code.to_string(),
            name: name.to_string(),
            bodies: bodies
                .into_iter()
                .map(|(body, items)| BodyItems { body, items })
                .collect(),
        });
    }
    out.sort_by(|a, b| a.region.cmp(&b.region));
    Ok(out)
}

/// An item and its citation of one article.
type Citing<'a> = (&'a ItemFacts, BasisRecord);

/// Finds possible overlaps in the whole catalog, or in `region` (code or name) and below.
pub fn overlaps(index: &Index, region: Option<&str>) -> Result<Overlaps, Error> {
    let scope = match region.map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) => Some(index.find_region(r)?),
        None => None,
    };
    let facts = index.all_facts()?;
    let places = places(index, scope)?;

    // (law, article, type) → the items citing it, with their citation of it.
    let mut by_article: BTreeMap<(u16, u32, &str), Vec<Citing>> = BTreeMap::new();
    for f in &facts {
        let mut seen = HashSet::new();
        for b in &f.bases {
            if seen.insert((b.law, b.article)) {
                by_article
                    .entry((b.law, b.article, f.kind))
                    .or_default()
                    .push((f, *b));
            }
        }
    }
    let mut provisions = Vec::new();
    for ((law, article, kind), citing) in &by_article {
        if citing.len() < 2 {
            continue;
        }
        let overlap = |level, provision: String, members: &[&Citing]| {
            let items: Vec<&ItemFacts> = members.iter().map(|(f, _)| *f).collect();
            let regions = regions_with_bodies(index, &items, &places)?;
            Ok::<_, Error>((!regions.is_empty()).then(|| {
                ProvisionOverlap {
                    level,
                    provision,
                    kind: kind.to_string(),
                    items: members
                        .iter()
                        .map(|(f, b)| OverlapItem {
                            code: f.code.clone(),
                            name: f.name.clone(),
                            citation: index.citation_of(b),
                        })
                        .collect(),
                    regions,
                }
            }))
        };
        // Units cited by two or more items.
        let mut units: BTreeMap<(Option<u32>, Option<u32>), Vec<&Citing>> = BTreeMap::new();
        for c in citing {
            if c.1.paragraph.is_some() || c.1.item.is_some() {
                units.entry((c.1.paragraph, c.1.item)).or_default().push(c);
            }
        }
        let mut whole_unit = false;
        for members in units.values().filter(|m| m.len() >= 2) {
            whole_unit |= members.len() == citing.len();
            provisions.extend(overlap(
                Level::SameUnit,
                index.citation_of(&members[0].1),
                members,
            )?);
        }
        if !whole_unit {
            let all: Vec<&Citing> = citing.iter().collect();
            provisions.extend(overlap(
                Level::SameArticle,
                index.article_citation(*law, *article),
                &all,
            )?);
        }
    }
    provisions.sort_by(|a, b| {
        (a.level, std::cmp::Reverse(a.regions.len()), &a.provision).cmp(&(
            b.level,
            std::cmp::Reverse(b.regions.len()),
            &b.provision,
        ))
    });

    // Names do not depend on the place: the whole catalog's.
    let (names, name_pairs) = similar_pairs(&facts);
    let counts = OverlapCounts {
        same_unit: provisions
            .iter()
            .filter(|p| p.level == Level::SameUnit)
            .count(),
        same_article: provisions
            .iter()
            .filter(|p| p.level == Level::SameArticle)
            .count(),
        names: name_pairs,
    };
    Ok(Overlaps {
        region: match scope {
            Some(r) => Some(index.region_label(r)?.0.to_string()),
            None => None,
        },
        counts,
        provisions,
        names,
    })
}

/// Most pairs of near-identical names an overlap report lists, the most similar first;
/// [`OverlapCounts::names`] counts them all. (A synthetic 100k catalog recombined from the
/// sample's 496 names has 75,086 such pairs: listed whole, the report took 1.9 GB.)
pub const MAX_NAME_PAIRS: usize = 2_000;

/// Pairs of same-type items with near-identical names, most similar first (at most
/// [`MAX_NAME_PAIRS`]), and how many there are in all.
fn similar_pairs(facts: &[ItemFacts]) -> (Vec<NameOverlap>, usize) {
    let cores: Vec<(String, Bigrams)> = facts
        .iter()
        .map(|f| {
            let c = core_name(&f.name);
            let b = bigrams(&c);
            (c, b)
        })
        .collect();
    let kinds: Vec<&str> = facts.iter().map(|f| f.kind).collect();
    let (pairs, total) = similar_index_pairs(&kinds, &cores, MAX_NAME_PAIRS);
    let mut out: Vec<NameOverlap> = pairs
        .into_iter()
        .map(|(i, j, s)| {
            let (a, b) = (&facts[i], &facts[j]);
            let (x, y) = if a.code <= b.code { (a, b) } else { (b, a) };
            NameOverlap {
                kind: a.kind.to_string(),
                items: vec![item_ref(x), item_ref(y)],
                similarity: two_decimals(s),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.similarity
            .total_cmp(&a.similarity)
            .then_with(|| a.items[0].code.cmp(&b.items[0].code))
    });
    (out, total)
}

/// The pairs `(i, j, similarity)`, `i < j`, of the same kind whose core names are at least
/// [`NAME_SIMILARITY`] similar: at most `limit` of them, the most similar first (then by `i`,
/// `j`), and how many there are in all.
///
/// Items of one kind with one core name are one group, compared once: their pairs are counted
/// rather than listed beyond `limit` (a name recurring k times is k(k−1)/2 pairs). Groups are
/// compared without comparing every pair (that took minutes at 10,000 items): prefix filtering,
/// as in all-pairs similarity search. A Jaccard similarity of at least t means sharing at least
/// ⌈t·|x|⌉ of x's bigrams, so with every set's bigrams in one global order (rarest first), two
/// such sets share a bigram among their first |x| − ⌈t·|x|⌉ + 1. Only groups meeting there are
/// compared, each pair once. Names without bigrams (one character) are only ever equal.
fn similar_index_pairs(
    kinds: &[&str],
    cores: &[(String, Bigrams)],
    limit: usize,
) -> (Vec<(usize, usize, f64)>, usize) {
    let mut group_of: HashMap<(&str, &str), usize> = HashMap::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, (core, _)) in cores.iter().enumerate() {
        let g = *group_of
            .entry((kinds[i], core.as_str()))
            .or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
        groups[g].push(i);
    }
    let mut found: Vec<(usize, usize, f64)> = (0..groups.len())
        .filter(|&g| groups[g].len() > 1)
        .map(|g| (g, g, 1.0))
        .collect();
    found.extend(similar_groups(kinds, cores, &groups));
    let total = found
        .iter()
        .map(|&(a, b, _)| match a == b {
            true => groups[a].len() * (groups[a].len() - 1) / 2,
            false => groups[a].len() * groups[b].len(),
        })
        .sum();
    // The most similar groups first; their items' pairs until `limit`.
    found.sort_by(|a, b| {
        b.2.total_cmp(&a.2)
            .then_with(|| (a.0, a.1).cmp(&(b.0, b.1)))
    });
    let mut out = Vec::new();
    'groups: for (a, b, s) in found {
        for (x, &i) in groups[a].iter().enumerate() {
            let others = if a == b {
                &groups[a][x + 1..]
            } else {
                &groups[b][..]
            };
            for &j in others {
                if out.len() == limit {
                    break 'groups;
                }
                out.push((i.min(j), i.max(j), s));
            }
        }
    }
    out.sort_by(|a, b| {
        b.2.total_cmp(&a.2)
            .then_with(|| (a.0, a.1).cmp(&(b.0, b.1)))
    });
    (out, total)
}

/// The pairs of different groups (`groups`: item indices sharing a kind and a core name) whose
/// names are near-identical, by prefix filtering (see [`similar_index_pairs`]).
fn similar_groups(
    kinds: &[&str],
    cores: &[(String, Bigrams)],
    groups: &[Vec<usize>],
) -> Vec<(usize, usize, f64)> {
    let first = |g: usize| groups[g][0];
    let mut freq: HashMap<u64, u32> = HashMap::new();
    for g in 0..groups.len() {
        for &t in &cores[first(g)].1 {
            *freq.entry(t).or_default() += 1;
        }
    }
    let mut prefixes: HashMap<(&str, u64), Vec<usize>> = HashMap::new();
    // The last group each group was compared with: each pair once, without a list of them.
    let mut compared: Vec<usize> = vec![usize::MAX; groups.len()];
    let mut out = Vec::new();
    for gj in 0..groups.len() {
        let (kind, set) = (kinds[first(gj)], &cores[first(gj)].1);
        let mut tokens: Vec<u64> = set.clone();
        tokens.sort_by_key(|t| (freq.get(t).copied().unwrap_or(0), *t));
        // ⌈t·|x|⌉, rounded down a hair so that float error can only lengthen the prefix.
        let need = (NAME_SIMILARITY * tokens.len() as f64 - 1e-9)
            .ceil()
            .max(1.0) as usize;
        let prefix = (tokens.len() + 1).saturating_sub(need.min(tokens.len()));
        for &t in tokens.iter().take(prefix) {
            let list = prefixes.entry((kind, t)).or_default();
            for &gi in list.iter() {
                if compared[gi] == gj {
                    continue;
                }
                compared[gi] = gj;
                let s = similarity_of(&cores[first(gi)], &cores[first(gj)]);
                if s >= NAME_SIMILARITY {
                    out.push((gi, gj, s));
                }
            }
            list.push(gj);
        }
    }
    out
}

fn similarity_of(a: &(String, Bigrams), b: &(String, Bigrams)) -> f64 {
    if a.0 == b.0 {
        return 1.0;
    }
    // Jaccard ≥ t needs the smaller set to be at least t of the larger: skip early.
    let (la, lb) = (a.1.len() as f64, b.1.len() as f64);
    if la.min(lb) < NAME_SIMILARITY * la.max(lb) {
        return 0.0;
    }
    jaccard(&a.1, &b.1)
}

fn item_ref(f: &ItemFacts) -> crate::diff::ItemRef {
    crate::diff::ItemRef {
        code: f.code.clone(),
        name: f.name.clone(),
    }
}

impl Index {
    /// Possible overlaps of item `code` (see [`mod@crate::overlaps`]): same-type items citing
    /// its articles, with who handles them in `region` (code or name; else their departments),
    /// and same-type items with near-identical names.
    pub fn item_overlaps(&self, code: &str, region: Option<&str>) -> Result<ItemOverlaps, Error> {
        let id = self.require_code(code)?;
        self.regions()?;
        let place = match region.map(str::trim).filter(|r| !r.is_empty()) {
            Some(r) => Some(self.find_region(r)?),
            None => None,
        };
        let me = self.item_facts(id)?;
        let my_body = body_in(self, &me, place)?;
        // Other item → (strongest level, its citations of the shared articles).
        let mut by_other: BTreeMap<u32, (Level, Vec<String>)> = BTreeMap::new();
        let mut seen = HashSet::new();
        for b in &me.bases {
            if !seen.insert((b.law, b.article)) {
                continue;
            }
            for other in self.citing(b.law, Some(b.article))? {
                if other == id || self.type_name(other) != me.kind {
                    continue;
                }
                let f = self.item_facts(other)?;
                for ob in f
                    .bases
                    .iter()
                    .filter(|x| x.law == b.law && x.article == b.article)
                {
                    let level = if me.bases.iter().any(|m| same_unit(m, ob)) {
                        Level::SameUnit
                    } else {
                        Level::SameArticle
                    };
                    let e = by_other
                        .entry(other)
                        .or_insert((Level::SameArticle, Vec::new()));
                    e.0 = e.0.min(level);
                    e.1.push(self.citation_of(ob));
                }
            }
        }
        let mut shared = Vec::new();
        for (other, (level, mut provisions)) in by_other {
            let f = self.item_facts(other)?;
            provisions.dedup();
            let handled_by = body_in(self, &f, place)?;
            shared.push(SharedWith {
                level,
                code: f.code,
                name: f.name,
                provisions,
                same_body: handled_by == my_body,
                handled_by,
            });
        }
        shared.sort_by(|a, b| (a.level, &a.code).cmp(&(b.level, &b.code)));

        let mine = {
            let c = core_name(&me.name);
            let b = bigrams(&c);
            (c, b)
        };
        let mut similar = Vec::new();
        for other in 0..self.item_count() as u32 {
            if other == id || self.type_name(other) != me.kind {
                continue;
            }
            let f = self.item_facts(other)?;
            let c = core_name(&f.name);
            let theirs = (c.clone(), bigrams(&c));
            let s = similarity_of(&mine, &theirs);
            if s >= NAME_SIMILARITY {
                similar.push(SimilarName {
                    code: f.code,
                    name: f.name,
                    similarity: two_decimals(s),
                });
            }
        }
        similar.sort_by(|a, b| {
            b.similarity
                .total_cmp(&a.similarity)
                .then_with(|| a.code.cmp(&b.code))
        });
        Ok(ItemOverlaps {
            code: me.code,
            handled_by: my_body,
            shared,
            similar,
        })
    }
}

/// Regions listed per provision in the text report; JSON lists them all.
const TEXT_REGIONS: usize = 3;

impl std::fmt::Display for Overlaps {
    /// The text report: counts, then same-unit provisions, same-article provisions and
    /// near-identical names under Chinese headings.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let c = &self.counts;
        writeln!(
            f,
            "疑似多头执法 {} 处 · 同条不同行为 {} 处 · 名称相近 {} 对",
            c.same_unit, c.same_article, c.names
        )?;
        for (level, title) in [
            (
                Level::SameUnit,
                "疑似多头执法：同一条款项、同一地方、不同机关",
            ),
            (
                Level::SameArticle,
                "同条不同行为：引用同一条的不同款项或整条，多为一条罚则对应多种行为",
            ),
        ] {
            let list: Vec<&ProvisionOverlap> = self
                .provisions
                .iter()
                .filter(|p| p.level == level)
                .collect();
            if list.is_empty() {
                continue;
            }
            writeln!(f)?;
            writeln!(f, "{title}（{}）", list.len())?;
            for p in list {
                writeln!(f, "  {}  [{}]", p.provision, p.kind)?;
                for i in &p.items {
                    writeln!(f, "    {}  {}  （{}）", i.code, i.name, i.citation)?;
                }
                writeln!(f, "    {} 个地区由不同机关行使：", p.regions.len())?;
                for r in p.regions.iter().take(TEXT_REGIONS) {
                    let bodies: Vec<String> = r
                        .bodies
                        .iter()
                        .map(|b| format!("{}（{}）", b.body, b.items.join("、")))
                        .collect();
                    writeln!(f, "      {}：{}", r.name, bodies.join("；"))?;
                }
                if p.regions.len() > TEXT_REGIONS {
                    writeln!(f, "      ……另 {} 个地区", p.regions.len() - TEXT_REGIONS)?;
                }
            }
        }
        if !self.names.is_empty() {
            writeln!(f)?;
            if self.names.len() < c.names {
                let n = self.names.len();
                writeln!(f, "名称相近的事项（{}，列出最相近的 {n} 对）", c.names)?;
            } else {
                writeln!(f, "名称相近的事项（{}）", c.names)?;
            }
            for n in &self.names {
                writeln!(f, "  相似度 {:.2}  [{}]", n.similarity, n.kind)?;
                for i in &n.items {
                    writeln!(f, "    {}  {}", i.code, i.name)?;
                }
            }
        }
        Ok(())
    }
}

// proptest is a native dev-dependency only.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every pair compared: what `similar_index_pairs` must equal.
    fn every_pair(kinds: &[&str], cores: &[(String, Bigrams)]) -> Vec<(usize, usize, f64)> {
        let mut out = Vec::new();
        for i in 0..cores.len() {
            for j in i + 1..cores.len() {
                if kinds[i] == kinds[j] {
                    let s = similarity_of(&cores[i], &cores[j]);
                    if s >= NAME_SIMILARITY {
                        out.push((i, j, s));
                    }
                }
            }
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Names from a four-character alphabet, so that near-identical ones are common.
        #[test]
        fn prefix_filtering_finds_exactly_the_pairs_every_comparison_finds(
            names in proptest::collection::vec(("[甲乙丙丁]{0,12}", 0..2usize), 0..40)
        ) {
            let kinds: Vec<&str> = names.iter().map(|(_, k)| ["行政处罚", "行政检查"][*k]).collect();
            let cores: Vec<(String, Bigrams)> = names
                .iter()
                .map(|(n, _)| (n.clone(), bigrams(n)))
                .collect();
            let (mut pairs, total) = similar_index_pairs(&kinds, &cores, usize::MAX);
            pairs.sort_by_key(|p| (p.0, p.1));
            prop_assert_eq!(total, pairs.len());
            prop_assert_eq!(pairs, every_pair(&kinds, &cores));
        }
    }

    #[test]
    fn a_name_recurring_many_times_is_counted_whole_and_listed_up_to_the_limit() {
        let mut names: Vec<String> = vec!["擅自占用城市道路".into(); 100];
        names.push("擅自挖掘城市道路".into());
        names.push("擅自占用城市道路".into());
        let kinds = vec!["行政处罚"; names.len()];
        let cores: Vec<(String, Bigrams)> = names.iter().map(|n| (n.clone(), bigrams(n))).collect();
        let (all, total) = similar_index_pairs(&kinds, &cores, usize::MAX);
        assert_eq!(total, 101 * 100 / 2);
        assert_eq!(all.len(), total);
        let (some, same_total) = similar_index_pairs(&kinds, &cores, 300);
        assert_eq!((some.len(), same_total), (300, total));
        assert!(some
            .iter()
            .all(|p| p.2 == 1.0 && p.0 < p.1 && all.contains(p)));
    }

    #[test]
    fn near_identical_names_are_found_among_many() {
        let mut names: Vec<String> = (0..3000)
            .map(|i| format!("擅自占用第{i}号城市道路"))
            .collect();
        names.push("在人口集中地区焚烧沥青、油毡、橡胶、塑料、皮革、垃圾等产生有毒有害烟尘和恶臭气体的物质".into());
        names.push(
            "在人口集中地区焚烧沥青、油毡、橡胶、塑料、皮革等产生有毒有害烟尘和恶臭气体的物质"
                .into(),
        );
        let kinds = vec!["行政处罚"; names.len()];
        let cores: Vec<(String, Bigrams)> = names.iter().map(|n| (n.clone(), bigrams(n))).collect();
        let (mut pairs, _) = similar_index_pairs(&kinds, &cores, usize::MAX);
        assert!(
            pairs.iter().any(|&(i, j, _)| (i, j) == (3000, 3001)),
            "{pairs:?}"
        );
        pairs.sort_by_key(|p| (p.0, p.1));
        assert_eq!(pairs, every_pair(&kinds, &cores));
    }
}
