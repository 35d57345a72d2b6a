//! The chunked form of an index, for the web: a small **core** that answers the first query,
//! and **chunks** fetched when a query, an item or a region first needs them.
//!
//! `powerlist build DATA --web DIR` writes `DIR/core.bin` and one `DIR/<name>.bin` per chunk,
//! where `<name>` is the 16 hex digits of [`chunk_hash`] of the chunk's bytes (so a chunk's URL
//! never changes meaning, and a server may cache it for ever). Both are [containers](super::container)
//! with the usual header, table and block checksums:
//!
//! ```text
//! core.bin   META, ATTRS, CODES (as in the single file), DIR (a postcard WebDir), and the
//!            pieces small enough to travel with it (section PIECE_BASE + piece number)
//! <name>.bin HEAD (a postcard ChunkHead: the build, the chunk number), then its pieces
//! ```
//!
//! The other sections of the single file are cut into **pieces** at record boundaries, so no
//! record, postings list or text straddles two pieces: item records and article texts (the blob
//! table's offsets travel in the core), postings lists, the regions section; the terms and pinyin
//! FSTs are cut into **shards**, each a complete FST over a range of keys (a shard's first key is
//! in the directory). [`WebDir`] says how long each piece is (they follow each other without
//! gaps) and which chunk carries it, and each chunk's hash and length.
//!
//! The reader ([`crate::Index::from_core`]) needs the core only. Reading a piece that has not
//! arrived is [`crate::Error::NeedChunks`], naming the chunks to fetch; the caller fetches them,
//! adds them ([`crate::Index::add_chunk`]) and asks again, so an answer is never made from part
//! of what it needs. A chunk is checked when it is added: its build (a chunk of another build is
//! [`crate::error::IndexError::ForeignChunk`]), its hash against the directory's (so a damaged
//! or altered chunk is refused whole), its container, and a shard's FST nodes.
//!
//! ```
//! # use powerlist_build::catalog::{Catalog, SourceFile, Sources};
//! # let sources = Sources {
//! #     items: SourceFile::new("items.csv", "code,name,type,field,level,department,basis\nA-1,对乱扔垃圾的行政处罚,行政处罚,城市管理,县级,城管,\n"),
//! #     regions: None, assignments: None, bodies: None, laws: vec![] };
//! # let catalog = Catalog::compile(&sources).unwrap();
//! let single = powerlist_build::writer::write_index(&catalog).unwrap();
//! let web = powerlist_build::web::split(&single, &Default::default()).unwrap();
//! let index = powerlist::Index::from_core(&web.core).unwrap();
//! let needs = match index.search("垃圾", &Default::default()) {
//!     Err(powerlist::Error::NeedChunks(names)) => names,
//!     other => panic!("{other:?}"),
//! };
//! for name in needs {
//!     let chunk = web.chunks.iter().find(|c| c.name == name).unwrap();
//!     index.add_chunk(&chunk.bytes).unwrap();
//! }
//! # let mut r = index.search("垃圾", &Default::default());
//! # while let Err(powerlist::Error::NeedChunks(names)) = &r {
//! #     for name in names { index.add_chunk(&web.chunks.iter().find(|c| &c.name == name).unwrap().bytes).unwrap(); }
//! #     r = index.search("垃圾", &Default::default());
//! # }
//! # assert_eq!(r.unwrap().total, 1);
//! ```

use serde::{Deserialize, Serialize};

/// Section id of the chunk directory ([`WebDir`]), in the core.
pub const DIR: u32 = 10;
/// Section id of a chunk's head ([`ChunkHead`]).
pub const HEAD: u32 = 11;
/// Section id of piece `n` in a core or a chunk: `PIECE_BASE + n`.
pub const PIECE_BASE: u32 = 0x1000;
/// [`PieceRef::chunk`] of a piece that travels in the core.
pub const IN_CORE: u32 = u32::MAX;

/// Where the pieces of a chunked index are (the core's `DIR` section).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebDir {
    /// The build: a hash of the single-file index the core and chunks were cut from. Every
    /// chunk names it.
    pub build: u64,
    /// The chunk files, numbered as [`PieceRef::chunk`] refers to them.
    pub chunks: Vec<ChunkRef>,
    /// The sections cut into pieces, each once.
    pub sections: Vec<Split>,
}

/// A chunk file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChunkRef {
    /// Its [`chunk_hash`]: its name is the hash in 16 lowercase hex digits ([`chunk_name`]), the
    /// file `<name>.bin` beside the core.
    pub hash: [u8; 8],
    /// Its length in bytes (for progress while copying every chunk).
    pub bytes: u64,
}

/// A section of the single file, cut into pieces.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Split {
    /// The section's id ([`super::section`]).
    pub section: u32,
    /// Its length in the single file: the pieces, one after another, cover `0..len`.
    pub len: u64,
    /// For an FST section cut into shards, each shard's first key (empty otherwise).
    pub firsts: Vec<Vec<u8>>,
    /// The pieces, in section order.
    pub pieces: Vec<PieceRef>,
}

/// A piece of a section: the next `len` bytes of the section, carried by a chunk (or the core).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PieceRef {
    /// Its length.
    pub len: u64,
    /// The chunk that carries it, an index into [`WebDir::chunks`], or [`IN_CORE`].
    pub chunk: u32,
}

/// What a chunk says about itself (its `HEAD` section).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChunkHead {
    /// The build it belongs to ([`WebDir::build`]).
    pub build: u64,
    /// Its number in [`WebDir::chunks`].
    pub chunk: u32,
}

/// The first piece of a chunked index's regions section: the regions section without its
/// assignments, and with only the regions it **lists**. A catalog whose whole region list
/// would not travel in the core (a country's: 44,703 regions, 290 KB brotli) leaves each
/// county's townships (every descendant of a region two levels below a root, when they follow
/// it in the list and their codes begin with its code) to the pieces of assignments that
/// cover their numbers: a township's first answer fetches its county's townships, not the
/// country's.
///
/// Regions keep their numbers in the whole list (assignments and parents use them): listed
/// region `j` is number `j + left_out[0] + … + left_out[j - 1]`, and the regions it leaves out
/// are the `left_out[j]` numbers after it. A region's code is found by its listed ancestor
/// whose code begins it; a name not listed needs every piece.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RegionsHead {
    /// The regions section without assignments (no `assignments`, no `dated`): the listed
    /// regions, the bodies more than a few pieces name and their contacts, the documents and
    /// terms.
    pub section: super::RegionsSection,
    /// For each listed region, how many regions after it are left out (empty: none is).
    pub left_out: Vec<u32>,
    /// Bit `j % 8` of byte `j / 8`: listed region `j` has assignments of its own (empty: any
    /// listed region may have), so a township's answer does not fetch the pieces of its
    /// province and city when they have none.
    pub assigned: Vec<u8>,
}

/// A piece of a chunked index's assignments (the regions section's pieces after the first):
/// the assignments of consecutive regions, and the names of the bodies that only they name.
///
/// The first piece of the regions section ([`RegionsHead`]) holds the listed regions and the
/// bodies more than a few pieces name (the modes, a province's departments), numbered first;
/// then come the bodies of each piece in piece order, so a piece's own bodies are consecutive
/// numbers (a body that two to four pieces name is copied into each, under a number of each's).
/// The piece's first key in the directory is its first region (u32 BE; 0 for the first piece
/// when regions are left out, so every number has a piece) then the number of its first own
/// body (u32 BE): a township's handlers, and its record when the first piece leaves it out,
/// arrive with its assignments, and the country's body and township names are never fetched
/// whole.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AssignPiece {
    /// The assignments, sorted by region then item.
    pub assignments: Vec<super::AssignRecord>,
    /// The names of the bodies numbered from the piece's first own body on.
    pub bodies: Vec<String>,
    /// How to reach those of its own bodies the catalog gives a contact for, sorted by body
    /// (numbered as the assignments number them): a township's handlers arrive with how to
    /// reach them.
    pub contacts: Vec<super::BodyContact>,
    /// The terms of its assignments that have some, by position in `assignments` (the terms
    /// and documents they name travel in the first piece).
    pub dated: Vec<super::DatedRecord>,
    /// The regions the first piece leaves out ([`RegionsHead::left_out`]) whose numbers fall
    /// in the piece's range (from its first region to the next piece's), in order.
    pub regions: Vec<super::RegionRecord>,
}

/// A chunk's hash: 64-bit FNV-1a of its bytes, big-endian. It names the chunk and checks it
/// on arrival (whatever changes a chunk changes its name, so a cache may keep it for ever).
pub fn chunk_hash(bytes: &[u8]) -> [u8; 8] {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h.to_be_bytes()
}

/// A chunk's name: its hash in 16 lowercase hex digits.
pub fn chunk_name(hash: &[u8; 8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(16);
    for &b in hash {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
    out
}
