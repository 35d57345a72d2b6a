//! The rules the server answers by, as plain functions: which paths it serves, the type of a
//! file, how long a client may keep it, which encodings a client accepts, whether an ETag
//! matches.

/// `Cache-Control` of a file whose name carries a content hash: it never changes.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `Cache-Control` of everything else: keep it, but ask (a 304 is cheap) before using it.
pub const REVALIDATE: &str = "no-cache";

/// The `Content-Type` of a file by its name (of the file itself, not of a `.br`/`.gz` sent
/// for it).
pub fn mime(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "webmanifest" | "map" => "application/json; charset=utf-8",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" | "md" | "ts" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// `Cache-Control` by name: [`IMMUTABLE`] when a dot-separated part of the name is a content
/// hash (16 or more hex digits, `core.3fa2b1c4d5e6f708.bin`), else [`REVALIDATE`].
pub fn cache_control(name: &str) -> &'static str {
    let hashed = name
        .split('.')
        .any(|part| part.len() >= 16 && part.bytes().all(|b| b.is_ascii_hexdigit()));
    if hashed {
        IMMUTABLE
    } else {
        REVALIDATE
    }
}

/// The decoded segments of a request path, or `None` for a path the server refuses: a
/// segment that starts with a dot (`..`, `.`, dotfiles, `.git/`), holds a slash, backslash or
/// NUL once decoded, or is not UTF-8 / well-formed percent-encoding.
pub fn segments(path: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for raw in path.split('/').filter(|s| !s.is_empty()) {
        let segment = percent_decode(raw)?;
        if segment.starts_with('.') || segment.contains(['/', '\\', '\0']) {
            return None;
        }
        out.push(segment);
    }
    Some(out)
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Whether an `Accept-Encoding` value accepts `coding` (`br`, `gzip`): listed with a q above
/// 0, or not listed while `*` is (RFC 9110 §12.5.3).
pub fn accepts(accept_encoding: &str, coding: &str) -> bool {
    let mut star = None;
    for item in accept_encoding.split(',') {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or("").trim();
        let q = parts
            .find_map(|p| {
                let (k, v) = p.split_once('=')?;
                k.trim().eq_ignore_ascii_case("q").then(|| v.trim())
            })
            .map_or(1.0, |v| v.parse::<f32>().unwrap_or(0.0));
        if name.eq_ignore_ascii_case(coding) {
            return q > 0.0;
        }
        if name == "*" {
            star = Some(q > 0.0);
        }
    }
    star.unwrap_or(false)
}

/// Whether an `If-None-Match` value names `etag` (or is `*`): the weak comparison of
/// RFC 9110 §13.1.2, which ignores `W/`.
pub fn none_match_hits(if_none_match: &str, etag: &str) -> bool {
    tags(if_none_match).any(|t| t == "*" || t.trim_start_matches("W/") == etag)
}

/// Whether an `If-Match` value names `etag` (or is `*`): the strong comparison, so a weak tag
/// never matches.
pub fn match_hits(if_match: &str, etag: &str) -> bool {
    tags(if_match).any(|t| t == "*" || t == etag)
}

fn tags(list: &str) -> impl Iterator<Item = &str> {
    list.split(',').map(str::trim).filter(|t| !t.is_empty())
}

/// The path rules under arbitrary input: never a panic, never a path that leaves the root.
/// (A cargo-fuzz target cannot call into a binary crate, so a proptest does the fuzzing here;
/// `tests/serve.rs` sends the nastiest of these to a running server.)
#[cfg(test)]
mod tests {
    use std::path::{Component, PathBuf};

    use proptest::prelude::*;

    use super::segments;

    /// What a request path may become: relative, only plain names, none starting with a dot,
    /// none holding a separator, a backslash or NUL.
    fn assert_safe(path: &str) {
        let Some(segs) = segments(path) else { return };
        for s in &segs {
            assert!(
                !s.is_empty() && !s.starts_with('.') && !s.contains(['/', '\\', '\0']),
                "{path:?} → {s:?}"
            );
        }
        let joined: PathBuf = segs.iter().collect();
        assert!(joined.is_relative(), "{path:?} → {joined:?}");
        assert!(
            joined
                .components()
                .all(|c| matches!(c, Component::Normal(_))),
            "{path:?} → {joined:?}"
        );
        assert_eq!(joined.components().count(), segs.len(), "{path:?}");
    }

    /// Every byte percent-encoded, as a client may send it.
    fn encoded(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("%{b:02x}")).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        #[test]
        fn any_text_is_refused_or_safe(path in ".*") {
            assert_safe(&path);
        }

        #[test]
        fn paths_of_dots_slashes_and_escapes_are_refused_or_safe(
            path in "[./\\\\%a-f0-9A-F\\x00]{0,24}"
        ) {
            assert_safe(&path);
        }

        #[test]
        fn any_bytes_percent_encoded_are_refused_or_safe(
            parts in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..8), 0..6)
        ) {
            let path: String = parts.iter().map(|p| format!("/{}", encoded(p))).collect();
            assert_safe(&path);
            // Decoded back: what the client meant, segment by segment, when accepted.
            if let Some(segs) = segments(&path) {
                let meant: Vec<&[u8]> =
                    parts.iter().filter(|p| !p.is_empty()).map(Vec::as_slice).collect();
                let got: Vec<&[u8]> = segs.iter().map(|s| s.as_bytes()).collect();
                prop_assert_eq!(got, meant);
            }
        }
    }

    #[test]
    fn nasty_paths_are_refused() {
        for path in [
            "/..",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2e%2fetc%2fpasswd",
            "/a%2f..%2f..%2fetc",
            "/a%5c..%5c..%5cwindows",
            "/..%5c..%5cetc",
            "/%c0%ae%c0%ae/etc/passwd", // overlong UTF-8 for '.'
            "/%e0%80%ae%e0%80%ae/x",    // three-byte overlong '.'
            "/%c0%af",                  // overlong '/'
            "/index.html%00.png",
            "/a%00",
            "/.git/config",
            "/.%2e",
            "/%2e",
            "/%",
            "/%2",
            "/%zz",
            "/%ff",
            "/a\\..\\b",
        ] {
            assert_eq!(segments(path), None, "{path}");
        }
    }

    #[test]
    fn plain_paths_are_decoded() {
        let ok = |p: &str| segments(p).unwrap_or_default();
        assert_eq!(ok("/"), Vec::<String>::new());
        assert_eq!(ok("//a//b/"), ["a", "b"]);
        assert_eq!(ok("/a%20b/c.js"), ["a b", "c.js"]);
        assert_eq!(ok("/%E5%B8%82.txt"), ["市.txt"]);
        assert_eq!(ok("/a..b/c."), ["a..b", "c."]);
    }
}
