//! `powerlist amend`, run as a subprocess: a fixture catalog citing articles, paragraphs and
//! items of a made-up law (tests/fixtures/amend), and a new text of it in which one cited
//! paragraph and one item changed in place, one article was renumbered, one deleted and one
//! renumbered and changed — exact text and JSON, the exit codes, the same law in plain text,
//! and bad inputs.

use crate::common::cli;
use std::path::{Path, PathBuf};

use cli::{run, stderr};

use crate::common::repo as root;

const NEW: &str = "tests/fixtures/amend/new/示例市容管理条例.md";

/// The fixture catalog built into `out/amend.idx`.
fn build(out: &Path) -> PathBuf {
    let idx = out.join("amend.idx");
    let o = run(&[
        "build",
        root().join("tests/fixtures/amend").to_str().unwrap(),
        "-o",
        idx.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    idx
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `powerlist amend INDEX LAW [--json]`: its exit code and standard output.
fn amend(idx: &Path, law: &Path, json: bool) -> (Option<i32>, String) {
    let mut args = vec!["amend", s(idx), s(law)];
    if json {
        args.push("--json");
    }
    let o = run(&args);
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
    (o.status.code(), String::from_utf8(o.stdout).unwrap())
}

#[test]
fn every_fate_in_text_and_json_and_exit_code_3() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = build(tmp.path());
    let (code, text) = amend(&idx, &root().join(NEW), false);
    assert_eq!(code, Some(3), "something to review");
    assert_eq!(text, include_str!("fixtures/amend/amend.txt"));
    let (code, json) = amend(&idx, &root().join(NEW), true);
    assert_eq!(code, Some(3));
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let expected: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/amend/amend.json")).unwrap();
    assert_eq!(json, expected);
    // Each fate once at least, as the fixture's new text was written.
    let fates: Vec<(&str, &str, Option<&str>)> = json["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["status"].as_str().unwrap(),
                u["old"]["label"].as_str().unwrap(),
                u["new"]["label"].as_str(),
            )
        })
        .collect();
    for want in [
        ("changed", "第三条第二款", Some("第三条第二款")),
        ("changed", "第四条第（二）项", Some("第四条第（二）项")),
        ("unchanged", "第四条第（一）项", Some("第四条第（一）项")),
        ("moved", "第五条", Some("第六条")),
        ("gone", "第六条", None),
        ("moved", "第九条", Some("第十条")),
    ] {
        assert!(fates.contains(&want), "{want:?} in {fates:?}");
    }
}

#[test]
fn the_same_text_exits_zero_and_plain_text_reads_alike() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = build(tmp.path());
    let old = root().join("tests/fixtures/amend/laws/示例市容管理条例.md");
    let (code, text) = amend(&idx, &old, false);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("未变 8 · 修改 0 · 移动 0 · 删除 0；待复核事项 0 项\n新文本没有改动本清单引用的条款。\n"), "{text}");
    // The new text as published (no Markdown marks, full-width spaces): the same report.
    let md = std::fs::read_to_string(root().join(NEW)).unwrap();
    let plain: String = md
        .lines()
        .filter(|l| !l.starts_with("<!--"))
        .map(|l| {
            let l = l.trim_start_matches('#').trim_start();
            format!("{}\r\n", l.replacen("条 ", "条\u{3000}", 1))
        })
        .collect();
    let txt = tmp.path().join("示例市容管理条例.txt");
    std::fs::write(&txt, plain).unwrap();
    let (code, from_plain) = amend(&idx, &txt, true);
    assert_eq!(code, Some(3));
    let (_, from_md) = amend(&idx, &root().join(NEW), true);
    assert_eq!(from_plain, from_md);
}

#[test]
fn bad_law_texts_name_the_file_the_line_and_the_fix() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = build(tmp.path());
    let fails = |law: &Path| -> String {
        let o = run(&["amend", s(&idx), s(law)]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(o.stdout.is_empty());
        stderr(&o)
    };
    let write = |name: &str, bytes: &[u8]| {
        let p = tmp.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    // Not a law.
    let readme = root().join("README.md");
    let e = fails(&readme);
    assert!(
        e.starts_with(&format!("error: {}:1: no articles found", readme.display())),
        "{e}"
    );
    assert!(
        e.contains("choose a law text in Markdown as in data/laws/"),
        "{e}"
    );
    // A law the catalog does not cite; one with a title like a cited one.
    let gas = root().join("data/laws/城镇燃气管理条例.md");
    let e = fails(&gas);
    assert!(e.contains(&format!("{}: the catalog cites no law titled 《城镇燃气管理条例》 (none of the 1 laws it cites has a similar title", gas.display())), "{e}");
    let e = fails(&write(
        "x.md",
        "# 示例市容管理办法\n\n第一条 文。\n".as_bytes(),
    ));
    assert!(e.contains("titled 《示例市容管理办法》; it cites 《示例市容管理条例》; the text's title line must be the title the catalog cites"), "{e}");
    // Too large (refused unread), not UTF-8, not a file.
    let big = tmp.path().join("big.md");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(powerlist::amendment::MAX_LAW_BYTES as u64 + 1)
        .unwrap();
    let e = fails(&big);
    assert!(
        e.contains("big.md: the law text is 1048577 bytes long, more than the 1048576"),
        "{e}"
    );
    let e = fails(&write("gbk.md", b"# T\n\n\xd6\xd0\xce\xc4\n"));
    assert!(
        e.contains("gbk.md:3: the law text is not valid UTF-8; save it as UTF-8"),
        "{e}"
    );
    let e = fails(tmp.path());
    assert!(e.contains("is a folder, not a regular file"), "{e}");
}
