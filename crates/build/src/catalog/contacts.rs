//! Checking contact cells — phones, web addresses, lengths — for the bodies table and the
//! items' own 咨询电话, 监督电话 and 办理地点.

/// The longest body name, in characters.
pub(super) const MAX_NAME: usize = 100;
/// The longest phone cell, in characters (several numbers included).
pub(super) const MAX_PHONE: usize = 64;
/// The longest address, office hours or place, in characters.
pub(super) const MAX_TEXT: usize = 200;
/// The longest web address, in characters.
pub(super) const MAX_URL: usize = 500;

/// What a phone cell must look like, for messages.
const PHONE_HINT: &str = "write a Chinese phone number such as 0523-86000000, 13812345678 or 12345 (digits, '-' and spaces, an extension after 转; several numbers separated by 、)";

/// `None` when `cell` is one or more plausible Chinese phone numbers, else the message saying
/// what is wrong and the fix (`what`: the column, for the message).
pub(super) fn phone_problem(cell: &str, what: &str) -> Option<String> {
    if let Some(m) = too_long(cell, MAX_PHONE, what) {
        return Some(m);
    }
    let bad = cell
        .split(['、', '；', ';', '/', '，', ','])
        .map(str::trim)
        .find(|p| !plausible_phone(p))?;
    Some(format!(
        "{what} \"{bad}\" is not a phone number; {PHONE_HINT}"
    ))
}

/// One number: a 12xxx hotline, a mobile (1[3-9] and 9 more digits), a 400/800 number, a
/// landline with its area code (0 then 9 to 11 digits) or without (7 or 8 digits); an
/// extension (1 to 6 digits) after 转.
fn plausible_phone(p: &str) -> bool {
    let (main, ext) = match p.split_once('转') {
        Some((m, e)) => (m, Some(e.trim())),
        None => (p, None),
    };
    if ext.is_some_and(|e| e.is_empty() || e.len() > 6 || !e.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    let main = main.trim();
    if main.is_empty()
        || main.starts_with('-')
        || main.ends_with('-')
        || !main
            .chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == ' ')
    {
        return false;
    }
    let d: String = main.chars().filter(char::is_ascii_digit).collect();
    let b = d.as_bytes();
    match b.len() {
        5 => b.starts_with(b"12"),
        7 | 8 => !matches!(b[0], b'0' | b'1'),
        10 => b.starts_with(b"400") || b.starts_with(b"800") || b[0] == b'0',
        11 => (b[0] == b'1' && (b'3'..=b'9').contains(&b[1])) || b[0] == b'0',
        12 => b[0] == b'0',
        _ => false,
    }
}

/// `None` when `cell` is an `http://` or `https://` address with a host and no spaces.
pub(super) fn url_problem(cell: &str) -> Option<String> {
    if let Some(m) = too_long(cell, MAX_URL, "the web address (网址)") {
        return Some(m);
    }
    let lower = cell.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or(""));
    let ok = host.is_some_and(|h| !h.is_empty())
        && !cell.chars().any(|c| c.is_whitespace() || c.is_control())
        && !cell.contains(['"', '<', '>', '\\']);
    (!ok).then(|| {
        format!(
            "the web address (网址) \"{cell}\" is not an http:// or https:// address; write the whole address, e.g. https://www.example.gov.cn/"
        )
    })
}

/// `None` when `cell` has at most `max` characters, else the message (`what`: the column).
pub(super) fn too_long(cell: &str, max: usize, what: &str) -> Option<String> {
    let n = cell.chars().count();
    (n > max).then(|| {
        format!("{what} is {n} characters long; at most {max} are allowed: shorten it (is it the right column?)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones() {
        for ok in [
            "12345",
            "0523-86000000",
            "0523 8600 0000",
            "010-12345678",
            "13812345678",
            "138 1234 5678",
            "86000000",
            "400-800-1234",
            "0523-86000000转123",
            "0523-86000000、12345",
        ] {
            assert_eq!(phone_problem(ok, "phone"), None, "{ok}");
        }
        for bad in [
            "123",
            "abc",
            "+86 13812345678",
            "0523-8600000x",
            "23456",
            "0523-86000000转",
            "12812345678",
            "-12345",
            "1234567890123",
        ] {
            assert!(phone_problem(bad, "phone").is_some(), "{bad}");
        }
    }

    #[test]
    fn urls() {
        assert_eq!(url_problem("https://www.taizhou.gov.cn/"), None);
        assert_eq!(url_problem("http://example.cn/a?b=1"), None);
        for bad in [
            "javascript:alert(1)",
            "www.example.cn",
            "https://",
            "ftp://x.cn",
            "https://a b.cn",
        ] {
            assert!(url_problem(bad).is_some(), "{bad}");
        }
    }
}
