//! The chunked web form (`powerlist build --web`): a core and chunks fetched on demand give
//! the same answers as the single file; a chunk of another build, a damaged chunk, a missing
//! one are clear errors, never a wrong answer.

use std::sync::OnceLock;

use powerlist::error::IndexError;
use powerlist::{Error, Index, SearchOptions, SearchResult};
use powerlist_build::catalog::{Catalog, Sources};
use powerlist_build::web::{split, WebIndex};

use crate::common::{mini_bytes, repo};

/// The sample catalog in data/, as one file and cut for the web.
fn sample() -> &'static (Vec<u8>, WebIndex) {
    static SAMPLE: OnceLock<(Vec<u8>, WebIndex)> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let sources = Sources::from_dir(&repo().join("data")).expect("reads data/");
        let catalog = Catalog::compile(&sources).expect("the sample is valid");
        let single = powerlist_build::writer::write_index(&catalog).expect("writes");
        let web = split(&single, &Default::default()).expect("splits");
        (single, web)
    })
}

/// What answering cost: rounds of fetching, chunks and bytes fetched.
#[derive(Debug, Default)]
pub(crate) struct Cost {
    pub(crate) rounds: usize,
    chunks: usize,
    bytes: usize,
}

/// Calls `f` until it stops asking for chunks, adding the chunks it names each round (as the
/// page does), and returns its answer and what the chunks cost.
pub(crate) fn answer<T>(
    index: &Index,
    web: &WebIndex,
    f: impl Fn(&Index) -> Result<T, Error>,
) -> (T, Cost) {
    let mut cost = Cost::default();
    loop {
        match f(index) {
            Err(Error::NeedChunks(names)) => {
                assert!(!names.is_empty());
                assert!(cost.rounds < 12, "too many rounds: {cost:?}");
                cost.rounds += 1;
                if std::env::var_os("WEB_TRACE").is_some() {
                    let sizes: Vec<usize> = names
                        .iter()
                        .filter_map(|n| web.chunks.iter().find(|c| &c.name == n))
                        .map(|c| c.bytes.len())
                        .collect();
                    eprintln!("round {}: {sizes:?}", cost.rounds);
                }
                for name in names {
                    let chunk = web
                        .chunks
                        .iter()
                        .find(|c| c.name == name)
                        .expect("a chunk it has");
                    index
                        .add_chunk(&chunk.bytes)
                        .expect("a good chunk is accepted");
                    cost.chunks += 1;
                    cost.bytes += chunk.bytes.len();
                }
            }
            Err(e) => panic!("{e}"),
            Ok(v) => return (v, cost),
        }
    }
}

fn opts(region: Option<&str>) -> SearchOptions {
    SearchOptions {
        region: region.map(str::to_string),
        ..Default::default()
    }
}

/// A search for `q` from a fresh core, with the records of its page of hits (what the first
/// screen shows), and what its chunks cost.
fn first_screen(web: &WebIndex, q: &str, region: Option<&str>) -> (SearchResult, Cost) {
    let index = Index::from_core(&web.core).unwrap();
    answer(&index, web, |i| {
        let r = i.search(q, &opts(region))?;
        i.need_items(r.hits.iter().map(|h| h.id))?;
        Ok(r)
    })
}

const QUERIES: &[&str] = &[
    "占道经营",
    "乱扔垃圾",
    "zhandao",
    "zdjy",
    "CG-XK-001",
    "cg-xk",
    "城市道路管理条例第三十条",
    "《中华人民共和国行政处罚法》",
    "渣土",
    "噪音扰民",
    "",
    "违法建设 拆除",
    "占到经营",
    "燥音扰民",
    "lajii",
    "zandao jinying",
];

#[test]
fn every_answer_is_the_single_files_piece_by_piece() {
    let (single, web) = sample();
    let whole = Index::from_bytes(single).unwrap();
    for region in [None, Some("321281123")] {
        // A fresh core per region: each query starts from what the earlier ones fetched.
        let index = Index::from_core(&web.core).unwrap();
        for q in QUERIES {
            let want = whole.search(q, &opts(region)).unwrap();
            let (got, _) = answer(&index, web, |i| i.search(q, &opts(region)));
            assert_eq!(
                serde_json::to_value(&got).unwrap(),
                serde_json::to_value(&want).unwrap(),
                "{q:?} in {region:?}"
            );
            if let Some(hit) = want.hits.first() {
                let code = whole.item_record(hit.id).unwrap().code;
                let want = whole.get(&code, region).unwrap();
                let (got, _) = answer(&index, web, |i| i.get(&code, region));
                assert_eq!(
                    serde_json::to_value(&got).unwrap(),
                    serde_json::to_value(&want).unwrap()
                );
            }
        }
    }
}

#[test]
fn every_region_names_its_handlers_as_the_single_file_does() {
    // A township's own bodies travel with its assignments, the shared ones in the first piece:
    // every region's handlers, and the whole section, read the same names either way.
    let (single, web) = sample();
    handlers_as_the_single_file(single, web);
    // The same with the townships left to their counties' chunks (a country's list).
    let opts = powerlist_build::web::WebOptions {
        regions: 0,
        ..Default::default()
    };
    handlers_as_the_single_file(single, &split(single, &opts).unwrap());
}

fn handlers_as_the_single_file(single: &[u8], web: &WebIndex) {
    let whole = Index::from_bytes(single).unwrap();
    let index = Index::from_core(&web.core).unwrap();
    let regions = std::fs::read_to_string(repo().join("data/regions.csv")).unwrap();
    let codes = ["CG-CF-014", "CG-CF-001", "SJ-CF-025"];
    for region in regions.lines().skip(1).filter_map(|l| l.split(',').next()) {
        for code in codes {
            let want = whole.get(code, Some(region)).unwrap();
            let (got, _) = answer(&index, web, |i| i.get(code, Some(region)));
            assert_eq!(
                serde_json::to_value(&got).unwrap(),
                serde_json::to_value(&want).unwrap(),
                "{code} in {region}"
            );
        }
    }
    // With every chunk (as the offline copy has them), the maintainer's counts.
    for chunk in &web.chunks {
        index.add_chunk(&chunk.bytes).unwrap();
    }
    let counts = |i: &Index| {
        let mut v = serde_json::to_value(i.stats().unwrap()).unwrap();
        v["bytes"] = serde_json::Value::Null; // the core's size, not the single file's
        v
    };
    assert_eq!(counts(&index), counts(&whole));
    let got = index.local_list("321281123").unwrap();
    let want = whole.local_list("321281123").unwrap();
    assert_eq!(
        serde_json::to_value(&got).unwrap(),
        serde_json::to_value(&want).unwrap()
    );
}

#[test]
fn the_first_answer_in_a_township_needs_a_few_small_chunks() {
    let (_, web) = sample();
    let index = Index::from_core(&web.core).unwrap();
    let (r, cost) = answer(&index, web, |i| {
        i.search("占道经营", &opts(Some("321281123")))
    });
    assert!(r.total > 0);
    eprintln!(
        "core {} bytes; 占道经营 in 321281123: {cost:?} of {} chunks, {} bytes in all",
        web.core.len(),
        web.chunks.len(),
        web.chunks.iter().map(|c| c.bytes.len()).sum::<usize>()
    );
    // The core carries the unit-citers table (every query in Chinese reads it whole), and each
    // law's version (its date, kind and source: 5.6 kB of the sample's 83 laws).
    assert!(web.core.len() < 58_000, "core {} bytes", web.core.len());
    assert!(cost.rounds <= 4, "{cost:?}");
    assert!(cost.bytes < 120_000, "{cost:?}");
    // Then the first hit's page, with every article text it cites: one more round.
    let code = index.item_record(r.hits[0].id).unwrap().code;
    let (view, cost) = answer(&index, web, |i| i.get(&code, Some("321281123")));
    assert!(view.bases.iter().any(|b| !b.text.is_empty()));
    assert!(cost.rounds <= 1, "{cost:?}");
}

#[test]
fn a_query_and_its_page_of_records_take_two_rounds_four_in_pinyin() {
    // Round 1 the key shards with their postings (and the unit-citers table, the keyword keys
    // and the township's assignments), round 2 the records of the page of hits: no read of
    // the search may come as a surprise, a round of its own on a slow line.
    let (_, web) = sample();
    for q in [
        "占道经营",
        "乱扔垃圾",
        "噪音扰民",
        "渣土",
        "违法建设 拆除",
        "城市道路管理条例",
    ] {
        let (_, cost) = first_screen(web, q, Some("321281123"));
        assert!(cost.rounds <= 2, "{q}: {cost:?}");
    }
    // A code reads no key (the codes FST is in the core): the township's assignments (one
    // chunk with its county's), then the record.
    let (_, cost) = first_screen(web, "CG-CF-014", Some("321281123"));
    assert!(cost.rounds <= 2 && cost.chunks <= 2, "CG-CF-014: {cost:?}");
    // Pinyin takes two more: the texts its keys spell, then the keys of those phrases (and
    // their postings).
    for q in ["zhandao", "zdjy", "luanreng"] {
        let (_, cost) = first_screen(web, q, Some("321281123"));
        assert!(cost.rounds <= 4, "{q}: {cost:?}");
    }
    // Words of pinyin are read side by side, not one after another (13 and 8 rounds before).
    for (q, most) in [("wangba weichengnianren", 10), ("zaoyin raomin", 7)] {
        let (r, cost) = first_screen(web, q, Some("321281123"));
        assert!(r.total > 0, "{q}");
        assert!(cost.rounds <= most, "{q}: {cost:?}");
    }
}

#[test]
fn a_paragraph_citation_reads_its_items_records_in_one_round() {
    // Which paragraph each citing item cites is in its record: all of them in one round
    // (they came one at a time: 3 rounds for the first of these, 47 for `水法65条1款` among
    // 10,000 synthetic items).
    let (_, web) = sample();
    for q in [
        "食品安全法34条第1款",
        "市容环卫条例34条1款",
        "固废法111条第1款",
        "公路法 76 1",
    ] {
        let (r, cost) = first_screen(web, q, None);
        eprintln!("{q}: {} hits, {cost:?}", r.total);
        assert!(r.total > 0, "{q}");
        // The keys with their postings and the region, then the records (one round each).
        assert!(cost.rounds <= 2, "{q}: {cost:?}");
    }
}

#[test]
fn a_slip_costs_a_few_more_rounds_only_when_nothing_matched() {
    // The characters' readings, the phrases that sound alike, then the correction's own keys
    // and postings: three rounds more than a query that matches, whose cost is unchanged.
    let (_, web) = sample();
    for q in ["占到经营", "lajii"] {
        let (r, cost) = first_screen(web, q, Some("321281123"));
        eprintln!("{q}: {cost:?}");
        assert!(r.corrected.is_some(), "{q}");
        assert!(cost.rounds <= 6 && cost.bytes < 200_000, "{q}: {cost:?}");
    }
    // Pinyin typed the southern way: its readings' keys in one round more, then the
    // reading's own search (9 rounds, where `zhandao jingying` as meant takes 8).
    let (r, cost) = first_screen(web, "zandao jinying", Some("321281123"));
    assert!(r.corrected.is_some());
    assert!(cost.rounds <= 10 && cost.bytes < 200_000, "{cost:?}");
}

#[test]
fn a_sentence_takes_two_rounds_a_short_one_four_and_a_slip_in_several_words_six() {
    // A citizen's sentence matches no item whole, so the slip correction used to read every
    // stretch of it aloud, run after run: 13 rounds for the first of these, 6 for the second
    // (the correction never found anything in a sentence). Now a sentence is not corrected.
    let (_, web) = sample();
    for q in [
        "小区旁边汽修店天天喷漆，那股漆味熏得人头疼，晚上关窗都挡不住，真的会谢",
        "工地晚上施工吵得睡不着",
    ] {
        let (r, cost) = first_screen(web, q, Some("321281123"));
        assert!(r.total > 0 && r.corrected.is_none(), "{q}");
        assert!(cost.rounds <= 2, "{q}: {cost:?}");
    }
    // A short situation is still tried for a slip, and its page's records come while the
    // guess is looked up: the guess matches nothing whole, and the page is there (5 and 6
    // rounds before).
    for q in ["门口有人摆摊", "楼顶竖广告"] {
        let (r, cost) = first_screen(web, q, Some("321281123"));
        assert!(r.total > 0 && r.corrected.is_none(), "{q}");
        assert!(cost.rounds <= 4, "{q}: {cost:?}");
    }
    // The runs of a query with a slip look up their stretches together (8 rounds before).
    let (r, cost) = first_screen(web, "欠新 农民工", Some("321281123"));
    assert_eq!(r.corrected.as_deref(), Some("欠薪 农民工"));
    assert!(cost.rounds <= 6, "{cost:?}");
}

#[test]
fn every_chunk_added_leaves_nothing_missing_and_checks_whole() {
    let (_, web) = sample();
    let index = Index::from_core(&web.core).unwrap();
    let missing = index.missing_chunks();
    assert_eq!(missing.len(), web.chunks.len());
    for c in &web.chunks {
        index.add_chunk(&c.bytes).unwrap();
        index.add_chunk(&c.bytes).unwrap(); // twice: nothing happens
    }
    assert!(index.missing_chunks().is_empty());
    index.verify().unwrap();
    assert!(
        index
            .search("占道经营", &opts(Some("321281123")))
            .unwrap()
            .total
            > 0
    );
}

#[test]
fn a_chunk_of_another_build_is_refused_by_name() {
    let (_, web) = sample();
    let other = split(&mini_bytes(), &Default::default()).unwrap();
    let index = Index::from_core(&web.core).unwrap();
    let err = index.add_chunk(&other.chunks[0].bytes).unwrap_err();
    assert!(
        matches!(err.index_error(), Some(IndexError::ForeignChunk { .. })),
        "{err}"
    );
    assert!(err.to_string().contains("two builds are mixed"), "{err}");
    assert_eq!(
        err.index_error().map(IndexError::code),
        Some("foreign-chunk")
    );
    // The index goes on as before.
    answer(&index, web, |i| i.search("渣土", &opts(None)));
}

#[test]
fn a_damaged_chunk_is_refused_and_the_good_copy_then_accepted() {
    let (_, web) = sample();
    let index = Index::from_core(&web.core).unwrap();
    let chunk = &web.chunks[web.chunks.len() / 2];
    for at in [0, chunk.bytes.len() / 2, chunk.bytes.len() - 1] {
        let mut bad = chunk.bytes.clone();
        bad[at] ^= 0x20;
        let err = index.add_chunk(&bad).unwrap_err();
        let code = err.index_error().map(IndexError::code);
        assert!(matches!(code, Some("corrupt" | "not-index")), "{err}");
        assert!(index.missing_chunks().iter().any(|(n, _)| n == &chunk.name));
    }
    assert!(index
        .add_chunk(&chunk.bytes[..chunk.bytes.len() / 2])
        .is_err());
    assert!(index.add_chunk(b"").is_err());
    index.add_chunk(&chunk.bytes).unwrap();
    assert!(!index.missing_chunks().iter().any(|(n, _)| n == &chunk.name));
}

#[test]
fn each_form_refuses_to_load_as_the_other() {
    let (single, web) = sample();
    let err = Index::from_bytes(&web.core).unwrap_err();
    assert!(
        matches!(err.index_error(), Some(IndexError::ChunkedCore)),
        "{err}"
    );
    assert!(err.to_string().contains("build --web"), "{err}");
    let err = Index::from_core(single).unwrap_err();
    assert!(
        matches!(err.index_error(), Some(IndexError::NotACore)),
        "{err}"
    );
    assert!(Index::from_core(&web.chunks[0].bytes).is_err());
    let whole = Index::from_bytes(single).unwrap();
    assert!(whole.add_chunk(&web.chunks[0].bytes).is_err());
    assert!(whole.missing_chunks().is_empty());
}

#[test]
fn the_same_index_always_cuts_into_the_same_bytes() {
    let (single, web) = sample();
    let again = split(single, &Default::default()).unwrap();
    assert_eq!(again.core, web.core);
    let names = |w: &WebIndex| w.chunks.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&again), names(web));
}

/// A small deterministic fuzzer over the new decoders (the cargo-fuzz target is
/// `fuzz/fuzz_targets/web_chunks.rs`): damaged cores and chunks, their checksums fixed up so
/// the decoders behind them are reached, never panic — whatever is asked of the index after.
#[test]
fn damaged_cores_and_chunks_never_panic() {
    damaged_never_panic(&split(&mini_bytes(), &Default::default()).unwrap());
    // The townships left to the pieces of assignments, as a country's are.
    let opts = powerlist_build::web::WebOptions {
        regions: 0,
        ..Default::default()
    };
    damaged_never_panic(&split(&mini_bytes(), &opts).unwrap());
}

fn damaged_never_panic(web: &WebIndex) {
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..300 {
        let core_round = round % 2 == 0;
        let pick = next() as usize % web.chunks.len();
        let mut bytes = if core_round {
            web.core.clone()
        } else {
            web.chunks[pick].bytes.clone()
        };
        for _ in 0..1 + next() % 4 {
            let at = next() as usize % bytes.len();
            bytes[at] ^= 1 << (next() % 8);
        }
        if next() % 3 == 0 {
            bytes.truncate(next() as usize % bytes.len());
        }
        powerlist::format::reseal(&mut bytes);
        let index = if core_round {
            match Index::from_core(&bytes) {
                Ok(index) => index,
                Err(_) => continue,
            }
        } else {
            let index = Index::from_core(&web.core).unwrap();
            let _ = index.add_chunk(&bytes);
            index
        };
        for c in &web.chunks {
            let _ = index.add_chunk(&c.bytes);
        }
        crate::common::workout(&index);
    }
}

/// The `web_chunks` fuzz target's seeds (fuzz/seeds/web_chunks) are this build's: the mini
/// catalog's core and chunks in both forms (`W` = 0: as `build --web` cuts it; 2: its
/// townships left to the pieces of assignments), each file the form byte then the bytes —
/// `core-W` with `W`, `chunk-W-N` (chunk N) with `W + 1`, as the target reads them.
/// `POWERLIST_WRITE_SEEDS=1 cargo test --release -p powerlist-cli --test tests --
/// fuzz_seeds` rewrites them after a change of format.
#[test]
fn fuzz_seeds_are_this_builds_cores_and_chunks() {
    let mut want: Vec<(String, Vec<u8>)> = Vec::new();
    for form in [0u8, 2] {
        let mut opts = powerlist_build::web::WebOptions::default();
        if form == 2 {
            opts.regions = 0;
        }
        let web = split(&mini_bytes(), &opts).unwrap();
        want.push((format!("core-{form}"), [&[form][..], &web.core].concat()));
        for (n, c) in web.chunks.iter().enumerate() {
            let bytes = [&[form + 1][..], &c.bytes].concat();
            want.push((format!("chunk-{form}-{n}"), bytes));
        }
    }
    let dir = repo().join("fuzz/seeds/web_chunks");
    if std::env::var_os("POWERLIST_WRITE_SEEDS").is_some() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (name, bytes) in &want {
            std::fs::write(dir.join(name), bytes).unwrap();
        }
    }
    let mut have: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    have.sort();
    let mut names: Vec<String> = want.iter().map(|(n, _)| n.clone()).collect();
    names.sort();
    assert_eq!(
        have, names,
        "rewrite them: POWERLIST_WRITE_SEEDS=1 (see this test)"
    );
    for (name, bytes) in &want {
        let stale = std::fs::read(dir.join(name)).unwrap() != *bytes;
        assert!(
            !stale,
            "{name} is stale: POWERLIST_WRITE_SEEDS=1 (see this test)"
        );
    }
}
