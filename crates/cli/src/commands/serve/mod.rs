//! `powerlist serve`: the web app's static file server, on hyper, axum and tower-http (tokio,
//! one thread). GET and HEAD; `FILE.br` / `FILE.gz` (written by `powerlist compress`) for
//! clients that accept them; strong ETags from the bytes sent and 304s; `Cache-Control` by name;
//! ranges; CORS when asked (`--cors`); security headers on every answer ([`security_headers`]:
//! `Content-Security-Policy` with `frame-ancestors` of `--frame-ancestors`, `Referrer-Policy`,
//! `X-Content-Type-Options`). What it answers is in [`site`]; the rules it answers by (types,
//! caching, paths, encodings) are in [`rules`]; the ETags in [`etag`].
//!
//! Bounded: at most [`MAX_CONNECTIONS`] connections at once (the next waits in the kernel's
//! queue), each given [`HEADER_TIMEOUT`] to send a request's headers (and, idle, the next one:
//! a deadline, not reset by each byte, so a client trickling bytes is closed all the same);
//! at most [`MAX_BLOCKING_THREADS`] threads besides the main one; files are streamed, never
//! read whole. So clients that hold every place without sending a request make the next one
//! wait up to [`HEADER_TIMEOUT`] (`tests/serve.rs` measures it under load).

mod etag;
mod rules;
mod site;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::http::header::{CONTENT_LENGTH, CONTENT_RANGE, ETAG};
use axum::http::header::{CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS};
use axum::http::header::{IF_MODIFIED_SINCE, IF_NONE_MATCH, IF_RANGE, RANGE};
use axum::http::{HeaderValue, Method};
use axum::response::Response;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use powerlist::Error;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower_http::cors::{AllowOrigin, Any, CorsLayer};

use crate::io::outln;

/// Connections served at once; more wait to be accepted.
const MAX_CONNECTIONS: usize = 256;
/// How long a client has to send a request's headers, and an idle connection its next request.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Threads for the file system's blocking calls (opening, hashing, reading files): tokio's
/// default is 512, one per file being read at once; a few are enough for a static site and
/// keep the process small under load.
const MAX_BLOCKING_THREADS: usize = 4;

/// Serves `dir` on `addr` until the process is stopped. `cors`: the origins allowed to read
/// the files from their pages (`*` for any); none, no CORS headers. `frame_ancestors`: the
/// origins allowed to show the pages in a frame (`*` for any); none, this site's own.
pub fn run(
    dir: &Path,
    addr: &str,
    cors: &[String],
    frame_ancestors: &[String],
) -> Result<(), Error> {
    let site = site::Site::open(dir)?;
    let mut app = Router::new()
        .fallback(site::handle)
        .with_state(Arc::new(site));
    if let Some(layer) = cors_layer(cors)? {
        app = app.layer(layer);
    }
    let csp = content_security_policy(frame_ancestors)?;
    // Outermost, so CORS preflights get the headers too.
    app = app.layer(axum::middleware::map_response(move |res: Response| {
        let csp = csp.clone();
        async move { security_headers(res, csp) }
    }));
    let cannot_listen = |e: std::io::Error| Error::Io {
        path: addr.to_string(),
        kind: e.kind(),
        message: format!("cannot listen: {e}"),
    };
    let listener = std::net::TcpListener::bind(addr).map_err(cannot_listen)?;
    listener.set_nonblocking(true).map_err(cannot_listen)?;
    let local = listener.local_addr().map_err(cannot_listen)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .max_blocking_threads(MAX_BLOCKING_THREADS)
        .build()
        .map_err(cannot_listen)?;
    runtime.block_on(async move {
        let listener = TcpListener::from_std(listener).map_err(cannot_listen)?;
        outln!(
            "serving {} on http://{local}/ (Ctrl-C to stop)",
            dir.display()
        );
        accept(listener, app, limits()).await;
        Ok(())
    })
}

/// The connection limit and header timeout; the tests make them small
/// (`POWERLIST_TEST_MAX_CONNECTIONS`, `POWERLIST_TEST_HEADER_TIMEOUT_MS`).
fn limits() -> (usize, Duration) {
    let var = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    let connections = var("POWERLIST_TEST_MAX_CONNECTIONS")
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(MAX_CONNECTIONS);
    let timeout =
        var("POWERLIST_TEST_HEADER_TIMEOUT_MS").map_or(HEADER_TIMEOUT, Duration::from_millis);
    (connections, timeout)
}

/// Accepts connections while fewer than `max` are open, each served (HTTP/1.1, keep-alive) on
/// its own task.
async fn accept(listener: TcpListener, app: Router, (max, header_timeout): (usize, Duration)) {
    let permits = Arc::new(Semaphore::new(max));
    loop {
        let Ok(permit) = Arc::clone(&permits).acquire_owned().await else {
            return; // The semaphore is never closed.
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors, a connection reset before it was accepted: wait a little.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let service = TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            // The header names as the old server wrote them (Content-Type, Cache-Control, …).
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .title_case_headers(true)
                .serve_connection(TokioIo::new(stream), service)
                .await;
            drop(permit);
        });
    }
}

/// The CORS layer of `--cors` (none without it): GET and HEAD from the origins given, or any
/// with `*`; ETag, Content-Length and Content-Range readable by the page; preflights answered.
fn cors_layer(origins: &[String]) -> Result<Option<CorsLayer>, Error> {
    if origins.is_empty() {
        return Ok(None);
    }
    let layer = CorsLayer::new()
        .allow_methods([Method::GET, Method::HEAD])
        .allow_headers([RANGE, IF_NONE_MATCH, IF_MODIFIED_SINCE, IF_RANGE])
        .expose_headers([ETAG, CONTENT_LENGTH, CONTENT_RANGE])
        .max_age(Duration::from_secs(7200));
    if origins.iter().any(|o| o == "*") {
        if origins.len() > 1 {
            return Err(Error::Request(
                "--cors '*' allows every origin: give it alone".into(),
            ));
        }
        return Ok(Some(layer.allow_origin(Any)));
    }
    let values = origins
        .iter()
        .map(|o| origin("--cors", o).map_err(Error::Request))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(layer.allow_origin(AllowOrigin::list(values))))
}

/// The `Content-Security-Policy` header: what a page's `<meta>` policy cannot say
/// (`frame-ancestors`), and `object-src 'none'; base-uri 'none'` again (the pages' own policies
/// say the same). `frame-ancestors` lists `--frame-ancestors` (origins, `'self'`, or `*` or
/// `'none'` alone), `'self'` without it.
fn content_security_policy(frame_ancestors: &[String]) -> Result<HeaderValue, Error> {
    let alone = ["*", "'none'"];
    if let Some(a) = frame_ancestors.iter().find(|a| alone.contains(&a.as_str())) {
        if frame_ancestors.len() > 1 {
            return Err(Error::Request(format!(
                "--frame-ancestors {a} cannot be combined with other values: give it alone"
            )));
        }
    }
    let mut sources = Vec::new();
    for a in frame_ancestors {
        if alone.contains(&a.as_str()) || a == "'self'" {
            sources.push(a.as_str());
        } else {
            origin("--frame-ancestors", a).map_err(|e| {
                Error::Request(format!("{e}, or 'self' or 'none' (with the quotes)"))
            })?;
            sources.push(a);
        }
    }
    if sources.is_empty() {
        sources.push("'self'");
    }
    let policy = format!(
        "frame-ancestors {}; object-src 'none'; base-uri 'none'",
        sources.join(" ")
    );
    HeaderValue::from_str(&policy).map_err(|e| Error::Request(format!("--frame-ancestors: {e}")))
}

/// The headers every answer carries: `csp` (see [`content_security_policy`]), no `Referer` to
/// the sites the pages link to, and no guessing of types (`nosniff`).
fn security_headers(mut res: Response, csp: HeaderValue) -> Response {
    let h = res.headers_mut();
    h.insert(CONTENT_SECURITY_POLICY, csp);
    h.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    res
}

/// An origin as browsers send it (`https://example.org`, `http://localhost:8080`): a scheme
/// and a host, no path, not even `/`. The error names `flag`, for its message.
fn origin(flag: &str, o: &str) -> Result<HeaderValue, String> {
    let host = o
        .strip_prefix("https://")
        .or_else(|| o.strip_prefix("http://"))
        .unwrap_or("");
    let valid = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b));
    match HeaderValue::from_str(o) {
        Ok(v) if valid => Ok(v),
        _ => Err(format!(
            "{flag} {o}: not an origin; give scheme://host[:port] without a path, \
             like https://example.org, or '*'"
        )),
    }
}
