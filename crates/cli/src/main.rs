//! The `powerlist` command line: build, check, search, get, stats, diff, amend, overlaps, export,
//! serve, compress, manifest, synth.
//!
//! This file holds the arguments (clap) and sends each command to its module under
//! [`commands`]; [`io`] has what the commands share (printing, reading an index, writing files).

mod atomic;
mod commands;
mod io;

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use powerlist::date::Date;
use powerlist::{Error, SearchOptions};

use commands::{
    amend, build, compress, diff, export, get, manifest, overlaps, search, serve, stats, synth,
};

fn main() {
    std::process::exit(run());
}

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
        /// Where to write the index (one file: for the CLI, tests and embedders).
        #[arg(short, long, required_unless_present = "web")]
        output: Option<PathBuf>,
        /// Also (or only) write the chunked form a web page loads piece by piece: DIR/core.bin
        /// and one content-named DIR/<hash>.bin per chunk (DIR is replaced whole).
        #[arg(long, value_name = "DIR")]
        web: Option<PathBuf>,
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
        /// The day the handlers are for, YYYY-MM-DD (default: today in China, UTC+8).
        #[arg(long, value_parser = parse_date)]
        date: Option<Date>,
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
        /// The day the handler is for, YYYY-MM-DD (default: today in China, UTC+8).
        #[arg(long, value_parser = parse_date)]
        date: Option<Date>,
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
        /// With --to: instead, per county, the township assignments that began (下放) and
        /// those taken back (上收) from this day (YYYY-MM-DD) on.
        #[arg(long, value_parser = parse_date, requires = "to", conflicts_with = "csv")]
        from: Option<Date>,
        /// With --from: the last day counted (YYYY-MM-DD).
        #[arg(long, value_parser = parse_date, requires = "from")]
        to: Option<Date>,
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
    /// What a new text of a law changes for the catalog (动态化管理): every cited article,
    /// paragraph and item whose text changed, moved or disappeared, and the items citing each.
    /// Exit code 3 when there is something to review, 0 when nothing cited changed.
    Amend {
        /// The index file.
        index: PathBuf,
        /// The new text of a law the catalog cites: Markdown as in data/laws/, or plain text
        /// with the title on its first line (UTF-8).
        law: PathBuf,
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
    Synth(synth::SynthArgs),
    /// Serve a directory of static files (the web app): FILE.br / FILE.gz when the client
    /// accepts them (see `compress`), strong ETags, 304s, ranges; security headers
    /// (Content-Security-Policy frame-ancestors, Referrer-Policy, nosniff) on every answer.
    Serve {
        /// The directory to serve.
        #[arg(long, default_value = "www")]
        dir: PathBuf,
        /// The address to listen on (port 0: any free port; the URL is printed).
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        /// Let pages of this origin (https://example.org) read the files; repeat for more,
        /// or '*' for any.
        #[arg(long, value_name = "ORIGIN")]
        cors: Vec<String>,
        /// Let pages of this origin (https://portal.example) show these pages in a frame
        /// (Content-Security-Policy: frame-ancestors); repeat for more, or '*' for any, or
        /// "'none'" for none. Without it, only this site's own pages ('self').
        #[arg(long, value_name = "ORIGIN")]
        frame_ancestors: Vec<String>,
    },
    /// Write FILE.br (brotli) and FILE.gz (gzip) beside every file worth compressing under a
    /// directory, for `serve` (or nginx) to send; up-to-date ones are kept, stale ones removed.
    Compress {
        /// The directory (the web app: www).
        dir: PathBuf,
    },
    /// List a site's files with sizes and content hashes in DIR/files.json (read by the web
    /// app's service worker for offline copies and updates); run it after every change to DIR.
    Manifest {
        /// The site's directory (www).
        dir: PathBuf,
    },
}

/// Runs the command of the arguments; the exit code: 0 done, 1 an error (printed on stderr),
/// 3 from `amend` when there is something to review. Usage errors exit with 2, from clap.
fn run() -> i32 {
    let cli = Cli::parse();
    match dispatch(cli.command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    }
}

/// A `--date`, `--from` or `--to` argument: `YYYY-MM-DD`.
fn parse_date(s: &str) -> Result<Date, String> {
    s.parse::<Date>().map_err(|e| e.to_string())
}

/// Today in China (UTC+8), the day `get` and `search` answer for unless `--date` says.
fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Date::from_days(i64::try_from((secs + 8 * 3600) / 86_400).unwrap_or(0))
}

/// Sends a command to its module; the exit code of a command that did its work.
fn dispatch(command: Command) -> Result<i32, Error> {
    let done = match command {
        Command::Build {
            data_dir,
            output,
            web,
        } => build::run(&data_dir, output.as_deref(), web.as_deref()),
        Command::Check { data_dir } => build::run(&data_dir, None, None),
        Command::Search {
            index,
            query,
            field,
            kind,
            level,
            region,
            date,
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
                date: Some(date.unwrap_or_else(today)),
            };
            search::run(&index, &query, &opts, json)
        }
        Command::Get {
            index,
            code,
            region,
            date,
            json,
        } => get::run(
            &index,
            &code,
            region.as_deref(),
            date.unwrap_or_else(today),
            json,
        ),
        Command::Stats {
            index,
            json,
            csv,
            from,
            to,
        } => match from.zip(to) {
            Some(period) => stats::devolution(&index, period, json),
            None => stats::run(&index, json, csv.as_deref()),
        },
        Command::Diff { old, new, json } => diff::run(&old, &new, json),
        Command::Amend { index, law, json } => return amend::run(&index, &law, json),
        Command::Overlaps {
            index,
            region,
            json,
        } => overlaps::run(&index, region.as_deref(), json),
        Command::Export {
            index,
            csv,
            html,
            region,
            output,
        } => export::run(
            &index,
            csv.as_deref(),
            html,
            region.as_deref(),
            output.as_deref(),
        ),
        Command::Serve {
            dir,
            addr,
            cors,
            frame_ancestors,
        } => serve::run(&dir, &addr, &cors, &frame_ancestors),
        Command::Compress { dir } => compress::run(&dir),
        Command::Manifest { dir } => manifest::run(&dir),
        Command::Synth(args) => synth::run(&args),
    };
    done.map(|()| 0)
}
