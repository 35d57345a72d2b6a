//! Asking for a chunked index's chunks in as few rounds as possible: before a search reads
//! anything, the chunks it will read first are named all at once — the key shards and the
//! region's assignments, then the postings of the query's pairs, then the records of the page
//! of hits. A single file has everything, and these are no-ops.

use crate::error::Error;
use crate::index::{Index, KEY_INITIALS, KEY_KEYWORD, KEY_PINYIN, KEY_UNIT};
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

    /// [`Error::NeedChunks`] naming every chunk asked for, if any was.
    pub(crate) fn ask(self) -> Result<(), Error> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Error::NeedChunks(self.0))
        }
    }
}

impl Index {
    /// Names, all at once, the chunks a search for the folded query `q` reads first.
    pub(super) fn prefetch_query(&self, q: &str, opts: &SearchOptions) -> Result<(), Error> {
        if !self.is_chunked() {
            return Ok(());
        }
        let chars: Vec<char> = q.chars().filter(|c| !c.is_whitespace()).collect();
        // First the key shards: every pair starting with a character of the query, the whole
        // query as a keyword, pinyin windows starting with its first letter; and the region.
        let mut need = Need::default();
        for &c in &chars {
            let key = literal_key(&[c]);
            need.add(self.terms.covering(&key, keys_upper(&key).as_deref()))?;
        }
        let keywords = keyword_keys(q);
        for key in &keywords {
            need.add(self.terms.get(key))?;
        }
        // Hits in the legal-text field rank by the items citing the unit: that table is read
        // whole, once, by any query in Chinese.
        let cjk = chars.iter().any(|&c| is_cjk(c));
        if cjk {
            need.add(self.terms.covering(&[KEY_UNIT], Some(&[KEY_UNIT + 1])))?;
        }
        if let Some(first) = q.bytes().find(u8::is_ascii_alphabetic) {
            let first = first.to_ascii_lowercase();
            for kind in [KEY_PINYIN, KEY_INITIALS] {
                let key = [kind, first];
                need.add(self.pinyin.covering(&key, keys_upper(&key).as_deref()))?;
            }
        }
        if opts.region.is_some() {
            need.add(self.regions_bytes_need())?;
        }
        need.ask()?;
        // Then who handles things in the region, and the postings of the query's pairs, and of the pairs starting with each of its
        // characters when they are few (the relaxed pass and one-character runs read those).
        let mut need = Need::default();
        if let Some(r) = opts.region.as_deref().filter(|r| !r.trim().is_empty()) {
            if let Ok(r) = self.find_region(r) {
                need.add(self.need_assignments(&[r]))?;
            }
        }
        for pair in chars.windows(2) {
            if let Some(off) = self.terms.get(&literal_key(pair))? {
                need.add(self.postings_need(off))?;
            }
        }
        for key in &keywords {
            if let Some(off) = self.terms.get(key)? {
                need.add(self.postings_need(off))?;
            }
        }
        if cjk {
            let mut offsets = Vec::new();
            self.terms
                .for_each_in(&[KEY_UNIT], Some(&[KEY_UNIT + 1]), |_, off| {
                    offsets.push(off);
                    Ok(true)
                })?;
            for off in offsets {
                need.add(self.postings_need(off))?;
            }
        }
        for &c in &chars {
            let key = literal_key(&[c]);
            let mut offsets = Vec::new();
            self.terms
                .for_each_in(&key, keys_upper(&key).as_deref(), |_, off| {
                    offsets.push(off);
                    Ok(offsets.len() <= super::relaxed::RELAXED_CHAR_CONTEXTS)
                })?;
            if offsets.len() <= super::relaxed::RELAXED_CHAR_CONTEXTS {
                for off in offsets {
                    need.add(self.postings_need(off))?;
                }
            }
        }
        need.ask()
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
