//! The index's bytes as its sections see them: [`Shared`] (one buffer, shared by every FST and
//! every section read in place), [`Lazy`] (a section checked block by block on first read) and
//! the FST loading that checks every node before `fst` may read one.

use serde::Deserialize;

use super::bad;
use crate::error::{Error, Part};
use crate::format::{Blobs, Container, LazyCheck};

/// The index file's bytes, owned once and shared by the FSTs and the sections read in place.
#[derive(Clone)]
pub(crate) struct Shared {
    buf: std::sync::Arc<Vec<u8>>,
    start: usize,
    end: usize,
}

impl AsRef<[u8]> for Shared {
    #[inline]
    fn as_ref(&self) -> &[u8] {
        self.buf.get(self.start..self.end).unwrap_or(&[])
    }
}

/// An FST over a section of the index's bytes.
pub(crate) type Fst = fst::Map<Shared>;

/// A section read in place and checked block by block on first read.
pub(super) struct Lazy {
    bytes: Shared,
    pub(super) check: LazyCheck,
}

impl Lazy {
    /// Section `id` of `buf` (parsed as `c`), nothing checked yet.
    pub(super) fn new(
        buf: &std::sync::Arc<Vec<u8>>,
        c: &Container,
        id: u32,
    ) -> Result<Lazy, Error> {
        let (start, end) = c.range(id)?;
        Ok(Lazy {
            bytes: Shared {
                buf: buf.clone(),
                start,
                end,
            },
            check: c.lazy(id)?,
        })
    }

    /// The whole section, checked or not: read it only after [`Lazy::check`].
    pub(super) fn bytes(&self) -> &[u8] {
        self.bytes.as_ref()
    }

    /// Checks `from..to` of the section (each block once).
    pub(super) fn check(&self, from: usize, to: usize) -> Result<(), Error> {
        self.check.check(self.bytes(), from, to)
    }

    /// Checks every block of the section (each once).
    pub(super) fn check_all(&self) -> Result<(), Error> {
        self.check.check_all(self.bytes())
    }

    /// The whole section checked, as an FST (its nodes checked too, see [`load_fst`]).
    pub(super) fn fst(&self, part: Part) -> Result<Fst, Error> {
        self.check_all()?;
        load_fst(self.bytes.clone(), part)
    }

    /// Record `i` of a blob table in this section, its offsets and bytes checked.
    pub(super) fn blob(&self, table: &Blobs, i: usize, part: Part) -> Result<&[u8], Error> {
        let at = table.offsets_at(i);
        self.check(at, at.saturating_add(8))?;
        let (s, e) = table.range(self.bytes(), i).ok_or_else(|| bad(part))?;
        self.check(s, e)?;
        self.bytes().get(s..e).ok_or_else(|| bad(part))
    }
}

/// An FST section (its blocks checked by the caller, [`Lazy::fst`]): fst's own checks, the root
/// address (which fst reads from the footer without a bounds check: a forged footer made the
/// first lookup index past the end), and every node ([`crate::format::fst_check`]). fst's own
/// checksum is not computed again: the block checksums cover the same bytes, and it is not
/// proof against a forger either.
fn load_fst(bytes: Shared, part: Part) -> Result<Fst, Error> {
    check_fst(bytes.as_ref(), part)?;
    fst::Map::new(bytes).map_err(|_| bad(part))
}

fn check_fst(bytes: &[u8], part: Part) -> Result<(), Error> {
    // Footer (format 3): …, length (u64 LE), root address (u64 LE), checksum (u32 LE).
    let root = bytes
        .len()
        .checked_sub(12)
        .and_then(|at| bytes.get(at..at + 8))
        .and_then(|b| <[u8; 8]>::try_from(b).ok())
        .map(u64::from_le_bytes)
        .ok_or_else(|| bad(part))?;
    if root >= bytes.len().saturating_sub(20) as u64 {
        return Err(bad(part));
    }
    // fst's own checks of the footer (format, type, length)…
    fst::Map::new(bytes).map_err(|_| bad(part))?;
    // … and, as checksums can be forged, every node fst may read.
    let root = usize::try_from(root).map_err(|_| bad(part))?;
    if !crate::format::fst_check::nodes_are_sound(bytes, root) {
        return Err(bad(part));
    }
    Ok(())
}

/// A postcard-encoded record of `part`.
pub(super) fn decode<'a, T: Deserialize<'a>>(bytes: &'a [u8], part: Part) -> Result<T, Error> {
    postcard::from_bytes(bytes).map_err(|_| bad(part))
}
