//! Property: for random catalogs and random substrings of item names, every item whose name
//! contains the substring is among the results.

use powerlist::{Index, SearchOptions};
use powerlist_build::catalog::{Catalog, SourceFile, Sources};
use proptest::prelude::*;

// A small alphabet makes shared substrings (and false joins) common.
const ALPHABET: &[char] = &[
    '占', '道', '经', '营', '城', '市', '管', '理', '罚', '对', '的', '行', '政', '处', '乱', '摆',
    '摊', '油', '烟', '噪', '音', 'A', 'b', '1', '、', '（', '）', '·',
];

fn name() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(ALPHABET), 1..14)
        .prop_map(|v| v.into_iter().collect())
}

fn build(names: &[String]) -> Index {
    let mut csv = String::from("code,name,type,field,level,department,basis\n");
    for (i, n) in names.iter().enumerate() {
        csv.push_str(&format!("T-{i},\"{n}\",行政处罚,城市管理,县级,某部门,\n"));
    }
    let sources = Sources {
        items: SourceFile::new("items.csv", csv),
        regions: None,
        assignments: None,
        bodies: None,
        laws: vec![],
    };
    let catalog = Catalog::compile(&sources).expect("generated catalog is valid");
    Index::from_bytes(&powerlist_build::writer::write_index(&catalog).expect("writes"))
        .expect("index loads")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn every_name_containing_the_query_is_found(
        names in proptest::collection::vec(name(), 1..25),
        pick in any::<proptest::sample::Index>(),
        a in any::<proptest::sample::Index>(),
        b in any::<proptest::sample::Index>(),
    ) {
        let index = build(&names);
        let source: Vec<char> = pick.get(&names).chars().collect();
        let (mut s, mut e) = (a.index(source.len()), b.index(source.len()) + 1);
        if s >= e { std::mem::swap(&mut s, &mut e); e += 1; }
        let e = e.min(source.len());
        let query: String = source[s..e].iter().collect();
        prop_assume!(!query.trim().is_empty());
        let r = index.search(&query, &SearchOptions { limit: Some(1000), ..Default::default() }).unwrap();
        let found: std::collections::HashSet<u32> = r.hits.iter().map(|h| h.id).collect();
        for (i, n) in names.iter().enumerate() {
            if n.contains(&query) {
                prop_assert!(found.contains(&(i as u32)), "query {:?} missed item {} {:?} (kind {:?})", query, i, n, r.kind);
            }
        }
    }
}
