//! `cargo xtask <command>`: the project's build tool. One command per file; each external
//! command is printed with its working directory before it runs, and each step says how long it
//! took. Few dependencies on purpose: it must build fast on a fresh machine.

mod base64;
mod bench;
mod browser;
mod build;
mod chromium;
mod demo;
mod dist;
mod emulator;
mod extension_id;
mod firefox;
mod icons;
mod imports;
mod lengths;
mod matrix;
mod process;
mod setup;
mod sinks;
mod sizes;
mod test;
mod toolchain;
mod wasm_edit;
mod webdriver;
mod workspace;

use std::process::ExitCode;

const HELP: &str = "\
cargo xtask <command>

  setup   install what is missing: wasm32 target (and nightly's rust-src for the size build),
          wasm-bindgen CLI at the Cargo.lock version,
          Chromium + chromedriver, firefox-esr, geckodriver, npm packages (idempotent)
  build   build the emulator and the extension (dist/)
  test    setup, then every check: fmt, clippy (native and wasm32), no import circles or long modules, icons,
          native tests, the API client's browser tests, dist + size ceilings + web-ext lint, and
          the end-to-end tests in Chromium and Firefox
  imports check that no module imports one that imports it back, in every crate, and that no
          module of the extension has over 400 lines before its tests
  bench   build dist/, then print the shipped sizes (raw and gzip -9) against their goals and
          CI ceilings, then measure in headless Chromium (`bench sizes`: the sizes only;
          `bench sizes --check`: fail as CI does when a part is past its ceiling)
  dist    build the extension into dist/chrome and dist/firefox (+ a zip of each);
          `--profile FILE` bakes a site profile in as the built-in one, with its origins granted
          at install (`--no-build`: bake the dist/ there is; `--out DIR`: write the baked copy there)
  icons   render icons/icon-{16,32,48,128}.png from xtask/src/icons.rs (--check: verify)
  demo    setup and build, then run the emulator with seeded jobs on http://127.0.0.1:8700
          (SQLite file target/demo/jobs.db, kept across restarts); other flags go to the emulator.
          `--browser chromium|firefox`: also open that browser, headed, in a fresh temporary
          profile with the extension loaded and the demo's job list as its first tab; closing it
          (or Ctrl-C) stops the demo and removes the profile. With no display (DISPLAY and
          WAYLAND_DISPLAY unset) it says so and prints the manual steps instead.
          `--dry-run` (with --browser): print the commands and the profile it would write, run nothing
";

/// Every step returns this; the message is printed as `xtask: error: …`.
pub type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    put_cargo_bin_on_path();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(command) = args.first() else {
        print!("{HELP}");
        return ExitCode::from(2);
    };
    let rest = &args[1..];
    let result = match command.as_str() {
        "setup" => setup::run(),
        "build" => build::run(),
        "test" => test::run(rest),
        "demo" => demo::run(rest),
        "icons" => icons::run(rest),
        "dist" => dist::run(rest),
        "bench" => bench::run(rest),
        "imports" => imports::check().and_then(|()| lengths::check()),
        "help" | "--help" | "-h" => {
            print!("{HELP}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`\n\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Tools that `cargo install` puts in `$CARGO_HOME/bin` must be found even when a fresh shell has
/// not put that folder on PATH yet; otherwise every run would reinstall them.
fn put_cargo_bin_on_path() {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|home| std::path::PathBuf::from(home).join(".cargo"))
        });
    let Some(bin) = cargo_home.map(|home| home.join("bin")) else {
        return;
    };
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut paths: Vec<_> = std::env::split_paths(&path).collect();
    if !paths.contains(&bin) {
        paths.insert(0, bin);
        if let Ok(joined) = std::env::join_paths(paths) {
            std::env::set_var("PATH", joined);
        }
    }
}
