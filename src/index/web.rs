//! A chunked index (see [`crate::format::web`]): loading its core ([`Index::from_core`]),
//! adding chunks as they arrive ([`Index::add_chunk`]), and what it still lacks.

use std::sync::Arc;

use super::lazy::{decode, Lazy, Shards, Shared};
use super::{bad, Index, Sections};
use crate::error::{Error, IndexError, Part};
use crate::format::web::{
    chunk_hash, chunk_name, ChunkHead, Split, WebDir, DIR, HEAD, IN_CORE, PIECE_BASE,
};
use crate::format::{section, Container};

/// What a chunked index knows of its chunks.
pub(super) struct Web {
    build: u64,
    names: Arc<[String]>,
    hashes: Vec<[u8; 8]>,
    sizes: Vec<u64>,
    /// For each piece, by its number: the section it belongs to and its place there.
    pieces: Vec<(u32, usize)>,
    /// (chunk, piece number) of every piece a chunk carries, by chunk: what a chunk fills is
    /// found without a walk over every piece.
    carried: Vec<(u32, u32)>,
}

/// The sections a chunked index cuts, in the order their pieces are numbered.
const SPLIT: [(u32, Part); 6] = [
    (section::ITEMS, Part::Items),
    (section::ARTICLES, Part::Articles),
    (section::POSTINGS, Part::Postings),
    (section::REGIONS, Part::Regions),
    (section::TERMS, Part::Terms),
    (section::PINYIN, Part::Pinyin),
];

impl Index {
    /// Loads the core of a chunked index (`core.bin`, written by `powerlist build --web`). The
    /// index answers what the core holds at once; whatever else a call needs is
    /// [`Error::NeedChunks`] until [`Index::add_chunk`] gives it.
    pub fn from_core(bytes: &[u8]) -> Result<Index, Error> {
        let buf = Arc::new(bytes.to_vec());
        let c = Container::parse(&buf)?;
        if c.range(DIR).is_err() {
            return Err(IndexError::NotACore.into());
        }
        let dir: WebDir = decode(c.section(DIR)?, Part::Metadata)?;
        let names: Arc<[String]> = dir.chunks.iter().map(|c| chunk_name(&c.hash)).collect();
        let mut lazies = Vec::with_capacity(SPLIT.len());
        let mut pieces = Vec::new();
        let mut carried = Vec::new();
        for (id, part) in SPLIT {
            let split = find(&dir, id)?;
            let lazy = Lazy::pieces(split, &names, part)?;
            for (i, p) in split.pieces.iter().enumerate() {
                let n = PIECE_BASE
                    .checked_add(u32::try_from(pieces.len()).map_err(|_| bad(part))?)
                    .ok_or_else(|| bad(part))?;
                if p.chunk == IN_CORE {
                    let (s, e) = c.range(n)?;
                    c.section(n)?;
                    if !lazy.fill(i, Shared::new(&buf, s, e)) {
                        return Err(bad(part));
                    }
                }
                if p.chunk != IN_CORE {
                    carried.push((p.chunk, n - PIECE_BASE));
                }
                pieces.push((id, i));
            }
            lazies.push((lazy, split));
        }
        let mut it = lazies.into_iter();
        let mut next = || it.next().ok_or_else(|| bad(Part::Metadata));
        let (items, _) = next()?;
        let (articles, _) = next()?;
        let (postings, _) = next()?;
        let (regions, r) = next()?;
        let assign = super::regions::AssignPieces::new(&r.firsts)?;
        let (terms, t) = next()?;
        let (pinyin, p) = next()?;
        let s = Sections::with_tables(
            items,
            articles,
            regions,
            postings,
            Shards::split(terms, &t.firsts)?,
            Shards::split(pinyin, &p.firsts)?,
        )?;
        let web = Web {
            build: dir.build,
            names,
            hashes: dir.chunks.iter().map(|c| c.hash).collect(),
            sizes: dir.chunks.iter().map(|c| c.bytes).collect(),
            pieces,
            carried: {
                // In chunk order already, as `build --web` numbers chunks in piece order (a
                // sort of its own would be 7 KB of the browser's module).
                if !carried.windows(2).all(|w| w[0] <= w[1]) {
                    super::heap_sort(&mut carried);
                }
                carried
            },
        };
        Index::assemble(&buf, &c, s, Some((web, assign)), bytes.len())
    }

    /// Adds a chunk of a chunked index (a `<name>.bin` file): checks that it belongs to this
    /// index's build, its hash against the directory's, and its container. Adding a chunk
    /// twice does nothing.
    pub fn add_chunk(&self, bytes: &[u8]) -> Result<(), Error> {
        let web = self.web.as_ref().ok_or(IndexError::ChunkedCore)?;
        let buf = Arc::new(bytes.to_vec());
        let c = Container::parse(&buf)?;
        let head: ChunkHead = decode(c.section(HEAD)?, Part::Metadata)?;
        if head.build != web.build {
            return Err(IndexError::ForeignChunk {
                expected: web.build,
                found: head.build,
            }
            .into());
        }
        let at = head.chunk as usize;
        let name = web.names.get(at).ok_or_else(|| bad(Part::Metadata))?;
        if web.hashes.get(at) != Some(&chunk_hash(bytes)) {
            return Err(IndexError::ChunkChecksum {
                chunk: name.clone(),
            }
            .into());
        }
        let from = web.carried.partition_point(|&(c, _)| c < head.chunk);
        let mut carried = 0;
        for &(_, n) in web.carried[from..]
            .iter()
            .take_while(|&&(c, _)| c == head.chunk)
        {
            let &(id, i) = web
                .pieces
                .get(n as usize)
                .ok_or_else(|| bad(Part::Metadata))?;
            let lazy = self.lazy_of(id);
            let n = PIECE_BASE + n;
            let (s, e) = c.range(n)?;
            c.section(n)?;
            if !lazy.fill(i, Shared::new(&buf, s, e)) {
                return Err(bad(Part::Metadata));
            }
            carried += 1;
        }
        if carried == 0 {
            return Err(bad(Part::Metadata));
        }
        Ok(())
    }

    /// Whether this is a chunked index (loaded with [`Index::from_core`]).
    pub fn is_chunked(&self) -> bool {
        self.web.is_some()
    }

    /// A chunked index's chunks not added yet, with their sizes in bytes (empty for a single
    /// file): what a page copies to have the whole catalog offline.
    pub fn missing_chunks(&self) -> Vec<(String, u64)> {
        let Some(web) = &self.web else {
            return Vec::new();
        };
        let mut here = vec![true; web.names.len()];
        for &(id, i) in &web.pieces {
            if let Some(p) = self.lazy_of(id).piece_list().get(i) {
                if let Some(h) = here.get_mut(p.chunk as usize) {
                    *h &= p.bytes.get().is_some();
                }
            }
        }
        web.names
            .iter()
            .zip(&web.sizes)
            .zip(here)
            .filter(|(_, h)| !h)
            .map(|((n, &b), _)| (n.clone(), b))
            .collect()
    }

    /// Nothing when the records of items `ids` are here; else the error naming every chunk
    /// that holds some of them (a page asks for a page of items in one round).
    pub fn need_items(&self, ids: impl IntoIterator<Item = u32>) -> Result<(), Error> {
        if self.web.is_none() {
            return Ok(());
        }
        let mut need = crate::search::Need::default();
        for id in ids {
            let at = self.items.offsets_at(id as usize);
            let offsets = self.items_bytes.read(at, at.saturating_add(8))?;
            if let Some((s, _)) = self.items.record(offsets) {
                need.add(self.items_bytes.need(s))?;
            }
        }
        need.ask()
    }

    /// Nothing when the texts of these (law, article) are here; else the error naming every
    /// chunk that holds some of them.
    pub(crate) fn need_articles(
        &self,
        keys: impl IntoIterator<Item = (u16, u32)>,
    ) -> Result<(), Error> {
        if self.web.is_none() {
            return Ok(());
        }
        let mut need = crate::search::Need::default();
        for key in keys {
            let Ok(i) = self.meta.article_keys.binary_search(&key) else {
                continue;
            };
            let at = self.articles.offsets_at(i);
            let offsets = self.articles_bytes.read(at, at.saturating_add(8))?;
            if let Some((s, _)) = self.articles.record(offsets) {
                need.add(self.articles_bytes.need(s))?;
            }
        }
        need.ask()
    }

    /// Nothing when the regions section is here; else the error naming its chunk.
    pub(crate) fn regions_bytes_need(&self) -> Result<(), Error> {
        self.regions_bytes.need(0)
    }

    /// Nothing when the postings list at `offset` is here; else the error naming its chunk.
    pub(crate) fn postings_need(&self, offset: u64) -> Result<(), Error> {
        self.postings
            .need(usize::try_from(offset).map_err(|_| bad(Part::Postings))?)
    }

    /// The section a piece belongs to.
    fn lazy_of(&self, id: u32) -> &Lazy {
        match id {
            section::ITEMS => &self.items_bytes,
            section::ARTICLES => &self.articles_bytes,
            section::POSTINGS => &self.postings,
            section::REGIONS => &self.regions_bytes,
            section::TERMS => self.terms.lazy(),
            _ => self.pinyin.lazy(),
        }
    }
}

/// The directory's entry for section `id`.
fn find(dir: &WebDir, id: u32) -> Result<&Split, Error> {
    dir.sections
        .iter()
        .find(|s| s.section == id)
        .ok_or_else(|| IndexError::MissingSection { section: id }.into())
}
