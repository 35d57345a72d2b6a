//! Which text of each law the catalog holds: `laws/MANIFEST.tsv` (when there is one) and the
//! history lines of each law file, checked against each other, and the `已被修订：` dates.
//!
//! `MANIFEST.tsv` is a tab-separated table with a header: `file` (a law file's name in `laws/`)
//! and `version_date` (`YYYY-MM-DD`, the text's version) are required; `source_path` (where the
//! text was taken from) and `articles` (how many articles the text has) are read when present;
//! other columns (`bytes`) are ignored. A row's date wins over the history lines (some files'
//! history stops before the last amendment of their text); the kind (修正, 修订…) is the history
//! line's of that date, if there is one. A law file without a row takes its latest dated
//! history line.

use std::collections::HashMap;
use std::path::Path;

use super::diags::{line_of, Diags};
use super::SourceFile;
use powerlist::law::{parse_iso_date, Law, LawVersion};

/// The manifest's file name in `laws/`.
pub(super) const MANIFEST: &str = "MANIFEST.tsv";

/// Whether `f` is the laws' manifest rather than a law file.
pub(super) fn is_manifest(f: &SourceFile) -> bool {
    Path::new(&f.name)
        .file_name()
        .is_some_and(|n| n == MANIFEST)
}

/// The file name of `path` (its last component).
fn base_name(path: &str) -> &str {
    Path::new(path)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(path)
}

/// One row of the manifest.
struct Row {
    line: usize,
    file: String,
    source: String,
    date: String,
    articles: Option<u32>,
}

/// The manifest's rows; what is wrong goes to `diags` (a row that cannot be read is left out).
fn read_manifest(f: &SourceFile, diags: &mut Diags) -> Vec<Row> {
    let text = match std::str::from_utf8(&f.bytes) {
        Ok(t) => t.strip_prefix('\u{feff}').unwrap_or(t),
        Err(e) => {
            let line = line_of(&f.bytes, e.valid_up_to());
            diags.error(&f.name, line, "the manifest is not valid UTF-8".into());
            return Vec::new();
        }
    };
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'));
    let Some((_, header)) = lines.next() else {
        return Vec::new();
    };
    let header: Vec<&str> = header.split('\t').map(str::trim).collect();
    let column = |name: &str| header.iter().position(|h| *h == name);
    let (Some(file_col), Some(date_col)) = (column("file"), column("version_date")) else {
        diags.error(
            &f.name,
            1,
            "the header must name the columns `file` and `version_date` (and may name \
             `source_path`, `articles`, `bytes`), separated by tabs"
                .into(),
        );
        return Vec::new();
    };
    let (source_col, articles_col) = (column("source_path"), column("articles"));
    let mut rows: Vec<Row> = Vec::new();
    for (n, line) in lines {
        let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
        if cells.len() != header.len() {
            diags.error(
                &f.name,
                n,
                format!(
                    "{} field(s), the header has {}; separate the fields with one tab each",
                    cells.len(),
                    header.len()
                ),
            );
            continue;
        }
        let cell = |c: Option<usize>| c.and_then(|c| cells.get(c)).copied().unwrap_or("");
        let (file, date) = (cell(Some(file_col)), cell(Some(date_col)));
        if parse_iso_date(date).is_none() {
            diags.error(
                &f.name,
                n,
                format!("version_date \"{date}\" is no date written YYYY-MM-DD (one that exists); write the date of the text, e.g. 2013-06-29"),
            );
            continue;
        }
        let articles = match cell(articles_col) {
            "" => None,
            a => match a.parse::<u32>() {
                Ok(a) => Some(a),
                Err(_) => {
                    diags.error(
                        &f.name,
                        n,
                        format!("articles \"{a}\" is not a number; write how many articles the text has, or leave it empty"),
                    );
                    continue;
                }
            },
        };
        if let Some(first) = rows.iter().find(|r| r.file == file) {
            diags.error(
                &f.name,
                n,
                format!(
                    "{file} is listed twice (also line {}); keep one row per law file",
                    first.line
                ),
            );
            continue;
        }
        rows.push(Row {
            line: n,
            file: file.to_string(),
            source: cell(source_col).to_string(),
            date: date.to_string(),
            articles,
        });
    }
    rows
}

/// Sets each law's version (`laws`: each law and its file's name) from the manifest row of its
/// file, else its history lines, and checks them: a row must name a law file of `files` (`broken`:
/// the names of those that could not be read, whose rows are not checked), describe its text
/// (its article count, a date not older than its history lines), a law without any version is
/// a warning, and a `已被修订：` date must be after the version's.
pub(super) fn set_versions(
    laws: &mut [(Law, String)],
    files: &[SourceFile],
    broken: &[&str],
    diags: &mut Diags,
) {
    let manifest = files.iter().find(|f| is_manifest(f));
    let rows = manifest.map_or_else(Vec::new, |m| read_manifest(m, diags));
    let by_file: HashMap<String, usize> = laws
        .iter()
        .enumerate()
        .map(|(i, (_, name))| (base_name(name).to_string(), i))
        .collect();
    let mut listed = vec![false; laws.len()];
    let manifest_name = manifest.map_or(MANIFEST, |m| m.name.as_str());
    for row in &rows {
        let Some(&i) = by_file.get(&row.file) else {
            if !broken.iter().any(|b| base_name(b) == row.file) {
                diags.error(
                    manifest_name,
                    row.line,
                    format!(
                        "there is no law file {} in laws/; correct the file name or remove the row",
                        row.file
                    ),
                );
            }
            continue;
        };
        listed[i] = true;
        let (law, name) = &mut laws[i];
        if let Some(message) = row_mismatch(row, law, name) {
            diags.error(manifest_name, row.line, message);
            continue;
        }
        let kind = law
            .history
            .iter()
            .rev()
            .find(|h| h.date == row.date)
            .map_or("", |h| h.kind);
        law.version = Some(LawVersion::new(&row.date, kind, &row.source));
    }
    for (i, (law, name)) in laws.iter_mut().enumerate() {
        if !listed[i] {
            law.version = law.latest_version();
        }
        check_superseded(law, name, files, diags);
        if law.version.is_none() && !listed[i] {
            diags.warn(
                name,
                1,
                format!(
                    "《{}》 has no version: no dated history line (`2013年6月29日 …修正`) before `<!-- INFO END -->` and no row in laws/{MANIFEST}; add one, so pages can say which text they quote",
                    law.title
                ),
            );
        }
    }
}

/// What is wrong with manifest row `row` for the law read from file `name`: an article count
/// other than the file's, or a date older than the file's latest history line.
fn row_mismatch(row: &Row, law: &Law, name: &str) -> Option<String> {
    if let Some(a) = row.articles.filter(|&a| a as usize != law.articles.len()) {
        return Some(format!(
            "{} has {} articles, the row says {a}: the row describes another text; correct the row (version_date, articles) to the file's text",
            row.file,
            law.articles.len()
        ));
    }
    let latest = law.history.iter().max_by(|a, b| a.date.cmp(&b.date))?;
    (latest.date > row.date).then(|| {
        format!(
            "version_date {} is older than the history line of {} ({name}:{}); the row describes an older text: correct version_date",
            row.date, latest.date, latest.line
        )
    })
}

/// A `已被修订：` date not after the version's is an error at the declaration's line.
fn check_superseded(law: &Law, name: &str, files: &[SourceFile], diags: &mut Diags) {
    let (Some(s), Some(v)) = (&law.superseded, &law.version) else {
        return;
    };
    if s.date > v.date {
        return;
    }
    let line = super::laws::head_line(files, name, &["已被修订", "superseded"]);
    diags.error(
        name,
        line,
        format!(
            "the newer text's date {} is not after this text's version {} ({}); write the date of the text that replaced it",
            s.date, v.date, v.label
        ),
    );
}
