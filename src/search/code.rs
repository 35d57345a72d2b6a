//! Code queries: the items whose codes start with the query, and near misses.

use fst::automaton::Automaton;
use fst::{IntoStreamer, Streamer};

use crate::error::Error;
use crate::index::Index;

use super::keys::prefix_range;
use super::parts::PartHits;
use super::query::looks_like_code;
use super::Suggestion;

impl Index {
    /// Some code starts with `q`.
    fn code_prefix_exists(&self, q: &str) -> bool {
        let mut s = prefix_range(&self.codes, q.as_bytes()).into_stream();
        s.next().is_some()
    }

    /// The code prefix a code-like query means: itself when some code starts with it, else,
    /// for a query without separators (`cgcf014`), the first code that starts with its
    /// letters and digits once the code's separators are left out, cut where the query ends
    /// (`cg-cf-014`). `None` when no code fits.
    pub(super) fn code_form(&self, q: &str) -> Option<String> {
        if !looks_like_code(q) {
            return None;
        }
        if self.code_prefix_exists(q) {
            return Some(q.to_string());
        }
        if q.bytes().any(is_separator) {
            return self.padded_code(q);
        }
        let aut = Unseparated(q.as_bytes());
        let mut s = self.codes.search(&aut).into_stream();
        let (key, _) = s.next()?;
        // The key up to (and with) the byte that matched the query's last.
        let mut matched = 0;
        let end = key.iter().position(|&b| {
            if !is_separator(b) {
                matched += 1;
            }
            matched == q.len()
        })?;
        String::from_utf8(key.get(..=end)?.to_vec()).ok()
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

    /// A code whose last number lost its leading zeros (`st-cf-13` for `st-cf-013`): the
    /// whole code with one to three zeros put back, when there is one.
    fn padded_code(&self, q: &str) -> Option<String> {
        let cut = q.rfind(|c: char| is_separator(c as u8))? + 1;
        let (head, number) = (q.get(..cut)?, q.get(cut..)?);
        if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        (1..=3)
            .map(|zeros| format!("{head}{}{number}", "0".repeat(zeros)))
            .find(|code| self.codes.get(code.as_bytes()).is_some())
    }

    /// Up to five codes one edit from `q` (or, failing that, starting one edit from it).
    pub(super) fn code_suggestions(&self, q: &str) -> Result<Vec<Suggestion>, Error> {
        if q.len() > 48 {
            return Ok(Vec::new());
        }
        let lev = OneEdit::new(q);
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
        // At most 15 ids: a list to look through, not a hash set (one less in the module).
        let mut seen = Vec::new();
        let mut out = Vec::new();
        for id in ids {
            if !seen.contains(&id) && (id as usize) < self.attrs.len() {
                seen.push(id);
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

/// A byte that separates a code's parts (`-`, `.`, `_`, `/`).
fn is_separator(b: u8) -> bool {
    matches!(b, b'-' | b'.' | b'_' | b'/')
}

/// The keys that start with a query of letters and digits once their separators are left
/// out: the state is how much of the query has been read (`None`: no longer possible).
struct Unseparated<'q>(&'q [u8]);

impl Automaton for Unseparated<'_> {
    type State = Option<usize>;

    fn start(&self) -> Option<usize> {
        Some(0)
    }

    fn is_match(&self, state: &Option<usize>) -> bool {
        *state == Some(self.0.len())
    }

    fn can_match(&self, state: &Option<usize>) -> bool {
        state.is_some()
    }

    fn will_always_match(&self, state: &Option<usize>) -> bool {
        self.is_match(state)
    }

    fn accept(&self, state: &Option<usize>, byte: u8) -> Option<usize> {
        let read = (*state)?;
        match self.0.get(read) {
            None => Some(read),
            Some(&b) if b == byte => Some(read + 1),
            // Separators between the query's characters (not before the first).
            Some(_) if read > 0 && is_separator(byte) => Some(read),
            Some(_) => None,
        }
    }
}

/// The most characters a query of [`Index::code_suggestions`] has (it has at most 48 bytes).
const MAX_CHARS: usize = 48;

/// The keys at most one edit (a character inserted, deleted or replaced) from a query, as an FST
/// automaton: the Levenshtein distance, one row of the usual table per character of the key,
/// over the key's UTF-8 bytes. The same keys as fst's `Levenshtein::new(q, 1)`, without
/// building a DFA per query, and without the 15 KB of code that builds it in the browser module.
struct OneEdit {
    query: Vec<char>,
}

/// A row of distances (capped at 2) from the key read so far to each prefix of the query, and
/// the character being decoded (`need` more bytes to come). `None`: no key going on from here
/// can be one edit away.
#[derive(Clone, Copy)]
struct EditRow {
    dist: [u8; MAX_CHARS + 1],
    ch: u32,
    need: u8,
}

impl OneEdit {
    fn new(q: &str) -> OneEdit {
        OneEdit {
            query: q.chars().take(MAX_CHARS).collect(),
        }
    }

    /// The row after the key's next character `c`.
    fn step(&self, row: &mut EditRow, c: u32) {
        let n = self.query.len();
        let mut diagonal = row.dist[0];
        row.dist[0] = (diagonal + 1).min(2);
        for i in 1..=n {
            let up = row.dist[i];
            let replace = diagonal + u8::from(self.query[i - 1] as u32 != c);
            row.dist[i] = replace.min(up + 1).min(row.dist[i - 1] + 1).min(2);
            diagonal = up;
        }
    }
}

impl Automaton for OneEdit {
    type State = Option<EditRow>;

    fn start(&self) -> Option<EditRow> {
        let mut dist = [2; MAX_CHARS + 1];
        for (i, d) in dist.iter_mut().enumerate().take(self.query.len() + 1) {
            *d = i.min(2) as u8;
        }
        Some(EditRow {
            dist,
            ch: 0,
            need: 0,
        })
    }

    fn is_match(&self, state: &Option<EditRow>) -> bool {
        state.is_some_and(|r| r.need == 0 && r.dist[self.query.len()] <= 1)
    }

    fn can_match(&self, state: &Option<EditRow>) -> bool {
        state.is_some()
    }

    fn accept(&self, state: &Option<EditRow>, byte: u8) -> Option<EditRow> {
        let mut row = (*state)?;
        let b = u32::from(byte);
        if row.need > 0 {
            row.ch = row.ch << 6 | (b & 0x3F);
            row.need -= 1;
        } else {
            (row.ch, row.need) = match byte {
                0x00..=0x7F => (b, 0),
                0xF0..=0xFF => (b & 0x07, 3),
                0xE0..=0xEF => (b & 0x0F, 2),
                _ => (b & 0x1F, 1),
            };
        }
        if row.need > 0 {
            return Some(row);
        }
        let c = row.ch;
        self.step(&mut row, c);
        let alive = row.dist[..=self.query.len()].iter().any(|&d| d <= 1);
        alive.then_some(row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fst::Set;

    /// The keys one edit away: those whose plain Levenshtein distance is at most 1.
    #[test]
    fn one_edit_finds_what_levenshtein_finds() {
        let keys = [
            "CG-CF-001",
            "CG-CF-014",
            "CG-CF-0149",
            "CG-CF-15",
            "CG-XK-014",
            "SL-XK-001",
            "G-CF-014",
            "城管-014",
            "城管-15",
            "城建-014",
            "a",
            "ab",
            "abc",
            "b",
        ];
        let mut sorted = keys.to_vec();
        sorted.sort_unstable();
        let set = Set::from_iter(sorted).unwrap();
        for q in [
            "CG-CF-014",
            "CG-CF-01",
            "城管-014",
            "城-014",
            "",
            "a",
            "abd",
            "xyz",
            "CG-CF-0149X",
        ] {
            let ours = set
                .search(OneEdit::new(q))
                .into_stream()
                .into_strs()
                .unwrap();
            let expected: Vec<String> = keys
                .iter()
                .filter(|k| edit_distance(k, q) <= 1)
                .map(|k| k.to_string())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            assert_eq!(ours, expected, "{q}");
            let starts = set
                .search(OneEdit::new(q).starts_with())
                .into_stream()
                .into_strs()
                .unwrap();
            assert!(ours.iter().all(|k| starts.contains(k)), "{q}");
        }
    }

    /// A code typed without its separators finds the keys that have them.
    #[test]
    fn unseparated_finds_codes_with_separators() {
        let set = Set::from_iter(["cg-cf-014", "cg-cf-015", "cg-xk-001", "sl.xk.001"]).unwrap();
        let find = |q: &str| {
            set.search(Unseparated(q.as_bytes()))
                .into_stream()
                .into_strs()
                .unwrap()
        };
        assert_eq!(find("cgcf014"), vec!["cg-cf-014"]);
        assert_eq!(find("cgcf01"), vec!["cg-cf-014", "cg-cf-015"]);
        assert_eq!(find("slxk001"), vec!["sl.xk.001"]);
        assert_eq!(find("cgcf016"), Vec::<String>::new());
        assert_eq!(find("-cgcf"), Vec::<String>::new());
    }

    /// Levenshtein distance over characters, the plain way.
    fn edit_distance(a: &str, b: &str) -> usize {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.iter().enumerate() {
            let mut diagonal = row[0];
            row[0] = i + 1;
            for (j, cb) in b.iter().enumerate() {
                let up = row[j + 1];
                row[j + 1] = (diagonal + usize::from(ca != cb))
                    .min(up + 1)
                    .min(row[j] + 1);
                diagonal = up;
            }
        }
        row[b.len()]
    }
}
