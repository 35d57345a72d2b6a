//! The index's bytes as its sections see them: [`Shared`] (a buffer shared by every FST and
//! section read in place), [`Lazy`] (a section read in place: in a single file, checked block by
//! block on first read; in a chunked index, a run of pieces, each checked when its chunk
//! arrives), [`Shards`] (an FST section: one FST, or shards over ranges of keys) and the FST
//! loading that checks every node before `fst` may read one.

use std::sync::{Arc, OnceLock};

use serde::Deserialize;

use super::bad;
use crate::error::{Error, Part};
use crate::format::web::{Split, IN_CORE};
use crate::format::{Blobs, Container, LazyCheck};

/// Bytes owned once (a file, a chunk) and shared by the FSTs and sections read in place.
#[derive(Clone)]
pub(crate) struct Shared {
    buf: Arc<Vec<u8>>,
    start: usize,
    end: usize,
}

impl Shared {
    /// `start..end` of `buf` (empty when out of range).
    pub(super) fn new(buf: &Arc<Vec<u8>>, start: usize, end: usize) -> Shared {
        Shared {
            buf: buf.clone(),
            start,
            end,
        }
    }
}

impl AsRef<[u8]> for Shared {
    #[inline]
    fn as_ref(&self) -> &[u8] {
        self.buf.get(self.start..self.end).unwrap_or(&[])
    }
}

/// An FST over a section of the index's bytes.
pub(crate) type Fst = fst::Map<Shared>;

/// One piece of a section of a chunked index (see [`crate::format::web`]).
pub(super) struct Piece {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) chunk: u32,
    pub(super) bytes: OnceLock<Shared>,
}

/// Where a section's bytes are.
enum Store {
    /// The whole section, in one buffer, checked block by block on first read.
    Whole { bytes: Shared, check: LazyCheck },
    /// Pieces covering the section in order, each filled (and checked) when its chunk arrives.
    Pieces {
        pieces: Vec<Piece>,
        names: Arc<[String]>,
    },
}

/// A section read in place.
pub(super) struct Lazy {
    len: usize,
    part: Part,
    store: Store,
}

impl Lazy {
    /// Section `id` of a single file `buf` (parsed as `c`), nothing checked yet.
    pub(super) fn new(
        buf: &Arc<Vec<u8>>,
        c: &Container,
        id: u32,
        part: Part,
    ) -> Result<Lazy, Error> {
        let (start, end) = c.range(id)?;
        Ok(Lazy {
            len: end - start,
            part,
            store: Store::Whole {
                bytes: Shared::new(buf, start, end),
                check: c.lazy(id)?,
            },
        })
    }

    /// A section of a chunked index as the directory cuts it: the pieces, one after another,
    /// must cover `0..split.len` and name chunks that exist (`names`).
    pub(super) fn pieces(split: &Split, names: &Arc<[String]>, part: Part) -> Result<Lazy, Error> {
        let len = usize::try_from(split.len).map_err(|_| bad(part))?;
        let mut at = 0usize;
        let mut pieces = Vec::with_capacity(split.pieces.len().min(len));
        for p in &split.pieces {
            let start = at;
            let end = usize::try_from(p.len)
                .ok()
                .and_then(|l| start.checked_add(l))
                .filter(|&e| e <= len)
                .ok_or_else(|| bad(part))?;
            if p.chunk != IN_CORE && p.chunk as usize >= names.len() {
                return Err(bad(part));
            }
            at = end;
            pieces.push(Piece {
                start,
                end,
                chunk: p.chunk,
                bytes: OnceLock::new(),
            });
        }
        if at != len {
            return Err(bad(part));
        }
        Ok(Lazy {
            len,
            part,
            store: Store::Pieces {
                pieces,
                names: names.clone(),
            },
        })
    }

    /// The section's length.
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// The pieces of a chunked section (none for a single file's).
    pub(super) fn piece_list(&self) -> &[Piece] {
        match &self.store {
            Store::Whole { .. } => &[],
            Store::Pieces { pieces, .. } => pieces,
        }
    }

    /// The piece holding byte `at`, and whether it has arrived.
    fn piece_at(&self, at: usize) -> Result<&Piece, Error> {
        let pieces = self.piece_list();
        let i = pieces.partition_point(|p| p.end <= at);
        pieces.get(i).ok_or_else(|| bad(self.part))
    }

    /// The error naming the chunk that carries `piece`.
    fn needs(&self, piece: &Piece) -> Error {
        match &self.store {
            Store::Pieces { names, .. } => match names.get(piece.chunk as usize) {
                Some(name) => Error::NeedChunks(vec![name.clone()]),
                None => bad(self.part),
            },
            Store::Whole { .. } => bad(self.part),
        }
    }

    /// Nothing, when the piece holding byte `at` has arrived (or this is a single file);
    /// else the error naming its chunk.
    pub(super) fn need(&self, at: usize) -> Result<(), Error> {
        match &self.store {
            Store::Whole { .. } => Ok(()),
            Store::Pieces { .. } => {
                let p = self.piece_at(at)?;
                match p.bytes.get() {
                    Some(_) => Ok(()),
                    None => Err(self.needs(p)),
                }
            }
        }
    }

    /// The bytes of `from..to`, checked: in a chunked index they must lie in one piece (the
    /// writer never lets a record straddle two), which must have arrived.
    pub(super) fn read(&self, from: usize, to: usize) -> Result<&[u8], Error> {
        let (bytes, base) = self.window(from)?;
        let (s, e) = (
            from - base,
            to.checked_sub(base).ok_or_else(|| bad(self.part))?,
        );
        let out = bytes.get(s..e).ok_or_else(|| bad(self.part))?;
        self.check(from, to)?;
        Ok(out)
    }

    /// The bytes around `from` and where they start in the section: the whole section of a
    /// single file (not checked yet: [`Lazy::check`] what you read), or the piece holding
    /// `from` (checked when it arrived).
    pub(super) fn window(&self, from: usize) -> Result<(&[u8], usize), Error> {
        match &self.store {
            Store::Whole { bytes, .. } => Ok((bytes.as_ref(), 0)),
            Store::Pieces { .. } => {
                let p = self.piece_at(from)?;
                match p.bytes.get() {
                    Some(b) => Ok((b.as_ref(), p.start)),
                    None => Err(self.needs(p)),
                }
            }
        }
    }

    /// The bytes of `from..to` as a [`Shared`] (for an FST), checked.
    pub(super) fn shared(&self, from: usize, to: usize) -> Result<Shared, Error> {
        self.read(from, to)?;
        match &self.store {
            Store::Whole { bytes, .. } => Ok(Shared::new(
                &bytes.buf,
                bytes.start + from,
                bytes.start + to,
            )),
            Store::Pieces { .. } => {
                let p = self.piece_at(from)?;
                let b = p.bytes.get().ok_or_else(|| self.needs(p))?;
                Ok(Shared::new(
                    &b.buf,
                    b.start + (from - p.start),
                    b.start + (to - p.start),
                ))
            }
        }
    }

    /// Checks `from..to` of a single file's section (each block once); a chunked index's
    /// pieces were checked when they arrived.
    pub(super) fn check(&self, from: usize, to: usize) -> Result<(), Error> {
        match &self.store {
            Store::Whole { bytes, check } => check.check(bytes.as_ref(), from, to),
            Store::Pieces { .. } => Ok(()),
        }
    }

    /// Checks about `budget` more bytes; returns the bytes checked and whether all are.
    pub(super) fn check_some(&self, budget: usize) -> Result<(usize, bool), Error> {
        match &self.store {
            Store::Whole { bytes, check } => check.check_some(bytes.as_ref(), budget),
            Store::Pieces { .. } => Ok((0, true)),
        }
    }

    /// Fills piece `i` with `bytes`, which must have its length (`false` if not). The bytes
    /// were checked whole: a chunk against its hash, the core by its container.
    pub(super) fn fill(&self, i: usize, bytes: Shared) -> bool {
        let Some(p) = self.piece_list().get(i) else {
            return false;
        };
        if bytes.as_ref().len() != p.end - p.start {
            return false;
        }
        let _ = p.bytes.set(bytes);
        true
    }

    /// Record `i` of a blob table in this section, its offsets and bytes checked.
    pub(super) fn blob(&self, table: &Blobs, i: usize) -> Result<&[u8], Error> {
        if i >= table.len() {
            return Err(bad(self.part));
        }
        let at = table.offsets_at(i);
        let offsets = self.read(at, at.saturating_add(8))?;
        let (s, e) = table.record(offsets).ok_or_else(|| bad(self.part))?;
        if e > self.len {
            return Err(bad(self.part));
        }
        self.read(s, e)
    }
}

/// What a walk over keys calls with each key and its value: `false` stops it.
pub(crate) type KeyVisitor<'a> = dyn FnMut(&[u8], u64) -> Result<bool, Error> + 'a;

/// An automaton over numbered states that prunes a walk over an FST's keys, called through a
/// reference ([`Shards::for_each_matching`]): one copy of the walk serves every automaton in
/// the browser's module rather than one copy each.
pub(crate) trait KeyAutomaton {
    /// The state before the first byte.
    fn start(&self) -> usize;
    /// Whether a key ending in state `s` matches.
    fn is_match(&self, s: usize) -> bool;
    /// Whether some key going on from state `s` may match.
    fn can_match(&self, s: usize) -> bool;
    /// The state after byte `b` in state `s`.
    fn accept(&self, s: usize, b: u8) -> usize;
}

/// Matches every key.
struct Every;

impl KeyAutomaton for Every {
    fn start(&self) -> usize {
        0
    }
    fn is_match(&self, _: usize) -> bool {
        true
    }
    fn can_match(&self, _: usize) -> bool {
        true
    }
    fn accept(&self, _: usize, _: u8) -> usize {
        0
    }
}

/// A [`KeyAutomaton`] as fst's automaton.
struct ByRef<'a>(&'a dyn KeyAutomaton);

impl fst::Automaton for ByRef<'_> {
    type State = usize;
    fn start(&self) -> usize {
        self.0.start()
    }
    fn is_match(&self, s: &usize) -> bool {
        self.0.is_match(*s)
    }
    fn can_match(&self, s: &usize) -> bool {
        self.0.can_match(*s)
    }
    fn accept(&self, s: &usize, b: u8) -> usize {
        self.0.accept(*s, b)
    }
}

/// An FST section: one FST in a single file; in a chunked index, shards over ranges of keys,
/// each loaded (and its nodes checked) when first needed.
pub(crate) struct Shards {
    part: Part,
    /// Each shard's first key, ascending (the first is empty).
    firsts: Vec<Vec<u8>>,
    /// Each shard's bytes in the section.
    bounds: Vec<(usize, usize)>,
    lazy: Lazy,
    fsts: Vec<OnceLock<Fst>>,
}

impl Shards {
    /// The section as one FST (a single file).
    pub(super) fn whole(lazy: Lazy) -> Shards {
        let len = lazy.len();
        Shards::new(lazy, vec![Vec::new()], vec![(0, len)])
    }

    /// A chunked index's shards: one per piece, with their first keys.
    pub(super) fn split(lazy: Lazy, firsts: &[Vec<u8>]) -> Result<Shards, Error> {
        let bounds: Vec<(usize, usize)> =
            lazy.piece_list().iter().map(|p| (p.start, p.end)).collect();
        if firsts.len() != bounds.len()
            || firsts.first().is_some_and(|f| !f.is_empty())
            || !firsts.windows(2).all(|w| w[0] < w[1])
        {
            return Err(bad(lazy.part));
        }
        Ok(Shards::new(lazy, firsts.to_vec(), bounds))
    }

    fn new(lazy: Lazy, firsts: Vec<Vec<u8>>, bounds: Vec<(usize, usize)>) -> Shards {
        Shards {
            part: lazy.part,
            fsts: bounds.iter().map(|_| OnceLock::new()).collect(),
            firsts,
            bounds,
            lazy,
        }
    }

    pub(super) fn lazy(&self) -> &Lazy {
        &self.lazy
    }

    /// The shard whose range holds `key`.
    fn shard_of(&self, key: &[u8]) -> usize {
        self.firsts
            .partition_point(|f| f.as_slice() <= key)
            .saturating_sub(1)
    }

    /// Shard `i`, loaded (its bytes and nodes checked) on first use.
    pub(crate) fn shard(&self, i: usize) -> Result<&Fst, Error> {
        let cell = self.fsts.get(i).ok_or_else(|| bad(self.part))?;
        if let Some(f) = cell.get() {
            return Ok(f);
        }
        let (s, e) = self.bounds.get(i).copied().ok_or_else(|| bad(self.part))?;
        let f = load_fst(self.lazy.shared(s, e)?, self.part)?;
        Ok(cell.get_or_init(|| f))
    }

    /// The value of `key`.
    pub(crate) fn get(&self, key: &[u8]) -> Result<Option<u64>, Error> {
        Ok(self.shard(self.shard_of(key))?.get(key))
    }

    /// The shards that may hold keys in `lo..hi` (`hi` `None`: to the end), in key order;
    /// every missing chunk named at once.
    pub(crate) fn covering(&self, lo: &[u8], hi: Option<&[u8]>) -> Result<Vec<&Fst>, Error> {
        let first = self.shard_of(lo);
        let last = match hi {
            Some(hi) => self.firsts.partition_point(|f| f.as_slice() < hi).max(1) - 1,
            None => self.firsts.len().saturating_sub(1),
        };
        let mut out = Vec::new();
        let mut need = Vec::new();
        for i in first..=last.max(first) {
            match self.shard(i) {
                Ok(f) => out.push(f),
                Err(Error::NeedChunks(names)) => need.extend(names),
                Err(e) => return Err(e),
            }
        }
        if need.is_empty() {
            Ok(out)
        } else {
            need.dedup();
            Err(Error::NeedChunks(need))
        }
    }

    /// Calls `f` with each key in `lo..hi` (`hi` `None`: to the end) and its value, in key
    /// order, until it returns `false`.
    pub(crate) fn for_each_in(
        &self,
        lo: &[u8],
        hi: Option<&[u8]>,
        mut f: impl FnMut(&[u8], u64) -> Result<bool, Error>,
    ) -> Result<(), Error> {
        // A dynamic callback and automaton: one copy of the walk in the browser's module, not
        // one per caller.
        self.for_each_matching(&Every, lo, hi, &mut f)
    }

    /// As [`Shards::for_each_in`], for the keys `aut` matches (fst prunes the walk with it).
    pub(crate) fn for_each_matching(
        &self,
        aut: &dyn KeyAutomaton,
        lo: &[u8],
        hi: Option<&[u8]>,
        f: &mut KeyVisitor<'_>,
    ) -> Result<(), Error> {
        use fst::{IntoStreamer, Streamer};
        for shard in self.covering(lo, hi)? {
            let keys = shard.search(ByRef(aut)).ge(lo);
            let mut s = match hi {
                Some(hi) => keys.lt(hi),
                None => keys,
            }
            .into_stream();
            while let Some((k, v)) = s.next() {
                if !f(k, v)? {
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    /// Checks about `budget` more bytes; loads every shard once all are checked (a single
    /// file's one FST; a chunked index's shards that have arrived).
    pub(super) fn check_some(&self, budget: usize) -> Result<(usize, bool), Error> {
        let (spent, done) = self.lazy.check_some(budget)?;
        if done {
            for (i, p) in self.fsts.iter().enumerate() {
                let here = match self.lazy.piece_list().get(i) {
                    Some(piece) => piece.bytes.get().is_some(),
                    None => true,
                };
                if here && p.get().is_none() {
                    self.shard(i)?;
                }
            }
        }
        Ok((spent, done))
    }
}

/// An FST section (its blocks checked by the caller): fst's own checks, the root address
/// (which fst reads from the footer without a bounds check: a forged footer made the first
/// lookup index past the end), and every node ([`crate::format::fst_check`]). fst's own
/// checksum is not computed again: the block checksums cover the same bytes, and it is not
/// proof against a forger either.
pub(super) fn load_fst(bytes: Shared, part: Part) -> Result<Fst, Error> {
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

/// The value in `cell`, made by `make` the first time it succeeds or fails for good: a
/// [`Error::NeedChunks`] is not kept, so the next call, after the chunks arrive, tries again.
pub(super) fn once<T>(
    cell: &OnceLock<Result<T, Error>>,
    make: impl FnOnce() -> Result<T, Error>,
) -> Result<&T, Error> {
    if let Some(v) = cell.get() {
        return v.as_ref().map_err(Clone::clone);
    }
    match make() {
        Err(Error::NeedChunks(names)) => Err(Error::NeedChunks(names)),
        made => cell.get_or_init(|| made).as_ref().map_err(Clone::clone),
    }
}
