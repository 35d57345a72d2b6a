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
//! #     regions: None, assignments: None, laws: vec![] };
//! let catalog = Catalog::compile(&sources).unwrap();
//! let bytes = powerlist_build::writer::write_index(&catalog).unwrap();
//! let index = powerlist::Index::from_bytes(&bytes).unwrap();
//! assert_eq!(index.item_count(), 1);
//! ```

use std::collections::{BTreeMap, BTreeSet, HashMap};

use pinyin::ToPinyin;

use crate::catalog::Catalog;
use powerlist::citation::ArticleRef;
use powerlist::format::{self, put_varint, section, write_blobs};
use powerlist::index::{
    AssignRecord, BasisRecord, ItemAttr, ItemRecord, LawMeta, Meta, RegionRecord, RegionsSection,
    FIELD_BASIS, FIELD_KEYWORDS, FIELD_NAME, KEY_CITE, KEY_INITIALS, KEY_KEYWORD, KEY_LITERAL,
    KEY_PINYIN, KEY_UNIT, MAX_PINYIN_WINDOW, PINYIN_SEP,
};
use powerlist::law::Article;
use powerlist::text::{fold, is_cjk, is_word_char, segments, T2s};
use powerlist::Error;

/// The text of each searchable field of an item, before folding. The legal basis field is
/// empty here: cited articles are indexed once each, as their own documents (see
/// [`write_index`]), and their matches count for every item that cites them.
fn field_texts(item: &crate::catalog::Item) -> [String; 4] {
    [
        item.name.clone(),
        item.keywords.join("；"),
        String::new(),
        item.department.clone(),
    ]
}

/// A cited-unit document: `《title》第N条[第M款][第（K）项]` and the text it cites.
fn unit_text(catalog: &Catalog, law: u16, r: &ArticleRef) -> Option<String> {
    let l = catalog.laws.get(law as usize)?;
    let text = l.article(r.article)?.cited_text(r)?;
    Some(format!("《{}》{}\n{}", l.title, r.display(), text))
}

fn t2s_table(chars: &BTreeSet<char>) -> T2s {
    let mut table = T2s::default();
    for cp in 0x3400u32..=0x9FFF {
        let Some(c) = char::from_u32(cp) else {
            continue;
        };
        let s = fast2s::convert(c.encode_utf8(&mut [0; 4]));
        let mut it = s.chars();
        if let (Some(d), None) = (it.next(), it.next()) {
            if d != c && (chars.contains(&d) || chars.contains(&c)) {
                table.insert(c, d);
            }
        }
    }
    table
}

fn syllable(c: char) -> Option<String> {
    let p = c.to_pinyin()?;
    Some(p.plain().replace('ü', "v"))
}

/// Literal keys (bigrams, run ends, punctuation) of one field text of document `id`.
fn literal_keys(text: &str, field: u32, id: u32, punctuation: bool, postings: &mut Postings) {
    if punctuation {
        // Punctuation and symbols get single-character keys, so a query made only of
        // them (e.g. `（一）`) still finds the names that contain it.
        for (pos, c) in text.chars().enumerate() {
            if !is_word_char(c) && !c.is_whitespace() && pos < 1 << 24 {
                let mut key = vec![KEY_LITERAL];
                key.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                push(postings, key, id, field << 24 | pos as u32);
            }
        }
    }
    for (start, run) in segments(text) {
        for j in 0..run.len() {
            let pos = (start + j) as u32;
            if pos >= 1 << 24 {
                break;
            }
            let mut key = vec![KEY_LITERAL];
            let mut buf = [0u8; 4];
            key.extend_from_slice(run[j].encode_utf8(&mut buf).as_bytes());
            if let Some(&next) = run.get(j + 1) {
                key.extend_from_slice(next.encode_utf8(&mut buf).as_bytes());
            }
            push(postings, key, id, field << 24 | pos);
        }
    }
}

type Postings = BTreeMap<Vec<u8>, Vec<(u32, u32)>>;

/// Compiles the catalog. The result is a complete index file.
///
/// Documents are numbered items first (`0..n`), then cited articles (`n..n + a`): one postings
/// list serves both, and an article's matches are credited to the items that cite it.
pub fn write_index(catalog: &Catalog) -> Result<Vec<u8>, Error> {
    // 1. Cited articles (their texts are shown), and cited units — an article, paragraph or
    //    item as cited — which are indexed as documents of their own.
    let cited: BTreeSet<(u16, u32)> = catalog
        .items
        .iter()
        .flat_map(|it| it.bases.iter().map(|b| (b.law, b.r.article)))
        .collect();
    let mut article_keys = Vec::new();
    let mut article_blobs = Vec::new();
    for &(law, number) in &cited {
        if let Some(a) = catalog
            .laws
            .get(law as usize)
            .and_then(|l| l.article(number))
        {
            article_keys.push((law, number));
            article_blobs.push(postcard::to_allocvec::<Article>(a).unwrap_or_default());
        }
    }
    let units: Vec<(u16, ArticleRef)> = catalog
        .items
        .iter()
        .flat_map(|it| it.bases.iter().map(|b| (b.law, b.r)))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let unit_index: HashMap<(u16, ArticleRef), u32> = units
        .iter()
        .enumerate()
        .map(|(i, u)| (*u, i as u32))
        .collect();
    let mut article_docs: Vec<String> = units
        .iter()
        .map(|(law, r)| unit_text(catalog, *law, r).unwrap_or_default())
        .collect();

    // 2. The traditional → simplified table, over every character the catalog's text uses.
    let mut texts: Vec<[String; 4]> = catalog.items.iter().map(field_texts).collect();
    let mut all_chars = BTreeSet::new();
    for f in texts.iter().flatten().chain(article_docs.iter()) {
        all_chars.extend(f.chars().filter(|c| !c.is_ascii()));
    }
    let t2s = t2s_table(&all_chars);
    for f in texts.iter_mut().flatten() {
        *f = fold(f, Some(&t2s));
    }
    for d in article_docs.iter_mut() {
        *d = fold(d, Some(&t2s));
    }

    // 3. Postings: key → [(document, slot)], slots = field << 24 | position.
    let mut postings: Postings = BTreeMap::new();
    let mut syllables: BTreeSet<String> = BTreeSet::new();
    let mut windows: Windows = BTreeMap::new();
    let mut lens_sum = [0u64; 4];
    let mut attrs = Vec::with_capacity(catalog.items.len());
    for (id, (item, t)) in catalog.items.iter().zip(&texts).enumerate() {
        let id = id as u32;
        let mut lens = [0u32; 4];
        for (field, text) in t.iter().enumerate() {
            let field = field as u32;
            let n = text.chars().count() as u32;
            lens[field as usize] = n;
            lens_sum[field as usize] += u64::from(n);
            let names_or_keywords = field == FIELD_NAME || field == FIELD_KEYWORDS;
            literal_keys(text, field, id, names_or_keywords, &mut postings);
            if names_or_keywords {
                for (_, run) in segments(text) {
                    pinyin_windows(&run, &mut windows, &mut syllables);
                }
            }
        }
        for kw in &item.keywords {
            let mut key = vec![KEY_KEYWORD];
            key.extend_from_slice(fold(kw, Some(&t2s)).as_bytes());
            push(&mut postings, key, id, 0);
        }
        attrs.push(ItemAttr {
            kind: item.kind,
            levels: item.levels,
            field: 0,
            lens: lens.map(|l| l.min(u16::MAX as u32) as u16),
        });
    }
    let n_items = catalog.items.len() as u32;
    let mut article_lens = Vec::with_capacity(article_docs.len());
    for (a, doc) in article_docs.iter().enumerate() {
        literal_keys(doc, FIELD_BASIS, n_items + a as u32, false, &mut postings);
        let len = doc.chars().count() as u32;
        article_lens.push(len);
        lens_sum[FIELD_BASIS as usize] += u64::from(len);
    }
    // Which items cite each article (KEY_CITE + law u16 BE + article u32 BE) and each cited
    // unit (KEY_UNIT + unit u32 BE).
    for (id, item) in catalog.items.iter().enumerate() {
        for b in &item.bases {
            let mut key = vec![KEY_CITE];
            key.extend_from_slice(&b.law.to_be_bytes());
            key.extend_from_slice(&b.r.article.to_be_bytes());
            let mut unit = vec![KEY_UNIT];
            unit.extend_from_slice(&unit_index[&(b.law, b.r)].to_be_bytes());
            for k in [key, unit] {
                let list = postings.entry(k).or_default();
                if list.last().map(|l| l.0) != Some(id as u32) {
                    list.push((id as u32, u32::MAX));
                }
            }
        }
    }

    let mut fields: Vec<String> = catalog
        .items
        .iter()
        .map(|i| i.field.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    fields.sort();
    let field_index: HashMap<&str, u16> = fields
        .iter()
        .enumerate()
        .map(|(i, f)| (f.as_str(), i as u16))
        .collect();
    for (a, item) in attrs.iter_mut().zip(&catalog.items) {
        a.field = field_index[item.field.as_str()];
    }

    // The postings lists, then the texts the pinyin windows spell, in one section; keys in two
    // FSTs: the terms every query reads, and the pinyin windows only Latin-letter queries read
    // (the browser checks that FST on the first such query, not on load).
    let mut post_bytes = Vec::new();
    let mut terms = fst::MapBuilder::memory();
    for (key, list) in &postings {
        let offset = post_bytes.len() as u64;
        encode_postings(&mut post_bytes, list);
        // Keys are sorted and unique (a BTreeMap's).
        let _ = terms.insert(key, offset);
    }
    let terms = terms.into_inner().unwrap_or_default();
    // Many windows spell the same texts (full pinyin and initials of one place always do):
    // each distinct text list is stored once.
    let mut text_offsets: HashMap<&BTreeSet<String>, u64> = HashMap::new();
    let mut pinyin = fst::MapBuilder::memory();
    for (key, texts) in &windows {
        let offset = *text_offsets.entry(texts).or_insert_with(|| {
            let o = post_bytes.len() as u64;
            encode_texts(&mut post_bytes, texts);
            o
        });
        let _ = pinyin.insert(key, offset);
    }
    let pinyin = pinyin.into_inner().unwrap_or_default();

    let mut codes: Vec<(String, u32)> = catalog
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| (it.code.to_ascii_lowercase(), i as u32))
        .collect();
    codes.sort();
    let mut code_fst = fst::MapBuilder::memory();
    for (c, i) in &codes {
        let _ = code_fst.insert(c, u64::from(*i));
    }
    let code_fst = code_fst.into_inner().unwrap_or_default();

    // 4. Item records.
    let items: Vec<Vec<u8>> = catalog
        .items
        .iter()
        .map(|it| {
            let rec = ItemRecord {
                code: it.code.clone(),
                name: it.name.clone(),
                department: it.department.clone(),
                keywords: it.keywords.clone(),
                note: it.note.clone(),
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
            postcard::to_allocvec(&rec).unwrap_or_default()
        })
        .collect();

    // 5. Regions and assignments.
    let mut bodies: Vec<String> = Vec::new();
    let mut body_index: HashMap<String, u32> = HashMap::new();
    let mut intern = |s: &str| -> u32 {
        if let Some(&i) = body_index.get(s) {
            return i;
        }
        bodies.push(s.to_string());
        body_index.insert(s.to_string(), bodies.len() as u32 - 1);
        bodies.len() as u32 - 1
    };
    let mut assignments: Vec<AssignRecord> = catalog
        .assignments
        .iter()
        .map(|a| AssignRecord {
            region: a.region,
            item: a.item,
            body: intern(&a.body),
            mode: intern(&a.mode),
        })
        .collect();
    assignments.sort_by_key(|a| (a.region, a.item));
    let regions = RegionsSection {
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
    };

    let n = catalog.items.len().max(1) as f32;
    let na = article_docs.len().max(1) as f32;
    let meta = Meta {
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
            })
            .collect(),
        article_keys,
        unit_lens: article_lens,
        t2s: t2s
            .iter()
            .map(|(&a, &b)| (a, b))
            .collect::<BTreeMap<_, _>>()
            .into_iter()
            .collect(),
        syllables: syllables.into_iter().collect(),
        avg_len: [0, 1, 2, 3].map(|f| {
            let docs = if f == FIELD_BASIS as usize { na } else { n };
            (lens_sum[f] as f32 / docs).max(1.0)
        }),
    };

    Ok(format::write(&[
        (
            section::META,
            postcard::to_allocvec(&meta).unwrap_or_default(),
        ),
        (
            section::ATTRS,
            postcard::to_allocvec(&attrs).unwrap_or_default(),
        ),
        (section::ITEMS, write_blobs(&items)),
        (section::ARTICLES, write_blobs(&article_blobs)),
        (section::CODES, code_fst),
        (section::TERMS, terms),
        (section::PINYIN, pinyin),
        (section::POSTINGS, post_bytes),
        (
            section::REGIONS,
            postcard::to_allocvec(&regions).unwrap_or_default(),
        ),
    ]))
}

fn push(postings: &mut Postings, key: Vec<u8>, item: u32, slot: u32) {
    postings.entry(key).or_default().push((item, slot));
}

/// Full-pinyin and initials keys for each CJK run inside a segment.
/// Pinyin windows: full pinyin (`zhan'dao'jing'ying`) and initials (`zdjy`) of up to
/// [`MAX_PINYIN_WINDOW`] characters from each CJK character on, each mapped to the characters it
/// spells. A pinyin query becomes the phrases it spells, searched like typed Chinese, so pinyin
/// needs no postings of its own.
fn pinyin_windows(run: &[char], windows: &mut Windows, syllables: &mut BTreeSet<String>) {
    let sylls: Vec<Option<String>> = run
        .iter()
        .map(|&c| if is_cjk(c) { syllable(c) } else { None })
        .collect();
    for s in sylls.iter().flatten() {
        if !syllables.contains(s) {
            syllables.insert(s.clone());
        }
    }
    for j in 0..run.len() {
        if sylls[j].is_none() {
            continue;
        }
        let mut full = vec![KEY_PINYIN];
        let mut initials = vec![KEY_INITIALS];
        let mut text = String::new();
        for (s, &c) in sylls[j..].iter().zip(&run[j..]).take(MAX_PINYIN_WINDOW) {
            let Some(s) = s else { break };
            if full.len() > 1 {
                full.push(PINYIN_SEP);
            }
            full.extend_from_slice(s.as_bytes());
            initials.push(s.as_bytes()[0]);
            text.push(c);
        }
        windows.entry(full).or_default().insert(text.clone());
        windows.entry(initials).or_default().insert(text);
    }
}

type Windows = BTreeMap<Vec<u8>, BTreeSet<String>>;

/// `n, then n × (byte length, UTF-8)`: the texts a pinyin window spells.
fn encode_texts(out: &mut Vec<u8>, texts: &BTreeSet<String>) {
    put_varint(out, texts.len() as u64);
    for t in texts {
        put_varint(out, t.len() as u64);
        out.extend_from_slice(t.as_bytes());
    }
}

/// `n_docs, then per document: id delta, n_slots, slots` (see the slot coding inside).
fn encode_postings(out: &mut Vec<u8>, list: &[(u32, u32)]) {
    let mut groups: Vec<(u32, Vec<u32>)> = Vec::new();
    for &(item, slot) in list {
        match groups.last_mut() {
            Some((i, slots)) if *i == item => slots.push(slot),
            _ => groups.push((item, vec![slot])),
        }
    }
    put_varint(out, groups.len() as u64);
    let mut prev_item = 0;
    for (item, mut slots) in groups {
        put_varint(out, u64::from(item - prev_item));
        prev_item = item;
        slots.retain(|&s| s != u32::MAX);
        slots.sort_unstable();
        slots.dedup();
        put_varint(out, slots.len() as u64);
        // Each slot as (position delta << 2 | field); the delta is from the previous slot of the
        // same field, else from 0. Slots are sorted by field, then position.
        let mut prev: Option<u32> = None;
        for s in slots {
            let (field, pos) = (s >> 24, s & 0xFF_FFFF);
            let base = match prev {
                Some(p) if p >> 24 == field => p & 0xFF_FFFF,
                _ => 0,
            };
            put_varint(out, u64::from((pos - base) << 2 | field));
            prev = Some(s);
        }
    }
}
