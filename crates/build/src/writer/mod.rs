//! Compiles a validated [`Catalog`] into index bytes.
//!
//! What the writer derives at build time so the browser needs no tables of its own:
//! search keys for character bigrams, full pinyin and pinyin initials (from the `pinyin` crate),
//! and a traditional → simplified table for the characters the catalog uses (from `fast2s`).
//!
//! ```
//! # use powerlist_build::catalog::{Catalog, SourceFile, Sources};
//! # let sources = Sources {
//! #     items: SourceFile::new("items.csv", "code,name,type,field,level,department,basis\nA-1,对乱扔垃圾的行政处罚,行政处罚,城市管理,县级,城管,\n"),
//! #     regions: None, assignments: None, bodies: None, laws: vec![] };
//! let catalog = Catalog::compile(&sources).unwrap();
//! let bytes = powerlist_build::writer::write_index(&catalog).unwrap();
//! let index = powerlist::Index::from_bytes(&bytes).unwrap();
//! assert_eq!(index.item_count(), 1);
//! ```

mod encode;
mod keys;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::catalog::{Catalog, Item, Lexicon};
use encode::{encode_postings, encode_texts};
use keys::{literal_keys, pinyin_windows, push, reading_keys, t2s_table, Postings, Windows};
use powerlist::citation::ArticleRef;
use powerlist::format::{self, section, write_blobs};
use powerlist::index::{
    AssignRecord, BasisRecord, BodyContact, DatedRecord, DocumentRecord, ItemAttr, ItemRecord,
    LawMeta, Meta, RegionRecord, RegionsSection, TermsRecord, TextVersion, FIELD_BASIS,
    FIELD_KEYWORDS, FIELD_NAME, KEY_CITE, KEY_KEYWORD, KEY_UNIT,
};
use powerlist::law::Article;
use powerlist::text::{fold, segments, T2s};
use powerlist::Error;

/// Compiles the catalog. The result is a complete index file.
///
/// Documents are numbered items first (`0..n`), then cited units (`n..n + u`): one postings
/// list serves both, and a unit's matches are credited to the items that cite it.
///
/// The steps: the cited articles and units; the texts to index, folded; the fields (领域); the
/// postings of every field, the pinyin windows and the items' attributes; the postings section
/// and the term, pinyin and code FSTs; the item records; regions and assignments; the meta
/// section; the container. A step that cannot do its part (a citation the laws do not hold,
/// a value that does not encode, keys out of order) fails with [`Error::Write`] naming the
/// step: for a catalog from [`Catalog::compile`] none does.
pub fn write_index(catalog: &Catalog) -> Result<Vec<u8>, Error> {
    let cited = Cited::collect(catalog)?;
    let texts = Texts::fold(catalog, &cited.unit_texts);
    let fields = field_names(catalog);
    let docs = Documents::index(catalog, &cited, &texts, &fields);
    let keys = KeySections::build(catalog, &docs)?;
    let items = item_records(catalog)?;
    let regions = regions_section(catalog);
    let meta = meta(catalog, fields, &cited, &docs, &texts.t2s);
    Ok(format::write(&[
        (section::META, encode(&meta, || "the meta section".into())?),
        (
            section::ATTRS,
            encode(&docs.attrs, || "the item attributes".into())?,
        ),
        (section::ITEMS, write_blobs(&items)),
        (section::ARTICLES, write_blobs(&cited.article_blobs)),
        (section::CODES, keys.codes),
        (section::TERMS, keys.terms),
        (section::PINYIN, keys.pinyin),
        (section::POSTINGS, keys.postings),
        (
            section::REGIONS,
            encode(&regions, || "the regions section".into())?,
        ),
    ]))
}

/// `value` in postcard, or the error that says `what()` could not be encoded.
fn encode<T: serde::Serialize + ?Sized>(
    value: &T,
    what: impl FnOnce() -> String,
) -> Result<Vec<u8>, Error> {
    postcard::to_allocvec(value).map_err(|e| Error::Write(format!("encoding {}: {e}", what())))
}

/// Step 1: what the items cite. Cited articles are stored whole, to be shown; cited units (an
/// article, paragraph or item as cited) are indexed as documents of their own.
struct Cited {
    /// The cited articles as (law, article number), sorted.
    article_keys: Vec<(u16, u32)>,
    /// Each cited article, encoded.
    article_blobs: Vec<Vec<u8>>,
    /// Each cited unit's number among the units (its document less the item count); units are
    /// numbered in (law, reference) order.
    unit_index: HashMap<(u16, ArticleRef), u32>,
    /// Each cited unit's text, in unit order (see [`unit_text`]).
    unit_texts: Vec<String>,
}

impl Cited {
    fn collect(catalog: &Catalog) -> Result<Cited, Error> {
        let bases = || catalog.items.iter().flat_map(|it| &it.bases);
        let article_keys: Vec<(u16, u32)> = bases()
            .map(|b| (b.law, b.r.article))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut article_blobs = Vec::with_capacity(article_keys.len());
        for &(law, number) in &article_keys {
            let whole = ArticleRef {
                article: number,
                paragraph: None,
                item: None,
            };
            let article = catalog
                .laws
                .get(law as usize)
                .and_then(|l| l.article(number))
                .ok_or_else(|| unresolved(catalog, "cited articles", law, &whole))?;
            article_blobs.push(encode::<Article>(article, || {
                format!("the cited article {}", citation(catalog, law, &whole))
            })?);
        }
        let units: BTreeSet<(u16, ArticleRef)> = bases().map(|b| (b.law, b.r)).collect();
        let mut unit_index = HashMap::with_capacity(units.len());
        let mut unit_texts = Vec::with_capacity(units.len());
        for (i, &(law, r)) in units.iter().enumerate() {
            let text = unit_text(catalog, law, &r)
                .ok_or_else(|| unresolved(catalog, "cited units", law, &r))?;
            unit_texts.push(text);
            unit_index.insert((law, r), i as u32);
        }
        Ok(Cited {
            article_keys,
            article_blobs,
            unit_index,
            unit_texts,
        })
    }
}

/// A cited-unit document: `《title》第N条[第M款][第（K）项]` and the text it cites; `None` when
/// the catalog's laws do not hold the unit (a compiled catalog's citations all resolve).
fn unit_text(catalog: &Catalog, law: u16, r: &ArticleRef) -> Option<String> {
    let l = catalog.laws.get(law as usize)?;
    let text = l.article(r.article)?.cited_text(r)?;
    Some(format!("《{}》{}\n{}", l.title, r.display(), text))
}

/// `《title》第N条…`, or `law #N 第N条…` when there is no such law.
fn citation(catalog: &Catalog, law: u16, r: &ArticleRef) -> String {
    match catalog.laws.get(law as usize) {
        Some(l) => format!("《{}》{}", l.title, r.display()),
        None => format!("law #{law} {}", r.display()),
    }
}

/// The error for a citation that the catalog's laws do not hold. [`Catalog::compile`] resolves
/// every citation, so this is a catalog that was not compiled, or changed since.
fn unresolved(catalog: &Catalog, step: &str, law: u16, r: &ArticleRef) -> Error {
    let whole = r.paragraph.is_none() && r.item.is_none();
    let by = catalog
        .items
        .iter()
        .find(|it| {
            it.bases
                .iter()
                .any(|b| b.law == law && b.r.article == r.article && (whole || b.r == *r))
        })
        .map_or(String::new(), |it| format!(" (cited by item {})", it.code));
    Error::Write(format!(
        "{step}: {}{by} is not in the catalog's laws",
        citation(catalog, law, r)
    ))
}

/// Step 2: the texts that are indexed, folded (see [`fold`]) with a traditional → simplified
/// table over every character they use.
struct Texts {
    /// Each item's searchable fields (see [`field_texts`]).
    items: Vec<[String; 4]>,
    /// Each cited unit's text.
    units: Vec<String>,
    /// The table they were folded with; the index keeps it, to fold queries alike.
    t2s: T2s,
    /// Each item's everyday words from the lexicon (folded), indexed as hidden keywords.
    aliases: Vec<Vec<String>>,
}

impl Texts {
    fn fold(catalog: &Catalog, unit_texts: &[String]) -> Texts {
        let items: Vec<[String; 4]> = catalog.items.iter().map(field_texts).collect();
        let mut all_chars = BTreeSet::new();
        for f in items.iter().flatten().chain(unit_texts) {
            all_chars.extend(f.chars().filter(|c| !c.is_ascii()));
        }
        let t2s = t2s_table(&all_chars);
        let items: Vec<[String; 4]> = items
            .iter()
            .map(|fields| fields.each_ref().map(|f| fold(f, Some(&t2s))))
            .collect();
        Texts {
            aliases: merge_words(
                aliases(&catalog.lexicon, &items, &t2s),
                neighbours(catalog, &t2s),
            ),
            items,
            units: unit_texts.iter().map(|d| fold(d, Some(&t2s))).collect(),
            t2s,
        }
    }
}

/// An item's hidden words from both sources, each once.
fn merge_words(a: Vec<Vec<String>>, b: Vec<Vec<String>>) -> Vec<Vec<String>> {
    a.into_iter()
        .zip(b)
        .map(|(mut x, y)| {
            for w in y {
                if !x.contains(&w) {
                    x.push(w);
                }
            }
            x
        })
        .collect()
}

/// A keyword shared by at most this many items ties them: each gets the others' keywords as
/// hidden words ([`neighbours`]). A keyword many items share (`无证经营`) says too little.
const NEIGHBOUR_MAX_SHARED: usize = 4;

/// For each item, the keywords of the items it shares a rare keyword with (folded): the staff
/// word `占道经营` of CG-CF-014 also finds CG-CF-059, which shares 摆摊 and 流动摊贩 with it.
fn neighbours(catalog: &Catalog, t2s: &T2s) -> Vec<Vec<String>> {
    let keywords: Vec<Vec<String>> = catalog
        .items
        .iter()
        .map(|i| i.keywords.iter().map(|k| fold(k, Some(t2s))).collect())
        .collect();
    let mut holders: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, kws) in keywords.iter().enumerate() {
        for k in kws {
            holders.entry(k.as_str()).or_default().push(i);
        }
    }
    keywords
        .iter()
        .enumerate()
        .map(|(i, kws)| {
            let mut out: Vec<String> = Vec::new();
            for k in kws {
                let Some(items) = holders.get(k.as_str()) else {
                    continue;
                };
                if items.len() > NEIGHBOUR_MAX_SHARED {
                    continue;
                }
                for &j in items.iter().filter(|&&j| j != i) {
                    for w in &keywords[j] {
                        if !kws.contains(w) && !out.contains(w) {
                            out.push(w.clone());
                        }
                    }
                }
            }
            out
        })
        .collect()
}

/// For each item, the lexicon's words one of whose catalog words its name or keywords
/// contain (folded, in lexicon order). Catalog words are grouped by first character, so each
/// item's text is searched only for those starting with one of its characters.
fn aliases(lexicon: &Lexicon, items: &[[String; 4]], t2s: &T2s) -> Vec<Vec<String>> {
    let mut by_first: HashMap<char, Vec<(String, usize)>> = HashMap::new();
    for (w, e) in lexicon.words.iter().enumerate() {
        for m in &e.means {
            let m = fold(m, Some(t2s));
            if let Some(c) = m.chars().next() {
                by_first.entry(c).or_default().push((m, w));
            }
        }
    }
    items
        .iter()
        .map(|t| {
            let text = format!("{}；{}", t[FIELD_NAME as usize], t[FIELD_KEYWORDS as usize]);
            let mut words: Vec<usize> = Vec::new();
            for (i, c) in text.char_indices() {
                for (m, w) in by_first.get(&c).into_iter().flatten() {
                    if text[i..].starts_with(m.as_str()) && !words.contains(w) {
                        words.push(*w);
                    }
                }
            }
            words.sort_unstable();
            words
                .into_iter()
                .map(|w| fold(&lexicon.words[w].word, Some(t2s)))
                .filter(|w| !text.contains(w.as_str()))
                .collect()
        })
        .collect()
}

/// The text of each searchable field of an item, before folding. The legal basis field is
/// empty here: cited units are indexed once each, as their own documents (see
/// [`write_index`]), and their matches count for every item that cites them.
fn field_texts(item: &Item) -> [String; 4] {
    [
        item.name.clone(),
        item.keywords.join("；"),
        String::new(),
        item.department.clone(),
    ]
}

/// Step 3: the catalog's fields (领域), sorted: [`Meta::fields`], which [`ItemAttr::field`]
/// indexes.
fn field_names(catalog: &Catalog) -> Vec<String> {
    catalog
        .items
        .iter()
        .map(|i| i.field.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// Step 4: the postings of every document's fields, the pinyin windows of names and keywords,
/// and the lengths that ranking needs.
struct Documents {
    /// The postings of every key (a list holds documents in ascending order).
    postings: Postings,
    /// The pinyin windows of the items' names and keywords.
    windows: Windows,
    /// Every syllable the windows use.
    syllables: BTreeSet<String>,
    /// Each item's attributes.
    attrs: Vec<ItemAttr>,
    /// Each cited unit's length in characters.
    unit_lens: Vec<u32>,
    /// The total length of each field over its documents.
    lens_sum: [u64; 4],
}

impl Documents {
    fn index(catalog: &Catalog, cited: &Cited, texts: &Texts, fields: &[String]) -> Documents {
        let mut docs = Documents {
            postings: BTreeMap::new(),
            windows: BTreeMap::new(),
            syllables: BTreeSet::new(),
            attrs: Vec::with_capacity(catalog.items.len()),
            unit_lens: Vec::with_capacity(texts.units.len()),
            lens_sum: [0; 4],
        };
        docs.items(catalog, texts, fields);
        docs.keywords(catalog, texts);
        docs.units(&texts.units, catalog.items.len() as u32);
        docs.citations(catalog, &cited.unit_index);
        docs.pinyin(texts);
        docs
    }

    /// The literal keys of every item's fields (slots = field << 24 | position), and the item's
    /// attributes with the fields' lengths.
    fn items(&mut self, catalog: &Catalog, texts: &Texts, fields: &[String]) {
        let field_index: HashMap<&str, u16> = fields
            .iter()
            .enumerate()
            .map(|(i, f)| (f.as_str(), i as u16))
            .collect();
        for (id, (item, t)) in catalog.items.iter().zip(&texts.items).enumerate() {
            let mut lens = [0u32; 4];
            for (field, text) in t.iter().enumerate() {
                let n = text.chars().count() as u32;
                lens[field] = n;
                self.lens_sum[field] += u64::from(n);
                let field = field as u32;
                let punctuation = field == FIELD_NAME || field == FIELD_KEYWORDS;
                literal_keys(text, field, id as u32, punctuation, &mut self.postings);
            }
            self.attrs.push(ItemAttr {
                kind: item.kind,
                levels: item.levels,
                field: field_index[item.field.as_str()],
                lens: lens.map(|l| l.min(u16::MAX as u32) as u16),
            });
        }
    }

    /// Each keyword of an item, and each of its words from the lexicon, whole and folded, as a
    /// key of its own. (The lexicon's words are keys only: their pairs would match sentences
    /// by accident, `不肯` of 不肯交地 in 店家还不肯退.)
    fn keywords(&mut self, catalog: &Catalog, texts: &Texts) {
        for (id, item) in catalog.items.iter().enumerate() {
            let own = item.keywords.iter().map(|kw| fold(kw, Some(&texts.t2s)));
            for kw in own.chain(texts.aliases[id].iter().cloned()) {
                let mut key = vec![KEY_KEYWORD];
                key.extend_from_slice(kw.as_bytes());
                push(&mut self.postings, key, id as u32, 0);
            }
        }
    }

    /// The literal keys of the cited units, documents `n_items..`, in the legal basis field.
    fn units(&mut self, units: &[String], n_items: u32) {
        for (a, doc) in units.iter().enumerate() {
            literal_keys(
                doc,
                FIELD_BASIS,
                n_items + a as u32,
                false,
                &mut self.postings,
            );
            let len = doc.chars().count() as u32;
            self.unit_lens.push(len);
            self.lens_sum[FIELD_BASIS as usize] += u64::from(len);
        }
    }

    /// Which items cite each article (KEY_CITE + law u16 BE + article u32 BE) and each cited
    /// unit (KEY_UNIT + unit u32 BE), without positions.
    fn citations(&mut self, catalog: &Catalog, unit_index: &HashMap<(u16, ArticleRef), u32>) {
        for (id, item) in catalog.items.iter().enumerate() {
            for b in &item.bases {
                let mut key = vec![KEY_CITE];
                key.extend_from_slice(&b.law.to_be_bytes());
                key.extend_from_slice(&b.r.article.to_be_bytes());
                let mut unit = vec![KEY_UNIT];
                unit.extend_from_slice(&unit_index[&(b.law, b.r)].to_be_bytes());
                for k in [key, unit] {
                    let list = self.postings.entry(k).or_default();
                    if list.last().map(|l| l.0) != Some(id as u32) {
                        list.push((id as u32, u32::MAX));
                    }
                }
            }
        }
    }

    /// The pinyin windows of every run of the items' names and keywords, and of their words
    /// from the lexicon (`zaoyin` spells 噪音; a slip `燥音` is corrected to it).
    fn pinyin(&mut self, texts: &Texts) {
        let names = texts
            .items
            .iter()
            .flat_map(|t| [&t[FIELD_NAME as usize], &t[FIELD_KEYWORDS as usize]]);
        let words: BTreeSet<&String> = texts.aliases.iter().flatten().collect();
        for text in names.chain(words) {
            for (_, run) in segments(text) {
                pinyin_windows(&run, &mut self.windows, &mut self.syllables);
            }
        }
    }
}

/// Step 5: the postings lists, then the texts the pinyin windows spell, in one section; keys in
/// two FSTs: the terms every query reads, and the pinyin windows only Latin-letter queries read
/// (the browser checks that FST on the first such query, not on load). And the FST of item
/// codes.
struct KeySections {
    postings: Vec<u8>,
    terms: Vec<u8>,
    pinyin: Vec<u8>,
    codes: Vec<u8>,
}

impl KeySections {
    fn build(catalog: &Catalog, docs: &Documents) -> Result<KeySections, Error> {
        let mut postings = Vec::new();
        let mut terms = Vec::with_capacity(docs.postings.len());
        for (key, list) in &docs.postings {
            terms.push((key, postings.len() as u64));
            encode_postings(&mut postings, list);
        }
        let terms = fst_map("the terms FST", terms)?;
        // Many windows spell the same texts (full pinyin and initials of one place always do):
        // each distinct text list is stored once.
        let mut text_offsets: HashMap<&BTreeSet<String>, u64> = HashMap::new();
        let mut pinyin = Vec::with_capacity(docs.windows.len());
        for (key, texts) in &docs.windows {
            let offset = *text_offsets.entry(texts).or_insert_with(|| {
                let o = postings.len() as u64;
                encode_texts(&mut postings, texts);
                o
            });
            pinyin.push((key.clone(), offset));
        }
        // Each character's reading, after the windows (its kind byte sorts last); the value is
        // a text list's offset, never read, so that every value stays where a list starts.
        if let Some(&(_, offset)) = pinyin.first() {
            // The laws' names are typed too (`大汽污染防治法`): their syllables are read.
            let mut syllables = docs.syllables.clone();
            let names = catalog
                .laws
                .iter()
                .flat_map(|l| l.names.iter().chain([&l.title]));
            syllables.extend(names.flat_map(|n| n.chars().filter_map(keys::syllable)));
            let readings = reading_keys(&syllables);
            pinyin.extend(readings.into_iter().map(|key| (key, offset)));
        }
        let pinyin = fst_map("the pinyin FST", pinyin)?;
        let mut codes: Vec<(String, u32)> = catalog
            .items
            .iter()
            .enumerate()
            .map(|(i, it)| (it.code.to_ascii_lowercase(), i as u32))
            .collect();
        codes.sort();
        let codes = fst_map(
            "the codes FST",
            codes.into_iter().map(|(c, i)| (c, u64::from(i))),
        )?;
        Ok(KeySections {
            postings,
            terms,
            pinyin,
            codes,
        })
    }
}

/// An FST map of `entries`, which must come sorted by key, each key once.
fn fst_map<K: AsRef<[u8]>>(
    what: &str,
    entries: impl IntoIterator<Item = (K, u64)>,
) -> Result<Vec<u8>, Error> {
    // fst's own message is only "FST error": say what its cause says.
    let fail = |e: fst::Error| {
        let cause = match &e {
            fst::Error::Fst(e) => e.to_string(),
            fst::Error::Io(e) => e.to_string(),
        };
        Error::Write(format!("building {what}: {cause}"))
    };
    let mut map = fst::MapBuilder::memory();
    for (key, value) in entries {
        map.insert(key, value).map_err(fail)?;
    }
    map.into_inner().map_err(fail)
}

/// Step 6: each item's record, encoded.
fn item_records(catalog: &Catalog) -> Result<Vec<Vec<u8>>, Error> {
    catalog
        .items
        .iter()
        .map(|it| {
            let rec = ItemRecord {
                code: it.code.clone(),
                name: it.name.clone(),
                department: it.department.clone(),
                keywords: it.keywords.clone(),
                note: it.note.clone(),
                consult_phone: it.consult_phone.clone(),
                complaint_phone: it.complaint_phone.clone(),
                place: it.place.clone(),
                duties: it.duties.clone(),
                accountability: it.accountability.clone(),
                bases: it
                    .bases
                    .iter()
                    .map(|b| BasisRecord {
                        law: b.law,
                        article: b.r.article,
                        paragraph: b.r.paragraph,
                        item: b.r.item,
                    })
                    .collect(),
            };
            encode(&rec, || format!("the record of item {}", it.code))
        })
        .collect()
}

/// Step 7: regions, and assignments sorted by region then item, their bodies and modes
/// interned.
fn regions_section(catalog: &Catalog) -> RegionsSection {
    let mut bodies: Vec<String> = Vec::new();
    let mut body_index: HashMap<String, u32> = HashMap::new();
    let mut intern = |s: &str, only_known: bool| -> Option<u32> {
        if let Some(&i) = body_index.get(s) {
            return Some(i);
        }
        if only_known {
            return None;
        }
        bodies.push(s.to_string());
        body_index.insert(s.to_string(), bodies.len() as u32 - 1);
        Some(bodies.len() as u32 - 1)
    };
    // Documents by number and terms in order (not in order of first use), so that the
    // exported tables, whatever their order, build the same bytes.
    let mut doc_order: Vec<usize> = (0..catalog.documents.len()).collect();
    doc_order.sort_by(|&a, &b| {
        catalog.documents[a]
            .number
            .cmp(&catalog.documents[b].number)
    });
    let mut doc_number = vec![0u32; doc_order.len()];
    for (new, &old) in doc_order.iter().enumerate() {
        doc_number[old] = new as u32 + 1;
    }
    let mut records: Vec<(AssignRecord, Option<u32>, u32)> = Vec::new();
    let mut terms = Terms {
        doc_number,
        ..Terms::default()
    };
    for a in &catalog.assignments {
        let record = AssignRecord {
            region: a.region,
            item: a.item,
            body: intern(&a.body, false).unwrap_or_default(),
            mode: intern(&a.mode, false).unwrap_or_default(),
        };
        let t = a.terms.as_deref();
        let from = t.and_then(|t| t.from).map_or(0, |d| d.ymd());
        records.push((record, t.map(|t| terms.number(t)), from));
    }
    let new_of = terms.sort();
    for (_, t, _) in &mut records {
        *t = t.and_then(|t| new_of.get(t as usize).copied());
    }
    // An item's periods in a region by their first day (the catalog checked they do not
    // overlap).
    records.sort_by_key(|(a, _, from)| (a.region, a.item, *from));
    let dated = records
        .iter()
        .enumerate()
        .filter_map(|(at, (_, t, _))| {
            Some(DatedRecord {
                at: at as u32,
                terms: (*t)?,
            })
        })
        .collect();
    let assignments: Vec<AssignRecord> = records.into_iter().map(|(a, _, _)| a).collect();
    // Contacts of the bodies assignments name (departments' go in the meta section; a body
    // named by nothing is left out, the catalog warned).
    let mut contacts: Vec<BodyContact> = Vec::new();
    for b in &catalog.bodies {
        if let Some(body) = intern(&b.name, true) {
            contacts.push(BodyContact {
                body,
                contact: b.contact.clone(),
            });
        }
    }
    contacts.sort_by_key(|c| c.body);
    RegionsSection {
        regions: catalog
            .regions
            .iter()
            .map(|r| RegionRecord {
                code: r.code.clone(),
                name: r.name.clone(),
                parent: r.parent,
            })
            .collect(),
        bodies,
        assignments,
        contacts,
        documents: doc_order
            .iter()
            .map(|&d| &catalog.documents[d])
            .map(|d| DocumentRecord {
                number: d.number.clone(),
                date: d.date.map_or(0, |d| d.ymd()),
                basis: d.basis.clone(),
            })
            .collect(),
        terms: terms.list,
        dated,
    }
}

/// The distinct terms of assignments, numbered in order of first use until [`Terms::sort`].
#[derive(Default)]
struct Terms {
    list: Vec<TermsRecord>,
    numbers: HashMap<TermsRecord, u32>,
    /// Each document's number in the index (1 + its place by 文号), by its index in the
    /// catalog.
    doc_number: Vec<u32>,
}

impl Terms {
    /// Sorts the list; returns each old number's new one.
    fn sort(&mut self) -> Vec<u32> {
        let mut order: Vec<usize> = (0..self.list.len()).collect();
        order.sort_by(|&a, &b| self.list[a].cmp(&self.list[b]));
        let mut new_of = vec![0u32; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_of[old] = new as u32;
        }
        let old = std::mem::take(&mut self.list);
        self.list = order.iter().map(|&i| old[i].clone()).collect();
        new_of
    }

    /// The number of `t`'s terms, added when new.
    fn number(&mut self, t: &crate::catalog::Terms) -> u32 {
        let numbers = &self.doc_number;
        let doc = |d: Option<u32>| {
            d.and_then(|i| numbers.get(i as usize).copied())
                .unwrap_or(0)
        };
        let rec = TermsRecord {
            from: t.from.map_or(0, |d| d.ymd()),
            until: t.until.map_or(0, |d| d.ymd()),
            document: doc(t.document),
            end_document: doc(t.end_document),
            note: t.note.clone(),
        };
        if let Some(&n) = self.numbers.get(&rec) {
            return n;
        }
        let n = self.list.len() as u32;
        self.list.push(rec.clone());
        self.numbers.insert(rec, n);
        n
    }
}

/// Step 8: the meta section.
fn meta(
    catalog: &Catalog,
    fields: Vec<String>,
    cited: &Cited,
    docs: &Documents,
    t2s: &T2s,
) -> Meta {
    let n = catalog.items.len().max(1) as f32;
    let na = docs.unit_lens.len().max(1) as f32;
    Meta {
        version: powerlist::VERSION.to_string(),
        catalog: catalog.info.clone(),
        item_count: catalog.items.len() as u32,
        fields,
        laws: catalog
            .laws
            .iter()
            .map(|l| LawMeta {
                title: l.title.clone(),
                articles: l.articles.len() as u32,
                text: l.version.as_ref().map(|v| TextVersion {
                    date: v.date.clone(),
                    kind: v.kind.clone(),
                    source: v.source.clone(),
                }),
                superseded: l.superseded.clone(),
            })
            .collect(),
        article_keys: cited.article_keys.clone(),
        unit_lens: docs.unit_lens.clone(),
        t2s: t2s
            .iter()
            .map(|(&a, &b)| (a, b))
            .collect::<BTreeMap<_, _>>()
            .into_iter()
            .collect(),
        syllables: docs.syllables.iter().cloned().collect(),
        avg_len: [0, 1, 2, 3].map(|f| {
            let count = if f == FIELD_BASIS as usize { na } else { n };
            (docs.lens_sum[f] as f32 / count).max(1.0)
        }),
        fillers: fillers(&catalog.lexicon, t2s),
        departments: department_contacts(catalog),
        law_names: if catalog.laws.iter().all(|l| l.names.is_empty()) {
            Vec::new()
        } else {
            catalog.laws.iter().map(|l| l.names.clone()).collect()
        },
    }
}

/// The lexicon's fillers, folded, longest first (a query drops the longest that fits first).
fn fillers(lexicon: &Lexicon, t2s: &T2s) -> Vec<String> {
    let mut out: Vec<String> = lexicon.fillers.iter().map(|f| fold(f, Some(t2s))).collect();
    out.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
    out.dedup();
    out
}
/// How to reach the departments (实施主体) the bodies table gives a contact for, by name.
fn department_contacts(catalog: &Catalog) -> Vec<(String, powerlist::index::Contact)> {
    let named: HashSet<&str> = catalog
        .items
        .iter()
        .map(|i| i.department.as_str())
        .collect();
    let mut list: Vec<_> = catalog
        .bodies
        .iter()
        .filter(|b| named.contains(b.name.as_str()))
        .map(|b| (b.name.clone(), b.contact.clone()))
        .collect();
    list.sort_by(|a, b| a.0.cmp(&b.0));
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{SourceFile, Sources};

    fn catalog() -> Catalog {
        let sources = Sources {
            items: SourceFile::new(
                "items.csv",
                "code,name,type,field,level,department,basis\n\
                 A-1,对乱扔垃圾的行政处罚,行政处罚,城市管理,县级,城管,《条例》第一条\n\
                 A-2,对乱倒垃圾的行政处罚,行政处罚,城市管理,县级,城管,《条例》第一条第二款\n",
            ),
            regions: None,
            assignments: None,
            bodies: None,
            laws: vec![SourceFile::new(
                "laws/条例.md",
                "# 条例\n\n第一条 第一款。\n\n第二款。\n",
            )],
        };
        Catalog::compile(&sources).unwrap()
    }

    fn write_error(catalog: &Catalog) -> String {
        match write_index(catalog) {
            Err(Error::Write(m)) => m,
            other => panic!("expected Error::Write, got {other:?}"),
        }
    }

    #[test]
    fn writes_a_compiled_catalog() {
        assert!(write_index(&catalog()).is_ok());
    }

    #[test]
    fn a_citation_the_laws_lack_is_an_error_not_an_empty_text() {
        let mut c = catalog();
        c.items[0].bases[0].r.article = 9;
        let m = write_error(&c);
        assert!(
            m.starts_with("cited articles: 《条例》第九条 (cited by item A-1)"),
            "{m}"
        );
        let mut c = catalog();
        c.items[1].bases[0].r.paragraph = Some(3);
        let m = write_error(&c);
        assert!(
            m.starts_with("cited units: 《条例》第一条第三款 (cited by item A-2)"),
            "{m}"
        );
    }

    #[test]
    fn keys_out_of_order_are_an_error_not_a_dropped_key() {
        let mut c = catalog();
        c.items[1].code = "a-1".into();
        let m = write_error(&c);
        assert!(
            m.starts_with("building the codes FST: Error inserting duplicate key: 'a-1'"),
            "{m}"
        );
    }
}
