//! `powerlist compress DIR`: which files get a `.br` and a `.gz`, their bytes, a second run
//! that changes nothing, outputs that follow their file, stale outputs removed (only its own).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::common::cli::{run, stdout};
use crate::common::http::{unbrotli, ungzip};

/// Bytes that do not compress (a xorshift stream).
fn noise(n: usize) -> Vec<u8> {
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let js = "const x = '权力清单';\n".repeat(100);
    write(p, "app.js", js.as_bytes());
    write(p, "pkg/core.wasm", &[0u8, 97, 115, 109].repeat(200));
    write(p, "data/catalog.idx", &[5u8; 4000]);
    write(
        p,
        "sub/deep/style.css",
        "a { b: c }\n".repeat(30).as_bytes(),
    );
    write(p, "tiny.js", &[b'x'; 255]);
    write(p, "picture.png", &[0u8; 4000]);
    write(p, "random.bin", &noise(4000));
    write(p, ".hidden.js", js.as_bytes());
    write(p, ".cache/big.js", js.as_bytes());
    // Someone else's archive, no source beside it: never the command's to remove.
    write(p, "backup.tar.gz", &[1u8; 300]);
    dir
}

/// Every file under `dir` (dotfiles too) and its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

fn compress(dir: &Path) -> String {
    stdout(&run(&["compress", dir.to_str().unwrap()]))
}

fn modified(path: &Path) -> SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

#[test]
fn writes_br_and_gz_beside_the_files_worth_it_and_only_when_smaller() {
    let dir = tree();
    let p = dir.path();
    let summary = compress(p);
    assert!(
        summary.contains("5 files") && summary.contains("8 written"),
        "{summary}"
    );
    let all = files(p);
    for name in [
        "app.js",
        "pkg/core.wasm",
        "data/catalog.idx",
        "sub/deep/style.css",
    ] {
        let original = &all[name];
        let br = &all[&format!("{name}.br")];
        let gz = &all[&format!("{name}.gz")];
        assert!(
            br.len() < original.len() && gz.len() < original.len(),
            "{name}"
        );
        assert_eq!(&unbrotli(br), original, "{name}");
        assert_eq!(&ungzip(gz), original, "{name}");
    }
    // Small, already compressed, incompressible, hidden: nothing beside them.
    for name in [
        "tiny.js",
        "picture.png",
        "random.bin",
        ".hidden.js",
        ".cache/big.js",
        "backup.tar.gz",
    ] {
        assert!(!all.contains_key(&format!("{name}.br")), "{name}");
        assert!(!all.contains_key(&format!("{name}.gz")), "{name}");
    }
    assert!(
        !all.keys().any(|k| k.contains(".tmp")),
        "no temporary file left"
    );
}

#[test]
fn the_same_bytes_every_time_and_a_second_run_changes_nothing() {
    let (a, b) = (tree(), tree());
    compress(a.path());
    compress(b.path());
    let first = files(a.path());
    assert_eq!(first, files(b.path()), "deterministic");
    let times: Vec<_> = first.keys().map(|k| modified(&a.path().join(k))).collect();
    let summary = compress(a.path());
    assert!(
        summary.contains("0 written, 8 up to date, 0 removed"),
        "{summary}"
    );
    assert_eq!(files(a.path()), first);
    let again: Vec<_> = first.keys().map(|k| modified(&a.path().join(k))).collect();
    assert_eq!(again, times, "nothing rewritten");
}

#[test]
fn outputs_follow_their_file_and_stale_ones_are_removed() {
    let dir = tree();
    let p = dir.path();
    compress(p);
    // A changed file gets new outputs; one gone takes its outputs along.
    std::thread::sleep(Duration::from_millis(30));
    let css = "a { color: blue }\n".repeat(40);
    write(p, "sub/deep/style.css", css.as_bytes());
    std::fs::remove_file(p.join("app.js")).unwrap();
    // An output nobody listed, whose file is gone: left alone, like backup.tar.gz.
    write(p, "orphan.js.gz", &[3u8; 400]);
    let summary = compress(p);
    assert!(
        summary.contains("2 written, 4 up to date, 2 removed"),
        "{summary}"
    );
    let all = files(p);
    assert_eq!(unbrotli(&all["sub/deep/style.css.br"]), css.as_bytes());
    assert_eq!(ungzip(&all["sub/deep/style.css.gz"]), css.as_bytes());
    assert!(!all.contains_key("app.js.br") && !all.contains_key("app.js.gz"));
    assert!(all.contains_key("orphan.js.gz") && all.contains_key("backup.tar.gz"));
    // A file that no longer compresses loses its outputs too.
    std::thread::sleep(Duration::from_millis(30));
    write(p, "data/catalog.idx", &noise(4000));
    let summary = compress(p);
    assert!(
        summary.contains("0 written, 4 up to date, 2 removed"),
        "{summary}"
    );
    assert!(!p.join("data/catalog.idx.br").exists() && !p.join("data/catalog.idx.gz").exists());
    // Everything gone: the list goes too.
    for name in [
        "pkg/core.wasm",
        "data/catalog.idx",
        "sub/deep/style.css",
        "random.bin",
    ] {
        std::fs::remove_file(p.join(name)).unwrap();
    }
    let summary = compress(p);
    assert!(
        summary.contains("0 files") && summary.contains("4 removed"),
        "{summary}"
    );
    let left: Vec<_> = files(p)
        .into_keys()
        .filter(|k| k.ends_with(".br") || k.ends_with(".gz") || k.starts_with(".powerlist"))
        .collect();
    assert_eq!(left, ["backup.tar.gz", "orphan.js.gz"]);
}

#[test]
fn refuses_what_is_not_a_directory() {
    let dir = tree();
    let o = run(&["compress", dir.path().join("app.js").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a directory"));
}
