//! `powerlist synth`: generate a large, realistic catalog for benchmarks.

use std::path::Path;

use powerlist::Error;
use powerlist_build::synth::SynthOptions;

use crate::io::outln;

/// Writes a synthetic catalog recombined from `from` into `output`, and prints its summary.
pub fn run(
    from: &Path,
    divisions: Option<&Path>,
    output: &Path,
    opts: &SynthOptions,
) -> Result<(), Error> {
    powerlist_build::synth::synth(from, divisions, output, opts).map(|s| outln!("{s}"))
}
