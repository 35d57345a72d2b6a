//! What the commands share: printing to stdout, reading an index file, writing files.

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
    let bytes = read_index(path)?;
    // One command reads a file once: check all of it now (natively that is fast), so a
    // damaged file is reported up front, with its path.
    Index::from_vec(bytes)
        .and_then(|index| index.verify().map(|()| index))
        .map_err(|e| e.in_file(path.display()))
}

/// The bytes of an index file, read whole only once its first bytes are an index's header
/// whose table adds up to the file's length (so a large file of another kind is refused at
/// once); a FIFO or a device is refused before it is opened.
pub fn read_index(path: &Path) -> Result<Vec<u8>, Error> {
    use std::io::Read;
    let io = |e: std::io::Error| Error::io(path.display(), &e);
    let mut file = powerlist_build::files::open_regular(path)?;
    let len = file.metadata().map_err(io)?.len();
    let mut head = Vec::new();
    (&mut file)
        .take(powerlist::format::HEAD_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(io)?;
    powerlist::format::check_head(&head, len).map_err(|e| e.in_file(path.display()))?;
    // `check_head` bounds `len` by MAX_INDEX_BYTES.
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    bytes.extend_from_slice(&head);
    file.read_to_end(&mut bytes).map_err(io)?;
    Ok(bytes)
}

pub use crate::atomic::{write_atomic, write_dir};
