//! Reading the files a command is given only when they are regular files: a FIFO (named pipe)
//! or a device would block the reader or never end.
//!
//! ```
//! let dir = std::env::temp_dir();
//! let err = powerlist_build::files::read_regular(&dir).unwrap_err();
//! assert!(err.to_string().contains("is a folder, not a regular file"));
//! ```

use std::fs::{File, FileType};
use std::path::Path;

use powerlist::error::Error;

/// What a file type is, in words (`a folder`, `a FIFO (named pipe)`, `a symbolic link`…), for
/// anything but a regular file; `None` for a regular file.
pub fn not_regular(t: &FileType) -> Option<&'static str> {
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some("a folder");
    }
    if t.is_symlink() {
        return Some("a symbolic link");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if t.is_char_device() || t.is_block_device() {
            return Some("a device");
        }
        if t.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a regular file")
}

/// The error for a path that is `what` (see [`not_regular`]) where a regular file is needed.
pub fn not_a_file(path: &Path, what: &str, fix: &str) -> Error {
    Error::Io {
        path: path.display().to_string(),
        kind: std::io::ErrorKind::InvalidInput,
        message: format!("is {what}, not a regular file; {fix}"),
    }
}

/// A regular file or nothing at `path` (not followed if a symbolic link), where a command writes
/// a file; anything else is an error saying what it is.
pub fn check_output(path: &Path) -> Result<(), Error> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(path.display(), &e)),
        Ok(m) => match not_regular(&m.file_type()) {
            None => Ok(()),
            Some(what) => Err(not_a_file(
                path,
                what,
                "powerlist writes a new file there, which would replace it or write through it: name a regular file or a new path (for a symbolic link, the file it points to)",
            )),
        },
    }
}

/// Opens `path` (a symbolic link is followed) for reading if it is a regular file; anything else
/// is an error naming what it is, before it is opened (opening a FIFO waits for a writer).
pub fn open_regular(path: &Path) -> Result<File, Error> {
    let io = |e: std::io::Error| Error::io(path.display(), &e);
    let meta = std::fs::metadata(path).map_err(io)?;
    if let Some(what) = not_regular(&meta.file_type()) {
        return Err(not_a_file(
            path,
            what,
            "replace it with a regular file, or remove it",
        ));
    }
    File::open(path).map_err(io)
}

/// Reads `path` whole if it is a regular file (see [`open_regular`]).
pub fn read_regular(path: &Path) -> Result<Vec<u8>, Error> {
    use std::io::Read;
    let mut file = open_regular(path)?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)
        .map_err(|e| Error::io(path.display(), &e))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_are_read_and_folders_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.csv");
        std::fs::write(&file, b"x").unwrap();
        assert_eq!(read_regular(&file).unwrap(), b"x");
        let err = read_regular(dir.path()).unwrap_err().to_string();
        assert!(err.contains("is a folder, not a regular file"), "{err}");
    }
}
