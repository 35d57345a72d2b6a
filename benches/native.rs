//! Native benchmarks (criterion): compiling the sample catalog, loading its index, and a query
//! mix. Run with `cargo bench --bench native`. Side-by-side comparisons with other engines are
//! in benches/node (see BENCHMARKS.md).

use std::path::Path;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use powerlist::{Index, SearchOptions};
use powerlist_build::catalog::{Catalog, Sources};

fn sample() -> (Sources, Vec<u8>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let sources = Sources::from_dir(&dir).expect("data/ reads");
    let catalog = Catalog::compile(&sources).expect("data/ is valid");
    let bytes = powerlist_build::writer::write_index(&catalog).expect("writes");
    (sources, bytes)
}

fn build(c: &mut Criterion) {
    let (sources, _) = sample();
    let mut g = c.benchmark_group("build");
    g.sample_size(10);
    g.bench_function("compile sample catalog", |b| {
        b.iter(|| Catalog::compile(&sources).map(|c| c.items.len()))
    });
    let catalog = Catalog::compile(&sources).expect("valid");
    g.bench_function("write sample index", |b| {
        b.iter(|| {
            powerlist_build::writer::write_index(&catalog)
                .expect("writes")
                .len()
        })
    });
    g.finish();
}

fn load(c: &mut Criterion) {
    let (_, bytes) = sample();
    c.bench_function("load sample index", |b| {
        b.iter(|| Index::from_bytes(&bytes).map(|i| i.item_count()))
    });
}

fn search(c: &mut Criterion) {
    let (_, bytes) = sample();
    let index = Index::from_bytes(&bytes).expect("loads");
    let opts = SearchOptions {
        limit: Some(20),
        ..Default::default()
    };
    let mut g = c.benchmark_group("search");
    for q in [
        "摆",
        "油烟",
        "占道经营",
        "食品安全",
        "未取得许可",
        "饭店油烟扰民",
        "zhandao",
        "zdjy",
        "youyan",
        "CG-CF-01",
        "食品安全法第一百二十二条",
        "",
    ] {
        g.bench_with_input(BenchmarkId::new("ids", q), q, |b, q| {
            b.iter(|| index.search(q, &opts).map(|r| r.total))
        });
    }
    g.bench_function("views: 占道经营 top 20 with region", |b| {
        let o = SearchOptions {
            region: Some("321281100".into()),
            ..opts.clone()
        };
        b.iter(|| index.search_view("占道经营", &o).map(|r| r.hits.len()))
    });
    g.finish();
}

criterion_group!(benches, build, load, search);
criterion_main!(benches);
