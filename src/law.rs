//! Law texts: one Markdown file per law, as kept in `data/laws/`.
//!
//! The format: a `# Title` line, history lines, an optional `<!-- INFO END -->` marker, `##`
//! chapter headings, then one article per paragraph starting `第N条 ` (Chinese numerals, a space
//! after 条). The following paragraphs of the same article are its paragraphs (款); lines starting
//! `（一）` are items (项) of the paragraph before them.
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
        for &(n, line) in &body[..start] {
            declared_names(n, line, &title, &mut names)?;
        }
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
        })
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
