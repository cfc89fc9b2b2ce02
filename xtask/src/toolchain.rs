//! Which Rust toolchain compiles the shipped WebAssembly.
//!
//! Size matters most in what ships: the content script loads on every job page. A nightly
//! toolchain can rebuild the standard library with the crate (`-Zbuild-std`), with
//! `-Cpanic=immediate-abort` and `-Zlocation-detail=none`, so no panic message, location or
//! formatting code is linked, and with std's `optimize_for_size` feature: about 10 % less gzipped
//! wasm for each part (`cargo xtask bench sizes` prints the figures). Panics are already `abort`
//! with no hook, so nothing a user or a test sees changes: a panic was a trap with no message
//! before, and is one now.
//!
//! The machine image has a nightly toolchain; `cargo xtask setup` adds the two components it
//! needs (`rust-src`, the wasm32 standard library). Where that is not possible, the build falls
//! back to the stable toolchain with the same flags otherwise, and says so.

use crate::process::Cmd;
use crate::workspace::root;
use crate::Result;

/// The toolchain name given to rustup (`cargo +nightly …`).
const NIGHTLY: &str = "nightly";
/// The nightly components the size build needs: each as `rustup component list` names it, and
/// the rustup command (before `--toolchain`) that adds it.
const COMPONENTS: [(&str, [&str; 3]); 2] = [
    ("rust-src", ["component", "add", "rust-src"]),
    (
        "rust-std-wasm32-unknown-unknown",
        ["target", "add", "wasm32-unknown-unknown"],
    ),
];

/// How `cargo xtask dist` compiles a release wasm crate.
#[derive(Clone, Debug, PartialEq)]
pub enum WasmToolchain {
    /// Nightly, rebuilding std without panic machinery and optimized for size; `rustc --version`
    /// of it.
    Nightly(String),
    /// The project's stable toolchain, std as shipped.
    Stable,
}

impl WasmToolchain {
    /// Finds out which one this machine can use, without installing anything.
    pub fn detect() -> WasmToolchain {
        match nightly_version() {
            Some(version) if missing_components().is_empty() => WasmToolchain::Nightly(version),
            _ => WasmToolchain::Stable,
        }
    }

    /// A line for build logs and the benchmark.
    pub fn describe(&self) -> String {
        match self {
            WasmToolchain::Nightly(version) => {
                format!("{version}, std rebuilt with panic=immediate-abort and optimize_for_size")
            }
            WasmToolchain::Stable => {
                "stable (no nightly with rust-src here: std as shipped, larger wasm)".into()
            }
        }
    }

    /// `cargo build --release -p PACKAGE --target wasm32-unknown-unknown --target-dir DIR`,
    /// with `rustflags` (space-separated, may be empty) for the crate graph. RUSTFLAGS is always
    /// set, so flags in a developer's environment never change what ships.
    pub fn release_build(&self, package: &str, target_dir: &str, rustflags: &str) -> Cmd {
        let mut flags = rustflags.to_string();
        let cmd = match self {
            WasmToolchain::Nightly(_) => {
                // No panic machinery, and no source locations for it either (they would only
                // ever be shown by a panic message, which immediate-abort never prints). No
                // `Debug` output either (`-Zfmt-debug=none`: `{:?}` writes nothing): no shipped
                // text uses it, only the dependencies' diagnostics, which have no subscriber to
                // print them (popup and options: 3.9 KiB gzip each; the other parts link none).
                flags.push_str(
                    " -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none \
                     -Zfmt-debug=none",
                );
                Cmd::new("cargo", &root())
                    .arg(format!("+{NIGHTLY}"))
                    // std's own switch for its smaller implementations (sorting, say).
                    .args([
                        "build",
                        "-Zbuild-std=std,panic_abort",
                        "-Zbuild-std-features=optimize_for_size",
                    ])
            }
            WasmToolchain::Stable => Cmd::new("cargo", &root()).arg("build"),
        };
        cmd.args([
            "--release",
            "-p",
            package,
            "--target",
            "wasm32-unknown-unknown",
            "--target-dir",
            target_dir,
        ])
        .env("RUSTFLAGS", flags.trim())
    }

    /// The `.wasm` file cargo writes for PACKAGE, built in `target_dir`.
    pub fn output(target_dir: &str, package: &str) -> std::path::PathBuf {
        root().join(format!(
            "{target_dir}/wasm32-unknown-unknown/release/{package}.wasm"
        ))
    }
}

fn nightly_version() -> Option<String> {
    Cmd::new("rustc", &root())
        .args([format!("+{NIGHTLY}"), "--version".into()])
        .probe()
        .map(|version| version.trim().to_string())
}

fn missing_components() -> Vec<(&'static str, [&'static str; 3])> {
    let installed = Cmd::new("rustup", &root())
        .args(["component", "list", "--installed", "--toolchain", NIGHTLY])
        .probe()
        .unwrap_or_default();
    COMPONENTS
        .into_iter()
        .filter(|(wanted, _)| !installed.lines().any(|line| line.trim() == *wanted))
        .collect()
}

/// `cargo xtask setup`: adds what the nightly toolchain lacks for the size build. A machine
/// without nightly, or where the components cannot be fetched, still builds (on stable): this
/// only prints why.
pub fn setup() -> Result {
    if nightly_version().is_none() {
        println!("  note: no nightly toolchain; the wasm is built on stable (larger)");
        return Ok(());
    }
    let missing = missing_components();
    if missing.is_empty() {
        println!("  ok: nightly rust-src and wasm32 std (size build)");
        return Ok(());
    }
    let added = missing.iter().try_for_each(|(_, add)| {
        Cmd::new("rustup", &root())
            .args(*add)
            .args(["--toolchain", NIGHTLY])
            .run()
    });
    if let Err(why) = added {
        println!("  note: nightly components not added ({why}); the wasm is built on stable");
    }
    Ok(())
}
