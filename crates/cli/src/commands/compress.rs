//! `powerlist compress DIR`: `FILE.br` (brotli, quality 11) and `FILE.gz` (gzip -9) beside
//! every file worth compressing under DIR, for `powerlist serve` (or nginx's `brotli_static` and
//! `gzip_static`) to send to the clients that accept them.
//!
//! Worth compressing: a file of [`MIN_SIZE`] bytes or more, not a dotfile (nor under a dot
//! directory), not a symlink, not a `.br`/`.gz`, not in a format that is compressed already
//! ([`COMPRESSED`]: images, fonts, archives, media). An output is written only when it is
//! smaller than its file, atomically (a temporary file renamed into place), with the same bytes
//! for the same file. An output newer than its file is kept as it is, so a second run only
//! reads the directory. The outputs a run wrote are listed in `DIR/.powerlist-compressed`; the
//! next run removes those whose file is gone (or no longer worth compressing): a `.gz` it did
//! not write (`backup.tar.gz`) is never removed.

use std::collections::BTreeSet;
use std::fs::{self, File, Metadata};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use powerlist::Error;

use crate::io::{outln, write_atomic};

/// Smaller files are sent as they are: a compressed one would save less than a packet.
const MIN_SIZE: u64 = 256;
/// The outputs the last run kept, one path (relative, `/`-separated) a line.
const LIST: &str = ".powerlist-compressed";
/// Extensions of formats that are compressed already.
const COMPRESSED: &[&str] = &[
    "br", "gz", "tgz", "zst", "zip", "xz", "bz2", "7z", "rar", "png", "jpg", "jpeg", "gif", "webp",
    "avif", "heic", "woff", "woff2", "mp3", "mp4", "m4a", "aac", "ogg", "oga", "opus", "flac",
    "webm", "mov",
];

#[derive(Clone, Copy)]
enum Coding {
    Brotli,
    Gzip,
}

impl Coding {
    const ALL: [Coding; 2] = [Coding::Brotli, Coding::Gzip];

    fn ext(self) -> &'static str {
        match self {
            Coding::Brotli => "br",
            Coding::Gzip => "gz",
        }
    }

    /// The file's bytes, compressed (read as a stream).
    fn compress(self, file: &Path) -> io::Result<Vec<u8>> {
        let mut input = File::open(file)?;
        match self {
            Coding::Brotli => {
                let params = brotli::enc::BrotliEncoderParams {
                    quality: 11,
                    lgwin: 22,
                    ..Default::default()
                };
                let mut out = Vec::new();
                brotli::BrotliCompress(&mut input, &mut out, &params)?;
                Ok(out)
            }
            Coding::Gzip => {
                // No name, time 0: the same bytes from the same file.
                let mut gz = flate2::GzBuilder::new()
                    .mtime(0)
                    .write(Vec::new(), flate2::Compression::best());
                io::copy(&mut input, &mut gz)?;
                gz.finish()
            }
        }
    }
}

/// What became of one output.
enum Output {
    /// Newer than its file: kept. Its size.
    Fresh(u64),
    /// Written now. Its size.
    Written(u64),
    /// Not smaller than its file (an older one removed, if there was one).
    Dropped { removed: bool },
}

/// The totals of the summary line.
#[derive(Default)]
struct Tally {
    files: usize,
    bytes: u64,
    /// What is sent to clients that accept br, gzip: the outputs, or the files without one.
    br: u64,
    gz: u64,
    written: usize,
    fresh: usize,
    removed: usize,
}

/// Compresses the files of `dir` (see the module's doc) and prints one summary line.
pub fn run(dir: &Path) -> Result<(), Error> {
    if !dir.is_dir() {
        return Err(Error::Io {
            path: dir.display().to_string(),
            kind: io::ErrorKind::NotADirectory,
            message: "not a directory".into(),
        });
    }
    let mut files = Vec::new();
    walk(dir, "", &mut files).map_err(|e| Error::io(dir.display(), &e))?;
    files.retain(|(rel, meta)| worth_compressing(rel, meta));
    // Largest first, so the threads finish together.
    files.sort_by_key(|(_, meta)| std::cmp::Reverse(meta.len()));
    let outputs = in_parallel(&files, |(rel, meta)| outputs(&dir.join(rel), meta));
    let mut tally = Tally::default();
    let mut kept = BTreeSet::new();
    for ((rel, meta), outs) in files.iter().zip(outputs) {
        tally.files += 1;
        tally.bytes += meta.len();
        for (coding, out) in Coding::ALL.into_iter().zip(outs?) {
            let size = match out {
                Output::Fresh(n) | Output::Written(n) => {
                    kept.insert(format!("{rel}.{}", coding.ext()));
                    n
                }
                Output::Dropped { .. } => meta.len(),
            };
            match out {
                Output::Fresh(_) => tally.fresh += 1,
                Output::Written(_) => tally.written += 1,
                Output::Dropped { removed } => tally.removed += usize::from(removed),
            }
            match coding {
                Coding::Brotli => tally.br += size,
                Coding::Gzip => tally.gz += size,
            }
        }
    }
    tally.removed += remove_stale(dir, &kept)?;
    write_list(dir, &kept)?;
    print(dir, &tally);
    Ok(())
}

fn print(dir: &Path, t: &Tally) {
    let pct = |n: u64| (n * 100).checked_div(t.bytes).unwrap_or(100);
    outln!(
        "compress {}: {} files, {} bytes; br {} bytes ({}%), gzip {} bytes ({}%); \
         {} written, {} up to date, {} removed",
        dir.display(),
        t.files,
        t.bytes,
        t.br,
        pct(t.br),
        t.gz,
        pct(t.gz),
        t.written,
        t.fresh,
        t.removed
    );
}

/// The regular files under `dir`/`rel` (relative, `/`-separated paths, sorted), leaving out
/// dotfiles, dot directories, symlinks and names that are not UTF-8.
fn walk(dir: &Path, rel: &str, out: &mut Vec<(String, Metadata)>) -> io::Result<()> {
    let mut entries = fs::read_dir(dir.join(rel))?.collect::<io::Result<Vec<_>>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        let path = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(dir, &path, out)?;
        } else if kind.is_file() {
            out.push((path, entry.metadata()?));
        }
    }
    Ok(())
}

fn worth_compressing(rel: &str, meta: &Metadata) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let ext = name
        .rsplit_once('.')
        .map_or(String::new(), |(_, e)| e.to_ascii_lowercase());
    meta.len() >= MIN_SIZE && !COMPRESSED.contains(&ext.as_str())
}

/// `f` of every item, on as many threads as there are cores; in the items' order.
fn in_parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let done = Mutex::new(Vec::with_capacity(items.len()));
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .clamp(1, items.len().max(1));
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                let r = f(item);
                done.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push((i, r));
            });
        }
    });
    let mut done = done.into_inner().unwrap_or_else(PoisonError::into_inner);
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// The outputs of one file, brotli then gzip.
fn outputs(file: &Path, meta: &Metadata) -> Result<[Output; 2], Error> {
    Ok([
        output(file, meta, Coding::Brotli)?,
        output(file, meta, Coding::Gzip)?,
    ])
}

fn output(file: &Path, meta: &Metadata, coding: Coding) -> Result<Output, Error> {
    let mut name = file.as_os_str().to_owned();
    name.push(".");
    name.push(coding.ext());
    let out = PathBuf::from(name);
    if let Ok(m) = fs::metadata(&out) {
        if m.is_file() && m.len() > 0 && newer(&m, meta) {
            return Ok(Output::Fresh(m.len()));
        }
    }
    let bytes = coding
        .compress(file)
        .map_err(|e| Error::io(file.display(), &e))?;
    if !same_version(file, meta) {
        // Changed while it was read: the next run compresses the new version.
        return Ok(Output::Dropped { removed: false });
    }
    let size = bytes.len() as u64;
    if size < meta.len() {
        write_atomic(&out, &bytes)?;
        return Ok(Output::Written(size));
    }
    match fs::remove_file(&out) {
        Ok(()) => Ok(Output::Dropped { removed: true }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Output::Dropped { removed: false }),
        Err(e) => Err(Error::io(out.display(), &e)),
    }
}

/// Whether `file` still has the size and modification time of `meta`.
fn same_version(file: &Path, meta: &Metadata) -> bool {
    fs::metadata(file)
        .is_ok_and(|now| now.len() == meta.len() && now.modified().ok() == meta.modified().ok())
}

fn newer(a: &Metadata, b: &Metadata) -> bool {
    matches!((a.modified(), b.modified()), (Ok(a), Ok(b)) if a > b)
}

/// Removes the outputs of the last run's list that this run did not keep; how many.
fn remove_stale(dir: &Path, kept: &BTreeSet<String>) -> Result<usize, Error> {
    let previous = fs::read_to_string(dir.join(LIST)).unwrap_or_default();
    let mut removed = 0;
    for rel in previous.lines().filter(|l| !l.starts_with('#')) {
        let ours = (rel.ends_with(".br") || rel.ends_with(".gz"))
            && rel.split('/').all(|s| !s.is_empty() && !s.starts_with('.'));
        if !ours || kept.contains(rel) {
            continue;
        }
        let path = dir.join(rel);
        match fs::remove_file(&path) {
            Ok(()) => removed += 1,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(path.display(), &e)),
        }
    }
    Ok(removed)
}

/// Writes the list of the outputs kept (when it changed); none, no list.
fn write_list(dir: &Path, kept: &BTreeSet<String>) -> Result<(), Error> {
    let path = dir.join(LIST);
    if kept.is_empty() {
        return match fs::remove_file(&path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(Error::io(path.display(), &e)),
            _ => Ok(()),
        };
    }
    let mut text = String::from(
        "# Written by `powerlist compress`: its outputs, removed by its next run when their file is gone.\n",
    );
    for rel in kept {
        text.push_str(rel);
        text.push('\n');
    }
    if fs::read_to_string(&path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    write_atomic(&path, text.as_bytes())
}
