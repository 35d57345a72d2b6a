//! Devolution over time (tests/fixtures/devolution, modelled on 淮安区): assignments with the
//! document that made them, the days they hold from and until, and the document that took them
//! back (上收). Validation, who handles an item on a day (`get --date`, `search --date`), the
//! counts between two days (`stats --from --to`), the 《行政处罚法》第二十四条 lint, the chunked
//! form and the CSV export.

use std::path::{Path, PathBuf};

use powerlist::date::Date;
use powerlist::{Error, Index};
use powerlist_build::catalog::{Catalog, SourceFile};
use serde_json::Value;

use crate::common::cli::{run, stderr, stdout};
use crate::common::{devolution_bytes, devolution_sources, repo};

const JIA: &str = "320803101";
const BING: &str = "320803103";

fn day(s: &str) -> Option<Date> {
    Some(Date::parse(s).unwrap())
}

/// The fixture built by the CLI into a temporary directory: (its stderr, the index).
fn built(tmp: &Path) -> (String, PathBuf) {
    let idx = tmp.join("devolution.idx");
    let o = run(&[
        "build",
        repo().join("tests/fixtures/devolution").to_str().unwrap(),
        "-o",
        idx.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    (stderr(&o), idx)
}

fn json(args: &[&str]) -> Value {
    let o = run(args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// The errors of the fixture with these rows added to its assignments.
fn errors_with(rows: &str) -> Vec<String> {
    let mut s = devolution_sources();
    let fixture = include_str!("fixtures/devolution/assignments.csv");
    s.assignments = Some(SourceFile::new(
        "assignments.csv",
        format!("{fixture}{rows}"),
    ));
    match Catalog::compile(&s) {
        Ok(_) => Vec::new(),
        Err(Error::Catalog(d)) => d
            .iter()
            .filter(|d| !d.warning)
            .map(|d| d.to_string())
            .collect(),
        Err(e) => vec![e.to_string()],
    }
}

#[test]
fn wrong_dates_periods_and_documents_name_the_line_and_the_fix() {
    // The fixture's assignments end on line 14.
    let cases = [
        ("HA-XK-001,320803101,甲镇人民政府,赋权,淮政发〔2021〕37号,,,2021-13-01,,,\n",
            "assignments.csv:15: the 起始日期 (from) \"2021-13-01\" is not a date; write it as YYYY-MM-DD, e.g. 2025-08-01"),
        ("HA-XK-001,320803101,甲镇人民政府,赋权,,,,2025-08-01,2025-08-01,,\n",
            "assignments.csv:15: the 收回日期 (until) 2025-08-01 is not after the 起始日期 (from) 2025-08-01; until is the first day the assignment no longer holds (自该日起上收), so it comes after from"),
        ("HA-CF-001,320803101,甲镇人民政府,委托,,,,2025-07-01,,,\n",
            "assignments.csv:15: item HA-CF-001 is already assigned in region 320803101 on line 6 from 2021-06-01 until 2025-08-01, a period that overlaps this one (from 2025-07-01); keep one, or end the earlier with 收回日期 (until) on or before this one's 起始日期 (from)"),
        ("HA-CF-003,320803101,甲镇人民政府,赋权,,,,,,,\n",
            "assignments.csv:15: item HA-CF-003 is already assigned in region 320803101 on line 10 from 2021-06-01, a period that overlaps this one (with no period); keep one"),
        ("HA-XK-001,320803101,甲镇人民政府,赋权,淮政发〔2021〕37号,2021-05-21,,,,,\n",
            "assignments.csv:15: document 淮政发〔2021〕37号 is dated 2021-05-20 on line 6, 2021-05-21 here; one document has one date (发文日期)"),
        ("HA-XK-001,320803101,甲镇人民政府,赋权,淮政发〔2021〕37号,,苏司函〔2020〕48号,,,,\n",
            "assignments.csv:15: document 淮政发〔2021〕37号 rests on 苏司函〔2020〕47号 on line 6, on 苏司函〔2020〕48号 here; give one 依据文件 (basis_document) per document"),
        ("HA-XK-001,320803101,甲镇人民政府,赋权,,2021-05-20,,,,,\n",
            "assignments.csv:15: a 发文日期 (document_date) or 依据文件 (basis_document) belongs to a document: give its number in 文件文号 (document)"),
        ("HA-XK-001,320803101,甲镇人民政府,赋权,,,,,,淮政发〔2025〕88号,\n",
            "assignments.csv:15: a 收回文件 (end_document) takes the power back from a day: give it in 收回日期 (until), YYYY-MM-DD"),
    ];
    for (row, want) in cases {
        let got = errors_with(row);
        assert!(
            got.iter().any(|e| e.starts_with(want)),
            "{row}: want {want:?} in {got:#?}"
        );
    }
    // Periods that follow each other are two assignments, not a repeat; so are dates as
    // catalogs write them.
    assert_eq!(
        errors_with("HA-CF-001,320803101,甲镇人民政府,委托,,,,2026年1月1日,,,\nHA-CF-002,320803101,甲镇人民政府,委托,,,,2025/8/1,2026.1.1,,\nHA-CF-002,320803101,甲镇人民政府,委托,,,,20260101,,,\n"),
        Vec::<String>::new()
    );
}

#[test]
fn get_answers_for_the_day_asked_and_shows_the_documents() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, idx) = built(tmp.path());
    let idx = idx.to_str().unwrap();
    let get = |code: &str, region: &str, date: &str| {
        json(&[
            "get", idx, code, "--region", region, "--date", date, "--json",
        ])
    };
    // The day before it was taken back: the town, by 37号.
    let before = get("HA-CF-001", JIA, "2025-07-31");
    assert_eq!(before["handled_by"], "甲镇人民政府");
    assert_eq!(before["handled_mode"], "赋权");
    assert_eq!(before["handled_region"], JIA);
    let p = &before["periods"][0];
    assert_eq!(p["state"], "current");
    assert_eq!(p["from"], "2021-06-01");
    assert_eq!(p["until"], "2025-08-01");
    assert_eq!(p["through"], "2025-07-31");
    assert_eq!(
        p["document"],
        serde_json::json!({"number": "淮政发〔2021〕37号", "date": "2021-05-20", "basis": "苏司函〔2020〕47号"})
    );
    assert_eq!(p["end_document"]["number"], "淮政发〔2025〕88号");
    assert_eq!(p["note"], "2025年8月1日前已立案的案件仍由原承接乡镇办理");
    // From 2025-08-01 on: the district's bureau, the ended period still shown.
    let after = get("HA-CF-001", JIA, "2025-08-01");
    assert_eq!(after["handled_by"], "淮安区城市管理局");
    assert_eq!(after["handled_region"], "320803");
    assert_eq!(after["handled_mode"], Value::Null);
    assert_eq!(after["periods"][0]["state"], "ended");
    assert_eq!(after["periods"].as_array().unwrap().len(), 1);
    // Before 2021-06-01 the district too; 丙镇's assignment by 88号 only from 2025-08-01.
    assert_eq!(
        get("HA-CF-001", JIA, "2021-05-31")["handled_by"],
        "淮安区城市管理局"
    );
    assert_eq!(
        get("HA-CF-001", JIA, "2021-05-31")["periods"][0]["state"],
        "pending"
    );
    assert_eq!(
        get("HA-CF-003", BING, "2025-07-31")["handled_by"],
        "淮安区城市管理局"
    );
    let bing = get("HA-CF-003", BING, "2025-08-01");
    assert_eq!(bing["handled_by"], "丙镇人民政府");
    assert_eq!(
        bing["periods"][0]["document"]["number"],
        "淮政发〔2025〕88号"
    );
    assert_eq!(
        bing["periods"][0]["document"]["basis"],
        "苏司函〔2025〕15号"
    );
    // Without --date: today (the test runs after 2025-08-01).
    let today = json(&["get", idx, "HA-CF-001", "--region", JIA, "--json"]);
    assert_eq!(today["handled_by"], "淮安区城市管理局");
    // The text says it too.
    let text = stdout(&run(&[
        "get",
        idx,
        "HA-CF-001",
        "--region",
        JIA,
        "--date",
        "2025-08-01",
    ]));
    assert!(text.contains("handled by: 淮安区城市管理局"), "{text}");
    assert!(
        text.contains("ended: 甲镇人民政府 (赋权) in 甲镇, 2021-06-01 to 2025-07-31, by 淮政发〔2021〕37号 (2021-05-20; on 苏司函〔2020〕47号); taken back (上收) from 2025-08-01 by 淮政发〔2025〕88号"),
        "{text}"
    );
    assert!(
        text.contains("note: 2025年8月1日前已立案的案件仍由原承接乡镇办理"),
        "{text}"
    );
    // A date that is not one.
    let o = run(&[
        "get",
        idx,
        "HA-CF-001",
        "--region",
        JIA,
        "--date",
        "2025-02-30",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("\"2025-02-30\" is not a date; write it as YYYY-MM-DD"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn search_names_the_handlers_of_the_day() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, idx) = built(tmp.path());
    let idx = idx.to_str().unwrap();
    let handler = |date: &str| {
        let r = json(&[
            "search",
            idx,
            "HA-CF-002",
            "--region",
            JIA,
            "--date",
            date,
            "--json",
        ]);
        assert_eq!(r["hits"][0]["code"], "HA-CF-002");
        r["hits"][0]["handled_by"].as_str().unwrap().to_string()
    };
    assert_eq!(handler("2024-01-01"), "甲镇人民政府");
    assert_eq!(handler("2025-08-01"), "淮安区城市管理局");
}

#[test]
fn stats_count_what_was_devolved_and_taken_back_between_two_days() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, idx) = built(tmp.path());
    let idx = idx.to_str().unwrap();
    let r = json(&[
        "stats",
        idx,
        "--from",
        "2025-01-01",
        "--to",
        "2025-12-31",
        "--json",
    ]);
    assert_eq!(
        (r["from"].as_str(), r["to"].as_str()),
        (Some("2025-01-01"), Some("2025-12-31"))
    );
    assert_eq!(
        (r["devolved"].as_u64(), r["taken_back"].as_u64()),
        (Some(1), Some(4))
    );
    let c = &r["counties"][0];
    assert_eq!(
        (c["code"].as_str(), c["name"].as_str()),
        (Some("320803"), Some("淮安区"))
    );
    assert_eq!(
        r["counties"].as_array().unwrap().len(),
        1,
        "淮阴区 gives no dates"
    );
    assert_eq!(
        c["taken_back_items"],
        serde_json::json!([
            {"code": "HA-CF-001", "name": "对随地吐痰、便溺，乱扔果皮、纸屑和烟头等废弃物的行政处罚", "townships": 2, "dates": ["2025-08-01"], "documents": ["淮政发〔2025〕88号"]},
            {"code": "HA-CF-002", "name": "对擅自占用城市道路的行政处罚", "townships": 2, "dates": ["2025-08-01"], "documents": ["淮政发〔2025〕88号"]},
        ])
    );
    assert_eq!(c["devolved_items"][0]["code"], "HA-CF-003");
    assert_eq!(c["devolved_items"][0]["documents"][0], "淮政发〔2025〕88号");
    // 2021: six devolved, none taken back; a day with nothing.
    let y2021 = json(&[
        "stats",
        idx,
        "--from",
        "2021-01-01",
        "--to",
        "2021-12-31",
        "--json",
    ]);
    assert_eq!(
        (y2021["devolved"].as_u64(), y2021["taken_back"].as_u64()),
        (Some(6), Some(0))
    );
    let none = json(&[
        "stats",
        idx,
        "--from",
        "2025-08-02",
        "--to",
        "2025-08-02",
        "--json",
    ]);
    assert_eq!(none["counties"], serde_json::json!([]));
    // Text, and a period backwards.
    let text = stdout(&run(&[
        "stats",
        idx,
        "--from",
        "2025-01-01",
        "--to",
        "2025-12-31",
    ]));
    assert!(
        text.starts_with(
            "2025-01-01 至 2025-12-31：乡镇（街道）承接记录开始 1 条（下放），终止 4 条（上收）"
        ),
        "{text}"
    );
    assert!(
        text.contains("320803 淮安区：下放 1 条（1 项事项），上收 4 条（2 项事项）"),
        "{text}"
    );
    assert!(text.contains("  上收 HA-CF-001 对随地吐痰、便溺，乱扔果皮、纸屑和烟头等废弃物的行政处罚：2 个乡镇（街道），2025-08-01，淮政发〔2025〕88号"), "{text}");
    let o = run(&["stats", idx, "--from", "2025-12-31", "--to", "2025-01-01"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("the period ends (2025-01-01) before it begins (2025-12-31)"),
        "{}",
        stderr(&o)
    );
    // The township counts of plain `stats` leave out what was taken back.
    let s = json(&["stats", idx, "--json"]);
    let jia = s["townships"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["code"] == JIA)
        .unwrap()
        .clone();
    assert_eq!(jia["own"], 1, "HA-CF-003 only");
}

#[test]
fn townships_penalties_without_a_document_are_one_warning_per_county() {
    let tmp = tempfile::tempdir().unwrap();
    let (warnings, _) = built(tmp.path());
    let lines: Vec<&str> = warnings.lines().collect();
    assert_eq!(lines.len(), 1, "{warnings}");
    assert!(lines[0].ends_with("tests/fixtures/devolution/assignments.csv:14: warning: lint: 淮阴区 (320804): 1 township assignment of 行政处罚 items name no document (1 item in 1 township: HA-CF-001); 《行政处罚法》第二十四条: the province decides which county penalty powers a township exercises, and the decision is published (决定应当公布) — give the county's document in 文件文号 (document), with 发文日期 (document_date) and the province's decision in 依据文件 (basis_document)"), "{}", lines[0]);
}

#[test]
fn the_chunked_form_and_the_export_answer_alike() {
    let single = devolution_bytes();
    let whole = Index::from_bytes(&single).unwrap();
    let web = powerlist_build::web::split(&single, &Default::default()).unwrap();
    let index = Index::from_core(&web.core).unwrap();
    let regions = include_str!("fixtures/devolution/regions.csv");
    for region in regions.lines().skip(1).filter_map(|l| l.split(',').next()) {
        for code in ["HA-CF-001", "HA-CF-002", "HA-CF-003", "HA-XK-001"] {
            for date in [
                None,
                day("2021-05-31"),
                day("2025-07-31"),
                day("2025-08-01"),
            ] {
                let want = whole.get_on(code, Some(region), date).unwrap();
                let (got, _) =
                    crate::web_index::answer(&index, &web, |i| i.get_on(code, Some(region), date));
                assert_eq!(
                    serde_json::to_value(&got).unwrap(),
                    serde_json::to_value(&want).unwrap(),
                    "{code} in {region} on {date:?}"
                );
            }
        }
    }
    for chunk in &web.chunks {
        index.add_chunk(&chunk.bytes).unwrap();
    }
    let span = (
        Date::parse("2021-01-01").unwrap(),
        Date::parse("2025-12-31").unwrap(),
    );
    assert_eq!(
        index.devolution_between(span.0, span.1).unwrap(),
        whole.devolution_between(span.0, span.1).unwrap()
    );
    // Exported and built again: the same bytes.
    let files = powerlist_build::export::csv(&whole).unwrap();
    let exported = files.assignments.unwrap();
    assert!(exported.starts_with("item,region,body,mode,document,document_date,basis_document,from,until,end_document,note\n"), "{exported}");
    let mut s = devolution_sources();
    s.assignments = Some(SourceFile::new("assignments.csv", exported));
    let again = powerlist_build::writer::write_index(&Catalog::compile(&s).unwrap()).unwrap();
    assert!(again == single, "the export builds the same index");
}

#[test]
fn damaged_terms_are_errors_never_panics() {
    let bytes = devolution_bytes();
    let c = powerlist::format::Container::parse(&bytes).unwrap();
    let (start, end) = c.range(powerlist::format::section::REGIONS).unwrap();
    for at in start..end {
        let mut copy = bytes.clone();
        copy[at] ^= 0x5a;
        // The block checksums would catch the flip: reseal so the decoders see it.
        powerlist::format::reseal(&mut copy);
        let Ok(index) = Index::from_bytes(&copy) else {
            continue;
        };
        for date in [None, day("2025-08-01")] {
            let _ = index.get_on("HA-CF-001", Some(JIA), date);
        }
        let _ = index.devolution_between(Date::from_days(0), Date::from_days(30_000));
        let _ = index.stats();
    }
}
