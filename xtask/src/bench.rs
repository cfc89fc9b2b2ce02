//! `cargo xtask bench`: builds dist/ and prints what the extension ships, raw and gzip -9, against
//! each part's goal and CI ceiling (`sizes`), then, in headless Chromium (tests/bench/): what the size costs a page (the content script's
//! start per build), how decorating a 1,000-row list loads the page, requests per minute and
//! action latency. `cargo xtask bench sizes` prints the sizes alone; `sizes --check` fails as
//! `cargo xtask test` does when a part is past its ceiling.

use crate::dist::{self, dist_dir};
use crate::process::{step, Cmd};
use crate::sizes;
use crate::toolchain::WasmToolchain;
use crate::workspace::root;
use crate::Result;

const KB: f64 = 1024.0;

pub fn run(args: &[String]) -> Result {
    let sizes_only = match args {
        [] => false,
        [only] if only == "sizes" => true,
        [only, check] if only == "sizes" && check == "--check" => {
            dist::build()?;
            return step("shipped sizes within their ceilings", sizes::check);
        }
        [unknown, ..] => {
            return Err(format!(
                "`cargo xtask bench` takes nothing, `sizes` or `sizes --check`, got `{unknown}`"
            ))
        }
    };
    let toolchain = dist::build()?;
    sizes(&toolchain)?;
    if sizes_only {
        return Ok(());
    }
    browser()
}

fn sizes(toolchain: &WasmToolchain) -> Result {
    step("bench: shipped sizes", || {
        println!("wasm built with {}", toolchain.describe());
        sizes::print(&sizes::measure()?);
        for browser in ["chrome", "firefox"] {
            let zip = dist_dir().join(format!("job-actions-{browser}.zip"));
            let size = std::fs::metadata(&zip)
                .map_err(|e| format!("{}: {e}", zip.display()))?
                .len();
            println!(
                "store package {}: {:.1} KB",
                zip.display(),
                size as f64 / KB
            );
        }
        Ok(())
    })
}

fn browser() -> Result {
    step(
        "bench: in headless Chromium (decorating 1,000 rows, requests per minute, live sync)",
        || {
            Cmd::new("cargo", &root())
                .args(["build", "--quiet", "-p", "emulator"])
                .run()?;
            let tests_dir = root().join("tests");
            Cmd::new(
                &tests_dir
                    .join("node_modules/.bin/playwright")
                    .to_string_lossy(),
                &tests_dir,
            )
            .args(["test", "--config", "bench.config.ts"])
            .env("JOB_ACTIONS_EMULATOR", root().join("target/debug/emulator"))
            .run()
        },
    )
}
