//! Formulas in CSV output (OWASP "CSV injection"): `export --csv` and `stats --csv` write a
//! cell that a spreadsheet would run (`=`, `+`, `-`, `@`, TAB, CR first) with a leading `'`,
//! and `build` reads it back without it, so an exported catalog builds the same index.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::repo;
use crate::stats_export::{build, ok};

/// What a spreadsheet runs as a formula at the start of a cell.
const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The OWASP payloads, and texts that start with `'` already.
const PAYLOADS: [&str; 8] = [
    "=HYPERLINK(\"http://evil.example\",\"点击\")",
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3",
    "=1+1",
    "'=已加引号",
    "''-两个引号",
    "'只是引号",
];

/// Where [`hostile_catalog`] puts payloads in `items.csv`: the item, the column, the field of
/// `get --json`, the text.
const PLACED: [(&str, &str, &str, &str); 6] = [
    ("CG-CF-001", "事项名称", "name", PAYLOADS[0]),
    ("CG-CF-001", "备注", "note", PAYLOADS[1]),
    ("CG-CF-001", "办理地点", "place", PAYLOADS[5]),
    ("CG-CF-002", "事项名称", "name", PAYLOADS[4]),
    ("CG-CF-002", "备注", "note", PAYLOADS[7]),
    ("CG-CF-002", "实施主体", "department", "-县级城市管理部门"),
];

/// The cells of a CSV file, header first (a BOM dropped).
fn cells(path: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).unwrap();
    let text = bytes
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(&bytes);
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn write_cells(path: &Path, rows: &[Vec<String>]) {
    let mut w = csv::Writer::from_path(path).unwrap();
    for row in rows {
        w.write_record(row).unwrap();
    }
    w.flush().unwrap();
}

/// The cell a person types for `text`: a text that is `'`s and then a formula's first
/// character takes one `'` more (the reader takes one off), any other is typed as it is.
fn typed(text: &str) -> String {
    if text.starts_with('\'') && text.trim_start_matches('\'').starts_with(TRIGGERS) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// Sets `column` of the rows whose first cell is `key` (the header names the column).
fn set(rows: &mut [Vec<String>], key: &str, column: &str, value: &str) {
    let c = rows[0].iter().position(|h| h == column).unwrap();
    let row = rows.iter_mut().find(|r| r[0] == key).unwrap();
    row[c] = value.to_string();
}

/// The contacts catalog (tests/fixtures/contacts on the mini one) with the payloads at the start
/// of item names, keywords, notes, departments and places, of a region's name, of an
/// assignment's body and mode, of a body's address and hours. Written by hand as a person
/// would ([`typed`]), so the texts are the payloads themselves; but a body's hours are typed
/// `'=周一至周五`, which reads as `=周一至周五`. (Phones cannot start with a formula's first
/// character: `+86 …` is refused by the catalog's check.)
fn hostile_catalog(dir: &Path) -> PathBuf {
    let src = dir.join("src");
    let (mini, contacts) = (
        repo().join("tests/fixtures/mini"),
        repo().join("tests/fixtures/contacts"),
    );
    std::fs::create_dir_all(&src).unwrap();
    copy_laws(&mini, &src);
    let p = PAYLOADS;
    let mut items = cells(&contacts.join("items.csv"));
    let keywords = [
        ("CG-CF-001", "关键词", "", format!("{}；{}", p[2], p[3])),
        ("CG-CF-002", "关键词", "", p[6].to_string()),
    ];
    let placed = PLACED.map(|(code, column, field, text)| (code, column, field, text.to_string()));
    for (code, column, _, value) in placed.iter().chain(&keywords) {
        set(&mut items, code, column, &typed(value));
    }
    write_cells(&src.join("items.csv"), &items);
    let mut regions = cells(&mini.join("regions.csv"));
    set(&mut regions, "321281001", "name", "=昭阳街道");
    write_cells(&src.join("regions.csv"), &regions);
    let mut assignments = cells(&contacts.join("assignments.csv"));
    let last = assignments.len() - 1;
    assignments[last][2] = "@某执法局".into();
    assignments[last][3] = "-委托".into();
    write_cells(&src.join("assignments.csv"), &assignments);
    let mut bodies = cells(&contacts.join("bodies.csv"));
    bodies[1][2] = "+测试路1号".into();
    bodies[1][3] = "'=周一至周五".into();
    write_cells(&src.join("bodies.csv"), &bodies);
    std::fs::write(src.join("catalog.txt"), "name: =公式测试\nversion: 1\n").unwrap();
    src
}

/// Copies `from/laws/` to `to/laws/`.
fn copy_laws(from: &Path, to: &Path) {
    std::fs::create_dir(to.join("laws")).unwrap();
    for e in std::fs::read_dir(from.join("laws")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join("laws").join(e.file_name())).unwrap();
    }
}

/// [`hostile_catalog`] and its index, built.
fn hostile_index(dir: &Path) -> (PathBuf, PathBuf) {
    let src = hostile_catalog(dir);
    let idx = dir.join("c.idx");
    build(&src, &idx);
    (src, idx)
}

/// The folder `powerlist COMMAND INDEX --csv DIR` writes (`export` or `stats`), beside the index.
fn csv_of(command: &str, idx: &Path) -> PathBuf {
    let out = idx.with_file_name(command);
    ok(&[
        command,
        idx.to_str().unwrap(),
        "--csv",
        out.to_str().unwrap(),
    ]);
    out
}

/// Every cell of these CSV files, none starting with a formula's first character.
fn safe_cells(files: impl IntoIterator<Item = PathBuf>) -> Vec<String> {
    let mut all = Vec::new();
    for path in files {
        for cell in cells(&path).into_iter().flatten() {
            assert!(!cell.starts_with(TRIGGERS), "{}: {cell:?}", path.display());
            all.push(cell);
        }
    }
    all
}

/// `get --json` of an item.
fn get(idx: &Path, code: &str) -> Value {
    serde_json::from_slice(&ok(&["get", idx.to_str().unwrap(), code, "--json"]).stdout).unwrap()
}

#[test]
fn exported_formulas_start_with_a_quote_and_build_back_to_the_same_catalog() {
    let tmp = tempfile::tempdir().unwrap();
    let (src, idx) = hostile_index(tmp.path());
    let out = csv_of("export", &idx);

    // Raw: no cell starts with a trigger; each payload is there with one more `'`.
    let files = ["items.csv", "regions.csv", "assignments.csv", "bodies.csv"];
    let written = safe_cells(files.map(|f| out.join(f)));
    let mut want: Vec<String> = [0, 1, 4, 5, 6].map(|i| format!("'{}", PAYLOADS[i])).into();
    want.push(format!("'{}；{}", PAYLOADS[2], PAYLOADS[3]));
    want.extend(
        [
            "'=昭阳街道",
            "'@某执法局",
            "'-委托",
            "'+测试路1号",
            // Typed with a `'`, read without it, written with one again.
            "'=周一至周五",
            // Not a formula: as it is.
            PAYLOADS[7],
        ]
        .map(String::from),
    );
    for text in &want {
        assert!(written.contains(text), "{text:?} in {written:?}");
    }
    // Read back: the very catalog.
    copy_laws(&src, &out);
    let again = tmp.path().join("again.idx");
    build(&out, &again);
    assert!(
        std::fs::read(&idx).unwrap() == std::fs::read(&again).unwrap(),
        "the rebuilt index differs"
    );
    for (code, _, field, want) in PLACED {
        let (before, after) = (get(&idx, code), get(&again, code));
        assert_eq!(before[field], want, "{code} {field}: {before}");
        assert_eq!(before, after, "{code}");
    }
    for (code, want) in [
        ("CG-CF-001", serde_json::json!([PAYLOADS[2], PAYLOADS[3]])),
        ("CG-CF-002", serde_json::json!([PAYLOADS[6]])),
    ] {
        assert_eq!(get(&again, code)["keywords"], want, "{code}");
    }
}

#[test]
fn stats_csv_cells_never_start_with_a_formula() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, idx) = hostile_index(tmp.path());
    let out = csv_of("stats", &idx);
    let files = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().path());
    let quoted: Vec<String> = safe_cells(files)
        .into_iter()
        .filter(|c| c.starts_with('\''))
        .collect();
    for want in ["'-县级城市管理部门", "'@某执法局"] {
        assert!(quoted.iter().any(|c| c == want), "{want:?} in {quoted:?}");
    }
}
