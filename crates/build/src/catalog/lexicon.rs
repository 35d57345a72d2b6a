//! `lexicon.tsv`: the words people type (`狗`, `违建`, `小广告`) and the catalog's words they
//! mean (`犬`, `违法建设`, `张贴`), and the fillers a query drops (`请问`, `找哪个部门`).
//!
//! The file is tab-separated, UTF-8, with `#` comment lines (its provenance and licence go
//! there) and a header row `说法 目录用语 说明` (or `word means note`):
//!
//! ```text
//! 说法<TAB>目录用语<TAB>说明
//! 狗<TAB>犬；犬只<TAB>口语
//! 请问<TAB><TAB>疑问句式
//! ```
//!
//! A row with an empty 目录用语 is a filler. The build gives every item whose name or keywords
//! contain one of a word's catalog words that word as a hidden keyword, so `狗` finds the 犬
//! items as if the catalog listed it; the fillers travel in the index, and queries drop them.

use std::path::Path;

use super::Catalog;
use powerlist::error::{Diagnostic, Error};

/// The name of the file in a catalog directory.
pub const LEXICON_FILE: &str = "lexicon.tsv";
/// The largest lexicon file read, in bytes.
pub const MAX_LEXICON_BYTES: usize = 1 << 20;
/// The longest word or catalog word, in characters.
const MAX_WORD_CHARS: usize = 16;
/// The most catalog words one word may mean.
const MAX_TARGETS: usize = 8;

/// One everyday word and the catalog words it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexEntry {
    /// What people type.
    pub word: String,
    /// The catalog's words it means (none: a filler).
    pub means: Vec<String>,
    /// Its line in the file.
    pub line: usize,
}

/// A catalog's lexicon (empty when it has none).
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    /// The words with catalog words.
    pub words: Vec<LexEntry>,
    /// The fillers, dropped from queries.
    pub fillers: Vec<String>,
}

/// Reads `DIR/lexicon.tsv` if there is one and checks it against `catalog`: errors stop the
/// build; warnings (a catalog word no item has) are added to the catalog's.
pub fn read_lexicon(dir: &Path, catalog: &mut Catalog) -> Result<Lexicon, Error> {
    let path = dir.join(LEXICON_FILE);
    let Ok(meta) = std::fs::metadata(&path) else {
        return Ok(Lexicon::default());
    };
    let name = path.display().to_string();
    if !meta.is_file() || meta.len() > MAX_LEXICON_BYTES as u64 {
        return Err(one_error(
            &name,
            0,
            format!("must be a file of at most {MAX_LEXICON_BYTES} bytes"),
        ));
    }
    let bytes = std::fs::read(&path).map_err(|e| Error::io(name.clone(), &e))?;
    let lexicon = parse_lexicon(&name, &bytes)?;
    catalog
        .warnings
        .extend(unused_words(&name, &lexicon, catalog));
    catalog.warnings.extend(filler_words(&name, &lexicon));
    Ok(lexicon)
}

fn one_error(file: &str, line: usize, message: String) -> Error {
    Error::Catalog(vec![diagnostic(file, line, message, false)])
}

fn diagnostic(file: &str, line: usize, message: String, warning: bool) -> Diagnostic {
    Diagnostic {
        file: file.to_string(),
        line,
        message,
        warning,
        sheet: None,
    }
}

/// Parses a lexicon file's bytes; every problem is reported, each with its line and the fix.
pub fn parse_lexicon(file: &str, bytes: &[u8]) -> Result<Lexicon, Error> {
    if bytes.len() > MAX_LEXICON_BYTES {
        return Err(one_error(
            file,
            0,
            format!("is larger than {MAX_LEXICON_BYTES} bytes; keep the lexicon to everyday words"),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        one_error(file, line, "is not valid UTF-8; save it as UTF-8".into())
    })?;
    let mut errors = Vec::new();
    let mut lexicon = Lexicon::default();
    let mut header = false;
    let mut seen: Vec<(String, usize)> = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = n + 1;
        let row = raw.trim_start_matches('\u{feff}').trim_end_matches('\r');
        if row.trim().is_empty() || row.starts_with('#') {
            continue;
        }
        let cells: Vec<&str> = row.split('\t').map(str::trim).collect();
        if !header {
            if !matches!(cells.first().copied(), Some("说法" | "word")) {
                errors.push(diagnostic(file, line, "the first row must be the header `说法<TAB>目录用语<TAB>说明` (or `word<TAB>means<TAB>note`)".into(), false));
                break;
            }
            header = true;
            continue;
        }
        match parse_row(&cells, line) {
            Ok(entry) => {
                if let Some((_, first)) = seen.iter().find(|(w, _)| *w == entry.word) {
                    errors.push(diagnostic(file, line, format!("\"{}\" is already listed on line {first}; keep one row per word (list several catalog words separated by ；)", entry.word), false));
                    continue;
                }
                seen.push((entry.word.clone(), line));
                if entry.means.is_empty() {
                    lexicon.fillers.push(entry.word);
                } else {
                    lexicon.words.push(entry);
                }
            }
            Err(message) => errors.push(diagnostic(file, line, message, false)),
        }
    }
    if errors.is_empty() {
        Ok(lexicon)
    } else {
        Err(Error::Catalog(errors))
    }
}

/// One row: the word, its catalog words, an optional note.
fn parse_row(cells: &[&str], line: usize) -> Result<LexEntry, String> {
    if !(2..=3).contains(&cells.len()) {
        return Err(format!(
            "has {} column(s); a row is 说法<TAB>目录用语<TAB>说明 (目录用语 empty for a filler)",
            cells.len()
        ));
    }
    let word = cells[0];
    check_word(word, "说法")?;
    let mut means = Vec::new();
    for m in cells[1]
        .split(['；', ';'])
        .map(str::trim)
        .filter(|m| !m.is_empty())
    {
        check_word(m, "目录用语")?;
        if m == word {
            return Err(format!("\"{word}\" means itself; leave it out"));
        }
        if !means.iter().any(|x| x == m) {
            means.push(m.to_string());
        }
    }
    if means.len() > MAX_TARGETS {
        return Err(format!(
            "\"{word}\" means {} catalog words; at most {MAX_TARGETS}",
            means.len()
        ));
    }
    Ok(LexEntry {
        word: word.to_string(),
        means,
        line,
    })
}

fn check_word(w: &str, column: &str) -> Result<(), String> {
    let n = w.chars().count();
    if n == 0 {
        return Err(format!("{column} is empty"));
    }
    if n > MAX_WORD_CHARS {
        return Err(format!(
            "{column} \"{w}\" has {n} characters; at most {MAX_WORD_CHARS}"
        ));
    }
    if w.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "{column} \"{w}\" has spaces or control characters; write one word"
        ));
    }
    Ok(())
}

/// Warnings for catalog words that no item's name or keywords contain (they find nothing).
fn unused_words(file: &str, lexicon: &Lexicon, catalog: &Catalog) -> Vec<Diagnostic> {
    let texts: Vec<String> = catalog
        .items
        .iter()
        .map(|i| format!("{}；{}", i.name, i.keywords.join("；")))
        .collect();
    let mut out = Vec::new();
    for e in &lexicon.words {
        for m in &e.means {
            if !texts.iter().any(|t| t.contains(m.as_str())) {
                out.push(diagnostic(
                    file,
                    e.line,
                    format!("\"{m}\" (for \"{}\") is in no item's name or keywords, so it finds nothing; use the catalog's word or remove it", e.word),
                    true,
                ));
            }
        }
    }
    out
}

/// Warnings for words that contain a filler: a query drops its fillers before anything else
/// (`楼下饭店` becomes `饭店`), so such a word never matches.
fn filler_words(file: &str, lexicon: &Lexicon) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for e in &lexicon.words {
        if let Some(f) = lexicon.fillers.iter().find(|f| e.word.contains(f.as_str())) {
            out.push(diagnostic(
                file,
                e.line,
                format!("\"{}\" contains the filler \"{f}\", which queries drop first, so it never matches; list it without the filler, or remove the row", e.word),
                true,
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<String> {
        match parse_lexicon("lexicon.tsv", text.as_bytes()) {
            Ok(_) => Vec::new(),
            Err(Error::Catalog(d)) => d
                .iter()
                .map(|d| format!("{}: {}", d.line, d.message))
                .collect(),
            Err(e) => vec![e.to_string()],
        }
    }

    #[test]
    fn words_and_fillers() {
        let l = parse_lexicon(
            "lexicon.tsv",
            "# provenance\n说法\t目录用语\t说明\n狗\t犬；犬只\t口语\n请问\t\t疑问\n违建\t违法建设\n".as_bytes(),
        )
        .unwrap();
        assert_eq!(l.fillers, ["请问"]);
        assert_eq!(l.words.len(), 2);
        assert_eq!(l.words[0].means, ["犬", "犬只"]);
        assert_eq!(l.words[0].line, 3);
    }

    #[test]
    fn problems_name_the_line_and_the_fix() {
        assert!(errors("狗\t犬\n")[0].starts_with("1: the first row must be the header"));
        let e = errors("说法\t目录用语\n狗\t犬\n狗\t犬只\n猫 咪\t猫\n噪音\n犬\t犬\n");
        assert!(
            e[0].starts_with("3: \"狗\" is already listed on line 2"),
            "{e:?}"
        );
        assert!(e[1].contains("spaces"), "{e:?}");
        assert!(e[2].starts_with("5: has 1 column(s)"), "{e:?}");
        assert!(e[3].contains("means itself"), "{e:?}");
        assert!(errors("说法\t目录用语\n\u{7}\t犬\n")[0].contains("control"));
        let long = format!("说法\t目录用语\n{}\t犬\n", "字".repeat(17));
        assert!(errors(&long)[0].contains("at most 16"));
        assert!(parse_lexicon("l.tsv", b"\xff\xfe").is_err());
    }

    #[test]
    fn a_word_holding_a_filler_is_warned_about() {
        let l = parse_lexicon(
            "lexicon.tsv",
            "说法\t目录用语\n楼下\t\t方位\n楼下饭店\t餐饮\n饭店\t餐饮\n".as_bytes(),
        )
        .unwrap();
        let w = filler_words("lexicon.tsv", &l);
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].line, 3);
        assert!(w[0].warning);
        assert!(
            w[0].message
                .contains("\"楼下饭店\" contains the filler \"楼下\""),
            "{w:?}"
        );
    }
}
