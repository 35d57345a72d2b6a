//! Reading an index: [`Index::from_bytes`] checks everything before it is used and never panics.
//!
//! Loading reads the header, the section table, the metadata, the item attributes and the codes
//! and terms FSTs, and checks them; the postings, the item records, the article texts, the
//! regions and the pinyin FST are checked block by block (see [`crate::format`]) as queries first
//! read them, so a damaged byte there is an error from the query that reads it — never an
//! empty answer. [`Index::verify`] checks everything at once. What is wrong is an
//! [`IndexError`].
//!
//! Where things are:
//! - this file: [`Index`], loading and its cross-checks, [`Index::verify`], the accessors;
//! - `lazy`: the shared bytes, sections checked block by block on first read, FST loading;
//! - `records`: item records and article texts;
//! - `postings`: postings lists, the texts of pinyin windows, the cache of decoded lists;
//! - `citers`: which items cite a law, an article, a cited unit;
//! - `regions`: the regions section, finding a region, who handles an item where.
//!
//! ```
//! use powerlist::error::{Error, IndexError};
//! let err = powerlist::Index::from_bytes(b"not an index").unwrap_err();
//! assert!(err.to_string().contains("not a powerlist index"));
//! assert!(matches!(err, Error::Index { error: IndexError::NotAnIndex, .. }));
//! ```

mod citers;
mod lazy;
mod postings;
mod records;
mod regions;
mod web;

use crate::error::{Error, IndexError, Part};
pub use crate::format::schema::*;
use crate::format::{section, Blobs, Container};
use crate::model::{level_names, TYPES};
use crate::text::T2s;

pub(crate) use citers::UnitCiters;
use lazy::{decode, Lazy};
pub(crate) use lazy::{Fst, KeyAutomaton, Shards};
pub(crate) use postings::Postings;
use postings::PostingsCache;
pub(crate) use regions::Regions;

/// A loaded index, checked as it is read.
pub struct Index {
    pub(crate) meta: Meta,
    pub(crate) attrs: Vec<ItemAttr>,
    items: Blobs,
    items_bytes: Lazy,
    articles: Blobs,
    articles_bytes: Lazy,
    pub(crate) codes: Fst,
    /// The terms FST (or its shards, in a chunked index).
    pub(crate) terms: Shards,
    /// The pinyin windows' FST (or its shards), checked on the first query that reads it.
    pub(crate) pinyin: Shards,
    postings: Lazy,
    /// The regions section, checked, decoded and cross-checked on first use
    /// ([`Index::regions`]): most searches never need it, and at 10,000 items it was two
    /// thirds of the load time.
    regions_bytes: Lazy,
    regions: std::sync::OnceLock<Result<Regions, Error>>,
    /// For each cited unit, the items citing it; built on first use ([`Index::unit_citers`]).
    unit_citers: std::sync::OnceLock<Result<UnitCiters, Error>>,
    /// A chunked index's directory: its build and chunks, and where each piece goes.
    web: Option<web::Web>,
    /// A chunked index's assignments, in pieces by region.
    assign: Option<regions::AssignPieces>,
    pub(crate) t2s: T2s,
    pub(crate) titles: Vec<Vec<String>>,
    pub(crate) byte_len: usize,
    pub(crate) key_budget: usize,
    /// Matches a pinyin query's phrases may score ([`crate::search::MAX_PINYIN_MATCHES`]).
    pub(crate) match_budget: usize,
    /// Each item's place in code order (for browsing), made on first use.
    code_rank: std::sync::OnceLock<Vec<u32>>,
    /// Long postings lists decoded by earlier queries (see [`PostingsCache`]).
    cache: std::sync::Mutex<PostingsCache>,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("items", &self.meta.item_count)
            .field("bytes", &self.byte_len)
            .finish()
    }
}

/// The error for a part of the index that passed its checksums but does not decode or does not
/// fit the rest.
pub(crate) fn bad(part: Part) -> Error {
    IndexError::Malformed { part }.into()
}

/// The sections a loaded index reads in place, and what loading checked of them.
struct Sections {
    items: Blobs,
    items_bytes: Lazy,
    articles: Blobs,
    articles_bytes: Lazy,
    regions_bytes: Lazy,
    postings: Lazy,
    terms: Shards,
    pinyin: Shards,
}

impl Sections {
    /// Places a single file's sections; checks the blob tables' counts and the terms FST.
    fn place(buf: &std::sync::Arc<Vec<u8>>, c: &Container) -> Result<Sections, Error> {
        let lazy = |id, part| Lazy::new(buf, c, id, part);
        let terms = Shards::whole(lazy(section::TERMS, Part::Terms)?);
        terms.shard(0)?;
        Sections::with_tables(
            lazy(section::ITEMS, Part::Items)?,
            lazy(section::ARTICLES, Part::Articles)?,
            lazy(section::REGIONS, Part::Regions)?,
            lazy(section::POSTINGS, Part::Postings)?,
            terms,
            Shards::whole(lazy(section::PINYIN, Part::Pinyin)?),
        )
    }

    /// The sections, with the item and article tables' counts read and checked to fit.
    fn with_tables(
        items_bytes: Lazy,
        articles_bytes: Lazy,
        regions_bytes: Lazy,
        postings: Lazy,
        terms: Shards,
        pinyin: Shards,
    ) -> Result<Sections, Error> {
        let table = |lazy: &Lazy, part| -> Result<Blobs, Error> {
            let n = crate::format::container::u32_at(lazy.read(0, 4)?, 0)
                .ok_or(IndexError::BlobTable { part })?;
            Blobs::with_count(n as usize, lazy.len(), part)
        };
        Ok(Sections {
            items: table(&items_bytes, Part::Items)?,
            articles: table(&articles_bytes, Part::Articles)?,
            items_bytes,
            articles_bytes,
            regions_bytes,
            postings,
            terms,
            pinyin,
        })
    }

    /// Cross-checks: every number that indexes something must be in range.
    fn cross_check(&self, meta: &Meta, attrs: &[ItemAttr], codes: usize) -> Result<(), Error> {
        let n = meta.item_count as usize;
        if attrs.len() != n || self.items.len() != n || codes != n {
            return Err(bad(Part::ItemCount));
        }
        if attrs
            .iter()
            .any(|a| a.kind as usize >= TYPES.len() || a.field as usize >= meta.fields.len().max(1))
        {
            return Err(bad(Part::ItemAttributes));
        }
        if meta.article_keys.len() != self.articles.len()
            || !meta.article_keys.windows(2).all(|w| w[0] < w[1])
        {
            return Err(bad(Part::Articles));
        }
        let nlaws = meta.laws.len();
        if meta.article_keys.iter().any(|&(l, _)| l as usize >= nlaws) {
            return Err(bad(Part::Articles));
        }
        // Every query goes through the fillers: their work stays bounded.
        if meta.fillers.len() > MAX_FILLERS || meta.fillers.iter().any(|f| f.len() > 64) {
            return Err(bad(Part::Metadata));
        }
        Ok(())
    }
}

/// The most fillers an index may list (a lexicon lists some dozens).
const MAX_FILLERS: usize = 1024;

/// Sorts `v` (in place, not stably, O(n log n)): for lists that are sorted already unless the
/// file was not written by `powerlist build`.
pub(crate) fn heap_sort<T: Ord>(v: &mut [T]) {
    // Moves `v[root]` down the heap `v[..end]` until both its children are smaller.
    let sift = |v: &mut [T], mut root: usize, end: usize| loop {
        let mut child = 2 * root + 1;
        if child >= end {
            break;
        }
        if child + 1 < end && v[child] < v[child + 1] {
            child += 1;
        }
        if v[root] >= v[child] {
            break;
        }
        v.swap(root, child);
        root = child;
    };
    for i in (0..v.len() / 2).rev() {
        sift(v, i, v.len());
    }
    for end in (1..v.len()).rev() {
        v.swap(0, end);
        sift(v, 0, end);
    }
}

/// Each law's names folded (see [`crate::citation::law_names`]): its title first.
fn law_titles(meta: &Meta, t2s: &T2s) -> Vec<Vec<String>> {
    let titles: Vec<String> = meta
        .laws
        .iter()
        .map(|l| crate::text::fold(&l.title, Some(t2s)))
        .collect();
    let declared: Vec<Vec<String>> = meta
        .law_names
        .iter()
        .map(|names| {
            names
                .iter()
                .map(|n| crate::text::fold(n, Some(t2s)))
                .collect()
        })
        .collect();
    crate::citation::with_declared(crate::citation::law_names(&titles), &declared)
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
    /// #     regions: None, assignments: None, bodies: None, laws: vec![] };
    /// use powerlist::error::{Error, IndexError};
    /// let mut bytes = powerlist_build::writer::write_index(&Catalog::compile(&sources).unwrap()).unwrap();
    /// let index = powerlist::Index::from_vec(bytes.clone()).unwrap();
    /// assert!(index.verify().is_ok());
    /// // Damage the last byte of the postings (the section before the regions):
    /// let c = powerlist::format::Container::parse(&bytes).unwrap();
    /// let (_, end) = c.range(powerlist::format::section::POSTINGS).unwrap();
    /// bytes[end - 1] ^= 0x55;
    /// let index = powerlist::Index::from_vec(bytes).unwrap(); // loads: postings are read later
    /// let err = index.verify().unwrap_err();
    /// assert!(err.to_string().contains("checksum mismatch in section 7"));
    /// assert!(matches!(err, Error::Index { error: IndexError::Checksum { section: 7, .. }, .. }));
    /// assert!(index.search("垃圾", &Default::default()).is_err());
    /// ```
    pub fn from_vec(bytes: Vec<u8>) -> Result<Index, Error> {
        let byte_len = bytes.len();
        let buf = std::sync::Arc::new(bytes);
        let c = Container::parse(&buf)?;
        if c.range(crate::format::web::DIR).is_ok() {
            return Err(IndexError::ChunkedCore.into());
        }
        let s = Sections::place(&buf, &c)?;
        Index::assemble(&buf, &c, s, None, byte_len)
    }

    /// An index from its container `c` (over `buf`) and its placed sections: reads the
    /// metadata, the item attributes and the codes FST, and cross-checks them.
    fn assemble(
        buf: &std::sync::Arc<Vec<u8>>,
        c: &Container,
        s: Sections,
        web: Option<(web::Web, regions::AssignPieces)>,
        byte_len: usize,
    ) -> Result<Index, Error> {
        let (web, assign) = web.unzip();
        let mut meta: Meta = decode(c.section(section::META)?, Part::Metadata)?;
        // Sorted (the writer writes them so): pinyin segmentation looks syllables up by
        // binary search. Checked first, and sorted by a small heapsort only when not: a
        // sort of strings of its own was 3 KB of the browser module.
        if !meta.syllables.windows(2).all(|w| w[0] < w[1]) {
            heap_sort(&mut meta.syllables);
            meta.syllables.dedup();
        }
        let attrs: Vec<ItemAttr> = decode(c.section(section::ATTRS)?, Part::ItemAttributes)?;
        let codes = Shards::whole(Lazy::new(buf, c, section::CODES, Part::Codes)?);
        let codes = codes.shard(0)?.clone();
        s.cross_check(&meta, &attrs, codes.len())?;
        let t2s: T2s = meta.t2s.iter().copied().collect();
        let titles = law_titles(&meta, &t2s);
        Ok(Index {
            meta,
            attrs,
            items: s.items,
            items_bytes: s.items_bytes,
            articles: s.articles,
            articles_bytes: s.articles_bytes,
            codes,
            terms: s.terms,
            pinyin: s.pinyin,
            postings: s.postings,
            regions_bytes: s.regions_bytes,
            regions: std::sync::OnceLock::new(),
            unit_citers: std::sync::OnceLock::new(),
            web,
            assign,
            t2s,
            titles,
            byte_len,
            key_budget: crate::search::MAX_KEYS_PER_PART,
            match_budget: crate::search::MAX_PINYIN_MATCHES,
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
    /// #         regions: None, assignments: None, bodies: None, laws: vec![] }).unwrap()).unwrap()).unwrap();
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
        ] {
            let (spent, done) = lazy.check_some(left)?;
            left = left.saturating_sub(spent);
            if !done {
                return Ok(false);
            }
        }
        if !self.pinyin.check_some(left)?.1 {
            return Ok(false);
        }
        if self
            .regions_bytes
            .piece_list()
            .iter()
            .all(|p| p.bytes.get().is_some())
        {
            self.regions()?;
        }
        Ok(true)
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

    /// Lowers (or raises) how many matches a pinyin query's phrases may score; see
    /// [`crate::search::MAX_PINYIN_MATCHES`]. For tests of the work cap.
    #[doc(hidden)]
    pub fn set_match_budget(&mut self, matches: usize) {
        self.match_budget = matches.max(1);
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

    /// The catalog's laws (title, articles, version), in the order citations number them.
    pub fn laws(&self) -> &[LawMeta] {
        &self.meta.laws
    }

    /// A law's title (empty for an unknown law).
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
}

#[cfg(test)]
mod tests {
    use super::heap_sort;

    #[test]
    fn heap_sort_sorts_as_sort_unstable() {
        let mut seed = 12345u32;
        for len in 0..40 {
            let mut v: Vec<String> = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    format!("s{}", seed >> 27)
                })
                .collect();
            let mut want = v.clone();
            want.sort_unstable();
            heap_sort(&mut v);
            assert_eq!(v, want, "{len}");
        }
    }
}
