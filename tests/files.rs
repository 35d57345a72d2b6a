//! Files that are not what they seem (issue 17): outputs that are devices, symbolic links,
//! folders or FIFOs; two commands writing one path; a set of tables written whole; FIFOs among a
//! catalog's files; large files given as an index. Run as a subprocess.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::common::cli::{bin, copy_catalog, run, run_within, stderr};
use crate::common::repo;

fn mini() -> PathBuf {
    repo().join("tests/fixtures/mini")
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn mkfifo(p: &Path) {
    let o = Command::new("mkfifo").arg(p).output().unwrap();
    assert!(o.status.success());
}

/// The mini catalog's index, built into `dir`.
fn mini_index(dir: &Path) -> PathBuf {
    let out = dir.join("mini.idx");
    let o = run(&["build", s(&mini()), "-o", s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

/// The names in a folder, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn outputs_that_are_devices_links_folders_or_fifos_are_refused_and_left_alone() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let idx = mini_index(dir.path());
    let o = run(&["build", s(&mini()), "-o", "/dev/full"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("/dev/full: is a device, not a regular file"),
        "{}",
        stderr(&o)
    );
    let full = std::fs::symlink_metadata("/dev/full").unwrap();
    assert!(full.file_type().is_char_device(), "/dev/full was replaced");

    let target = dir.path().join("target.html");
    std::fs::write(&target, b"keep").unwrap();
    let link = dir.path().join("link.html");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let folder = dir.path().join("folder");
    std::fs::create_dir(&folder).unwrap();
    let fifo = dir.path().join("fifo");
    mkfifo(&fifo);
    for (out, what) in [
        (&link, "a symbolic link"),
        (&folder, "a folder"),
        (&fifo, "a FIFO (named pipe)"),
    ] {
        for args in [
            vec!["build", s(&mini()), "-o", s(out)],
            vec![
                "export",
                s(&idx),
                "--html",
                "--region",
                "321281",
                "-o",
                s(out),
            ],
        ] {
            let o = run(&args);
            assert_eq!(o.status.code(), Some(1), "{args:?}");
            let want = format!("{}: is {what}, not a regular file", out.display());
            assert!(stderr(&o).contains(&want), "{args:?}: {}", stderr(&o));
            assert!(stderr(&o).contains("name a regular file or a new path"));
        }
    }
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    // `synth` writes its tables in place: a link among them is refused, not written through.
    let synth = dir.path().join("synth");
    std::fs::create_dir_all(&synth).unwrap();
    let synth_link = synth.join("regions.csv");
    std::os::unix::fs::symlink(&target, &synth_link).unwrap();
    let data = repo().join("data");
    let o = run(&[
        "synth",
        "--from",
        s(&data),
        "--items",
        "20",
        "-o",
        s(&synth),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let want = format!(
        "{}: is a symbolic link, not a regular file",
        synth_link.display()
    );
    assert!(stderr(&o).contains(&want), "{}", stderr(&o));
    assert_eq!(std::fs::read(&target).unwrap(), b"keep");
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());
    // A folder for `--csv` must be a folder, not a link to one or a file.
    let o = run(&["export", s(&idx), "--csv", s(&target)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("is a regular file, not a folder"),
        "{}",
        stderr(&o)
    );
}

/// Two builds writing one index at once (each slowed down so they overlap) both succeed, and
/// the index is a complete one: neither removes the other's temporary file.
#[test]
fn two_builds_to_one_path_at_once_both_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("catalog.idx");
    let spawn = || {
        bin()
            .args(["build", s(&mini()), "-o", s(&out)])
            .env("POWERLIST_TEST_WRITE_DELAY_MS", "25")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let a = spawn();
    std::thread::sleep(Duration::from_millis(150));
    let b = spawn();
    for child in [a, b] {
        let o = child.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
    }
    powerlist::Index::from_bytes(&std::fs::read(&out).unwrap()).expect("a complete index");
    assert_eq!(names(dir.path()), ["catalog.idx"]);
}

/// The mini catalog with a chain of `n` more regions (12-digit codes, each below the one
/// before): a regions table of about 40·n bytes.
fn with_region_chain(to: &Path, n: usize) {
    copy_catalog(&mini(), to);
    let mut text = std::fs::read_to_string(mini().join("regions.csv")).unwrap();
    let mut parent = String::new();
    for i in 0..n {
        let code = format!("{}", 100_000_000_000u64 + i as u64);
        text.push_str(&format!("{code},区{i},{parent}\n"));
        parent = code;
    }
    std::fs::write(to.join("regions.csv"), text).unwrap();
}

/// `export --csv` killed while it writes the second table (by a file size limit, as a full
/// disk would stop it) leaves the old set of tables as it was; the next export replaces the set
/// whole, keeps what it did not write (`laws/`) and removes what the killed one left.
#[test]
fn an_export_that_fails_midway_leaves_the_old_tables() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("catalog");
    with_region_chain(&catalog, 20_000);
    let idx = dir.path().join("big.idx");
    let o = run(&["build", s(&catalog), "-o", s(&idx)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = dir.path().join("tables");
    std::fs::create_dir_all(out.join("laws")).unwrap();
    let old = ["items.csv", "regions.csv", "assignments.csv", "bodies.csv"];
    for name in old {
        std::fs::write(out.join(name), format!("old {name}")).unwrap();
    }
    // items.csv (2 KB) fits in 100 KB, regions.csv (800 KB) does not.
    let script = format!(
        "ulimit -f 100; exec '{}' export '{}' --csv '{}'",
        env!("CARGO_BIN_EXE_powerlist"),
        idx.display(),
        out.display()
    );
    let o = Command::new("bash").args(["-c", &script]).output().unwrap();
    assert!(!o.status.success(), "the export should have been stopped");
    for name in old {
        let text = std::fs::read_to_string(out.join(name)).unwrap();
        assert_eq!(text, format!("old {name}"), "{name} was replaced");
    }
    let o = run(&["export", s(&idx), "--csv", s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        names(&out),
        ["assignments.csv", "items.csv", "laws", "regions.csv"]
    );
    assert!(std::fs::read_to_string(out.join("regions.csv"))
        .unwrap()
        .contains("100000019999"));
    assert!(
        names(dir.path()).iter().all(|n| !n.starts_with('.')),
        "{:?}",
        names(dir.path())
    );
}

/// A FIFO among a catalog's files (or given as the index) is refused at once, named; reading it
/// would wait for a writer for ever.
#[test]
fn a_fifo_among_the_inputs_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let idx = mini_index(dir.path());
    for fifo_at in ["laws/x.md", "items.csv", "catalog.txt", "regions.csv"] {
        let catalog = dir.path().join(format!("c-{}", fifo_at.replace('/', "-")));
        copy_catalog(&mini(), &catalog);
        let fifo = catalog.join(fifo_at);
        let _ = std::fs::remove_file(&fifo);
        mkfifo(&fifo);
        let mut cmd = bin();
        cmd.args(["build", s(&catalog), "-o", s(&dir.path().join("x.idx"))]);
        let (o, _) = run_within(cmd, 10);
        assert_eq!(o.status.code(), Some(1), "{fifo_at}");
        let want = format!(
            "{}: is a FIFO (named pipe), not a regular file",
            fifo.display()
        );
        assert!(stderr(&o).contains(&want), "{fifo_at}: {}", stderr(&o));
    }
    let fifo = dir.path().join("index.fifo");
    mkfifo(&fifo);
    for args in [vec!["stats", s(&fifo)], vec!["diff", s(&idx), s(&fifo)]] {
        let mut cmd = bin();
        cmd.args(&args);
        let (o, _) = run_within(cmd, 10);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(
            stderr(&o).contains("is a FIFO (named pipe)"),
            "{}",
            stderr(&o)
        );
    }
}

/// A 2 GB file that is not an index, or that begins like one but is far longer than its table
/// says, is refused from its first bytes: at once, without reading 2 GB.
#[test]
fn a_large_file_given_as_an_index_is_refused_from_its_first_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let idx = mini_index(dir.path());
    let sparse = |name: &str, head: &[u8], len: u64| {
        let p = dir.path().join(name);
        let f = std::fs::File::create(&p).unwrap();
        std::io::Write::write_all(&mut &f, head).unwrap();
        f.set_len(len).unwrap();
        p
    };
    let junk = sparse("junk.idx", b"PK\x03\x04", 2_000_000_000);
    let mut header = powerlist::format::MAGIC.to_vec();
    header.extend(powerlist::format::FORMAT_VERSION.to_le_bytes());
    header.extend(0u32.to_le_bytes());
    let long = sparse("long.idx", &header, 1_500_000_000);
    let huge = sparse("huge.idx", &header, 6_000_000_000);
    for (file, want) in [
        (&junk, "this is not a powerlist index (wrong magic bytes)"),
        (
            &long,
            "the section table declares 20 bytes, but the file is 1500000000 bytes long",
        ),
        (&huge, "more than an index may be"),
    ] {
        for args in [
            vec!["stats", s(file)],
            vec!["get", s(file), "CG-CF-001"],
            vec!["search", s(file), "垃圾"],
            vec!["diff", s(&idx), s(file)],
            vec!["export", s(file), "--csv", s(&dir.path().join("out"))],
        ] {
            let mut cmd = bin();
            cmd.args(&args);
            let (o, took) = run_within(cmd, 30);
            assert_eq!(o.status.code(), Some(1), "{args:?}");
            assert!(stderr(&o).contains(want), "{args:?}: {}", stderr(&o));
            assert!(stderr(&o).contains(s(file)), "{}", stderr(&o));
            assert!(took < Duration::from_secs(2), "{args:?} took {took:?}");
        }
    }
}

/// `export --csv out/..` replaces the folder by its own name, keeping what it did not write;
/// `export --csv .` is refused (the shell would be left in a removed folder).
#[test]
fn export_into_a_folder_named_with_dots() {
    let dir = tempfile::tempdir().unwrap();
    let idx = mini_index(dir.path());
    let out = dir.path().join("out");
    std::fs::create_dir_all(out.join("sub")).unwrap();
    std::fs::write(out.join("notes.txt"), b"mine").unwrap();
    let o = bin()
        .args(["export", s(&idx), "--csv", "."])
        .current_dir(out.join("sub"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("is the current folder or holds it"),
        "{}",
        stderr(&o)
    );
    let o = run(&["export", s(&idx), "--csv", s(&out.join("sub/.."))]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        names(&out),
        [
            "assignments.csv",
            "items.csv",
            "notes.txt",
            "regions.csv",
            "sub"
        ]
    );
    assert_eq!(names(dir.path()), ["mini.idx", "out"]);
}
