//! What the server answers: a request's path → a file under the root (or a refusal), the
//! representation to send (`FILE.br`, `FILE.gz` or the file) and its ETag; then 304 or 412
//! from the conditional headers, or tower-http's `ServeFile` for the bytes (HEAD, ranges,
//! streaming, `Last-Modified`) with this server's headers on top.

use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use powerlist::Error;
use tower_http::services::ServeFile;

use super::etag::Etags;
use super::rules;

/// The directory served: its canonical path, and the ETags of its files.
pub struct Site {
    root: PathBuf,
    etags: Etags,
}

/// The precompressed variants, best first: the coding, the file's extension, the ETag's suffix.
const VARIANTS: [(&str, &str, &str); 2] = [("br", ".br", "-br"), ("gzip", ".gz", "-gz")];

/// The representation chosen for a request.
struct Chosen {
    /// The file whose bytes are sent: the one asked for, or its `.br` / `.gz`.
    path: PathBuf,
    /// `Content-Encoding`, for a `.br` / `.gz`.
    encoding: Option<&'static str>,
    /// Of the file asked for, by its name.
    mime: &'static str,
    cache_control: &'static str,
    etag: HeaderValue,
}

impl Site {
    /// The site of a directory, which must exist.
    pub fn open(dir: &Path) -> Result<Site, Error> {
        if !dir.is_dir() {
            return Err(Error::Io {
                path: dir.display().to_string(),
                kind: std::io::ErrorKind::NotADirectory,
                message: "not a directory; pass --dir www".into(),
            });
        }
        let root = dir
            .canonicalize()
            .map_err(|e| Error::io(dir.display(), &e))?;
        Ok(Site {
            root,
            etags: Etags::default(),
        })
    }

    /// The file a request's path names (a directory: its index.html) and the name it is asked
    /// by, if it is a regular file inside the root once symlinks are resolved, and no part of
    /// its real path under the root starts with a dot.
    fn locate(&self, segments: &[String]) -> Option<(PathBuf, String)> {
        let mut path = self.root.clone();
        path.extend(segments);
        let mut real = path.canonicalize().ok()?;
        let mut name = segments.last().cloned().unwrap_or_default();
        if real.is_dir() {
            real = real.join("index.html").canonicalize().ok()?;
            name = "index.html".into();
        }
        let file = self.inside(&real) && fs::metadata(&real).ok()?.is_file();
        file.then_some((real, name))
    }

    fn inside(&self, real: &Path) -> bool {
        real.strip_prefix(&self.root).is_ok_and(|rel| {
            rel.components()
                .all(|c| matches!(c, Component::Normal(n) if !n.to_string_lossy().starts_with('.')))
        })
    }

    /// `file` + `ext` if it is a non-empty regular file inside the root, newer than `file` (an
    /// older one was compressed from a previous version of it).
    fn variant(&self, file: &Path, modified: SystemTime, ext: &str) -> Option<PathBuf> {
        let mut name = file.as_os_str().to_owned();
        name.push(ext);
        let real = PathBuf::from(name).canonicalize().ok()?;
        let meta = fs::metadata(&real).ok()?;
        let fresh = meta.is_file() && meta.len() > 0 && meta.modified().ok()? > modified;
        (fresh && self.inside(&real)).then_some(real)
    }

    /// What to send for a request's path: the best variant the client accepts (`br`, then
    /// `gzip`, then the file itself). Reads the file for its ETag when it is new or changed.
    fn choose(&self, segments: &[String], accept_encoding: &str) -> Option<Chosen> {
        let (file, name) = self.locate(segments)?;
        let modified = fs::metadata(&file).and_then(|m| m.modified()).ok();
        let variant = VARIANTS
            .iter()
            .filter(|(coding, _, _)| rules::accepts(accept_encoding, coding))
            .find_map(|&(coding, ext, suffix)| {
                let path = self.variant(&file, modified?, ext)?;
                Some((path, Some(coding), suffix))
            });
        let (path, encoding, suffix) = variant.unwrap_or((file, None, ""));
        let etag = self.etags.of(&path, suffix).ok()?;
        Some(Chosen {
            path,
            encoding,
            mime: rules::mime(&name),
            cache_control: rules::cache_control(&name),
            etag: HeaderValue::from_str(&etag).ok()?,
        })
    }
}

/// Answers a request: GET and HEAD of the files under the root, 404 for anything else there,
/// 405 for other methods.
pub async fn handle(State(site): State<Arc<Site>>, req: Request) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut res = plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n");
        res.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return res;
    }
    let Some(segments) = rules::segments(req.uri().path()) else {
        return plain(StatusCode::NOT_FOUND, "not found\n");
    };
    let accept_encoding = joined(req.headers(), &header::ACCEPT_ENCODING);
    let chosen =
        tokio::task::spawn_blocking(move || site.choose(&segments, &accept_encoding)).await;
    match chosen {
        Ok(Some(chosen)) => send(&chosen, req).await,
        Ok(None) => plain(StatusCode::NOT_FOUND, "not found\n"),
        Err(_) => plain(StatusCode::INTERNAL_SERVER_ERROR, "internal error\n"),
    }
}

/// 304 when `If-None-Match` names the ETag, 412 when `If-Match` does not; else the bytes, all
/// or the range asked for (ignored when `If-Range` is not the ETag).
async fn send(chosen: &Chosen, req: Request) -> Response {
    let (mut parts, _) = req.into_parts();
    let etag = chosen.etag.to_str().unwrap_or_default();
    let h = &mut parts.headers;
    if h.contains_key(header::IF_NONE_MATCH) {
        if rules::none_match_hits(&joined(h, &header::IF_NONE_MATCH), etag) {
            return decorate(empty(StatusCode::NOT_MODIFIED), chosen);
        }
        // RFC 9110 §13.2.2: If-Modified-Since is ignored when If-None-Match is sent.
        h.remove(header::IF_MODIFIED_SINCE);
    }
    if h.contains_key(header::IF_MATCH) && !rules::match_hits(&joined(h, &header::IF_MATCH), etag) {
        return decorate(empty(StatusCode::PRECONDITION_FAILED), chosen);
    }
    if h.get(header::IF_RANGE).is_some_and(|v| v != chosen.etag) {
        h.remove(header::RANGE);
    }
    // Answered here: ServeFile would compare them with its own (metadata) ETag.
    for name in [header::IF_NONE_MATCH, header::IF_MATCH, header::IF_RANGE] {
        h.remove(name);
    }
    let req = Request::from_parts(parts, Body::empty());
    match ServeFile::new(&chosen.path).try_call(req).await {
        Ok(res) => decorate(res.map(Body::new), chosen),
        Err(_) => plain(StatusCode::NOT_FOUND, "not found\n"),
    }
}

/// This server's headers on a file's response: its ETag (on 200, 206, 304), type and encoding
/// (on 200, 206), caching, `Vary: Accept-Encoding` (the security headers are added to every
/// answer on the way out: `super::security_headers`).
fn decorate(mut res: Response, chosen: &Chosen) -> Response {
    let status = res.status();
    let sent = matches!(status, StatusCode::OK | StatusCode::PARTIAL_CONTENT);
    let h = res.headers_mut();
    if sent || status == StatusCode::NOT_MODIFIED {
        h.insert(header::ETAG, chosen.etag.clone());
    } else {
        h.remove(header::ETAG);
    }
    if sent {
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(chosen.mime));
        if let Some(coding) = chosen.encoding {
            h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
        }
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(chosen.cache_control),
    );
    h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    res
}

fn empty(status: StatusCode) -> Response {
    let mut res = Response::new(Body::empty());
    *res.status_mut() = status;
    res
}

/// A short text answer (404, 405), never cached.
fn plain(status: StatusCode, text: &'static str) -> Response {
    let mut res = Response::new(Body::from(text));
    *res.status_mut() = status;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(rules::REVALIDATE),
    );
    res
}

/// All the values of a header, as one comma-separated list (values that are not text left out).
fn joined(headers: &HeaderMap, name: &HeaderName) -> String {
    let values: Vec<&str> = headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    values.join(", ")
}
