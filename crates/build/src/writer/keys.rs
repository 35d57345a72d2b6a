//! Search keys: the literal keys of a text (character bigrams, run ends, punctuation), the
//! pinyin windows of a CJK run, and the traditional → simplified table.

use std::collections::{BTreeMap, BTreeSet};

use pinyin::ToPinyin;

use powerlist::index::{
    KEY_INITIALS, KEY_LITERAL, KEY_PINYIN, KEY_READING, MAX_PINYIN_WINDOW, PINYIN_SEP,
};
use powerlist::text::{is_cjk, is_word_char, segments, T2s};

/// Key → `[(document, slot)]`, slots = `field << 24 | position` (`u32::MAX`: a match without
/// a position). A list holds each document's slots together, documents in ascending order.
pub(super) type Postings = BTreeMap<Vec<u8>, Vec<(u32, u32)>>;

/// Pinyin window key → the texts it spells.
pub(super) type Windows = BTreeMap<Vec<u8>, BTreeSet<String>>;

pub(super) fn push(postings: &mut Postings, key: Vec<u8>, doc: u32, slot: u32) {
    postings.entry(key).or_default().push((doc, slot));
}

/// The traditional → simplified pairs (from `fast2s`) of which one side is in `chars`.
pub(super) fn t2s_table(chars: &BTreeSet<char>) -> T2s {
    let mut table = T2s::default();
    for cp in 0x3400u32..=0x9FFF {
        let Some(c) = char::from_u32(cp) else {
            continue;
        };
        let s = fast2s::convert(c.encode_utf8(&mut [0; 4]));
        let mut it = s.chars();
        if let (Some(d), None) = (it.next(), it.next()) {
            if d != c && (chars.contains(&d) || chars.contains(&c)) {
                table.insert(c, d);
            }
        }
    }
    table
}

/// Literal keys (bigrams, run ends, punctuation) of one field text of document `id`.
pub(super) fn literal_keys(
    text: &str,
    field: u32,
    id: u32,
    punctuation: bool,
    postings: &mut Postings,
) {
    if punctuation {
        // Punctuation and symbols get single-character keys, so a query made only of
        // them (e.g. `（一）`) still finds the names that contain it.
        for (pos, c) in text.chars().enumerate() {
            if !is_word_char(c) && !c.is_whitespace() && pos < 1 << 24 {
                let mut key = vec![KEY_LITERAL];
                key.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                push(postings, key, id, field << 24 | pos as u32);
            }
        }
    }
    for (start, run) in segments(text) {
        for j in 0..run.len() {
            let pos = (start + j) as u32;
            if pos >= 1 << 24 {
                break;
            }
            let mut key = vec![KEY_LITERAL];
            let mut buf = [0u8; 4];
            key.extend_from_slice(run[j].encode_utf8(&mut buf).as_bytes());
            if let Some(&next) = run.get(j + 1) {
                key.extend_from_slice(next.encode_utf8(&mut buf).as_bytes());
            }
            push(postings, key, id, field << 24 | pos);
        }
    }
}

/// The plain syllable of a character (`ü` as `v`).
pub(super) fn syllable(c: char) -> Option<String> {
    let p = c.to_pinyin()?;
    Some(p.plain().replace('ü', "v"))
}

/// Pinyin windows: full pinyin (`zhan'dao'jing'ying`) and initials (`zdjy`) of up to
/// [`MAX_PINYIN_WINDOW`] characters from each CJK character of a run on, each mapped to the
/// characters it spells. A pinyin query becomes the phrases it spells, searched like typed
/// Chinese, so pinyin needs no postings of its own.
pub(super) fn pinyin_windows(
    run: &[char],
    windows: &mut Windows,
    syllables: &mut BTreeSet<String>,
) {
    let sylls: Vec<Option<String>> = run
        .iter()
        .map(|&c| if is_cjk(c) { syllable(c) } else { None })
        .collect();
    for s in sylls.iter().flatten() {
        if !syllables.contains(s) {
            syllables.insert(s.clone());
        }
    }
    for j in 0..run.len() {
        if sylls[j].is_none() {
            continue;
        }
        let mut full = vec![KEY_PINYIN];
        let mut initials = vec![KEY_INITIALS];
        let mut text = String::new();
        for (s, &c) in sylls[j..].iter().zip(&run[j..]).take(MAX_PINYIN_WINDOW) {
            let Some(s) = s else { break };
            if full.len() > 1 {
                full.push(PINYIN_SEP);
            }
            full.extend_from_slice(s.as_bytes());
            initials.push(s.as_bytes()[0]);
            text.push(c);
        }
        windows.entry(full).or_default().insert(text.clone());
        windows.entry(initials).or_default().insert(text);
    }
}

/// The reading keys: [`KEY_READING`], a common character (one of GB 2312's 6,763 hanzi, what
/// a pinyin IME offers first), then its syllable, for every one read as one of `syllables`
/// (the catalog's: a character read otherwise can stand for none of the catalog's). A query
/// with a slip of the IME (`占到经营`) is read aloud through them, and the catalog's phrases
/// that sound the same are found through the pinyin windows. In key order.
pub(super) fn reading_keys(syllables: &BTreeSet<String>) -> Vec<Vec<u8>> {
    let mut keys = Vec::new();
    for c in ('\u{4E00}'..='\u{9FA5}').filter(|&c| is_gb2312_hanzi(c)) {
        let Some(s) = syllable(c).filter(|s| syllables.contains(s)) else {
            continue;
        };
        let mut key = vec![KEY_READING];
        key.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
        key.extend_from_slice(s.as_bytes());
        keys.push(key);
    }
    keys
}

/// Whether `c` is one of GB 2312's hanzi (rows 16–87: levels 1 and 2).
fn is_gb2312_hanzi(c: char) -> bool {
    let mut buf = [0; 4];
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(c.encode_utf8(&mut buf));
    !unmappable && matches!(*bytes, [0xB0..=0xF7, 0xA1..=0xFE])
}
