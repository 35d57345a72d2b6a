//! Cuts a single-file index into the chunked form the web reads (see
//! [`powerlist::format::web`]): a core with what every first query needs, and content-named
//! chunks fetched on demand.
//!
//! Every cut falls on a record boundary: item records and article texts between records (the
//! tables' offsets travel in the core), postings between lists (every list start is a value of
//! the terms or pinyin FST), the terms and pinyin FSTs rebuilt as shards over ranges of keys,
//! the regions section whole.

use std::collections::BTreeSet;

use fst::{IntoStreamer, Streamer};
use powerlist::format::web::{
    chunk_hash, chunk_name, ChunkHead, ChunkRef, PieceRef, Split, WebDir, DIR, HEAD, IN_CORE,
    PIECE_BASE,
};
use powerlist::format::{self, section, AssignRecord, Blobs, Container, RegionsSection};
use powerlist::Error;
use sha2::{Digest, Sha256};

/// How large the pieces are (bytes before compression): smaller pieces mean fewer bytes
/// fetched for a first answer and more requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WebOptions {
    /// Item records per piece, in bytes.
    pub items: usize,
    /// Article texts per piece.
    pub articles: usize,
    /// Postings lists per piece.
    pub postings: usize,
    /// Keys per shard of the terms and pinyin FSTs, in FST bytes.
    pub shards: usize,
    /// Assignments per piece (whole regions, consecutive), in bytes.
    pub assignments: usize,
}

impl Default for WebOptions {
    fn default() -> Self {
        // Chosen on the sample (占道经营 and five other queries in a township, brotli): 2 KiB
        // postings and shards fetch 38 KB for 占道经营 against 54 KB at 4 KiB, for 266 more
        // chunks whose directory entries make the core 4 KB larger; 1 KiB shards save 2 KB
        // more and cost 4 KB of core.
        WebOptions {
            items: 2 << 10,
            articles: 8 << 10,
            postings: 2 << 10,
            shards: 2 << 10,
            assignments: 4 << 10,
        }
    }
}

/// A chunked index: the core and its chunks, each to be written as `<name>.bin`.
#[derive(Debug, Clone)]
pub struct WebIndex {
    /// `core.bin`.
    pub core: Vec<u8>,
    /// The chunks.
    pub chunks: Vec<Chunk>,
}

/// One chunk file.
#[derive(Debug, Clone)]
pub struct Chunk {
    /// Its name (16 hex digits of its [`chunk_hash`]).
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// A section cut into pieces: each piece's bytes and, for FST shards, first keys.
struct Cut {
    section: u32,
    len: usize,
    firsts: Vec<Vec<u8>>,
    pieces: Vec<(Vec<u8>, bool)>,
}

/// Cuts `single` (a whole index, as `writer::write_index` writes it) into a core and chunks.
/// The same index always gives the same bytes.
pub fn split(single: &[u8], opts: &WebOptions) -> Result<WebIndex, Error> {
    let c = Container::parse(single)?;
    let build = u64::from_be_bytes(sha256(single)[..8].try_into().unwrap_or([0; 8]));
    let terms = c.section(section::TERMS)?;
    let pinyin = c.section(section::PINYIN)?;
    let starts = list_starts(&[terms, pinyin])?;
    let cuts = [
        cut_blobs(&c, section::ITEMS, opts.items)?,
        cut_blobs(&c, section::ARTICLES, opts.articles)?,
        cut_at(
            section::POSTINGS,
            c.section(section::POSTINGS)?,
            &starts,
            opts.postings,
        ),
        cut_regions(c.section(section::REGIONS)?, opts.assignments)?,
        shard(section::TERMS, terms, opts.shards)?,
        shard(section::PINYIN, pinyin, opts.shards)?,
    ];
    let mut dir = WebDir {
        build,
        ..WebDir::default()
    };
    let mut chunks = Vec::new();
    let mut in_core = Vec::new();
    let mut n = PIECE_BASE;
    for cut in cuts {
        let mut split = Split {
            section: cut.section,
            len: cut.len as u64,
            firsts: cut.firsts,
            pieces: Vec::new(),
        };
        for (bytes, core) in cut.pieces {
            let chunk = if core {
                in_core.push((n, bytes.clone()));
                IN_CORE
            } else {
                let head = ChunkHead {
                    build,
                    chunk: chunks.len() as u32,
                };
                let file = format::write(&[(HEAD, encode(&head)?), (n, bytes.clone())]);
                let hash = chunk_hash(&file);
                dir.chunks.push(ChunkRef {
                    hash,
                    bytes: file.len() as u64,
                });
                chunks.push(Chunk {
                    name: chunk_name(&hash),
                    bytes: file,
                });
                head.chunk
            };
            split.pieces.push(PieceRef {
                len: bytes.len() as u64,
                chunk,
            });
            n += 1;
        }
        dir.sections.push(split);
    }
    let mut sections = vec![
        (section::META, c.section(section::META)?.to_vec()),
        (section::ATTRS, c.section(section::ATTRS)?.to_vec()),
        (section::CODES, c.section(section::CODES)?.to_vec()),
        (DIR, encode(&dir)?),
    ];
    sections.extend(in_core);
    Ok(WebIndex {
        core: format::write(&sections),
        chunks,
    })
}

/// Every postings offset the FSTs point to: where a list (or a pinyin window's texts) starts.
fn list_starts(fsts: &[&[u8]]) -> Result<BTreeSet<usize>, Error> {
    let mut out = BTreeSet::new();
    for bytes in fsts {
        let map =
            fst::Map::new(*bytes).map_err(|e| Error::Write(format!("reading an FST: {e}")))?;
        let mut s = map.stream();
        while let Some((_, v)) = s.next() {
            out.insert(v as usize);
        }
    }
    Ok(out)
}

/// A blob table: its count and offsets in the core, its records in pieces of about `size`.
fn cut_blobs(c: &Container, id: u32, size: usize) -> Result<Cut, Error> {
    let bytes = c.section(id)?;
    let part = if id == section::ITEMS {
        powerlist::error::Part::Items
    } else {
        powerlist::error::Part::Articles
    };
    let table = Blobs::parse(bytes, part)?;
    let data = table.data_start();
    let starts: BTreeSet<usize> = (0..table.len())
        .filter_map(|i| table.range(bytes, i).map(|(s, _)| s))
        .chain([data])
        .collect();
    let mut cut = cut_at(id, bytes, &starts, size);
    // The head (count and offsets) is the first piece, and travels in the core.
    if let Some(first) = cut.pieces.first_mut() {
        if first.0.len() > data {
            let rest = first.0.split_off(data);
            cut.pieces.insert(1, (rest, false));
        }
        cut.pieces[0].1 = true;
    }
    Ok(cut)
}

/// The largest regions-and-bodies piece that travels in the core.
const REGIONS_IN_CORE: usize = 16 << 10;

/// The most pieces the assignments are cut into: each is a chunk, and each chunk an entry of
/// the core's directory (about 15 bytes compressed), so the whole country's 5.8 million
/// assignments come in pieces of about 34 KB rather than 8,500 pieces of 4 KiB whose
/// directory alone would be 120 KB of the core.
const MAX_ASSIGN_PIECES: usize = 1024;

/// The regions section as a first piece with the regions and bodies (no assignments), then
/// the assignments in pieces of about `size` bytes (larger when there would be more than
/// [`MAX_ASSIGN_PIECES`]) over consecutive regions, each piece's first region (u32 BE) its
/// first key.
fn cut_regions(bytes: &[u8], size: usize) -> Result<Cut, Error> {
    let err = |e: postcard::Error| Error::Write(format!("re-encoding the regions section: {e}"));
    let mut section: RegionsSection = postcard::from_bytes(bytes).map_err(err)?;
    let assignments = std::mem::take(&mut section.assignments);
    // The regions and bodies travel in the core when small (a page's region picker needs them
    // before anything else), else as a chunk of their own.
    let head = postcard::to_allocvec(&section).map_err(err)?;
    let small = head.len() <= REGIONS_IN_CORE;
    let size = size.max(assignments.len() * 6 / MAX_ASSIGN_PIECES);
    let mut pieces = vec![(head, small)];
    let mut firsts = vec![Vec::new()];
    let mut piece: Vec<AssignRecord> = Vec::new();
    let mut bytes_in_piece = 0;
    for (i, a) in assignments.iter().enumerate() {
        let new_region = i == 0 || assignments[i - 1].region != a.region;
        if new_region && bytes_in_piece >= size {
            pieces.push((postcard::to_allocvec(&piece).map_err(err)?, false));
            piece.clear();
            bytes_in_piece = 0;
        }
        if piece.is_empty() {
            firsts.push(a.region.to_be_bytes().to_vec());
        }
        piece.push(*a);
        bytes_in_piece += 6;
    }
    if !piece.is_empty() {
        pieces.push((postcard::to_allocvec(&piece).map_err(err)?, false));
    }
    Ok(Cut {
        section: section::REGIONS,
        len: pieces.iter().map(|(p, _)| p.len()).sum(),
        firsts,
        pieces,
    })
}

/// `bytes` in pieces of about `size`, cut only at `starts` (a piece may be larger when one
/// record is).
fn cut_at(id: u32, bytes: &[u8], starts: &BTreeSet<usize>, size: usize) -> Cut {
    let mut pieces = Vec::new();
    let mut from = 0;
    for &s in starts.iter().filter(|&&s| s > 0 && s < bytes.len()) {
        if s - from >= size {
            pieces.push((bytes[from..s].to_vec(), false));
            from = s;
        }
    }
    if from < bytes.len() || pieces.is_empty() {
        pieces.push((bytes[from..].to_vec(), false));
    }
    Cut {
        section: id,
        len: bytes.len(),
        firsts: Vec::new(),
        pieces,
    }
}

/// An FST rebuilt as shards of about `size` bytes each, over consecutive ranges of keys.
fn shard(id: u32, bytes: &[u8], size: usize) -> Result<Cut, Error> {
    let err = |e: fst::Error| Error::Write(format!("sharding section {id}: {e}"));
    let map = fst::Map::new(bytes).map_err(err)?;
    let mut firsts = vec![Vec::new()];
    let mut pieces = Vec::new();
    let mut builder = fst::MapBuilder::memory();
    let mut s = map.into_stream();
    while let Some((k, v)) = s.next() {
        if builder.bytes_written() as usize >= size {
            let full = std::mem::replace(&mut builder, fst::MapBuilder::memory());
            pieces.push((full.into_inner().map_err(err)?, false));
            firsts.push(k.to_vec());
        }
        builder.insert(k, v).map_err(err)?;
    }
    pieces.push((builder.into_inner().map_err(err)?, false));
    let len = pieces.iter().map(|(p, _)| p.len()).sum();
    Ok(Cut {
        section: id,
        len,
        firsts,
        pieces,
    })
}

fn encode<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, Error> {
    postcard::to_allocvec(value)
        .map_err(|e| Error::Write(format!("encoding the chunk directory: {e}")))
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use powerlist::format::RegionRecord;

    /// A regions section of `regions` regions with `per` assignments each.
    fn regions_section(regions: u32, per: u32) -> Vec<u8> {
        let section = RegionsSection {
            regions: (0..regions)
                .map(|r| RegionRecord {
                    code: format!("{r:09}"),
                    name: format!("镇{r}"),
                    parent: None,
                })
                .collect(),
            bodies: vec!["综合行政执法局".into()],
            assignments: (0..regions)
                .flat_map(|region| {
                    (0..per).map(move |item| AssignRecord {
                        region,
                        item,
                        body: 0,
                        mode: 0,
                    })
                })
                .collect(),
        };
        postcard::to_allocvec(&section).unwrap()
    }

    #[test]
    fn assignments_come_in_pieces_of_whole_regions_and_never_too_many() {
        // Few: pieces of about the size asked for.
        // 100 regions of 300 bytes: 14 regions (4,200 bytes) a piece, then the rest.
        let cut = cut_regions(&regions_section(100, 50), 4096).unwrap();
        assert_eq!(cut.pieces.len(), 1 + 8);
        // Many (a country's): the pieces grow so that they stay at most MAX_ASSIGN_PIECES.
        let cut = cut_regions(&regions_section(20_000, 60), 4096).unwrap();
        let pieces = cut.pieces.len() - 1;
        assert!(
            (MAX_ASSIGN_PIECES / 2..=MAX_ASSIGN_PIECES + 1).contains(&pieces),
            "{pieces}"
        );
        // Each piece's first key is a region that starts in it: no region straddles two.
        let firsts: Vec<u32> = cut.firsts[1..]
            .iter()
            .map(|k| u32::from_be_bytes(k[..4].try_into().unwrap()))
            .collect();
        assert!(firsts.windows(2).all(|w| w[0] < w[1]));
    }
}
