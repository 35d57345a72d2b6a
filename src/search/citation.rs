//! Citation queries (`食品安全法第一百二十二条`, `食品安全法 122 生产`): the items citing the
//! law or article, those citing exactly the paragraph or item asked for first, and the
//! article's text.

use crate::citation::ArticleRef;
use crate::error::Error;
use crate::index::{BasisRecord, Index};

use super::marks::Marks;
use super::parts::PartHits;
use super::CitedArticle;

impl Index {
    /// The items citing law `law` (at `article`, when one is asked for), narrowed by the
    /// keywords of the query's `rest`; and the article asked for.
    pub(super) fn citation_hits(
        &self,
        law: &usize,
        article: Option<ArticleRef>,
        rest: &str,
        marks: &mut Marks,
    ) -> Result<(PartHits, CitedArticle), Error> {
        let law = *law as u16;
        let citing = self.citing(law, article.map(|a| a.article))?;
        if article.is_some() {
            // Their records are read below: a chunked index asks for them all in one round,
            // not one round each (47 rounds for `水法65条1款` in a catalog of 10,000 items).
            self.need_items(citing.iter().copied())?;
        }
        let mut hits = Vec::new();
        for &id in &citing {
            // A paragraph or item asked for: keep items citing it, or citing the whole article.
            let score = match article {
                None => 1.0,
                Some(a) => match citation_score(&self.record(id)?.bases, law, a) {
                    Some(score) => score,
                    None => continue,
                },
            };
            hits.push((id, score));
        }
        // No item cites the paragraph or item asked for: those citing the article's other
        // parts, and the answer says so.
        let uncited = hits.is_empty() && !citing.is_empty();
        if uncited {
            hits = citing.iter().map(|&id| (id, 1.0)).collect();
        }
        let mut hits = PartHits::from_unsorted(hits);
        if !rest.trim().is_empty() {
            hits = hits.intersect(&self.keyword_hits(rest, marks)?);
        }
        let found = match article {
            Some(a) => self.article(law, a.article)?,
            None => None,
        };
        let text = found.as_ref().map(|x| x.text());
        let position = found
            .as_ref()
            .and_then(|x| article.and_then(|a| x.cited_position(a.paragraph, a.item)));
        let paragraphs = found.map(|x| x.paragraphs).unwrap_or_default();
        let title = self.law_title(law);
        let cited = CitedArticle {
            law: title.to_string(),
            article: article.map(|a| a.article),
            paragraph: article.and_then(|a| a.paragraph),
            item: article.and_then(|a| a.item),
            text,
            paragraphs,
            title: match article {
                Some(a) => format!("《{title}》{}", a.display()),
                None => format!("《{title}》"),
            },
            cited: position,
            uncited,
        };
        Ok((hits, cited))
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
