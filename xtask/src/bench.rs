//! `cargo xtask bench`: builds dist/ and prints what the extension ships, raw and gzip -9, against
//! the budgets (content wasm + glue ≤ 40 KB, wasm2js fallback ≤ 80 KB, popup ≤ 150 KB, gzipped),
//! then, in headless Chromium (tests/bench/): what the size costs a page (the content script's
//! start per build), how decorating a 1,000-row list loads the page, requests per minute and
//! action latency. `cargo xtask bench sizes` prints the sizes alone.

use crate::dist::{self, dist_dir};
use crate::process::{step, Cmd};
use crate::toolchain::WasmToolchain;
use crate::workspace::root;
use crate::Result;
use std::path::{Path, PathBuf};

const KB: f64 = 1024.0;

struct Part {
    name: &'static str,
    files: Vec<PathBuf>,
    budget_kb: Option<f64>,
}

pub fn run(args: &[String]) -> Result {
    let sizes_only = match args {
        [] => false,
        [only] if only == "sizes" => true,
        [unknown, ..] => {
            return Err(format!(
                "`cargo xtask bench` takes nothing or `sizes`, got `{unknown}`"
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
        let chrome = dist_dir().join("chrome");
        let parts = [
            // What every job page loads: the page-wide build.
            Part {
                name: "content: wasm + loader and glue",
                files: vec![
                    chrome.join("content/wasm/content_bg.wasm"),
                    chrome.join("content/loader.js"),
                ],
                budget_kb: Some(40.0),
            },
            Part {
                name: "content: wasm2js fallback",
                files: vec![chrome.join("content/js/content.js")],
                budget_kb: Some(80.0),
            },
            // Loaded on the first use of a control (PRD §10: dialogs loaded lazily).
            Part {
                name: "content actions, on first use: wasm + entry and glue",
                files: vec![
                    chrome.join("content/wasm/actions_bg.wasm"),
                    chrome.join("content/actions.js"),
                ],
                budget_kb: None,
            },
            Part {
                name: "content actions, on first use: wasm2js",
                files: vec![chrome.join("content/js/actions.js")],
                budget_kb: None,
            },
            Part {
                name: "background: wasm + main.js and glue",
                files: vec![
                    chrome.join("background/background_bg.wasm"),
                    chrome.join("background.js"),
                ],
                budget_kb: None,
            },
            Part {
                name: "popup: wasm + glue + snippets",
                files: page_files(&chrome.join("popup"), "popup")?,
                budget_kb: Some(150.0),
            },
            Part {
                name: "site-profiles page (options), opened now and then: wasm + glue + snippets",
                files: page_files(&chrome.join("options"), "options")?,
                budget_kb: None,
            },
        ];
        println!("\n| part | file | raw bytes | gzip -9 bytes |");
        println!("|---|---|---:|---:|");
        let mut summary = Vec::new();
        for part in &parts {
            let (mut raw_total, mut gzip_total) = (0u64, 0u64);
            for file in &part.files {
                let raw = std::fs::metadata(file)
                    .map_err(|e| format!("{}: {e}", file.display()))?
                    .len();
                let gzip = gzip_size(file)?;
                raw_total += raw;
                gzip_total += gzip;
                let shown = file.strip_prefix(&chrome).unwrap_or(file).display();
                println!("| {} | {shown} | {raw} | {gzip} |", part.name);
            }
            summary.push((part, raw_total, gzip_total));
        }
        println!("\n| part | raw KB | gzip KB | budget (gzip) |");
        println!("|---|---:|---:|---|");
        for (part, raw, gzip) in summary {
            let gzip_kb = gzip as f64 / KB;
            let budget = match part.budget_kb {
                Some(budget) if gzip_kb <= budget => format!("≤ {budget} KB: within"),
                Some(budget) => format!("≤ {budget} KB: OVER"),
                None => "—".into(),
            };
            println!(
                "| {} | {:.1} | {gzip_kb:.1} | {budget} |",
                part.name,
                raw as f64 / KB
            );
        }
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

/// An extension page's wasm (`NAME_bg.wasm` in `dir`), its glue and the JS snippets the glue
/// imports (all shipped).
fn page_files(dir: &Path, name: &str) -> Result<Vec<PathBuf>> {
    let mut files = vec![
        dir.join(format!("{name}_bg.wasm")),
        dir.join(format!("{name}.js")),
    ];
    let mut snippets = Vec::new();
    collect_js(&dir.join("snippets"), &mut snippets)?;
    snippets.sort();
    files.extend(snippets);
    Ok(files)
}

fn collect_js(dir: &Path, out: &mut Vec<PathBuf>) -> Result {
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            collect_js(&path, out)?;
        } else if path.extension().is_some_and(|ext| ext == "js") {
            out.push(path);
        }
    }
    Ok(())
}

/// The size of `gzip -9 -c file`.
fn gzip_size(file: &Path) -> Result<u64> {
    let compressed = Cmd::new("gzip", &root())
        .args(["-9", "-c"])
        .arg(file)
        .probe_bytes()
        .ok_or_else(|| format!("gzip failed on {}", file.display()))?;
    Ok(compressed.len() as u64)
}
