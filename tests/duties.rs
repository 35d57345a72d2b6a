//! The responsibility list (责任清单, issue 19): the items' 责任事项 and 追责情形 columns
//! (tests/fixtures/duties, texts written for the tests), read as lists and checked, carried in
//! the index and in the chunked form, shown by `get`, printed in the region's list, and written
//! back by `export --csv` so that a rebuild gives the same index.

use std::path::Path;

use powerlist::{Error, Index};
use powerlist_build::catalog::{Catalog, Sources};
use powerlist_build::web::{split, WebOptions};

use crate::common::cli::{run, stderr, stdout};
use crate::common::{repo, with_items};
use crate::stats_export::build as build_index;
use crate::web_index::answer;

const DAIYAO: &str = "321281100";

fn fixture() -> std::path::PathBuf {
    repo().join("tests/fixtures/duties")
}

fn catalog() -> Catalog {
    let s = Sources::from_dir(&fixture()).expect("reads the fixture");
    Catalog::compile(&s).expect("the fixture is valid")
}

/// CG-CF-014's duties, one a line in the fixture.
const DUTIES: [&str; 7] = [
    "1.立案责任：发现涉嫌擅自占用城市道路的行为，予以审查，决定是否立案。",
    "2.调查责任：对立案的案件，指定专人负责，及时组织调查取证。",
    "3.审查责任：对案件违法事实、证据、调查取证程序、法律适用、处罚种类和幅度等进行审查。",
    "4.告知责任：作出行政处罚决定前，告知当事人拟作出处罚的事实、理由、依据及其依法享有的权利。",
    "5.决定责任：依法作出处罚决定。",
    "6.送达责任：行政处罚决定书按法律规定的方式送达当事人。",
    "7.执行责任：依照生效的行政处罚决定，监督当事人履行。",
];

/// CG-CF-014's accountability cases, numbered on one line in the fixture.
const ACCOUNTABILITY: [&str; 5] = [
    "因不履行或不正确履行行政职责，有下列情形的，行政机关及相关工作人员应承担相应责任：",
    "1.没有法律和事实依据实施行政处罚的；",
    "2.擅自改变行政处罚种类、幅度的；",
    "3.违反法定的行政处罚程序的；",
    "4.其他违反法律法规规章规定的行为。",
];

#[test]
fn the_columns_are_read_as_lists() {
    let c = catalog();
    let item = |code: &str| c.items.iter().find(|i| i.code == code).unwrap();
    assert_eq!(item("CG-CF-014").duties, DUTIES);
    assert_eq!(item("CG-CF-014").accountability, ACCOUNTABILITY);
    // One line, entries separated by ；.
    assert_eq!(
        item("CG-CF-015").duties,
        [
            "受理责任：依法受理举报投诉",
            "审查责任：审查违法事实和证据",
            "决定责任：依法作出处罚决定"
        ]
    );
    assert!(item("CG-CF-015").accountability.is_empty());
    assert!(item("CG-CF-001").duties.is_empty());
    // They are columns powerlist reads: no warning names them.
    assert!(
        !c.warnings.iter().any(|w| w.message.contains("责任事项")),
        "{:?}",
        c.warnings
    );
}

#[test]
fn english_headers_length_caps_and_bidi_controls() {
    let header = "code,name,type,field,level,department,basis,duties,accountability\n";
    let c = Catalog::compile(&with_items(&format!(
        "{header}A-1,对甲的行政处罚,行政处罚,城市管理,县级,城管,,\"受理责任：受理。\n决定责任：决定。\",未依法作出决定的\n"
    )))
    .expect("valid");
    assert_eq!(c.items[0].duties, ["受理责任：受理。", "决定责任：决定。"]);
    assert_eq!(c.items[0].accountability, ["未依法作出决定的"]);

    // Over the cap: an error at the row and column, with the fix.
    let long = "责".repeat(4001);
    let e = match Catalog::compile(&with_items(&format!(
        "{header}A-1,对甲的行政处罚,行政处罚,城市管理,县级,城管,,,{long}\n"
    ))) {
        Err(Error::Catalog(d)) => d.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
        other => panic!("{other:?}"),
    };
    assert!(
        e.iter().any(|m| m.starts_with("items.csv:2: the accountability cell (追责情形) is 4001 characters long; at most 4000 are allowed")),
        "{e:#?}"
    );

    // A bidirectional-text control: a warning naming the column, as in every other text cell.
    let c = Catalog::compile(&with_items(&format!(
        "{header}A-1,对甲的行政处罚,行政处罚,城市管理,县级,城管,,受理责任：\u{202E}受理,\n"
    )))
    .expect("a warning only");
    let w: Vec<String> = c.warnings.iter().map(|d| d.to_string()).collect();
    assert!(
        w.iter().any(|m| m.starts_with("items.csv:2: warning: the \"duties\" field holds an invisible bidirectional-text control (U+202E)")),
        "{w:#?}"
    );
}

/// The fixture built by the CLI, in `dir`.
fn build(dir: &Path) -> std::path::PathBuf {
    let idx = dir.join("duties.idx");
    build_index(&fixture(), &idx);
    idx
}

#[test]
fn get_shows_them_and_search_hits_leave_them_out() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = build(tmp.path());
    let idx = idx.to_str().unwrap();
    let out = stdout(&run(&["get", idx, "CG-CF-014", "--region", DAIYAO]));
    let mut want = String::from("     duties (责任事项):\n");
    for d in DUTIES {
        want.push_str(&format!("       {d}\n"));
    }
    want.push_str("     accountability (追责情形):\n");
    for a in ACCOUNTABILITY {
        want.push_str(&format!("       {a}\n"));
    }
    assert!(out.contains(&want), "{out}");
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&run(&["get", idx, "CG-CF-014", "--json"]))).unwrap();
    assert_eq!(json["duties"], serde_json::json!(DUTIES));
    assert_eq!(json["accountability"], serde_json::json!(ACCOUNTABILITY));
    // Without a responsibility list, the fields are left out, as are they in search hits.
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&run(&["get", idx, "CG-CF-001", "--json"]))).unwrap();
    assert!(json.get("duties").is_none() && json.get("accountability").is_none());
    let out = stdout(&run(&["get", idx, "CG-CF-001"]));
    assert!(!out.contains("duties"), "{out}");
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&run(&["search", idx, "占道", "--json"]))).unwrap();
    let hits = json["hits"].as_array().unwrap();
    assert!(hits.iter().any(|h| h["code"] == "CG-CF-014"), "{json}");
    assert!(hits.iter().all(|h| h.get("duties").is_none()), "{json}");
}

#[test]
fn the_chunked_form_carries_them() {
    let bytes = powerlist_build::writer::write_index(&catalog()).unwrap();
    let whole = Index::from_bytes(&bytes).unwrap();
    let web = split(&bytes, &WebOptions::default()).unwrap();
    let index = Index::from_core(&web.core).unwrap();
    let (got, _) = answer(&index, &web, |i| i.get("CG-CF-014", Some(DAIYAO)));
    assert_eq!(got.duties, DUTIES);
    assert_eq!(
        serde_json::to_value(&got).unwrap(),
        serde_json::to_value(whole.get("CG-CF-014", Some(DAIYAO)).unwrap()).unwrap()
    );
}

#[test]
fn export_writes_them_and_a_rebuild_reads_them_back() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = build(tmp.path());
    let out = tmp.path().join("exported");
    let o = run(&[
        "export",
        idx.to_str().unwrap(),
        "--csv",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let items = std::fs::read_to_string(out.join("items.csv")).unwrap();
    assert!(
        items.starts_with(
            "code,name,type,field,level,department,basis,keywords,note,duties,accountability\n"
        ),
        "{items}"
    );
    // One entry a line in the cell.
    assert!(items.contains(&ACCOUNTABILITY.join("\n")), "{items}");
    std::fs::create_dir_all(out.join("laws")).unwrap();
    for e in std::fs::read_dir(repo().join("tests/fixtures/mini/laws")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), out.join("laws").join(e.file_name())).unwrap();
    }
    let again = tmp.path().join("again.idx");
    build_index(&out, &again);
    assert!(
        std::fs::read(&idx).unwrap() == std::fs::read(&again).unwrap(),
        "the export rebuilds the same index"
    );
}

#[test]
fn the_printed_list_has_a_responsibility_column() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = build(tmp.path());
    let html = tmp.path().join("list.html");
    let o = run(&[
        "export",
        idx.to_str().unwrap(),
        "--html",
        "--region",
        DAIYAO,
        "-o",
        html.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.contains("<th>实施依据</th><th>责任清单</th></tr>"),
        "{page}"
    );
    let cell = format!(
        "<td class=\"duties\"><p>责任事项</p><ul><li><bdi>{}</bdi></li>",
        DUTIES[0]
    );
    assert!(page.contains(&cell), "{page}");
    assert!(page.contains(&format!(
        "<p>追责情形</p><ul><li><bdi>{}</bdi></li>",
        ACCOUNTABILITY[0]
    )));
    // A list whose items have none prints as before.
    let plain = tmp.path().join("plain.html");
    let mini = tmp.path().join("mini.idx");
    build_index(&repo().join("tests/fixtures/mini"), &mini);
    let o = run(&[
        "export",
        mini.to_str().unwrap(),
        "--html",
        "--region",
        DAIYAO,
        "-o",
        plain.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = std::fs::read_to_string(&plain).unwrap();
    assert!(page.contains("<th>实施依据</th></tr>") && !page.contains("<th>责任清单</th>"));
}

#[test]
fn diff_reports_a_changed_responsibility_list() {
    let index = |s: &Sources| -> Index {
        let c = Catalog::compile(s).expect("valid");
        Index::from_bytes(&powerlist_build::writer::write_index(&c).expect("writes"))
            .expect("loads")
    };
    let s = Sources::from_dir(&fixture()).expect("reads the fixture");
    let old = index(&s);
    let mut edited = s.clone();
    let items = String::from_utf8(s.items.bytes.clone()).unwrap();
    let changed = items.replacen(
        DUTIES[0],
        "1.立案责任：发现涉嫌擅自占用、挖掘城市道路的行为，予以审查，决定是否立案。",
        1,
    );
    assert_ne!(items, changed);
    edited.items.bytes = changed.into_bytes();
    let new = index(&edited);

    let d = powerlist::diff::diff(&old, &new).unwrap();
    assert_eq!(d.counts.changed, 1, "{d}");
    let c = &d.changed[0];
    assert_eq!(c.code, "CG-CF-014");
    assert_eq!(c.changes.len(), 1);
    assert_eq!(
        (c.changes[0].attr, c.changes[0].label),
        ("duties", "责任事项")
    );
    assert!(
        c.changes[0].old.starts_with(DUTIES[0]),
        "{:?}",
        c.changes[0]
    );
    assert!(c.changes[0]
        .new
        .starts_with("1.立案责任：发现涉嫌擅自占用、挖掘城市道路"));
    assert!(
        c.changes[0].new.contains("；2.调查责任"),
        "{:?}",
        c.changes[0]
    );
    assert!(d.to_string().contains("    责任事项：1.立案责任"), "{d}");
}
