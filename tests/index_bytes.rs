//! Damaged indexes: every truncation and every single-byte change is rejected with an error,
//! never a panic.

use crate::common;

use common::mini_bytes;
use powerlist::error::{IndexError, Part};
use powerlist::format::{section, FORMAT_VERSION, MAGIC};
use powerlist::{Error, Index, SearchOptions};
use proptest::prelude::*;

fn message(bytes: &[u8]) -> String {
    match Index::from_bytes(bytes) {
        Ok(_) => panic!("a damaged index ({} bytes) was accepted", bytes.len()),
        Err(e) => e.to_string(),
    }
}

#[test]
fn every_truncation_is_rejected() {
    let bytes = common::mini_bytes();
    for len in 0..bytes.len() {
        let m = message(&bytes[..len]);
        assert!(m.starts_with("invalid index:"), "{len}: {m}");
    }
}

/// Loads and checks every byte: postings, item records, article texts and regions are checked
/// as they are first read, so a flip there loads and fails later.
fn load_and_verify(bytes: &[u8]) -> Result<Index, Error> {
    let index = Index::from_bytes(bytes)?;
    index.verify()?;
    Ok(index)
}

#[test]
fn every_single_byte_flip_is_rejected() {
    let bytes = common::mini_bytes();
    let mut copy = bytes.clone();
    for i in 0..bytes.len() {
        for mask in [0x01u8, 0xff] {
            copy[i] ^= mask;
            assert!(
                load_and_verify(&copy).is_err(),
                "byte {i} ^ {mask:#x} was accepted"
            );
            copy[i] ^= mask;
        }
    }
    assert!(load_and_verify(&bytes).is_ok());
}

/// Section `id`'s place in the file.
fn section_range(bytes: &[u8], id: u32) -> std::ops::Range<usize> {
    let c = powerlist::format::Container::parse(bytes).unwrap();
    let (start, end) = c.range(id).unwrap();
    start..end
}

#[test]
fn a_damaged_postings_byte_is_an_error_from_the_query_that_reads_it() {
    // Every byte of every postings list: the index loads (postings are checked as they are
    // read), and a search reading that list fails instead of answering from damaged bytes.
    let bytes = mini_bytes();
    let good = Index::from_bytes(&bytes).unwrap();
    let opts = SearchOptions {
        limit: Some(100),
        ..Default::default()
    };
    let queries = ["占道", "摆摊", "zhandao", "道路", "挖掘"];
    let answers: Vec<_> = queries
        .iter()
        .map(|q| good.search(q, &opts).unwrap().hits)
        .collect();
    let postings = section_range(&bytes, powerlist::format::section::POSTINGS);
    let (mut failed, mut step) = (0, 0);
    for i in postings.clone().step_by(7) {
        let mut copy = bytes.clone();
        copy[i] ^= 0x10;
        let index = Index::from_bytes(&copy).expect("postings are checked when read");
        for (q, want) in queries.iter().zip(&answers) {
            match index.search(q, &opts) {
                Ok(r) => assert_eq!(&r.hits, want, "{q}: a changed answer from byte {i}"),
                Err(e) => {
                    let e = e.to_string();
                    assert!(e.contains("checksum mismatch in section 7"), "{e}");
                    failed += 1;
                }
            }
        }
        step += 1;
    }
    assert!(
        failed >= step,
        "{failed} failed searches for {step} damaged bytes"
    );
}

/// An index of 600 items: their records span several 16 KiB blocks.
fn many_items_bytes() -> Vec<u8> {
    let mut items = String::from("code,name,type,field,level,department,basis,keywords\n");
    for i in 0..600 {
        items.push_str(&format!(
            "T-{i:04},对第{i}号擅自占用城市道路摆摊设点行为的行政处罚,行政处罚,城市管理,县级,县级城市管理部门,,占道经营；摆摊\n"
        ));
    }
    let catalog = powerlist_build::catalog::Catalog::compile(&common::with_items(&items))
        .expect("valid items");
    powerlist_build::writer::write_index(&catalog).expect("writes")
}

#[test]
fn the_rest_is_checked_a_slice_at_a_time() {
    let bytes = many_items_bytes();
    let index = Index::from_bytes(&bytes).unwrap();
    let mut slices = 0;
    while !index.verify_some(powerlist::format::BLOCK).unwrap() {
        slices += 1;
        assert!(slices < 1000);
    }
    assert!(slices >= 3, "{slices}");
    assert!(index.verify_some(1).unwrap(), "nothing is left");
    // A damaged block is found by the slice that reaches it.
    let mut damaged = bytes.clone();
    let records = section_range(&damaged, powerlist::format::section::ITEMS);
    damaged[records.end - 1] ^= 1;
    let index = Index::from_bytes(&damaged).unwrap();
    let err = std::iter::repeat_with(|| index.verify_some(powerlist::format::BLOCK))
        .find(|r| !matches!(r, Ok(false)))
        .unwrap()
        .unwrap_err()
        .to_string();
    assert!(err.contains("checksum mismatch in section 3"), "{err}");
}

#[test]
fn a_damaged_item_record_is_an_error_when_the_item_is_shown() {
    let mut bytes = many_items_bytes();
    let records = section_range(&bytes, powerlist::format::section::ITEMS);
    assert!(records.len() > 3 * powerlist::format::BLOCK, "{records:?}");
    bytes[records.end - 1] ^= 0x20; // in the last item's record
    let index = Index::from_bytes(&bytes).expect("item records are checked when read");
    let err = index.item_view(599, None, None).unwrap_err().to_string();
    assert!(err.contains("checksum mismatch in section 3"), "{err}");
    // Items in intact blocks still show; a search that shows the damaged one fails.
    assert_eq!(index.item_view(0, None, None).unwrap().code, "T-0000");
    assert!(index.get("T-0599", None).is_err());
    assert!(index
        .search_view("第599号", &SearchOptions::default())
        .is_err());
    assert!(index
        .search_view("T-0001", &SearchOptions::default())
        .is_ok());
}

#[test]
fn messages_say_what_to_do() {
    assert!(message(b"").contains("the index is empty"));
    assert!(
        message(b"PK\x03\x04 this is a zip file, not an index").contains("not a powerlist index")
    );
    let mut bytes = common::mini_bytes();
    bytes[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    let m = message(&bytes);
    assert!(
        m.contains(&format!("format version {}", FORMAT_VERSION + 1)),
        "{m}"
    );
    assert!(m.contains("upgrade powerlist"), "{m}");
    bytes[8..12].copy_from_slice(&0u32.to_le_bytes());
    assert!(message(&bytes).contains("rebuild the index"));
    let bytes = common::mini_bytes();
    let m = message(&bytes[..bytes.len() - 1]);
    assert!(
        m.contains("checksum") || m.contains("outside the file"),
        "{m}"
    );
}

/// Replaces the bytes of section `id` with `fill` and fixes the checksums, as only a deliberate
/// forger would.
fn forge_section(bytes: &mut [u8], id: u32, fill: u8) {
    let r = section_range(bytes, id);
    bytes[r].fill(fill);
    powerlist::format::reseal(bytes);
}

#[test]
fn forged_regions_are_an_error_when_first_needed() {
    // Regions are decoded on first use (most searches never need them); a section that passes
    // the checksum but does not decode must still give an error there, never a panic.
    let mut bytes = mini_bytes();
    forge_section(&mut bytes, powerlist::format::section::REGIONS, 0xff);
    let index = Index::from_bytes(&bytes).expect("the rest of the index is fine");
    assert!(index.search("占道", &SearchOptions::default()).is_ok());
    let opts = SearchOptions {
        region: Some("321281100".into()),
        ..Default::default()
    };
    let err = index.search("占道", &opts).unwrap_err().to_string();
    assert!(err.contains("regions section is malformed"), "{err}");
    assert!(index.get("CG-CF-014", Some("321281100")).is_err());
    assert!(index.region_list().is_err());
}

/// What went wrong with the index, when that is the error.
fn index_error(r: Result<impl std::fmt::Debug, Error>) -> IndexError {
    match r {
        Err(Error::Index { error, file: None }) => error,
        other => panic!("expected an index error, got {other:?}"),
    }
}

#[test]
fn each_index_error_kind_is_produced_where_expected() {
    let load = |b: &[u8]| index_error(Index::from_bytes(b));
    let e = load(b"");
    assert_eq!((&e, e.code()), (&IndexError::Empty, "empty"));
    let e = load(b"PK\x03\x04 this is a zip file, not an index");
    assert_eq!((&e, e.code()), (&IndexError::NotAnIndex, "not-index"));
    assert_eq!(load(b"PK"), IndexError::NotAnIndex);
    let e = load(&MAGIC[..5]);
    assert_eq!(
        (&e, e.code()),
        (&IndexError::Truncated { len: 5 }, "corrupt")
    );

    // A newer (or older) format: reported before any checksum, resealed or not.
    let good = mini_bytes();
    for found in [FORMAT_VERSION + 1, 0] {
        let mut bytes = good.clone();
        bytes[8..12].copy_from_slice(&found.to_le_bytes());
        powerlist::format::reseal(&mut bytes);
        let e = load(&bytes);
        let want = IndexError::Version {
            found,
            supported: FORMAT_VERSION,
        };
        assert_eq!((&e, e.code()), (&want, "version"));
    }

    // A flipped byte in the block checksums: the table's own checksum catches it.
    let mut bytes = good.clone();
    let at = bytes.len() - 5;
    bytes[at] ^= 1;
    assert!(matches!(load(&bytes), IndexError::TableChecksum { .. }));

    // A flipped byte in a section read at load (the metadata) fails the load …
    let mut bytes = good.clone();
    let at = section_range(&bytes, section::META).start;
    bytes[at] ^= 1;
    let e = load(&bytes);
    let want = IndexError::Checksum {
        section: section::META,
        block: 0,
    };
    assert_eq!((&e, e.code()), (&want, "corrupt"));
    // … one in a section read later fails what reads it.
    let mut bytes = good.clone();
    let at = section_range(&bytes, section::REGIONS).end - 1;
    bytes[at] ^= 1;
    let index = Index::from_bytes(&bytes).expect("regions are checked when read");
    assert_eq!(
        index_error(index.region_list()),
        IndexError::Checksum {
            section: section::REGIONS,
            block: 0
        }
    );

    // Sections that pass their checksums but do not decode.
    let mut bytes = good.clone();
    forge_section(&mut bytes, section::META, 0xff);
    assert_eq!(
        load(&bytes),
        IndexError::Malformed {
            part: Part::Metadata
        }
    );
    let mut bytes = good.clone();
    forge_section(&mut bytes, section::ITEMS, 0xff);
    assert_eq!(load(&bytes), IndexError::BlobTable { part: Part::Items });

    // A section left out.
    let c = powerlist::format::Container::parse(&good).unwrap();
    let sections: Vec<(u32, Vec<u8>)> = (1..=9)
        .filter(|&id| id != section::REGIONS)
        .map(|id| (id, c.section(id).unwrap().to_vec()))
        .collect();
    assert_eq!(
        load(&powerlist::format::write(&sections)),
        IndexError::MissingSection {
            section: section::REGIONS
        }
    );
}

#[test]
fn an_index_error_can_name_its_file_and_keeps_its_kind() {
    let e = Index::from_bytes(b"").unwrap_err();
    let plain = e.to_string();
    let named = e.in_file("data/catalog.idx");
    assert_eq!(
        named.to_string(),
        plain.replacen("invalid index: ", "invalid index: data/catalog.idx: ", 1)
    );
    assert_eq!(named.index_error().map(IndexError::code), Some("empty"));
    let request = Error::Request("no".into());
    assert_eq!(request.clone().in_file("x.idx"), request);
    assert_eq!(request.index_error(), None);
}

/// The index of the mini catalog with its regions section damaged in three ways, each with the
/// error it must give: a flipped byte (its checksum fails), bytes that do not decode (resealed),
/// and assignments of items the index does not have (another index's section, resealed).
fn damaged_regions() -> Vec<(&'static str, Vec<u8>, IndexError)> {
    let good = mini_bytes();
    let mut flipped = good.clone();
    let at = section_range(&flipped, section::REGIONS).start + 3;
    flipped[at] ^= 0x08;
    let mut forged = good.clone();
    forge_section(&mut forged, section::REGIONS, 0xff);
    // One item, and the mini catalog's assignments (of items up to 13).
    let one = powerlist_build::catalog::Catalog::compile(&common::with_items(
        "code,name,type,field,level,department,basis\nA-1,对乱扔垃圾的行政处罚,行政处罚,城市管理,县级,城管,\n",
    ))
    .expect("valid");
    let one = powerlist_build::writer::write_index(&one).expect("writes");
    let (mini, small) = (
        powerlist::format::Container::parse(&good).unwrap(),
        powerlist::format::Container::parse(&one).unwrap(),
    );
    let sections: Vec<(u32, Vec<u8>)> = (1..=9)
        .map(|id| {
            let from = if id == section::REGIONS {
                &mini
            } else {
                &small
            };
            (id, from.section(id).unwrap().to_vec())
        })
        .collect();
    let foreign = powerlist::format::write(&sections);
    vec![
        (
            "flipped",
            flipped,
            IndexError::Checksum {
                section: section::REGIONS,
                block: 0,
            },
        ),
        (
            "forged",
            forged,
            IndexError::Malformed {
                part: Part::Regions,
            },
        ),
        (
            "foreign",
            foreign,
            IndexError::Malformed {
                part: Part::Assignments,
            },
        ),
    ]
}

#[test]
fn damaged_regions_are_an_error_never_an_empty_answer() {
    let good = common::mini_index();
    for (how, bytes, want) in damaged_regions() {
        let index = Index::from_bytes(&bytes).expect("regions are read on first use");
        let region = Some("321281100");
        let opts = SearchOptions {
            region: region.map(String::from),
            ..Default::default()
        };
        let code = index.item_record(0).unwrap().code;
        assert_eq!(index_error(index.stats()), want, "{how}: stats");
        assert_eq!(index_error(index.region_list()), want, "{how}: regions");
        assert_eq!(index_error(index.regions_section()), want, "{how}");
        assert_eq!(index_error(index.get(&code, region)), want, "{how}: get");
        assert_eq!(index_error(index.search("处罚", &opts)), want, "{how}");
        assert_eq!(index_error(index.search_view("处罚", &opts)), want, "{how}");
        assert_eq!(index_error(index.local_list("321281100")), want, "{how}");
        assert_eq!(
            index_error(index.handling(0, 0, None)),
            want,
            "{how}: handling"
        );
        assert_eq!(
            index_error(index.handlers_below(&code, "321281", None)),
            want
        );
        assert_eq!(index_error(index.devolved_counts("321281")), want, "{how}");
        assert_eq!(index_error(index.item_overlaps(&code, None)), want, "{how}");
        assert_eq!(
            index_error(powerlist::overlaps::overlaps(&index, None)),
            want
        );
        assert_eq!(index_error(powerlist::diff::diff(&good, &index)), want);
        assert_eq!(index_error(powerlist::diff::diff(&index, &good)), want);
        assert_eq!(index_error(index.verify()), want, "{how}: verify");
        // What does not need the regions still answers.
        assert!(
            index.search("处罚", &SearchOptions::default()).is_ok(),
            "{how}"
        );
        assert_eq!(index.get(&code, None).unwrap().code, code, "{how}");
    }
}

#[test]
fn a_damaged_item_record_makes_stats_an_error() {
    let mut bytes = many_items_bytes();
    let good = Index::from_bytes(&bytes).unwrap();
    assert_eq!(good.stats().unwrap().by_department["县级城市管理部门"], 600);
    let records = section_range(&bytes, section::ITEMS);
    bytes[records.end - 1] ^= 0x20; // in the last item's record
    let index = Index::from_bytes(&bytes).unwrap();
    let e = index_error(index.stats());
    assert!(
        matches!(e, IndexError::Checksum { section: 3, .. }),
        "{e:?}"
    );
}

#[test]
fn magic_is_documented_value() {
    assert_eq!(&common::mini_bytes()[..8], MAGIC);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = Index::from_bytes(&data);
        let mut with_magic = MAGIC.to_vec();
        with_magic.extend_from_slice(&data);
        let _ = Index::from_bytes(&with_magic);
    }

    #[test]
    fn random_queries_never_fail(q in "\\PC{0,40}") {
        let index = common::mini_index();
        let r = index.search(&q, &SearchOptions::default());
        prop_assert!(r.is_ok() || matches!(r, Err(Error::Request(_))));
    }
}
