//! What the commands share: printing to stdout, reading an index file, writing files.

use std::io::Write;
use std::path::Path;

use powerlist::{Error, Index};

/// Like `println!`, but a closed pipe (`powerlist search … | head`) is not an error.
macro_rules! outln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($t)*);
    }};
}
pub(crate) use outln;

/// Prints `v` as pretty JSON.
pub fn json<T: serde::Serialize>(v: &T) -> Result<(), Error> {
    let s = serde_json::to_string_pretty(v).map_err(|e| Error::Request(e.to_string()))?;
    outln!("{s}");
    Ok(())
}

/// Reads and checks an index file; its errors name the file.
pub fn load(path: &Path) -> Result<Index, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path.display().to_string(), &e))?;
    // One command reads a file once: check all of it now (natively that is fast), so a
    // damaged file is reported up front, with its path.
    Index::from_vec(bytes)
        .and_then(|index| index.verify().map(|()| index))
        .map_err(|e| e.in_file(path.display()))
}

/// Creates a directory and its parents.
pub fn create_dir(dir: &Path) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display().to_string(), &e))
}

/// Writes to a temporary file beside `path`, then renames it into place.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "index".into());
    let prefix = format!(".{name}.tmp-");
    remove_stale(dir, &prefix);
    let tmp = dir.join(format!("{prefix}{}", std::process::id()));
    let result = write_file(&tmp, bytes).and_then(|()| {
        std::fs::rename(&tmp, path).map_err(|e| Error::io(path.display().to_string(), &e))
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Temporary files of builds that were killed: removes them.
fn remove_stale(dir: &Path, prefix: &str) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with(prefix) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

/// Writes `bytes` to `tmp` and syncs it.
fn write_file(tmp: &Path, bytes: &[u8]) -> Result<(), Error> {
    let io = |e: std::io::Error| Error::io(tmp.display().to_string(), &e);
    // Test seam for the interrupted-build test: write slowly, in chunks.
    let delay = std::env::var("POWERLIST_TEST_WRITE_DELAY_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok());
    let mut f = std::fs::File::create(tmp).map_err(io)?;
    match delay {
        Some(ms) => {
            for chunk in bytes.chunks(bytes.len() / 16 + 1) {
                f.write_all(chunk).map_err(io)?;
                std::thread::sleep(std::time::Duration::from_millis(ms));
            }
        }
        None => f.write_all(bytes).map_err(io)?,
    }
    f.sync_all().map_err(io)
}
