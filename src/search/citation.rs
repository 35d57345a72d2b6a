//! Citation queries (`食品安全法第一百二十二条`, `食品安全法 122 生产`): the items citing the
//! law or article, those citing exactly the paragraph or item asked for first, and the
//! article's text.

use crate::citation::{parse_query, ArticleRef, QueryCitation};
use crate::error::Error;
use crate::index::{BasisRecord, Index};
use crate::text::is_cjk;

use super::marks::Marks;
use super::parts::PartHits;
use super::{ArticleText, CitedArticle, MAX_CITED_TEXTS};

impl Index {
    /// The items citing law `law` (at the articles `refs`, when some are asked for: those
    /// citing all of them first, then those citing some), narrowed by the keywords of the
    /// query's `rest`; and the (first) article asked for.
    pub(super) fn citation_hits(
        &self,
        law: &usize,
        refs: &[ArticleRef],
        rest: &str,
        marks: &mut Marks,
    ) -> Result<(PartHits, CitedArticle), Error> {
        let law = *law as u16;
        let mut citing: Vec<u32> = Vec::new();
        if refs.is_empty() {
            citing = self.citing(law, None)?;
        }
        for r in refs {
            citing.extend(self.citing(law, Some(r.article))?);
        }
        // Sorted, each once (by the sort hits use: no other sort in the browser's module).
        let citing: Vec<u32> =
            PartHits::from_unsorted(citing.into_iter().map(|i| (i, 0.0)).collect())
                .0
                .into_iter()
                .map(|(id, _)| id)
                .collect();
        if !refs.is_empty() {
            // Their records are read below: a chunked index asks for them all in one round,
            // not one round each (47 rounds for `水法65条1款` in a catalog of 10,000 items).
            self.need_items(citing.iter().copied())?;
        }
        let mut hits = Vec::new();
        for &id in &citing {
            let score = if refs.is_empty() {
                1.0
            } else {
                let bases = &self.record(id)?.bases;
                // Each reference cited counts more than how exactly any is cited (2 or 1).
                let scores = refs.iter().filter_map(|&a| citation_score(bases, law, a));
                let (n, sum) = scores.fold((0.0, 0.0), |(n, s), x| (n + 1.0, s + x));
                if n == 0.0 {
                    continue;
                }
                n * 20.0 + sum
            };
            hits.push((id, score));
        }
        // No item cites what was asked for: those citing the articles' other parts (maybe
        // none), and the answer says so.
        let uncited = hits.is_empty();
        if uncited {
            hits = citing.iter().map(|&id| (id, 1.0)).collect();
        }
        let mut hits = PartHits::from_unsorted(hits);
        if !rest.trim().is_empty() {
            hits = hits.intersect(&self.keyword_hits(rest, marks)?);
        }
        let article = refs.first().copied();
        let title = self.law_title(law);
        let articles = self.article_texts(law, title, refs)?;
        // The first article asked for, when the index has it (then it is the first text).
        let first = articles
            .first()
            .filter(|x| article.is_some_and(|a| a.article == x.article));
        let asked: Vec<String> = refs.iter().map(ArticleRef::display).collect();
        let cited = CitedArticle {
            law: title.to_string(),
            article: article.map(|a| a.article),
            paragraph: article.and_then(|a| a.paragraph),
            item: article.and_then(|a| a.item),
            text: first.map(|x| x.text.clone()),
            paragraphs: first.map(|x| x.paragraphs.clone()).unwrap_or_default(),
            title: format!("《{title}》{}", asked.join("、")),
            cited: first.and_then(|x| x.cited),
            uncited,
            articles,
        };
        Ok((hits, cited))
    }

    /// The texts of the articles `refs` name that the index has, each once, in the order
    /// asked, at most [`MAX_CITED_TEXTS`], each labelled with its citation (`《title》第十九条`).
    fn article_texts(
        &self,
        law: u16,
        title: &str,
        refs: &[ArticleRef],
    ) -> Result<Vec<ArticleText>, Error> {
        let mut out: Vec<ArticleText> = Vec::new();
        for (k, r) in refs.iter().enumerate() {
            if out.len() >= MAX_CITED_TEXTS {
                break;
            }
            // Each article once (`第十条第一款、第二款`: one article, two parts).
            if refs[..k].iter().any(|x| x.article == r.article) {
                continue;
            }
            let Some(found) = self.article(law, r.article)? else {
                continue;
            };
            let mut parts = refs.iter().filter(|x| x.article == r.article);
            let only = parts.next().filter(|_| parts.next().is_none());
            let whole = ArticleRef {
                article: r.article,
                paragraph: None,
                item: None,
            };
            out.push(ArticleText {
                title: format!("《{title}》{}", whole.display()),
                article: r.article,
                text: found.text(),
                cited: only.and_then(|a| found.cited_position(a.paragraph, a.item)),
                paragraphs: found.paragraphs,
            });
        }
        Ok(out)
    }
}

/// How an item with legal bases `bases` answers a citation of article `a` of law `law`: 2 when
/// it cites exactly the paragraph (and item) asked for, 1 when it cites a part compatible with
/// it (the whole article, or a paragraph or item left open), `None` when it cites only other
/// parts.
fn citation_score(bases: &[BasisRecord], law: u16, a: ArticleRef) -> Option<f32> {
    let number = a.article;
    let exact = bases.iter().any(|b| {
        b.law == law
            && b.article == number
            && b.paragraph == a.paragraph
            && (a.item.is_none() || b.item == a.item)
    });
    let compatible = bases.iter().any(|b| {
        b.law == law
            && b.article == number
            && (a.paragraph.is_none() || b.paragraph.is_none() || b.paragraph == a.paragraph)
            && (a.item.is_none() || b.item.is_none() || b.item == a.item)
    });
    if !compatible {
        return None;
    }
    Some(if exact { 2.0 } else { 1.0 })
}

/// Shortest law name read through a wrong homophone without an article after it (shorter
/// names, `规化法`, are read so only before an article number: `规化法64条`).
const MIN_TYPO_NAME_ALONE: usize = 5;

impl Index {
    /// A citation whose law name has one wrong homophone (`大汽污染防治法118条`, `城乡规化法`),
    /// and the query as the catalog spells it: read when exactly one law has a name (of three
    /// characters or more) that the query holds with one character changed to one that sounds
    /// the same (by the index's reading keys). `None` when none does, or when names of two
    /// laws do (no law is picked).
    pub(super) fn misspelt_citation(
        &self,
        q: &str,
    ) -> Result<Option<(QueryCitation, String)>, Error> {
        let chars: Vec<char> = q.chars().collect();
        if !chars.iter().any(|&c| is_cjk(c)) {
            return Ok(None);
        }
        // (law, the name's length, the changed character's place, the name's character there).
        let mut near: Vec<(usize, usize, usize, char)> = Vec::new();
        for (law, names) in self.titles.iter().enumerate() {
            for name in names {
                let name: Vec<char> = name.chars().collect();
                if name.len() < 3 || name.len() > chars.len() {
                    continue;
                }
                for start in 0..=chars.len() - name.len() {
                    if let Some(at) = one_change(&chars[start..start + name.len()], &name) {
                        if near.len() < 64 {
                            near.push((law, name.len(), start + at, name[at]));
                        }
                    }
                }
            }
        }
        if near.is_empty() {
            return Ok(None);
        }
        let mut asked: Vec<char> = Vec::new();
        for c in near.iter().flat_map(|n| [chars[n.2], n.3]) {
            if !asked.contains(&c) {
                asked.push(c);
            }
        }
        let readings = self.readings(&asked)?;
        let sound = |c: char| {
            let k = asked.iter().position(|&a| a == c)?;
            readings.get(k)?.as_deref()
        };
        let mut found: Option<(QueryCitation, String)> = None;
        for &(law, name_len, at, meant) in &near {
            if sound(chars[at]).is_none() || sound(chars[at]) != sound(meant) {
                continue;
            }
            let mut fixed = chars.clone();
            fixed[at] = meant;
            let fixed: String = fixed.into_iter().collect();
            let Some(c) = parse_query(&fixed, &self.titles).filter(|c| c.law == law) else {
                continue;
            };
            if c.article.is_none() && name_len < MIN_TYPO_NAME_ALONE {
                continue;
            }
            match &found {
                Some((other, _)) if other.law != law => return Ok(None),
                Some(_) => {}
                None => found = Some((c, fixed)),
            }
        }
        Ok(found)
    }
}

/// Where `typed` differs from `name` (as long) in exactly one place, both Chinese characters.
fn one_change(typed: &[char], name: &[char]) -> Option<usize> {
    let mut at = None;
    for (k, (a, b)) in typed.iter().zip(name).enumerate() {
        if a != b {
            if at.is_some() || !is_cjk(*a) {
                return None;
            }
            at = Some(k);
        }
    }
    at
}
