//! Running the `powerlist` binary as a subprocess.

use std::process::{Command, Output};

/// Runs `powerlist ARGS…`.
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_powerlist"))
        .args(args)
        .output()
        .expect("powerlist runs")
}

/// The standard output of a run that must succeed.
pub fn stdout(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}
