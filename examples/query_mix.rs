//! Runs a benchmark query mix against an index natively and prints latency percentiles per query
//! kind and the slowest queries — the tool for profiling what `benches/node` measures in wasm
//! (e.g. under `perf record`).
//!
//! ```sh
//! cargo run --release --example query_mix -- target/bench/10k/powerlist.idx target/bench/10k/queries.json [rounds] [ids|search|dump|repeat QUERY]
//! ```

use std::time::Instant;

use powerlist::{Index, SearchOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(idx), Some(qs)) = (args.get(1), args.get(2)) else {
        return Err("usage: query_mix INDEX.idx QUERIES.json [ROUNDS]".into());
    };
    let rounds: usize = args.get(3).map_or(Ok(3), |r| r.parse())?;
    // `ids`: search() only (what searchIds() runs), without building the hits' views.
    let ids_only = args.get(4).is_some_and(|a| a == "ids");
    // `search`: search() (highlights and facets), without views.
    let bare = args.get(4).is_some_and(|a| a == "search");
    let bytes = std::fs::read(idx)?;
    let t = Instant::now();
    let index = Index::from_bytes(&bytes)?;
    println!("load: {:.2} ms", t.elapsed().as_secs_f64() * 1e3);
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(qs)?)?;
    let queries: Vec<(String, String)> = json["queries"]
        .as_array()
        .ok_or("queries.json has no \"queries\" array")?
        .iter()
        .filter_map(|q| {
            Some((
                q["q"].as_str()?.to_string(),
                q["kind"].as_str()?.to_string(),
            ))
        })
        .collect();
    let opts = SearchOptions {
        limit: Some(20),
        ..Default::default()
    };
    if let (Some("repeat"), Some(q)) = (args.get(4).map(String::as_str), args.get(5)) {
        // One query, `rounds` times: the fixed cost of a query, for a profiler.
        let t = Instant::now();
        for _ in 0..rounds {
            index.search(q, &opts)?;
        }
        let us = t.elapsed().as_secs_f64() * 1e6 / rounds.max(1) as f64;
        let t = Instant::now();
        for _ in 0..rounds {
            index.search_ids(q, &opts)?;
        }
        let ids = t.elapsed().as_secs_f64() * 1e6 / rounds.max(1) as f64;
        println!("{q:?}: {us:.2} µs per search(), {ids:.2} µs per search_ids()");
        return Ok(());
    }
    if args.get(4).is_some_and(|a| a == "dump") {
        // One line per query: total, ids and scores of the top 20 (to compare two builds).
        for (q, _) in &queries {
            let r = index.search(q, &opts)?;
            let hits: Vec<String> = r
                .hits
                .iter()
                .map(|h| format!("{}:{:.4}:{:?}", h.id, h.score, h.highlights))
                .collect();
            println!("{q}\t{}\t{}\t{}", r.total, r.strict, hits.join(" "));
        }
        return Ok(());
    }
    let mut times: Vec<(f64, String, String, usize)> = Vec::new();
    for round in 0..rounds {
        for (q, kind) in &queries {
            let t = Instant::now();
            let total = if bare {
                index.search(q, &opts)?.total
            } else if ids_only {
                index.search_ids(q, &opts)?.total
            } else {
                index.search_view(q, &opts)?.total
            };
            let ms = t.elapsed().as_secs_f64() * 1e3;
            if round > 0 {
                times.push((ms, kind.clone(), q.clone(), total));
            }
        }
    }
    let mut kinds: Vec<String> = queries.iter().map(|(_, k)| k.clone()).collect();
    kinds.sort();
    kinds.dedup();
    kinds.insert(0, "all".into());
    for k in &kinds {
        let mut v: Vec<f64> = times
            .iter()
            .filter(|t| k == "all" || &t.1 == k)
            .map(|t| t.0)
            .collect();
        v.sort_by(f64::total_cmp);
        if v.is_empty() {
            continue;
        }
        let p = |x: f64| v[((v.len() as f64 * x).ceil() as usize).clamp(1, v.len()) - 1];
        println!(
            "{k:>7}: n={:5} p50 {:8.3} ms  p99 {:8.3} ms  max {:8.3} ms",
            v.len(),
            p(0.5),
            p(0.99),
            v[v.len() - 1]
        );
    }
    // What a median query is: the hits of the queries timed between p45 and p55, and how many
    // items every timed query matched (the work an exact total and facets cannot skip).
    let mut by_time = times.clone();
    by_time.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (lo, hi) = (by_time.len() * 45 / 100, by_time.len() * 55 / 100);
    let mut mid: Vec<usize> = by_time[lo..hi].iter().map(|t| t.3).collect();
    mid.sort_unstable();
    let mut all: Vec<usize> = times.iter().map(|t| t.3).collect();
    all.sort_unstable();
    if let (Some(m), Some(a)) = (mid.get(mid.len() / 2), all.get(all.len() / 2)) {
        println!(
            "hits: median over all timed queries {a}; median of the p45–p55 queries {m} ({} of {} items)",
            m,
            index.item_count()
        );
    }
    if std::env::var_os("QUERY_MIX_MEDIAN").is_some() {
        for t in &by_time[lo..hi] {
            eprintln!("{:.3}\t{}\t{}\t{}", t.0, t.1, t.2, t.3);
        }
    }
    times.sort_by(|a, b| b.0.total_cmp(&a.0));
    times.dedup_by(|a, b| a.2 == b.2);
    println!("slowest:");
    for (ms, kind, q, total) in times.iter().take(12) {
        println!("  {ms:8.3} ms  {kind:7} {q:?} ({total} hits)");
    }
    Ok(())
}
