//! Writing the generated tables: CSV rows streamed to a file as they are made.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use powerlist::error::Error;

/// Writes `bytes` to `path` (a regular file or a new path, see
/// [`crate::files::check_output`]).
pub(super) fn write(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    crate::files::check_output(path)?;
    std::fs::write(path, bytes).map_err(|e| Error::io(path.display().to_string(), &e))
}

/// A CSV file being written, row by row.
pub(super) struct Csv {
    path: PathBuf,
    w: BufWriter<File>,
}

impl Csv {
    /// Creates `path` (a regular file or a new path) and writes the header row.
    pub(super) fn create(path: &Path, header: &str) -> Result<Csv, Error> {
        crate::files::check_output(path)?;
        let file = File::create(path).map_err(|e| Error::io(path.display().to_string(), &e))?;
        let mut csv = Csv {
            path: path.to_path_buf(),
            w: BufWriter::with_capacity(1 << 20, file),
        };
        csv.put(header.as_bytes())?;
        csv.put(b"\n")?;
        Ok(csv)
    }

    /// Writes one row, quoting the fields that need it.
    pub(super) fn row(&mut self, fields: &[&str]) -> Result<(), Error> {
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                self.put(b",")?;
            }
            if f.contains([',', '"', '\n', '\r']) {
                self.put(format!("\"{}\"", f.replace('"', "\"\"")).as_bytes())?;
            } else {
                self.put(f.as_bytes())?;
            }
        }
        self.put(b"\n")
    }

    /// Flushes the file.
    pub(super) fn finish(mut self) -> Result<(), Error> {
        self.w
            .flush()
            .map_err(|e| Error::io(self.path.display().to_string(), &e))
    }

    fn put(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.w
            .write_all(bytes)
            .map_err(|e| Error::io(self.path.display().to_string(), &e))
    }
}
