//! Asking for a chunked index's chunks in as few rounds as possible: before a search reads
//! anything, the chunks it will read first are named all at once — the key shards and the
//! region's assignments, then the postings of the query's pairs, then the records of the page
//! of hits. A single file has everything, and these are no-ops.

use crate::citation::{parse_query, QueryCitation};
use crate::error::Error;
use crate::index::{Index, KEY_CITE, KEY_INITIALS, KEY_KEYWORD, KEY_UNIT, MAX_PINYIN_WINDOW};
use crate::text::{is_cjk, segments};

use super::keys::{keys_upper, literal_key};
use super::SearchOptions;

/// The chunks asked for so far.
#[derive(Default)]
pub(crate) struct Need(Vec<String>);

impl Need {
    /// Notes the chunks `r` asks for; any other error is returned.
    pub(crate) fn add<T>(&mut self, r: Result<T, Error>) -> Result<(), Error> {
        match r {
            Ok(_) => Ok(()),
            Err(Error::NeedChunks(names)) => {
                for n in names {
                    if !self.0.contains(&n) {
                        self.0.push(n);
                    }
                }
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    /// Whether no chunk was asked for.
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// [`Error::NeedChunks`] naming every chunk asked for, if any was.
    pub(crate) fn ask(self) -> Result<(), Error> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Error::NeedChunks(self.0))
        }
    }
}

/// The words a search reads the keys of: runs of characters (their pairs and characters) and
/// keyword keys.
#[derive(Default)]
struct Words {
    runs: Vec<Vec<char>>,
    keywords: Vec<Vec<u8>>,
}

impl Words {
    /// A query's: its runs (as `keyword_hits` cuts it), a keyword key per run.
    fn of_query(q: &str) -> Words {
        Words {
            runs: segments(q)
                .take(super::query::MAX_QUERY_RUNS)
                .map(|(_, run)| run)
                .collect(),
            keywords: keyword_keys(q),
        }
    }

    /// The keyword keys of every part of the runs that the relaxed pass looks up (see
    /// `relaxed_words`), whole words of up to eight characters.
    fn parts(&self) -> impl Iterator<Item = Vec<u8>> + '_ {
        self.runs.iter().flat_map(|run| {
            (0..run.len()).flat_map(move |start| {
                (1..=8.min(run.len() - start)).map(move |len| {
                    let mut key = vec![KEY_KEYWORD];
                    key.extend(run[start..start + len].iter().collect::<String>().bytes());
                    key
                })
            })
        })
    }

    /// The Chinese phrases a pinyin query spells, each a run and a keyword.
    fn add_phrases(&mut self, phrases: impl IntoIterator<Item = Vec<char>>) {
        for p in phrases {
            let mut key = vec![KEY_KEYWORD];
            key.extend(p.iter().collect::<String>().bytes());
            self.keywords.push(key);
            self.runs.push(p);
        }
    }

    fn chars(&self) -> impl Iterator<Item = char> + '_ {
        self.runs.iter().flatten().copied()
    }
}

impl Index {
    /// Names, all at once, the chunks a search for the folded query `q` reads first: the key
    /// shards (and the region's head), then — for pinyin — the texts its keys spell and the
    /// shards of those phrases, then the postings and the region's assignments.
    pub(super) fn prefetch_query(&self, q: &str, opts: &SearchOptions) -> Result<(), Error> {
        if !self.is_chunked() {
            return Ok(());
        }
        // A code (the codes FST is in the core) reads no key: only the region's, then records.
        let code = self.code_form(q).or_else(|| self.spaced_code(q)).is_some();
        // A citation reads the items citing the law (or article), the article's text, and
        // the keys of the rest of the query only.
        let cite = (!code).then(|| parse_query(q, &self.titles)).flatten();
        let mut words = match &cite {
            _ if code => Words::default(),
            Some(c) => Words::of_query(&c.rest),
            None => Words::of_query(q),
        };
        let letters: String = q
            .chars()
            .skip_while(|c| !c.is_ascii_alphabetic())
            .take_while(char::is_ascii_alphabetic)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let pinyin = !code && letters.len() >= 2;
        let mut need = Need::default();
        self.need_shards(&words, &mut need)?;
        if let Some(c) = &cite {
            self.need_citation(c, &mut need)?;
        }
        if pinyin {
            let mut initials = vec![KEY_INITIALS];
            initials.extend(letters.bytes().take(MAX_PINYIN_WINDOW));
            for key in [self.pinyin_seek(letters.as_bytes()), initials] {
                need.add(self.pinyin.covering(&key, keys_upper(&key).as_deref()))?;
            }
        }
        if let Some(r) = opts.region.as_deref().filter(|r| !r.trim().is_empty()) {
            // The region's assignments come with the keys when its head is here already.
            match self.regions_bytes_need() {
                Ok(()) => self.need_region(r, &mut need)?,
                other => need.add(other)?,
            }
        }
        need.ask()?;
        if pinyin {
            // The phrases its keys spell (their texts come in one round), then their keys.
            words.add_phrases(self.pinyin_phrase_set(&letters)?);
            let mut need = Need::default();
            self.need_shards(&words, &mut need)?;
            need.ask()?;
        }
        let mut need = Need::default();
        if let Some(r) = opts.region.as_deref().filter(|r| !r.trim().is_empty()) {
            self.need_region(r, &mut need)?;
        }
        self.need_postings(&words, &mut need)?;
        if let Some(c) = &cite {
            self.need_citation(c, &mut need)?;
        }
        need.ask()
    }

    /// The keys of the items citing the law (or article) of citation `c`, their postings
    /// when the keys are here, and the article's text.
    fn need_citation(&self, c: &QueryCitation, need: &mut Need) -> Result<(), Error> {
        let Ok(law) = u16::try_from(c.law) else {
            return Ok(());
        };
        let mut lo = vec![KEY_CITE];
        lo.extend_from_slice(&law.to_be_bytes());
        let mut hi = lo.clone();
        match c.article {
            // Several articles: the law's keys (one range), and each article's text.
            Some(_) if !c.more.is_empty() => {
                hi.extend_from_slice(&[0xff; 5]);
                for a in c.article.iter().chain(&c.more) {
                    need.add(self.need_articles([(law, a.article)]))?;
                }
            }
            Some(a) => {
                lo.extend_from_slice(&a.article.to_be_bytes());
                hi.extend_from_slice(&a.article.to_be_bytes());
                hi.push(0);
                need.add(self.need_articles([(law, a.article)]))?;
            }
            None => hi.extend_from_slice(&[0xff; 5]),
        }
        if let Err(e) = self.terms.covering(&lo, Some(&hi)) {
            return need.add(Err::<(), _>(e));
        }
        let mut offsets = Vec::new();
        self.terms.for_each_in(&lo, Some(&hi), |_, off| {
            offsets.push(off);
            Ok(true)
        })?;
        for off in offsets {
            need.add(self.postings_need(off))?;
        }
        Ok(())
    }

    /// The assignments of region `r` (nothing when there is no such region), and the piece
    /// with its record when the list leaves it out.
    fn need_region(&self, r: &str, need: &mut Need) -> Result<(), Error> {
        match self.find_region(r) {
            Ok(r) => need.add(self.need_assignments(&[r])),
            Err(e @ Error::NeedChunks(_)) => need.add(Err::<(), _>(e)),
            Err(_) => Ok(()),
        }
    }

    /// The key shards of `words`: every pair starting with one of their characters, their
    /// keyword keys, and for Chinese the unit-citers table (hits in the legal-text field rank
    /// by the items citing the unit; it is read whole, once).
    fn need_shards(&self, words: &Words, need: &mut Need) -> Result<(), Error> {
        for c in words.chars() {
            let key = literal_key(&[c]);
            need.add(self.terms.covering(&key, keys_upper(&key).as_deref()))?;
            // The keywords starting with it (whole words of the query, lexicon words).
            let mut key = vec![KEY_KEYWORD];
            key.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
            need.add(self.terms.covering(&key, keys_upper(&key).as_deref()))?;
        }
        for key in &words.keywords {
            need.add(self.terms.get(key))?;
        }
        if words.chars().any(is_cjk) {
            need.add(self.terms.covering(&[KEY_UNIT], Some(&[KEY_UNIT + 1])))?;
        }
        Ok(())
    }

    /// The postings of `words`' pairs and keyword keys, of the unit-citers table, and of the
    /// pairs starting with each of their characters when they are few (the relaxed pass and
    /// one-character runs read those).
    fn need_postings(&self, words: &Words, need: &mut Need) -> Result<(), Error> {
        let mut offsets = Vec::new();
        for pair in words.runs.iter().flat_map(|r| r.windows(2)) {
            offsets.extend(self.terms.get(&literal_key(pair))?);
        }
        for key in words.keywords.iter().cloned().chain(words.parts()) {
            offsets.extend(self.terms.get(&key)?);
        }
        if words.chars().any(is_cjk) {
            self.terms
                .for_each_in(&[KEY_UNIT], Some(&[KEY_UNIT + 1]), |_, off| {
                    offsets.push(off);
                    Ok(true)
                })?;
        }
        for c in words.chars() {
            let key = literal_key(&[c]);
            let mut contexts = Vec::new();
            self.terms
                .for_each_in(&key, keys_upper(&key).as_deref(), |_, off| {
                    contexts.push(off);
                    Ok(contexts.len() <= super::relaxed::RELAXED_CHAR_CONTEXTS)
                })?;
            if contexts.len() <= super::relaxed::RELAXED_CHAR_CONTEXTS {
                offsets.extend(contexts);
            }
        }
        for off in offsets {
            need.add(self.postings_need(off))?;
        }
        Ok(())
    }
}

/// The keyword keys a search for `q` looks up: one per run of the query, as
/// `keyword_hits` cuts it.
fn keyword_keys(q: &str) -> Vec<Vec<u8>> {
    segments(q)
        .take(super::query::MAX_QUERY_RUNS)
        .map(|(_, run)| {
            let mut key = vec![KEY_KEYWORD];
            key.extend(run.iter().collect::<String>().bytes());
            key
        })
        .collect()
}
