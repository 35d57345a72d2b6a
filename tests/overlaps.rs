//! `powerlist overlaps`, run as a subprocess on tests/fixtures/overlaps (laws and regions from
//! tests/fixtures/mini through `base:`): a provision shared at the unit level by two bodies, a
//! shared article, near-identical names, and the negative — items sharing a provision but
//! handled by one body everywhere are not reported.

use crate::common::cli;
use std::path::PathBuf;

use cli::{run, stdout};
use std::sync::OnceLock;

/// The fixture catalog, built once.
fn index() -> &'static str {
    static IDX: OnceLock<PathBuf> = OnceLock::new();
    IDX.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("powerlist-overlaps-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let out = dir.join("overlaps.idx");
        let data = crate::common::repo().join("tests/fixtures/overlaps");
        let o = run(&["build", data.to_str().unwrap(), "-o", out.to_str().unwrap()]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        out
    })
    .to_str()
    .unwrap()
}

fn json(args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&stdout(&run(args))).expect("valid JSON")
}

#[test]
fn json_report_is_exact() {
    let expected: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/overlaps/overlaps.json")).unwrap();
    assert_eq!(json(&["overlaps", index(), "--json"]), expected);
}

#[test]
fn same_unit_ranks_above_same_article_and_one_body_is_not_an_overlap() {
    let v = json(&["overlaps", index(), "--json"]);
    let provisions = v["provisions"].as_array().unwrap();
    let first = &provisions[0];
    assert_eq!(first["level"], "same_unit");
    assert_eq!(
        first["provision"],
        "《城市道路管理条例》第二十七条第（一）项"
    );
    assert_eq!(first["regions"][0]["name"], "兴化市");
    assert_eq!(
        first["regions"][0]["bodies"],
        serde_json::json!([
            {"body": "兴化市住房和城乡建设局", "items": ["SZ-CF-001"]},
            {"body": "兴化市城市管理局", "items": ["CG-CF-014"]}
        ])
    );
    assert!(provisions[1..].iter().all(|p| p["level"] == "same_article"));
    // CG-CF-002 and CG-CF-003 cite the same units but one body handles both everywhere.
    let text = serde_json::to_string(&v["provisions"]).unwrap();
    assert!(
        !text.contains("CG-CF-002") && !text.contains("第十七条"),
        "{text}"
    );
    // A licence and a penalty citing one article are not compared: 第三十一条 is cited by
    // two 行政许可 items handled by one body, so it is absent too.
    assert!(!text.contains("第三十一条"), "{text}");
}

#[test]
fn near_identical_names_of_one_type() {
    let v = json(&["overlaps", index(), "--json"]);
    let pairs: Vec<(String, String, f64)> = v["names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["items"][0]["code"].as_str().unwrap().to_string(),
                n["items"][1]["code"].as_str().unwrap().to_string(),
                n["similarity"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        pairs,
        vec![
            ("CG-CF-002".into(), "CG-CF-003".into(), 1.0),
            ("CG-XK-001".into(), "SZ-XK-001".into(), 1.0)
        ]
    );
}

#[test]
fn text_report_has_counts_and_chinese_headings() {
    let text = stdout(&run(&["overlaps", index()]));
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("疑似多头执法 1 处 · 同条不同行为 2 处 · 名称相近 2 对")
    );
    assert!(text.contains("\n疑似多头执法：同一条款项、同一地方、不同机关（1）\n"));
    assert!(text.contains(
        "      戴窑镇：兴化市住房和城乡建设局（SZ-CF-001）；戴窑镇综合行政执法局（CG-CF-014）\n"
    ));
    assert!(text.contains("\n名称相近的事项（2）\n  相似度 1.00  [行政处罚]\n"));
}

#[test]
fn region_limits_to_that_region_and_below() {
    let v = json(&["overlaps", index(), "--region", "戴窑镇", "--json"]);
    assert_eq!(v["region"], "321281100");
    for p in v["provisions"].as_array().unwrap() {
        let regions: Vec<&str> = p["regions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["region"].as_str().unwrap())
            .collect();
        assert_eq!(regions, ["321281100"]);
    }
    // Nothing has assignments under 海陵区: nothing to compare there.
    let v = json(&["overlaps", index(), "--region", "321202", "--json"]);
    assert_eq!(v["provisions"], serde_json::json!([]));
    let o = run(&["overlaps", index(), "--region", "火星"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown region \"火星\""));
}
