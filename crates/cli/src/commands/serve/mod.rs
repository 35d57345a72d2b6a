//! `powerlist serve`: the web app's static file server, on hyper, axum and tower-http (tokio,
//! one thread). GET and HEAD; `FILE.br` / `FILE.gz` (written by `powerlist compress`) for
//! clients that accept them; strong ETags from the bytes sent and 304s; `Cache-Control` by name;
//! ranges; CORS when asked (`--cors`). What it answers is in [`site`]; the rules it answers by
//! (types, caching, paths, encodings) are in [`rules`]; the ETags in [`etag`].
//!
//! Bounded: at most [`MAX_CONNECTIONS`] connections at once (the next waits in the kernel's
//! queue), each given [`HEADER_TIMEOUT`] to send a request's headers (and, idle, the next one);
//! files are streamed, never read whole.

mod etag;
mod rules;
mod site;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::http::header::{CONTENT_LENGTH, CONTENT_RANGE, ETAG};
use axum::http::header::{IF_MODIFIED_SINCE, IF_NONE_MATCH, IF_RANGE, RANGE};
use axum::http::{HeaderValue, Method};
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

/// Serves `dir` on `addr` until the process is stopped. `cors`: the origins allowed to read
/// the files from their pages (`*` for any); none, no CORS headers.
pub fn run(dir: &Path, addr: &str, cors: &[String]) -> Result<(), Error> {
    let site = site::Site::open(dir)?;
    let mut app = Router::new()
        .fallback(site::handle)
        .with_state(Arc::new(site));
    if let Some(layer) = cors_layer(cors)? {
        app = app.layer(layer);
    }
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
        .map(|o| origin(o))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(layer.allow_origin(AllowOrigin::list(values))))
}

/// An origin as browsers send it (`https://example.org`, `http://localhost:8080`): a scheme
/// and a host, no path, not even `/`.
fn origin(o: &str) -> Result<HeaderValue, Error> {
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
        _ => Err(Error::Request(format!(
            "--cors {o}: not an origin; give scheme://host[:port] without a path, \
             like https://example.org, or '*'"
        ))),
    }
}
