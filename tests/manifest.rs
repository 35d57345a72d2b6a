//! `powerlist manifest DIR`: the site's file list for the service worker (DIR/files.json) is
//! deterministic, lists what the app needs and nothing else, changes with any file's contents,
//! and is never seen half-written.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_powerlist"))
}

fn manifest(dir: &Path) -> Output {
    bin()
        .args(["manifest", dir.to_str().expect("a UTF-8 temp path")])
        .output()
        .expect("powerlist runs")
}

/// Runs `powerlist manifest` and reads what it wrote.
fn listed(dir: &Path) -> (String, Value) {
    let o = manifest(dir);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(dir.join("files.json")).unwrap();
    let v: Value = serde_json::from_str(&text).expect("files.json is JSON");
    (text, v)
}

fn paths(v: &Value) -> Vec<String> {
    v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect()
}

fn entry<'a>(v: &'a Value, path: &str) -> &'a Value {
    v["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("{path} is not listed"))
}

/// A small site: what the app has, and everything the manifest must leave out.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, bytes: &[u8]| {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    };
    write("index.html", b"<!doctype html>");
    write("app.js", b"console.log(1)");
    write("catalog.idx", &[7u8; 3000]);
    write("previous.idx", &[8u8; 100]);
    write("pkg/powerlist_bg.wasm", b"\0asm");
    write("pkg/admin/admin_bg.wasm", b"\0asm2");
    write("catalog/core.0123456789abcdef0123.idx", b"core");
    write("catalog/c.fedcba9876543210fedc.idx", b"chunk");
    // Left out:
    write("sw.js", b"self.x = 1");
    write("app.js.br", b"br");
    write("catalog.idx.gz", b"gz");
    write(".hidden", b"x");
    write(".git/config", b"x");
    write("pkg/.cache/x.js", b"x");
    write(".files.json.tmp-99", b"{\"half");
    write("test-tmp/page-1/catalog.idx", b"scratch");
    dir
}

#[test]
fn lists_every_file_the_app_needs_sorted_with_sizes_and_hashes() {
    let dir = site();
    let (text, v) = listed(dir.path());
    assert_eq!(
        paths(&v),
        [
            "app.js",
            "catalog.idx",
            "catalog/c.fedcba9876543210fedc.idx",
            "catalog/core.0123456789abcdef0123.idx",
            "index.html",
            "pkg/admin/admin_bg.wasm",
            "pkg/powerlist_bg.wasm",
            "previous.idx",
        ]
    );
    let idx = entry(&v, "catalog.idx");
    assert_eq!(idx["bytes"], 3000);
    let hex = |s: &Value| {
        let s = s.as_str().unwrap();
        s.len() == 32
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    assert!(hex(&idx["hash"]), "{idx}");
    assert!(hex(&v["build"]), "{}", v["build"]);
    // SHA-256("console.log(1)"), first 128 bits.
    assert_eq!(entry(&v, "app.js")["hash"], sha_prefix(b"console.log(1)"));
    // One file a line.
    assert_eq!(text.lines().count(), 2 + 8, "{text}");
}

/// The expected hash, computed apart from the CLI (coreutils' sha256sum).
fn sha_prefix(bytes: &[u8]) -> String {
    let mut child = Command::new("sha256sum")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("sha256sum");
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8(out.stdout).unwrap()[..32].to_string()
}

#[test]
fn deterministic_and_changes_only_with_the_files() {
    let dir = site();
    let (first, v1) = listed(dir.path());
    // Again, over its own output (files.json is not listed): the same bytes.
    let (again, _) = listed(dir.path());
    assert_eq!(first, again);
    // The same files in another directory: the same list and build.
    let other = site();
    let (elsewhere, _) = listed(other.path());
    assert_eq!(first, elsewhere);

    // Changing what is left out changes nothing.
    std::fs::write(dir.path().join("sw.js"), b"self.x = 2").unwrap();
    std::fs::write(dir.path().join("test-tmp/page-1/catalog.idx"), b"other").unwrap();
    assert_eq!(listed(dir.path()).0, first);

    // One byte of one file: its hash and the build change, nothing else.
    let mut idx = std::fs::read(dir.path().join("catalog.idx")).unwrap();
    idx[1500] ^= 1;
    std::fs::write(dir.path().join("catalog.idx"), &idx).unwrap();
    let (_, v2) = listed(dir.path());
    assert_ne!(v1["build"], v2["build"]);
    assert_ne!(
        entry(&v1, "catalog.idx")["hash"],
        entry(&v2, "catalog.idx")["hash"]
    );
    assert_eq!(
        entry(&v1, "catalog.idx")["bytes"],
        entry(&v2, "catalog.idx")["bytes"]
    );
    for p in paths(&v1).iter().filter(|p| *p != "catalog.idx") {
        assert_eq!(entry(&v1, p), entry(&v2, p), "{p}");
    }

    // A renamed file changes the build though no contents changed.
    std::fs::rename(dir.path().join("app.js"), dir.path().join("main.js")).unwrap();
    let (_, v3) = listed(dir.path());
    assert_ne!(v2["build"], v3["build"]);
    assert_eq!(entry(&v2, "app.js")["hash"], entry(&v3, "main.js")["hash"]);
}

#[test]
fn refuses_what_is_not_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let o = manifest(&dir.path().join("missing"));
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a directory"));
}

/// Runs killed at many points (writing slowed down so kills land inside it) never leave a partial
/// files.json: it is the previous list or a complete new one.
#[test]
fn a_killed_run_never_leaves_a_partial_manifest() {
    let dir = site();
    // Many files, so the list is long enough to be written in slow chunks.
    for i in 0..200 {
        std::fs::write(dir.path().join(format!("f{i:03}.js")), format!("{i}")).unwrap();
    }
    let (previous, _) = listed(dir.path());
    std::fs::write(dir.path().join("app.js"), b"changed").unwrap();
    let (mut saw_previous, mut saw_new) = (false, false);
    for i in 0..16u64 {
        let mut child = bin()
            .args(["manifest", dir.path().to_str().unwrap()])
            .env("POWERLIST_TEST_WRITE_DELAY_MS", "8")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        if i < 15 {
            std::thread::sleep(std::time::Duration::from_millis(10 + i * 10));
            let _ = child.kill();
        }
        let _ = child.wait();
        let text = std::fs::read_to_string(dir.path().join("files.json")).unwrap();
        let v: Value = serde_json::from_str(&text).expect("never a partial files.json");
        if text == previous {
            saw_previous = true;
        } else {
            assert_eq!(v["files"].as_array().unwrap().len(), 208);
            saw_new = true;
        }
    }
    assert!(
        saw_previous && saw_new,
        "kills should land before and after the rename"
    );
    // The temporary files of killed runs are never listed, and the next run removes them.
    let (_, v) = listed(dir.path());
    assert!(paths(&v).iter().all(|p| !p.contains("tmp")));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".files.json.tmp"))
        .collect();
    assert_eq!(leftovers, Vec::<String>::new());
}
