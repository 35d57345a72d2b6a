//! `powerlist diff`, run as a subprocess: every kind of change between two fixture catalogs
//! (tests/fixtures/diff/{old,new}, sharing laws and regions with tests/fixtures/mini through
//! `base:`), exact text and JSON, an empty diff, and the sample's two versions.

use crate::common::cli;
use std::path::{Path, PathBuf};

use cli::{run, stdout};

use crate::common::repo as root;

/// Builds catalog `dir` (relative to the repository) into `out/NAME.idx`, with no warning but
/// the legal lint's findings for review on the items `findings`.
fn build_with(dir: &str, out: &Path, name: &str, findings: &[&str]) -> PathBuf {
    let idx = out.join(format!("{name}.idx"));
    let o = run(&[
        "build",
        root().join(dir).to_str().unwrap(),
        "-o",
        idx.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // No warnings but the findings for review, the townships' penalties that name no document
    // (《行政处罚法》第二十四条, one line per county) and the items resting on superseded law
    // texts (the sample's laws declare three; tests/law_versions.rs checks them).
    let stderr = String::from_utf8_lossy(&o.stderr);
    let others: String = stderr
        .lines()
        .filter(|l| !l.contains("《行政处罚法》第二十四条"))
        .filter(|l| !(l.contains("superseded") || l.starts_with("  《")))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(
        crate::legal_lint::lint_codes(&others),
        Ok(findings.iter().map(|c| c.to_string()).collect()),
        "no warnings but the findings for review"
    );
    idx
}

/// Builds catalog `dir` (relative to the repository) into `out/NAME.idx`, with no warning.
fn build(dir: &str, out: &Path, name: &str) -> PathBuf {
    build_with(dir, out, name, &[])
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn every_kind_of_change_in_text_and_json() {
    let tmp = tempfile::tempdir().unwrap();
    let old = build("tests/fixtures/diff/old", tmp.path(), "old");
    let new = build("tests/fixtures/diff/new", tmp.path(), "new");
    let text = stdout(&run(&["diff", s(&old), s(&new)]));
    let expected = include_str!("fixtures/diff/diff.txt");
    assert_eq!(text, expected);
    // The headings and the move reported once, not as a removal and an addition.
    for h in [
        "新增事项（1）",
        "删除事项（1）",
        "编码变更（1）",
        "更名（1）",
        "依据变更（1）",
        "其他变更（2）",
        "分工变更（4 处，4 个地区）",
    ] {
        assert!(text.contains(h), "{h}");
    }
    assert!(
        !text.contains("CG-CF-916  "),
        "the recoded item is not listed as removed"
    );

    let json: serde_json::Value =
        serde_json::from_str(&stdout(&run(&["diff", s(&old), s(&new), "--json"]))).unwrap();
    let expected: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/diff/diff.json")).unwrap();
    assert_eq!(json, expected);
}

#[test]
fn an_index_against_itself_is_empty_and_exits_zero() {
    let tmp = tempfile::tempdir().unwrap();
    let new = build("tests/fixtures/diff/new", tmp.path(), "new");
    let text = stdout(&run(&["diff", s(&new), s(&new)]));
    assert!(
        text.ends_with("新增 0 · 删除 0 · 编码变更 0 · 更名 0 · 依据变更 0 · 其他变更 0 · 分工变更 0 · 法律文本变更 0\n两个版本的事项和分工相同。\n"),
        "{text}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&run(&["diff", s(&new), s(&new), "--json"]))).unwrap();
    for list in [
        "added",
        "removed",
        "recoded",
        "renamed",
        "rebased",
        "changed",
        "reassigned",
        "laws",
    ] {
        assert_eq!(json[list], serde_json::json!([]), "{list}");
        assert_eq!(json["counts"][list], 0, "{list}");
    }
}

#[test]
fn the_samples_previous_version_differs_by_what_previous_py_changed() {
    let tmp = tempfile::tempdir().unwrap();
    // Neither version has a finding for review: the audit's (JS-CF-035…040, JS-QZ-001; the
    // township coercive measures) were corrected in both (data/README.md).
    let old = build("data/history/2024.1", tmp.path(), "old");
    let new = build("data", tmp.path(), "new");
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&run(&["diff", s(&old), s(&new), "--json"]))).unwrap();
    let expected: serde_json::Value =
        serde_json::from_str(include_str!("../data/history/2024.1/changes.json")).unwrap();
    assert_eq!(json["counts"], expected);
    assert_eq!(json["old"]["version"], "2024.1");
    assert_eq!(json["new"]["version"], "2025.1");
    // A move keeps its assignments: none of the recoded items' rows changed.
    let moved: Vec<&str> = json["recoded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["new_code"].as_str().unwrap())
        .collect();
    for region in json["reassigned"].as_array().unwrap() {
        for c in region["changes"].as_array().unwrap() {
            assert!(!moved.contains(&c["code"].as_str().unwrap()));
        }
    }
}

#[test]
fn an_unreadable_index_fails_like_other_commands() {
    let tmp = tempfile::tempdir().unwrap();
    let new = build("tests/fixtures/diff/new", tmp.path(), "new");
    let missing = tmp.path().join("missing.idx");
    let o = run(&["diff", s(&missing), s(&new)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("missing.idx"));
    let junk = tmp.path().join("junk.idx");
    std::fs::write(&junk, b"not an index at all").unwrap();
    let o = run(&["diff", s(&new), s(&junk)]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("junk.idx") && err.contains("not a powerlist index"),
        "{err}"
    );
    assert_eq!(run(&["diff", s(&new)]).status.code(), Some(2), "usage");
}

#[test]
fn a_base_that_is_not_a_directory_is_named_with_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("tests/fixtures/diff/new/items.csv"),
        tmp.path().join("items.csv"),
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("catalog.txt"),
        "version: 3\nbase: ../nowhere\n",
    )
    .unwrap();
    let o = run(&["check", s(tmp.path())]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("catalog.txt:2: base \"../nowhere\" is not a directory"),
        "{err}"
    );
}
