//! Inputs that crashed a fuzz target (fuzz/), kept as regression tests. File names start with the
//! target's name; each input is replayed the way its target feeds it.

use powerlist::Index;

/// The index_checksummed target fixes up every checksum before loading. The first three crashes
/// were found in format 1 (one CRC over the whole file, pinyin windows in the terms FST); their
/// sections are moved, unchanged, into the current container, and the terms FST serves as the
/// pinyin FST too (the two kinds of keys begin with different bytes), so they still reach the
/// decoders they crashed; what formats 2, 3, 4 and 5 added is appended, empty (see `format_2_to_3`,
/// `format_3_to_4`, `format_4_to_5`; format 6 changed the chunked form only).
fn with_fixed_checksum(mut bytes: Vec<u8>) -> Vec<u8> {
    use powerlist::format::section::{PINYIN, TERMS};
    if bytes.len() >= 20 && bytes[8..12] == 1u32.to_le_bytes() {
        if let Some(mut sections) = format_1_sections(&bytes) {
            if let Some((_, terms)) = sections.iter().find(|s| s.0 == TERMS) {
                sections.push((PINYIN, terms.clone()));
            }
            format_2_to_3(&mut sections);
            format_3_to_4(&mut sections);
            format_4_to_5(&mut sections);
            let upgraded = powerlist::format::write(&sections);
            assert!(powerlist::format::Container::parse(&upgraded).is_ok());
            return upgraded;
        }
    }
    for old in [2u32, 3, 4, 5] {
        if bytes.len() >= 20 && bytes[8..12] == old.to_le_bytes() {
            bytes[8..12].copy_from_slice(&powerlist::format::FORMAT_VERSION.to_le_bytes());
            powerlist::format::reseal(&mut bytes);
            if let Some(upgraded) = upgraded_from(old, &bytes) {
                return upgraded;
            }
        }
    }
    powerlist::format::reseal(&mut bytes);
    bytes
}

/// A format `old` file (its version already set to the current one and resealed) in the
/// current format.
fn upgraded_from(old: u32, bytes: &[u8]) -> Option<Vec<u8>> {
    let c = powerlist::format::Container::parse(bytes).ok()?;
    let mut sections: Vec<(u32, Vec<u8>)> = (1..=9)
        .filter_map(|id| Some((id, c.section(id).ok()?.to_vec())))
        .collect();
    if old == 2 {
        format_2_to_3(&mut sections);
    }
    if old <= 3 {
        format_3_to_4(&mut sections);
    }
    if old <= 4 {
        format_4_to_5(&mut sections);
    }
    // Format 6 changed the chunked form only (the regions' first piece): a single file of
    // format 5 is one of format 6.
    Some(powerlist::format::write(&sections))
}

/// Format 4 sections made format 5: the regions section's documents, terms and dated
/// assignments come last, appended empty; each law of the meta gains its text's version and the
/// date of a newer text after its title and article count, both `None` (a zero byte each);
/// every other byte stays as it was. The meta is walked as postcard wrote it: the powerlist
/// version, the catalog's name, version and date, the item count, the fields, then the laws.
fn format_4_to_5(sections: &mut [(u32, Vec<u8>)]) {
    for (id, s) in sections.iter_mut() {
        if *id == powerlist::format::section::REGIONS {
            s.extend_from_slice(&[0, 0, 0]);
        }
        if *id == powerlist::format::section::META {
            if let Some(upgraded) = meta_4_to_5(s) {
                *s = upgraded;
            }
        }
    }
}

fn meta_4_to_5(s: &[u8]) -> Option<Vec<u8>> {
    let varint = |at: &mut usize| -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *s.get(*at)?;
            *at += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    };
    let string = |at: &mut usize| -> Option<()> {
        let n = usize::try_from(varint(at)?).ok()?;
        *at = at.checked_add(n).filter(|&end| end <= s.len())?;
        Some(())
    };
    let mut at = 0;
    for _ in 0..4 {
        string(&mut at)?;
    }
    varint(&mut at)?;
    for _ in 0..varint(&mut at)? {
        string(&mut at)?;
    }
    let laws = varint(&mut at)?;
    let mut out = s[..at].to_vec();
    for _ in 0..laws {
        let from = at;
        string(&mut at)?;
        varint(&mut at)?;
        out.extend_from_slice(&s[from..at]);
        out.extend_from_slice(&[0, 0]);
    }
    out.extend_from_slice(&s[at..]);
    Some(out)
}

/// Format 3 sections made format 4: the meta's declared law names come last, appended empty.
fn format_3_to_4(sections: &mut [(u32, Vec<u8>)]) {
    for (id, s) in sections.iter_mut() {
        if *id == powerlist::format::section::META {
            s.push(0);
        }
    }
}

/// Format 2 sections made format 3: what format 3 added comes last in its records (the meta's
/// fillers and department contacts, the item records' own contacts, the regions' body
/// contacts), so empty ones are appended (postcard writes an empty list as one zero byte);
/// every other byte, the damage included, stays as it was.
fn format_2_to_3(sections: &mut [(u32, Vec<u8>)]) {
    use powerlist::error::Part;
    use powerlist::format::{section, write_blobs, Blobs};
    for (id, s) in sections.iter_mut() {
        match *id {
            section::META => s.extend_from_slice(&[0, 0]),
            section::REGIONS => s.push(0),
            section::ITEMS => {
                let Ok(blobs) = Blobs::parse(s, Part::Items) else {
                    continue;
                };
                let records = (0..blobs.len())
                    .map(|i| {
                        let at = blobs.offsets_at(i);
                        let (from, to) = blobs.record(s.get(at..at + 8)?)?;
                        let mut r = s.get(from..to)?.to_vec();
                        r.extend_from_slice(&[0, 0, 0]);
                        Some(r)
                    })
                    .collect::<Option<Vec<_>>>();
                if let Some(records) = records {
                    *s = write_blobs(&records);
                }
            }
            _ => {}
        }
    }
}

/// The sections of a format 1 file (header, table of `id, 0, offset, length`, sections, CRC).
fn format_1_sections(bytes: &[u8]) -> Option<Vec<(u32, Vec<u8>)>> {
    let u32_at = |i: usize| Some(u32::from_le_bytes(bytes.get(i..i + 4)?.try_into().ok()?));
    let u64_at = |i: usize| Some(u64::from_le_bytes(bytes.get(i..i + 8)?.try_into().ok()?));
    let n = u32_at(12)? as usize;
    (0..n.min(256))
        .map(|e| {
            let at = 16 + 24 * e;
            let (off, len) = (u64_at(at + 8)? as usize, u64_at(at + 16)? as usize);
            Some((u32_at(at)?, bytes.get(off..off.checked_add(len)?)?.to_vec()))
        })
        .collect()
}

use crate::common::workout;

/// The catalog_xlsx target reads a workbook and compiles its first sheets as the mini catalog's
/// tables.
fn read_workbook_as_catalog(bytes: &[u8]) {
    use powerlist_build::catalog::{Catalog, SourceFile, Sources};
    let Ok(book) = powerlist_build::xlsx::Workbook::read("catalog.xlsx", bytes) else {
        return;
    };
    let mini = |f: &str| std::fs::read(crate::common::repo().join(f)).unwrap();
    let mut sheets = book.sheets.into_iter();
    let Some(items) = sheets.next() else { return };
    let sources = Sources {
        items: SourceFile::from_sheet("catalog.xlsx", items),
        regions: sheets
            .next()
            .map(|s| SourceFile::from_sheet("catalog.xlsx", s)),
        assignments: sheets
            .next()
            .map(|s| SourceFile::from_sheet("catalog.xlsx", s)),
        bodies: None,
        laws: vec![SourceFile::new(
            "laws/城市道路管理条例.md",
            mini("tests/fixtures/mini/laws/城市道路管理条例.md"),
        )],
    };
    if let Ok(catalog) = Catalog::compile(&sources) {
        let index =
            Index::from_bytes(&powerlist_build::writer::write_index(&catalog).unwrap()).unwrap();
        workout(&index);
    }
}

#[test]
fn regression_fuzz_crashes_are_rejected_or_searched_without_panic() {
    let dir = crate::common::repo().join("tests/fuzz-crashes");
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(&path).unwrap();
        if name.starts_with("catalog_xlsx") {
            read_workbook_as_catalog(&bytes);
            n += 1;
            continue;
        }
        let bytes = if name.starts_with("index_checksummed") {
            with_fixed_checksum(bytes)
        } else {
            bytes
        };
        if let Ok(index) = Index::from_bytes(&bytes) {
            workout(&index);
        }
        n += 1;
    }
    assert!(n >= 1);
}

/// The first crash: FST node bytes changed (container checksum fixed up) made fst's traversal
/// panic (`assertion failed: 1 <= nbytes && nbytes <= 8`) during a pinyin search. The loader now
/// also checks fst's own checksum, so such bytes are refused at load.
#[test]
fn regression_fst_node_bytes_with_fixed_container_checksum_are_refused() {
    let path = crate::common::repo().join("tests/fuzz-crashes/index_checksummed-fst-node-nbytes");
    let bytes = with_fixed_checksum(std::fs::read(path).unwrap());
    let err = Index::from_bytes(&bytes).unwrap_err().to_string();
    assert!(err.contains("section is malformed"), "{err}");
}

/// The second crash: a pinyin window whose text list held an empty text (postings bytes changed,
/// container checksum fixed up) made the phrase search subtract past zero.
#[test]
fn regression_empty_pinyin_text_is_not_a_panic() {
    let path = crate::common::repo().join("tests/fuzz-crashes/index_checksummed-empty-pinyin-text");
    let bytes = with_fixed_checksum(std::fs::read(path).unwrap());
    let index = Index::from_bytes(&bytes).expect("it loads: the damage is read by a pinyin search");
    workout(&index);
}

/// The fourth crash (second session): a terms FST whose footer names a root address far past its
/// end, with fst's own checksum matching (libFuzzer learns checksums from the comparison) and the
/// container checksum fixed up: fst reads the root address without a bounds check and the first
/// lookup indexed past the end. The loader now checks the root address.
#[test]
fn regression_fst_root_address_past_the_end_is_refused() {
    let path = crate::common::repo().join("tests/fuzz-crashes/index_checksummed-fst-root-past-end");
    let bytes = with_fixed_checksum(std::fs::read(path).unwrap());
    let err = Index::from_bytes(&bytes).unwrap_err().to_string();
    assert!(err.contains("terms section is malformed"), "{err}");
}

/// The third crash: a worksheet whose merged range is reversed (`ref="p3:D4"`) made calamine
/// subtract past zero (in builds with overflow checks). Such references are refused first.
#[test]
fn regression_reversed_cell_range_in_a_workbook_is_an_error() {
    let path = crate::common::repo().join("tests/fuzz-crashes/catalog_xlsx-reversed-range");
    let err = powerlist_build::xlsx::Workbook::read("catalog.xlsx", &std::fs::read(path).unwrap())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("cell reference \"p3:D4\" is malformed"),
        "{err}"
    );
    assert!(
        err.contains("save it again as an Excel workbook (.xlsx)"),
        "{err}"
    );
}
