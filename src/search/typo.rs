//! Slips of a phone's keyboard: a Chinese query with a wrong homophone (`占到经营` for
//! 占道经营, `燥音` for 噪音, `违张建筑`) and pinyin with a stray or swapped letter (`lajii`).
//!
//! When a query matches no item whole, its Chinese runs are read aloud through the index's
//! reading keys ([`KEY_READING`]: a character and its syllable) and each stretch of two to
//! [`MAX_PINYIN_WINDOW`] characters is looked up as pinyin: a phrase of the catalog (or of its
//! lexicon) that sounds the same and differs in few characters is what was meant. Letters that
//! spell nothing are tried with one letter dropped or two swapped; syllables that spell nothing
//! are read as many southern speakers type them (`zandao jinying`: z for zh, in for ing). A
//! correction is offered only when it matches items whole (see `Index::search`, which then
//! shows its hits and says so).

use crate::error::Error;
use crate::index::{Index, KEY_READING, MAX_PINYIN_WINDOW};
use crate::text::{is_cjk, segments};

use super::keys::keys_upper;
use super::marks::Marks;
use super::phrases::PhraseSet;
use super::pinyin::split_letters;
use super::prefetch::Need;

/// Longest Chinese run corrected, in characters: longer runs are sentences, which the relaxed
/// pass serves better than a guess. A query with a longer run is not corrected at all: at most
/// [`MAX_CHANGED`] characters change, so the long run would have to match an item whole as
/// typed, which a sentence does not; and looking up every stretch of a sentence costs a phone
/// two or three rounds of chunks (of the 300 situations of the tuning sets, written blind,
/// the correction was tried for 280 and found one: `欠新 农民工`).
pub const MAX_CORRECTED_RUN: usize = 8;
/// Most Chinese characters of a query corrected, over all its runs.
const MAX_CORRECTED_CHARS: usize = 12;
/// Most characters of a query the correction changes.
const MAX_CHANGED: usize = 2;
/// Longest pinyin query corrected, in letters.
const MAX_CORRECTED_LETTERS: usize = 24;
/// Most phrases a corrected pinyin query may spell (with hits) for one of them to be shown as
/// the word searched (see `Index::spelled_word`).
const MAX_WORD_CANDIDATES: usize = super::marks::MAX_SPELLED - 1;
/// Most syllables changed when reading pinyin the southern way (see [`fuzzy_syllables`]).
const MAX_FUZZY: usize = 3;
/// Most readings of a pinyin query tried the southern way.
const MAX_FUZZY_READINGS: usize = 64;

/// A stretch of a run that sounds like a catalog phrase: where, how long, and the phrase.
struct Fix {
    start: usize,
    phrase: Vec<char>,
    changed: usize,
}

impl Index {
    /// The query as the catalog would spell it, if `q` (folded, trimmed) looks like a slip:
    /// its homophones replaced (at most [`MAX_CHANGED`] characters), or for letters only, the
    /// letters with one dropped or two swapped that spell a catalog phrase. `None` when
    /// nothing sounds close enough. The caller keeps it only if it matches items whole.
    pub(super) fn correction(&self, q: &str) -> Result<Option<String>, Error> {
        // Words of letters (`zandao jinying`) are read together, as pinyin is.
        if q.bytes().any(|b| b != b' ') && q.bytes().all(|b| b.is_ascii_alphabetic() || b == b' ') {
            let letters: String = q.chars().filter(|c| *c != ' ').collect();
            return self.letters_slip(&letters.to_ascii_lowercase());
        }
        let runs: Vec<(usize, Vec<char>)> = segments(q)
            .filter(|(_, r)| r.iter().all(|&c| is_cjk(c)))
            .take(super::query::MAX_QUERY_RUNS)
            .collect();
        let chars: usize = runs.iter().map(|(_, r)| r.len()).sum();
        let long = runs.iter().any(|(_, r)| r.len() > MAX_CORRECTED_RUN);
        let runs: Vec<_> = runs.into_iter().filter(|(_, r)| r.len() >= 2).collect();
        if runs.is_empty() || long || chars > MAX_CORRECTED_CHARS {
            return Ok(None);
        }
        let mut need = Need::default();
        for (_, run) in &runs {
            need.add(self.readings(run))?;
        }
        need.ask()?;
        // Every run's stretches are looked up before any is replaced, so a sentence's runs
        // ask for their phrases' keys together: one round for them all, not two a run.
        let mut need = Need::default();
        for (_, run) in &runs {
            need.add(self.best_fix(run, &self.readings(run)?))?;
        }
        need.ask()?;
        let mut chars: Vec<char> = q.chars().collect();
        let mut changed = 0;
        for (start, run) in &runs {
            let readings = self.readings(run)?;
            let Some(fix) = self.best_fix(run, &readings)? else {
                continue;
            };
            if changed + fix.changed > MAX_CHANGED {
                break;
            }
            changed += fix.changed;
            let at = start + fix.start;
            chars.splice(at..at + fix.phrase.len(), fix.phrase);
        }
        Ok((changed > 0).then(|| chars.into_iter().collect()))
    }

    /// Each character's syllable, from the reading keys (`None`: a character the index cannot
    /// read, or none of the catalog's characters sounds like).
    pub(super) fn readings(&self, run: &[char]) -> Result<Vec<Option<String>>, Error> {
        let mut need = Need::default();
        let mut out = Vec::with_capacity(run.len());
        for &c in run {
            let mut key = vec![KEY_READING];
            key.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
            let hi = keys_upper(&key);
            let mut reading = None;
            let found = self.pinyin.for_each_in(&key, hi.as_deref(), |k, _| {
                reading = k
                    .get(key.len()..)
                    .and_then(|s| std::str::from_utf8(s).ok())
                    .map(str::to_string);
                Ok(false)
            });
            need.add(found)?;
            out.push(reading);
        }
        need.ask()?;
        Ok(out)
    }

    /// The best stretch of `run` to replace: the longest that sounds like a catalog phrase
    /// differing in some but at most a third of its characters (one in a pair), fewest changes
    /// first. Every stretch's keys are asked for in one round.
    fn best_fix(&self, run: &[char], readings: &[Option<String>]) -> Result<Option<Fix>, Error> {
        let mut need = Need::default();
        let mut best: Option<Fix> = None;
        for len in (2..=run.len().min(MAX_PINYIN_WINDOW)).rev() {
            for start in 0..=run.len() - len {
                let Some(sylls) = readings[start..start + len]
                    .iter()
                    .cloned()
                    .collect::<Option<Vec<String>>>()
                else {
                    continue;
                };
                let phrases = match self.spelled_phrases(&sylls) {
                    Ok(p) => p,
                    missing => {
                        need.add(missing)?;
                        continue;
                    }
                };
                let here = &run[start..start + len];
                if let Some(fix) = closest(here, &phrases) {
                    if best.as_ref().is_none_or(|b| fix.changed < b.changed) {
                        best = Some(Fix { start, ..fix });
                    }
                }
            }
            if best.is_some() {
                break;
            }
        }
        need.ask()?;
        Ok(best)
    }

    /// Letters that spell nothing: the first of them with one letter dropped (a doubled
    /// letter first) or two neighbours swapped that splits into whole syllables and spells a
    /// catalog phrase. The first letter is kept (a slip rarely starts a word).
    fn letters_slip(&self, letters: &str) -> Result<Option<String>, Error> {
        if letters.len() < 3 || letters.len() > MAX_CORRECTED_LETTERS {
            return Ok(None);
        }
        // Letters that are whole syllables already are pinyin, not a slip: `yinjing` (窨井,
        // whose 窨 the index reads xun) is not made `yijing` (已经); they may be typed the
        // southern way, though.
        if let Some(sylls) = self.whole_syllables(letters) {
            return self.fuzzy_reading(&sylls);
        }
        // Syllables the catalog has none of, but sounds like (`zan` where it has zhan only).
        if let Some(sylls) = self.southern_syllables(letters) {
            if let Some(r) = self.fuzzy_reading(&sylls)? {
                return Ok(Some(r));
            }
        }
        let mut need = Need::default();
        let mut found = None;
        for v in letter_variants(letters) {
            let Some(sylls) = self.whole_syllables(&v) else {
                continue;
            };
            match self.spelled_phrases(&sylls) {
                Ok(p) if !p.is_empty() && found.is_none() => found = Some(v),
                Ok(_) => {}
                missing => need.add(missing)?,
            }
        }
        need.ask()?;
        Ok(found)
    }
}

impl Index {
    /// The Chinese word that corrected pinyin spells, when the hits are its: the only phrase
    /// it spelled whole that found items (`marks`; `laji`: 垃圾), or of several, the only one
    /// that is a keyword whole (`weijian`: 违建, not the 未建 of 未建设), whose items the pinyin
    /// ranks first. `None` when no one phrase is (`jiance`: 检测 and 监测), or more than
    /// [`MAX_WORD_CANDIDATES`] spelled something (then the pinyin says what was searched). A
    /// phrase whose last syllable only begins with the last one typed (`weijian`: 未将, wei
    /// jiang) is none of them.
    pub(super) fn spelled_word(&self, marks: &Marks) -> Result<Option<String>, Error> {
        let spelled = marks.spelled();
        if spelled.len() > MAX_WORD_CANDIDATES || spelled.iter().flatten().any(|&c| !is_cjk(c)) {
            return Ok(None);
        }
        if let [only] = spelled {
            return Ok(Some(only.iter().collect()));
        }
        let mut word = None;
        for p in spelled {
            let text: String = p.iter().collect();
            if !self.keyword_docs(&text)?.is_empty() {
                if word.is_some() {
                    return Ok(None);
                }
                word = Some(text);
            }
        }
        Ok(word)
    }

    /// Whole syllables that spell nothing, read the southern way (see [`fuzzy_syllables`]):
    /// the first reading with the fewest changes (at most [`MAX_FUZZY`]) whose syllables
    /// spell a catalog phrase, as letters (`zhandaojingying`).
    fn fuzzy_reading(&self, sylls: &[String]) -> Result<Option<String>, Error> {
        let mut need = Need::default();
        let (mut waiting, mut tries, mut found) = (false, 0, None);
        for changes in 1..=MAX_FUZZY {
            // The first that spells a phrase, unless one before it waits for chunks.
            let mut visit = |r: &[String]| -> Result<bool, Error> {
                tries += 1;
                match self.spells(r) {
                    Ok(true) => {
                        found = (!waiting).then(|| r.concat());
                        return Ok(false);
                    }
                    Ok(false) => {}
                    missing => {
                        waiting = true;
                        need.add(missing)?;
                    }
                }
                Ok(tries < MAX_FUZZY_READINGS)
            };
            if !self.each_reading(sylls, changes, &mut Vec::new(), &mut visit)? {
                break;
            }
        }
        need.ask()?;
        Ok(found)
    }

    /// Calls `visit` with each reading of `sylls` (each the catalog's syllable it may be
    /// typed for, after `reading`) that takes `changes` changes in all, while it returns true;
    /// false once it returned false.
    fn each_reading(
        &self,
        sylls: &[String],
        changes: usize,
        reading: &mut Vec<String>,
        visit: &mut dyn FnMut(&[String]) -> Result<bool, Error>,
    ) -> Result<bool, Error> {
        let Some((first, rest)) = sylls.split_first() else {
            return if changes == 0 {
                visit(reading)
            } else {
                Ok(true)
            };
        };
        for (a, n) in fuzzy_syllables(first.as_bytes()) {
            if n > changes || !self.is_syllable(&a) {
                continue;
            }
            reading.push(a);
            let go = self.each_reading(rest, changes - n, reading, visit)?;
            reading.pop();
            if !go {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// `letters` split into syllables that the catalog's sound like typed the southern way
    /// (see [`fuzzy_syllables`]), the last one whole too.
    fn southern_syllables(&self, letters: &str) -> Option<Vec<String>> {
        let sounds = |s: &[u8]| fuzzy_syllables(s).iter().any(|(x, _)| self.is_syllable(x));
        // At most 7 letters: the longest syllable (zhuang), and an h or g more.
        split_letters(letters, 7, &sounds, &|_| false)
    }

    /// `letters` split into the catalog's syllables, the last one whole too (`None` for
    /// `lajii`, `zdjy`).
    fn whole_syllables(&self, letters: &str) -> Option<Vec<String>> {
        let sylls = self.segment(letters)?;
        let whole = self.is_syllable(sylls.last()?);
        whole.then_some(sylls)
    }
}

/// The phrase of `phrases` closest to `here`: same length, at least one character the same,
/// at most a third changed (one of two or three), fewest changes first.
fn closest(here: &[char], phrases: &PhraseSet) -> Option<Fix> {
    let most = (here.len() / 3).max(1);
    phrases
        .iter()
        .filter(|p| p.len() == here.len())
        .map(|p| {
            let changed = p.iter().zip(here).filter(|(a, b)| a != b).count();
            (changed, p)
        })
        .filter(|&(changed, _)| changed >= 1 && changed <= most && changed < here.len())
        .min_by_key(|&(changed, _)| changed)
        .map(|(changed, p)| Fix {
            start: 0,
            phrase: p.clone(),
            changed,
        })
}

/// The syllables `s` may be when typed the southern way — z, c, s for zh, ch, sh and back, l
/// for n, f for h and back, in, en, an for ing, eng, ang and back — each with how many of
/// these it takes, `s` itself (0) first. Some are no syllable (`zhi` → `zi` is, `ri` → none).
fn fuzzy_syllables(b: &[u8]) -> Vec<(String, usize)> {
    let cut = match b {
        [b'z' | b'c' | b's', b'h', ..] => 2,
        [b'z' | b'c' | b's' | b'l' | b'n' | b'f' | b'h', ..] => 1,
        _ => 0,
    };
    let (head, tail) = b.split_at(cut);
    let other_head: Option<&[u8]> = match head {
        [x, b'h'] => Some(std::slice::from_ref(x)),
        b"z" => Some(b"zh"),
        b"c" => Some(b"ch"),
        b"s" => Some(b"sh"),
        b"l" => Some(b"n"),
        b"n" => Some(b"l"),
        b"f" => Some(b"h"),
        b"h" => Some(b"f"),
        _ => None,
    };
    let other_tail: Option<Vec<u8>> = match tail {
        [.., b'i' | b'e' | b'a', b'n', b'g'] => Some(tail[..tail.len() - 1].to_vec()),
        [.., b'i' | b'e' | b'a', b'n'] => Some([tail, b"g"].concat()),
        _ => None,
    };
    let heads = std::iter::once((head, 0)).chain(other_head.map(|h| (h, 1)));
    let mut out = Vec::new();
    for (h, i) in heads {
        let tails = std::iter::once((tail, 0)).chain(other_tail.as_deref().map(|t| (t, 1)));
        for (t, j) in tails {
            if let Ok(v) = String::from_utf8([h, t].concat()) {
                out.push((v, i + j));
            }
        }
    }
    out
}

/// `letters` with one letter dropped (doubled letters first) or two neighbours swapped,
/// never the first letter, each once, in that order.
fn letter_variants(letters: &str) -> Vec<String> {
    let b = letters.as_bytes();
    let mut out: Vec<String> = Vec::new();
    let mut push = |v: Vec<u8>| {
        if let Ok(s) = String::from_utf8(v) {
            if s != letters && !out.contains(&s) {
                out.push(s);
            }
        }
    };
    let drop = |i: usize| [&b[..i], &b[i + 1..]].concat();
    for i in (1..b.len()).filter(|&i| b[i] == b[i - 1]) {
        push(drop(i));
    }
    for i in 1..b.len() {
        push(drop(i));
    }
    for i in 1..b.len() - 1 {
        let mut v = b.to_vec();
        v.swap(i, i + 1);
        push(v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_drop_doubled_letters_first_and_keep_the_first_letter() {
        let v = letter_variants("lajii");
        assert_eq!(v[0], "laji");
        assert!(v.contains(&"ljaii".to_string()));
        assert!(v.iter().all(|s| s.starts_with('l')));
        assert_eq!(
            v.len(),
            v.iter().collect::<std::collections::BTreeSet<_>>().len(),
            "each variant once"
        );
    }

    #[test]
    fn southern_readings_swap_initials_and_nasal_finals() {
        let alts = |s: &str| fuzzy_syllables(s.as_bytes());
        let pair = |s: &str, n| (s.to_string(), n);
        assert_eq!(
            alts("zan"),
            [
                pair("zan", 0),
                pair("zang", 1),
                pair("zhan", 1),
                pair("zhang", 2)
            ]
        );
        assert_eq!(alts("jing"), [pair("jing", 0), pair("jin", 1)]);
        assert_eq!(
            alts("shen"),
            [
                pair("shen", 0),
                pair("sheng", 1),
                pair("sen", 1),
                pair("seng", 2)
            ]
        );
        assert_eq!(alts("nong"), [pair("nong", 0), pair("long", 1)]);
        assert_eq!(alts("hu"), [pair("hu", 0), pair("fu", 1)]);
        assert_eq!(alts("ou"), [pair("ou", 0)]);
    }

    #[test]
    fn the_closest_phrase_changes_few_characters() {
        let chars = |s: &str| s.chars().collect::<Vec<_>>();
        let phrases: PhraseSet = ["占道经营", "战斗经验", "占到"]
            .iter()
            .map(|s| chars(s))
            .collect();
        let fix = closest(&chars("占到经营"), &phrases).map(|f| f.phrase);
        assert_eq!(fix, Some(chars("占道经营")));
        // The same phrase is no correction; one of two characters is the most a pair changes.
        let same: PhraseSet = [chars("噪音"), chars("早饮")].into_iter().collect();
        assert!(closest(&chars("噪音"), &same).is_none());
        assert_eq!(
            closest(&chars("燥音"), &[chars("噪音")].into_iter().collect()).map(|f| f.phrase),
            Some(chars("噪音"))
        );
    }
}
