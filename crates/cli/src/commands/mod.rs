//! One module per command; each holds the command's `run` function and its text output.

pub mod amend;
pub mod build;
pub mod compress;
pub mod diff;
pub mod export;
pub mod get;
pub mod manifest;
pub mod overlaps;
pub mod search;
pub mod serve;
pub mod stats;
pub mod synth;
