//! The catalog's laws (`laws/*.md`): read, sorted by title, their versions (see
//! [`super::versions`]), and the titles citations may use.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::diags::{line_of, Diags};
use super::SourceFile;
use powerlist::citation::ArticleRef;
use powerlist::law::Law;
use powerlist::text::fold;

/// The laws that could be read, and what citations resolve against.
pub(super) struct Laws {
    /// Sorted by title.
    pub(super) laws: Vec<Law>,
    /// Folded titles → index into `laws`: every full title, and each short title that only one
    /// law has.
    by_title: HashMap<String, usize>,
    /// Folded titles of law files that failed: citations to them are not reported again.
    broken: HashSet<String>,
}

impl Laws {
    /// Reads the law files (and `MANIFEST.tsv`, when `files` has it). Errors go to `diags`.
    pub(super) fn read(files: &[SourceFile], diags: &mut Diags) -> Laws {
        let mut laws: Vec<(Law, String)> = Vec::new();
        let mut broken: HashSet<String> = HashSet::new();
        let mut broken_files: Vec<&str> = Vec::new();
        for f in files.iter().filter(|f| !super::versions::is_manifest(f)) {
            let text = match std::str::from_utf8(&f.bytes) {
                Ok(t) => t,
                Err(e) => {
                    diags.error(
                        &f.name,
                        line_of(&f.bytes, e.valid_up_to()),
                        "the law file is not valid UTF-8".into(),
                    );
                    broken.insert(fold(&law_name_guess(&f.name, ""), None));
                    broken_files.push(&f.name);
                    continue;
                }
            };
            for (n, line) in text.lines().enumerate() {
                if let Some(c) = super::bidi::bidi_control(line) {
                    diags.warn(&f.name, n + 1, super::bidi::message("the line", c));
                }
            }
            match Law::parse(text) {
                Ok(law) => laws.push((law, f.name.clone())),
                Err(e) => {
                    diags.error(&f.name, e.line, e.message);
                    broken.insert(fold(&law_name_guess(&f.name, text), None));
                    broken_files.push(&f.name);
                }
            }
        }
        laws.sort_by(|a, b| a.0.title.cmp(&b.0.title));
        let by_title = titles(&laws, diags);
        declared_once(&laws, files, diags);
        super::versions::set_versions(&mut laws, files, &broken_files, diags);
        let laws: Vec<Law> = laws.into_iter().map(|(l, _)| l).collect();
        if laws.len() > u16::MAX as usize {
            diags.error(
                "laws",
                0,
                format!("{} laws; at most {} are supported", laws.len(), u16::MAX),
            );
        }
        Laws {
            laws,
            by_title,
            broken,
        }
    }

    /// The law a cited title names, if the catalog has it.
    pub(super) fn find(&self, title: &str) -> Option<usize> {
        self.by_title.get(&fold(title, None)).copied()
    }

    /// Whether a cited title names a law file that could not be read (and was reported).
    pub(super) fn is_broken(&self, title: &str) -> bool {
        let key = fold(title, None);
        let short = key.strip_prefix("中华人民共和国").unwrap_or(&key);
        self.broken
            .iter()
            .any(|b| b == &key || b.strip_prefix("中华人民共和国").unwrap_or(b) == short)
    }
}

/// The titles citations resolve: each law's full title, and its short title when no other law
/// has the same. A full title given twice is an error.
fn titles(laws: &[(Law, String)], diags: &mut Diags) -> HashMap<String, usize> {
    let mut by_title: HashMap<String, usize> = HashMap::new();
    for (i, (law, file)) in laws.iter().enumerate() {
        if let Some(&j) = by_title.get(&fold(&law.title, None)) {
            if laws[j].0.title == law.title {
                diags.error(
                    file,
                    1,
                    format!(
                        "law 《{}》 is also in {}; keep one file per law",
                        law.title, laws[j].1
                    ),
                );
            }
        }
        by_title.insert(fold(&law.title, None), i);
    }
    // Short titles resolve only when unambiguous.
    let mut short_count: HashMap<String, usize> = HashMap::new();
    for (law, _) in laws {
        *short_count
            .entry(fold(law.short_title(), None))
            .or_default() += 1;
    }
    for (i, (law, _)) in laws.iter().enumerate() {
        let s = fold(law.short_title(), None);
        if short_count.get(&s) == Some(&1) {
            by_title.entry(s).or_insert(i);
        }
    }
    by_title
}

/// A short name (`简称：`) two laws declare, or that is another law's title, is an error in
/// the later file (at its `简称：` line): a citation by it could mean either.
fn declared_once(laws: &[(Law, String)], files: &[SourceFile], diags: &mut Diags) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, (law, _)) in laws.iter().enumerate() {
        seen.insert(fold(&law.title, None), i);
        seen.insert(fold(law.short_title(), None), i);
    }
    for (i, (law, file)) in laws.iter().enumerate() {
        for name in &law.names {
            match seen.get(&fold(name, None)) {
                Some(&j) if j != i => diags.error(
                    file,
                    head_line(files, file, &["简称"]),
                    format!(
                        "the short name `{name}` (简称) is also 《{}》's (in {}); a name may \
                         belong to one law only: remove it from one of the files",
                        laws[j].0.title, laws[j].1
                    ),
                ),
                _ => {
                    seen.insert(fold(name, None), i);
                }
            }
        }
    }
}

/// The line of file `name` where the first of `keys` first appears (a declaration: `简称`,
/// `已被修订`), or 1 if it cannot be found.
pub(super) fn head_line(files: &[SourceFile], name: &str, keys: &[&str]) -> usize {
    files
        .iter()
        .find(|f| f.name == name)
        .and_then(|f| {
            let at = keys
                .iter()
                .filter_map(|k| f.bytes.windows(k.len()).position(|w| w == k.as_bytes()))
                .min()?;
            Some(line_of(&f.bytes, at))
        })
        .unwrap_or(1)
}

/// Checks that `law` has the article, paragraph and item `r` cites.
pub(super) fn resolve(law: &Law, r: &ArticleRef) -> Result<(), String> {
    let cite = format!("《{}》{}", law.title, r.display());
    let Some(article) = law.article(r.article) else {
        let last = law.articles.last().map_or(0, |a| a.number);
        return Err(format!(
            "{cite}: 《{}》 has no 第{}条 (its articles run to 第{}条); correct the article number",
            law.title,
            powerlist::text::chinese_number(r.article),
            powerlist::text::chinese_number(last)
        ));
    };
    if let Some(p) = r.paragraph {
        if p as usize > article.paragraphs.len() {
            return Err(format!(
                "{cite}: 第{}条 has {} paragraph(s) (款); there is no 第{}款",
                powerlist::text::chinese_number(r.article),
                article.paragraphs.len(),
                powerlist::text::chinese_number(p)
            ));
        }
    }
    if let Some(i) = r.item {
        let p = r.paragraph.unwrap_or(1);
        let n = (p as usize)
            .checked_sub(1)
            .and_then(|i| article.paragraphs.get(i))
            .map_or(0, |p| p.items.len());
        if i as usize > n {
            return Err(format!(
                "{cite}: paragraph {p} of 第{}条 has {n} item(s) (项); there is no 第（{}）项",
                powerlist::text::chinese_number(r.article),
                powerlist::text::chinese_number(i)
            ));
        }
    }
    Ok(())
}

/// The title a broken law file was meant to have: its `# ` line, else its file name.
fn law_name_guess(file: &str, text: &str) -> String {
    if let Some(t) = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .and_then(|l| l.strip_prefix("# "))
    {
        return t.trim().to_string();
    }
    Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default()
}
