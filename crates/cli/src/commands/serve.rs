//! `powerlist serve`: a static file server for the web app. GET and HEAD only, no other logic.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use powerlist::Error;

fn mime(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "webmanifest" => "application/json; charset=utf-8",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain; charset=utf-8",
        "ts" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
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

/// Maps a request path to a file under `root`, refusing anything that climbs out.
fn resolve(root: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next()?;
    let decoded = percent_decode(path)?;
    let rel = Path::new(decoded.trim_start_matches('/'));
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let mut full = root.join(rel);
    if full.is_dir() {
        full = full.join("index.html");
    }
    Some(full)
}

fn respond(mut stream: TcpStream, root: &Path) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    // Drain headers.
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) if line == "\r\n" || line == "\n" => break,
            Ok(_) => {}
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let head = method == "HEAD";
    let (status, ctype, body): (&str, &str, Vec<u8>) = if method != "GET" && !head {
        (
            "405 Method Not Allowed",
            "text/plain; charset=utf-8",
            b"only GET and HEAD\n".to_vec(),
        )
    } else {
        match resolve(root, target) {
            None => (
                "400 Bad Request",
                "text/plain; charset=utf-8",
                b"bad path\n".to_vec(),
            ),
            Some(p) => match std::fs::read(&p) {
                Ok(b) => ("200 OK", mime(&p), b),
                Err(_) => (
                    "404 Not Found",
                    "text/plain; charset=utf-8",
                    b"not found\n".to_vec(),
                ),
            },
        }
    };
    let header = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(header.as_bytes());
    if !head {
        let _ = stream.write_all(&body);
    }
    let _ = stream.flush();
}

/// Serves `dir` on `addr` until the process is stopped.
pub fn run(dir: &Path, addr: &str) -> Result<(), Error> {
    if !dir.is_dir() {
        return Err(Error::Io {
            path: dir.display().to_string(),
            kind: std::io::ErrorKind::NotADirectory,
            message: "not a directory; pass --dir www".into(),
        });
    }
    let listener = TcpListener::bind(addr).map_err(|e| Error::Io {
        path: addr.to_string(),
        kind: e.kind(),
        message: format!("cannot listen: {e}"),
    })?;
    let root = dir.to_path_buf();
    println!(
        "serving {} on http://{}/ (Ctrl-C to stop)",
        dir.display(),
        listener
            .local_addr()
            .map_or(addr.to_string(), |a| a.to_string())
    );
    for stream in listener.incoming().flatten() {
        let root = root.clone();
        std::thread::spawn(move || respond(stream, &root));
    }
    Ok(())
}
