//! `powerlist stats` (text, `--json`, `--csv DIR`) checked against counts computed here from the
//! source CSV files, and `powerlist export` (`--csv` round trip to the same index bytes,
//! `--html` printable list), run as a subprocess.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::{json, Value};

use crate::common::cli::run;

/// Runs the CLI; it must succeed.
pub(crate) fn ok(args: &[&str]) -> Output {
    let o = run(args);
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

use crate::common::repo as root;

/// `powerlist build DIR -o OUT`; it must succeed.
pub(crate) fn build(dir: &Path, out: &Path) {
    ok(&["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap()]);
}

/// Rows of a CSV file as maps from header to cell.
fn table(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(|c| c.trim().to_string()))
                .collect()
        })
        .collect()
}

/// Column by its English or Chinese header.
fn col<'a>(row: &'a BTreeMap<String, String>, names: &[&str]) -> &'a str {
    names
        .iter()
        .find_map(|n| row.get(*n))
        .map_or("", |s| s.as_str())
}

fn count<'a>(values: impl Iterator<Item = &'a str>) -> Value {
    let mut m: BTreeMap<&str, u32> = BTreeMap::new();
    for v in values {
        *m.entry(v).or_default() += 1;
    }
    json!(m)
}

/// What `stats --json` must say, computed from the catalog's source files alone.
fn expected_stats(dir: &Path) -> Value {
    let items = table(&dir.join("items.csv"));
    let regions = table(&dir.join("regions.csv"));
    let assignments = table(&dir.join("assignments.csv"));
    let law_titles: BTreeSet<String> = std::fs::read_dir(dir.join("laws"))
        .unwrap()
        .filter_map(|e| {
            let text = std::fs::read_to_string(e.unwrap().path()).ok()?;
            Some(text.lines().next()?.strip_prefix("# ")?.trim().to_string())
        })
        .collect();
    let full_title = |t: &str| {
        if law_titles.contains(t) {
            t.to_string()
        } else {
            format!("中华人民共和国{t}")
        }
    };
    let mut by_law: BTreeMap<String, u32> = BTreeMap::new();
    for it in &items {
        let basis = col(it, &["basis", "实施依据"]);
        let titles: BTreeSet<String> = basis
            .split('《')
            .skip(1)
            .filter_map(|s| s.split_once('》').map(|(t, _)| full_title(t)))
            .collect();
        for t in titles {
            *by_law.entry(t).or_default() += 1;
        }
    }
    let levels = items
        .iter()
        .flat_map(|it| col(it, &["level", "行使层级"]).split('；'));
    let n = items.len() as u32;
    let mut townships = Vec::new();
    let mut counties: Vec<(String, String, u32, BTreeSet<&str>)> = Vec::new();
    for r in regions.iter().filter(|r| r["code"].len() == 9) {
        let own: Vec<&str> = assignments
            .iter()
            .filter(|a| a["region"] == r["code"])
            .map(|a| a["item"].as_str())
            .collect();
        townships.push(json!({
            "code": r["code"], "name": r["name"], "county": r["parent"],
            "own": own.len(), "above": n - own.len() as u32,
        }));
        match counties.iter_mut().find(|c| c.0 == r["parent"]) {
            Some(c) => {
                c.2 += 1;
                c.3.extend(own);
            }
            None => {
                let name =
                    regions.iter().find(|p| p["code"] == r["parent"]).unwrap()["name"].clone();
                counties.push((r["parent"].clone(), name, 1, own.into_iter().collect()));
            }
        }
    }
    counties.sort_by_key(|c| regions.iter().position(|r| r["code"] == c.0));
    let counties: Vec<Value> = counties
        .into_iter()
        .map(|(code, name, t, set)| {
            json!({"code": code, "name": name, "townships": t, "items": n,
                   "devolved": set.len(), "share": set.len() as f64 / f64::from(n)})
        })
        .collect();
    json!({
        "items": n,
        "regions": regions.len(),
        "assignments": assignments.len(),
        "by_field": count(items.iter().map(|it| col(it, &["field", "领域"]))),
        "by_type": count(items.iter().map(|it| col(it, &["type", "事项类型"]))),
        "by_level": count(levels),
        "by_law": by_law,
        "by_department": count(items.iter().map(|it| col(it, &["department", "实施主体"]))),
        "by_body": count(assignments.iter().map(|a| a["body"].as_str())),
        "townships": townships,
        "counties": counties,
    })
}

fn stats_json(index: &Path) -> Value {
    let o = ok(&["stats", index.to_str().unwrap(), "--json"]);
    serde_json::from_slice(&o.stdout).unwrap()
}

fn check_stats_against_sources(dir: &Path) {
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("c.idx");
    build(dir, &idx);
    let got = stats_json(&idx);
    let want = expected_stats(dir);
    for (key, value) in want.as_object().unwrap() {
        assert_eq!(&got[key], value, "{}: {key}", dir.display());
    }
}

mod stats {
    use super::*;

    #[test]
    fn json_counts_match_the_mini_catalogs_source_files() {
        check_stats_against_sources(&root().join("tests/fixtures/mini"));
    }

    #[test]
    fn json_counts_match_the_sample_catalogs_source_files() {
        check_stats_against_sources(&root().join("data"));
    }

    #[test]
    fn text_output_has_chinese_labels_and_the_devolved_share() {
        let tmp = tempfile::tempdir().unwrap();
        let idx = tmp.path().join("c.idx");
        build(&root().join("tests/fixtures/mini"), &idx);
        let o = ok(&["stats", idx.to_str().unwrap()]);
        let text = String::from_utf8(o.stdout).unwrap();
        for want in [
            "各领域事项数",
            "  城市管理  7 项",
            "引用各法律法规的事项数",
            "各承办主体承接的事项数",
            "321281100 戴窑镇：本级 1 项，上级 7 项",
            "321281 兴化市：2 个乡镇（街道），下放 2 / 8 项（25.0%）",
        ] {
            assert!(text.contains(want), "{want}\n{text}");
        }
    }

    #[test]
    fn csv_tables_are_written_with_a_bom_for_excel() {
        let tmp = tempfile::tempdir().unwrap();
        let idx = tmp.path().join("c.idx");
        build(&root().join("tests/fixtures/mini"), &idx);
        let out = tmp.path().join("stats");
        ok(&[
            "stats",
            idx.to_str().unwrap(),
            "--csv",
            out.to_str().unwrap(),
        ]);
        let names: BTreeSet<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        let want: BTreeSet<String> = [
            "summary",
            "by_field",
            "by_type",
            "by_level",
            "by_law",
            "by_department",
            "by_body",
            "townships",
            "counties",
            "laws",
        ]
        .iter()
        .map(|n| format!("{n}.csv"))
        .collect();
        assert_eq!(names, want);
        let field = std::fs::read(out.join("by_field.csv")).unwrap();
        assert_eq!(
            String::from_utf8(field).unwrap(),
            "\u{feff}field,items\n城市管理,7\n市政,1\n"
        );
        let counties = std::fs::read_to_string(out.join("counties.csv")).unwrap();
        assert!(
            counties.contains("321281,兴化市,2,8,2,0.2500"),
            "{counties}"
        );
    }
}

mod export {
    use super::*;

    fn sample_index(dir: &Path) -> PathBuf {
        let idx = dir.join("sample.idx");
        build(&root().join("data"), &idx);
        idx
    }

    #[test]
    fn csv_export_with_the_laws_rebuilds_the_same_index() {
        let tmp = tempfile::tempdir().unwrap();
        let idx = sample_index(tmp.path());
        let out = tmp.path().join("exported");
        ok(&[
            "export",
            idx.to_str().unwrap(),
            "--csv",
            out.to_str().unwrap(),
        ]);
        assert!(!out.join("laws").exists(), "laws are not in the index");
        let laws = out.join("laws");
        std::fs::create_dir(&laws).unwrap();
        for e in std::fs::read_dir(root().join("data/laws")).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), laws.join(e.file_name())).unwrap();
        }
        // Nor is the lexicon (the index has only what it made: hidden keywords, fillers).
        assert!(!out.join("lexicon.tsv").exists());
        std::fs::copy(root().join("data/lexicon.tsv"), out.join("lexicon.tsv")).unwrap();
        let again = tmp.path().join("again.idx");
        build(&out, &again);
        assert!(
            std::fs::read(&idx).unwrap() == std::fs::read(&again).unwrap(),
            "the rebuilt index differs"
        );
        let items = std::fs::read_to_string(out.join("items.csv")).unwrap();
        let source = std::fs::read_to_string(root().join("data/items.csv")).unwrap();
        let row = |text: &str| {
            text.lines()
                .find(|l| l.starts_with("CG-CF-014,"))
                .map(str::to_string)
        };
        assert_eq!(
            row(&items),
            row(&source),
            "bases in the canonical citation form"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("catalog.txt")).unwrap(),
            "name: 泰州市乡镇（街道）综合行政执法事项清单（示例）\nversion: 2025.1\ndate: 2025-11-25\n"
        );
    }

    /// The mini catalog with an item whose name is markup.
    fn hostile_index(dir: &Path) -> PathBuf {
        let src = dir.join("src");
        std::fs::create_dir_all(src.join("laws")).unwrap();
        let mini = root().join("tests/fixtures/mini");
        for e in std::fs::read_dir(mini.join("laws")).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), src.join("laws").join(e.file_name())).unwrap();
        }
        for f in ["regions.csv", "assignments.csv"] {
            std::fs::copy(mini.join(f), src.join(f)).unwrap();
        }
        let items = std::fs::read_to_string(mini.join("items.csv"))
            .unwrap()
            .replace("对擅自占用城市道路的行政处罚", "<script>alert(1)</script>");
        std::fs::write(src.join("items.csv"), items).unwrap();
        std::fs::write(
            src.join("catalog.txt"),
            "name: 兴化市<b>权力</b>清单\nversion: 1\ndate: 2025-01-01\n",
        )
        .unwrap();
        let idx = dir.join("h.idx");
        build(&src, &idx);
        idx
    }

    /// `export --html --region REGION` of `idx` into `dir`: the page.
    fn html_list(dir: &Path, idx: &Path, region: &str) -> String {
        let out = dir.join("list.html");
        let (idx, out_s) = (idx.to_str().unwrap(), out.to_str().unwrap());
        ok(&["export", idx, "--html", "--region", region, "-o", out_s]);
        std::fs::read_to_string(&out).unwrap()
    }

    #[test]
    fn html_lists_a_townships_items_escaped_and_self_contained() {
        let tmp = tempfile::tempdir().unwrap();
        let idx = hostile_index(tmp.path());
        let html = html_list(tmp.path(), &idx, "戴窑镇");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!html.contains("<script"), "no markup from the catalog");
        assert!(html.contains("<h1><bdi>兴化市&lt;b&gt;权力&lt;/b&gt;清单</bdi></h1>"));
        assert!(html.contains("<bdi>江苏省泰州市兴化市戴窑镇</bdi>（<bdi>321281100</bdi>）"));
        assert!(html.contains("版本 <bdi>1</bdi> · 日期 <bdi>2025-01-01</bdi>"));
        // CG-CF-014 is devolved to 戴窑镇: it is listed with its handling body and cited text.
        let own = &html[..html.find("id=\"above\"").unwrap()];
        assert!(own.contains("<bdi>戴窑镇综合行政执法局</bdi>（<bdi>赋权</bdi>）"));
        assert!(own.contains("《城市道路管理条例》（2017年修订）第二十七条第（一）项"));
        assert!(own.contains("擅自占用或者挖掘城市道路"));
        let above = &html[html.find("id=\"above\"").unwrap()..];
        assert!(above.contains("由上级部门行使的事项（7 项）"));
        assert!(above.contains("CG-CF-001"));
        // Printable and self-contained.
        assert!(html.contains("@page { size: A4"));
        assert!(html.contains("thead { display: table-header-group; }"));
        for external in ["http:", "https:", "src=", "<link"] {
            assert!(!html.contains(external), "{external}");
        }
    }

    /// A bidirectional-text control (U+202E) in a region's, a body's and an item's name (issue
    /// 17): `build` warns at each (file:line, the column, the fix) and still builds; the HTML
    /// list isolates every catalog string, so none reorders its neighbours (the region code
    /// stays `（321281100）`), and its title holds no control.
    #[test]
    fn html_isolates_every_catalog_string_and_build_warns_of_bidi_controls() {
        let tmp = tempfile::tempdir().unwrap();
        let src = tmp.path().join("src");
        crate::common::cli::copy_catalog(&root().join("tests/fixtures/mini"), &src);
        let rlo = '\u{202E}';
        for (file, from, to) in [
            ("regions.csv", "戴窑镇", format!("戴{rlo}窑镇")),
            ("assignments.csv", "戴窑镇综合", format!("戴窑镇{rlo}综合")),
            (
                "items.csv",
                "对擅自占用城市道路",
                format!("对擅自{rlo}占用城市道路"),
            ),
        ] {
            let text = std::fs::read_to_string(src.join(file)).unwrap();
            assert!(text.contains(from), "{file}");
            std::fs::write(src.join(file), text.replace(from, &to)).unwrap();
        }
        let idx = tmp.path().join("b.idx");
        let o = run(&["build", src.to_str().unwrap(), "-o", idx.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        assert!(o.status.success(), "{err}");
        for (file, line, column) in [
            ("regions.csv", 6, "name"),
            ("assignments.csv", 3, "body"),
            ("items.csv", 5, "事项名称"),
        ] {
            let want = format!(
                "{file}:{line}: warning: the \"{column}\" field holds an invisible bidirectional-text control (U+202E)"
            );
            assert!(err.contains(&want), "{want}\n{err}");
        }
        assert_eq!(
            err.matches("bidirectional-text control").count(),
            3,
            "{err}"
        );
        assert!(err.contains("delete it (retype the text"), "{err}");
        let html = html_list(tmp.path(), &idx, "321281100");
        assert!(html.contains(&format!(
            "<p class=\"region\"><bdi>江苏省泰州市兴化市戴{rlo}窑镇</bdi>（<bdi>321281100</bdi>）</p>"
        )));
        let mut found = 0;
        for (at, _) in html.match_indices(rlo) {
            let before = &html[..at];
            let (open, close) = (before.rfind("<bdi>"), before.rfind("</bdi>"));
            assert!(
                open.is_some() && open > close,
                "not isolated: {}",
                &before[before.len().saturating_sub(80)..]
            );
            let after = &html[at..];
            assert!(after.find("</bdi>") < after.find("<bdi>").or(Some(usize::MAX)));
            found += 1;
        }
        assert_eq!(found, 3, "the region, the body, the item");
        let title = &html[html.find("<title>").unwrap()..html.find("</title>").unwrap()];
        assert!(!title.contains(rlo) && title.contains("戴窑镇"), "{title}");
    }

    #[test]
    fn html_needs_a_region_that_exercises_items() {
        let tmp = tempfile::tempdir().unwrap();
        let idx = hostile_index(tmp.path());
        let out = tmp.path().join("list.html");
        let (idx, out) = (idx.to_str().unwrap(), out.to_str().unwrap());
        let o = run(&["export", idx, "--html", "-o", out]);
        assert_eq!(o.status.code(), Some(2), "no --region is a usage error");
        let o = run(&["export", idx, "--html", "--region", "江苏省", "-o", out]);
        assert_eq!(o.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&o.stderr).contains("江苏省 (32) exercises no item itself"));
        let o = run(&["export", idx, "--html", "--region", "火星", "-o", out]);
        assert_eq!(o.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&o.stderr).contains("unknown region \"火星\""));
        assert!(!Path::new(out).exists(), "nothing written on error");
    }
}
