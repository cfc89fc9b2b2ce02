//! `cargo xtask test`: setup, then every check the project has, in order of cost: formatting,
//! lints (native and wasm32), native tests, and the API client's browser tests against a
//! running emulator in headless Chromium.

use crate::emulator::RunningEmulator;
use crate::process::{step, Cmd, TestTally};
use crate::workspace::root;
use crate::{setup, Result};

const WASM_CRATES: [&str; 3] = ["job-actions", "content", "popup"];

pub fn run(args: &[String]) -> Result {
    if let Some(unknown) = args.first() {
        return Err(format!(
            "`cargo xtask test` takes no arguments, got `{unknown}`"
        ));
    }
    setup::run()?;
    let cargo = || Cmd::new("cargo", &root());
    step("format", || {
        cargo().args(["fmt", "--all", "--", "--check"]).run()
    })?;
    step("clippy (native)", || {
        cargo()
            .args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ])
            .run()
    })?;
    step("clippy (wasm32)", || {
        let mut clippy = cargo().args([
            "clippy",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
        ]);
        for package in WASM_CRATES {
            clippy = clippy.args(["-p", package]);
        }
        clippy.args(["--", "-D", "warnings"]).run()
    })?;
    let mut tally = TestTally::default();
    step("native tests", || {
        cargo().args(["test", "--workspace"]).run_tests(&mut tally)
    })?;
    step("API client in headless Chromium", || {
        let emulator = RunningEmulator::start(&[
            "--no-seed",
            "--paused",
            "--token",
            "full",
            "--read-token",
            "ro",
        ])?;
        cargo()
            .args([
                "test",
                "-p",
                "job-actions",
                "--target",
                "wasm32-unknown-unknown",
            ])
            .env("JOB_ACTIONS_TEST_API", &emulator.origin)
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                "wasm-bindgen-test-runner",
            )
            .env("CHROMEDRIVER", "/usr/bin/chromedriver")
            .run_tests(&mut tally)
    })?;
    println!("\nxtask test: every step passed");
    // The plain closing line CI reads.
    println!("{} passed, {} failed", tally.passed, tally.failed);
    if tally.failed > 0 || tally.passed == 0 {
        return Err("the test runners reported failures or ran no test".into());
    }
    Ok(())
}
