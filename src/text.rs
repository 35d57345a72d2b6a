//! Text normalization and segmentation, shared by the index writer and the query parser.
//!
//! Both sides of a search must see text the same way, or substring recall breaks. This module is
//! that one way:
//!
//! * [`fold_char`] maps one character to one character: full-width forms to ASCII, the ideographic
//!   space to a space, upper case to lower case, and (given a table from the index) traditional to
//!   simplified characters. Because the mapping is one to one, a position in folded text is a
//!   position in the original text, so highlight ranges need no translation.
//! * [`segments`] splits folded text into runs of word characters (letters, digits, ideographs);
//!   punctuation, symbols and spaces separate runs. Search keys never cross a separator.
//!
//! This is a deliberate narrowing of Unicode NFKC: the compatibility decompositions that change the
//! number of characters (`㎡` → `m2`) are left alone, which keeps the browser module free of
//! normalization tables and positions exact. Both sides use the same function, so recall holds.
//!
//! ```
//! use powerlist::text::{fold, segments};
//! assert_eq!(fold("ＡＢＣ１２３　食品", None), "abc123 食品");
//! let segs: Vec<_> = segments("《食品安全法》第122条").collect();
//! assert_eq!(segs.len(), 2);
//! assert_eq!(segs[0].1, "食品安全法".chars().collect::<Vec<_>>());
//! ```

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A traditional → simplified character table, carried by the index for the characters its
/// catalog uses. Create one with `T2s::default()`.
///
/// Folding looks up every character of every query and of every name whose matches are marked,
/// and almost none is in the table: a bit per ideograph of the CJK blocks the table covers
/// (U+3400–U+9FFF, 3.4 KB) answers those without hashing.
///
/// ```
/// let mut t = powerlist::text::T2s::default();
/// t.insert('攤', '摊');
/// assert_eq!(t.get(&'攤'), Some(&'摊'));
/// assert_eq!(t.get(&'摊'), None);
/// assert_eq!(t.iter().count(), 1);
/// ```
#[derive(Debug, Clone, Default)]
pub struct T2s {
    map: HashMap<char, char, BuildHasherDefault<CharHasher>>,
    /// Bit `c - 0x3400` set: `c` is a key.
    bits: Vec<u64>,
    /// Some key lies outside U+3400–U+9FFF (only the map can say which).
    outside: bool,
}

impl T2s {
    const FIRST: u32 = 0x3400;
    const LAST: u32 = 0x9FFF;

    /// Maps `from` to `to`.
    pub fn insert(&mut self, from: char, to: char) {
        let cp = from as u32;
        if (Self::FIRST..=Self::LAST).contains(&cp) {
            if self.bits.is_empty() {
                self.bits = vec![0; ((Self::LAST - Self::FIRST) / 64 + 1) as usize];
            }
            let i = (cp - Self::FIRST) as usize;
            if let Some(w) = self.bits.get_mut(i / 64) {
                *w |= 1 << (i % 64);
            }
        } else {
            self.outside = true;
        }
        self.map.insert(from, to);
    }

    /// What `c` maps to, if the table has it.
    #[inline]
    pub fn get(&self, c: &char) -> Option<&char> {
        let cp = *c as u32;
        if (Self::FIRST..=Self::LAST).contains(&cp) {
            let i = (cp - Self::FIRST) as usize;
            let w = self.bits.get(i / 64).copied().unwrap_or(0);
            if w & (1 << (i % 64)) == 0 {
                return None;
            }
        } else if !self.outside {
            return None;
        }
        self.map.get(c)
    }

    /// Every pair, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&char, &char)> {
        self.map.iter()
    }
}

impl FromIterator<(char, char)> for T2s {
    fn from_iter<I: IntoIterator<Item = (char, char)>>(pairs: I) -> T2s {
        let mut t = T2s::default();
        for (a, b) in pairs {
            t.insert(a, b);
        }
        t
    }
}

/// The hasher of [`T2s`] (and of the search's other maps of characters and numbers): one
/// multiplication per key. Folding looks up every character of
/// every query and every shown name, where SipHash cost more than the rest of folding; the keys
/// are the index's own characters, so hash flooding is not a concern.
#[derive(Debug, Default, Clone, Copy)]
pub struct CharHasher(u64);

impl Hasher for CharHasher {
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    #[inline]
    fn write_u64(&mut self, n: u64) {
        let h = n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = h ^ (h >> 32);
    }
    #[inline]
    fn write_u32(&mut self, n: u32) {
        // hashbrown takes its bucket from the low bits and its tag from the top 7: fold the
        // high product bits down so both vary.
        let h = u64::from(n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = h ^ (h >> 32);
    }
}

/// Folds one character. See the module docs.
#[inline]
pub fn fold_char(c: char, t2s: Option<&T2s>) -> char {
    if is_cjk(c) {
        // Ideographs have no case and no full-width form: only the table applies.
        return match t2s {
            Some(table) => table.get(&c).copied().unwrap_or(c),
            None => c,
        };
    }
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    };
    let c = match c {
        'A'..='Z' => c.to_ascii_lowercase(),
        _ if c.is_ascii() => c,
        // A capital letter with a one-letter lowercase (as `to_lowercase` says; a compact table).
        _ => crate::lowercase::lower(c),
    };
    match t2s {
        Some(table) if !c.is_ascii() => table.get(&c).copied().unwrap_or(c),
        _ => c,
    }
}

/// Folds a whole string; see [`fold_char`].
pub fn fold(s: &str, t2s: Option<&T2s>) -> String {
    s.chars().map(|c| fold_char(c, t2s)).collect()
}

/// Whether a folded character belongs to a searchable run (letter, digit or ideograph).
#[inline]
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Whether a character is a CJK ideograph (the ranges Chinese text uses).
#[inline]
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2EBEF | 0x30000..=0x3134F)
}

/// Splits already folded characters into runs of word characters, yielding
/// `(start position, chars)` for each run. Positions count characters.
pub fn segments(folded: &str) -> impl Iterator<Item = (usize, Vec<char>)> + '_ {
    let mut chars = folded.chars().enumerate().peekable();
    std::iter::from_fn(move || {
        while let Some(&(_, c)) = chars.peek() {
            if is_word_char(c) {
                break;
            }
            chars.next();
        }
        let (start, _) = *chars.peek()?;
        let mut run = Vec::new();
        while let Some(&(_, c)) = chars.peek() {
            if !is_word_char(c) {
                break;
            }
            run.push(c);
            chars.next();
        }
        Some((start, run))
    })
}

/// Parses a number written in Chinese numerals (`一百二十二`, `十四`, `一百零二`, `两`) or digits
/// (`122`). Returns `None` for anything else or for values above 99 999.
///
/// ```
/// use powerlist::text::parse_number;
/// assert_eq!(parse_number("一百二十二"), Some(122));
/// assert_eq!(parse_number("十四"), Some(14));
/// assert_eq!(parse_number("一百零二"), Some(102));
/// assert_eq!(parse_number("122"), Some(122));
/// assert_eq!(parse_number("百百"), None);
/// ```
pub fn parse_number(s: &str) -> Option<u32> {
    if s.is_empty() || s.chars().count() > 12 {
        return None;
    }
    if s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse::<u32>().ok().filter(|&n| n <= 99_999);
    }
    let mut total: u32 = 0;
    let mut digit: Option<u32> = None;
    let mut last_unit = u32::MAX;
    for c in s.chars() {
        let d = match c {
            '零' | '〇' => Some(0),
            '一' => Some(1),
            '二' | '两' => Some(2),
            '三' => Some(3),
            '四' => Some(4),
            '五' => Some(5),
            '六' => Some(6),
            '七' => Some(7),
            '八' => Some(8),
            '九' => Some(9),
            _ => None,
        };
        if let Some(d) = d {
            if digit.is_some() && d != 0 {
                // Two digits in a row without a unit ("一二") is not a numeral we accept,
                // except after 零 (which only marks a gap).
                if digit != Some(0) {
                    return None;
                }
            }
            digit = Some(d);
            continue;
        }
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            '万' => 10_000,
            _ => return None,
        };
        if unit >= last_unit {
            return None;
        }
        last_unit = unit;
        let d = match digit.take() {
            Some(0) => return None,
            Some(d) => d,
            None if unit == 10 && total == 0 => 1,
            None => return None,
        };
        total += d * unit;
    }
    if let Some(d) = digit {
        total += d;
    }
    Some(total).filter(|&n| n > 0 || s == "零" || s == "〇")
}

/// Writes a number in Chinese numerals as laws number their articles (`122` → `一百二十二`).
///
/// ```
/// use powerlist::text::chinese_number;
/// assert_eq!(chinese_number(122), "一百二十二");
/// assert_eq!(chinese_number(14), "十四");
/// assert_eq!(chinese_number(102), "一百零二");
/// assert_eq!(chinese_number(110), "一百一十");
/// ```
pub fn chinese_number(n: u32) -> String {
    const D: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    if n == 0 {
        return "零".into();
    }
    if n >= 100_000 {
        return n.to_string();
    }
    let units = [(10_000, '万'), (1000, '千'), (100, '百'), (10, '十')];
    let mut out = String::new();
    let mut rest = n;
    let mut pending_zero = false;
    for (value, unit) in units {
        let d = rest / value;
        rest %= value;
        if d > 0 {
            if pending_zero {
                out.push('零');
                pending_zero = false;
            }
            if !(value == 10 && d == 1 && out.is_empty()) {
                out.push(D[d as usize]);
            }
            out.push(unit);
        } else if !out.is_empty() && rest > 0 {
            pending_zero = true;
        }
    }
    if rest > 0 {
        if pending_zero {
            out.push('零');
        }
        out.push(D[rest as usize]);
    }
    out
}

/// `s` with the first `max` occurrences of `pat` (left to right, not overlapping) replaced by
/// `with`, as `str::replacen` does (an empty `pat` replaces nothing). A plain scan: a string pattern would bring the standard
/// library's two-way searcher and its slicing-panic messages into the browser's module
/// (about 4 KB) for queries and law titles of a few dozen characters.
///
/// ```
/// use powerlist::text::replace_str;
/// assert_eq!(replace_str("治安管理处罚法", "管理", "", 1), "治安处罚法");
/// assert_eq!(replace_str("我想问一下我想问", "我想问", " ", usize::MAX), " 一下 ");
/// ```
pub fn replace_str(s: &str, pat: &str, with: &str, max: usize) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    let mut n = 0;
    while n < max && !pat.is_empty() && !rest.is_empty() {
        if let Some(after) = rest.strip_prefix(pat) {
            out.push_str(with);
            rest = after;
            n += 1;
        } else {
            let mut chars = rest.chars();
            out.extend(chars.next());
            rest = chars.as_str();
        }
    }
    out.push_str(rest);
    out
}

/// Where `needle` (not empty) first occurs in `hay`, as `str::find` finds it: a plain scan,
/// for the same reason as [`replace_str`] (no two-way searcher in the browser's module).
pub fn find_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let (&first, _) = needle.split_first()?;
    let last = hay.len().checked_sub(needle.len())?;
    (0..=last).find(|&i| hay[i] == first && hay.get(i..i + needle.len()) == Some(needle))
}

/// Whether `pat` occurs in `s`, as `str::contains` with a string does (by [`find_bytes`]: a
/// UTF-8 string occurs in another only at a character boundary).
///
/// ```
/// use powerlist::text::contains_str;
/// assert!(contains_str("开面馆要办哪些证", "哪些证"));
/// assert!(!contains_str("开面馆", "办证"));
/// assert!(contains_str("任何", ""));
/// ```
pub fn contains_str(s: &str, pat: &str) -> bool {
    pat.is_empty() || find_bytes(s.as_bytes(), pat.as_bytes()).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_bytes_finds_as_str_find() {
        let hay = "《中华人民共和国食品安全法》第一百二十二条，食品安全法 abcab";
        for needle in [
            "食品安全法",
            "中华人民共和国食品安全法",
            "abcab",
            "cab",
            "第",
            "b",
            "x",
            "安全法》第一",
        ] {
            assert_eq!(
                find_bytes(hay.as_bytes(), needle.as_bytes()),
                hay.find(needle),
                "{needle}"
            );
        }
        assert_eq!(find_bytes(b"ab", b"abc"), None);
        assert_eq!(find_bytes(b"ab", b""), None);
    }

    #[test]
    fn numerals_as_laws_write_them() {
        let cases = [
            (1, "一"),
            (10, "十"),
            (14, "十四"),
            (20, "二十"),
            (27, "二十七"),
            (100, "一百"),
            (101, "一百零一"),
            (110, "一百一十"),
            (122, "一百二十二"),
            (1001, "一千零一"),
            (1010, "一千零一十"),
        ];
        for (n, s) in cases {
            assert_eq!(chinese_number(n), s, "{n}");
        }
    }

    #[test]
    fn numerals_round_trip() {
        for n in 1..=2000 {
            assert_eq!(
                parse_number(&chinese_number(n)),
                Some(n),
                "{n} {}",
                chinese_number(n)
            );
        }
    }

    #[test]
    fn fold_is_one_to_one() {
        let s = "ＡＢＣ食品安全法第１２２条İ";
        assert_eq!(fold(s, None).chars().count(), s.chars().count());
    }

    #[test]
    fn t2s_finds_keys_inside_and_outside_the_blocks_its_bits_cover() {
        let mut t = T2s::default();
        assert_eq!(t.get(&'攤'), None); // empty: no bits at all
        t.insert('\u{3400}', 'a');
        t.insert('\u{9FFF}', 'b');
        t.insert('\u{F900}', '豈'); // a compatibility ideograph, beyond the bits
        assert_eq!(t.get(&'\u{3400}'), Some(&'a'));
        assert_eq!(t.get(&'\u{9FFF}'), Some(&'b'));
        assert_eq!(t.get(&'\u{F900}'), Some(&'豈'));
        assert_eq!(t.get(&'\u{3401}'), None);
        assert_eq!(t.get(&'A'), None);
        let copy: T2s = t.iter().map(|(&a, &b)| (a, b)).collect();
        assert_eq!(copy.get(&'\u{F900}'), Some(&'豈'));
    }

    #[test]
    fn fold_uses_t2s() {
        let mut t = T2s::default();
        t.insert('攤', '摊');
        assert_eq!(fold("擺攤", Some(&t)), "擺摊");
    }

    #[test]
    fn segments_split_on_punctuation() {
        let segs: Vec<_> = segments("对（一）项 abc").collect();
        assert_eq!(
            segs.iter().map(|s| s.0).collect::<Vec<_>>(),
            vec![0, 2, 4, 6]
        );
    }

    #[test]
    fn replace_str_is_replacen() {
        for (s, pat) in [
            ("aaaa", "aa"),
            ("我想问一下我想问", "我想问"),
            ("abcabc", "c"),
            ("", "x"),
            ("治安管理处罚法", "管理"),
        ] {
            for max in [0, 1, 2, usize::MAX] {
                let want = s.replacen(pat, "-", max);
                assert_eq!(replace_str(s, pat, "-", max), want, "{s} {pat} {max}");
            }
        }
    }
}
