//! Blob tables: variable-length records behind an offset table, written by [`write_blobs`] and
//! read in place by [`Blobs`].

use super::container::u32_at;
use crate::error::{Error, IndexError, Part};

/// A table of variable-length records: `n` (u32 LE), `n + 1` offsets (u32 LE), then the data.
pub fn write_blobs(blobs: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&(blobs.len() as u32).to_le_bytes());
    let mut off = 0u32;
    out.extend_from_slice(&off.to_le_bytes());
    for b in blobs {
        off += b.len() as u32;
        out.extend_from_slice(&off.to_le_bytes());
    }
    for b in blobs {
        out.extend_from_slice(b);
    }
    out
}

/// A blob table read in place: the record count, checked to fit, and nothing else at load;
/// each record's two offsets are read and checked when the record is asked for.
#[derive(Debug, Clone, Copy, Default)]
pub struct Blobs {
    n: usize,
    data: usize,
}

impl Blobs {
    /// Reads a blob table's record count and checks that its offsets fit in `bytes` (the
    /// error names the table as `part`).
    pub fn parse(bytes: &[u8], part: Part) -> Result<Blobs, Error> {
        let n = u32_at(bytes, 0).ok_or(IndexError::BlobTable { part })? as usize;
        Blobs::with_count(n, bytes.len(), part)
    }

    /// A blob table of `n` records (its first four bytes) in `len` bytes: checks that its
    /// offsets fit.
    pub fn with_count(n: usize, len: usize, part: Part) -> Result<Blobs, Error> {
        let data = n
            .checked_add(1)
            .and_then(|x| x.checked_mul(4))
            .and_then(|x| x.checked_add(4))
            .filter(|&t| t <= len)
            .ok_or(IndexError::BlobTable { part })?;
        Ok(Blobs { n, data })
    }

    /// Where the records' data starts (after the count and the offsets).
    pub fn data_start(&self) -> usize {
        self.data
    }

    /// Where a record lies in the table's bytes, from its two offsets (the eight bytes at
    /// [`Blobs::offsets_at`]), if they are in order.
    pub fn record(&self, offsets: &[u8]) -> Option<(usize, usize)> {
        let s = self.data.checked_add(u32_at(offsets, 0)? as usize)?;
        let e = self.data.checked_add(u32_at(offsets, 4)? as usize)?;
        (s <= e).then_some((s, e))
    }

    /// How many records.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// Where record `i`'s offsets are in `bytes` (the table's bytes): `at..at + 8`.
    pub fn offsets_at(&self, i: usize) -> usize {
        4 + 4 * i
    }

    /// Where record `i` lies in `bytes` (the table's bytes), if it exists and its offsets are
    /// in order and inside the data.
    pub fn range(&self, bytes: &[u8], i: usize) -> Option<(usize, usize)> {
        if i >= self.n {
            return None;
        }
        let at = self.offsets_at(i);
        let (s, e) = self.record(bytes.get(at..at.checked_add(8)?)?)?;
        (e <= bytes.len()).then_some((s, e))
    }

    /// Record `i` of `bytes` (the table's bytes), if it exists.
    pub fn get<'b>(&self, bytes: &'b [u8], i: usize) -> Option<&'b [u8]> {
        let (s, e) = self.range(bytes, i)?;
        bytes.get(s..e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blobs_validate() {
        let b = write_blobs(&[b"ab".to_vec(), b"c".to_vec()]);
        let t = Blobs::parse(&b, Part::Items).unwrap();
        assert_eq!(t.get(&b, 0), Some(&b"ab"[..]));
        assert_eq!(t.get(&b, 1), Some(&b"c"[..]));
        assert_eq!(t.get(&b, 2), None);
        assert_eq!(
            Blobs::parse(&b[..6], Part::Articles).unwrap_err(),
            Error::from(IndexError::BlobTable {
                part: Part::Articles
            })
        );
        // Offsets out of order or past the data: that record is refused, not read.
        let mut swapped = b.clone();
        swapped[4..8].copy_from_slice(&3u32.to_le_bytes());
        assert_eq!(t.get(&swapped, 0), None);
        assert_eq!(t.get(&b[..b.len() - 1], 1), None);
    }
}
