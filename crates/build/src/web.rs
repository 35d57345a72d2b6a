//! Cuts a single-file index into the chunked form the web reads (see
//! [`powerlist::format::web`]): a core with what every first query needs, and content-named
//! chunks fetched on demand.
//!
//! Every cut falls on a record boundary: item records and article texts between records (the
//! tables' offsets travel in the core), postings between lists (every list start is a value of
//! the terms or pinyin FST), the terms and pinyin FSTs rebuilt as shards over ranges of keys
//! (the terms' keyword keys cut where the groups of pair shards start, each keyword shard sent
//! in its group's chunk, so a character's pairs and keywords come in one request), the regions
//! section as its regions (each county's townships left to its assignments when the list is
//! large) and pieces of assignments over consecutive regions.

use std::collections::BTreeSet;

use fst::{IntoStreamer, Streamer};
use powerlist::format::schema::{KEY_KEYWORD, KEY_LITERAL, KEY_UNIT};
use powerlist::format::web::{
    chunk_hash, chunk_name, AssignPiece, ChunkHead, ChunkRef, PieceRef, RegionsHead, Split, WebDir,
    DIR, HEAD, IN_CORE, PIECE_BASE,
};
use powerlist::format::{
    self, section, AssignRecord, Blobs, BodyContact, Container, DatedRecord, RegionRecord,
    RegionsSection,
};
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
    /// The largest first piece of the regions section (the regions and the shared bodies)
    /// that travels in the core; when the one with every region would be larger, it leaves
    /// each county's townships to the pieces of assignments (see
    /// [`powerlist::format::web::RegionsHead`]).
    pub regions: usize,
}

impl Default for WebOptions {
    fn default() -> Self {
        // Chosen on the sample (占道经营, 乱扔垃圾, 噪音扰民, 渣土, 违法建设 拆除, zhandao,
        // CG-CF-014 and two citations, in a township; brotli, 300 bytes of headers a request,
        // a 150 ms round trip per six requests and 1.6 Mbit/s): shards of 1 KiB cut between
        // characters, each with the short lists of its keys, fetch 214 KB in 4.7 s for the
        // nine with a core of 27 KB; 768 bytes: 198 KB in 4.7 s, core 29 KB; 1.5 KiB: 249 KB
        // in 4.9 s, core 24 KB. (Before shards carried their lists: 325 KB in 8.5 s.)
        WebOptions {
            items: 2 << 10,
            articles: 8 << 10,
            postings: 2 << 10,
            shards: 1 << 10,
            assignments: 4 << 10,
            regions: 16 << 10,
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

/// Where a piece travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Place {
    /// In the core.
    Core,
    /// In a chunk of its own.
    Own,
    /// In the chunk of group `n`, with the other pieces of that group: a key shard with the
    /// short postings lists of its keys, which a search reads right after the shard.
    With(usize),
    /// In the chunk of county `n`'s assignments: a township's answer needs its county's
    /// assignments and its own, one request.
    County(u32),
}

/// A section cut into pieces: each piece's bytes and place and, for FST shards, first keys.
struct Cut {
    section: u32,
    len: usize,
    firsts: Vec<Vec<u8>>,
    pieces: Vec<(Vec<u8>, Place)>,
}

/// Cuts `single` (a whole index, as `writer::write_index` writes it) into a core and chunks.
/// The same index always gives the same bytes.
pub fn split(single: &[u8], opts: &WebOptions) -> Result<WebIndex, Error> {
    let c = Container::parse(single)?;
    let build = u64::from_be_bytes(sha256(single)[..8].try_into().unwrap_or([0; 8]));
    let terms = c.section(section::TERMS)?;
    let pinyin = c.section(section::PINYIN)?;
    let starts = list_starts(&[terms, pinyin])?;
    let keys = shard(section::TERMS, terms, opts.shards, true)?;
    let postings = c.section(section::POSTINGS)?;
    let cuts = [
        cut_blobs(&c, section::ITEMS, opts.items)?,
        cut_blobs(&c, section::ARTICLES, opts.articles)?,
        cut_postings(postings, &starts, &keys, opts.postings),
        cut_regions(c.section(section::REGIONS)?, opts.assignments, opts.regions)?,
        keys.cut,
        shard(section::PINYIN, pinyin, opts.shards, false)?.cut,
    ];
    let mut dir = WebDir {
        build,
        ..WebDir::default()
    };
    // Chunks are numbered in the order their first piece comes; each holds its pieces.
    let mut contents: Vec<Vec<(u32, Vec<u8>)>> = Vec::new();
    let mut groups = std::collections::HashMap::new();
    let mut in_core = Vec::new();
    let mut n = PIECE_BASE;
    for cut in cuts {
        let mut split = Split {
            section: cut.section,
            len: cut.len as u64,
            firsts: cut.firsts,
            pieces: Vec::new(),
        };
        for (bytes, place) in cut.pieces {
            let len = bytes.len() as u64;
            let chunk = match place {
                Place::Core => {
                    in_core.push((n, bytes));
                    IN_CORE
                }
                Place::Own => {
                    contents.push(vec![(n, bytes)]);
                    contents.len() as u32 - 1
                }
                Place::With(_) | Place::County(_) => {
                    let at = *groups.entry(place).or_insert_with(|| {
                        contents.push(Vec::new());
                        contents.len() - 1
                    });
                    contents[at].push((n, bytes));
                    at as u32
                }
            };
            split.pieces.push(PieceRef { len, chunk });
            n += 1;
        }
        dir.sections.push(split);
    }
    let mut chunks = Vec::with_capacity(contents.len());
    for (i, pieces) in contents.into_iter().enumerate() {
        let head = ChunkHead {
            build,
            chunk: i as u32,
        };
        let mut sections = vec![(HEAD, encode(&head)?)];
        sections.extend(pieces);
        let file = format::write(&sections);
        let hash = chunk_hash(&file);
        dir.chunks.push(ChunkRef {
            hash,
            bytes: file.len() as u64,
        });
        chunks.push(Chunk {
            name: chunk_name(&hash),
            bytes: file,
        });
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
            cut.pieces.insert(1, (rest, Place::Own));
        }
        cut.pieces[0].1 = Place::Core;
    }
    Ok(cut)
}

/// The most pieces the assignments are cut into: each is a chunk, and each chunk an entry of
/// the core's directory (about 15 bytes compressed), so the whole country's 5.8 million
/// assignments come in pieces of about 34 KB rather than 8,500 pieces of 4 KiB whose
/// directory alone would be 120 KB of the core.
const MAX_ASSIGN_PIECES: usize = 1024;

/// The regions section as a first piece ([`RegionsHead`]) with the regions and the bodies
/// several pieces name (no assignments), then the assignments in pieces of about `size` bytes
/// (larger when there would be more than [`MAX_ASSIGN_PIECES`]) over consecutive regions, each
/// with the names of the bodies only it names ([`AssignPiece`]); each piece's first key is its
/// first region and its first own body (u32 BE each). Bodies are renumbered so that each
/// piece's own are consecutive. When the first piece with every region would be larger than
/// `in_core` bytes, it leaves each county's townships to the pieces that cover their numbers
/// ([`left_out`]); it travels in the core when it is at most `in_core` bytes.
fn cut_regions(bytes: &[u8], size: usize, in_core: usize) -> Result<Cut, Error> {
    let err = |e: postcard::Error| Error::Write(format!("re-encoding the regions section: {e}"));
    let mut section: RegionsSection = postcard::from_bytes(bytes).map_err(err)?;
    let mut assignments = std::mem::take(&mut section.assignments);
    let dated = std::mem::take(&mut section.dated);
    let county = counties(&section.regions);
    let grouped = county_count(&county) <= MAX_ASSIGN_PIECES / 2;
    let runs = assignment_runs(&assignments, size, &county, grouped);
    let (shared, own, new_of) = renumber_bodies(&mut section.bodies, &mut assignments, &runs);
    let head_bodies = shared;
    // A body's contact goes with each of its copies.
    let mut contacts: Vec<_> = std::mem::take(&mut section.contacts)
        .into_iter()
        .flat_map(|c| {
            let news = new_of.get(c.body as usize).cloned().unwrap_or_default();
            news.into_iter().map(move |body| BodyContact {
                body,
                contact: c.contact.clone(),
            })
        })
        .collect();
    contacts.sort_by_key(|c| c.body);
    let piece_contacts =
        contacts.split_off(contacts.partition_point(|c| (c.body as usize) < head_bodies));
    section.contacts = contacts;
    let bodies = std::mem::take(&mut section.bodies);
    section.bodies = bodies[..head_bodies].to_vec();
    // The regions and shared bodies travel in the core when small (a page's region picker
    // needs them before anything else), else as a chunk of their own, without the townships
    // when the whole list would not travel in the core.
    let mut head = RegionsHead {
        section,
        left_out: Vec::new(),
        assigned: Vec::new(),
    };
    let mut encoded = postcard::to_allocvec(&head).map_err(err)?;
    let mut townships: Vec<Option<RegionRecord>> = Vec::new();
    if encoded.len() > in_core && !runs.is_empty() {
        let counts = left_out(&head.section.regions, &county);
        if counts.iter().any(|&n| n > 0) {
            townships = leave_out(&mut head, &counts, &assignments);
            encoded = postcard::to_allocvec(&head).map_err(err)?;
        }
    }
    let place = if encoded.len() <= in_core {
        Place::Core
    } else {
        Place::Own
    };
    let mut pieces = vec![(encoded, place)];
    let mut firsts = vec![Vec::new()];
    let mut next_body = head_bodies;
    for (k, (run, n_own)) in runs.iter().zip(own).enumerate() {
        let list = &assignments[run.clone()];
        // The first piece covers every number from 0 when regions are left out.
        let from = if k == 0 && !townships.is_empty() {
            0
        } else {
            list[0].region
        };
        let mut first = from.to_be_bytes().to_vec();
        first.extend_from_slice(&(next_body as u32).to_be_bytes());
        firsts.push(first);
        let own_range = next_body as u32..(next_body + n_own) as u32;
        let to = runs
            .get(k + 1)
            .map_or(townships.len(), |r| assignments[r.start].region as usize);
        // The run's terms, by position in the piece.
        let (lo, hi) = (run.start as u32, run.end as u32);
        let piece = AssignPiece {
            assignments: list.to_vec(),
            bodies: bodies[next_body..next_body + n_own].to_vec(),
            contacts: piece_contacts
                .iter()
                .filter(|c| own_range.contains(&c.body))
                .cloned()
                .collect(),
            dated: dated
                .get(dated.partition_point(|d| d.at < lo)..dated.partition_point(|d| d.at < hi))
                .unwrap_or_default()
                .iter()
                .map(|d| DatedRecord {
                    at: d.at.saturating_sub(lo),
                    terms: d.terms,
                })
                .collect(),
            regions: townships
                .get(from as usize..to.max(from as usize))
                .unwrap_or_default()
                .iter()
                .flatten()
                .cloned()
                .collect(),
        };
        next_body += n_own;
        let place = match county
            .get(list[0].region as usize)
            .copied()
            .flatten()
            .filter(|_| grouped)
        {
            Some(c) => Place::County(c),
            None => Place::Own,
        };
        pieces.push((postcard::to_allocvec(&piece).map_err(err)?, place));
    }
    Ok(Cut {
        section: section::REGIONS,
        len: pieces.iter().map(|(p, _)| p.len()).sum(),
        firsts,
        pieces,
    })
}

/// For each region, how many regions the first piece may leave out after it: a county's
/// descendants when they are the regions right after it and their codes begin with its code
/// (so a township's code finds its county), else none.
fn left_out(regions: &[RegionRecord], county: &[Option<u32>]) -> Vec<u32> {
    let mut below = vec![0u32; regions.len()];
    for (i, c) in county.iter().enumerate() {
        if let Some(c) = c.filter(|&c| c as usize != i) {
            below[c as usize] += 1;
        }
    }
    let mut out = vec![0u32; regions.len()];
    for (c, &n) in below.iter().enumerate() {
        let range = c + 1..c + 1 + n as usize;
        let code = &regions[c].code;
        let fits = n > 0
            && range.end <= regions.len()
            && range.clone().all(|i| {
                county[i] == Some(c as u32)
                    && regions[i].code.len() > code.len()
                    && regions[i].code.starts_with(code.as_str())
            });
        if fits {
            out[c] = n;
        }
    }
    out
}

/// Leaves out of `head` the regions `counts` says (see [`left_out`]), marks the listed regions
/// with assignments, and returns every region by number, `Some` for those left out.
fn leave_out(
    head: &mut RegionsHead,
    counts: &[u32],
    assignments: &[AssignRecord],
) -> Vec<Option<RegionRecord>> {
    let all = std::mem::take(&mut head.section.regions);
    let mut has = vec![false; all.len()];
    for a in assignments {
        if let Some(h) = has.get_mut(a.region as usize) {
            *h = true;
        }
    }
    let mut townships = vec![None; all.len()];
    let mut skip = 0;
    for (i, r) in all.into_iter().enumerate() {
        if skip > 0 {
            skip -= 1;
            townships[i] = Some(r);
            continue;
        }
        let j = head.section.regions.len();
        if j % 8 == 0 {
            head.assigned.push(0);
        }
        if has[i] {
            head.assigned[j / 8] |= 1 << (j % 8);
        }
        skip = counts[i];
        head.left_out.push(counts[i]);
        head.section.regions.push(r);
    }
    townships
}

/// Each region's county (its ancestor two levels below a root, or itself at that level; none
/// above it).
fn counties(regions: &[RegionRecord]) -> Vec<Option<u32>> {
    let mut depth = vec![0u8; regions.len()];
    let mut county = vec![None; regions.len()];
    for (i, r) in regions.iter().enumerate() {
        // Parents come before their children (the reader checks it).
        if let Some(p) = r.parent.map(|p| p as usize).filter(|&p| p < i) {
            depth[i] = depth[p].saturating_add(1);
            county[i] = if depth[i] == 2 {
                Some(i as u32)
            } else {
                county[p]
            };
        }
    }
    county
}

/// How many counties there are.
fn county_count(county: &[Option<u32>]) -> usize {
    let mut distinct: Vec<u32> = county.iter().flatten().copied().collect();
    distinct.sort_unstable();
    distinct.dedup();
    distinct.len()
}

/// The assignments (sorted by region) cut into runs of about `size` bytes (larger when there
/// would be more than [`MAX_ASSIGN_PIECES`]) over whole regions: where the county changes when
/// `grouped` (few counties: each county's assignments, its townships' included, then travel
/// in one chunk), else once the size is reached where the county changes (so a township's
/// assignments come with its county's), or within a county four times that size.
fn assignment_runs(
    assignments: &[AssignRecord],
    size: usize,
    county: &[Option<u32>],
    grouped: bool,
) -> Vec<std::ops::Range<usize>> {
    let size = size.max(assignments.len() * 6 / MAX_ASSIGN_PIECES);
    let county_of = |i: usize| {
        let r = assignments[i].region as usize;
        county.get(r).copied().flatten()
    };
    let mut runs = Vec::new();
    let mut from = 0;
    for i in 1..assignments.len() {
        if assignments[i - 1].region == assignments[i].region {
            continue;
        }
        let new_county = county_of(i) != county_of(i - 1) || county_of(i).is_none();
        let bytes = (i - from) * 6;
        let cut = if grouped {
            (county_of(i).is_some() && new_county) || bytes >= size
        } else {
            (new_county && bytes >= size) || bytes >= 4 * size
        };
        if cut {
            runs.push(from..i);
            from = i;
        }
    }
    if from < assignments.len() {
        runs.push(from..assignments.len());
    }
    runs
}

/// The most pieces of assignments that each carry a copy of a body they all name (a county's
/// departments when its assignments straddle two pieces, a township name found in a few counties)
/// rather than leave it to the first piece, which every first answer fetches.
const BODY_COPIES: usize = 4;

/// Renumbers `bodies` (and the assignments' bodies and modes): first those that more than
/// [`BODY_COPIES`] runs name or none does, then each run's own in run order — those only it
/// names and, copied into each, those that at most [`BODY_COPIES`] runs name. Returns how many
/// come first, how many each run owns and each old number's new ones.
fn renumber_bodies(
    bodies: &mut Vec<String>,
    assignments: &mut [AssignRecord],
    runs: &[std::ops::Range<usize>],
) -> (usize, Vec<usize>, Vec<Vec<u32>>) {
    // The runs that name each body, in order, up to one more than BODY_COPIES.
    let mut named: Vec<Vec<usize>> = vec![Vec::new(); bodies.len()];
    for (k, run) in runs.iter().enumerate() {
        for a in &assignments[run.clone()] {
            for b in [a.body, a.mode] {
                if let Some(n) = named.get_mut(b as usize) {
                    if n.last() != Some(&k) && n.len() <= BODY_COPIES {
                        n.push(k);
                    }
                }
            }
        }
    }
    let is_shared = |b: usize| named[b].is_empty() || named[b].len() > BODY_COPIES;
    let mut new_of: Vec<Vec<u32>> = vec![Vec::new(); bodies.len()];
    let mut order: Vec<usize> = Vec::with_capacity(bodies.len());
    for b in (0..bodies.len()).filter(|&b| is_shared(b)) {
        new_of[b].push(order.len() as u32);
        order.push(b);
    }
    let shared = order.len();
    // Each run's own, in old order: the bodies whose runs include it.
    let mut per_run: Vec<Vec<usize>> = vec![Vec::new(); runs.len()];
    for b in (0..bodies.len()).filter(|&b| !is_shared(b)) {
        for &k in &named[b] {
            per_run[k].push(b);
        }
    }
    let mut own = Vec::with_capacity(runs.len());
    // Each run's new number of each of its own bodies (old → new), for its assignments.
    let mut run_maps: Vec<std::collections::HashMap<u32, u32>> = Vec::with_capacity(runs.len());
    for list in &per_run {
        let mut map = std::collections::HashMap::with_capacity(list.len());
        for &b in list {
            map.insert(b as u32, order.len() as u32);
            new_of[b].push(order.len() as u32);
            order.push(b);
        }
        own.push(list.len());
        run_maps.push(map);
    }
    let old = std::mem::take(bodies);
    *bodies = order.iter().map(|&b| old[b].clone()).collect();
    let renumber = |b: u32, map: &std::collections::HashMap<u32, u32>| match map.get(&b) {
        Some(&n) => n,
        None => new_of
            .get(b as usize)
            .and_then(|n| n.first())
            .copied()
            .unwrap_or(b),
    };
    for (run, map) in runs.iter().zip(&run_maps) {
        for a in &mut assignments[run.clone()] {
            a.body = renumber(a.body, map);
            a.mode = renumber(a.mode, map);
        }
    }
    (shared, own, new_of)
}

/// `bytes` in pieces of about `size`, cut only at `starts` (a piece may be larger when one
/// record is).
fn cut_at(id: u32, bytes: &[u8], starts: &BTreeSet<usize>, size: usize) -> Cut {
    let mut pieces = Vec::new();
    let mut from = 0;
    for &s in starts.iter().filter(|&&s| s > 0 && s < bytes.len()) {
        if s - from >= size {
            pieces.push((bytes[from..s].to_vec(), Place::Own));
            from = s;
        }
    }
    if from < bytes.len() || pieces.is_empty() {
        pieces.push((bytes[from..].to_vec(), Place::Own));
    }
    Cut {
        section: id,
        len: bytes.len(),
        firsts: Vec::new(),
        pieces,
    }
}

/// An FST rebuilt as shards of about `size` bytes each, over consecutive ranges of keys; each
/// shard in the chunk of group number = its place when `grouped`, else in its own. Also each
/// shard's first value and the last key's value.
///
/// When `grouped` (the terms FST), the keyword keys are cut where the pairs are: a keyword
/// shard per group of pair shards, over the keywords whose first character is one of the
/// group's (one shard, perhaps empty, per group), travelling in that group's chunk. Keys sort
/// by prefix byte first, so a character's keywords (`KEY_KEYWORD`) are far from its pairs
/// (`KEY_LITERAL`); a search reads both for every character of its query, and so they come in
/// one request per character rather than two.
fn shard(id: u32, bytes: &[u8], size: usize, grouped: bool) -> Result<Shards, Error> {
    let err = |e: fst::Error| Error::Write(format!("sharding section {id}: {e}"));
    let map = fst::Map::new(bytes).map_err(err)?;
    let mut cutter = Cutter::new(size, grouped);
    let mut s = map.into_stream();
    while let Some((k, v)) = s.next() {
        cutter.insert(k, v).map_err(err)?;
    }
    let (mut pieces, firsts, values, last) = cutter.finish().map_err(err)?;
    // The unit-citers table (the last keys) is read whole by every query in Chinese: its
    // shards, with their lists, travel together, in the core when they are few (a sample's
    // few hundred cited units), else in a chunk of their own.
    if grouped {
        // (The table starts a shard: the shards before it keep their places.)
        if let Some(from) = firsts.iter().position(|k| k.first() >= Some(&KEY_UNIT)) {
            let bytes: usize = pieces[from..].iter().map(|p| p.0.len()).sum();
            let place = if bytes <= UNITS_IN_CORE {
                Place::Core
            } else {
                Place::With(from)
            };
            for piece in &mut pieces[from..] {
                piece.1 = place;
            }
        }
    }
    let groups = pieces.iter().map(|p| p.1).collect();
    let len = pieces.iter().map(|(p, _)| p.len()).sum();
    let cut = Cut {
        section: id,
        len,
        firsts,
        pieces,
    };
    Ok(Shards {
        cut,
        values,
        last,
        groups,
    })
}

/// Shards with their places, their first keys and first values, and the last key's value.
type CutShards = (Vec<(Vec<u8>, Place)>, Vec<Vec<u8>>, Vec<u64>, u64);

/// Cuts a stream of keys into FST shards (see [`shard`]).
struct Cutter {
    size: usize,
    grouped: bool,
    builder: fst::MapBuilder<Vec<u8>>,
    /// The shards so far, each with its place; the open one is not among them.
    pieces: Vec<(Vec<u8>, Place)>,
    /// Each shard's first key, the open one's included.
    firsts: Vec<Vec<u8>>,
    /// Each shard's first value (`None` while it has no key), the open one's included.
    values: Vec<Option<u64>>,
    /// The open shard's place.
    place: Place,
    /// The groups of pair shards: the first character of each (empty for the first) and its
    /// shard number; a group starting inside its character's pairs is not one.
    groups: Vec<(Vec<u8>, usize)>,
    /// The group whose keywords the open shard holds, while cutting keywords.
    keyword: Option<usize>,
    /// Whether the keywords are behind (the keys after them are cut by size again).
    keywords_done: bool,
    prev: Vec<u8>,
    last: u64,
}

impl Cutter {
    fn new(size: usize, grouped: bool) -> Cutter {
        Cutter {
            size,
            grouped,
            builder: fst::MapBuilder::memory(),
            pieces: Vec::new(),
            firsts: vec![Vec::new()],
            values: vec![None],
            place: if grouped { Place::With(0) } else { Place::Own },
            groups: Vec::new(),
            keyword: None,
            keywords_done: false,
            prev: Vec::new(),
            last: 0,
        }
    }

    /// Ends the open shard and opens one whose keys start at `first`, travelling at `place`.
    fn cut(&mut self, first: Vec<u8>, place: Place) -> Result<(), fst::Error> {
        let full = std::mem::replace(&mut self.builder, fst::MapBuilder::memory());
        self.pieces.push((full.into_inner()?, self.place));
        self.firsts.push(first);
        self.values.push(None);
        self.place = place;
        Ok(())
    }

    /// Opens the keyword shard of group `g` (the groups before it that have no keyword get an
    /// empty shard each, so that a search for their characters finds no keyword in its own
    /// group's chunk rather than reading another group's).
    fn open_keyword_group(&mut self, g: usize) -> Result<(), fst::Error> {
        loop {
            let next = self.keyword.map_or(0, |k| k + 1);
            if next > g {
                return Ok(());
            }
            let (chars, shard) = &self.groups[next];
            let mut first = vec![KEY_KEYWORD];
            first.extend_from_slice(chars);
            let place = Place::With(*shard);
            self.cut(first, place)?;
            self.keyword = Some(next);
        }
    }

    /// Adds key `k` (keys come in order) with value `v`.
    fn insert(&mut self, k: &[u8], v: u64) -> Result<(), fst::Error> {
        let keyword = k.first() == Some(&KEY_KEYWORD);
        if self.grouped && !self.groups.is_empty() && keyword {
            // The last group whose first character is at most the keyword (as the reader
            // finds a key's shard: by its bytes).
            let rest = &k[1..];
            let g = self
                .groups
                .partition_point(|(f, _)| f.as_slice() <= rest)
                .max(1)
                - 1;
            self.open_keyword_group(g)?;
        } else if self.keyword.is_some() && !self.keywords_done {
            // Past the keywords: every group gets its (empty) keyword shard, then on by size.
            self.open_keyword_group(self.groups.len() - 1)?;
            self.keywords_done = true;
            let place = self.next_place();
            self.cut(k.to_vec(), place)?;
        } else {
            let full = self.builder.bytes_written() as usize;
            // A shard ends between two characters' pairs (a search reads every pair starting
            // with a character of its query), unless one character's pairs are too many.
            let new_char = first_char(k) != first_char(&self.prev);
            // The unit-citers table starts a shard (it travels apart, see `shard`).
            let units = self.grouped
                && k.first() == Some(&KEY_UNIT)
                && self.prev.first() != Some(&KEY_UNIT)
                && self.values.last() != Some(&None);
            if units || (full >= self.size && (new_char || full >= self.size * 4)) {
                // A shard of a new character's pairs starts at the character itself, the
                // unit-citers table at its prefix byte: the prefix a search looks for
                // (`covering`) then falls in this shard, not the one before.
                let first = match () {
                    _ if units => &k[..1],
                    _ if new_char => first_char(k),
                    _ => k,
                };
                let place = self.next_place();
                self.cut(first.to_vec(), place)?;
            }
            if self.grouped && k.first() == Some(&KEY_LITERAL) {
                self.note_group(k);
            }
        }
        if let Some(first) = self.values.last_mut().filter(|f| f.is_none()) {
            *first = Some(v);
        }
        self.last = v;
        self.builder.insert(k, v)?;
        self.prev.clear();
        self.prev.extend_from_slice(k);
        Ok(())
    }

    /// The place of the next shard cut by size: a group of its own.
    fn next_place(&self) -> Place {
        if self.grouped {
            Place::With(self.pieces.len() + 1)
        } else {
            Place::Own
        }
    }

    /// Notes the group a pair key `k` starts, if it starts one: the first pair shard, or one
    /// whose first key it is and whose character the group before does not have.
    fn note_group(&mut self, k: &[u8]) {
        let shard = self.pieces.len();
        // `k` is the open shard's first key (its first value is not set yet).
        let opens = self.values.last() == Some(&None);
        match self.groups.last() {
            None => self.groups.push((Vec::new(), shard)),
            Some((c, _)) if opens && c.as_slice() < lead_char(k) => {
                self.groups.push((lead_char(k).to_vec(), shard));
            }
            Some(_) => {}
        }
    }

    /// The shards with their places, first keys and first values (an empty shard's is the
    /// next one's: its lists, none, end where the next shard's begin), and the last value.
    fn finish(mut self) -> Result<CutShards, fst::Error> {
        if self.keyword.is_some() && !self.keywords_done {
            self.open_keyword_group(self.groups.len() - 1)?;
        }
        self.pieces.push((self.builder.into_inner()?, self.place));
        let mut values = vec![u64::MAX; self.values.len()];
        let mut next = u64::MAX;
        for (i, v) in self.values.iter().enumerate().rev() {
            next = v.unwrap_or(next);
            values[i] = next;
        }
        Ok((self.pieces, self.firsts, values, self.last))
    }
}

/// The first character of a key (the bytes after its prefix byte), or nothing.
fn lead_char(key: &[u8]) -> &[u8] {
    &first_char_of(key)[1.min(key.len())..]
}

/// A literal key's prefix byte and first character; any other key whole.
fn first_char(key: &[u8]) -> &[u8] {
    match key.first() {
        Some(&KEY_LITERAL) => first_char_of(key),
        _ => key,
    }
}

/// A key's prefix byte and first character.
fn first_char_of(key: &[u8]) -> &[u8] {
    let n = key.get(1).map_or(0, |&b| match b {
        0..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    });
    &key[..(1 + n).min(key.len())]
}

/// An FST cut into shards, with each shard's first value, the last key's value, and where
/// each shard (and the short lists of its keys) travels.
struct Shards {
    cut: Cut,
    values: Vec<u64>,
    last: u64,
    groups: Vec<Place>,
}

/// The largest unit-citers table (its FST shards' bytes) that travels in the core.
const UNITS_IN_CORE: usize = 8 << 10;

/// The most bytes of short postings lists a key shard carries.
const SHARD_POSTINGS: usize = 16 << 10;

/// The postings section: the lists of each terms shard's keys beside that shard (lists
/// shorter than `size` travel in its chunk, up to [`SHARD_POSTINGS`]; longer ones, and the
/// rest, in pieces of their own), then the pinyin windows' texts in pieces of about `size`.
/// `keys` are the terms shards (their first values, the last key's): the writer stores lists
/// in key order, so each shard's lists are the bytes from its first value to the next shard's;
/// when they are not in order, every piece travels on its own.
fn cut_postings(bytes: &[u8], starts: &BTreeSet<usize>, keys: &Shards, size: usize) -> Cut {
    let bounds: Vec<usize> = keys.values.iter().map(|&v| v as usize).collect();
    // An empty shard's first value is the next one's (see `Cutter::finish`).
    let ordered = bounds.first() == Some(&0) && bounds.windows(2).all(|w| w[0] <= w[1]);
    if !ordered {
        return cut_at(section::POSTINGS, bytes, starts, size);
    }
    // The terms' lists end where the list after the last one starts: then come pinyin texts.
    let terms_end = starts
        .range(keys.last as usize + 1..)
        .next()
        .map_or(bytes.len(), |&s| s);
    let mut pieces: Vec<(Vec<u8>, Place)> = Vec::new();
    let list_starts: Vec<usize> = starts
        .iter()
        .copied()
        .filter(|&s| s < bytes.len())
        .chain([bytes.len()])
        .collect();
    let mut shard = 0;
    let mut carried = 0;
    let mut run: Option<(usize, usize, Place)> = None;
    let flush = |run: &mut Option<(usize, usize, Place)>, pieces: &mut Vec<(Vec<u8>, Place)>| {
        if let Some((from, to, place)) = run.take() {
            pieces.push((bytes[from..to].to_vec(), place));
        }
    };
    for w in list_starts.windows(2) {
        let (from, to) = (w[0], w[1]);
        while shard + 1 < bounds.len() && from >= bounds[shard + 1] {
            shard += 1;
            carried = 0;
            flush(&mut run, &mut pieces);
        }
        let len = to - from;
        let place = if to <= terms_end && len < size && carried + len <= SHARD_POSTINGS {
            carried += len;
            keys.groups.get(shard).copied().unwrap_or(Place::Own)
        } else {
            Place::Own
        };
        match &mut run {
            Some((start, end, p))
                if *p == place && (place != Place::Own || *end - *start < size) =>
            {
                *end = to;
            }
            _ => {
                flush(&mut run, &mut pieces);
                run = Some((from, to, place));
            }
        }
    }
    flush(&mut run, &mut pieces);
    if pieces.is_empty() {
        pieces.push((Vec::new(), Place::Own));
    }
    Cut {
        section: section::POSTINGS,
        len: bytes.len(),
        firsts: Vec::new(),
        pieces,
    }
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
            contacts: Vec::new(),
            documents: Vec::new(),
            terms: Vec::new(),
            dated: Vec::new(),
        };
        postcard::to_allocvec(&section).unwrap()
    }

    /// A terms FST of 200 literal keys and `units` unit-citers keys.
    fn terms(units: u32) -> Vec<u8> {
        let mut keys: Vec<Vec<u8>> = (0..200u32)
            .map(|i| [&[KEY_LITERAL][..], format!("键{i:03}").as_bytes()].concat())
            .collect();
        keys.extend((0..units).map(|u| [&[KEY_UNIT][..], &u.to_be_bytes()].concat()));
        keys.sort();
        let mut b = fst::MapBuilder::memory();
        for (i, k) in keys.iter().enumerate() {
            b.insert(k, i as u64 * 8).unwrap();
        }
        b.into_inner().unwrap()
    }

    #[test]
    fn the_unit_citers_travel_together_in_the_core_when_few() {
        let units_place = |units| {
            let shards = shard(section::TERMS, &terms(units), 512, true).unwrap();
            let at = shards
                .cut
                .firsts
                .iter()
                .position(|k| k.first() == Some(&KEY_UNIT));
            let places: BTreeSet<String> = shards.cut.pieces[at.unwrap()..]
                .iter()
                .map(|p| format!("{:?}", p.1))
                .collect();
            assert_eq!(places.len(), 1, "{places:?}");
            (places.into_iter().next().unwrap(), shards.cut.pieces.len())
        };
        assert_eq!(units_place(300).0, "Core");
        let (place, n) = units_place(20_000);
        assert!(place.starts_with("With("), "{place} of {n} shards");
    }

    #[test]
    fn each_piece_carries_the_bodies_only_it_names() {
        // 100 regions, each with a body of its own (named by body 1 + region) and the shared
        // mode 0, in pieces of 14 regions.
        let mut section: RegionsSection = postcard::from_bytes(&regions_section(100, 50)).unwrap();
        section.bodies = (0..=100).map(|b| format!("机构{b}")).collect();
        for a in &mut section.assignments {
            a.body = a.region + 1;
        }
        let cut = cut_regions(&postcard::to_allocvec(&section).unwrap(), 4096, 16 << 10).unwrap();
        let head: RegionsHead = postcard::from_bytes(&cut.pieces[0].0).unwrap();
        assert_eq!(head.section.bodies, ["机构0"]);
        let mut next = 1;
        for (piece, first) in cut.pieces[1..].iter().zip(&cut.firsts[1..]) {
            let piece: AssignPiece = postcard::from_bytes(&piece.0).unwrap();
            assert_eq!(u32::from_be_bytes(first[4..8].try_into().unwrap()), next);
            for a in &piece.assignments {
                let own = a.body - next;
                assert_eq!(piece.bodies[own as usize], format!("机构{}", a.region + 1));
                assert_eq!(a.mode, 0);
            }
            next += piece.bodies.len() as u32;
        }
        assert_eq!(next, 101);
    }

    #[test]
    fn a_body_a_few_pieces_name_travels_in_each_of_them() {
        // 100 regions in 8 pieces; region r names its own body 3 + r, regions 0 and 50 also
        // name 甲局 (two pieces: a copy in each, with its contact), every region names 乙局
        // (eight pieces: shared) and the mode 0.
        let mut section: RegionsSection = postcard::from_bytes(&regions_section(100, 50)).unwrap();
        section.bodies = ["赋权", "甲局", "乙局"].map(String::from).to_vec();
        section.bodies.extend((0..100).map(|r| format!("机构{r}")));
        for a in &mut section.assignments {
            a.body = match (a.region, a.item) {
                (0 | 50, 0) => 1,
                (_, 1) => 2,
                (r, _) => 3 + r,
            };
        }
        section.contacts = vec![BodyContact {
            body: 1,
            contact: powerlist::index::Contact {
                phone: "12345".into(),
                ..Default::default()
            },
        }];
        let cut = cut_regions(&postcard::to_allocvec(&section).unwrap(), 4096, 16 << 10).unwrap();
        let head: RegionsHead = postcard::from_bytes(&cut.pieces[0].0).unwrap();
        assert_eq!(head.section.bodies, ["赋权", "乙局"]);
        assert!(head.section.contacts.is_empty());
        let mut copies = 0;
        for (piece, first) in cut.pieces[1..].iter().zip(&cut.firsts[1..]) {
            let piece: AssignPiece = postcard::from_bytes(&piece.0).unwrap();
            let own = u32::from_be_bytes(first[4..8].try_into().unwrap()) as usize;
            let name = |b: u32| match head.section.bodies.get(b as usize) {
                Some(n) => n.clone(),
                None => piece.bodies[b as usize - own].clone(),
            };
            for a in &piece.assignments {
                let want = match (a.region, a.item) {
                    (0 | 50, 0) => "甲局".to_string(),
                    (_, 1) => "乙局".to_string(),
                    (r, _) => format!("机构{r}"),
                };
                assert_eq!(name(a.body), want);
                assert_eq!(name(a.mode), "赋权");
            }
            if let Some(at) = piece.bodies.iter().position(|b| b == "甲局") {
                copies += 1;
                assert_eq!(piece.contacts.len(), 1);
                assert_eq!(piece.contacts[0].body as usize, own + at);
                assert_eq!(piece.contacts[0].contact.phone, "12345");
            }
        }
        assert_eq!(copies, 2);
    }

    #[test]
    fn each_piece_carries_the_terms_of_its_assignments() {
        // Item 7 of every third region has terms (its region's number, to tell them apart).
        let mut section: RegionsSection = postcard::from_bytes(&regions_section(100, 50)).unwrap();
        section.terms = (0..100)
            .map(|r| powerlist::format::TermsRecord {
                from: 20210601 + r,
                ..Default::default()
            })
            .collect();
        section.dated = (0..section.assignments.len() as u32)
            .filter(|&at| {
                let a = section.assignments[at as usize];
                a.item == 7 && a.region % 3 == 0
            })
            .map(|at| DatedRecord {
                at,
                terms: section.assignments[at as usize].region,
            })
            .collect();
        let cut = cut_regions(&postcard::to_allocvec(&section).unwrap(), 4096, 16 << 10).unwrap();
        let head: RegionsHead = postcard::from_bytes(&cut.pieces[0].0).unwrap();
        assert_eq!(head.section.terms.len(), 100);
        assert!(head.section.dated.is_empty());
        let mut found = 0;
        for piece in &cut.pieces[1..] {
            let piece: AssignPiece = postcard::from_bytes(&piece.0).unwrap();
            for d in &piece.dated {
                let a = piece.assignments[d.at as usize];
                assert_eq!((a.item, a.region % 3, a.region), (7, 0, d.terms));
                found += 1;
            }
        }
        assert_eq!(found, 34);
    }

    #[test]
    fn assignments_come_in_pieces_of_whole_regions_and_never_too_many() {
        // Few: pieces of about the size asked for.
        // 100 regions of 300 bytes: 14 regions (4,200 bytes) a piece, then the rest.
        let cut = cut_regions(&regions_section(100, 50), 4096, 16 << 10).unwrap();
        assert_eq!(cut.pieces.len(), 1 + 8);
        // Many (a country's): the pieces grow so that they stay at most MAX_ASSIGN_PIECES.
        let cut = cut_regions(&regions_section(20_000, 60), 4096, 16 << 10).unwrap();
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

    #[test]
    fn a_characters_keywords_travel_with_its_pairs() {
        // Pairs of 60 characters (8 each) and keywords of every other one, in shards of
        // 128 bytes: each keyword's shard is in the chunk group of its character's pairs, and
        // a character without keywords has an (empty) keyword shard there too.
        let chars: Vec<char> = (0..60u32)
            .map(|i| char::from_u32(0x4e00 + i * 7).unwrap())
            .collect();
        let mut keys: Vec<(Vec<u8>, u64)> = Vec::new();
        for (i, c) in chars.iter().enumerate() {
            for j in 0..8u32 {
                let pair = format!("{c}{}", char::from_u32(0x5000 + j).unwrap());
                keys.push(([&[KEY_LITERAL][..], pair.as_bytes()].concat(), 0));
            }
            if i % 2 == 0 {
                for w in [format!("{c}"), format!("{c}法")] {
                    keys.push(([&[KEY_KEYWORD][..], w.as_bytes()].concat(), 0));
                }
            }
        }
        keys.push((vec![KEY_UNIT, 0, 0, 0, 1], 0));
        keys.sort();
        let mut b = fst::MapBuilder::memory();
        for (n, (k, _)) in keys.iter().enumerate() {
            b.insert(k, n as u64 * 8).unwrap();
        }
        let shards = shard(section::TERMS, &b.into_inner().unwrap(), 128, true).unwrap();
        let firsts = &shards.cut.firsts;
        assert!(firsts.windows(2).all(|w| w[0] < w[1]));
        let shard_of = |key: &[u8]| firsts.partition_point(|f| f.as_slice() <= key) - 1;
        let mut groups = BTreeSet::new();
        for c in &chars {
            let mut pair = vec![KEY_LITERAL];
            pair.extend(c.to_string().as_bytes());
            let mut keyword = vec![KEY_KEYWORD];
            keyword.extend(c.to_string().as_bytes());
            let (p, k) = (shard_of(&pair), shard_of(&keyword));
            assert_ne!(p, k);
            assert_eq!(shards.groups[p], shards.groups[k], "{c}");
            groups.insert(format!("{:?}", shards.groups[p]));
        }
        assert!(groups.len() >= 3, "{groups:?}");
        // The lists of an empty shard end where the next shard's begin.
        assert!(shards.values.windows(2).all(|w| w[0] <= w[1]));
        let fst = fst::Map::new(shards.cut.pieces[shard_of(&[KEY_KEYWORD])].0.clone()).unwrap();
        assert!(!fst.is_empty());
    }
}
