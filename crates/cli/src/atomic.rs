//! Writing files and folders whole: a reader (or a crash, or a full disk) sees the old version
//! or the new one, never a part; only regular files and folders are ever replaced.
//!
//! Temporary files and folders are siblings of their target, named `.NAME.tmp-PID-N` (`N` makes
//! them unique within the process; they are created with `create_new`; a replaced folder waits
//! as `.NAME.old.tmp-PID-N` until it is removed), so two commands writing one path cannot remove
//! each other's. A command removes the ones a killed process left (no powerlist runs as PID:
//! `/proc/PID/comm` says so, or where there is no `/proc`, a day has passed).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use powerlist::Error;
use powerlist_build::files::{check_output, not_regular};

/// Writes to a temporary file beside `path`, then renames it into place. `path` must be a
/// regular file or missing: a device, a FIFO, a folder or a symbolic link there is an error
/// (renaming would replace it).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    check_output(path)?;
    let (dir, name) = place(path);
    remove_stale(&dir, &name);
    let (tmp, file) = unique(&dir, &name, |p| {
        fs::OpenOptions::new().write(true).create_new(true).open(p)
    })?;
    let result = write_file(&tmp, file, bytes)
        .and_then(|()| fs::rename(&tmp, path).map_err(|e| Error::io(path.display(), &e)));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// A folder (not a symbolic link to one) or nothing at `dir`.
fn check_dir_target(dir: &Path) -> Result<(), Error> {
    match fs::symlink_metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(dir.display(), &e)),
        Ok(m) if m.file_type().is_dir() => Ok(()),
        Ok(m) => Err(Error::Io {
            path: dir.display().to_string(),
            kind: std::io::ErrorKind::InvalidInput,
            message: format!(
                "is {}, not a folder; powerlist writes a new folder and renames it into place, which would replace it: name a folder or a new path",
                not_regular(&m.file_type()).unwrap_or("a regular file")
            ),
        }),
    }
}

/// The folder `path` is in (`.` for a bare name) and its file name.
fn place(path: &Path) -> (PathBuf, String) {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "out".into());
    (dir.to_path_buf(), name)
}

/// Creates a new temporary sibling `.NAME.tmp-PID-N` with `create` (which must fail when the
/// path exists); the path and what `create` returned.
fn unique<T>(
    dir: &Path,
    name: &str,
    create: impl Fn(&Path) -> std::io::Result<T>,
) -> Result<(PathBuf, T), Error> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let pid = std::process::id();
    loop {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.tmp-{pid}-{n}"));
        match create(&tmp) {
            Ok(t) => return Ok((tmp, t)),
            // Left by an earlier process with this id: try the next number.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 1 << 20 => {}
            Err(e) => return Err(Error::io(tmp.display(), &e)),
        }
    }
}

/// Removes the temporary files and folders of `NAME` that processes which ended left behind.
fn remove_stale(dir: &Path, name: &str) {
    let prefixes = [format!(".{name}.tmp-"), format!(".{name}.old.tmp-")];
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = prefixes.iter().find_map(|p| file.strip_prefix(p.as_str())) else {
            continue;
        };
        let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
        if pid.is_some_and(|pid| !alive(pid, &e.path())) {
            let path = e.path();
            let _ = match e.file_type() {
                Ok(t) if t.is_dir() => fs::remove_dir_all(&path),
                _ => fs::remove_file(&path),
            };
        }
    }
}

/// Whether process `pid` may still be writing `path`: it runs, and it is a powerlist (its
/// command name is ours; a process id may be taken again by another program).
fn alive(pid: u32, path: &Path) -> bool {
    if pid == std::process::id() {
        return true;
    }
    if let Ok(ours) = fs::read("/proc/self/comm") {
        return fs::read(format!("/proc/{pid}/comm")).is_ok_and(|theirs| theirs == ours);
    }
    let day = std::time::Duration::from_secs(24 * 3600);
    fs::symlink_metadata(path)
        .and_then(|m| m.modified())
        .is_ok_and(|t| t.elapsed().is_ok_and(|age| age < day))
}

/// An `std::io::Error` about `path` as powerlist's error.
fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::io(path.display(), &e)
}

/// Writes `bytes` to `file` (at `tmp`) and syncs it.
fn write_file(tmp: &Path, mut f: fs::File, bytes: &[u8]) -> Result<(), Error> {
    let io = |e: std::io::Error| Error::io(tmp.display(), &e);
    // Test seam for the interrupted-build test: write slowly, in chunks.
    let delay = std::env::var("POWERLIST_TEST_WRITE_DELAY_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok());
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

/// Writes `files` (names and bytes) as a new folder `dir`, whole: into a temporary sibling
/// folder first, then the old folder is renamed away, the new one renamed in and the old one
/// removed. A failure before the renames leaves the old folder as it was; between the two
/// renames (a moment) `dir` is missing, and if the second fails the old folder is put back.
///
/// Entries of the old folder for which `keep` is true (files this command did not write, such
/// as a catalog's `laws/`) are moved into the new folder first, and back if anything fails.
pub fn write_dir(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    keep: impl Fn(&str) -> bool,
) -> Result<(), Error> {
    check_dir_target(dir)?;
    // `.`, `..`, `out/..`: the folder's own name and parent.
    let dir = &fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    if dir.file_name().is_none() {
        return Err(Error::Io {
            path: dir.display().to_string(),
            kind: std::io::ErrorKind::InvalidInput,
            message:
                "has no name in a parent folder, so it cannot be replaced; name a folder below it"
                    .into(),
        });
    }
    let cwd = std::env::current_dir().and_then(fs::canonicalize);
    if cwd.is_ok_and(|cwd| cwd.starts_with(dir)) {
        return Err(Error::Io {
            path: dir.display().to_string(),
            kind: std::io::ErrorKind::InvalidInput,
            message: "is the current folder or holds it; the folder is replaced whole, which would leave your shell in a removed folder: run the command from outside it (cd ..)".into(),
        });
    }
    let (parent, name) = place(dir);
    fs::create_dir_all(&parent).map_err(|e| Error::io(parent.display(), &e))?;
    remove_stale(&parent, &name);
    let (tmp, ()) = unique(&parent, &name, |p| fs::create_dir(p))?;
    let written = files.iter().try_for_each(|(file, bytes)| {
        let path = tmp.join(file);
        let f = fs::File::create_new(&path).map_err(|e| Error::io(path.display(), &e))?;
        write_file(&path, f, bytes)
    });
    let result = written.and_then(|()| swap(dir, &tmp, &parent, &name, &keep));
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result
}

/// Puts the complete folder `tmp` in the place of `dir` (see [`write_dir`]).
fn swap(
    dir: &Path,
    tmp: &Path,
    parent: &Path,
    name: &str,
    keep: &impl Fn(&str) -> bool,
) -> Result<(), Error> {
    if !dir.exists() {
        return fs::rename(tmp, dir).map_err(io(dir));
    }
    let mut kept = Vec::new();
    for e in fs::read_dir(dir).map_err(io(dir))? {
        let file = e.map_err(io(dir))?.file_name();
        if keep(&file.to_string_lossy()) {
            kept.push(file);
        }
    }
    let move_all = |from: &Path, to: &Path, names: &[std::ffi::OsString]| {
        names
            .iter()
            .try_for_each(|n| fs::rename(from.join(n), to.join(n)).map_err(io(&from.join(n))))
    };
    let restore = |names: &[std::ffi::OsString]| {
        for n in names {
            let _ = fs::rename(tmp.join(n), dir.join(n));
        }
    };
    if let Err(e) = move_all(dir, tmp, &kept) {
        restore(&kept);
        return Err(e);
    }
    // `rename` replaces an empty folder: make sure nothing is there.
    let (old, ()) = match unique(parent, &format!("{name}.old"), |p| {
        match p.symlink_metadata() {
            Ok(_) => Err(std::io::ErrorKind::AlreadyExists.into()),
            Err(_) => fs::rename(dir, p),
        }
    }) {
        Ok(old) => old,
        Err(e) => {
            restore(&kept);
            return Err(e);
        }
    };
    if let Err(e) = fs::rename(tmp, dir) {
        let _ = fs::rename(&old, dir);
        restore(&kept);
        return Err(Error::io(dir.display(), &e));
    }
    let _ = fs::remove_dir_all(&old);
    Ok(())
}
