//! Keyword queries: every run (word) of the query must match, as a phrase, as pinyin or as a
//! code prefix; when few items match, the relaxed pass adds those that match most of it.

use crate::error::Error;
use crate::index::Index;
use crate::text::{is_cjk, segments};

use super::marks::Marks;
use super::parts::PartHits;
use super::prefetch::Need;
use super::query::{looks_like_code, Understood, MAX_QUERY_RUNS};
use super::relaxed::{relaxed_text, RELAXED_BELOW};
use super::QueryKind;

impl Index {
    /// A query of keywords (or pinyin): the items matching every run, then, when they are
    /// few, those matching most of the query. Code-like words that matched nothing get code
    /// suggestions.
    pub(super) fn keyword_query(&self, q: &str, marks: &mut Marks) -> Result<Understood, Error> {
        let hits = self.keyword_hits(q, marks)?;
        let mut found = Understood::of(QueryKind::Keyword, PartHits::default());
        if hits.is_empty() && looks_like_code(q) {
            found.suggestions = self.code_suggestions(q)?;
        }
        // Latin letters (and spaces) may spell Chinese.
        let letters = q.chars().all(|c| c.is_ascii_alphabetic() || c == ' ');
        if hits.0.len() < RELAXED_BELOW {
            // Few items match every word: those matching most of it follow.
            let cjk = q.chars().filter(|&c| is_cjk(c)).count();
            if let Some(text) = relaxed_text(q, cjk, letters, marks) {
                let none = hits.is_empty();
                found.partial = self.relaxed_hits(&text, none, marks)?.minus(&hits);
                found.relaxed = hits.is_empty() && !found.partial.is_empty();
            }
        }
        // Latin letters (`zhan'dao` too) that found something found it as pinyin: item text is
        // Chinese. Letters that found nothing are not called pinyin (`street vendor`).
        let latin = q
            .chars()
            .all(|c| c.is_ascii_alphabetic() || c.is_whitespace() || c == '\'');
        if latin && !(hits.is_empty() && found.partial.is_empty()) {
            found.kind = QueryKind::Pinyin;
        }
        found.matched = hits;
        Ok(found)
    }

    /// Every run of the query must match; ASCII runs may match as pinyin or code too.
    pub(super) fn keyword_hits(&self, q: &str, marks: &mut Marks) -> Result<PartHits, Error> {
        let mut runs: Vec<(usize, Vec<char>)> = segments(q).take(MAX_QUERY_RUNS).collect();
        if runs.is_empty() {
            // Only punctuation or symbols: each must occur (names and keywords index them).
            runs = q
                .chars()
                .filter(|c| !c.is_whitespace())
                .take(MAX_QUERY_RUNS)
                .map(|c| (0, vec![c]))
                .collect();
        }
        let mut combined: Option<PartHits> = None;
        // The words share the pinyin budget. A word waiting for chunks does not stop the
        // others from being read: their chunks are asked for together, one round for all the
        // words of `wangba weichengnianren` rather than three rounds a word.
        let budget = self.match_budget / runs.len().max(1);
        let mut need = Need::default();
        for (_, run) in &runs {
            let part = match self.run_hits(run, budget, marks) {
                Ok(part) => part,
                missing => {
                    need.add(missing)?;
                    continue;
                }
            };
            combined = Some(match combined {
                None => part,
                Some(acc) => acc.intersect(&part),
            });
            if need.is_empty() && combined.as_ref().is_some_and(PartHits::is_empty) {
                break; // every run must match: nothing can come back
            }
        }
        // "zhan dao jing ying": the letters together are one pinyin phrase, and when they spell
        // one, that is what was meant.
        if runs.len() > 1 && q.chars().all(|c| c.is_ascii_alphabetic() || c == ' ') {
            let joined: String = q.chars().filter(|c| *c != ' ').collect();
            match self.pinyin_hits(&joined, self.match_budget, marks) {
                Ok(phrase) if !phrase.is_empty() && need.is_empty() => return Ok(phrase),
                Ok(_) => {}
                missing => need.add(missing)?,
            }
        }
        need.ask()?;
        Ok(combined.unwrap_or_default())
    }

    /// The items one run matches: as a phrase, as pinyin (two letters or more) or as a code
    /// prefix; those with the run as a keyword rank higher. `budget`: of the pinyin's matches.
    fn run_hits(&self, run: &[char], budget: usize, marks: &mut Marks) -> Result<PartHits, Error> {
        let mut part = self.phrase(run)?;
        // Chinese and pinyin in one word (`消防tongdao`, `jiaban费`) that no text has as it is:
        // each piece must match.
        if let Some(pieces) = part.is_empty().then(|| script_pieces(run)).flatten() {
            let mut acc: Option<PartHits> = None;
            for piece in pieces {
                let h = self.run_hits(piece, budget, marks)?;
                acc = Some(match acc {
                    None => h,
                    Some(a) => a.intersect(&h),
                });
            }
            return Ok(acc.unwrap_or_default());
        }
        marks.add(run);
        let text: String = run.iter().collect();
        if run.iter().all(|c| c.is_ascii_alphabetic()) && run.len() >= 2 {
            part = part.union(self.pinyin_hits(&text, budget, marks)?);
        }
        if looks_like_code(&text) {
            part = part.union(self.code_prefix(&text)?);
        }
        // A lexicon word (`狗`, `违建`) is a keyword of the items whose words it means; the
        // items with the run as a keyword whole score higher. (One lookup serves both.)
        let docs = self.keyword_docs(&text)?;
        let lexicon = self.keyword_hits_of(docs.clone()).minus(&part);
        part = part.union(lexicon);
        super::rank::boost_docs(&docs, &mut part, 1.5);
        Ok(part)
    }
}

/// A word's pieces of Latin letters and of other characters, when it has both and each
/// piece of letters could be pinyin (two letters or more).
fn script_pieces(run: &[char]) -> Option<Vec<&[char]>> {
    let pieces: Vec<&[char]> = run
        .chunk_by(|a, b| a.is_ascii_alphabetic() == b.is_ascii_alphabetic())
        .collect();
    let short_letters = |p: &&[char]| p[0].is_ascii_alphabetic() && p.len() < 2;
    let ok = pieces.len() > 1 && !pieces.iter().any(short_letters);
    ok.then_some(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_and_pinyin_in_one_word_split_into_pieces() {
        let chars = |s: &str| s.chars().collect::<Vec<_>>();
        let pieces = |s: &str| {
            script_pieces(&chars(s)).map(|p| p.iter().map(|x| x.iter().collect()).collect())
        };
        let want = |v: &[&str]| Some(v.iter().map(|s| s.to_string()).collect::<Vec<String>>());
        assert_eq!(pieces("消防tongdao"), want(&["消防", "tongdao"]));
        assert_eq!(pieces("jiaban费"), want(&["jiaban", "费"]));
        assert_eq!(pieces("a级"), None, "one letter is no pinyin");
        assert_eq!(pieces("消防"), None);
    }
}
