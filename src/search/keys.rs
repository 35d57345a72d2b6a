//! Index keys: a kind byte, then text — a character pair of the fields (or the last character
//! of a run), a whole keyword, a pinyin or initials window (those in their own FST) — and
//! scans of the keys that start with a prefix.

use crate::index::KEY_LITERAL;

/// The index key of literal text: [`KEY_LITERAL`] and the characters in UTF-8.
pub(super) fn literal_key(chars: &[char]) -> Vec<u8> {
    let mut key = Vec::with_capacity(1 + 4 * chars.len());
    key.push(KEY_LITERAL);
    for c in chars {
        key.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
    }
    key
}

/// The keys of `map` that start with `prefix`, as a range: fst seeks to the first one, where a
/// `starts_with` automaton walks every transition from the root (that walk was half the time
/// of a one-character query that matched nothing).
pub(super) fn prefix_range<'m, D: AsRef<[u8]>>(
    map: &'m fst::Map<D>,
    prefix: &[u8],
) -> fst::map::StreamBuilder<'m> {
    let keys = map.range().ge(prefix);
    match keys_upper(prefix) {
        Some(hi) => keys.lt(hi),
        None => keys,
    }
}

/// The smallest key greater than every key starting with `prefix`, if there is one (there is
/// none for a prefix of `0xFF` bytes only).
pub(super) fn keys_upper(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut upper = prefix.to_vec();
    while let Some(last) = upper.pop() {
        if last < 0xFF {
            upper.push(last + 1);
            return Some(upper);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use fst::{IntoStreamer, Streamer};

    use super::*;

    #[test]
    fn prefix_ranges_cover_exactly_the_keys_with_the_prefix() {
        assert_eq!(keys_upper(b"ab"), Some(b"ac".to_vec()));
        assert_eq!(keys_upper(&[7, 0xFF]), Some(vec![8]));
        assert_eq!(keys_upper(&[0xFF, 0xFF]), None);
        assert_eq!(keys_upper(b""), None);
        let keys: Vec<&[u8]> = vec![b"a", b"ab", b"ab\xff", b"ab\xff\x01", b"ac", b"b"];
        let map = fst::Map::from_iter(keys.iter().map(|k| (*k, 0u64))).unwrap();
        let found = |p: &[u8]| -> Vec<Vec<u8>> {
            let mut s = prefix_range(&map, p).into_stream();
            let mut out = Vec::new();
            while let Some((k, _)) = s.next() {
                out.push(k.to_vec());
            }
            out
        };
        assert_eq!(found(b"ab").len(), 3);
        assert_eq!(
            found(b"ab\xff"),
            vec![b"ab\xff".to_vec(), b"ab\xff\x01".to_vec()]
        );
        assert_eq!(found(b"").len(), keys.len());
        assert!(found(b"z").is_empty());
    }
}
