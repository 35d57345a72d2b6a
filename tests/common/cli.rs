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

/// The standard error of a run, as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `powerlist`, to add arguments and an environment to.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_powerlist"))
}

/// Runs `cmd`, killing it after `secs` seconds (then the test fails rather than hangs); its
/// output and how long it took.
pub fn run_within(mut cmd: Command, secs: u64) -> (Output, std::time::Duration) {
    use std::process::Stdio;
    let start = std::time::Instant::now();
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("powerlist runs");
    while child.try_wait().expect("waits").is_none() {
        if start.elapsed().as_secs() >= secs {
            let _ = child.kill();
            panic!("{cmd:?} still runs after {secs} s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let o = child.wait_with_output().expect("output");
    (o, start.elapsed())
}

/// A copy of a catalog folder (its files and `laws/`).
pub fn copy_catalog(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to.join("laws")).unwrap();
    for sub in ["", "laws"] {
        for e in std::fs::read_dir(from.join(sub)).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_file() {
                std::fs::copy(e.path(), to.join(sub).join(e.file_name())).unwrap();
            }
        }
    }
}
