//! Reading an index: [`Index::from_bytes`] checks everything before it is used and never panics.
//!
//! Loading reads the header, the section table, the metadata, the item attributes and the codes
//! and terms FSTs, and checks them; the postings, the item records, the article texts, the
//! regions and the pinyin FST are checked block by block (see [`crate::format`]) as queries first
//! read them, so a damaged byte there is an error from the query that reads it.
//! [`Index::verify`] checks everything at once.
//!
//! ```
//! let err = powerlist::Index::from_bytes(b"not an index").unwrap_err();
//! assert!(err.to_string().contains("not a powerlist index"));
//! ```

use std::collections::HashMap;

use serde::Deserialize;

use crate::error::Error;
pub use crate::format::schema::*;
use crate::format::{section, Blobs, Container, Cursor, LazyCheck};
use crate::law::Article;
use crate::model::{level_names, TYPES};
use crate::text::{CharHasher, T2s};
use std::hash::BuildHasherDefault;

/// The regions section, decoded and cross-checked, with a code → region map.
#[derive(Debug)]
pub(crate) struct Regions {
    section: RegionsSection,
    pub(crate) by_code: HashMap<String, u32>,
}

impl std::ops::Deref for Regions {
    type Target = RegionsSection;
    fn deref(&self) -> &RegionsSection {
        &self.section
    }
}

impl Regions {
    /// Decodes the section and checks every number in it (`items`: the index's item count).
    fn load(bytes: &[u8], items: usize) -> Result<Regions, String> {
        let message = |what: &str| match bad(what) {
            Error::Index(m) => m,
            other => other.to_string(),
        };
        let section: RegionsSection =
            postcard::from_bytes(bytes).map_err(|_| message("regions"))?;
        let nr = section.regions.len();
        if section
            .regions
            .iter()
            .any(|r| r.parent.is_some_and(|p| p as usize >= nr))
        {
            return Err(message("regions"));
        }
        let nb = section.bodies.len();
        if section.assignments.iter().any(|a| {
            a.region as usize >= nr
                || a.item as usize >= items
                || a.body as usize >= nb
                || a.mode as usize >= nb
        }) || !section
            .assignments
            .windows(2)
            .all(|w| (w[0].region, w[0].item) <= (w[1].region, w[1].item))
        {
            return Err(message("assignments"));
        }
        let by_code = section
            .regions
            .iter()
            .enumerate()
            .map(|(i, r)| (r.code.clone(), i as u32))
            .collect();
        Ok(Regions { section, by_code })
    }
}

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
struct Lazy {
    bytes: Shared,
    check: LazyCheck,
}

impl Lazy {
    fn new(buf: &std::sync::Arc<Vec<u8>>, c: &Container, id: u32) -> Result<Lazy, Error> {
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

    fn bytes(&self) -> &[u8] {
        self.bytes.as_ref()
    }

    /// Checks `from..to` of the section (each block once).
    fn check(&self, from: usize, to: usize) -> Result<(), Error> {
        self.check.check(self.bytes(), from, to)
    }

    /// The whole section checked, as an FST (its nodes checked too, see [`load_fst`]).
    fn fst(&self, what: &str) -> Result<Fst, Error> {
        self.check.check_all(self.bytes())?;
        load_fst(self.bytes.clone(), what)
    }

    /// Record `i` of a blob table in this section, its offsets and bytes checked.
    fn blob(&self, table: &Blobs, i: usize, what: &str) -> Result<&[u8], Error> {
        let at = table.offsets_at(i);
        self.check(at, at.saturating_add(8))?;
        let (s, e) = table.range(self.bytes(), i).ok_or_else(|| bad(what))?;
        self.check(s, e)?;
        self.bytes().get(s..e).ok_or_else(|| bad(what))
    }
}

/// A loaded index, checked as it is read.
pub struct Index {
    pub(crate) meta: Meta,
    pub(crate) attrs: Vec<ItemAttr>,
    items: Blobs,
    items_bytes: Lazy,
    articles: Blobs,
    articles_bytes: Lazy,
    pub(crate) codes: Fst,
    pub(crate) terms: Fst,
    /// The pinyin windows' FST, checked on the first query that reads it ([`Index::pinyin`]).
    pinyin_bytes: Lazy,
    pinyin: std::sync::OnceLock<Result<Fst, Error>>,
    postings: Lazy,
    /// The regions section, checked, decoded and cross-checked on first use
    /// ([`Index::regions`]): most searches never need it, and at 10,000 items it was two
    /// thirds of the load time.
    regions_bytes: Lazy,
    regions: std::sync::OnceLock<Result<Regions, String>>,
    /// For each cited unit, the items citing it; built on first use ([`Index::unit_citers`]).
    unit_citers: std::sync::OnceLock<Result<UnitCiters, Error>>,
    pub(crate) t2s: T2s,
    pub(crate) titles: Vec<(String, String)>,
    pub(crate) byte_len: usize,
    pub(crate) key_budget: usize,
    /// Each item's place in code order (for browsing), made on first use.
    code_rank: std::sync::OnceLock<Vec<u32>>,
    /// Long postings lists decoded by earlier queries (see [`PostingsCache`]).
    cache: std::sync::Mutex<PostingsCache>,
}

/// The items citing each cited unit, all units in one table: a query matching words of the
/// cited texts credits the items citing each matching unit, and one FST lookup per unit was a
/// tenth of a small catalog's query time.
#[derive(Debug, Default)]
pub(crate) struct UnitCiters {
    /// `ends[u]`: where unit `u`'s items end in `items` (they start where `u - 1`'s end).
    ends: Vec<u32>,
    items: Vec<u32>,
}

impl UnitCiters {
    /// The items citing unit `u` (ascending; empty for an unknown unit).
    pub(crate) fn of(&self, u: usize) -> &[u32] {
        let start = match u.checked_sub(1) {
            None => 0,
            Some(p) => self.ends.get(p).map_or(usize::MAX, |&e| e as usize),
        };
        let end = self.ends.get(u).map_or(0, |&e| e as usize);
        self.items.get(start..end).unwrap_or(&[])
    }
}

/// Decoded long postings lists, kept for the next queries: the bigrams of common words
/// (`行政`, `处罚`) recur in most queries, and decoding their lists was most of a query's time.
/// At most [`PostingsCache::BUDGET`] bytes; when full it starts over.
#[derive(Debug, Default)]
struct PostingsCache {
    lists: HashMap<u64, std::sync::Arc<Postings>, BuildHasherDefault<CharHasher>>,
    bytes: usize,
    /// Per character, how many pairs begin with it (counted up to a cap): the relaxed pass
    /// leaves common characters out.
    contexts: HashMap<char, usize, BuildHasherDefault<CharHasher>>,
}

impl PostingsCache {
    /// Bytes of decoded lists kept.
    const BUDGET: usize = 16 << 20;
    /// Lists of fewer documents are decoded each time (that is as fast as a lookup).
    const MIN_DOCS: usize = 64;
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("items", &self.meta.item_count)
            .field("bytes", &self.byte_len)
            .finish()
    }
}

fn bad(what: &str) -> Error {
    Error::Index(format!(
        "the {what} section is malformed; the file is damaged or was written by a different powerlist; rebuild it with `powerlist build`"
    ))
}

/// An FST section (its blocks checked by the caller, [`Lazy::fst`]): fst's own checks, the root address (which
/// fst reads from the footer without a bounds check: a forged footer made the first lookup index
/// past the end), and every node ([`crate::format::fst_check`]). fst's own checksum is not computed
/// again: the block checksums cover the same bytes, and it is not proof against a forger either.
fn load_fst(bytes: Shared, what: &str) -> Result<Fst, Error> {
    check_fst(bytes.as_ref(), what)?;
    fst::Map::new(bytes).map_err(|_| bad(what))
}

fn check_fst(bytes: &[u8], what: &str) -> Result<(), Error> {
    // Footer (format 3): …, length (u64 LE), root address (u64 LE), checksum (u32 LE).
    let root = bytes
        .len()
        .checked_sub(12)
        .and_then(|at| bytes.get(at..at + 8))
        .and_then(|b| <[u8; 8]>::try_from(b).ok())
        .map(u64::from_le_bytes)
        .ok_or_else(|| bad(what))?;
    if root >= bytes.len().saturating_sub(20) as u64 {
        return Err(bad(what));
    }
    // fst's own checks of the footer (format, type, length)…
    fst::Map::new(bytes).map_err(|_| bad(what))?;
    // … and, as checksums can be forged, every node fst may read.
    let root = usize::try_from(root).map_err(|_| bad(what))?;
    if !crate::format::fst_check::nodes_are_sound(bytes, root) {
        return Err(bad(what));
    }
    Ok(())
}

fn decode<'a, T: Deserialize<'a>>(bytes: &'a [u8], what: &str) -> Result<T, Error> {
    postcard::from_bytes(bytes).map_err(|_| bad(what))
}

impl Index {
    /// Loads an index from its bytes (copied once; see [`Index::from_vec`]).
    pub fn from_bytes(bytes: &[u8]) -> Result<Index, Error> {
        Index::from_vec(bytes.to_vec())
    }

    /// Loads an index from its bytes, which it keeps. Checks the container, the metadata, the
    /// item attributes and the codes and terms FSTs now; the other sections as they are read.
    ///
    /// ```
    /// # use powerlist_build::catalog::{Catalog, SourceFile, Sources};
    /// # let sources = Sources {
    /// #     items: SourceFile::new("items.csv", "code,name,type,field,level,department,basis\nA-1,对乱扔垃圾的行政处罚,行政处罚,城市管理,县级,城管,\n"),
    /// #     regions: None, assignments: None, laws: vec![] };
    /// let mut bytes = powerlist_build::writer::write_index(&Catalog::compile(&sources).unwrap()).unwrap();
    /// let index = powerlist::Index::from_vec(bytes.clone()).unwrap();
    /// assert!(index.verify().is_ok());
    /// // Damage the last byte of the postings (the section before the regions):
    /// let c = powerlist::format::Container::parse(&bytes).unwrap();
    /// let (_, end) = c.range(powerlist::format::section::POSTINGS).unwrap();
    /// bytes[end - 1] ^= 0x55;
    /// let index = powerlist::Index::from_vec(bytes).unwrap(); // loads: postings are read later
    /// assert!(index.verify().unwrap_err().to_string().contains("checksum mismatch in section 7"));
    /// assert!(index.search("垃圾", &Default::default()).is_err());
    /// ```
    pub fn from_vec(bytes: Vec<u8>) -> Result<Index, Error> {
        let byte_len = bytes.len();
        let buf = std::sync::Arc::new(bytes);
        let c = Container::parse(&buf)?;
        let mut meta: Meta = decode(c.section(section::META)?, "metadata")?;
        // Sorted (the writer writes them so): pinyin segmentation looks syllables up by
        // binary search.
        meta.syllables.sort_unstable();
        meta.syllables.dedup();
        let attrs: Vec<ItemAttr> = decode(c.section(section::ATTRS)?, "item attributes")?;
        let items_bytes = Lazy::new(&buf, &c, section::ITEMS)?;
        let articles_bytes = Lazy::new(&buf, &c, section::ARTICLES)?;
        // A blob table's record count is its first four bytes.
        items_bytes.check(0, 4)?;
        articles_bytes.check(0, 4)?;
        let items = Blobs::parse(items_bytes.bytes(), "items")?;
        let articles = Blobs::parse(articles_bytes.bytes(), "articles")?;
        let regions_bytes = Lazy::new(&buf, &c, section::REGIONS)?;
        let postings = Lazy::new(&buf, &c, section::POSTINGS)?;
        let pinyin_bytes = Lazy::new(&buf, &c, section::PINYIN)?;
        let codes = Lazy::new(&buf, &c, section::CODES)?.fst("codes")?;
        let terms = Lazy::new(&buf, &c, section::TERMS)?.fst("terms")?;

        // Cross-checks: every number that indexes something must be in range.
        let n = meta.item_count as usize;
        if attrs.len() != n || items.len() != n || codes.len() != n {
            return Err(bad("item count"));
        }
        if attrs
            .iter()
            .any(|a| a.kind as usize >= TYPES.len() || a.field as usize >= meta.fields.len().max(1))
        {
            return Err(bad("item attributes"));
        }
        if meta.article_keys.len() != articles.len()
            || !meta.article_keys.windows(2).all(|w| w[0] < w[1])
        {
            return Err(bad("articles"));
        }
        let nlaws = meta.laws.len();
        if meta.article_keys.iter().any(|&(l, _)| l as usize >= nlaws) {
            return Err(bad("articles"));
        }
        let t2s: T2s = meta.t2s.iter().copied().collect();
        let titles = meta
            .laws
            .iter()
            .map(|l| {
                let full = crate::text::fold(&l.title, Some(&t2s));
                let short = full
                    .strip_prefix("中华人民共和国")
                    .unwrap_or(&full)
                    .to_string();
                (full, short)
            })
            .collect();
        Ok(Index {
            meta,
            attrs,
            items,
            items_bytes,
            articles,
            articles_bytes,
            codes,
            terms,
            pinyin_bytes,
            pinyin: std::sync::OnceLock::new(),
            postings,
            regions_bytes,
            regions: std::sync::OnceLock::new(),
            unit_citers: std::sync::OnceLock::new(),
            t2s,
            titles,
            byte_len,
            key_budget: crate::search::MAX_KEYS_PER_PART,
            cache: std::sync::Mutex::new(PostingsCache::default()),
            code_rank: std::sync::OnceLock::new(),
        })
    }

    /// Checks every byte of the index now, instead of as queries first read it: for tools
    /// that vouch for a file (the CLI does it on every load), and tests.
    pub fn verify(&self) -> Result<(), Error> {
        self.verify_some(usize::MAX).map(|_| ())
    }

    /// Checks about `budget` more bytes of what has not been checked yet, and returns whether
    /// everything is checked now: a page checks the rest of a large index a slice at a time
    /// after the first answer, without holding up the reader.
    ///
    /// ```
    /// # let index = powerlist::Index::from_bytes(&powerlist_build::writer::write_index(
    /// #     &powerlist_build::catalog::Catalog::compile(&powerlist_build::catalog::Sources {
    /// #         items: powerlist_build::catalog::SourceFile::new("items.csv", "code,name,type,field,level,department,basis\nA-1,对乱扔垃圾的行政处罚,行政处罚,城市管理,县级,城管,\n"),
    /// #         regions: None, assignments: None, laws: vec![] }).unwrap()).unwrap()).unwrap();
    /// while !index.verify_some(1 << 20)? {}
    /// # Ok::<(), powerlist::Error>(())
    /// ```
    pub fn verify_some(&self, budget: usize) -> Result<bool, Error> {
        let mut left = budget;
        for lazy in [
            &self.items_bytes,
            &self.articles_bytes,
            &self.postings,
            &self.regions_bytes,
            &self.pinyin_bytes,
        ] {
            let (spent, done) = lazy.check.check_some(lazy.bytes(), left)?;
            left = left.saturating_sub(spent);
            if !done {
                return Ok(false);
            }
        }
        self.regions()?;
        self.pinyin()?;
        Ok(true)
    }

    /// The pinyin windows' FST, its blocks and nodes checked on first use.
    pub(crate) fn pinyin(&self) -> Result<&Fst, Error> {
        self.pinyin
            .get_or_init(|| self.pinyin_bytes.fst("pinyin"))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Each item's place in code order.
    pub(crate) fn code_rank(&self) -> &[u32] {
        self.code_rank.get_or_init(|| {
            use fst::Streamer;
            let mut code_rank = vec![u32::MAX; self.attrs.len()];
            let mut s = self.codes.stream();
            let mut rank = 0u32;
            while let Some((_, v)) = s.next() {
                if let Some(r) = usize::try_from(v).ok().and_then(|v| code_rank.get_mut(v)) {
                    *r = rank;
                }
                rank += 1;
            }
            code_rank
        })
    }

    /// The regions section, or an empty one when it does not decode (for counts that cannot
    /// fail; [`Index::regions`] reports the error).
    pub(crate) fn regions_or_empty(&self) -> &RegionsSection {
        static EMPTY: RegionsSection = RegionsSection {
            regions: Vec::new(),
            bodies: Vec::new(),
            assignments: Vec::new(),
        };
        self.regions().map_or(&EMPTY, |r| &r.section)
    }

    /// The regions, their bodies and the assignments, decoded and checked on first use.
    pub(crate) fn regions(&self) -> Result<&Regions, Error> {
        self.regions
            .get_or_init(|| {
                let r = &self.regions_bytes;
                r.check.check_all(r.bytes()).map_err(|e| e.to_string())?;
                Regions::load(r.bytes(), self.attrs.len())
            })
            .as_ref()
            .map_err(|e| Error::Index(e.clone()))
    }

    /// Lowers (or raises) how many index keys one query part may expand to; see
    /// [`crate::search::MAX_KEYS_PER_PART`]. For tests of the work cap.
    #[doc(hidden)]
    pub fn set_key_budget(&mut self, keys: usize) {
        self.key_budget = keys.max(1);
        // Merged lists were made under the old budget.
        if let Ok(cache) = self.cache.get_mut() {
            *cache = PostingsCache::default();
        }
    }

    /// Number of items.
    pub fn item_count(&self) -> usize {
        self.attrs.len()
    }

    /// The catalog's name, version and date.
    pub fn catalog_info(&self) -> &CatalogInfo {
        &self.meta.catalog
    }

    /// The powerlist version that wrote the index.
    pub fn built_with(&self) -> &str {
        &self.meta.version
    }

    /// An item's name, read in place (a record starts with its code, then its name, each a
    /// postcard string: varint length, UTF-8).
    pub(crate) fn name_of(&self, id: u32) -> Result<&str, Error> {
        let bytes = self.items_bytes.blob(&self.items, id as usize, "items")?;
        let mut c = Cursor::new(bytes, 0);
        let code_len = c.u32().ok_or_else(|| bad("items"))? as usize;
        c.take(code_len).ok_or_else(|| bad("items"))?;
        let name_len = c.u32().ok_or_else(|| bad("items"))? as usize;
        let name = c.take(name_len).ok_or_else(|| bad("items"))?;
        std::str::from_utf8(name).map_err(|_| bad("items"))
    }

    /// The regions and assignments section, decoded and checked on first use (an error when it
    /// is damaged, never an empty section).
    pub fn regions_section(&self) -> Result<&RegionsSection, Error> {
        self.regions().map(|r| &**r)
    }

    /// Item `id`'s strings as stored (code, name, department, keywords, note, bases).
    pub fn item_record(&self, id: u32) -> Result<ItemRecord, Error> {
        self.record(id)
    }

    pub(crate) fn record(&self, id: u32) -> Result<ItemRecord, Error> {
        let bytes = self.items_bytes.blob(&self.items, id as usize, "items")?;
        let rec: ItemRecord = decode(bytes, "items")?;
        if rec
            .bases
            .iter()
            .any(|b| b.law as usize >= self.meta.laws.len())
        {
            return Err(bad("items"));
        }
        Ok(rec)
    }

    pub(crate) fn article(&self, law: u16, number: u32) -> Result<Option<Article>, Error> {
        match self.meta.article_keys.binary_search(&(law, number)) {
            Ok(i) => {
                let bytes = self.articles_bytes.blob(&self.articles, i, "articles")?;
                Ok(Some(decode(bytes, "articles")?))
            }
            Err(_) => Ok(None),
        }
    }

    pub(crate) fn law_title(&self, law: u16) -> &str {
        self.meta
            .laws
            .get(law as usize)
            .map_or("", |l| l.title.as_str())
    }

    /// Item id of a code (case-insensitive, exact).
    pub fn find_code(&self, code: &str) -> Option<u32> {
        let key = crate::text::fold(code.trim(), None);
        self.codes
            .get(key.as_bytes())
            .and_then(|v| u32::try_from(v).ok())
            .filter(|&i| (i as usize) < self.attrs.len())
    }

    /// Resolves a region given by code or exact name.
    pub fn find_region(&self, region: &str) -> Result<u32, Error> {
        let r = region.trim();
        let regions = self.regions()?;
        if let Some(&i) = regions.by_code.get(r) {
            return Ok(i);
        }
        let by_name: Vec<u32> = regions
            .regions
            .iter()
            .enumerate()
            .filter(|(_, x)| x.name == r)
            .map(|(i, _)| i as u32)
            .collect();
        match by_name.as_slice() {
            [one] => Ok(*one),
            [] => Err(Error::Request(format!(
                "unknown region \"{r}\"; give a division code or name from the catalog's regions ({} known)",
                regions.regions.len()
            ))),
            many => Err(Error::Request(format!(
                "region name \"{r}\" is ambiguous ({} regions); give its division code instead",
                many.len()
            ))),
        }
    }

    /// Who handles `item` in `region`: the nearest assignment up the region tree, else `None`
    /// (the item's department). Returns (body, mode, region index of the assignment).
    pub(crate) fn handler(&self, item: u32, region: u32) -> Option<(&str, &str, u32)> {
        let regions = self.regions().ok()?;
        let mut cur = Some(region);
        let mut steps = 0;
        while let Some(r) = cur {
            let list = &regions.assignments;
            let lo = list.partition_point(|a| (a.region, a.item) < (r, item));
            if let Some(a) = list.get(lo).filter(|a| a.region == r && a.item == item) {
                let body = regions
                    .bodies
                    .get(a.body as usize)
                    .map_or("", |s| s.as_str());
                let mode = regions
                    .bodies
                    .get(a.mode as usize)
                    .map_or("", |s| s.as_str());
                return Some((body, mode, r));
            }
            cur = regions.regions.get(r as usize).and_then(|x| x.parent);
            steps += 1;
            if steps > 32 {
                break;
            }
        }
        None
    }

    /// Field names, in index order.
    pub fn fields(&self) -> &[String] {
        &self.meta.fields
    }

    pub(crate) fn type_name(&self, id: u32) -> &'static str {
        self.attrs
            .get(id as usize)
            .and_then(|a| TYPES.get(a.kind as usize))
            .copied()
            .unwrap_or("")
    }

    pub(crate) fn field_name(&self, id: u32) -> &str {
        self.attrs
            .get(id as usize)
            .and_then(|a| self.meta.fields.get(a.field as usize))
            .map_or("", |s| s.as_str())
    }

    pub(crate) fn levels_of(&self, id: u32) -> Vec<&'static str> {
        self.attrs
            .get(id as usize)
            .map_or(Vec::new(), |a| level_names(a.levels))
    }

    /// Items and article documents: postings ids run over both.
    pub(crate) fn doc_count(&self) -> usize {
        self.attrs.len() + self.meta.unit_lens.len()
    }

    /// The items citing each cited unit (unit = a document id minus the item count), read from
    /// the index on first use.
    pub(crate) fn unit_citers(&self) -> Result<&UnitCiters, Error> {
        self.unit_citers
            .get_or_init(|| {
                use fst::{IntoStreamer, Streamer};
                let units = self.meta.unit_lens.len();
                let mut lists: Vec<(u32, Vec<u32>)> = Vec::new();
                let mut s = self
                    .terms
                    .range()
                    .ge([KEY_UNIT])
                    .lt([KEY_UNIT + 1])
                    .into_stream();
                while let Some((k, off)) = s.next() {
                    let u = k
                        .get(1..5)
                        .and_then(|b| <[u8; 4]>::try_from(b).ok())
                        .map(u32::from_be_bytes)
                        .filter(|&u| (u as usize) < units && k.len() == 5)
                        .ok_or_else(|| bad("terms"))?;
                    let mut docs = self.docs_at(off)?;
                    docs.retain(|&i| (i as usize) < self.attrs.len());
                    lists.push((u, docs));
                }
                // Keys stream in order, so units ascend; fill the units no item cites.
                let mut out = UnitCiters::default();
                let mut next = lists.into_iter().peekable();
                for u in 0..units as u32 {
                    if let Some((_, docs)) = next.next_if(|(x, _)| *x == u) {
                        out.items.extend(docs);
                    }
                    let end = u32::try_from(out.items.len()).map_err(|_| bad("postings"))?;
                    out.ends.push(end);
                }
                Ok(out)
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The items citing a law's article, or any article of the law.
    pub(crate) fn citing(&self, law: u16, number: Option<u32>) -> Result<Vec<u32>, Error> {
        let mut key = vec![KEY_CITE];
        key.extend_from_slice(&law.to_be_bytes());
        let mut out = Vec::new();
        match number {
            Some(n) => {
                key.extend_from_slice(&n.to_be_bytes());
                if let Some(off) = self.terms.get(&key) {
                    out.extend(self.docs_at(off)?);
                }
            }
            None => {
                use fst::{IntoStreamer, Streamer};
                let range = self.terms.range().ge(&key).lt([
                    KEY_CITE,
                    (law >> 8) as u8,
                    (law & 0xff) as u8,
                    0xff,
                    0xff,
                    0xff,
                    0xff,
                    0xff,
                ]);
                let mut s = range.into_stream();
                while let Some((_, off)) = s.next() {
                    out.extend(self.docs_at(off)?);
                }
                out.sort_unstable();
                out.dedup();
            }
        }
        out.retain(|&i| (i as usize) < self.attrs.len());
        Ok(out)
    }

    /// Reads the texts a pinyin window spells, at `offset`.
    pub(crate) fn texts_at(&self, offset: u64) -> Result<Vec<String>, Error> {
        let start = usize::try_from(offset).map_err(|_| bad("pinyin"))?;
        let bytes = self.postings.bytes();
        let mut c = Cursor::new(bytes, start);
        let mut read = || -> Option<Vec<String>> {
            let n = c.u32()? as usize;
            let mut out = Vec::with_capacity(n.min(64));
            for _ in 0..n {
                let len = c.u32()? as usize;
                out.push(std::str::from_utf8(c.take(len)?).ok()?.to_string());
            }
            Some(out)
        };
        let out = read();
        // Read first (bounds-checked), then checked, as in `read_postings`.
        let end = c.pos().saturating_add(usize::from(out.is_none()));
        self.postings.check(start, end.min(bytes.len()))?;
        out.ok_or_else(|| bad("pinyin"))
    }

    /// How many pairs begin with `c`, counted by `count` (up to `cap`) the first time.
    pub(crate) fn char_contexts(
        &self,
        c: char,
        cap: usize,
        count: impl FnOnce() -> usize,
    ) -> usize {
        if let Some(&n) = self
            .cache
            .lock()
            .ok()
            .and_then(|m| m.contexts.get(&c).copied())
            .as_ref()
        {
            return n.min(cap);
        }
        let n = count();
        if let Ok(mut cache) = self.cache.lock() {
            if cache.contexts.len() >= 1 << 16 {
                cache.contexts.clear();
            }
            cache.contexts.insert(c, n);
        }
        n
    }

    /// Reads a postings list at `offset`, or an error if the bytes are bad.
    pub(crate) fn postings_at(&self, offset: u64) -> Result<std::sync::Arc<Postings>, Error> {
        self.cached(offset, || {
            let mut out = Postings::default();
            self.read_postings(offset, Some(&mut out), &mut |_| ())?;
            Ok(out)
        })
    }

    /// The list cached under `key` (a postings offset, or a key with the top bit set for lists
    /// merged from several), else `make`'s, cached when long or merged (a merged list costs
    /// one decode per list merged, however short the result).
    pub(crate) fn cached(
        &self,
        key: u64,
        make: impl FnOnce() -> Result<Postings, Error>,
    ) -> Result<std::sync::Arc<Postings>, Error> {
        if let Ok(cache) = self.cache.lock() {
            if let Some(p) = cache.lists.get(&key) {
                return Ok(p.clone());
            }
        }
        let out = std::sync::Arc::new(make()?);
        if out.len() >= PostingsCache::MIN_DOCS || key >> 63 == 1 {
            if let Ok(mut cache) = self.cache.lock() {
                let size = 4 * (2 * out.docs.len() + out.slots.len());
                if cache.bytes + size > PostingsCache::BUDGET {
                    cache.lists.clear();
                    cache.bytes = 0;
                }
                if size <= PostingsCache::BUDGET {
                    cache.bytes += size;
                    cache.lists.insert(key, out.clone());
                }
            }
        }
        Ok(out)
    }

    /// Reads only the documents of the postings list at `offset` (slots are checked and skipped).
    pub(crate) fn docs_at(&self, offset: u64) -> Result<Vec<u32>, Error> {
        let mut docs = Vec::new();
        self.read_postings(offset, None, &mut |d| docs.push(d))?;
        Ok(docs)
    }

    /// Decodes the postings list at `offset`: every document goes to `doc`, and with `into`, the
    /// documents and their slots go there too. The bytes are decoded first (every read
    /// bounds-checked), then their blocks checked: what was read is only believed if they are
    /// intact, and bytes that do not decode are reported as damaged when they are.
    fn read_postings(
        &self,
        offset: u64,
        into: Option<&mut Postings>,
        doc: &mut dyn FnMut(u32),
    ) -> Result<(), Error> {
        let start = usize::try_from(offset).map_err(|_| bad("postings"))?;
        let bytes = self.postings.bytes();
        if start > bytes.len() {
            return Err(bad("postings"));
        }
        let mut c = Cursor::new(bytes, start);
        let decoded = self.decode_postings(&mut c, into, doc);
        let end = match decoded {
            Ok(()) => c.pos(),
            Err(_) => c.pos().saturating_add(1).min(bytes.len()),
        };
        self.postings.check(start, end)?;
        decoded
    }

    fn decode_postings(
        &self,
        c: &mut Cursor,
        mut into: Option<&mut Postings>,
        doc: &mut dyn FnMut(u32),
    ) -> Result<(), Error> {
        let len = self.postings.bytes().len();
        let docs = self.doc_count();
        let n = c.u32().ok_or_else(|| bad("postings"))? as usize;
        if n > docs {
            return Err(bad("postings"));
        }
        if let Some(p) = into.as_deref_mut() {
            p.docs.reserve(n);
            p.ends.reserve(n);
        }
        let mut item: u32 = 0;
        for i in 0..n {
            let delta = c.u32().ok_or_else(|| bad("postings"))?;
            if i > 0 && delta == 0 {
                return Err(bad("postings")); // documents are strictly increasing
            }
            item = item.checked_add(delta).ok_or_else(|| bad("postings"))?;
            if item as usize >= docs {
                return Err(bad("postings"));
            }
            doc(item);
            let k = c.u32().ok_or_else(|| bad("postings"))? as usize;
            if k > len {
                return Err(bad("postings"));
            }
            let mut prev: Option<u32> = None;
            for _ in 0..k {
                let code = c.u32().ok_or_else(|| bad("postings"))?;
                let field = code & 3;
                let base = match prev {
                    Some(p) if p >> 24 == field => p & 0xFF_FFFF,
                    _ => 0,
                };
                let pos = base
                    .checked_add(code >> 2)
                    .filter(|&p| p < 1 << 24)
                    .ok_or_else(|| bad("postings"))?;
                let s = field << 24 | pos;
                if let Some(p) = into.as_deref_mut() {
                    p.slots.push(s);
                }
                prev = Some(s);
            }
            if let Some(p) = into.as_deref_mut() {
                p.docs.push(item);
                p.ends.push(p.slots.len() as u32);
            }
        }
        Ok(())
    }
}

/// A decoded postings list: documents in increasing order, each with its slots
/// (`field << 24 | position`, sorted). Three flat vectors, however long the list.
#[derive(Debug, Clone, Default)]
pub(crate) struct Postings {
    pub(crate) docs: Vec<u32>,
    ends: Vec<u32>,
    slots: Vec<u32>,
}

impl Postings {
    /// How many documents.
    pub(crate) fn len(&self) -> usize {
        self.docs.len()
    }

    /// The slots of the `i`-th document.
    pub(crate) fn slots(&self, i: usize) -> &[u32] {
        let end = self.ends.get(i).copied().unwrap_or(0) as usize;
        let start = match i.checked_sub(1) {
            Some(j) => self.ends.get(j).copied().unwrap_or(0) as usize,
            None => 0,
        };
        self.slots.get(start..end).unwrap_or(&[])
    }

    /// `(document, slots)` pairs in document order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (u32, &[u32])> + '_ {
        self.docs
            .iter()
            .enumerate()
            .map(|(i, &d)| (d, self.slots(i)))
    }

    /// Appends a document (greater than the last) with its slots.
    pub(crate) fn push(&mut self, doc: u32, slots: impl IntoIterator<Item = u32>) {
        self.slots.extend(slots);
        self.docs.push(doc);
        self.ends.push(self.slots.len() as u32);
    }

    /// Builds a list from unordered `(document, slot)` pairs (sorted and deduplicated here).
    pub(crate) fn from_pairs(mut pairs: Vec<(u32, u32)>) -> Postings {
        pairs.sort_unstable();
        pairs.dedup();
        let mut out = Postings::default();
        for (d, s) in pairs {
            if out.docs.last() != Some(&d) {
                out.docs.push(d);
                out.ends.push(out.slots.len() as u32);
            }
            out.slots.push(s);
            if let Some(e) = out.ends.last_mut() {
                *e = out.slots.len() as u32;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use powerlist_build::catalog::{Catalog, SourceFile, Sources};

    #[test]
    fn name_read_in_place_is_the_record_name() {
        let sources = Sources {
            items: SourceFile::new(
                "items.csv",
                "code,name,type,field,level,department,basis,keywords\n\
                 CG-CF-001,对擅自占用城市道路的行政处罚,行政处罚,城市管理,县级,县级城市管理部门,,摆摊\n\
                 X-1,名称“引号”,行政检查,城市管理,县级,部门,,\n",
            ),
            regions: None,
            assignments: None,
            laws: vec![],
        };
        let catalog = Catalog::compile(&sources).expect("valid");
        let index = super::Index::from_bytes(
            &powerlist_build::writer::write_index(&catalog).expect("writes"),
        )
        .expect("loads");
        for id in 0..index.item_count() as u32 {
            assert_eq!(index.name_of(id).unwrap(), index.record(id).unwrap().name);
        }
    }
}
