//! `powerlist manifest DIR`: writes `DIR/files.json`, the list of the site's files with their
//! sizes and content hashes, and a build digest over the list. The web app's service worker
//! (www/sw.js) reads it to copy the site for offline use, to reuse the files an update left
//! unchanged, and to tell that a new build was deployed.
//!
//! ```json
//! {"build": "<32 hex>", "files": [
//! {"path": "app.js", "bytes": 7843, "hash": "<32 hex>"},
//! …]}
//! ```
//!
//! Left out: dotfiles and dot-directories (temporary files among them), precompressed copies
//! (`*.br`, `*.gz`: the server picks them in place of the file), `files.json` itself,
//! `test-tmp/` (the page tests' scratch space) and `sw.js` (the browser checks the worker
//! itself). Symbolic links are left out too: only regular files are listed.
//!
//! The hashes are the first 128 bits of SHA-256, in hex: enough to tell files apart, and half
//! the bytes a reader's update check downloads for a site of many files (a chunked index).

use std::path::Path;

use powerlist::Error;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::io::{outln, write_atomic};

/// The manifest's file name, in the directory it lists.
pub const MANIFEST: &str = "files.json";

/// One listed file.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The path relative to the directory, with `/` between parts.
    pub path: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// The first 128 bits of the SHA-256 of its contents, in hex.
    pub hash: String,
}

/// Lists `dir` and writes `dir/files.json` (atomically: a reader sees the old list or the new
/// one, never a part).
pub fn run(dir: &Path) -> Result<(), Error> {
    if !dir.is_dir() {
        return Err(Error::Io {
            path: dir.display().to_string(),
            kind: std::io::ErrorKind::NotADirectory,
            message: "not a directory; pass the site's directory (www)".into(),
        });
    }
    let mut files = Vec::new();
    list(dir, "", &mut files)?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let build = build_digest(&files);
    write_atomic(&dir.join(MANIFEST), render(&build, &files)?.as_bytes())?;
    let bytes: u64 = files.iter().map(|f| f.bytes).sum();
    outln!(
        "wrote {}: {} files, {bytes} bytes, build {build}",
        dir.join(MANIFEST).display(),
        files.len()
    );
    Ok(())
}

/// Whether a directory entry (`rel` is its path under the site's directory) is left out.
fn excluded(rel: &str, name: &str, is_dir: bool) -> bool {
    if name.starts_with('.') {
        return true;
    }
    if is_dir {
        return rel == "test-tmp";
    }
    name.ends_with(".br") || name.ends_with(".gz") || rel == MANIFEST || rel == "sw.js"
}

/// An `std::io::Error` about `path` as powerlist's error.
fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::io(path.display().to_string(), &e)
}

/// Adds the regular files under `dir` (whose path under the site's directory is `prefix`).
fn list(dir: &Path, prefix: &str, out: &mut Vec<Entry>) -> Result<(), Error> {
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let entry = entry.map_err(io(dir))?;
        let path = entry.path();
        let name = entry.file_name().into_string().map_err(|_| Error::Io {
            path: path.display().to_string(),
            kind: std::io::ErrorKind::InvalidData,
            message: "the file name is not UTF-8, so no URL can name it; rename it".into(),
        })?;
        let rel = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        // The entry's own type: a symbolic link is neither a file nor a directory here.
        let kind = entry.file_type().map_err(io(&path))?;
        if excluded(&rel, &name, kind.is_dir()) {
            continue;
        }
        if kind.is_dir() {
            list(&path, &rel, out)?;
        } else if kind.is_file() {
            let bytes = std::fs::read(&path).map_err(io(&path))?;
            out.push(Entry {
                path: rel,
                bytes: bytes.len() as u64,
                hash: hash(&bytes),
            });
        }
    }
    Ok(())
}

/// The first 128 bits of SHA-256, in hex.
fn hash(bytes: &[u8]) -> String {
    hex128(&Sha256::digest(bytes))
}

fn hex128(digest: &[u8]) -> String {
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// A digest over every entry (path, size, hash): it changes when any file is added, removed,
/// renamed or changed, and only then.
fn build_digest(files: &[Entry]) -> String {
    let mut h = Sha256::new();
    for f in files {
        // NUL and newline cannot be confused with a part of a path, a number or a hash.
        h.update(format!("{}\0{}\0{}\n", f.path, f.bytes, f.hash).as_bytes());
    }
    hex128(&h.finalize())
}

/// The JSON text: one file a line, so two manifests compare well with diff.
fn render(build: &str, files: &[Entry]) -> Result<String, Error> {
    let mut s = format!("{{\"build\": {}, \"files\": [", to_json(build)?);
    for (i, f) in files.iter().enumerate() {
        s.push_str(if i == 0 { "\n" } else { ",\n" });
        s.push_str(&to_json(f)?);
    }
    s.push_str("\n]}\n");
    Ok(s)
}

fn to_json<T: Serialize + ?Sized>(v: &T) -> Result<String, Error> {
    serde_json::to_string(v).map_err(|e| Error::Request(e.to_string()))
}
