//! Strong ETags from the bytes of the file sent (XXH3-128 of its content), kept in memory while
//! the file keeps its size, modification time and inode: a file rewritten or replaced while the
//! server runs gets a new tag at its next request, without a restart.

use std::collections::HashMap;
use std::fs::{File, Metadata};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::SystemTime;

use xxhash_rust::xxh3::Xxh3Default;

/// Past this many files, the cache starts again (files come and go: test folders, old builds).
const MAX_ENTRIES: usize = 4096;

/// What identifies one version of a file without reading it.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Version {
    len: u64,
    modified: Option<SystemTime>,
    /// Inode and change time: a file replaced by a rename, or rewritten within the clock's
    /// tick, with the same size.
    #[cfg(unix)]
    inode: (u64, i64, i64),
}

impl Version {
    fn of(meta: &Metadata) -> Version {
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt;
        Version {
            len: meta.len(),
            modified: meta.modified().ok(),
            #[cfg(unix)]
            inode: (meta.ino(), meta.ctime(), meta.ctime_nsec()),
        }
    }
}

/// The content hashes of the files served, by path.
#[derive(Default)]
pub struct Etags {
    hashes: Mutex<HashMap<PathBuf, (Version, u128)>>,
}

impl Etags {
    /// The ETag of the file at `path`, `suffix` added inside the quotes (`-br`, `-gz` for the
    /// encoded variants): `"<32 hex digits><suffix>"`. Reads the file (64 KiB at a time) only
    /// when this version of it has not been read before.
    pub fn of(&self, path: &Path, suffix: &str) -> std::io::Result<String> {
        let mut file = File::open(path)?;
        let version = Version::of(&file.metadata()?);
        let known = self
            .lock()
            .get(path)
            .filter(|(v, _)| *v == version)
            .map(|(_, hash)| *hash);
        let hash = match known {
            Some(hash) => hash,
            None => {
                let hash = hash_of(&mut file)?;
                let mut hashes = self.lock();
                if hashes.len() >= MAX_ENTRIES {
                    hashes.clear();
                }
                hashes.insert(path.to_path_buf(), (version, hash));
                hash
            }
        };
        Ok(format!("\"{hash:032x}{suffix}\""))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, (Version, u128)>> {
        // A panic while holding the lock leaves a map that is still valid.
        self.hashes.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn hash_of(file: &mut File) -> std::io::Result<u128> {
    let mut hasher = Xxh3Default::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match file.read(&mut buf) {
            Ok(0) => return Ok(hasher.digest128()),
            Ok(n) => hasher.update(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}
