//! Looks for the slowest queries an index can be given: the search's bounded-work check (issue 17:
//! "the worst query at 100k items under 50 ms natively"). It generates queries from the catalog's
//! own text, the kinds that make the most work, times `search_view` (what the page draws) on each,
//! and prints the slowest and how many took longer than the budget.
//!
//! ```sh
//! powerlist synth --items 100000 -o /tmp/c100k && powerlist build /tmp/c100k -o /tmp/100k.idx
//! cargo run --release --example worst_query -- /tmp/100k.idx /tmp/c100k/items.csv [COUNT] [SEED]
//! ```
//!
//! The families (each drawn from the most frequent characters and syllables of the catalog):
//! single characters and syllables; runs of 2–12 syllables written together (`shishishi…`) and
//! apart; runs of 2–64 common characters, with and without spaces (a sentence of common words
//! with no item matching it whole is what the relaxed pass and the slip correction work hardest
//! on); letters that spell nothing (the slip correction's letters); digits, code fragments and
//! citation fragments; mixes of all of these up to the query length limit.

use std::collections::HashMap;
use std::time::Instant;

use pinyin::ToPinyin;
use powerlist::{Index, SearchOptions};

/// A small deterministic generator (xorshift), so a run can be repeated.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
}

/// The catalog's characters and syllables, most frequent first.
fn vocabulary(text: &str) -> (Vec<char>, Vec<String>) {
    let mut chars: HashMap<char, usize> = HashMap::new();
    let mut syllables: HashMap<String, usize> = HashMap::new();
    for c in text.chars() {
        if let Some(p) = c.to_pinyin() {
            *chars.entry(c).or_default() += 1;
            *syllables.entry(p.plain().to_string()).or_default() += 1;
        }
    }
    (by_count(chars), by_count(syllables))
}

/// The keys of `m`, most counted first (ties in key order, so a run can be repeated).
fn by_count<K: Ord>(m: HashMap<K, usize>) -> Vec<K> {
    let mut v: Vec<(K, usize)> = m.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.into_iter().map(|(k, _)| k).collect()
}

/// The queries of every family, `count` random ones per random family.
fn queries(chars: &[char], syllables: &[String], count: usize, rng: &mut Rng) -> Vec<String> {
    let top_c = &chars[..chars.len().min(300)];
    let top_s = &syllables[..syllables.len().min(80)];
    let mut out: Vec<String> = top_c.iter().map(|c| c.to_string()).collect();
    out.extend(top_s.iter().cloned());
    for s in top_s.iter().take(12) {
        for k in [2, 4, 8, 12] {
            out.push(s.repeat(k));
        }
    }
    for _ in 0..count {
        let k = 2 + rng.below(11);
        let words: Vec<&str> = (0..k).map(|_| rng.pick(top_s).as_str()).collect();
        out.push(words.concat());
        out.push(words.join(" "));
        let k = 2 + rng.below(63);
        let run: String = (0..k).map(|_| *rng.pick(top_c)).collect();
        out.push(run.clone());
        let spaced: Vec<String> = run.chars().take(24).map(String::from).collect();
        out.push(spaced.join(" "));
        let letters: String = (0..4 + rng.below(40))
            .map(|_| (b'a' + rng.below(26) as u8) as char)
            .collect();
        out.push(letters);
        out.push(mixed(top_c, top_s, rng));
    }
    out
}

/// Characters, syllables, digits, code and citation fragments, up to the query length limit.
fn mixed(chars: &[char], syllables: &[String], rng: &mut Rng) -> String {
    const BITS: [&str; 12] = [
        "CF", "-", "0", "12", "第", "条", "款", "项", "法", "《", "》", " ",
    ];
    let mut q = String::new();
    while q.chars().count() < 20 + rng.below(110) {
        match rng.below(4) {
            0 => q.push(*rng.pick(chars)),
            1 => q.push_str(rng.pick::<String>(syllables)),
            2 => q.push_str(rng.pick::<&str>(&BITS)),
            _ => q.push_str(&rng.below(1000).to_string()),
        }
    }
    q
}

/// The CPU time this thread has run, in nanoseconds (Linux's schedstat): with
/// `WORST_QUERY_CPU` set, queries are timed by it rather than by the clock, which other
/// processes on a busy machine slow down far more.
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(idx), Some(items)) = (args.get(1), args.get(2)) else {
        return Err("usage: worst_query INDEX.idx ITEMS.csv [COUNT] [SEED]".into());
    };
    let count: usize = args.get(3).map_or(Ok(200), |c| c.parse())?;
    let seed: u64 = args.get(4).map_or(Ok(1), |s| s.parse())?;
    let index = Index::from_bytes(&std::fs::read(idx)?)?;
    let (chars, syllables) = vocabulary(&std::fs::read_to_string(items)?);
    let mut rng = Rng(seed.max(1) * 0x9E37_79B9_7F4A_7C15);
    let qs = queries(&chars, &syllables, count, &mut rng);
    let opts = SearchOptions {
        limit: Some(20),
        ..Default::default()
    };
    let mut times: Vec<(f64, String, usize)> = Vec::with_capacity(qs.len());
    let cpu = std::env::var_os("WORST_QUERY_CPU").is_some();
    for q in &qs {
        let mut best = f64::MAX;
        let mut total = 0;
        for _ in 0..2 {
            let (t, c) = (Instant::now(), cpu_ns());
            total = index.search_view(q, &opts)?.total;
            let ms = match (cpu, c, cpu_ns()) {
                (true, Some(a), Some(b)) => (b - a) as f64 / 1e6,
                _ => t.elapsed().as_secs_f64() * 1e3,
            };
            best = best.min(ms);
        }
        times.push((best, q.clone(), total));
    }
    times.sort_by(|a, b| b.0.total_cmp(&a.0));
    let over = times.iter().filter(|t| t.0 > 50.0).count();
    println!(
        "{} queries on {} items: {} over 50 ms; the slowest:",
        times.len(),
        index.item_count(),
        over
    );
    if let Ok(path) = std::env::var("WORST_QUERY_ALL") {
        let lines: Vec<String> = times
            .iter()
            .map(|(ms, q, total)| format!("{ms:.3}\t{total}\t{q}"))
            .collect();
        std::fs::write(path, lines.join("\n"))?;
    }
    for (ms, q, total) in times.iter().take(25) {
        println!("  {ms:8.2} ms  {q:?} ({total} hits)");
    }
    Ok(())
}
