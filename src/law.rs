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
}

/// A law or regulation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Law {
    /// Its official title, e.g. `中华人民共和国食品安全法`.
    pub title: String,
    /// Its articles, in order of number.
    pub articles: Vec<Article>,
}

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
        Ok(Law { title, articles })
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
    fn errors_name_the_line() {
        assert_eq!(Law::parse("no title").unwrap_err().line, 1);
        assert!(Law::parse("# T\n\n正文\n")
            .unwrap_err()
            .message
            .contains("no articles"));
    }
}
