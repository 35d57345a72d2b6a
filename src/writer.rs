//! Compiles a validated [`Catalog`] into index bytes.
//!
//! What the writer derives at build time so the browser needs no tables of its own:
//! search keys for character bigrams, full pinyin and pinyin initials (from the `pinyin` crate),
//! and a traditional → simplified table for the characters the catalog uses (from `fast2s`).
//!
//! ```
//! # use powerlist::catalog::{Catalog, SourceFile, Sources};
//! # let sources = Sources {
//! #     items: SourceFile::new("items.csv", "code,name,type,field,level,department,basis\nA-1,对乱扔垃圾的行政处罚,行政处罚,城市管理,县级,城管,\n"),
//! #     regions: None, assignments: None, laws: vec![] };
//! let catalog = Catalog::compile(&sources).unwrap();
//! let bytes = powerlist::writer::write_index(&catalog);
//! let index = powerlist::Index::from_bytes(&bytes).unwrap();
//! assert_eq!(index.item_count(), 1);
//! ```

use std::collections::{BTreeMap, BTreeSet, HashMap};

use pinyin::ToPinyin;

use crate::catalog::Catalog;
use crate::format::{self, put_varint, section, write_blobs};
use crate::index::{
    AssignRecord, BasisRecord, ItemAttr, ItemRecord, LawMeta, Meta, RegionRecord, RegionsSection,
    FIELD_BASIS, FIELD_DEPT, FIELD_KEYWORDS, FIELD_NAME, KEY_INITIALS, KEY_KEYWORD, KEY_LITERAL,
    KEY_PINYIN, MAX_PINYIN_WINDOW, PINYIN_SEP,
};
use crate::law::Article;
use crate::text::{fold, is_cjk, is_word_char, segments, T2s};

/// The text of each searchable field of an item, before folding.
pub(crate) fn field_texts(catalog: &Catalog, item: &crate::catalog::Item) -> [String; 4] {
    let mut basis = String::new();
    for b in &item.bases {
        let law = &catalog.laws[b.law as usize];
        if !basis.is_empty() {
            basis.push('\n');
        }
        basis.push_str(&format!("《{}》{}", law.title, b.r.display()));
        if let Some(text) = law.article(b.r.article).and_then(|a| a.cited_text(&b.r)) {
            basis.push('\n');
            basis.push_str(&text);
        }
    }
    [
        item.name.clone(),
        item.keywords.join("；"),
        basis,
        item.department.clone(),
    ]
}

fn t2s_table(chars: &BTreeSet<char>) -> T2s {
    let mut table = T2s::new();
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

/// Compiles the catalog. The result is a complete index file.
pub fn write_index(catalog: &Catalog) -> Vec<u8> {
    // 1. The traditional → simplified table, over every character the catalog's text uses.
    let mut texts: Vec<[String; 4]> = catalog
        .items
        .iter()
        .map(|it| field_texts(catalog, it))
        .collect();
    let mut all_chars = BTreeSet::new();
    for t in &texts {
        for f in t {
            all_chars.extend(f.chars().filter(|c| !c.is_ascii()));
        }
    }
    let t2s = t2s_table(&all_chars);
    for t in texts.iter_mut() {
        for f in t.iter_mut() {
            *f = fold(f, Some(&t2s));
        }
    }

    // 2. Postings: key → [(item, slot)], slots = field << 24 | position.
    let mut postings: BTreeMap<Vec<u8>, Vec<(u32, u32)>> = BTreeMap::new();
    let mut syllables: BTreeSet<String> = BTreeSet::new();
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
            if field == FIELD_NAME || field == FIELD_KEYWORDS {
                // Punctuation and symbols get single-character keys, so a query made only of
                // them (e.g. `（一）`) still finds the names that contain it.
                for (pos, c) in text.chars().enumerate() {
                    if !is_word_char(c) && !c.is_whitespace() && pos < 1 << 24 {
                        let mut key = vec![KEY_LITERAL];
                        key.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                        push(&mut postings, key, id, field << 24 | pos as u32);
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
                    push(&mut postings, key, id, field << 24 | pos);
                }
                if field == FIELD_NAME || field == FIELD_KEYWORDS {
                    pinyin_keys(&run, start, field, id, &mut postings, &mut syllables);
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

    let mut post_bytes = Vec::new();
    let mut terms = fst::MapBuilder::memory();
    for (key, list) in &postings {
        let offset = post_bytes.len() as u64;
        encode_postings(&mut post_bytes, list);
        // Keys come from a BTreeMap: sorted and unique, so insert cannot fail.
        let _ = terms.insert(key, offset);
    }
    let terms = terms.into_inner().unwrap_or_default();

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

    // 3. Items and cited articles.
    let mut cited: BTreeSet<(u16, u32)> = BTreeSet::new();
    let mut cites: Vec<(u16, u32, u32)> = Vec::new();
    let items: Vec<Vec<u8>> = catalog
        .items
        .iter()
        .enumerate()
        .map(|(id, it)| {
            for b in &it.bases {
                cited.insert((b.law, b.r.article));
                cites.push((b.law, b.r.article, id as u32));
            }
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
    cites.sort();
    cites.dedup();
    let mut article_keys = Vec::new();
    let mut article_blobs = Vec::new();
    for &(law, number) in &cited {
        if let Some(a) = catalog.laws[law as usize].article(number) {
            article_keys.push((law, number));
            article_blobs.push(postcard::to_allocvec::<Article>(a).unwrap_or_default());
        }
    }

    // 4. Regions and assignments.
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
    let meta = Meta {
        version: crate::VERSION.to_string(),
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
        cites,
        t2s: t2s
            .iter()
            .map(|(&a, &b)| (a, b))
            .collect::<BTreeMap<_, _>>()
            .into_iter()
            .collect(),
        syllables: syllables.into_iter().collect(),
        avg_len: [0, 1, 2, 3].map(|f| (lens_sum[f] as f32 / n).max(1.0)),
    };

    format::write(&[
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
        (section::POSTINGS, post_bytes),
        (
            section::REGIONS,
            postcard::to_allocvec(&regions).unwrap_or_default(),
        ),
    ])
}

fn push(postings: &mut BTreeMap<Vec<u8>, Vec<(u32, u32)>>, key: Vec<u8>, item: u32, slot: u32) {
    postings.entry(key).or_default().push((item, slot));
}

/// Full-pinyin and initials keys for each CJK run inside a segment.
fn pinyin_keys(
    run: &[char],
    start: usize,
    field: u32,
    id: u32,
    postings: &mut BTreeMap<Vec<u8>, Vec<(u32, u32)>>,
    syllables: &mut BTreeSet<String>,
) {
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
        for s in sylls[j..].iter().take(MAX_PINYIN_WINDOW) {
            let Some(s) = s else { break };
            if full.len() > 1 {
                full.push(PINYIN_SEP);
            }
            full.extend_from_slice(s.as_bytes());
            initials.push(s.as_bytes()[0]);
        }
        let slot = field << 24 | (start + j) as u32;
        push(postings, full, id, slot);
        push(postings, initials, id, slot);
    }
}

/// `n_items, then per item: item delta, n_slots, slot deltas`.
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
        slots.sort_unstable();
        slots.dedup();
        put_varint(out, slots.len() as u64);
        let mut prev = 0;
        for s in slots {
            put_varint(out, u64::from(s - prev));
            prev = s;
        }
    }
}

#[allow(dead_code)]
const _FIELDS: [u32; 4] = [FIELD_NAME, FIELD_KEYWORDS, FIELD_BASIS, FIELD_DEPT];
