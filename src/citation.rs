//! Legal citations: `《中华人民共和国食品安全法》第一百二十二条`, `《城市市容和环境卫生管理条例》第十四条、第三十六条第一款第（一）项`,
//! `《食品安全法》第122条`.
//!
//! [`parse_basis`] reads the `basis` cell of a catalog row; [`parse_query`] recognises a citation
//! typed into the search box, where people leave out the brackets and write `食品安全法 122`.
//!
//! ```
//! use powerlist::citation::{parse_basis, ArticleRef};
//! let cites = parse_basis("《城市市容和环境卫生管理条例》第十四条、第三十六条第一款第（一）项").unwrap();
//! assert_eq!(cites[0].title, "城市市容和环境卫生管理条例");
//! assert_eq!(cites[0].refs, vec![
//!     ArticleRef { article: 14, paragraph: None, item: None },
//!     ArticleRef { article: 36, paragraph: Some(1), item: Some(1) },
//! ]);
//! ```

use crate::text::{chinese_number, find_bytes, parse_number};

/// One cited article, paragraph (款) or item (项).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ArticleRef {
    /// Article (条) number, from 1.
    pub article: u32,
    /// Paragraph (款) number, from 1; `None` cites the whole article.
    pub paragraph: Option<u32>,
    /// Item (项) number, from 1, within the paragraph (the first paragraph when none is named).
    pub item: Option<u32>,
}

impl ArticleRef {
    /// The reference in the official form, without the law title: `第三十六条第一款第（一）项`.
    pub fn display(&self) -> String {
        let mut s = format!("第{}条", chinese_number(self.article));
        if let Some(p) = self.paragraph {
            s.push_str(&format!("第{}款", chinese_number(p)));
        }
        if let Some(i) = self.item {
            s.push_str(&format!("第（{}）项", chinese_number(i)));
        }
        s
    }
}

/// Citations of one law: the title as written (without the brackets) and the articles cited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// The law's title as written in the citation.
    pub title: String,
    /// The articles cited, in order.
    pub refs: Vec<ArticleRef>,
}

const SEPARATORS: &[char] = &['、', '，', ',', '和', '及', '与', ' ', '\u{3000}', '\t'];

/// Parses a `basis` cell: citations separated by `；`, `;` or newlines; several articles of one law
/// separated by `、`. A part that starts with `第` continues the previous part's law.
///
/// Errors are messages that say what was expected, for the caller to prefix with file and line.
pub fn parse_basis(cell: &str) -> Result<Vec<Citation>, String> {
    let mut out: Vec<Citation> = Vec::new();
    for part in cell.split(['；', ';', '\n', '\r']) {
        let part = part.trim_matches(|c: char| c.is_whitespace() || c == '。');
        if part.is_empty() {
            continue;
        }
        parse_part(part, &mut out)?;
    }
    Ok(out)
}

fn parse_part(part: &str, out: &mut Vec<Citation>) -> Result<(), String> {
    let chars: Vec<char> = part.chars().collect();
    let mut i = 0;
    let mut current: Option<usize> = None;
    if chars.first() == Some(&'第') {
        match out.len() {
            0 => {
                return Err(format!(
                    "citation \"{part}\" names no law; write it as 《法律名称》第N条"
                ))
            }
            n => {
                out.push(Citation {
                    title: out[n - 1].title.clone(),
                    refs: Vec::new(),
                });
                current = Some(n);
            }
        }
    }
    let mut last: Option<ArticleRef> = None;
    while i < chars.len() {
        let c = chars[i];
        if SEPARATORS.contains(&c) {
            i += 1;
            continue;
        }
        if c == '《' {
            let (title, next) = read_title(&chars, i, part)?;
            out.push(Citation {
                title,
                refs: Vec::new(),
            });
            current = Some(out.len() - 1);
            last = None;
            i = next;
            continue;
        }
        if matches!(c, '（' | '(') && last.is_some() {
            // 第二十七条第（一）、（二）项: a further item of the same article and paragraph.
            let close = chars[i..].iter().position(|&c| c == '）' || c == ')');
            let num = close.and_then(|e| {
                let s: String = chars[i + 1..i + e].iter().collect();
                parse_number(s.trim()).filter(|&n| n > 0)
            });
            if let (Some(e), Some(n), Some(prev), Some(idx)) = (close, num, last, current) {
                let r = ArticleRef {
                    item: Some(n),
                    ..prev
                };
                out[idx].refs.push(r);
                last = Some(r);
                i += e + 1;
                if chars.get(i) == Some(&'项') {
                    i += 1;
                }
                // The first item of the list may have been written without 项 (第（一）、（二）项).
                continue;
            }
        }
        if c == '第' {
            let Some(idx) = current else {
                return Err(format!(
                    "citation \"{part}\" names no law before 第; write 《法律名称》第N条"
                ));
            };
            let (r, next) =
                parse_ref(&chars, i, last).map_err(|e| format!("citation \"{part}\": {e}"))?;
            out[idx].refs.push(r);
            last = Some(r);
            i = next;
            continue;
        }
        // Tolerate the common trailing words "的规定" / "规定" / "等".
        let rest: String = chars[i..].iter().collect();
        if ["的规定", "规定", "等"].contains(&rest.trim()) {
            break;
        }
        // Lists often paste the article's text after the citation: skip it, up to the next
        // 《 (another citation) or the end of the part.
        if last.is_some() {
            i = chars[i..]
                .iter()
                .position(|&c| c == '《')
                .map_or(chars.len(), |p| i + p);
            continue;
        }
        return Err(format!(
            "citation \"{part}\": unexpected \"{rest}\"; expected 第N条, 第N款 or 第（N）项"
        ));
    }
    if let Some(idx) = current {
        if out[idx].refs.is_empty() {
            return Err(format!(
                "citation \"{part}\" names 《{}》 but no article; add 第N条",
                out[idx].title
            ));
        }
    }
    Ok(())
}

/// The law title of the `《…》` that opens at `chars[i]`, without a version note, and where
/// reading goes on: after the 》, or after a version note written there
/// (`《…》（2021年修订）第十条`).
fn read_title(chars: &[char], i: usize, part: &str) -> Result<(String, usize), String> {
    let end = chars[i + 1..]
        .iter()
        .position(|&c| c == '》')
        .ok_or_else(|| format!("citation \"{part}\" opens 《 but never closes it with 》"))?;
    let title: String = chars[i + 1..i + 1 + end].iter().collect();
    // 《中华人民共和国食品安全法（2021年修正）》: the version note is not part of the title.
    let title = strip_version_note(title.trim()).to_string();
    if title.is_empty() {
        return Err(format!("citation \"{part}\" has an empty law title 《》"));
    }
    let mut next = i + end + 2;
    if matches!(chars.get(next), Some('（') | Some('(')) {
        if let Some(close) = chars[next..].iter().position(|&c| c == '）' || c == ')') {
            if chars.get(next + close + 1) == Some(&'第') || next + close + 1 == chars.len() {
                next += close + 1;
            }
        }
    }
    Ok((title, next))
}

/// `中华人民共和国食品安全法（2021年修正）` → `中华人民共和国食品安全法`.
pub(crate) fn strip_version_note(title: &str) -> &str {
    for (open, close) in [('（', '）'), ('(', ')')] {
        if title.ends_with(close) {
            if let Some(p) = title.rfind(open) {
                if p > 0 {
                    return title[..p].trim_end();
                }
            }
        }
    }
    title
}

/// Parses `第N条[第M款][第（K）项]` or a continuation (`第M款…`, `第（K）项`) starting at `chars[i] == '第'`.
fn parse_ref(
    chars: &[char],
    mut i: usize,
    last: Option<ArticleRef>,
) -> Result<(ArticleRef, usize), String> {
    let mut article = None;
    let mut paragraph = None;
    let mut item = None;
    let mut first = true;
    while i < chars.len() && chars[i] == '第' {
        let save = i;
        i += 1;
        let paren = matches!(chars.get(i), Some('（') | Some('('));
        if paren {
            i += 1;
        }
        let start = i;
        while i < chars.len() && !matches!(chars[i], '条' | '款' | '项' | '）' | ')') {
            i += 1;
        }
        let num_str: String = chars[start..i].iter().collect();
        if paren {
            if !matches!(chars.get(i), Some('）') | Some(')')) {
                return Err("a （ is not closed".into());
            }
            i += 1;
        }
        let unit = chars.get(i).copied();
        let num = parse_number(num_str.trim())
            .filter(|&n| n > 0)
            .ok_or_else(|| format!("\"{num_str}\" is not a number (use 一百二十二 or 122)"))?;
        if paren && !matches!(unit, Some('条') | Some('款') | Some('项')) && item.is_none() {
            // 第（一）、（二）项: the 项 comes after the last of the list.
            item = Some(num);
            break;
        }
        match unit {
            Some('条') if article.is_none() && paragraph.is_none() && item.is_none() => {
                article = Some(num)
            }
            Some('款') if paragraph.is_none() && item.is_none() => paragraph = Some(num),
            Some('项') if item.is_none() => item = Some(num),
            Some('条') | Some('款') | Some('项') => {
                if first {
                    return Err("article, paragraph and item are out of order".into());
                }
                // A new reference starts here ("第十条第十二条" without 、).
                i = save;
                break;
            }
            _ => return Err(format!("\"第{num_str}\" must end with 条, 款 or 项")),
        }
        i += 1;
        first = false;
    }
    let r = match (article, last) {
        (Some(a), _) => ArticleRef {
            article: a,
            paragraph,
            item,
        },
        (None, Some(prev)) => {
            if paragraph.is_some() {
                ArticleRef {
                    article: prev.article,
                    paragraph,
                    item,
                }
            } else {
                ArticleRef {
                    article: prev.article,
                    paragraph: prev.paragraph,
                    item,
                }
            }
        }
        (None, None) => {
            return Err("a paragraph or item is cited before any article (第N条)".into())
        }
    };
    Ok((r, i))
}

/// A citation typed as a query, resolved against the law titles the index knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryCitation {
    /// Which law (index into the names given to [`parse_query`]).
    pub law: usize,
    /// The article, paragraph, item asked for; `None` asks for the whole law.
    pub article: Option<ArticleRef>,
    /// Further articles, paragraphs or items asked for at once (`第30、31条`), after `article`.
    pub more: Vec<ArticleRef>,
    /// What is left of the query once the citation is taken out (more words to match).
    pub rest: String,
}

/// The names people use for a law, from its (folded) title: the title itself, without
/// `中华人民共和国` (`水法`), without `管理` (`治安处罚法`), and for the pollution laws the thing
/// protected (`大气法`, `噪声法`, `固废法` for 固体废物污染环境防治法); a protection law by its
/// first character (`未保法`, `消保法`); a four-character subject also by its two words' first
/// characters (`食安法`); a two-word subject's 管理法 by its first character and 管 (`土管法`
/// for 土地管理法). [`law_names`] drops a name two laws share; [`parse_query`] takes a
/// two-character name only before an article number.
pub fn names_of_title(title: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |s: String| {
        if s.chars().count() >= 2 && !out.contains(&s) {
            out.push(s);
        }
    };
    add(title.to_string());
    let short = title.strip_prefix("中华人民共和国").unwrap_or(title);
    add(short.to_string());
    add(crate::text::replace_str(short, "管理", "", 1));
    let Some(core) = short.strip_suffix('法') else {
        return out;
    };
    if let (Some(first), true) = (core.chars().next(), core.ends_with("保护")) {
        add(format!("{first}保法"));
    }
    let mut subject = core;
    for tail in ["污染环境防治", "污染防治", "保护", "管理"] {
        if let Some(s) = core.strip_suffix(tail) {
            subject = s;
            if tail.starts_with("污染") {
                add(format!("{s}污染法"));
            }
            add(format!("{s}法"));
            break;
        }
    }
    let chars: Vec<char> = subject.chars().collect();
    if chars.len() == 4 {
        add(format!("{}{}法", chars[0], chars[2]));
    }
    // A two-word subject's 管理法 by its first character and 管 (`土管法`, `药管法`).
    let chars: Vec<char> = core.chars().collect();
    if chars.len() == 4 && core.ends_with("管理") {
        add(format!("{}管法", chars[0]));
    }
    out
}

/// Every law's names (see [`names_of_title`]); the first name of each is its title. A law's
/// title, with or without `中华人民共和国`, is its own (`水法`, though 水污染防治法 would make
/// `水法` too); any other name two laws share is left out of both.
pub fn law_names(titles: &[String]) -> Vec<Vec<String>> {
    let all: Vec<Vec<String>> = titles.iter().map(|t| names_of_title(t)).collect();
    let own = |n: &String| {
        titles
            .iter()
            .position(|t| t == n || t.strip_prefix("中华人民共和国") == Some(n.as_str()))
    };
    all.iter()
        .enumerate()
        .map(|(i, names)| {
            names
                .iter()
                .enumerate()
                .filter(|&(k, n)| match own(n) {
                    Some(j) => j == i,
                    None => {
                        k == 0
                            || !all
                                .iter()
                                .enumerate()
                                .any(|(j, other)| j != i && other.contains(n))
                    }
                })
                .map(|(_, n)| n.clone())
                .collect()
        })
        .collect()
}

/// `names` (from [`law_names`]) with each law's declared short names (`declared[i]`, from its
/// file's `简称：` line) added: a declared name belongs to its law alone, so it is taken from
/// any other law's derived names; a name two laws declare is left out of both (and of every
/// other law's). `declared` may be shorter than `names` (empty: none).
///
/// ```
/// use powerlist::citation::{law_names, with_declared, parse_query};
/// let titles = ["中华人民共和国消费者权益保护法".to_string()];
/// let names = with_declared(law_names(&titles), &[vec!["消法".to_string()]]);
/// assert_eq!(parse_query("消法24条", &names).unwrap().article.unwrap().article, 24);
/// ```
pub fn with_declared(mut names: Vec<Vec<String>>, declared: &[Vec<String>]) -> Vec<Vec<String>> {
    let declared = &declared[..declared.len().min(names.len())];
    // A name two laws declare is neither's: it must not pick one of them silently.
    let shared = |n: &String| declared.iter().filter(|d| d.contains(n)).count() > 1;
    for (i, own) in declared.iter().enumerate() {
        for (j, other) in names.iter_mut().enumerate() {
            if j == i {
                for n in own.iter().filter(|n| !shared(n)) {
                    if !other.contains(n) {
                        other.push(n.clone());
                    }
                }
            } else {
                // A title stays its law's (kept first), whatever another declares.
                let mut k = 0;
                other.retain(|n| {
                    k += 1;
                    k == 1 || !own.contains(n)
                });
            }
        }
    }
    names
}

/// Recognises a citation in a folded query: one of a law's names (see [`law_names`]),
/// optionally followed by an article, paragraph and item, written officially
/// (`第一百二十二条第一款`) or loosely (`122`, `122条第1款`, `122条1款`, `122 1`). `names` holds,
/// per law, its folded names. The longest name found wins.
///
/// ```
/// use powerlist::citation::{law_names, parse_query};
/// let names = law_names(&["中华人民共和国食品安全法".to_string()]);
/// let q = parse_query("食品安全法 122", &names).unwrap();
/// assert_eq!(q.article.unwrap().article, 122);
/// let q = parse_query("《中华人民共和国食品安全法》第一百二十二条第一款", &names).unwrap();
/// assert_eq!(q.article.unwrap().paragraph, Some(1));
/// let q = parse_query("食安法122条第1款", &names).unwrap();
/// assert_eq!(q.article.unwrap().paragraph, Some(1));
/// ```
pub fn parse_query(query: &str, names: &[Vec<String>]) -> Option<QueryCitation> {
    // Byte search and `get` rather than `str::find` and slicing, whose panics' formatting of
    // characters (and Unicode tables) were 8 KB of the browser module: a match of a whole
    // name's bytes starts and ends on character boundaries.
    let mut best: Option<(usize, usize, usize)> = None; // (law, byte start, byte len)
    for (law, law_names) in names.iter().enumerate() {
        for t in law_names {
            let Some(pos) = (t.len() <= query.len())
                .then(|| find_bytes(query.as_bytes(), t.as_bytes()))
                .flatten()
            else {
                continue;
            };
            // Two characters (`水法`) are a law only when an article follows (`水法65`).
            let short = t.chars().count() < 3;
            let numbered = || {
                let after: Vec<char> = query.get(pos + t.len()..).unwrap_or("").chars().collect();
                !loose_refs(&after).0.is_empty()
            };
            if best.is_none_or(|(_, _, len)| t.len() > len) && (!short || numbered()) {
                best = Some((law, pos, t.len()));
            }
        }
    }
    let (law, pos, len) = best?;
    let before = query.get(..pos)?;
    let after: Vec<char> = query.get(pos + len..)?.chars().collect();
    let (mut refs, i) = loose_refs(&after);
    let rest_after: String = after.get(i..).unwrap_or_default().iter().collect();
    // The marks around a title (`《中华人民共和国广告法》`) are no words to match.
    let rest = format!("{} {}", before, rest_after)
        .split(|c: char| matches!(c, '《' | '》' | '〈' | '〉' | '<' | '>') || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let article = (!refs.is_empty()).then(|| refs.remove(0));
    Some(QueryCitation {
        law,
        article,
        more: refs,
        rest,
    })
}

/// Skips spaces and the marks that may stand between a title and its article.
fn skip_marks(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() && matches!(chars[i], '》' | ' ' | '　' | '，' | ',' | '：' | ':') {
        i += 1;
    }
    i
}

/// A number in digits or Chinese numerals at `chars[i..]`, and where it ends.
fn number_at(chars: &[char], start: usize) -> Option<(u32, usize)> {
    let mut i = start;
    while i < chars.len() && (chars[i].is_ascii_digit() || is_numeral(chars[i])) {
        i += 1;
    }
    let s: String = chars[start..i].iter().collect();
    parse_number(&s).filter(|&n| n > 0).map(|n| (n, i))
}

/// A Chinese numeral (`matches!` rather than `str::contains`, which for a character outside
/// ASCII brings the standard library's string searcher into the browser's module).
pub(crate) fn is_numeral(c: char) -> bool {
    matches!(
        c,
        '零' | '〇'
            | '一'
            | '二'
            | '两'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
            | '千'
    )
}

/// Most articles, paragraphs or items one query cites (`第30、31条` cites two).
pub const MAX_QUERY_REFS: usize = 8;

/// One number of a loose reference: its value, its unit (条, 款 or 项; `None` when left out),
/// whether it was written in brackets (`（三）`, an item), and whether a `、` list goes on
/// after it (`第30、31条`: 30 takes the unit of the 31 that ends the list).
#[derive(Clone, Copy)]
struct Part {
    number: u32,
    unit: Option<char>,
    listed: bool,
}

/// Skips what may stand between two numbers of a reference: spaces, marks, `、`, `和`.
fn skip_between(chars: &[char], mut i: usize) -> usize {
    while i < chars.len()
        && matches!(
            chars[i],
            ' ' | '　' | '，' | ',' | '、' | '和' | '及' | '与' | '》' | '：' | ':'
        )
    {
        i += 1;
    }
    i
}

/// One number at `chars[i..]` (`第一百二十二条`, `122`, `（三）项`, `3项`), and where it ends.
/// Only the first may run into the words after it (`食品安全法122生产`).
fn part_at(chars: &[char], i: usize, first: bool) -> Option<(Part, usize)> {
    let mut i = i + usize::from(chars.get(i) == Some(&'第'));
    let paren = matches!(chars.get(i), Some('（' | '('));
    let (number, mut end) = number_at(chars, i + usize::from(paren))?;
    if paren {
        if !matches!(chars.get(end), Some('）' | ')')) {
            return None;
        }
        end += 1;
    }
    i = end;
    let unit = match chars.get(i) {
        Some(&u @ ('条' | '款' | '项')) if !(paren && u != '项') => {
            i += 1;
            Some(u)
        }
        _ if paren => Some('项'),
        _ => None,
    };
    let next = chars.get(i).copied();
    let boundary = next.is_none_or(|c| {
        matches!(
            c,
            ' ' | '　' | '，' | ',' | '、' | '和' | '及' | '与' | '第' | '（' | '('
        ) || c.is_ascii_digit()
            || is_numeral(c)
    });
    if !first && unit.is_none() && !boundary {
        return None;
    }
    let listed = matches!(next, Some('、' | '，' | ','));
    Some((
        Part {
            number,
            unit,
            listed,
        },
        i,
    ))
}

/// The numbers of a loose reference, at most [`MAX_QUERY_REFS`] and a few more, and where
/// they end (`after` from its start when there are none).
fn loose_parts(after: &[char]) -> (Vec<Part>, usize) {
    let mut parts: Vec<Part> = Vec::new();
    let mut end = 0;
    let mut i = skip_marks(after, 0);
    while parts.len() < 3 * MAX_QUERY_REFS {
        let Some((p, next)) = part_at(after, i, parts.is_empty()) else {
            break;
        };
        parts.push(p);
        end = next;
        i = skip_between(after, next);
    }
    (parts, end)
}

/// The article references after a law's name, in any of the forms [`parse_query`] accepts,
/// and where they end (0 when there are none): `第122条第1款`, `122条1款3项`, `122 1`,
/// `34条 4项`, `第58条第一款(三)项`, several at once (`第30、31条`, `81条 118条`,
/// `第34条、第124条`, `第十条第一款、第二款`).
fn loose_refs(after: &[char]) -> (Vec<ArticleRef>, usize) {
    let (mut parts, end) = loose_parts(after);
    // A number in a `、` list takes the unit of the number that ends the list.
    for k in (0..parts.len()).rev() {
        if parts[k].unit.is_none() && parts[k].listed {
            parts[k].unit = parts.get(k + 1).and_then(|p| p.unit);
        }
    }
    let mut refs: Vec<ArticleRef> = Vec::new();
    let mut cur: Option<ArticleRef> = None;
    for p in parts {
        // A number without a unit is the next level down (`122 1`: article, paragraph).
        let unit = p.unit.unwrap_or(match cur {
            None => '条',
            Some(r) if r.paragraph.is_none() && r.item.is_none() => '款',
            Some(_) => '项',
        });
        let Some(mut r) = cur else {
            if unit != '条' {
                break;
            }
            cur = Some(ArticleRef {
                article: p.number,
                paragraph: None,
                item: None,
            });
            continue;
        };
        let fresh = match unit {
            '条' => true,
            '款' => r.paragraph.is_some() || r.item.is_some(),
            _ => r.item.is_some(),
        };
        if fresh {
            refs.push(r);
        }
        match unit {
            '条' => {
                r = ArticleRef {
                    article: p.number,
                    paragraph: None,
                    item: None,
                }
            }
            '款' => {
                r.paragraph = Some(p.number);
                r.item = None;
            }
            _ => r.item = Some(p.number),
        }
        cur = Some(r);
    }
    refs.extend(cur);
    let mut out: Vec<ArticleRef> = Vec::new();
    for r in refs {
        if out.len() < MAX_QUERY_REFS && !out.contains(&r) {
            out.push(r);
        }
    }
    let end = if out.is_empty() { 0 } else { end };
    (out, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(a: u32, p: Option<u32>, i: Option<u32>) -> ArticleRef {
        ArticleRef {
            article: a,
            paragraph: p,
            item: i,
        }
    }

    #[test]
    fn basis_forms() {
        let c = parse_basis("《中华人民共和国食品安全法》第一百二十二条").unwrap();
        assert_eq!(c[0].refs, vec![r(122, None, None)]);
        let c =
            parse_basis("《食品安全法》第122条；《城市道路管理条例》第二十七条第（一）项").unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!(c[1].refs, vec![r(27, None, Some(1))]);
        let c = parse_basis("《A条例》第三十六条第（一）项、第（二）项").unwrap();
        assert_eq!(c[0].refs, vec![r(36, None, Some(1)), r(36, None, Some(2))]);
        let c = parse_basis("《A条例》第十条第一款、第二款；第十二条").unwrap();
        assert_eq!(c[0].refs, vec![r(10, Some(1), None), r(10, Some(2), None)]);
        assert_eq!(c[1].title, "A条例");
        assert_eq!(c[1].refs, vec![r(12, None, None)]);
    }

    #[test]
    fn forms_found_in_published_lists() {
        let c = parse_basis("《中华人民共和国食品安全法（2021年修正）》第一百二十二条").unwrap();
        assert_eq!(c[0].title, "中华人民共和国食品安全法");
        let c = parse_basis("《中华人民共和国食品安全法》（2021年修正）第一百二十二条").unwrap();
        assert_eq!(c[0].refs, vec![r(122, None, None)]);
        let c = parse_basis("《A条例》第二十七条第（一）、（二）项").unwrap();
        assert_eq!(c[0].refs, vec![r(27, None, Some(1)), r(27, None, Some(2))]);
        let c = parse_basis(
            "《A条例》第二十七条 城市道路范围内禁止下列行为：（一）擅自占用；《B法》第三条",
        )
        .unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].refs, vec![r(27, None, None)]);
        assert_eq!(c[1].refs, vec![r(3, None, None)]);
        let c = parse_basis("《A条例》第三十六条第一款第三项").unwrap();
        assert_eq!(c[0].refs, vec![r(36, Some(1), Some(3))]);
    }

    #[test]
    fn basis_errors_say_what_to_do() {
        assert!(parse_basis("食品安全法第一条")
            .unwrap_err()
            .contains("unexpected"));
        assert!(parse_basis("《食品安全法》")
            .unwrap_err()
            .contains("no article"));
        assert!(parse_basis("《食品安全法第一条")
            .unwrap_err()
            .contains("never closes"));
        assert!(parse_basis("《食品安全法》第x条")
            .unwrap_err()
            .contains("not a number"));
        assert!(parse_basis("第一条").unwrap_err().contains("names no law"));
    }

    #[test]
    fn names_people_use() {
        let names = |t: &str| names_of_title(t);
        assert!(names("中华人民共和国大气污染防治法").contains(&"大气法".to_string()));
        assert!(names("中华人民共和国噪声污染防治法").contains(&"噪声法".to_string()));
        assert!(names("中华人民共和国固体废物污染环境防治法").contains(&"固废法".to_string()));
        assert!(names("中华人民共和国食品安全法").contains(&"食安法".to_string()));
        assert!(names("中华人民共和国治安管理处罚法").contains(&"治安处罚法".to_string()));
        assert!(names("中华人民共和国未成年人保护法").contains(&"未保法".to_string()));
        assert!(names("中华人民共和国消费者权益保护法").contains(&"消保法".to_string()));
        // Two characters are a law only before an article number.
        let water = law_names(&[
            "中华人民共和国水法".to_string(),
            "中华人民共和国水污染防治法".to_string(),
        ]);
        assert!(
            water[1].contains(&"水污染法".to_string()) && !water[1].contains(&"水法".to_string())
        );
        let q = parse_query("水法65条1款", &water).unwrap();
        assert_eq!(q.article, Some(r(65, Some(1), None)));
        assert!(parse_query("水法", &water).is_none());
        assert!(parse_query("排水法规", &water).is_none());
        // A name two laws would share belongs to neither.
        let both = law_names(&["甲乙丙丁污染防治法".to_string(), "甲乙丙丁法".to_string()]);
        assert!(!both[0].contains(&"甲乙丙丁法".to_string()));
        assert_eq!(both[1], vec!["甲乙丙丁法".to_string()]);
        assert!(!both[0].contains(&"甲丙法".to_string()));
    }

    #[test]
    fn loose_article_forms() {
        let names = law_names(&["中华人民共和国食品安全法".to_string()]);
        let q = |s: &str| parse_query(s, &names).unwrap();
        for s in [
            "食品安全法122条第1款",
            "食品安全法 122 1",
            "食安法122条1款",
            "食品安全法第122条第一款",
        ] {
            assert_eq!(q(s).article, Some(r(122, Some(1), None)), "{s}");
            assert_eq!(q(s).rest, "", "{s}");
        }
        assert_eq!(q("食品安全法 122 生产").article, Some(r(122, None, None)));
        assert_eq!(q("食品安全法 122 生产").rest, "生产");
        assert_eq!(
            q("食品安全法122条第1款第2项").article,
            Some(r(122, Some(1), Some(2)))
        );
    }

    #[test]
    fn loose_items_and_several_articles() {
        let names = law_names(&["中华人民共和国食品安全法".to_string()]);
        let q = |s: &str| parse_query(s, &names).unwrap();
        let all = |s: &str| {
            let c = q(s);
            c.article.into_iter().chain(c.more).collect::<Vec<_>>()
        };
        assert_eq!(all("食安法123条1款3项"), [r(123, Some(1), Some(3))]);
        assert_eq!(all("食安法 34条 4项"), [r(34, None, Some(4))]);
        assert_eq!(all("食安法第58条第一款(三)项"), [r(58, Some(1), Some(3))]);
        assert_eq!(all("食安法 第60条第（三）项"), [r(60, None, Some(3))]);
        let two = [r(34, None, None), r(124, None, None)];
        for s in [
            "食品安全法 第34条、第124条",
            "食安法34、124条",
            "食安法 34条 124条",
        ] {
            assert_eq!(all(s), two, "{s}");
            assert_eq!(q(s).rest, "", "{s}");
        }
        assert_eq!(
            all("食安法第十条第一款、第二款"),
            [r(10, Some(1), None), r(10, Some(2), None)]
        );
        assert_eq!(
            all("食安法第27条第（一）、（二）项"),
            [r(27, None, Some(1)), r(27, None, Some(2))]
        );
        // At most MAX_QUERY_REFS, each once.
        let many = "食安法 1条 2条 3条 4条 5条 6条 7条 8条 9条 10条 1条";
        assert_eq!(all(many).len(), MAX_QUERY_REFS);
        // The brackets of a title are no words.
        assert_eq!(q("《中华人民共和国食品安全法》").rest, "");
        assert_eq!(q("《食品安全法》 生产").rest, "生产");
    }

    #[test]
    fn managing_laws_by_their_first_character_and_guan() {
        assert!(names_of_title("中华人民共和国土地管理法").contains(&"土管法".to_string()));
        assert!(names_of_title("中华人民共和国药品管理法").contains(&"药管法".to_string()));
        assert!(!names_of_title("中华人民共和国城市房地产管理法").contains(&"城管法".to_string()));
    }

    #[test]
    fn a_short_name_two_laws_declare_is_neither_s() {
        let titles = ["甲乙法".to_string(), "丙丁法".to_string()];
        let declared = [
            vec!["共名法".to_string(), "甲法".to_string()],
            vec!["共名法".to_string()],
        ];
        let names = with_declared(law_names(&titles), &declared);
        assert!(names.iter().all(|n| !n.contains(&"共名法".to_string())));
        assert!(names[0].contains(&"甲法".to_string()));
        assert!(parse_query("共名法12条", &names).is_none());
    }

    #[test]
    fn display_is_official_form() {
        assert_eq!(
            r(36, Some(1), Some(1)).display(),
            "第三十六条第一款第（一）项"
        );
    }
}
