//! Law texts: one Markdown file per law, as kept in `data/laws/`.
//!
//! The format: a `# Title` line, history lines, an optional `<!-- INFO END -->` marker, `##`
//! chapter headings, then one article per paragraph starting `第N条 ` (Chinese numerals, a space
//! after 条). The following paragraphs of the same article are its paragraphs (款); lines starting
//! `（一）` are items (项) of the paragraph before them.
//!
//! The head (the lines before `<!-- INFO END -->`) says which text this is: its history lines
//! (`2013年6月29日 第十二届全国人民代表大会常务委员会第三次会议《…》修正`, read into
//! [`Law::history`]), and may declare short names (`简称：消法；消保法`) and that a newer text
//! has replaced it (`已被修订：2025-04-30（自2025年9月1日起施行）`, [`Law::superseded`]).
//!
//! ```
//! use powerlist::law::Law;
//! let text = "# 示例条例\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n第一条 为了示例，制定本条例。\n\n\
//!             第二条 禁止下列行为：\n\n（一）随地吐痰；\n\n（二）乱扔杂物。\n\n违反前款规定的，处以罚款。\n";
//! let law = Law::parse(text).unwrap();
//! assert_eq!(law.title, "示例条例");
//! let art = law.article(2).unwrap();
//! assert_eq!(art.paragraphs.len(), 2);
//! assert_eq!(art.paragraphs[0].items[1], "（二）乱扔杂物。");
//! ```

use serde::{Deserialize, Serialize};

use crate::citation::ArticleRef;
use crate::text::parse_number;

/// A paragraph (款) of an article, with its items (项).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    /// The paragraph's own text (for the first paragraph, without `第N条 `).
    pub text: String,
    /// The items `（一）…` that follow it, each a whole line.
    pub items: Vec<String>,
}

/// Where a citation points in an article: the paragraph (款) and, when an item (项) is cited,
/// the item, as 0-based indexes into [`Article::paragraphs`] and [`Paragraph::items`] (see
/// [`Article::cited_position`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitedPosition {
    /// Index of the cited paragraph.
    pub paragraph: usize,
    /// Index of the cited item in that paragraph; `None` cites the whole paragraph.
    pub item: Option<usize>,
}

/// One article (条).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// Its number.
    pub number: u32,
    /// Its paragraphs, at least one.
    pub paragraphs: Vec<Paragraph>,
}

impl Article {
    /// The whole article as text, paragraphs and items on their own lines.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for p in &self.paragraphs {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&p.text);
            for it in &p.items {
                out.push('\n');
                out.push_str(it);
            }
        }
        out
    }

    /// The text a reference points at: the item, else the paragraph, else the whole article.
    /// `None` when the paragraph or item does not exist.
    pub fn cited_text(&self, r: &ArticleRef) -> Option<String> {
        let para = match (r.paragraph, r.item) {
            (None, None) => return Some(self.text()),
            (Some(p), _) => self.paragraphs.get(p.checked_sub(1)? as usize)?,
            (None, Some(_)) => self.paragraphs.first()?,
        };
        match r.item {
            None => {
                let mut s = para.text.clone();
                for it in &para.items {
                    s.push('\n');
                    s.push_str(it);
                }
                Some(s)
            }
            Some(i) => para.items.get(i.checked_sub(1)? as usize).cloned(),
        }
    }

    /// Which paragraph, and which item of it, a citation of this article points at, for pages
    /// that emphasise it; `None` when it cites nothing narrower than the article (or nothing that
    /// exists). A paragraph that does not exist counts as none named. An item without a paragraph
    /// is the item of the first paragraph that has that many items (a catalog's citations are
    /// checked to mean the first paragraph; a typed query may mean a later one). When the
    /// paragraph lacks the item, the whole paragraph is cited.
    ///
    /// ```
    /// use powerlist::law::{CitedPosition, Law};
    /// let law = Law::parse("# T\n第一条 总则。\n禁止：\n（一）甲；\n（二）乙。\n").unwrap();
    /// let a = law.article(1).unwrap();
    /// assert_eq!(a.cited_position(None, Some(2)), Some(CitedPosition { paragraph: 1, item: Some(1) }));
    /// assert_eq!(a.cited_position(Some(1), None), Some(CitedPosition { paragraph: 0, item: None }));
    /// assert_eq!(a.cited_position(None, None), None);
    /// ```
    pub fn cited_position(
        &self,
        paragraph: Option<u32>,
        item: Option<u32>,
    ) -> Option<CitedPosition> {
        let named = paragraph
            .and_then(|p| p.checked_sub(1))
            .map(|p| p as usize)
            .filter(|&p| p < self.paragraphs.len());
        let Some(i) = item.and_then(|i| i.checked_sub(1)).map(|i| i as usize) else {
            return named.map(|paragraph| CitedPosition {
                paragraph,
                item: None,
            });
        };
        let paragraph = match named {
            Some(p) => p,
            None => self.paragraphs.iter().position(|p| p.items.len() > i)?,
        };
        let item = (i < self.paragraphs[paragraph].items.len()).then_some(i);
        Some(CitedPosition { paragraph, item })
    }
}

/// The short names of a `简称：消法；消保法` line (line `n` of a law file's head) added to
/// `names`; any other line is no declaration. A name is 2 to [`MAX_LAW_NAME_CHARS`]
/// characters, not the title, each once.
fn declared_names(
    n: usize,
    line: &str,
    title: &str,
    names: &mut Vec<String>,
) -> Result<(), LawError> {
    let Some(list) = line
        .strip_prefix("简称：")
        .or_else(|| line.strip_prefix("简称:"))
    else {
        return Ok(());
    };
    for name in list.split(['；', ';', '、']).map(str::trim) {
        let chars = name.chars().count();
        let wrong = if !(2..=MAX_LAW_NAME_CHARS).contains(&chars) {
            Some(format!(
                "the short name `{name}` must have 2 to {MAX_LAW_NAME_CHARS} characters"
            ))
        } else if name == title || names.iter().any(|x| x == name) {
            Some(format!(
                "the short name `{name}` is declared twice (or is the title)"
            ))
        } else if name.contains(['《', '》', '第']) {
            Some(format!(
                "the short name `{name}` must not contain 《》 or 第"
            ))
        } else {
            None
        };
        if let Some(message) = wrong {
            return Err(LawError {
                line: n,
                message: format!(
                    "{message}; write short names as `简称：消法；消保法`, separated by ；"
                ),
            });
        }
        names.push(name.to_string());
    }
    Ok(())
}

/// A law or regulation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Law {
    /// Its official title, e.g. `中华人民共和国食品安全法`.
    pub title: String,
    /// The short names the file declares (a `简称：消法；消保法` line before
    /// `<!-- INFO END -->`), besides those derived from the title
    /// ([`crate::citation::names_of_title`]).
    pub names: Vec<String>,
    /// Its articles, in order of number.
    pub articles: Vec<Article>,
    /// The dated history lines of its head (通过, 公布, 发布, 修订, 修正; a 施行 line is no
    /// version of the text), in file order.
    pub history: Vec<HistoryLine>,
    /// Set when the head declares that a newer text has replaced this one
    /// (`已被修订：2025-04-30` or `superseded: 2025-04-30`, then an optional note).
    pub superseded: Option<Superseded>,
    /// The version of the text: none from [`Law::parse`] (see [`Law::latest_version`]); a
    /// catalog sets it from its `laws/MANIFEST.tsv` or the history lines.
    pub version: Option<LawVersion>,
}

/// A dated line of a law file's history: `2013年6月29日 …修正`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryLine {
    /// 1-based line number of the date.
    pub line: usize,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// 通过, 公布, 发布, 修订 or 修正.
    pub kind: &'static str,
}

/// Which text of a law a catalog holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LawVersion {
    /// The text's date, `YYYY-MM-DD`.
    pub date: String,
    /// How the text of that date came about (通过, 公布, 发布, 修订, 修正), as the file's
    /// history line of that date says; empty when no history line has that date.
    pub kind: String,
    /// How pages name the version after the title: `2013年修正`, or `2016年文本` when the kind
    /// is not known.
    pub label: String,
    /// Where the text was taken from (the `source_path` of `laws/MANIFEST.tsv`); empty when the
    /// catalog does not say.
    pub source: String,
}

impl LawVersion {
    /// The version of `date` (`YYYY-MM-DD`), made by `kind` (may be empty), from `source`.
    ///
    /// ```
    /// use powerlist::law::LawVersion;
    /// assert_eq!(LawVersion::new("2013-06-29", "修正", "").label, "2013年修正");
    /// assert_eq!(LawVersion::new("2016-02-06", "", "a.md").label, "2016年文本");
    /// ```
    pub fn new(date: &str, kind: &str, source: &str) -> LawVersion {
        let year = date.get(..4).unwrap_or(date);
        let kind_or_text = if kind.is_empty() { "文本" } else { kind };
        LawVersion {
            date: date.to_string(),
            kind: kind.to_string(),
            label: format!("{year}年{kind_or_text}"),
            source: source.to_string(),
        }
    }
}

/// A newer text has replaced the one a catalog holds: when, and a short note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Superseded {
    /// The newer text's date, `YYYY-MM-DD`.
    pub date: String,
    /// What the declaration adds after the date (`（自2025年9月1日起施行）`), may be empty.
    pub note: String,
}

/// How history lines name the making of a text, in the order a line's last one wins.
const HISTORY_KINDS: [&str; 5] = ["通过", "公布", "发布", "修订", "修正"];

/// Longest note of a superseded declaration, in characters.
pub const MAX_SUPERSEDED_NOTE_CHARS: usize = 200;

/// `(year, month, day)` of a `YYYY-MM-DD` date that exists.
///
/// ```
/// use powerlist::law::parse_iso_date;
/// assert_eq!(parse_iso_date("2024-02-29"), Some((2024, 2, 29)));
/// assert_eq!(parse_iso_date("2023-02-29"), None);
/// assert_eq!(parse_iso_date("2023-2-28"), None);
/// ```
pub fn parse_iso_date(s: &str) -> Option<(u32, u32, u32)> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .filter(|d| d.iter().all(u8::is_ascii_digit))
            .and_then(|_| s.get(r)?.parse::<u32>().ok())
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    real_date(y, m, d).then_some((y, m, d))
}

/// Whether the day exists (Gregorian calendar).
fn real_date(y: u32, m: u32, d: u32) -> bool {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    y >= 1000 && (1..=days).contains(&d)
}

/// The dates `2013年6月29日` in `line`: (byte offset, end offset, year, month, day). The
/// day need not exist (the caller says so).
fn chinese_dates(line: &str) -> Vec<(usize, usize, u32, u32, u32)> {
    /// The number of 1 to `max` ASCII digits at the start of `s`, then `unit`: (value, bytes).
    fn part(s: &str, max: usize, unit: char) -> Option<(u32, usize)> {
        let n = s.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 || n > max || !s[n..].starts_with(unit) {
            return None;
        }
        Some((s[..n].parse().ok()?, n + unit.len_utf8()))
    }
    let mut out = Vec::new();
    let mut at = 0;
    while at < line.len() {
        let rest = &line[at..];
        let found = part(rest, 4, '年')
            .filter(|&(_, n)| n == 4 + '年'.len_utf8())
            .and_then(|(y, n)| {
                let (m, n2) = part(&rest[n..], 2, '月')?;
                let (d, n3) = part(&rest[n + n2..], 2, '日')?;
                Some((y, m, d, n + n2 + n3))
            });
        match found {
            // A date starts at a digit that no digit precedes.
            Some((y, m, d, len)) if !line[..at].ends_with(|c: char| c.is_ascii_digit()) => {
                out.push((at, at + len, y, m, d));
                at += len;
            }
            _ => at += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    out
}

/// The last history kind named in `text` outside `《…》` (a decision's title may name
/// anything).
fn history_kind(text: &str) -> Option<&'static str> {
    let mut outside = String::new();
    let mut depth = 0u32;
    for c in text.chars() {
        match c {
            '《' => depth += 1,
            '》' => depth = depth.saturating_sub(1),
            _ if depth == 0 => outside.push(c),
            _ => {}
        }
    }
    HISTORY_KINDS
        .iter()
        .filter_map(|k| outside.rfind(k).map(|at| (at, *k)))
        .max()
        .map(|(_, k)| k)
}

/// The dated history of a law file's head lines (`(line number, text)`, declarations left
/// out): a line not starting with a date continues the one before (a long line the source
/// broke in two); each date in an entry starts a segment whose kind is its last 通过, 公布,
/// 发布, 修订 or 修正 outside `《…》`. A segment without one (a 施行 line) is no version.
fn history(head: &[(usize, &str)]) -> Result<Vec<HistoryLine>, LawError> {
    // Each entry: its lines, joined, with the line each byte offset starts on.
    let mut entries: Vec<(String, Vec<(usize, usize)>)> = Vec::new();
    for &(n, line) in head {
        if line.is_empty() {
            continue;
        }
        let starts_dated = chinese_dates(line).first().is_some_and(|d| d.0 == 0);
        match entries.last_mut() {
            Some((text, lines)) if !starts_dated => {
                lines.push((text.len(), n));
                text.push_str(line);
            }
            _ => entries.push((line.to_string(), vec![(0, n)])),
        }
    }
    let mut out = Vec::new();
    for (text, lines) in &entries {
        let dates = chinese_dates(text);
        for (i, &(start, end, y, m, d)) in dates.iter().enumerate() {
            let line = lines
                .iter()
                .take_while(|(at, _)| *at <= start)
                .last()
                .map_or(0, |&(_, n)| n);
            if !real_date(y, m, d) {
                return Err(LawError {
                    line,
                    message: format!(
                        "the date `{}` of the history line does not exist; correct it (history lines start with the date, e.g. `2013年6月29日 …修正`)",
                        &text[start..end]
                    ),
                });
            }
            let next = dates.get(i + 1).map_or(text.len(), |d| d.0);
            if let Some(kind) = history_kind(&text[end..next]) {
                out.push(HistoryLine {
                    line,
                    date: format!("{y:04}-{m:02}-{d:02}"),
                    kind,
                });
            }
        }
    }
    Ok(out)
}

/// The `已被修订：2025-04-30（note）` or `superseded: 2025-04-30 note` declaration of line `n`
/// of a law file's head; `None` for any other line.
fn superseded_line(n: usize, line: &str) -> Result<Option<Superseded>, LawError> {
    let Some(rest) = ["已被修订", "superseded"].iter().find_map(|key| {
        let rest = line.strip_prefix(key)?.trim_start();
        rest.strip_prefix('：').or_else(|| rest.strip_prefix(':'))
    }) else {
        return Ok(None);
    };
    let rest = rest.trim();
    let date = rest.get(..10).unwrap_or(rest);
    let note = rest.get(date.len()..).unwrap_or("").trim();
    let wrong = if parse_iso_date(date).is_none() {
        Some(format!(
            "`{date}` is no date written YYYY-MM-DD (one that exists)"
        ))
    } else if note.chars().count() > MAX_SUPERSEDED_NOTE_CHARS {
        Some(format!(
            "the note is longer than {MAX_SUPERSEDED_NOTE_CHARS} characters; keep it short"
        ))
    } else {
        None
    };
    match wrong {
        Some(what) => Err(LawError {
            line: n,
            message: format!(
                "{what}; declare a newer text as `已被修订：2025-04-30` (the newer text's date), optionally followed by a short note such as `（自2025年9月1日起施行）`"
            ),
        }),
        None => Ok(Some(Superseded {
            date: date.to_string(),
            note: note.to_string(),
        })),
    }
}

/// Longest declared short name, in characters.
pub const MAX_LAW_NAME_CHARS: usize = 32;

/// Why a law file could not be read: the line and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LawError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl Law {
    /// Parses a law file's text.
    pub fn parse(text: &str) -> Result<Law, LawError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l.trim()));
        let title = loop {
            match lines.next() {
                Some((_, "")) => continue,
                Some((_, l)) if l.starts_with("# ") => break l[2..].trim().to_string(),
                Some((n, _)) => {
                    return Err(LawError {
                        line: n,
                        message: "a law file must start with a `# 标题` line".into(),
                    })
                }
                None => {
                    return Err(LawError {
                        line: 1,
                        message: "the law file is empty".into(),
                    })
                }
            }
        };
        if title.is_empty() {
            return Err(LawError {
                line: 1,
                message: "the `# ` title line is empty".into(),
            });
        }
        let body: Vec<(usize, &str)> = lines.collect();
        let start = body
            .iter()
            .position(|(_, l)| *l == "<!-- INFO END -->")
            .map_or(0, |p| p + 1);
        let mut names = Vec::new();
        let mut superseded = None;
        let mut undeclared = Vec::new();
        for &(n, line) in &body[..start] {
            declared_names(n, line, &title, &mut names)?;
            match superseded_line(n, line)? {
                Some(_) if superseded.is_some() => {
                    return Err(LawError {
                        line: n,
                        message: "a second `已被修订：` line; declare the newer text once".into(),
                    })
                }
                Some(s) => superseded = Some(s),
                None if line.starts_with("简称") => {}
                None => undeclared.push((n, line)),
            }
        }
        let history = history(&undeclared)?;
        let mut articles: Vec<Article> = Vec::new();
        for &(n, line) in &body[start..] {
            if line.is_empty() || line.starts_with('#') || line.starts_with("<!--") {
                continue;
            }
            if let Some((num, rest)) = article_head(line) {
                if let Some(prev) = articles.last() {
                    if num <= prev.number {
                        return Err(LawError {
                            line: n,
                            message: format!(
                                "article 第{}条 comes after 第{}条; articles must be in increasing order",
                                crate::text::chinese_number(num),
                                crate::text::chinese_number(prev.number)
                            ),
                        });
                    }
                }
                articles.push(Article {
                    number: num,
                    paragraphs: vec![Paragraph {
                        text: rest.to_string(),
                        items: vec![],
                    }],
                });
                continue;
            }
            let Some(article) = articles.last_mut() else {
                // Preamble text before the first article is kept out.
                continue;
            };
            if is_item_line(line) {
                if let Some(p) = article.paragraphs.last_mut() {
                    p.items.push(line.to_string());
                }
            } else {
                article.paragraphs.push(Paragraph {
                    text: line.to_string(),
                    items: vec![],
                });
            }
        }
        if articles.is_empty() {
            return Err(LawError {
                line: 1,
                message: "no articles found; each article must start a line with 第N条 and a space"
                    .into(),
            });
        }
        Ok(Law {
            title,
            names,
            articles,
            history,
            superseded,
            version: None,
        })
    }

    /// The version its history lines give: the latest dated one (the last of that date).
    ///
    /// ```
    /// use powerlist::law::Law;
    /// let law = Law::parse("# 某法\n1989年2月21日 第七届…会议通过\n\
    ///                       2013年6月29日 第十二届…会议《关于修改…的决定》修正\n\
    ///                       <!-- INFO END -->\n第一条 正文。\n").unwrap();
    /// assert_eq!(law.latest_version().unwrap().label, "2013年修正");
    /// ```
    pub fn latest_version(&self) -> Option<LawVersion> {
        // The last of the latest date (`max_by` keeps the last of equals).
        let h = self.history.iter().max_by(|a, b| a.date.cmp(&b.date))?;
        Some(LawVersion::new(&h.date, h.kind, ""))
    }

    /// The title without `中华人民共和国`, as laws are usually cited.
    pub fn short_title(&self) -> &str {
        self.title
            .strip_prefix("中华人民共和国")
            .unwrap_or(&self.title)
    }

    /// Finds an article by number.
    pub fn article(&self, number: u32) -> Option<&Article> {
        self.articles
            .binary_search_by_key(&number, |a| a.number)
            .ok()
            .map(|i| &self.articles[i])
    }
}

/// `第一百二十二条 text` → (122, "text").
fn article_head(line: &str) -> Option<(u32, &str)> {
    let rest = line.strip_prefix('第')?;
    let end = rest.find('条')?;
    let num = parse_number(&rest[..end])?;
    let after = &rest[end + '条'.len_utf8()..];
    let mut chars = after.chars();
    match chars.next() {
        Some(' ') | Some('\u{3000}') => Some((num, chars.as_str().trim_start())),
        None => Some((num, "")),
        _ => None,
    }
}

fn is_item_line(line: &str) -> bool {
    let Some(rest) = line.strip_prefix('（').or_else(|| line.strip_prefix('(')) else {
        return false;
    };
    let end = rest.find(['）', ')']);
    matches!(end, Some(e) if e > 0 && parse_number(&rest[..e]).is_some())
}

#[cfg(test)]
mod tests {
    #[test]
    fn short_names_are_declared_in_the_head_and_checked() {
        let head =
            "# 中华人民共和国消费者权益保护法\n\n简称：消法；消保法\n\n<!-- INFO END -->\n\n";
        let law = Law::parse(&format!("{head}第一条 为了保护消费者的合法权益。\n")).unwrap();
        assert_eq!(law.names, ["消法", "消保法"]);
        // Below the head it is text, not a declaration.
        let body = "# 某条例\n\n<!-- INFO END -->\n\n简称：某例\n\n第一条 正文。\n";
        assert!(Law::parse(body).unwrap().names.is_empty());
        for (bad, says) in [
            ("简称：消", "2 to 32"),
            ("简称：消法；消法", "twice"),
            ("简称：《消法》", "《》"),
        ] {
            let text = format!(
                "# 中华人民共和国消费者权益保护法\n{bad}\n<!-- INFO END -->\n第一条 正文。\n"
            );
            let e = Law::parse(&text).unwrap_err();
            assert_eq!(e.line, 2, "{bad}");
            assert!(
                e.message.contains(says) && e.message.contains("简称："),
                "{}",
                e.message
            );
        }
    }

    use super::*;

    #[test]
    fn cited_text_picks_item() {
        let law = Law::parse("# T\n第一条 禁止：\n（一）甲；\n（二）乙。\n第二款文字。\n").unwrap();
        let a = law.article(1).unwrap();
        let r = |p, i| ArticleRef {
            article: 1,
            paragraph: p,
            item: i,
        };
        assert_eq!(a.cited_text(&r(None, Some(2))).unwrap(), "（二）乙。");
        assert_eq!(a.cited_text(&r(Some(2), None)).unwrap(), "第二款文字。");
        assert!(a.cited_text(&r(Some(3), None)).is_none());
        assert!(a.cited_text(&r(Some(2), Some(1))).is_none());
    }

    #[test]
    fn cited_position_finds_paragraph_and_item() {
        let law =
            Law::parse("# T\n第一条 总则。\n禁止：\n（一）甲；\n（二）乙。\n第三款。\n").unwrap();
        let a = law.article(1).unwrap();
        let at = |paragraph, item| Some(CitedPosition { paragraph, item });
        assert_eq!(a.cited_position(Some(2), Some(2)), at(1, Some(1)));
        assert_eq!(a.cited_position(Some(2), None), at(1, None));
        // No paragraph named: the first paragraph with that many items.
        assert_eq!(a.cited_position(None, Some(1)), at(1, Some(0)));
        assert_eq!(a.cited_position(None, Some(3)), None);
        // The paragraph lacks the item: the whole paragraph.
        assert_eq!(a.cited_position(Some(3), Some(1)), at(2, None));
        // A paragraph that does not exist counts as none named.
        assert_eq!(a.cited_position(Some(9), None), None);
        assert_eq!(a.cited_position(Some(9), Some(2)), at(1, Some(1)));
        assert_eq!(a.cited_position(Some(0), Some(0)), None);
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(Law::parse("no title").unwrap_err().line, 1);
        assert!(Law::parse("# T\n\n正文\n")
            .unwrap_err()
            .message
            .contains("no articles"));
    }
}

#[cfg(test)]
mod version_tests {
    use super::*;

    fn head(lines: &str) -> Result<Law, LawError> {
        Law::parse(&format!(
            "# 某法\n\n{lines}\n<!-- INFO END -->\n\n第一条 正文。\n"
        ))
    }

    #[test]
    fn history_lines_give_dates_and_kinds() {
        let law = head(
            "1993年2月22日 第七届全国人民代表大会常务委员会第三十次会议通过\n\n\
             2000年7月8日 第九届…会议《关于修改〈某法〉的决定》第一次修正根据2009年8月27日第十一届…会议《关于修改部分法律的决定》第二次修正\n\n\
             2019年8月26日 第十三届…会议《关于修改〈中华人民共和国土地管理法〉\n\
             〈中华人民共和国城市房地产管理法〉的决定》第三次修正\n\n\
             2019年12月1日 施行\n",
        )
        .unwrap();
        let got: Vec<(usize, &str, &str)> = law
            .history
            .iter()
            .map(|h| (h.line, h.date.as_str(), h.kind))
            .collect();
        assert_eq!(
            got,
            [
                (3, "1993-02-22", "通过"),
                (5, "2000-07-08", "修正"),
                (5, "2009-08-27", "修正"),
                (7, "2019-08-26", "修正"),
            ]
        );
        assert_eq!(law.latest_version().unwrap().label, "2019年修正");
        // A kind inside 《…》 is the decision's title, not the line's.
        let law = head("2011年1月8日 《国务院关于废止和修改部分行政法规的决定》修订　\n").unwrap();
        assert_eq!(law.history[0].kind, "修订");
        assert!(head("").unwrap().latest_version().is_none());
    }

    #[test]
    fn a_date_that_does_not_exist_names_its_line() {
        let e = head("1989年2月21日 通过\n2013年2月30日 修正\n").unwrap_err();
        assert_eq!(e.line, 4);
        assert!(e.message.contains("2013年2月30日"), "{}", e.message);
    }

    #[test]
    fn superseded_is_declared_once_with_a_real_date() {
        let law =
            head("2013年6月29日 修正\n已被修订：2025-04-30（自2025年9月1日起施行）\n").unwrap();
        let s = law.superseded.unwrap();
        assert_eq!(
            (s.date.as_str(), s.note.as_str()),
            ("2025-04-30", "（自2025年9月1日起施行）")
        );
        // The note's date is no history line.
        assert_eq!(law.history.len(), 1);
        let law = head("superseded: 2025-06-27\n").unwrap();
        assert_eq!(law.superseded.unwrap().note, "");
        for (bad, line) in [
            ("已被修订：2025-4-30", 3),
            ("superseded: 2025-02-30", 3),
            ("已被修订：2025-04-30\n已被修订：2025-05-01", 4),
        ] {
            let e = head(bad).unwrap_err();
            assert_eq!(e.line, line, "{bad}: {}", e.message);
            assert!(e.message.contains("已被修订"), "{}", e.message);
        }
    }
}
