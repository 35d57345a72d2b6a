//! `powerlist serve`, run as a subprocess on a free port and spoken to over raw HTTP/1.1: files
//! and their types, precompressed variants, ETags and 304s, caching by name, CORS, security
//! headers, ranges, refused paths, symlinks and methods, the limits, a bounded load.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use crate::common::cli::run;
use crate::common::http::{exchange, parse, unbrotli, ungzip, Reply, Server};
use crate::common::repo;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Text that compresses well, `n` lines of it.
fn text(n: usize) -> String {
    (0..n)
        .map(|i| format!("export const item{i} = {{ code: 'CG-CF-{i:03}', name: '占道经营' }};\n"))
        .collect()
}

/// A site: pages, scripts, data of each type, a hashed name, a subfolder, dotfiles.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let write = |name: &str, bytes: &[u8]| {
        let path = p.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    };
    write("index.html", b"<h1>hi</h1>");
    write("app.js", text(80).as_bytes());
    write("sw.js", text(10).as_bytes());
    write("data.json", format!("[{}0]", "1,".repeat(500)).as_bytes());
    write("style.css", "p { color: red }\n".repeat(40).as_bytes());
    write(
        "favicon.svg",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let mut wasm = b"\0asm\x01\0\0\0".to_vec();
    wasm.extend(std::iter::repeat_n(7u8, 2000));
    write("m.wasm", &wasm);
    write("catalog.idx", &[1u8, 2, 3, 4].repeat(1000));
    write("core.3fa2b1c4d5e6f708.bin", &[9u8; 300]);
    write("core.3fa2b1c4d5e6f70.bin", &[9u8; 300]);
    write("notes.xyz", b"plain");
    write("sub/index.html", b"<h1>sub</h1>");
    write(".secret", b"password");
    write(".git/config", b"[core]");
    dir
}

fn compress(dir: &Path) {
    let o = run(&["compress", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn etag(r: &Reply) -> String {
    r.header("etag").expect("an ETag").to_string()
}

/// Rewrites a file after the clock moved on (file times are only as fine as the kernel's tick).
fn rewrite(path: &Path, bytes: &[u8]) {
    std::thread::sleep(Duration::from_millis(30));
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn serves_files_with_their_types_index_html_for_folders_and_404_for_missing_ones() {
    let dir = site();
    let s = Server::start(dir.path(), &[]);
    let index = s.get("/", &[]);
    assert_eq!((index.status, index.text().as_str()), (200, "<h1>hi</h1>"));
    assert_eq!(
        index.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    // The security header and caching of the old server, with its header names.
    assert!(index
        .headers
        .contains(&("X-Content-Type-Options".into(), "nosniff".into())));
    assert!(index
        .headers
        .contains(&("Cache-Control".into(), "no-cache".into())));
    assert_eq!(s.get("/sub/", &[]).text(), "<h1>sub</h1>");
    assert_eq!(s.get("/sub", &[]).text(), "<h1>sub</h1>");
    for (path, mime) in [
        ("/m.wasm?v=1", "application/wasm"),
        ("/app.js", "text/javascript; charset=utf-8"),
        ("/data.json", "application/json; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/favicon.svg", "image/svg+xml"),
        ("/catalog.idx", "application/octet-stream"),
        ("/notes.xyz", "application/octet-stream"),
    ] {
        let r = s.get(path, &[]);
        assert_eq!(
            (r.status, r.header("content-type")),
            (200, Some(mime)),
            "{path}"
        );
        let file = dir.path().join(path[1..].split('?').next().unwrap());
        assert_eq!(r.body, std::fs::read(file).unwrap(), "{path}");
        assert_eq!(
            r.header("content-length"),
            Some(r.body.len().to_string().as_str())
        );
    }
    let missing = s.get("/missing.js", &[]);
    assert_eq!(
        (missing.status, missing.text().as_str()),
        (404, "not found\n")
    );
    assert_eq!(missing.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(missing.header("etag"), None);
}

#[test]
fn sends_br_or_gzip_when_accepted_with_the_type_of_the_file() {
    let dir = site();
    compress(dir.path());
    let s = Server::start(dir.path(), &[]);
    for (path, mime) in [
        ("/app.js", "text/javascript; charset=utf-8"),
        ("/m.wasm", "application/wasm"),
        ("/catalog.idx", "application/octet-stream"),
    ] {
        let original = std::fs::read(dir.path().join(&path[1..])).unwrap();
        let br = s.get(path, &[("Accept-Encoding", "gzip, deflate, br")]);
        assert_eq!(br.header("content-encoding"), Some("br"), "{path}");
        assert_eq!(br.header("content-type"), Some(mime), "{path}");
        assert!(br.body.len() < original.len());
        assert_eq!(unbrotli(&br.body), original, "{path}");
        let gz = s.get(path, &[("Accept-Encoding", "gzip")]);
        assert_eq!(gz.header("content-encoding"), Some("gzip"), "{path}");
        assert_eq!(gz.header("content-type"), Some(mime), "{path}");
        assert_eq!(ungzip(&gz.body), original, "{path}");
        let plain = s.get(path, &[]);
        assert_eq!(plain.header("content-encoding"), None);
        assert_eq!(plain.body, original);
        for r in [&br, &gz, &plain] {
            assert_eq!(r.header("vary"), Some("Accept-Encoding"));
        }
    }
    let encoding = |accept: &str| {
        let r = s.get("/app.js", &[("Accept-Encoding", accept)]);
        r.header("content-encoding").map(str::to_string)
    };
    assert_eq!(encoding("br;q=0, gzip"), Some("gzip".into()));
    assert_eq!(encoding("BR;q=0.5"), Some("br".into()));
    assert_eq!(encoding("*"), Some("br".into()));
    assert_eq!(encoding("*, br;q=0"), Some("gzip".into()));
    assert_eq!(encoding("identity"), None);
    assert_eq!(encoding("gzip;q=0, br;q=0"), None);
    // Too small to compress: sent as it is.
    let small = s.get("/index.html", &[("Accept-Encoding", "br")]);
    assert_eq!(
        (small.header("content-encoding"), small.text().as_str()),
        (None, "<h1>hi</h1>")
    );
}

#[test]
fn a_variant_older_than_its_file_is_not_sent() {
    let dir = site();
    compress(dir.path());
    let s = Server::start(dir.path(), &[]);
    let newer = text(90);
    rewrite(&dir.path().join("app.js"), newer.as_bytes());
    let r = s.get("/app.js", &[("Accept-Encoding", "br, gzip")]);
    assert_eq!(
        (r.header("content-encoding"), r.text()),
        (None, newer.clone())
    );
    compress(dir.path());
    let r = s.get("/app.js", &[("Accept-Encoding", "br, gzip")]);
    assert_eq!(r.header("content-encoding"), Some("br"));
    assert_eq!(unbrotli(&r.body), newer.as_bytes());
}

#[test]
fn strong_etags_of_the_bytes_sent_give_304s_and_change_with_the_file() {
    let dir = site();
    compress(dir.path());
    let s = Server::start(dir.path(), &[]);
    let plain = s.get("/app.js", &[]);
    let br = s.get("/app.js", &[("Accept-Encoding", "br")]);
    let gz = s.get("/app.js", &[("Accept-Encoding", "gzip")]);
    let tags = [etag(&plain), etag(&br), etag(&gz)];
    for t in &tags {
        assert!(
            t.starts_with('"') && t.ends_with('"') && t.len() > 20,
            "strong: {t}"
        );
    }
    assert!(tags[0] != tags[1] && tags[1] != tags[2] && tags[0] != tags[2]);
    assert!(tags[1].ends_with("-br\"") && tags[2].ends_with("-gz\""));
    // The same bytes, the same tag: a restart does not change it.
    let again = Server::start(dir.path(), &[]);
    assert_eq!(etag(&again.get("/app.js", &[])), tags[0]);

    for method in ["GET", "HEAD"] {
        let hit = s.request(method, "/app.js", &[("If-None-Match", &tags[0])]);
        assert_eq!((hit.status, hit.body.len()), (304, 0), "{method}");
        assert_eq!(hit.header("etag"), Some(tags[0].as_str()));
        assert_eq!(hit.header("cache-control"), Some("no-cache"));
    }
    let list = format!("\"other\", W/{}", tags[1]);
    let weak = s.get(
        "/app.js",
        &[("If-None-Match", &list), ("Accept-Encoding", "br")],
    );
    assert_eq!(weak.status, 304, "the weak comparison");
    let other = s.get("/app.js", &[("If-None-Match", &tags[1])]);
    assert_eq!(
        other.status, 200,
        "the br tag does not match the plain file"
    );
    let failed = s.get("/app.js", &[("If-Match", "\"other\"")]);
    assert_eq!(failed.status, 412);
    assert_eq!(s.get("/app.js", &[("If-Match", &tags[0])]).status, 200);

    // Rewritten in place with the same length: a new tag while the server runs.
    let mut changed = std::fs::read(dir.path().join("app.js")).unwrap();
    changed[0] = b'/';
    rewrite(&dir.path().join("app.js"), &changed);
    let after = s.get("/app.js", &[("If-None-Match", &tags[0])]);
    assert_eq!((after.status, &after.body), (200, &changed));
    assert_ne!(etag(&after), tags[0]);
    assert_eq!(
        s.get("/app.js", &[("If-None-Match", &etag(&after))]).status,
        304
    );
}

#[test]
fn cache_control_is_immutable_for_hashed_names_and_no_cache_for_the_rest() {
    let dir = site();
    compress(dir.path());
    let s = Server::start(dir.path(), &[]);
    let cache = |path: &str| {
        s.get(path, &[("Accept-Encoding", "br")])
            .header("cache-control")
            .map(str::to_string)
    };
    assert_eq!(
        cache("/core.3fa2b1c4d5e6f708.bin").as_deref(),
        Some(IMMUTABLE)
    );
    assert_eq!(
        cache("/core.3fa2b1c4d5e6f70.bin").as_deref(),
        Some("no-cache"),
        "15 hex digits"
    );
    for path in ["/", "/index.html", "/sw.js", "/app.js", "/catalog.idx"] {
        assert_eq!(cache(path).as_deref(), Some("no-cache"), "{path}");
    }
}

/// `serve` with `flag` given each of `values` fails (exit 1) before it listens (an address that
/// cannot be bound makes the run end either way); its error message.
fn refused(dir: &Path, flag: &str, values: &[&str]) -> String {
    let d = dir.to_str().unwrap();
    let mut args = vec!["serve", "--dir", d, "--addr", "256.0.0.1:0"];
    for value in values {
        args.extend([flag, value]);
    }
    let o = run(&args);
    assert_eq!(o.status.code(), Some(1), "{values:?}");
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn cors_headers_only_with_cors_and_only_for_the_origins_given() {
    let dir = site();
    let none = Server::start(dir.path(), &[]);
    let r = none.get("/app.js", &[("Origin", "https://a.example")]);
    assert_eq!(
        (r.status, r.header("access-control-allow-origin")),
        (200, None)
    );
    let preflight = [
        ("Origin", "https://a.example"),
        ("Access-Control-Request-Method", "GET"),
    ];
    let r = none.request("OPTIONS", "/app.js", &preflight);
    assert_eq!((r.status, r.header("allow")), (405, Some("GET, HEAD")));

    let some = Server::start(
        dir.path(),
        &[
            "--cors",
            "https://a.example",
            "--cors",
            "http://localhost:3000",
        ],
    );
    let r = some.get("/app.js", &[("Origin", "https://a.example")]);
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("https://a.example")
    );
    let vary = r.all("vary").join(",").to_ascii_lowercase();
    assert!(
        vary.contains("origin") && vary.contains("accept-encoding"),
        "{vary}"
    );
    let exposed = r
        .header("access-control-expose-headers")
        .unwrap()
        .to_ascii_lowercase();
    assert!(
        exposed.contains("etag") && exposed.contains("content-length"),
        "{exposed}"
    );
    let r = some.get("/app.js", &[("Origin", "http://localhost:3000")]);
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("http://localhost:3000")
    );
    let r = some.get("/app.js", &[("Origin", "https://b.example")]);
    assert_eq!(
        (r.status, r.header("access-control-allow-origin")),
        (200, None)
    );
    let r = some.request("OPTIONS", "/app.js", &preflight);
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("https://a.example")
    );
    let methods = r
        .header("access-control-allow-methods")
        .unwrap()
        .replace(' ', "");
    assert_eq!(methods, "GET,HEAD");

    let any = Server::start(dir.path(), &["--cors", "*"]);
    let r = any.get("/app.js", &[("Origin", "https://b.example")]);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let tag = etag(&r);
    let r = any.get(
        "/app.js",
        &[("Origin", "https://b.example"), ("If-None-Match", &tag)],
    );
    assert_eq!(
        (r.status, r.header("access-control-allow-origin")),
        (304, Some("*"))
    );

    // Refused before listening.
    for bad in [
        &["https://a.example/"][..],
        &["a.example"],
        &["*", "https://a.example"],
    ] {
        assert!(
            refused(dir.path(), "--cors", bad).contains("--cors"),
            "{bad:?}"
        );
    }
}

#[test]
fn ranges_of_the_file_and_of_its_encoded_variants() {
    let dir = site();
    compress(dir.path());
    let s = Server::start(dir.path(), &[]);
    let original = std::fs::read(dir.path().join("app.js")).unwrap();
    let r = s.get("/app.js", &[("Range", "bytes=2-5")]);
    assert_eq!(r.status, 206);
    assert_eq!(
        r.header("content-range"),
        Some(format!("bytes 2-5/{}", original.len()).as_str())
    );
    assert_eq!(r.body, &original[2..6]);
    assert_eq!(
        r.header("etag"),
        Some(etag(&s.get("/app.js", &[])).as_str())
    );
    // A range of the br bytes, named by their own length and tag.
    let br = std::fs::read(dir.path().join("app.js.br")).unwrap();
    let r = s.get(
        "/app.js",
        &[("Range", "bytes=0-9"), ("Accept-Encoding", "br")],
    );
    assert_eq!((r.status, r.header("content-encoding")), (206, Some("br")));
    assert_eq!(
        r.header("content-range"),
        Some(format!("bytes 0-9/{}", br.len()).as_str())
    );
    assert_eq!(r.body, &br[..10]);
    // If-Range: the range while the tag is current, all of it once it is not.
    let tag = etag(&s.get("/app.js", &[]));
    assert_eq!(
        s.get("/app.js", &[("Range", "bytes=2-5"), ("If-Range", &tag)])
            .status,
        206
    );
    let stale = s.get(
        "/app.js",
        &[("Range", "bytes=2-5"), ("If-Range", "\"old\"")],
    );
    assert_eq!((stale.status, &stale.body), (200, &original));
    let beyond = s.get("/app.js", &[("Range", "bytes=999999-")]);
    assert_eq!(beyond.status, 416);
    assert_eq!(
        beyond.header("content-range"),
        Some(format!("bytes */{}", original.len()).as_str())
    );
}

#[test]
fn head_sends_the_headers_and_no_body() {
    let dir = site();
    compress(dir.path());
    let s = Server::start(dir.path(), &[]);
    let get = s.get("/app.js", &[("Accept-Encoding", "br")]);
    let head = s.request("HEAD", "/app.js", &[("Accept-Encoding", "br")]);
    assert_eq!((head.status, head.body.len()), (200, 0));
    for name in [
        "content-length",
        "content-type",
        "content-encoding",
        "etag",
        "cache-control",
    ] {
        assert_eq!(head.header(name), get.header(name), "{name}");
    }
    assert_eq!(
        head.header("content-length"),
        Some(get.body.len().to_string().as_str())
    );
}

/// Each path is answered 404 `not found`.
fn assert_not_found(s: &Server, paths: &[&str]) {
    for path in paths {
        let r = s.get(path, &[]);
        assert_eq!(
            (r.status, r.text().as_str()),
            (404, "not found\n"),
            "{path}"
        );
    }
}

#[test]
fn refuses_dot_segments_paths_outside_the_root_and_other_methods() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), b"outside").unwrap();
    let dir = site();
    let p = dir.path();
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), p.join("out.txt")).unwrap();
    std::os::unix::fs::symlink(outside.path(), p.join("outdir")).unwrap();
    std::os::unix::fs::symlink(p.join(".secret"), p.join("dot.txt")).unwrap();
    std::os::unix::fs::symlink(p.join("app.js"), p.join("link.js")).unwrap();
    let s = Server::start(p, &[]);
    assert_not_found(
        &s,
        &[
            "/.secret",
            "/.git/config",
            "/sub/../.secret",
            "/../Cargo.toml",
            "/%2e%2e/Cargo.toml",
            "/sub/%2E%2E/%2e%2e/etc/passwd",
            "/.%2e/x",
            "/%2e",
            "/sub%2f..%2fapp.js",
            "/out.txt",
            "/outdir/secret.txt",
            "/dot.txt",
            "/bad%zz",
            "/%c0%ae%c0%ae/Cargo.toml",
            "/app.js%00",
            "/app.js%00.png",
            "/sub%5c..%5capp.js",
        ],
    );
    assert_eq!(
        s.get("/link.js", &[]).body,
        std::fs::read(p.join("app.js")).unwrap()
    );
    for method in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH"] {
        let r = s.request(method, "/app.js", &[("Content-Length", "0")]);
        assert_eq!(
            (r.status, r.header("allow")),
            (405, Some("GET, HEAD")),
            "{method}"
        );
    }
}

#[test]
fn a_client_gets_a_few_seconds_for_its_headers_and_connections_are_bounded() {
    let dir = site();
    let env = [
        ("POWERLIST_TEST_HEADER_TIMEOUT_MS", "300"),
        ("POWERLIST_TEST_MAX_CONNECTIONS", "2"),
    ];
    let s = Server::start_with_env(dir.path(), &[], &env);
    // Half a request, then nothing: the server closes the connection.
    let mut slow = TcpStream::connect(&s.addr).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
    let mut rest = Vec::new();
    let started = std::time::Instant::now();
    let _ = slow.read_to_end(&mut rest);
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "closed after the header timeout"
    );
    assert!(!String::from_utf8_lossy(&rest).contains("200 OK"));
    drop(slow);

    // Two idle connections take both places; a third is answered once one goes.
    let s = Server::start_with_env(dir.path(), &[], &[("POWERLIST_TEST_MAX_CONNECTIONS", "2")]);
    let first = TcpStream::connect(&s.addr).unwrap();
    let _second = TcpStream::connect(&s.addr).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let mut third = TcpStream::connect(&s.addr).unwrap();
    third
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    third
        .set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let mut byte = [0u8; 1];
    assert!(
        third.read(&mut byte).is_err(),
        "no answer while two connections are open"
    );
    drop(first);
    third
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut answer = byte[..0].to_vec();
    third.read_to_end(&mut answer).unwrap();
    assert_eq!(parse(&answer).status, 200);
    // And the server still answers after all that.
    assert_eq!(
        exchange(
            &s.addr,
            b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        .status,
        200
    );
}

/// The header policy of a server started with these `--frame-ancestors`.
fn policy(ancestors: &str) -> String {
    format!("frame-ancestors {ancestors}; object-src 'none'; base-uri 'none'")
}

/// Every kind of answer carries the security headers, once each.
fn assert_security_headers(s: &Server, want_policy: &str) {
    let tag = etag(&s.get("/app.js", &[]));
    let answers = [
        s.get("/", &[]),
        s.request("HEAD", "/app.js", &[]),
        s.get("/app.js", &[("Range", "bytes=0-3")]),
        s.get("/app.js", &[("If-None-Match", &tag)]),
        s.get("/app.js", &[("If-Match", "\"other\"")]),
        s.get("/app.js", &[("Range", "bytes=999999-")]),
        s.get("/missing.js", &[]),
        s.get("/.secret", &[]),
        s.request("POST", "/", &[("Content-Length", "0")]),
    ];
    let statuses: Vec<u16> = answers.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [200, 200, 206, 304, 412, 416, 404, 404, 405]);
    for r in &answers {
        let status = r.status;
        assert_eq!(r.all("content-security-policy"), [want_policy], "{status}");
        assert_eq!(r.all("referrer-policy"), ["no-referrer"], "{status}");
        assert_eq!(r.all("x-content-type-options"), ["nosniff"], "{status}");
    }
}

#[test]
fn security_headers_on_every_answer_with_frame_ancestors_as_configured() {
    let dir = site();
    assert_security_headers(&Server::start(dir.path(), &[]), &policy("'self'"));
    let two = [
        "--frame-ancestors",
        "https://portal.example",
        "--frame-ancestors",
        "http://localhost:3000",
    ];
    assert_security_headers(
        &Server::start(dir.path(), &two),
        &policy("https://portal.example http://localhost:3000"),
    );
    assert_security_headers(
        &Server::start(dir.path(), &["--frame-ancestors", "*"]),
        &policy("*"),
    );
    // A CORS preflight (answered before the files are looked at) carries them too.
    let s = Server::start(
        dir.path(),
        &["--cors", "https://a.example", "--frame-ancestors", "'none'"],
    );
    let preflight = s.request(
        "OPTIONS",
        "/app.js",
        &[
            ("Origin", "https://a.example"),
            ("Access-Control-Request-Method", "GET"),
        ],
    );
    assert_eq!(preflight.status, 200);
    assert_eq!(
        preflight.header("content-security-policy"),
        Some(policy("'none'").as_str())
    );
    assert_eq!(preflight.header("referrer-policy"), Some("no-referrer"));

    // The header adds only what the pages' <meta> policies allow already (or cannot say).
    for page in ["index.html", "list.html", "embed.html"] {
        let html = std::fs::read_to_string(repo().join("www").join(page)).unwrap();
        let meta = html
            .lines()
            .find(|l| l.contains("http-equiv=\"Content-Security-Policy\""))
            .unwrap_or_else(|| panic!("{page} has a CSP meta tag"));
        for directive in ["object-src 'none'", "base-uri 'none'"] {
            assert!(meta.contains(directive), "{page}: {directive}");
        }
        assert!(
            !meta.contains("frame-ancestors"),
            "{page}: ignored in <meta>"
        );
    }

    // Refused before listening, naming the value.
    for bad in [
        &["https://portal.example/"][..],
        &["portal.example"],
        &["self"],
        &["https://a.example;script-src"],
        &["*", "https://portal.example"],
        &["'none'", "'self'"],
    ] {
        let err = refused(dir.path(), "--frame-ancestors", bad);
        let named = bad
            .iter()
            .any(|v| err.contains(&format!("--frame-ancestors {v}")));
        assert!(named, "{bad:?}: {err}");
    }
}

#[test]
fn symlinks_are_followed_inside_the_root_only_and_never_to_dotfiles() {
    let dir = site();
    let p = dir.path();
    let link =
        |target: &Path, name: &str| std::os::unix::fs::symlink(target, p.join(name)).unwrap();
    link(Path::new("/etc"), "etc");
    link(Path::new("/etc/passwd"), "passwd");
    link(Path::new("/"), "slash");
    link(&p.join("sub"), "alias");
    link(Path::new("app.js"), "relative.js");
    link(Path::new("../app.js"), "sub/up.js");
    link(&p.join("app.js"), ".hidden.js");
    link(&p.join(".git"), "git");
    link(&p.join("loop"), "loop");
    link(&p.join("gone.js"), "dangling.js");
    let s = Server::start(p, &[]);
    assert_not_found(
        &s,
        &[
            "/etc/passwd",
            "/etc/hostname",
            "/etc/",
            "/passwd",
            "/slash/etc/passwd",
            "/.hidden.js",
            "/git/config",
            "/loop",
            "/dangling.js",
        ],
    );
    // Inside the root, links are followed: to a folder (its index.html), to a file (typed by
    // the name asked for), relative or not.
    let app = std::fs::read(p.join("app.js")).unwrap();
    assert_eq!(s.get("/alias/", &[]).text(), "<h1>sub</h1>");
    assert_eq!(s.get("/alias/index.html", &[]).text(), "<h1>sub</h1>");
    for path in ["/relative.js", "/sub/up.js"] {
        let r = s.get(path, &[]);
        assert_eq!((r.status, &r.body), (200, &app), "{path}");
        assert_eq!(
            r.header("content-type"),
            Some("text/javascript; charset=utf-8")
        );
    }
}

/// The threads and the peak resident memory (KiB) of a process, from `/proc/PID/status`.
fn process_status(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
    };
    Some((field("Threads:")?, field("VmHWM:")?))
}

/// Asks for `/big.bin` (`request`: the method and more header lines), reads `take` bytes of
/// the answer (stalling half-way for `stall`), then hangs up. Returns the time to the first
/// byte of the answer.
fn read_some(addr: &str, request: &str, take: usize, stall: Duration) -> Duration {
    let started = Instant::now();
    let mut c = TcpStream::connect(addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let (method, headers) = request.split_once(' ').unwrap_or((request, ""));
    write!(
        c,
        "{method} /big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{headers}\r\n"
    )
    .unwrap();
    let mut buf = vec![0u8; 256 * 1024];
    let n = c.read(&mut buf).unwrap();
    let first = started.elapsed();
    let head = String::from_utf8_lossy(&buf[..n.min(200)]).into_owned();
    assert!(head.starts_with("HTTP/1.1 20"), "{head}");
    let mut got = n;
    let mut stalled = stall.is_zero();
    while got < take {
        if !stalled && got >= take / 2 {
            thread::sleep(stall);
            stalled = true;
        }
        match c.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) => panic!("{request} after {got} bytes: {e}"),
        }
    }
    first
}

/// Load on one server: 300 connections that send nothing, 20 that send a byte every 500 ms
/// and never finish, and meanwhile GETs (one stalling its reading) and HEADs of a 1 GiB sparse
/// file. The server stays one small process, closes the silent and the slow at the header
/// timeout, answers the others once places free up, and a client afterwards at once.
#[test]
fn under_load_the_server_stays_one_small_process_closes_the_slow_and_recovers() {
    if !Path::new("/proc/self/status").exists() {
        return; // Measured on Linux only.
    }
    let dir = site();
    let big = std::fs::File::create(dir.path().join("big.bin")).unwrap();
    big.set_len(1 << 30).unwrap(); // A hole: no disk used.
    drop(big);
    let timeout = Duration::from_millis(2000);
    let env = [("POWERLIST_TEST_HEADER_TIMEOUT_MS", "2000")];
    let s = Server::start_with_env(dir.path(), &[], &env);
    let (pid, addr) = (s.pid(), s.addr.clone());
    // The big file's ETag is its hash: computed once, before the load.
    let t = Instant::now();
    let head = s.request("HEAD", "/big.bin", &[]);
    assert_eq!(head.header("content-length"), Some("1073741824"));
    let hashed = t.elapsed();

    let stop = Arc::new(AtomicBool::new(false));
    let sampler = {
        let stop = Arc::clone(&stop);
        thread::spawn(move || {
            let (mut threads, mut peak) = (0, 0);
            while !stop.load(Ordering::Relaxed) {
                if let Some((t, hwm)) = process_status(pid) {
                    (threads, peak) = (threads.max(t), peak.max(hwm));
                }
                thread::sleep(Duration::from_millis(20));
            }
            (threads, peak)
        })
    };
    let started = Instant::now();
    // The slow ones first, so they hold places rather than wait in the queue.
    let slow: Vec<_> = (0..20)
        .map(|_| {
            let addr = addr.clone();
            thread::spawn(move || {
                let mut c = TcpStream::connect(&addr).unwrap();
                let t = Instant::now();
                let request = format!("GET / HTTP/1.1\r\nHost: x\r\nX-Pad: {}", "a".repeat(80));
                for b in request.bytes() {
                    if c.write_all(&[b]).is_err() {
                        return t.elapsed();
                    }
                    thread::sleep(Duration::from_millis(500));
                }
                panic!("a slow client sent {} bytes unhindered", request.len());
            })
        })
        .collect();
    thread::sleep(Duration::from_millis(100));
    let mut idle: Vec<TcpStream> = (0..300)
        .map(|_| TcpStream::connect(&addr).unwrap())
        .collect();
    let mut clients = Vec::new();
    for i in 0..14 {
        let addr = addr.clone();
        clients.push(thread::spawn(move || match i {
            0..=3 => read_some(&addr, "GET", 64 << 20, Duration::ZERO),
            4 => read_some(&addr, "GET", 32 << 20, Duration::from_secs(1)),
            5..=9 => read_some(&addr, "HEAD", 0, Duration::ZERO),
            _ => read_some(&addr, "GET Range: bytes=1073741000-\r\n", 0, Duration::ZERO),
        }));
    }
    let waits: Vec<Duration> = clients.into_iter().map(|c| c.join().unwrap()).collect();
    let slow: Vec<Duration> = slow.into_iter().map(|c| c.join().unwrap()).collect();
    // Every silent connection is closed: the first 256 at the timeout, the rest (waiting in
    // the kernel's queue meanwhile) one timeout after they were let in.
    for c in &mut idle {
        c.set_read_timeout(Some(3 * timeout)).unwrap();
        let mut byte = [0u8; 1];
        assert!(matches!(c.read(&mut byte), Ok(0) | Err(_)), "closed");
    }
    let idle_closed = started.elapsed();
    drop(idle);
    let t = Instant::now();
    let after = s.get("/", &[]);
    let answered = t.elapsed();
    stop.store(true, Ordering::Relaxed);
    let (threads, peak_kib) = sampler.join().unwrap();
    eprintln!(
        "load: hashing 1 GiB {hashed:?}; first byte for the 14 clients {:?}..{:?}; slow clients \
         closed after {:?}..{:?}; all 300 idle closed after {idle_closed:?}; then a GET in \
         {answered:?}; threads at most {threads}, peak RSS {} KiB",
        waits.iter().min().unwrap(),
        waits.iter().max().unwrap(),
        slow.iter().min().unwrap(),
        slow.iter().max().unwrap(),
        peak_kib
    );
    assert_eq!(after.status, 200);
    assert!(answered < Duration::from_secs(1), "{answered:?}");
    assert!(
        threads <= 5,
        "one thread and at most 4 for the file system: {threads}"
    );
    assert!(peak_kib < 64 * 1024, "peak RSS {peak_kib} KiB");
    // Trickling bytes does not buy time: the deadline holds.
    for d in &slow {
        assert!(*d < timeout + Duration::from_secs(2), "{d:?}");
    }
    for w in &waits {
        assert!(*w < 2 * timeout + Duration::from_secs(2), "{w:?}");
    }
    assert!(idle_closed < 3 * timeout, "{idle_closed:?}");
}
