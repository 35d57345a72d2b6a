//! What a query is: its bounds, and whether it asks to browse, for a code, for a citation or
//! for keywords.

use crate::citation::{parse_query, QueryCitation};
use crate::error::Error;
use crate::index::Index;
use crate::text::fold;

use super::marks::Marks;
use super::parts::PartHits;
use super::{CitedArticle, QueryKind, Suggestion};

/// Longest query considered, in characters; the rest is ignored.
pub const MAX_QUERY_CHARS: usize = 128;
/// Most runs (words) of a query considered.
pub const MAX_QUERY_RUNS: usize = 12;
/// Most index keys one query part may expand to (prefix and pinyin scans stop there).
pub const MAX_KEYS_PER_PART: usize = 20_000;

/// A query understood: how, and the items it matched, before filters.
pub(super) struct Understood {
    /// How the query was understood.
    pub(super) kind: QueryKind,
    /// The items matching every part of the query.
    pub(super) matched: PartHits,
    /// The items matching most of it (the relaxed pass), none of them in `matched`.
    pub(super) partial: PartHits,
    /// Near-miss codes, when a code-like query matched nothing.
    pub(super) suggestions: Vec<Suggestion>,
    /// The article a citation asked for.
    pub(super) citation: Option<CitedArticle>,
    /// Only `partial` has items.
    pub(super) relaxed: bool,
    /// The query as read, when a slip in it was read past (a law's name with a wrong
    /// homophone: see `Index::misspelt_citation`).
    pub(super) fixed: Option<String>,
}

impl Understood {
    /// A query that matched `matched` only (no partial matches, suggestions or citation).
    pub(super) fn of(kind: QueryKind, matched: PartHits) -> Understood {
        Understood {
            kind,
            matched,
            partial: PartHits::default(),
            suggestions: Vec::new(),
            citation: None,
            relaxed: false,
            fixed: None,
        }
    }

    /// How many items matched, wholly or partly.
    pub(super) fn len(&self) -> usize {
        self.matched.0.len() + self.partial.0.len()
    }

    /// Every item as `(id, score, partial)`: the whole matches, then the partial ones.
    pub(super) fn tiers(&self) -> impl Iterator<Item = (u32, f32, bool)> + '_ {
        let whole = self.matched.0.iter().map(|&(i, s)| (i, s, false));
        whole.chain(self.partial.0.iter().map(|&(i, s)| (i, s, true)))
    }
}

impl Index {
    /// The query as searched: folded (see [`fold`]), cut to [`MAX_QUERY_CHARS`], and without
    /// the catalog's fillers (`请问`, `找哪个部门`: [`Meta::fillers`](crate::index::Meta)),
    /// unless nothing else is left.
    pub(super) fn bounded_query(&self, query: &str) -> String {
        let q: String = fold(query, Some(&self.t2s))
            .chars()
            .take(MAX_QUERY_CHARS)
            .collect();
        let dropped = drop_fillers(&q, &self.meta.fillers);
        if dropped.trim().is_empty() {
            q
        } else {
            dropped
        }
    }

    /// What the (folded, trimmed) query asks for, and the items that have it. `marks` gets the
    /// phrases that matched.
    pub(super) fn understand(&self, q: &str, marks: &mut Marks) -> Result<Understood, Error> {
        if q.is_empty() {
            let all = (0..self.attrs.len() as u32).map(|i| (i, 0.0)).collect();
            Ok(Understood::of(QueryKind::Browse, PartHits(all)))
        } else if let Some(code) = self.code_form(q).or_else(|| self.spaced_code(q)) {
            // The codes starting with the query, in code order. (Item text holds no codes, so
            // the keyword and pinyin paths, which would read `cg`, `cf` as pinyin, are skipped.)
            Ok(Understood::of(QueryKind::Code, self.code_prefix(&code)?))
        } else if let Some(c) = parse_query(q, &self.titles) {
            self.cited(&c, marks)
        } else if let Some((c, fixed)) = self.misspelt_citation(q)? {
            let mut found = self.cited(&c, marks)?;
            found.fixed = Some(fixed);
            Ok(found)
        } else {
            self.keyword_query(q, marks)
        }
    }
}

impl Index {
    /// The items a citation query asks for.
    fn cited(&self, c: &QueryCitation, marks: &mut Marks) -> Result<Understood, Error> {
        let refs: Vec<_> = c.article.iter().chain(&c.more).copied().collect();
        let (hits, cited) = self.citation_hits(&c.law, &refs, &c.rest, marks)?;
        let mut found = Understood::of(QueryKind::Citation, hits);
        found.citation = Some(cited);
        Ok(found)
    }

    /// A code typed with spaces for its separators (`st qz 003`, `SL CF 17`): the code form of
    /// its words joined by `-`, when that is a code (see `code_form`).
    pub(super) fn spaced_code(&self, q: &str) -> Option<String> {
        let words: Vec<&str> = q.split_whitespace().collect();
        let letters_first = words.first()?.bytes().all(|b| b.is_ascii_alphabetic());
        let number_last = words.last()?.bytes().all(|b| b.is_ascii_digit());
        if words.len() < 2 || words.len() > 4 || !letters_first || !number_last {
            return None;
        }
        self.code_form(&words.join("-"))
    }
}

/// `q` with each of `fillers` (longest first) replaced by a space.
fn drop_fillers(q: &str, fillers: &[String]) -> String {
    let mut q = q.to_string();
    for f in fillers.iter().filter(|f| !f.is_empty()) {
        q = crate::text::replace_str(&q, f, " ", usize::MAX);
    }
    q.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A code looks like ASCII letters/digits with at least one digit, `-` or `.`.
pub(crate) fn looks_like_code(q: &str) -> bool {
    !q.is_empty()
        && q.len() <= 64
        && q.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        && q.bytes()
            .any(|b| b.is_ascii_digit() || b == b'-' || b == b'.')
        && q.as_bytes()[0].is_ascii_alphanumeric()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fillers_are_dropped_longest_first() {
        let fillers = [
            "找哪个部门".to_string(),
            "请问".to_string(),
            "部门".to_string(),
        ];
        assert_eq!(drop_fillers("请问门口摆摊找哪个部门", &fillers), "门口摆摊");
        assert_eq!(drop_fillers("请问 城管 部门", &fillers), "城管");
        assert_eq!(drop_fillers("占道经营", &fillers), "占道经营");
    }

    #[test]
    fn code_shapes() {
        assert!(looks_like_code("cg-cf-001"));
        assert!(looks_like_code("a1"));
        assert!(!looks_like_code("zhandao"));
        assert!(!looks_like_code("-1"));
        assert!(!looks_like_code("食品"));
    }
}
