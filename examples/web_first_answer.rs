//! What a township's first answer costs on the wire from a chunked index (`powerlist build
//! --web DIR`, then `powerlist compress DIR` for the `.br` files): the core, then the chunks a
//! search names round by round (as the page's worker fetches them), each counted at its brotli
//! size (quality 11, `FILE.br`) plus 300 bytes of request and response headers.
//!
//! ```sh
//! powerlist build CATALOG -o /tmp/n.idx --web /tmp/n-web && powerlist compress /tmp/n-web
//! cargo run --release --example web_first_answer -- /tmp/n-web 占道经营 321281123 110105001 …
//! ```
//!
//! For each township: the rounds with their chunks (raw and brotli bytes), and the total. The
//! first piece of the regions section is told apart (it is the largest single piece).

use std::path::{Path, PathBuf};

use powerlist::{Error, Index, SearchOptions};

/// Bytes of headers counted for each request.
const HEADERS: u64 = 300;

fn br_len(dir: &Path, name: &str) -> u64 {
    let br = dir.join(format!("{name}.br"));
    match std::fs::metadata(&br) {
        Ok(m) => m.len(),
        // `compress` skips a file it cannot make smaller: it travels as it is.
        Err(_) => std::fs::metadata(dir.join(name)).map_or(0, |m| m.len()),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().ok_or("usage: DIR QUERY TOWNSHIP…")?);
    let q = args.next().ok_or("usage: DIR QUERY TOWNSHIP…")?;
    let core = std::fs::read(dir.join("core.bin"))?;
    let core_br = br_len(&dir, "core.bin");
    println!("core.bin: {} bytes, {} brotli", core.len(), core_br);
    for township in args {
        let index = Index::from_core(&core)?;
        let opts = SearchOptions {
            region: Some(township.clone()),
            ..Default::default()
        };
        let mut total = core_br + HEADERS;
        let mut requests = 1;
        let mut round = 0;
        let result = loop {
            // What the first screen shows: the hits and the records of their page.
            let r = index.search(&q, &opts).and_then(|r| {
                index.need_items(r.hits.iter().map(|h| h.id))?;
                let views = r
                    .hits
                    .iter()
                    .map(|h| index.view_of(h.id, Some(&township), None, Some(h), false))
                    .collect::<Result<Vec<_>, Error>>()?;
                Ok((r.total, views))
            });
            match r {
                Err(Error::NeedChunks(names)) => {
                    round += 1;
                    let mut line = Vec::new();
                    for name in names {
                        let file = format!("{name}.bin");
                        let bytes = std::fs::read(dir.join(&file))?;
                        index.add_chunk(&bytes)?;
                        let br = br_len(&dir, &file);
                        total += br + HEADERS;
                        requests += 1;
                        line.push(format!("{}/{}", bytes.len(), br));
                    }
                    println!("  {township} round {round}: raw/brotli {}", line.join(" "));
                    if std::env::var_os("WEB_TRACE").is_some() {
                        let stage = match index.search(&q, &opts) {
                            Err(_) => "search",
                            Ok(r) => match index.need_items(r.hits.iter().map(|h| h.id)) {
                                Err(_) => "records",
                                Ok(()) => "views",
                            },
                        };
                        println!("    next: {stage}");
                    }
                }
                other => break other?,
            }
        };
        let (hits, views) = result;
        println!(
            "{township}: {hits} hits, the first handled by {:?}; {requests} requests, {total} bytes ({:.1} KiB) with the core and headers",
            views.first().map(|v| v.handled_by.clone()),
            total as f64 / 1024.0
        );
    }
    Ok(())
}
