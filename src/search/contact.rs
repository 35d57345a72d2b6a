//! Contact questions: `城管电话`, `市场监管局电话`, `环保局在哪`, `城管联系方式`, `怎么联系城管`.
//! A citizen asks how to reach a body, not for an item called 电话: the words that ask (电话,
//! 联系方式, 地址, 在哪…) are taken off and the rest is searched; the result says so
//! ([`SearchResult::contact`](super::SearchResult)), and a page shows how to reach the bodies
//! that handle the hits.
//!
//! 电话 and 地址 also occur in what people report (`骚扰电话`, `推销电话`): alone at the end they
//! ask only after the name of a body (`…局`, `城管`, `…部门`). The other words ask wherever they
//! end the query.

use std::borrow::Cow;

/// Words that ask how to reach someone, wherever they end (or, the first two, begin) a query.
const ASKING: &[&str] = &[
    "怎么联系",
    "如何联系",
    "怎样联系",
    "联系方式",
    "联系电话",
    "联系地址",
    "咨询电话",
    "投诉电话",
    "举报电话",
    "办公电话",
    "办公地点",
    "办公地址",
    "办公时间",
    "在哪里",
    "在哪儿",
    "在什么地方",
    "在哪",
];

/// Words that ask only after a body's name (`城管电话`, but not `骚扰电话`).
const AFTER_A_BODY: &[&str] = &["电话号码", "电话", "号码", "地址"];

/// What a body's name ends with (`…局`, `城管`, `…执法大队`, `…镇政府`).
const BODY_ENDS: &[char] = &[
    '局', '管', '所', '站', '队', '门', '心', '办', '委', '会', '院', '厅', '处', '科', '府', '道',
    '镇', '乡', '监', '保', '警', '察', '务', '安', '防', '部',
];

/// Tails that add nothing to the question (`城管电话是多少`, `环保局在哪呢`).
const TAILS: &[&str] = &["是多少", "多少", "是什么", "是哪里", "呢", "吗", "啊", "的"];

/// Punctuation and spaces around the question.
fn is_edge(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '?' | '？' | '!' | '！' | '。' | '.' | ',' | '，' | '、' | '~' | '～'
        )
}

// Byte comparisons and `get` rather than `str`'s pattern methods, whose searchers (and the
// panic formatting of a failed slice) were kilobytes of the browser module.

/// `s` without the suffix `w`, if it ends with it.
fn strip_end<'a>(s: &'a str, w: &str) -> Option<&'a str> {
    let cut = s.len().checked_sub(w.len())?;
    (s.as_bytes().ends_with(w.as_bytes()))
        .then(|| s.get(..cut))
        .flatten()
}

/// `s` without the prefix `w`, if it starts with it.
fn strip_start<'a>(s: &'a str, w: &str) -> Option<&'a str> {
    (s.as_bytes().starts_with(w.as_bytes()))
        .then(|| s.get(w.len()..))
        .flatten()
}

/// `s` without edge characters at its end.
fn trim_end_edges(s: &str) -> &str {
    let end = s
        .char_indices()
        .rev()
        .find(|&(_, c)| !is_edge(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    s.get(..end).unwrap_or("")
}

/// `s` without edge characters at either end.
fn trim_edges(s: &str) -> &str {
    let s = trim_end_edges(s);
    let start = s
        .char_indices()
        .find(|&(_, c)| !is_edge(c))
        .map_or(s.len(), |(i, _)| i);
    s.get(start..).unwrap_or("")
}

/// When `query` asks how to reach a body: the rest of it, to search. `None` otherwise, and for
/// a query that is only the asking words (`电话`: nothing to search for).
pub(super) fn question(query: &str) -> Option<Cow<'_, str>> {
    let mut s = trim_edges(query);
    let mut asked = false;
    let mut body_words_ok = false;
    loop {
        let before = s.len();
        for t in TAILS {
            s = trim_end_edges(strip_end(s, t).unwrap_or(s));
        }
        for w in ASKING {
            if let Some(rest) = strip_end(s, w) {
                (s, asked, body_words_ok) = (rest, true, true);
            } else if let Some(rest) = strip_start(s, w).filter(|_| strip_end(w, "联系").is_some())
            {
                (s, asked, body_words_ok) = (rest, true, true);
            }
            s = trim_edges(s);
        }
        for w in AFTER_A_BODY {
            let Some(rest) = strip_end(s, w) else {
                continue;
            };
            let rest = trim_end_edges(rest);
            let rest = strip_end(rest, "的").unwrap_or(rest);
            let body = rest
                .chars()
                .next_back()
                .is_some_and(|c| BODY_ENDS.contains(&c));
            if body_words_ok || body {
                (s, asked) = (rest, true);
            }
        }
        if s.len() == before {
            break;
        }
    }
    let s = trim_edges(s);
    (asked && !s.is_empty()).then_some(Cow::Borrowed(s))
}

#[cfg(test)]
mod tests {
    use super::question;

    fn rest(q: &str) -> Option<String> {
        question(q).map(|s| s.into_owned())
    }

    #[test]
    fn contact_questions_leave_the_body_to_search() {
        for (q, r) in [
            ("城管电话", "城管"),
            ("市场监管局电话", "市场监管局"),
            ("环保局在哪", "环保局"),
            ("环保局在哪里？", "环保局"),
            ("城管联系方式", "城管"),
            ("城管的联系电话是多少", "城管"),
            ("怎么联系城管", "城管"),
            ("城管电话号码", "城管"),
            ("城管地址在哪", "城管"),
            (" 戴窑镇综合行政执法局 电话 ", "戴窑镇综合行政执法局"),
        ] {
            assert_eq!(rest(q).as_deref(), Some(r), "{q}");
        }
    }

    #[test]
    fn reports_and_bare_words_are_no_questions() {
        for q in [
            "骚扰电话",
            "推销电话",
            "电话被泄露",
            "电话",
            "联系方式",
            "在哪",
            "城管",
            "占道经营",
            "",
            "地址",
        ] {
            assert_eq!(rest(q), None, "{q}");
        }
    }
}
