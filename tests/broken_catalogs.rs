//! The corpus of broken catalogs in tests/broken/: each case overlays the mini catalog
//! (tests/fixtures/mini) with its own files (and deletes those named in remove.txt); `powerlist
//! build` must fail with exactly the messages in expected.txt, exit code 1, and write nothing.
use std::path::{Path, PathBuf};
use std::process::Command;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else if e.file_name() != "expected.txt" && e.file_name() != "remove.txt" {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

fn cases() -> Vec<PathBuf> {
    let dir = crate::common::repo().join("tests/broken");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    v.sort();
    v
}

#[test]
fn the_corpus_has_at_least_thirty_cases() {
    assert!(cases().len() >= 30);
}

#[test]
fn every_broken_catalog_fails_with_the_expected_messages_and_writes_nothing() {
    let root = crate::common::repo();
    let mut failures = Vec::new();
    for case in cases() {
        let tmp = tempfile::tempdir().unwrap();
        let cat = tmp.path().join("cat");
        copy_dir(&root.join("tests/fixtures/mini"), &cat);
        copy_dir(&case, &cat);
        if let Ok(list) = std::fs::read_to_string(case.join("remove.txt")) {
            for f in list.lines().filter(|l| !l.trim().is_empty()) {
                std::fs::remove_file(cat.join(f.trim())).unwrap();
            }
        }
        let out = tmp.path().join("out.idx");
        let o = Command::new(env!("CARGO_BIN_EXE_powerlist"))
            .args(["build", cat.to_str().unwrap(), "-o", out.to_str().unwrap()])
            .output()
            .unwrap();
        let prefix = format!("{}/", cat.display());
        let stderr = String::from_utf8_lossy(&o.stderr).replace(&prefix, "");
        let mut got: Vec<&str> = stderr
            .lines()
            .filter(|l| !l.starts_with("error: ") && !l.contains(": warning: "))
            .collect();
        if got.is_empty() {
            got = stderr
                .lines()
                .filter_map(|l| l.strip_prefix("error: "))
                .collect();
        }
        let expected = std::fs::read_to_string(case.join("expected.txt")).unwrap();
        let expected: Vec<&str> = expected.lines().collect();
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        if o.status.code() != Some(1) {
            failures.push(format!("{name}: exit code {:?}", o.status.code()));
        }
        if got != expected {
            failures.push(format!("{name}:\n  expected {expected:#?}\n  got {got:#?}"));
        }
        if out.exists() {
            failures.push(format!("{name}: an index was written"));
        }
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|n| n != "cat")
            .collect();
        if !leftovers.is_empty() {
            failures.push(format!("{name}: files left behind: {leftovers:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
