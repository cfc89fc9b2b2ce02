//! Starting the emulator for tests: a fresh in-memory database on a free port, stopped when the
//! handle is dropped (also when a test step fails).

use crate::process::Cmd;
use crate::workspace::root;
use crate::Result;
use std::io::{BufRead, BufReader};
use std::process::Child;

pub struct RunningEmulator {
    child: Child,
    pub origin: String,
}

impl RunningEmulator {
    /// Builds and starts `emulator` with `flags`, and waits for its address line.
    pub fn start(flags: &[&str]) -> Result<RunningEmulator> {
        Cmd::new("cargo", &root())
            .args(["build", "--quiet", "-p", "emulator"])
            .run()?;
        let binary = root().join("target/debug/emulator");
        let mut child = Cmd::new(&binary.to_string_lossy(), &root())
            .args(["--addr", "127.0.0.1:0"])
            .args(flags.iter().copied())
            .spawn_piped()?;
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut reader = BufReader::new(stdout);
        let mut first_line = String::new();
        reader
            .read_line(&mut first_line)
            .map_err(|e| format!("cannot read the emulator's output: {e}"))?;
        // Keep reading (and showing) the rest, so the emulator never writes into a closed pipe.
        std::thread::spawn(move || {
            for line in reader.lines().map_while(std::result::Result::ok) {
                println!("  emulator: {line}");
            }
        });
        let origin = first_line
            .trim()
            .strip_prefix("emulator listening on ")
            .map(str::to_string);
        match origin {
            Some(origin) => {
                println!("  emulator at {origin}");
                Ok(RunningEmulator { child, origin })
            }
            None => {
                let _ = child.kill();
                Err(format!(
                    "the emulator did not start (it printed `{}`)",
                    first_line.trim()
                ))
            }
        }
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
