//! Running external commands: each is printed with its working directory before it runs, and
//! its duration after; a failure names the command and its exit status.

use crate::Result;
use std::ffi::OsString;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

pub struct Cmd {
    program: String,
    args: Vec<OsString>,
    dir: PathBuf,
    env: Vec<(String, OsString)>,
}

impl Cmd {
    pub fn new(program: &str, dir: &Path) -> Cmd {
        Cmd {
            program: program.into(),
            args: Vec::new(),
            dir: dir.to_path_buf(),
            env: Vec::new(),
        }
    }

    pub fn arg(mut self, arg: impl Into<OsString>) -> Cmd {
        self.args.push(arg.into());
        self
    }

    pub fn args<I: IntoIterator<Item = S>, S: Into<OsString>>(mut self, args: I) -> Cmd {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    pub fn env(mut self, name: &str, value: impl Into<OsString>) -> Cmd {
        self.env.push((name.into(), value.into()));
        self
    }

    fn display(&self) -> String {
        let mut line = String::new();
        for (name, value) in &self.env {
            line.push_str(&format!("{name}={} ", value.to_string_lossy()));
        }
        line.push_str(&self.program);
        for arg in &self.args {
            line.push(' ');
            line.push_str(&arg.to_string_lossy());
        }
        line
    }

    fn command(&self) -> Command {
        let mut command = Command::new(&self.program);
        command.args(&self.args).current_dir(&self.dir);
        for (name, value) in &self.env {
            command.env(name, value);
        }
        command
    }

    fn announce(&self) {
        println!("\n$ (cd {}) {}", self.dir.display(), self.display());
    }

    /// Runs to completion with inherited output; fails on a non-zero exit.
    pub fn run(self) -> Result {
        self.announce();
        let started = Instant::now();
        let status = self.command().status().map_err(|e| self.spawn_error(e))?;
        self.finished(started, status)
    }

    /// Runs like `run`, echoing stdout, and adds up the `test result:` lines of cargo's test
    /// runners into `tally`.
    pub fn run_tests(self, tally: &mut TestTally) -> Result {
        self.announce();
        let started = Instant::now();
        let mut child = self
            .command()
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| self.spawn_error(e))?;
        let stdout = child.stdout.take().expect("stdout is piped");
        for line in BufReader::new(stdout).lines() {
            let line = line.map_err(|e| format!("cannot read `{}` output: {e}", self.program))?;
            println!("{line}");
            tally.add_line(&line);
        }
        let status = child.wait().map_err(|e| self.spawn_error(e))?;
        self.finished(started, status)
    }

    /// Prints how long the command took; fails on a non-zero exit.
    fn finished(&self, started: Instant, status: std::process::ExitStatus) -> Result {
        println!(
            "  ({} took {:.1} s)",
            self.program,
            started.elapsed().as_secs_f64()
        );
        if status.success() {
            Ok(())
        } else {
            Err(format!("`{}` failed ({status})", self.display()))
        }
    }

    /// Runs quietly and returns stdout, or `None` when the program is missing or fails.
    /// For probes such as `wasm-bindgen --version`; nothing is printed.
    pub fn probe(self) -> Option<String> {
        let output = self.command().stderr(Stdio::null()).output().ok()?;
        output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// Runs quietly and returns stdout as bytes, or `None` when the program is missing or fails.
    pub fn probe_bytes(self) -> Option<Vec<u8>> {
        let output = self.command().stderr(Stdio::null()).output().ok()?;
        output.status.success().then_some(output.stdout)
    }

    /// Starts in the background with stdout piped (for servers that print their address).
    pub fn spawn_piped(self) -> Result<Child> {
        self.announce();
        self.command()
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| self.spawn_error(e))
    }

    fn spawn_error(&self, error: std::io::Error) -> String {
        if error.kind() == std::io::ErrorKind::NotFound {
            format!("`{}` not found: run `cargo xtask setup`", self.program)
        } else {
            format!("cannot start `{}`: {error}", self.display())
        }
    }
}

/// Times a named step and prints its duration.
pub fn step<T>(name: &str, body: impl FnOnce() -> Result<T>) -> Result<T> {
    println!("\n==> {name}");
    let started = Instant::now();
    let result = body();
    let outcome = if result.is_ok() { "done" } else { "FAILED" };
    println!(
        "==> {name}: {outcome} in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    result
}

/// Test counts summed over every runner that `cargo xtask test` ran.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct TestTally {
    pub passed: u64,
    pub failed: u64,
    pub ignored: u64,
}

impl TestTally {
    /// Reads a libtest summary (`test result: ok. 28 passed; 0 failed; 0 ignored; ...`) or one
    /// of Playwright's closing lines (`  18 passed (13.6s)`, `  1 failed`, `  2 skipped`).
    pub fn add_line(&mut self, line: &str) {
        let line = line.trim();
        let summary = match line.strip_prefix("test result: ") {
            Some(summary) => summary,
            None if line.starts_with(|c: char| c.is_ascii_digit()) => {
                // Playwright: "<n> <label>" optionally followed by " (<duration>)".
                line.split(" (").next().unwrap_or_default()
            }
            None => return,
        };
        for part in summary.split(';') {
            let mut words = part.split_whitespace().rev();
            let (Some(label), Some(count)) = (words.next(), words.next()) else {
                continue;
            };
            let Ok(count) = count.parse::<u64>() else {
                continue;
            };
            match label {
                "passed" => self.passed += count,
                "failed" | "flaky" => self.failed += count,
                "ignored" | "skipped" => self.ignored += count,
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::TestTally;

    #[test]
    fn tally_reads_libtest_and_wasm_bindgen_test_summaries() {
        let mut tally = TestTally::default();
        tally.add_line("test result: ok. 28 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s");
        tally.add_line("test result: FAILED. 10 passed; 1 failed; 2 ignored; 0 filtered out; finished in 0.59s");
        tally.add_line("running 11 tests");
        tally.add_line("test client_tests::cancel ... ok");
        assert_eq!(
            tally,
            TestTally {
                passed: 38,
                failed: 1,
                ignored: 2
            }
        );
    }
}
