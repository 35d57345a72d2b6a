//! Code queries: the items whose codes start with the query, and near misses.

use std::collections::HashSet;

use fst::automaton::{Automaton, Levenshtein};
use fst::{IntoStreamer, Streamer};

use crate::error::Error;
use crate::index::Index;

use super::keys::prefix_range;
use super::parts::PartHits;
use super::Suggestion;

impl Index {
    /// Some code starts with `q`.
    pub(super) fn code_prefix_exists(&self, q: &str) -> bool {
        let mut s = prefix_range(&self.codes, q.as_bytes()).into_stream();
        s.next().is_some()
    }

    /// The items whose codes start with `q`, at most the key budget, scored above any keyword
    /// in code order.
    pub(super) fn code_prefix(&self, q: &str) -> Result<PartHits, Error> {
        let mut out = Vec::new();
        let mut s = prefix_range(&self.codes, q.as_bytes()).into_stream();
        while let Some((k, v)) = s.next() {
            let Ok(id) = u32::try_from(v) else { continue };
            // Above any keyword score, in code order (the stream is sorted), exact first.
            let score = if k == q.as_bytes() {
                2.0e6
            } else {
                1.0e6 - out.len() as f32
            };
            out.push((id, score));
            if out.len() >= self.key_budget {
                break;
            }
        }
        Ok(PartHits::from_unsorted(out))
    }

    /// Up to five codes one edit from `q` (or, failing that, starting one edit from it).
    pub(super) fn code_suggestions(&self, q: &str) -> Result<Vec<Suggestion>, Error> {
        if q.len() > 48 {
            return Ok(Vec::new());
        }
        let Ok(lev) = Levenshtein::new(q, 1) else {
            return Ok(Vec::new());
        };
        let mut ids = Vec::new();
        let mut s = self.codes.search(&lev).into_stream();
        while let Some((_, v)) = s.next() {
            ids.push(v as u32);
        }
        if ids.is_empty() {
            // No whole code is one edit away: try codes that start one edit away.
            let mut s = self.codes.search(lev.starts_with()).into_stream();
            while let Some((_, v)) = s.next() {
                if ids.len() >= 10 {
                    break;
                }
                ids.push(v as u32);
            }
        }
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for id in ids {
            if seen.insert(id) && (id as usize) < self.attrs.len() {
                let r = self.record(id)?;
                out.push(Suggestion {
                    code: r.code,
                    name: r.name,
                });
            }
            if out.len() >= 5 {
                break;
            }
        }
        Ok(out)
    }
}
