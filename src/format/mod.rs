//! The index container: magic, format version, section table, sections, block checksums.
//!
//! ```text
//! offset  size  what
//! 0       8     magic  b"PWRLIDX\x1a"
//! 8       4     format version (u32 LE)
//! 12      4     number of sections n (u32 LE)
//! 16      24n   section table: id (u32), reserved (u32, 0), offset (u64), length (u64), all LE
//! ...           sections, each inside [16 + 24n, S)
//! S       4m    block checksums: the CRC-32 (IEEE) of each BLOCK-byte block of each section,
//!               sections in table order (a section's last block may be short; an empty
//!               section has none), m blocks in all
//! total-4 4     CRC-32 of the header, the table and the block checksums
//! ```
//!
//! [`Container::parse`] checks, in this order, the length, the magic, the version, every offset and
//! length (with checked arithmetic), then the last checksum, which covers everything that says
//! where things are. It reads no section: a section's blocks are checked by whoever reads it,
//! before the bytes are used — the small sections on load ([`Container::section`]), the large
//! ones (postings, item records) one block at a time on first use ([`LazyCheck`]). So loading
//! costs the same for 500 items as for a million, and every byte is still checked before it is
//! believed. Unknown section ids are ignored, so later versions can add sections (e.g.
//! per-county shards) that older readers skip. It never panics, whatever the bytes.
//!
//! ```
//! use powerlist::format::{self, Container};
//! let bytes = format::write(&[(1, b"abc".to_vec())]);
//! let c = Container::parse(&bytes).unwrap();
//! assert_eq!(c.section(1).unwrap(), b"abc");
//! let mut damaged = bytes.clone();
//! damaged[16 + 24] ^= 1; // the first byte of section 1
//! let c = Container::parse(&damaged).unwrap(); // the table is fine …
//! assert!(c.section(1).unwrap_err().to_string().contains("checksum")); // … the section is not
//! ```
//!
//! The parts, each with its encoder beside its decoder:
//! - [`container`]: the header, the section table and the block checksums above;
//! - [`schema`]: what each section holds (postcard-encoded records) and the postings' key and
//!   field numbers;
//! - [`varint`] and [`blobs`]: the varints and offset tables the sections are made of;
//! - `fst_check`: a walk over every node of an FST before `fst` may read it.

pub mod blobs;
pub mod container;
pub(crate) mod fst_check;
pub mod schema;
pub mod varint;
pub mod web;

pub use blobs::{write_blobs, Blobs};
pub use container::{
    check_head, reseal, section, write, Container, LazyCheck, BLOCK, FORMAT_VERSION, HEAD_BYTES,
    MAGIC, MAX_INDEX_BYTES,
};
pub use schema::*;
pub use varint::{put_varint, Cursor};
