//! The CLI contract, run as a subprocess: commands, output formats, exit codes, no half-written
//! files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_powerlist"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("powerlist runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

use crate::common::repo as root;

/// The sample catalog in data/, built once for all tests.
fn sample_index() -> &'static Path {
    static IDX: OnceLock<PathBuf> = OnceLock::new();
    IDX.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("powerlist-cli-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let out = dir.join("sample.idx");
        let o = run(&[
            "build",
            root().join("data").to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        out
    })
}

fn json(args: &[&str]) -> serde_json::Value {
    let o = run(args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("valid JSON")
}

mod build {
    use super::*;

    #[test]
    fn prints_a_one_line_summary_and_only_the_superseded_law_warnings() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("x.idx");
        let o = run(&[
            "build",
            root().join("data").to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success());
        let s = stdout(&o);
        assert_eq!(s.lines().count(), 1, "{s}");
        assert!(
            s.contains(" items, ") && s.contains(" laws, ") && s.contains(" articles cited, "),
            "{s}"
        );
        assert!(
            s.contains(" regions, ") && s.trim_end().ends_with(" bytes"),
            "{s}"
        );
        // The sample's only warnings: one a county for the township penalties that name no
        // document (it has none to give; see data/README.md), and the items resting on the
        // three law texts data/laws declares superseded, one line each, then one line per law.
        let err = stderr(&o);
        let (devolution, rest): (Vec<&str>, Vec<&str>) = err
            .lines()
            .partition(|l| l.contains("《行政处罚法》第二十四条"));
        assert_eq!(devolution.len(), 6, "{err}");
        assert!(
            devolution.iter().all(|l| l.contains(": warning: lint: ")),
            "{err}"
        );
        let (items, summary): (Vec<&str>, Vec<&str>) =
            rest.into_iter().partition(|l| l.contains(": warning: "));
        assert!(!items.is_empty(), "{err}");
        assert!(
            items.iter().all(|l| l.contains(" rests on 《")
                && l.ends_with(": check its citations against the new text")),
            "{err}"
        );
        assert!(
            summary[0].starts_with("warning: ") && summary[0].contains("superseded law texts"),
            "{err}"
        );
        let laws: Vec<&str> = summary[1..]
            .iter()
            .map(|l| l.trim_start().split('》').next().unwrap_or(""))
            .collect();
        assert_eq!(
            laws,
            [
                "《中华人民共和国传染病防治法",
                "《中华人民共和国反不正当竞争法",
                "《医疗机构管理条例"
            ],
            "{err}"
        );
        let bytes = std::fs::metadata(&out).unwrap().len();
        assert!(s.contains(&format!("{bytes} bytes")));
    }

    #[test]
    fn broken_catalog_fails_with_file_line_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir_all(data.join("laws")).unwrap();
        std::fs::write(
            data.join("items.csv"),
            "code,name,type,field,level,department,basis\nA-1,对甲的行政处罚,行政处罚,城市管理,县级,城管,《不存在法》第一条\n",
        )
        .unwrap();
        let out = dir.path().join("out.idx");
        let o = run(&["build", data.to_str().unwrap(), "-o", out.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1));
        let e = stderr(&o);
        assert!(
            e.contains("items.csv:2: law 《不存在法》 is not in the catalog's laws/"),
            "{e}"
        );
        assert!(e.contains("no index was written"), "{e}");
        assert!(!out.exists());
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left behind"
        );
        let o = run(&["check", data.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1));
    }

    #[test]
    fn a_failed_build_keeps_the_previous_index() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("keep.idx");
        std::fs::write(&out, b"previous").unwrap();
        let o = run(&[
            "build",
            dir.path().join("missing").to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(1));
        assert!(
            stderr(&o).contains("items.csv: not found"),
            "{}",
            stderr(&o)
        );
        assert_eq!(std::fs::read(&out).unwrap(), b"previous");
    }

    #[test]
    fn check_validates_the_sample() {
        let o = run(&["check", root().join("data").to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stdout(&o).contains("is valid"));
    }
}

mod search {
    use super::*;

    fn search(q: &str, extra: &[&str]) -> serde_json::Value {
        let idx = sample_index().to_str().unwrap();
        let mut args = vec!["search", idx, q, "--json"];
        args.extend_from_slice(extra);
        json(&args)
    }

    fn top_codes(v: &serde_json::Value) -> Vec<String> {
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["code"].as_str().unwrap().to_string())
            .collect()
    }

    #[test]
    fn json_contract() {
        let v = search("占道经营", &["--region", "321281100"]);
        assert!(v["total"].as_u64().unwrap() >= 1);
        assert!(
            v["facets"]["field"].is_object()
                && v["facets"]["type"].is_object()
                && v["facets"]["level"].is_object()
        );
        let h = &v["hits"][0];
        for key in [
            "code",
            "name",
            "type",
            "field",
            "level",
            "department",
            "handled_by",
            "bases",
            "score",
            "highlights",
        ] {
            assert!(h.get(key).is_some(), "missing {key} in {h}");
        }
        let b = &h["bases"][0];
        for key in ["law", "article", "paragraph", "item", "citation"] {
            assert!(b.get(key).is_some(), "missing {key} in {b}");
        }
        // Article texts are for the item page (`get`), not for every hit of a result list.
        assert!(
            b.get("text").is_none(),
            "search hits carry no article text: {b}"
        );
        assert_eq!(h["handled_by"], "戴窑镇综合行政执法局");
        assert!(h["highlights"].is_array());
    }

    #[test]
    fn citizen_queries_find_the_right_items() {
        let cases = [
            ("油烟扰民", "油烟"),
            ("占道经营", "占用城市道路"),
            ("无证行医", "医疗机构执业许可证"),
            ("食品过期", "保质期"),
            ("摆摊", "摆摊"),
        ];
        for (q, in_name) in cases {
            let v = search(q, &[]);
            let name = v["hits"][0]["name"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            assert!(name.contains(in_name), "{q}: top hit {name}");
        }
        // 摆摊 is a keyword of the city-road item: it is among the first hits.
        let v = search("摆摊", &[]);
        let names: Vec<&str> = v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .take(3)
            .map(|h| h["name"].as_str().unwrap())
            .collect();
        assert!(
            names.iter().any(|n| n.contains("占用城市道路")),
            "{names:?}"
        );
    }

    #[test]
    fn citations_carry_the_article_text() {
        for q in [
            "食品安全法第一百二十二条",
            "食品安全法 122",
            "《中华人民共和国食品安全法》第122条",
        ] {
            let v = search(q, &[]);
            assert_eq!(v["kind"], "citation", "{q}");
            assert!(v["total"].as_u64().unwrap() >= 1, "{q}");
            assert!(
                v["citation"]["text"]
                    .as_str()
                    .unwrap()
                    .contains("未取得食品生产经营许可"),
                "{q}"
            );
        }
    }

    /// Short names the sample's law files declare (安法, 药法, 水污法, 燃气条例, 危化品条例)
    /// or that derive from a title (土管法), loose forms, several articles, a typo in a name.
    #[test]
    fn loosely_typed_citations() {
        for (q, first) in [
            ("安法 第99条", "YJ-CF-005"),
            ("新药法第一百一十六条", "SJ-CF-045"),
            ("水污法83条", "ST-CF-015"),
            ("燃气条例 第49条", "CG-CF-036"),
            ("危化品条例 第33条", "YJ-CF-021"),
            ("土管法 七十七条", "ZR-CF-004"),
            ("食安法123条1款3项", "SJ-CF-003"),
            ("大气法81条 118条", "CG-CF-040"),
            ("大汽污染防治法118条", "CG-CF-040"),
        ] {
            let v = search(q, &["--limit", "3"]);
            assert_eq!(v["kind"], "citation", "{q}");
            assert_eq!(top_codes(&v)[0], first, "{q}");
        }
        let v = search("ST QZ 003", &[]);
        assert_eq!(top_codes(&v), ["ST-QZ-003"]);
    }

    /// An article no item cites: no item, and the text output says so plainly.
    #[test]
    fn an_uncited_article_says_so() {
        let idx = sample_index().to_str().unwrap();
        let o = run(&["search", idx, "消防法 64条"]);
        let out = stdout(&o);
        assert!(o.status.success());
        assert!(out.starts_with("0 item(s)"), "{out}");
        assert!(
            out.contains("no item cites 《中华人民共和国消防法》第六十四条\n"),
            "{out}"
        );
        let v = search("道交法 第90条", &[]);
        assert_eq!(
            (v["total"].as_u64(), v["citation"]["uncited"].as_bool()),
            (Some(0), Some(true))
        );
    }

    /// Several articles: each one's text on its own line, labelled with its citation.
    #[test]
    fn several_articles_each_with_its_text() {
        let idx = sample_index().to_str().unwrap();
        let out = stdout(&run(&["search", idx, "大气法第18条、第19条"]));
        let lines: Vec<&str> = out.lines().collect();
        assert!(
            lines[1].starts_with("《中华人民共和国大气污染防治法》第十八条: 企业事业单位"),
            "{out}"
        );
        assert!(
            lines[2].starts_with("《中华人民共和国大气污染防治法》第十九条: 排放工业废气"),
            "{out}"
        );
        // One article: one line, as before.
        let out = stdout(&run(&["search", idx, "大气法第18条"]));
        let texts = out.lines().filter(|l| l.starts_with("《")).count();
        assert_eq!(texts, 1, "{out}");
        assert!(
            out.lines()
                .nth(1)
                .is_some_and(|l| l.starts_with("《中华人民共和国大气污染防治法》第十八条: ")),
            "{out}"
        );
        let v = search("大气法第18条、第19条", &[]);
        assert_eq!(v["citation"]["articles"].as_array().map(Vec::len), Some(2));
        assert_eq!(v["citation"]["articles"][1]["article"], 19);
    }

    /// A pinyin slip is shown as the Chinese word its correction spells, the pinyin beside it.
    #[test]
    fn a_pinyin_slip_is_shown_in_chinese() {
        let idx = sample_index().to_str().unwrap();
        let out = stdout(&run(&["search", idx, "lajii"]));
        assert!(
            out.contains("showing results for \"垃圾\" (laji; nothing matched \"lajii\" whole)\n"),
            "{out}"
        );
        // Two words of one spelling: the pinyin.
        let out = stdout(&run(&["search", idx, "jianche"]));
        assert!(
            out.contains("showing results for \"jiance\" (nothing matched \"jianche\" whole)\n"),
            "{out}"
        );
        let v = search("lajii", &[]);
        assert_eq!(
            (&v["corrected"], &v["corrected_word"]),
            (&"laji".into(), &"垃圾".into())
        );
    }

    #[test]
    fn pinyin_and_codes() {
        let v = search("zdjy", &[]);
        assert!(v["hits"][0]["name"]
            .as_str()
            .unwrap()
            .contains("占用城市道路"));
        let v = search("cg-cf-01", &[]);
        assert_eq!(v["kind"], "code");
        assert!(top_codes(&v).iter().all(|c| c.starts_with("CG-CF-01")));
    }

    #[test]
    fn filters_narrow_and_limit_applies() {
        let v = search(
            "",
            &["--field", "城市管理", "--type", "行政强制", "--limit", "3"],
        );
        assert!(v["hits"].as_array().unwrap().len() <= 3);
        for h in v["hits"].as_array().unwrap() {
            assert_eq!(h["field"], "城市管理");
            assert_eq!(h["type"], "行政强制");
        }
    }

    #[test]
    fn odd_queries_give_results_or_nothing_never_a_crash() {
        let idx = sample_index().to_str().unwrap();
        let big = "食".repeat(100_000 / 3);
        for q in [
            "",
            "   ",
            "😀😀",
            "<script>",
            big.as_str(),
            "第条款项",
            "--",
        ] {
            let o = bin()
                .args(["search", idx, "--json", "--", q])
                .output()
                .unwrap();
            assert_eq!(o.status.code(), Some(0), "{q:?}: {}", stderr(&o));
        }
    }

    #[test]
    fn unknown_region_is_a_clear_error() {
        let idx = sample_index().to_str().unwrap();
        let o = run(&["search", idx, "摆摊", "--region", "000"]);
        assert_eq!(o.status.code(), Some(1));
        assert!(stderr(&o).contains("unknown region \"000\""));
    }
}

#[test]
fn regression_closed_pipe_is_not_a_panic() {
    let idx = sample_index().to_str().unwrap();
    let mut child = bin()
        .args(["search", idx, "", "--limit", "400"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader goes away, like `| head -0`
    let out = child.wait_with_output().unwrap();
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("panicked"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_ne!(out.status.code(), Some(101));
}

mod get_and_stats {
    use super::*;

    #[test]
    fn get_json_is_one_item() {
        let idx = sample_index().to_str().unwrap();
        let v = json(&["get", idx, "cg-cf-014", "--json", "--region", "321281"]);
        assert_eq!(v["code"], "CG-CF-014");
        assert_eq!(v["handled_by"], "兴化市城市管理局");
        let o = run(&["get", idx, "NOPE-1"]);
        assert_eq!(o.status.code(), Some(1));
        assert!(stderr(&o).contains("no item has code \"NOPE-1\""));
    }

    #[test]
    fn stats_json() {
        let idx = sample_index().to_str().unwrap();
        let v = json(&["stats", idx, "--json"]);
        assert!(v["items"].as_u64().unwrap() >= 400);
        assert!(v["by_field"].as_object().unwrap().len() >= 12);
        assert_eq!(v["catalog"]["version"], "2025.1");
        assert!(v["catalog"]["name"].as_str().unwrap().contains("泰州"));
        assert_eq!(
            v["bytes"].as_u64().unwrap(),
            std::fs::metadata(idx).unwrap().len()
        );
    }

    #[test]
    fn stats_and_get_name_the_catalog_version_in_text() {
        let idx = sample_index().to_str().unwrap();
        let line = "泰州市乡镇（街道）综合行政执法事项清单（示例） 2025.1 (2025-11-25)";
        let o = run(&["stats", idx]);
        assert!(o.status.success());
        assert_eq!(
            stdout(&o).lines().next(),
            Some("泰州市乡镇（街道）综合行政执法事项清单（示例）（2025.1 2025-11-25）")
        );
        let o = run(&["get", idx, "CG-CF-014"]);
        assert!(o.status.success());
        assert_eq!(
            stdout(&o).lines().last(),
            Some(&*format!("     catalog: {line}"))
        );
    }

    #[test]
    fn corrupt_index_is_an_error_not_a_crash() {
        let dir = tempfile::tempdir().unwrap();
        let mut bytes = std::fs::read(sample_index()).unwrap();
        let p = dir.path().join("bad.idx");
        let mid = bytes.len() / 2;
        bytes[mid] ^= 0x40;
        std::fs::write(&p, &bytes).unwrap();
        for args in [vec!["stats"], vec!["search", "x"], vec!["get", "x"]] {
            let mut a = vec![args[0], p.to_str().unwrap()];
            a.extend_from_slice(&args[1..]);
            let o = run(&a);
            assert_eq!(o.status.code(), Some(1));
            assert!(stderr(&o).contains("checksum mismatch"), "{}", stderr(&o));
        }
        std::fs::write(&p, b"").unwrap();
        assert!(stderr(&run(&["stats", p.to_str().unwrap()])).contains("the index is empty"));
    }
}

mod interrupted {
    use super::*;

    /// Builds killed at many points (the index write slowed down so kills land inside it) never
    /// leave a partial index at the target path: it is either the previous index or a complete
    /// new one.
    #[test]
    fn regression_killed_build_never_leaves_a_partial_index() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("catalog.idx");
        let data = root().join("tests/fixtures/mini");
        let previous = b"previous".to_vec();
        std::fs::write(&out, &previous).unwrap();
        let mut saw_previous = false;
        let mut saw_new = false;
        for i in 0..24u64 {
            let mut child = bin()
                .args(["build", data.to_str().unwrap(), "-o", out.to_str().unwrap()])
                .env("POWERLIST_TEST_WRITE_DELAY_MS", "8")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            if i < 23 {
                std::thread::sleep(std::time::Duration::from_millis(20 + i * 8));
                let _ = child.kill();
            }
            // The last build runs to the end.
            let _ = child.wait();
            let bytes = std::fs::read(&out).unwrap();
            if bytes == previous {
                saw_previous = true;
            } else {
                powerlist::Index::from_bytes(&bytes).expect("a complete index");
                saw_new = true;
            }
        }
        assert!(
            saw_previous && saw_new,
            "kills should land both before and after the rename"
        );
        // A later build removes the temporary files that killed builds left.
        let o = run(&["build", data.to_str().unwrap(), "-o", out.to_str().unwrap()]);
        assert!(o.status.success());
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["catalog.idx".to_string()]);
    }
}
