//! The integration tests, one binary so the suite links once: each module is a behaviour
//! (search semantics, the CLI as a subprocess, broken catalogs, damaged indexes, …), sharing
//! the helpers in `common`. It belongs to crates/cli, whose `powerlist` binary the CLI tests run.
//! The browser tests are `tests/wasm.rs` (crates/wasm); the page tests are in `tests/e2e`.
#![cfg(not(target_arch = "wasm32"))]

mod common;

mod amend;
mod broken_catalogs;
mod catalog_errors;
mod citizen_questions;
mod cli;
mod compress;
mod contacts;
mod csv_formulas;
mod devolution;
mod diff;
mod duties;
mod files;
mod fuzz_regressions;
mod index_bytes;
mod law_versions;
mod legal_lint;
mod loose_citations;
mod manifest;
mod overlaps;
mod recall;
mod search;
mod serve;
mod stats_export;
mod synth;
mod web_index;
mod xlsx;
