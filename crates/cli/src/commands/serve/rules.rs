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
