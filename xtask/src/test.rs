//! `cargo xtask test`: setup, then every check the project has, in order of cost: formatting,
//! lints (native and wasm32), generated files, native tests, the API client's browser tests
//! against a running emulator, the extension build and `web-ext lint`, and the end-to-end tests
//! in Chromium and Firefox.

use crate::emulator::RunningEmulator;
use crate::process::{step, Cmd, TestTally};
use crate::workspace::root;
use crate::{dist, icons, setup, Result};

const WASM_CRATES: [&str; 4] = ["job-actions", "background", "content", "popup"];

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
        clippy.args(["--", "-D", "warnings"]).run()?;
        // The content crate's page-wide build (every job page loads it) is a build of its own.
        cargo()
            .args([
                "clippy",
                "--target",
                "wasm32-unknown-unknown",
                "-p",
                "content",
                "--no-default-features",
                "--",
                "-D",
                "warnings",
            ])
            .run()
    })?;
    step("no import circles (issue #21)", crate::imports::check)?;
    step(
        "no module over 400 lines before its tests (issue #21)",
        crate::lengths::check,
    )?;
    step("generated icons are current", || {
        icons::run(&["--check".to_string()])
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
    dist::run(&[])?;
    let tests_dir = root().join("tests");
    let npm_bin = |tool: &str| {
        tests_dir
            .join("node_modules/.bin")
            .join(tool)
            .to_string_lossy()
            .into_owned()
    };
    step(
        "shipped sizes within their ceilings (issue #22)",
        crate::sizes::check,
    )?;
    step("no HTML-string sinks in shipped code", crate::sinks::run)?;
    step("web-ext lint (Firefox package)", || {
        Cmd::new(&npm_bin("web-ext"), &tests_dir)
            .args(["lint", "--warnings-as-errors", "--source-dir"])
            .arg(dist::dist_dir().join("firefox"))
            .run()
    })?;
    step("end-to-end tests (Chromium and Firefox)", || {
        Cmd::new("cargo", &root())
            .args(["build", "--quiet", "-p", "emulator"])
            .run()?;
        Cmd::new(&npm_bin("playwright"), &tests_dir)
            .arg("test")
            .env("JOB_ACTIONS_EMULATOR", root().join("target/debug/emulator"))
            .run_tests(&mut tally)
    })?;
    step("failure matrix (issue #10)", crate::matrix::report)?;
    println!("\nxtask test: every step passed");
    // The plain closing line CI reads.
    println!("{} passed, {} failed", tally.passed, tally.failed);
    if tally.failed > 0 || tally.passed == 0 {
        return Err("the test runners reported failures or ran no test".into());
    }
    Ok(())
}
