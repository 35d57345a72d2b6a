//! The container: header, section table, sections and their block checksums (see [`crate::format`]).

use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{Error, IndexError, TableError};

/// The first eight bytes of every index.
pub const MAGIC: &[u8; 8] = b"PWRLIDX\x1a";
/// The format version this build writes and reads.
pub const FORMAT_VERSION: u32 = 6;
/// Bytes per checksummed block: small enough that checking the blocks a query reads for the
/// first time costs microseconds, large enough that the checksums are 0.02 % of the file.
pub const BLOCK: usize = 16 << 10;
const HEADER: usize = 16;
const ENTRY: usize = 24;
const MAX_SECTIONS: usize = 256;
/// The most bytes [`check_head`] needs from the start of a file: the header and the largest
/// section table.
pub const HEAD_BYTES: usize = HEADER + ENTRY * MAX_SECTIONS;
/// The largest index a file may hold (4 GiB; the browser's memory is 32-bit, and a catalog of a
/// million items makes about 600 MB).
pub const MAX_INDEX_BYTES: u64 = 4 << 30;

/// Section ids.
pub mod section {
    /// Catalog-wide metadata (postcard).
    pub const META: u32 = 1;
    /// Per-item fixed attributes (postcard).
    pub const ATTRS: u32 = 2;
    /// Item records (blob table).
    pub const ITEMS: u32 = 3;
    /// Cited article texts (blob table).
    pub const ARTICLES: u32 = 4;
    /// Codes FST: folded code → item id.
    pub const CODES: u32 = 5;
    /// Terms FST: key → postings offset.
    pub const TERMS: u32 = 6;
    /// Postings lists.
    pub const POSTINGS: u32 = 7;
    /// Regions and assignments (postcard).
    pub const REGIONS: u32 = 8;
    /// Pinyin FST: full-pinyin and initials windows → the texts they spell (in the postings
    /// section).
    pub const PINYIN: u32 = 9;
}

fn blocks(len: usize) -> usize {
    len.div_ceil(BLOCK)
}

/// Builds a container from sections.
pub fn write(sections: &[(u32, Vec<u8>)]) -> Vec<u8> {
    let table_end = HEADER + ENTRY * sections.len();
    let total_sections: usize = sections.iter().map(|(_, b)| b.len()).sum();
    let sums: usize = sections.iter().map(|(_, b)| 4 * blocks(b.len())).sum();
    let mut out = Vec::with_capacity(table_end + total_sections + sums + 4);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(sections.len() as u32).to_le_bytes());
    let mut offset = table_end as u64;
    for (id, bytes) in sections {
        out.extend_from_slice(&id.to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&offset.to_le_bytes());
        out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        offset += bytes.len() as u64;
    }
    for (_, bytes) in sections {
        out.extend_from_slice(bytes);
    }
    let sums_start = out.len();
    for (_, bytes) in sections {
        for block in bytes.chunks(BLOCK) {
            out.extend_from_slice(&crate::crc32::hash(block).to_le_bytes());
        }
    }
    let crc = trailer_crc(&out, table_end, sums_start, out.len());
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

fn trailer_crc(bytes: &[u8], table_end: usize, sums_start: usize, sums_end: usize) -> u32 {
    let mut h = crate::crc32::Hasher::new();
    h.update(bytes.get(..table_end).unwrap_or(&[]));
    h.update(bytes.get(sums_start..sums_end).unwrap_or(&[]));
    h.finalize()
}

/// Recomputes every checksum of `bytes` from its own table, so that only the checks that do not
/// rely on checksums remain: for fuzzing the section decoders (a forger can do the same, which is
/// why every decoder checks what it reads). Leaves bytes whose table does not fit unchanged.
#[doc(hidden)]
pub fn reseal(bytes: &mut [u8]) {
    let Ok(layout) = Layout::read(bytes) else {
        return;
    };
    for s in &layout.sections {
        for b in 0..blocks(s.end - s.start) {
            let from = s.start + b * BLOCK;
            let to = (from + BLOCK).min(s.end);
            let crc = crate::crc32::hash(&bytes[from..to]);
            let at = layout.sums_start + 4 * (s.first_block + b);
            bytes[at..at + 4].copy_from_slice(&crc.to_le_bytes());
        }
    }
    let body_end = bytes.len() - 4;
    let crc = trailer_crc(bytes, layout.table_end, layout.sums_start, body_end);
    bytes[body_end..].copy_from_slice(&crc.to_le_bytes());
}

/// A section's place in the file and the index of its first block checksum.
#[derive(Debug, Clone, Copy)]
struct Placed {
    id: u32,
    start: usize,
    end: usize,
    first_block: usize,
}

/// Where everything is, read from the header and the table (checked for fit, not checksums).
struct Layout {
    table_end: usize,
    sums_start: usize,
    sections: Vec<Placed>,
}

impl Layout {
    fn read(bytes: &[u8]) -> Result<Layout, Error> {
        check_start(bytes, bytes.len() as u64)?;
        let count = u32_at(bytes, 12).unwrap_or(u32::MAX) as usize;
        if count > MAX_SECTIONS {
            return Err(table(TableError::TooManySections { count }));
        }
        let table_end = HEADER + ENTRY * count;
        let body_end = bytes.len() - 4;
        if table_end > body_end {
            return Err(table(TableError::PastEnd));
        }
        let mut sections: Vec<Placed> = Vec::with_capacity(count);
        let mut nblocks = 0usize;
        for i in 0..count {
            let at = HEADER + ENTRY * i;
            let (Some(id), Some(off), Some(len)) = (
                u32_at(bytes, at),
                u64_at(bytes, at + 8),
                u64_at(bytes, at + 16),
            ) else {
                return Err(table(TableError::CutShort));
            };
            let start = usize::try_from(off).map_err(|_| table(TableError::OffsetOutOfRange))?;
            let len = usize::try_from(len).map_err(|_| table(TableError::LengthOutOfRange))?;
            let end = start
                .checked_add(len)
                .ok_or_else(|| table(TableError::LengthOverflows))?;
            if start < table_end || end > body_end {
                return Err(table(TableError::OutsideFile {
                    section: id,
                    start,
                    end,
                    len: bytes.len(),
                }));
            }
            if sections.iter().any(|s| s.id == id) {
                return Err(table(TableError::Duplicate { section: id }));
            }
            sections.push(Placed {
                id,
                start,
                end,
                first_block: nblocks,
            });
            nblocks += blocks(len);
        }
        let sums_start = nblocks
            .checked_mul(4)
            .and_then(|n| body_end.checked_sub(n))
            .filter(|&s| s >= table_end)
            .ok_or_else(|| table(TableError::ChecksumsPastStart))?;
        if let Some(s) = sections.iter().find(|s| s.end > sums_start) {
            return Err(table(TableError::OverlapsChecksums {
                section: s.id,
                start: s.start,
                end: s.end,
                checksums: sums_start,
            }));
        }
        Ok(Layout {
            table_end,
            sums_start,
            sections,
        })
    }
}

/// Checks a file before it is read whole, from its first `min(len, HEAD_BYTES)` bytes (`head`)
/// and its length `len`: the magic, the format version, a length of at most
/// [`MAX_INDEX_BYTES`], and that the header, the sections the table declares and their block
/// checksums add up to `len` exactly (as [`write()`] lays them out). A file that passes may still
/// be damaged: [`Container::parse`] and the section checks follow once it is read.
///
/// ```
/// use powerlist::format::container::check_head;
/// use powerlist::format::FORMAT_VERSION;
/// assert!(check_head(b"PK\x03\x04", 2_000_000_000).unwrap_err().to_string().contains("not a powerlist index"));
/// let mut head = b"PWRLIDX\x1a".to_vec();
/// head.extend(powerlist::format::FORMAT_VERSION.to_le_bytes());
/// head.extend(0u32.to_le_bytes());
/// assert!(check_head(&head, 20).is_ok());
/// assert!(check_head(&head, 3_000_000_000).unwrap_err().to_string().contains("declares 20 bytes"));
/// ```
pub fn check_head(head: &[u8], len: u64) -> Result<(), Error> {
    check_start(head, len)?;
    if len > MAX_INDEX_BYTES {
        return Err(table(TableError::TooLarge {
            len,
            max: MAX_INDEX_BYTES,
        }));
    }
    let count = u32_at(head, 12).unwrap_or(u32::MAX) as usize;
    if count > MAX_SECTIONS {
        return Err(table(TableError::TooManySections { count }));
    }
    let table_end = HEADER + ENTRY * count;
    let mut declared = (table_end + 4) as u64;
    for i in 0..count {
        let Some(n) = u64_at(head, HEADER + ENTRY * i + 16) else {
            return Err(table(TableError::PastEnd));
        };
        // Each length is below MAX_INDEX_BYTES or the sum exceeds `len`: no overflow.
        declared = declared.saturating_add(n.saturating_add(4 * n.div_ceil(BLOCK as u64)));
    }
    if declared != len {
        return Err(table(TableError::SizeMismatch { declared, len }));
    }
    Ok(())
}

/// The checks of a file's first 16 bytes (`head` starts the file, which is `len` bytes long):
/// not empty, the magic, long enough, the version.
fn check_start(head: &[u8], len: u64) -> Result<(), Error> {
    if len == 0 {
        return Err(IndexError::Empty.into());
    }
    if len < (HEADER + 4) as u64 || head.len() < HEADER {
        if !MAGIC.starts_with(&head[..head.len().min(8)]) {
            return Err(IndexError::NotAnIndex.into());
        }
        let len = usize::try_from(len).unwrap_or(usize::MAX);
        return Err(IndexError::Truncated { len }.into());
    }
    if &head[..8] != MAGIC {
        return Err(IndexError::NotAnIndex.into());
    }
    let version = u32_at(head, 8).unwrap_or(0);
    if version != FORMAT_VERSION {
        return Err(IndexError::Version {
            found: version,
            supported: FORMAT_VERSION,
        }
        .into());
    }
    Ok(())
}

pub(crate) fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        b.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(
        b.get(at..at.checked_add(8)?)?.try_into().ok()?,
    ))
}

fn table(e: TableError) -> Error {
    IndexError::Table(e).into()
}

/// A parsed container: where each section is, and its block checksums.
#[derive(Debug)]
pub struct Container<'a> {
    bytes: &'a [u8],
    sections: Vec<Placed>,
    sums_start: usize,
}

impl<'a> Container<'a> {
    /// Validates the header, the section table and the block checksums' own checksum.
    /// Sections are checked when they are read.
    pub fn parse(bytes: &'a [u8]) -> Result<Container<'a>, Error> {
        let layout = Layout::read(bytes)?;
        let body_end = bytes.len() - 4;
        let stored = u32_at(bytes, body_end).unwrap_or(0);
        let actual = trailer_crc(bytes, layout.table_end, layout.sums_start, body_end);
        if stored != actual {
            return Err(IndexError::TableChecksum {
                stored,
                computed: actual,
            }
            .into());
        }
        Ok(Container {
            bytes,
            sections: layout.sections,
            sums_start: layout.sums_start,
        })
    }

    fn placed(&self, id: u32) -> Result<Placed, Error> {
        self.sections
            .iter()
            .find(|s| s.id == id)
            .copied()
            .ok_or_else(|| IndexError::MissingSection { section: id }.into())
    }

    /// The bytes of a section, every block checked; or an error naming the missing or damaged
    /// section.
    pub fn section(&self, id: u32) -> Result<&'a [u8], Error> {
        let (start, end) = self.range(id)?;
        let check = self.lazy(id)?;
        let bytes = &self.bytes[start..end];
        check.check(bytes, 0, bytes.len())?;
        Ok(bytes)
    }

    /// Where a section lies in the file (`start..end`), without checking its bytes.
    pub fn range(&self, id: u32) -> Result<(usize, usize), Error> {
        let s = self.placed(id)?;
        Ok((s.start, s.end))
    }

    /// The block checksums of a section, for checking its bytes as they are first read.
    pub fn lazy(&self, id: u32) -> Result<LazyCheck, Error> {
        let s = self.placed(id)?;
        let n = blocks(s.end - s.start);
        let from = self.sums_start + 4 * s.first_block;
        let sums = (0..n)
            .map(|b| u32_at(self.bytes, from + 4 * b).unwrap_or(0))
            .collect();
        Ok(LazyCheck {
            section: id,
            sums,
            done: (0..n.div_ceil(64)).map(|_| AtomicU64::new(0)).collect(),
        })
    }
}

/// The block checksums of one section, and which blocks have been checked already. Each block is
/// checked the first time any of its bytes is read; a block that fails stays unchecked, so every
/// later read of it fails too.
#[derive(Debug)]
pub struct LazyCheck {
    section: u32,
    sums: Vec<u32>,
    done: Vec<AtomicU64>,
}

impl LazyCheck {
    /// Checks the blocks holding `bytes[from..to]` (`bytes`: the whole section), unless they
    /// were checked before. An empty range checks nothing.
    #[inline]
    pub fn check(&self, bytes: &[u8], from: usize, to: usize) -> Result<(), Error> {
        if from >= to {
            return Ok(());
        }
        for b in from / BLOCK..=(to - 1) / BLOCK {
            let (word, bit) = (b / 64, 1u64 << (b % 64));
            let Some(done) = self.done.get(word) else {
                return Err(self.damaged(b));
            };
            if done.load(Ordering::Relaxed) & bit != 0 {
                continue;
            }
            let start = b * BLOCK;
            let block = bytes.get(start..(start + BLOCK).min(bytes.len()));
            match (block, self.sums.get(b)) {
                (Some(block), Some(&sum)) if crate::crc32::hash(block) == sum => {
                    done.fetch_or(bit, Ordering::Relaxed);
                }
                _ => return Err(self.damaged(b)),
            }
        }
        Ok(())
    }

    /// Checks every block of the section.
    pub fn check_all(&self, bytes: &[u8]) -> Result<(), Error> {
        self.check(bytes, 0, bytes.len())
    }

    /// Checks blocks not checked yet, in order, until about `budget` bytes were checked.
    /// Returns the bytes checked, and whether every block is checked now.
    pub fn check_some(&self, bytes: &[u8], budget: usize) -> Result<(usize, bool), Error> {
        let mut spent = 0;
        for b in 0..self.sums.len() {
            let done = self
                .done
                .get(b / 64)
                .is_some_and(|w| w.load(Ordering::Relaxed) & (1 << (b % 64)) != 0);
            if done {
                continue;
            }
            if spent >= budget {
                return Ok((spent, false));
            }
            let from = b * BLOCK;
            self.check(bytes, from, (from + BLOCK).min(bytes.len()))?;
            spent += BLOCK;
        }
        Ok((spent, true))
    }

    fn damaged(&self, block: usize) -> Error {
        IndexError::Checksum {
            section: self.section,
            block,
        }
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `check_head` passes what `write` writes, refuses every truncation and extension of it,
    /// and every one-byte change of the header and the section lengths that `Layout::read`
    /// refuses (offsets are left to `Layout::read`).
    #[test]
    fn the_head_check_agrees_with_the_whole_file() {
        let big: Vec<u8> = (0..BLOCK + 9).map(|i| (i * 13 % 251) as u8).collect();
        let bytes = write(&[(1, b"abc".to_vec()), (7, big), (9, vec![])]);
        let head = |b: &[u8]| b[..b.len().min(HEAD_BYTES)].to_vec();
        assert!(check_head(&head(&bytes), bytes.len() as u64).is_ok());
        for len in 0..bytes.len() {
            let cut = &bytes[..len];
            assert!(check_head(&head(cut), len as u64).is_err(), "{len}");
        }
        assert!(check_head(&head(&bytes), bytes.len() as u64 + 1).is_err());
        let lengths = (0..3).flat_map(|i| HEADER + ENTRY * i + 16..HEADER + ENTRY * i + 24);
        for at in (0..HEADER).chain(lengths) {
            let mut b = bytes.clone();
            b[at] ^= 0x21;
            let quick = check_head(&head(&b), b.len() as u64);
            if Layout::read(&b).is_err() {
                assert!(quick.is_err(), "byte {at}");
            }
        }
        let err = check_head(b"PWRLIDX\x1a", 1 << 40).unwrap_err().to_string();
        assert!(err.contains("only"), "{err}");
    }

    #[test]
    fn round_trip() {
        let bytes = write(&[(1, b"abc".to_vec()), (2, vec![])]);
        let c = Container::parse(&bytes).unwrap();
        assert_eq!(c.section(1).unwrap(), b"abc");
        assert_eq!(c.section(2).unwrap(), b"");
        assert!(c.section(3).is_err());
    }

    #[test]
    fn blocks_are_checked_one_by_one_and_once() {
        let big: Vec<u8> = (0..3 * BLOCK + 5).map(|i| (i * 7 % 251) as u8).collect();
        let mut bytes = write(&[(1, b"x".to_vec()), (7, big.clone())]);
        let (start, end) = Container::parse(&bytes).unwrap().range(7).unwrap();
        // Damage the third block: the others still read, the third never does.
        bytes[start + 2 * BLOCK + 1] ^= 0x40;
        let c = Container::parse(&bytes).unwrap();
        let check = c.lazy(7).unwrap();
        let section = &bytes[start..end];
        assert!(check.check(section, 0, 10).is_ok());
        assert!(check.check(section, BLOCK - 1, BLOCK + 1).is_ok());
        assert!(check.check(section, 3 * BLOCK, 3 * BLOCK + 5).is_ok());
        let err = check.check(section, 2 * BLOCK, 2 * BLOCK + 1).unwrap_err();
        assert!(err.to_string().contains("section 7 (block 2"), "{err}");
        assert!(check.check(section, BLOCK, 3 * BLOCK).is_err());
        assert!(check.check_all(section).is_err());
        assert!(c.section(7).is_err());
        assert_eq!(c.section(1).unwrap(), b"x");
        // Reading past the section is refused too.
        assert!(check.check(section, 0, section.len() + 1).is_err());
    }

    #[test]
    fn reseal_makes_changed_sections_check_again() {
        let mut bytes = write(&[(1, vec![5; BLOCK + 1])]);
        let at = bytes.len() - 9;
        bytes[at] ^= 1; // in the block checksums: the trailer catches it
        assert!(Container::parse(&bytes).is_err());
        reseal(&mut bytes);
        assert!(Container::parse(&bytes).is_ok());
        bytes[16 + 24] = 6;
        assert!(Container::parse(&bytes).unwrap().section(1).is_err());
        reseal(&mut bytes);
        assert_eq!(Container::parse(&bytes).unwrap().section(1).unwrap()[0], 6);
    }
}
