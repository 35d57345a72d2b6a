//! Law versions: which text of each law a catalog holds (the history lines of its file, or
//! `laws/MANIFEST.tsv`, which wins), checked; a law declared superseded (`已被修订：`) warns once
//! per item resting on it; `get` and `stats` show the version. The superseded dates and
//! manifest rows here are made up for the tests.

use crate::common::cli::{copy_catalog, run, stderr, stdout};
use crate::common::{mini_sources, repo, LAW_ROADS};
use crate::stats_export::build as build_index;
use powerlist::law::Law;
use powerlist::Error;
use powerlist_build::catalog::{Catalog, SourceFile, Sources};

const MANIFEST: &str = "laws/MANIFEST.tsv";

/// How many articles the mini catalog's 城市道路管理条例 has.
fn road_articles() -> usize {
    Law::parse(LAW_ROADS).unwrap().articles.len()
}

/// The mini catalog with a manifest, and 城市道路管理条例's head given `extra` lines.
fn sources(manifest: Option<&str>, extra: &str) -> Sources {
    let mut s = mini_sources();
    if !extra.is_empty() {
        let text = LAW_ROADS.replacen(
            "<!-- INFO END -->",
            &format!("{extra}\n\n<!-- INFO END -->"),
            1,
        );
        s.laws[0] = SourceFile::new("laws/城市道路管理条例.md", text);
    }
    if let Some(m) = manifest {
        s.laws.push(SourceFile::new(MANIFEST, m));
    }
    s
}

/// Every diagnostic of compiling `s`, as `file:line: [warning: ]message`.
fn diagnostics(s: &Sources) -> Vec<String> {
    match Catalog::compile(s) {
        Ok(c) => c.warnings.iter().map(|d| d.to_string()).collect(),
        Err(Error::Catalog(d)) => d.iter().map(|d| d.to_string()).collect(),
        Err(e) => vec![e.to_string()],
    }
}

fn version_of(c: &Catalog, title: &str) -> (String, String, String, String) {
    let law = c.laws.iter().find(|l| l.title == title).unwrap();
    let v = law.version.clone().expect("a version");
    (v.date, v.kind, v.label, v.source)
}

fn strs(t: (String, String, String, String)) -> [String; 4] {
    [t.0, t.1, t.2, t.3]
}

#[test]
fn without_a_manifest_the_latest_history_line_is_the_version() {
    let c = Catalog::compile(&mini_sources()).unwrap();
    assert_eq!(
        strs(version_of(&c, "城市道路管理条例")),
        ["2017-03-01", "修订", "2017年修订", ""]
    );
    assert_eq!(version_of(&c, "城市市容和环境卫生管理条例").2, "2011年修订");
}

#[test]
fn a_manifest_row_wins_and_takes_the_kind_of_its_dates_history_line() {
    let n = road_articles();
    let manifest = format!(
        "file\tsource_path\tversion_date\tarticles\tbytes\n\
         城市道路管理条例.md\t行政法规/城市道路管理条例(2019-03-24).md\t2019-03-24\t{n}\t1\n\
         城市市容和环境卫生管理条例.md\t行政法规/市容.md\t2011-01-08\t\t\n"
    );
    let c = Catalog::compile(&sources(Some(&manifest), "")).unwrap();
    // No history line has 2019-03-24: the kind is not claimed.
    assert_eq!(
        strs(version_of(&c, "城市道路管理条例")),
        [
            "2019-03-24",
            "",
            "2019年文本",
            "行政法规/城市道路管理条例(2019-03-24).md"
        ]
    );
    assert_eq!(
        strs(version_of(&c, "城市市容和环境卫生管理条例")),
        ["2011-01-08", "修订", "2011年修订", "行政法规/市容.md"]
    );
    // The columns are found by name; only file and version_date are needed.
    let c = Catalog::compile(&sources(
        Some("version_date\tfile\n2019-03-24\t城市道路管理条例.md\n"),
        "",
    ))
    .unwrap();
    assert_eq!(version_of(&c, "城市道路管理条例").2, "2019年文本");
    assert!(c.warnings.iter().all(|w| !w.message.contains("version")));
}

#[test]
fn bad_manifests_are_errors_naming_the_line_and_the_fix() {
    let n = road_articles();
    let header = "file\tsource_path\tversion_date\tarticles\tbytes\n";
    let row = |date: &str, articles: usize| {
        format!("{header}城市道路管理条例.md\tx.md\t{date}\t{articles}\t1\n")
    };
    for (manifest, expected) in [
        (
            row("2019-3-24", n),
            "laws/MANIFEST.tsv:2: version_date \"2019-3-24\" is no date written YYYY-MM-DD",
        ),
        (
            row("2019-02-29", n),
            "laws/MANIFEST.tsv:2: version_date \"2019-02-29\" is no date",
        ),
        (
            row("2019-03-24", n + 1),
            &format!("laws/MANIFEST.tsv:2: 城市道路管理条例.md has {n} articles, the row says {}: the row describes another text", n + 1),
        ),
        (
            row("2016-01-01", n),
            "laws/MANIFEST.tsv:2: version_date 2016-01-01 is older than the history line of 2017-03-01 (laws/城市道路管理条例.md:7)",
        ),
        (
            format!("{header}不存在条例.md\tx.md\t2019-03-24\t1\t1\n"),
            "laws/MANIFEST.tsv:2: there is no law file 不存在条例.md in laws/; correct the file name or remove the row",
        ),
        (
            format!("{header}城市道路管理条例.md\tx.md\t2019-03-24\n"),
            "laws/MANIFEST.tsv:2: 3 field(s), the header has 5; separate the fields with one tab each",
        ),
        (
            format!("{}城市道路管理条例.md\ty.md\t2019-03-24\t{n}\t1\n", row("2019-03-24", n)),
            "laws/MANIFEST.tsv:3: 城市道路管理条例.md is listed twice (also line 2)",
        ),
        (
            "name\tdate\n".to_string(),
            "laws/MANIFEST.tsv:1: the header must name the columns `file` and `version_date`",
        ),
    ] {
        let d = diagnostics(&sources(Some(&manifest), ""));
        assert!(
            d.iter().any(|m| m.starts_with(expected) && !m.contains("warning:")),
            "expected {expected:?} in {d:#?}"
        );
    }
}

#[test]
fn a_law_with_no_version_at_all_is_a_warning_not_an_error() {
    let mut s = mini_sources();
    s.laws.push(SourceFile::new(
        "laws/某条例.md",
        "# 某条例\n\n<!-- INFO END -->\n\n第一条 正文。\n",
    ));
    let c = Catalog::compile(&s).expect("builds");
    let w: Vec<String> = c.warnings.iter().map(|d| d.to_string()).collect();
    assert!(
        w.iter().any(|w| w.starts_with(
            "laws/某条例.md:1: warning: 《某条例》 has no version: no dated history line"
        )),
        "{w:#?}"
    );
    // A manifest row gives it one.
    s.laws.push(SourceFile::new(
        MANIFEST,
        "file\tversion_date\n某条例.md\t2020-01-01\n",
    ));
    let c = Catalog::compile(&s).expect("builds");
    assert!(c.warnings.iter().all(|w| !w.message.contains("no version")));
    assert_eq!(version_of(&c, "某条例").2, "2020年文本");
}

#[test]
fn a_superseded_law_warns_once_per_item_resting_on_it() {
    let c = Catalog::compile(&sources(None, "已被修订：2030-01-01（测试用的日期）")).unwrap();
    let w: Vec<String> = c
        .warnings
        .iter()
        .filter(|d| d.message.contains("superseded"))
        .map(|d| d.to_string())
        .collect();
    // CG-CF-014 cites the law twice: one warning.
    let expected: Vec<String> = [(5, "CG-CF-014"), (6, "CG-CF-015"), (7, "CG-CF-016"), (8, "CG-XK-001")]
        .iter()
        .map(|(line, code)| format!("items.csv:{line}: warning: {code} rests on 《城市道路管理条例》（2017年修订）, superseded by the text of 2030-01-01: check its citations against the new text"))
        .collect();
    assert_eq!(w, expected);
    let uses = powerlist_build::lint::superseded_uses(&c);
    assert_eq!(uses.len(), 1);
    assert_eq!(
        uses[0].1,
        ["CG-CF-014", "CG-CF-015", "CG-CF-016", "CG-XK-001"]
    );
    // A newer text must be newer than the one held.
    let d = diagnostics(&sources(None, "已被修订：2017-03-01"));
    assert!(
        d.iter().any(|m| m.starts_with("laws/城市道路管理条例.md:9: the newer text's date 2017-03-01 is not after this text's version 2017-03-01 (2017年修订)")),
        "{d:#?}"
    );
    let d = diagnostics(&sources(None, "superseded: 2030-13-01"));
    assert!(
        d.iter()
            .any(|m| m.starts_with("laws/城市道路管理条例.md:9: `2030-13-01` is no date")),
        "{d:#?}"
    );
}

/// The mini catalog in a folder, its road law superseded, built; the folder and the index.
fn built_superseded() -> (tempfile::TempDir, std::path::PathBuf, String) {
    let tmp = tempfile::tempdir().unwrap();
    let cat = tmp.path().join("cat");
    copy_catalog(&repo().join("tests/fixtures/mini"), &cat);
    let law = cat.join("laws/城市道路管理条例.md");
    let text = std::fs::read_to_string(&law).unwrap().replacen(
        "<!-- INFO END -->",
        "已被修订：2030-01-01（测试用的日期）\n\n<!-- INFO END -->",
        1,
    );
    std::fs::write(&law, text).unwrap();
    let idx = tmp.path().join("x.idx");
    let o = run(&["build", cat.to_str().unwrap(), "-o", idx.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o).replace(&format!("{}/", cat.display()), "");
    (tmp, idx, err)
}

#[test]
fn build_lists_the_items_then_sums_them_up_per_law() {
    let (_tmp, _idx, err) = built_superseded();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.contains("rests on 《城市道路管理条例》（2017年修订）"))
            .count(),
        4,
        "{err}"
    );
    assert_eq!(
        &lines[lines.len() - 2..],
        [
            "warning: 4 item(s) rest on superseded law texts (each named above):",
            "  《城市道路管理条例》（2017年修订）, superseded by the text of 2030-01-01: 4 item(s)",
        ],
        "{err}"
    );
}

#[test]
fn get_shows_the_version_after_the_title_and_says_when_it_is_superseded() {
    let (_tmp, idx, _) = built_superseded();
    let idx = idx.to_str().unwrap();
    let text = stdout(&run(&["get", idx, "CG-CF-014"]));
    assert!(
        text.contains("basis: 《城市道路管理条例》（2017年修订）第二十七条第（一）项\n"),
        "{text}"
    );
    assert!(
        text.contains("(superseded by the text of 2030-01-01（测试用的日期）: the article below is the older text)"),
        "{text}"
    );
    // A law not superseded: the version, no note.
    let other = stdout(&run(&["get", idx, "CG-CF-001"]));
    assert!(
        other.contains("basis: 《城市市容和环境卫生管理条例》（2011年修订）第三十二条"),
        "{other}"
    );
    assert!(!other.contains("superseded"), "{other}");
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&run(&["get", idx, "CG-CF-014", "--json"]))).unwrap();
    let b = &json["bases"][0];
    assert_eq!(
        b["versioned_citation"],
        "《城市道路管理条例》（2017年修订）第二十七条第（一）项"
    );
    assert_eq!(b["citation"], "《城市道路管理条例》第二十七条第（一）项");
    assert_eq!(
        b["version"],
        serde_json::json!({"date": "2017-03-01", "kind": "修订", "label": "2017年修订", "source": ""})
    );
    assert_eq!(
        b["superseded"],
        serde_json::json!({"date": "2030-01-01", "note": "（测试用的日期）"})
    );
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&run(&["get", idx, "CG-CF-001", "--json"]))).unwrap();
    assert_eq!(json["bases"][0]["superseded"], serde_json::Value::Null);
}

#[test]
fn stats_list_every_law_with_its_version_and_the_items_citing_it() {
    let (tmp, idx, _) = built_superseded();
    let idx = idx.to_str().unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&run(&["stats", idx, "--json"]))).unwrap();
    assert_eq!(
        json["law_texts"],
        serde_json::json!([
            {
                "title": "城市道路管理条例",
                "version": {"date": "2017-03-01", "kind": "修订", "label": "2017年修订", "source": ""},
                "superseded": {"date": "2030-01-01", "note": "（测试用的日期）"},
                "articles": road_articles(),
                "items": 4
            },
            {
                "title": "城市市容和环境卫生管理条例",
                "version": {"date": "2011-01-08", "kind": "修订", "label": "2011年修订", "source": ""},
                "superseded": null,
                "articles": json["law_texts"][1]["articles"],
                "items": 3
            }
        ])
    );
    let text = stdout(&run(&["stats", idx]));
    assert!(
        text.contains("法律法规的文本版本及引用事项数\n  《城市道路管理条例》 2017年修订（2017-03-01）  4 项  已被修订：2030-01-01（测试用的日期）\n  《城市市容和环境卫生管理条例》 2011年修订（2011-01-08）  3 项\n"),
        "{text}"
    );
    let dir = tmp.path().join("csv");
    stdout(&run(&["stats", idx, "--csv", dir.to_str().unwrap()]));
    let csv = std::fs::read_to_string(dir.join("laws.csv")).unwrap();
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    assert_eq!(
        lines.next(),
        Some("title,version,date,kind,source,superseded,superseded_note,articles,items")
    );
    assert_eq!(
        lines.next(),
        Some(
            format!(
                "城市道路管理条例,2017年修订,2017-03-01,修订,,2030-01-01,（测试用的日期）,{},4",
                road_articles()
            )
            .as_str()
        )
    );
}

#[test]
fn the_samples_superseded_laws_are_declared_and_warned_about() {
    let c = Catalog::compile(&Sources::from_dir(&repo().join("data")).unwrap()).unwrap();
    let superseded: Vec<(&str, &str)> = c
        .laws
        .iter()
        .filter_map(|l| Some((l.title.as_str(), l.superseded.as_ref()?.date.as_str())))
        .collect();
    assert_eq!(
        superseded,
        [
            ("中华人民共和国传染病防治法", "2025-04-30"),
            ("中华人民共和国反不正当竞争法", "2025-06-27"),
            ("医疗机构管理条例", "2022-03-29"),
        ]
    );
    // 医疗机构管理条例's history stops at 1994; MANIFEST.tsv dates its text 2016-02-06.
    assert_eq!(
        strs(version_of(&c, "医疗机构管理条例")),
        [
            "2016-02-06",
            "",
            "2016年文本",
            "行政法规/医疗机构管理条例(2016-02-06).md"
        ]
    );
    assert_eq!(version_of(&c, "中华人民共和国传染病防治法").2, "2013年修正");
    // Every law of the sample has a version.
    assert!(c.laws.iter().all(|l| l.version.is_some()));
}

#[test]
fn diff_names_a_law_whose_text_is_another_version_and_the_items_citing_it() {
    let (tmp, superseded, _) = built_superseded();
    let plain = tmp.path().join("plain.idx");
    build_index(&repo().join("tests/fixtures/mini"), &plain);
    // A newer text of the road law: another history line, the same articles.
    let cat = tmp.path().join("amended");
    copy_catalog(&repo().join("tests/fixtures/mini"), &cat);
    let law = cat.join("laws/城市道路管理条例.md");
    let text = std::fs::read_to_string(&law).unwrap().replacen(
        "<!-- INFO END -->",
        "2029年1月1日 测试用的第三次修订\n\n<!-- INFO END -->",
        1,
    );
    std::fs::write(&law, text).unwrap();
    let amended = tmp.path().join("amended.idx");
    build_index(&cat, &amended);
    let (plain, superseded, amended) = (
        plain.to_str().unwrap(),
        superseded.to_str().unwrap(),
        amended.to_str().unwrap(),
    );

    let json: serde_json::Value =
        serde_json::from_str(&stdout(&run(&["diff", plain, superseded, "--json"]))).unwrap();
    assert_eq!(json["counts"]["laws"], 1, "{json}");
    let law = &json["laws"][0];
    assert_eq!(law["title"], "城市道路管理条例");
    assert_eq!(law["old"], "2017年修订");
    assert_eq!(law["new"], "2017年修订");
    assert_eq!(law["old_superseded"], serde_json::Value::Null);
    assert_eq!(law["new_superseded"], "2030-01-01");
    assert_eq!(law["items"].as_array().unwrap().len(), 4, "{law}");
    assert_eq!(
        law["summary"],
        "《城市道路管理条例》2017年修订 → 2017年修订；已于2030-01-01修订，所收文本已过时"
    );
    // The text report names it under its own heading, with the items.
    let text = stdout(&run(&["diff", plain, amended]));
    assert!(text.contains("法律文本变更 1\n"), "{text}");
    assert!(
        text.contains("法律文本变更（1）\n  《城市道路管理条例》2017年修订 → 2029年修订\n    引用的事项：CG-CF-014、"),
        "{text}"
    );
    // The other law and the items themselves did not change.
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&run(&["diff", plain, amended, "--json"]))).unwrap();
    assert_eq!(json["counts"]["rebased"], 0);
    assert_eq!(json["counts"]["changed"], 0);
}

#[test]
fn the_printed_list_cites_the_text_it_quotes_and_says_when_it_is_superseded() {
    let (tmp, idx, _) = built_superseded();
    let html = tmp.path().join("list.html");
    let o = run(&[
        "export",
        idx.to_str().unwrap(),
        "--html",
        "--region",
        "321281100",
        "-o",
        html.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(&html).unwrap();
    assert!(
        html.contains("<p><bdi>《城市道路管理条例》（2017年修订）第二十七条第（一）项</bdi></p><p class=\"superseded\">该法律法规已于<bdi>2030-01-01</bdi>修订，下列条文为修订前的文本，请以现行文本为准。</p><blockquote>"),
        "{html}"
    );
    // Every citation the list prints names the version it quotes.
    assert!(!html.contains("《城市道路管理条例》第"), "{html}");
}
