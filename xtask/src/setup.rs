//! `cargo xtask setup`: installs what is missing, skips what is present, prints each install.
//! Safe to run again and again: a second run only probes.

use crate::process::{step, Cmd};
use crate::workspace::{locked_version, root};
use crate::Result;
use std::path::Path;

/// Debian packages and the binaries that show they are installed.
const APT_PACKAGES: [(&str, &str); 3] = [
    ("chromium", "/usr/bin/chromium"),
    ("chromium-driver", "/usr/bin/chromedriver"),
    ("firefox-esr", "/usr/bin/firefox-esr"),
];
const GECKODRIVER_VERSION: &str = "0.37.1";

pub fn run() -> Result {
    step("setup", || {
        wasm_target()?;
        crate::toolchain::setup()?;
        apt_packages()?;
        wasm_bindgen_cli()?;
        geckodriver()?;
        npm_packages()
    })
}

fn present(what: &str) {
    println!("  ok: {what}");
}

fn wasm_target() -> Result {
    let installed = Cmd::new("rustup", &root())
        .args(["target", "list", "--installed"])
        .probe();
    if installed.is_some_and(|list| {
        list.lines()
            .any(|line| line.trim() == "wasm32-unknown-unknown")
    }) {
        present("rust target wasm32-unknown-unknown");
        return Ok(());
    }
    Cmd::new("rustup", &root())
        .args(["target", "add", "wasm32-unknown-unknown"])
        .run()
}

fn apt_packages() -> Result {
    let missing: Vec<&str> = APT_PACKAGES
        .iter()
        .filter(|(_, binary)| !Path::new(binary).exists())
        .map(|(package, _)| *package)
        .collect();
    if missing.is_empty() {
        present("chromium, chromium-driver, firefox-esr");
        return Ok(());
    }
    let is_root = Cmd::new("id", &root())
        .arg("-u")
        .probe()
        .is_some_and(|uid| uid.trim() == "0");
    if !is_root {
        return Err(format!(
            "missing Debian packages: {}. Install them as root: apt-get install -y {}",
            missing.join(", "),
            missing.join(" ")
        ));
    }
    let apt = |args: &[&str]| {
        Cmd::new("apt-get", &root())
            .env("DEBIAN_FRONTEND", "noninteractive")
            .args(["-o", "DPkg::Lock::Timeout=300", "-q"])
            .args(args.iter().copied())
            .run()
    };
    apt(&["update"])?;
    let mut install = vec!["install", "-y"];
    install.extend(&missing);
    apt(&install)
}

fn wasm_bindgen_cli() -> Result {
    let wanted = locked_version("wasm-bindgen")?;
    let version = Cmd::new("wasm-bindgen", &root()).arg("--version").probe();
    let runner = Cmd::new("wasm-bindgen-test-runner", &root())
        .arg("--version")
        .probe();
    if version.as_deref().map(str::trim) == Some(&format!("wasm-bindgen {wanted}"))
        && runner.is_some()
    {
        present(&format!("wasm-bindgen-cli {wanted}"));
        return Ok(());
    }
    // Not --locked: the CLI's own lockfile pins a crate the registry no longer serves.
    unoptimised_install()
        .args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            &wanted,
            "--force",
        ])
        .run()
}

/// `cargo install` of a tool whose speed does not matter here, built without optimisation
/// (release semantics otherwise: no debug assertions). Measured on this two-core machine:
/// wasm-bindgen-cli 165 → 85 s, geckodriver 124 → 71 s to install; `wasm-bindgen` of a shipped
/// part 0.2 → 0.6 s, of the wasm tests' 27 MB module 2.3 → 10.9 s. Every CI run installs both:
/// two minutes off each run, 15 s of them paid back.
fn unoptimised_install() -> Cmd {
    Cmd::new("cargo", &root())
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256")
}

fn geckodriver() -> Result {
    if Cmd::new("geckodriver", &root())
        .arg("--version")
        .probe()
        .is_some()
    {
        present("geckodriver");
        return Ok(());
    }
    unoptimised_install()
        .args(["install", "geckodriver", "--version", GECKODRIVER_VERSION])
        .run()
}

/// `npm ci` in tests/ when node_modules is missing or older than the lockfile.
fn npm_packages() -> Result {
    let dir = root().join("tests");
    let lock = dir.join("package-lock.json");
    let installed = dir.join("node_modules/.package-lock.json");
    let modified = |path: &Path| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    if let (Some(lock_time), Some(installed_time)) = (modified(&lock), modified(&installed)) {
        if installed_time >= lock_time {
            present("npm packages in tests/");
            return Ok(());
        }
    }
    Cmd::new("npm", &dir)
        .args(["ci", "--no-audit", "--no-fund"])
        .run()
}
