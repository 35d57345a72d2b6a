//! The index container: magic, format version, section table, sections, checksum.
//!
//! ```text
//! offset  size  what
//! 0       8     magic  b"PWRLIDX\x1a"
//! 8       4     format version (u32 LE)
//! 12      4     number of sections n (u32 LE)
//! 16      24n   section table: id (u32), reserved (u32, 0), offset (u64), length (u64), all LE
//! ...           sections, each inside [16 + 24n, total - 4)
//! total-4 4     CRC-32 (IEEE) of every byte before it
//! ```
//!
//! [`Container::parse`] checks, in this order, the length, the magic, the version, every offset and
//! length (with checked arithmetic), then the checksum; only then are sections handed out. Unknown
//! section ids are ignored, so later versions can add sections (e.g. per-county shards) that older
//! readers skip. It never panics, whatever the bytes.

use crate::error::Error;

/// The first eight bytes of every index.
pub const MAGIC: &[u8; 8] = b"PWRLIDX\x1a";
/// The format version this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;
const HEADER: usize = 16;
const ENTRY: usize = 24;
const MAX_SECTIONS: usize = 256;

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
}

/// Builds a container from sections.
pub fn write(sections: &[(u32, Vec<u8>)]) -> Vec<u8> {
    let table_end = HEADER + ENTRY * sections.len();
    let total_sections: usize = sections.iter().map(|(_, b)| b.len()).sum();
    let mut out = Vec::with_capacity(table_end + total_sections + 4);
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
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// A validated container: section ranges into the bytes it was parsed from.
#[derive(Debug)]
pub struct Container<'a> {
    bytes: &'a [u8],
    sections: Vec<(u32, usize, usize)>,
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        b.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(
        b.get(at..at.checked_add(8)?)?.try_into().ok()?,
    ))
}

fn corrupt(what: &str) -> Error {
    Error::Index(format!(
        "{what}; the file is damaged or truncated; download it again or rebuild it with `powerlist build`"
    ))
}

impl<'a> Container<'a> {
    /// Validates `bytes` as a container.
    pub fn parse(bytes: &'a [u8]) -> Result<Container<'a>, Error> {
        if bytes.is_empty() {
            return Err(Error::Index("the index is empty (0 bytes); build one with `powerlist build DATA_DIR -o FILE.idx`".into()));
        }
        if bytes.len() < HEADER + 4 {
            if !MAGIC.starts_with(&bytes[..bytes.len().min(8)]) {
                return Err(not_an_index());
            }
            return Err(corrupt(&format!(
                "the index is only {} bytes long",
                bytes.len()
            )));
        }
        if &bytes[..8] != MAGIC {
            return Err(not_an_index());
        }
        let version = u32_at(bytes, 8).unwrap_or(0);
        if version != FORMAT_VERSION {
            let hint = if version > FORMAT_VERSION {
                "upgrade powerlist (and the web page's module) to read it"
            } else {
                "rebuild the index from its catalog with this powerlist"
            };
            return Err(Error::Index(format!(
                "the index has format version {version}, but powerlist {} reads format version {FORMAT_VERSION}; {hint}",
                crate::VERSION
            )));
        }
        let count = u32_at(bytes, 12).unwrap_or(u32::MAX) as usize;
        if count > MAX_SECTIONS {
            return Err(corrupt(&format!(
                "the section table claims {count} sections"
            )));
        }
        let table_end = HEADER + ENTRY * count;
        let body_end = bytes.len() - 4;
        if table_end > body_end {
            return Err(corrupt("the section table runs past the end of the file"));
        }
        let mut sections = Vec::with_capacity(count);
        for i in 0..count {
            let at = HEADER + ENTRY * i;
            let (Some(id), Some(off), Some(len)) = (
                u32_at(bytes, at),
                u64_at(bytes, at + 8),
                u64_at(bytes, at + 16),
            ) else {
                return Err(corrupt("the section table is cut short"));
            };
            let start =
                usize::try_from(off).map_err(|_| corrupt("a section offset is out of range"))?;
            let len =
                usize::try_from(len).map_err(|_| corrupt("a section length is out of range"))?;
            let end = start
                .checked_add(len)
                .ok_or_else(|| corrupt("a section length overflows"))?;
            if start < table_end || end > body_end {
                return Err(corrupt(&format!(
                    "section {id} lies outside the file (bytes {start}..{end} of {})",
                    bytes.len()
                )));
            }
            if sections.iter().any(|&(other, _, _)| other == id) {
                return Err(corrupt(&format!("section {id} appears twice")));
            }
            sections.push((id, start, end));
        }
        let stored = u32_at(bytes, body_end).unwrap_or(0);
        let actual = crc32fast::hash(&bytes[..body_end]);
        if stored != actual {
            return Err(corrupt(&format!(
                "checksum mismatch (stored {stored:08x}, computed {actual:08x})"
            )));
        }
        Ok(Container { bytes, sections })
    }

    /// The bytes of a section, or an error naming the missing section.
    pub fn section(&self, id: u32) -> Result<&'a [u8], Error> {
        self.sections
            .iter()
            .find(|s| s.0 == id)
            .map(|&(_, s, e)| &self.bytes[s..e])
            .ok_or_else(|| corrupt(&format!("required section {id} is missing")))
    }
}

fn not_an_index() -> Error {
    Error::Index(
        "this is not a powerlist index (wrong magic bytes); build one with `powerlist build DATA_DIR -o FILE.idx` and check the URL or path"
            .into(),
    )
}

/// Appends `v` as a LEB128 varint.
#[inline]
pub fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// A bounds-checked reader over bytes.
#[derive(Debug, Clone)]
pub struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor at `pos`.
    pub fn new(bytes: &'a [u8], pos: usize) -> Cursor<'a> {
        Cursor { bytes, pos }
    }

    /// Reads a LEB128 varint; `None` when it runs past the end or past 64 bits.
    #[inline]
    pub fn varint(&mut self) -> Option<u64> {
        let mut v: u64 = 0;
        let mut shift = 0;
        loop {
            let b = *self.bytes.get(self.pos)?;
            self.pos += 1;
            if shift >= 64 || (shift == 63 && b > 1) {
                return None;
            }
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(v);
            }
            shift += 7;
        }
    }

    /// Takes the next `n` bytes.
    pub fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let b = self.bytes.get(self.pos..end)?;
        self.pos = end;
        Some(b)
    }

    /// Reads a varint that must fit a u32.
    #[inline]
    pub fn u32(&mut self) -> Option<u32> {
        self.varint().and_then(|v| u32::try_from(v).ok())
    }
}

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

/// A validated blob table, owning its bytes.
#[derive(Debug, Clone)]
pub struct Blobs {
    offsets: Vec<u32>,
    data: Vec<u8>,
}

impl Blobs {
    /// Validates a blob table: every offset in order and inside the data.
    pub fn parse(bytes: &[u8], what: &str) -> Result<Blobs, Error> {
        let bad = || corrupt(&format!("the {what} table is malformed"));
        let n = u32_at(bytes, 0).ok_or_else(bad)? as usize;
        let table = n
            .checked_add(1)
            .and_then(|x| x.checked_mul(4))
            .and_then(|x| x.checked_add(4))
            .ok_or_else(bad)?;
        if table > bytes.len() {
            return Err(bad());
        }
        let data = &bytes[table..];
        let mut offsets = Vec::with_capacity(n + 1);
        let mut prev = 0u32;
        for i in 0..=n {
            let o = u32_at(bytes, 4 + 4 * i).ok_or_else(bad)?;
            if o < prev || o as usize > data.len() || (i == 0 && o != 0) {
                return Err(bad());
            }
            offsets.push(o);
            prev = o;
        }
        Ok(Blobs {
            offsets,
            data: data.to_vec(),
        })
    }

    /// How many records.
    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Record `i`, if it exists.
    pub fn get(&self, i: usize) -> Option<&[u8]> {
        let s = *self.offsets.get(i)? as usize;
        let e = *self.offsets.get(i + 1)? as usize;
        self.data.get(s..e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let bytes = write(&[(1, b"abc".to_vec()), (2, vec![])]);
        let c = Container::parse(&bytes).unwrap();
        assert_eq!(c.section(1).unwrap(), b"abc");
        assert_eq!(c.section(2).unwrap(), b"");
        assert!(c.section(3).is_err());
    }

    #[test]
    fn varints() {
        let mut v = Vec::new();
        for x in [0u64, 1, 127, 128, 300, u32::MAX as u64, u64::MAX] {
            v.clear();
            put_varint(&mut v, x);
            assert_eq!(Cursor::new(&v, 0).varint(), Some(x));
        }
        assert_eq!(Cursor::new(&[0xff; 11], 0).varint(), None);
        assert_eq!(Cursor::new(&[0x80], 0).varint(), None);
    }

    #[test]
    fn blobs_validate() {
        let b = write_blobs(&[b"ab".to_vec(), b"c".to_vec()]);
        let t = Blobs::parse(&b, "test").unwrap();
        assert_eq!(t.get(1), Some(&b"c"[..]));
        assert_eq!(t.get(2), None);
        assert!(Blobs::parse(&b[..6], "test").is_err());
    }
}
