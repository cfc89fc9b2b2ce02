//! `cargo xtask demo`: setup and build, then the emulator with seeded demo jobs on
//! http://127.0.0.1:8700, backed by target/demo/jobs.db so it survives a restart.
//!
//! `cargo xtask demo --browser chromium|firefox` (issue #23, "try it in one command") also opens
//! that browser, headed, in a fresh temporary profile with the extension loaded and the demo's
//! list page as its first tab; when the browser is closed or on Ctrl-C it stops the emulator and
//! removes the profile. Where no display exists it says so, prints the manual steps and exits
//! successfully. `--dry-run` prints what it would run and write, without doing any of it.

use crate::browser::{self, Browser, TempProfile};
use crate::emulator::RunningEmulator;
use crate::process::{step, Cmd};
use crate::workspace::root;
use crate::{build, chromium, dist, extension_id, firefox, setup, Result};
use std::path::{Path, PathBuf};

pub const DEMO_ADDR: &str = "127.0.0.1:8700";

/// The flags `demo` reads itself; every other one goes to the emulator.
#[derive(Debug, PartialEq)]
struct Options {
    browser: Option<Browser>,
    dry_run: bool,
    emulator_args: Vec<String>,
}

fn parse(args: &[String]) -> Result<Options> {
    let mut options = Options {
        browser: None,
        dry_run: false,
        emulator_args: Vec::new(),
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--browser" => {
                let name = args
                    .next()
                    .ok_or("--browser needs a value: chromium or firefox")?;
                options.browser = Some(Browser::parse(name)?);
            }
            "--dry-run" => options.dry_run = true,
            other => match other.strip_prefix("--browser=") {
                Some(name) => options.browser = Some(Browser::parse(name)?),
                None => options.emulator_args.push(other.to_string()),
            },
        }
    }
    if options.dry_run && options.browser.is_none() {
        return Err("--dry-run goes with --browser chromium|firefox".into());
    }
    Ok(options)
}

pub fn run(args: &[String]) -> Result {
    let options = parse(args)?;
    match options.browser {
        None => serve(&options.emulator_args),
        Some(browser) => with_browser(browser, &options),
    }
}

/// `cargo xtask demo`: the emulator in the foreground until Ctrl-C.
fn serve(emulator_args: &[String]) -> Result {
    setup::run()?;
    build::run()?;
    let db = create_database_dir()?;
    println!(
        "\n{} Stop with Ctrl-C.",
        manual_steps(&db, &dist::dist_dir())
    );
    step("emulator", || {
        Cmd::new(
            &root().join("target/debug/emulator").to_string_lossy(),
            &root(),
        )
        .args(emulator_flags(&db, emulator_args))
        .run()
    })
}

/// `cargo xtask demo --browser …`.
fn with_browser(browser: Browser, options: &Options) -> Result {
    let env = |name: &str| std::env::var(name).ok();
    let has_display = browser::has_display(std::env::consts::OS, env);
    let binary = browser.binary(env);
    if options.dry_run {
        return dry_run(browser, binary, has_display, &options.emulator_args);
    }
    if !has_display {
        println!("{NO_DISPLAY}\n");
        println!("{}", manual_steps(&database(), &dist::dist_dir()));
        return Ok(());
    }
    setup::run()?;
    build::run()?;
    // Checked before the emulator starts, so a missing browser stops nothing half-way.
    browser.require(&binary)?;
    let db = create_database_dir()?;
    let flags = emulator_flags(&db, &options.emulator_args);
    let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
    let emulator = step("emulator", || RunningEmulator::start(&flags))?;
    println!(
        "\nDemo: {origin}/jobs (the app's pages), {origin}/api/jobs (the API); the database is {}.\n\
         Active jobs move one phase every 15 s. Close the browser or press Ctrl-C to stop.",
        db.display(),
        origin = emulator.origin
    );
    browser::catch_interrupt();
    let opened = match browser {
        Browser::Chromium => chromium_launch(binary, &emulator.origin)?.open(),
        Browser::Firefox => firefox_launch(binary, &emulator.origin)?.open(),
    };
    drop(emulator);
    println!("  stopped the emulator");
    opened
}

const NO_DISPLAY: &str = "No display here (DISPLAY and WAYLAND_DISPLAY are both unset), so no \
                          browser can be opened: run `cargo xtask demo` and follow these steps \
                          instead.";

fn dry_run(
    browser: Browser,
    binary: PathBuf,
    has_display: bool,
    emulator_args: &[String],
) -> Result {
    let origin = format!("http://{DEMO_ADDR}");
    let (launch, profile) = match browser {
        Browser::Chromium => {
            let launch = chromium_launch(binary.clone(), &origin)?;
            (launch.describe(), launch.profile)
        }
        Browser::Firefox => {
            let launch = firefox_launch(binary.clone(), &origin)?;
            (launch.describe(), launch.profile_root)
        }
    };
    println!(
        "Dry run of `cargo xtask demo --browser {name}`: nothing is built, started, written or \
         opened. It would:\n\
         1. run `cargo xtask setup` and `cargo xtask build`, as `cargo xtask demo` does;\n\
         2. start the emulator (target/debug/emulator) with {flags}, and wait until it listens;\n\
         3. create the temporary profile folder {profile}, then\n{launch}\n\
         4. when the browser is closed or on Ctrl-C: stop the emulator and remove {profile}.",
        name = browser.name(),
        flags = emulator_flags(&database(), emulator_args).join(" "),
        profile = profile.display(),
        launch = indented(&launch),
    );
    if let Err(missing) = browser.require(&binary) {
        println!("Note: {missing}.");
    }
    if !has_display {
        println!(
            "No display here (DISPLAY and WAYLAND_DISPLAY are both unset): without --dry-run it \
             prints the manual steps instead of opening a browser."
        );
    }
    Ok(())
}

/// Each line of `text` indented by three spaces, under a numbered step.
fn indented(text: &str) -> String {
    text.lines()
        .map(|line| format!("   {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn chromium_launch(binary: PathBuf, origin: &str) -> Result<chromium::Launch> {
    Ok(chromium::Launch::plan(
        binary,
        TempProfile::path_for(Browser::Chromium),
        &dist::dist_dir().join("chrome"),
        &extension_id::of_source_manifest()?,
        origin,
        is_root(),
    ))
}

fn firefox_launch(binary: PathBuf, origin: &str) -> Result<firefox::Launch> {
    Ok(firefox::Launch::plan(
        binary,
        TempProfile::path_for(Browser::Firefox),
        firefox::free_port()?,
        &dist::dist_dir().join("firefox"),
        origin,
    ))
}

fn is_root() -> bool {
    Cmd::new("id", &root())
        .arg("-u")
        .probe()
        .is_some_and(|uid| uid.trim() == "0")
}

fn database() -> PathBuf {
    root().join("target/demo/jobs.db")
}

fn create_database_dir() -> Result<PathBuf> {
    let db = database();
    let dir = db.parent().expect("the database is in a folder");
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Ok(db)
}

/// The emulator's flags: the demo's address and database, then the caller's own (later flags
/// win, so `--addr` there moves the demo).
fn emulator_flags(db: &Path, extra: &[String]) -> Vec<String> {
    let mut flags = vec![
        "--addr".to_string(),
        DEMO_ADDR.to_string(),
        "--db".to_string(),
        db.display().to_string(),
    ];
    flags.extend(extra.iter().cloned());
    flags
}

/// How to see the demo by hand: what `cargo xtask demo` prints while it serves.
fn manual_steps(db: &Path, dist: &Path) -> String {
    format!(
        "Demo: open http://{DEMO_ADDR}/jobs (the app's pages) and http://{DEMO_ADDR}/api/jobs (the API).\n\
         Load the extension to see the overlay:\n\
         \x20 Chrome:  chrome://extensions > Developer mode > Load unpacked > {}\n\
         \x20 Firefox: about:debugging#/runtime/this-firefox > Load Temporary Add-on > {}\n\
         The database is {}; delete it to start over with fresh demo jobs.\n\
         Active jobs move one phase every 15 s.",
        dist.join("chrome").display(),
        dist.join("firefox/manifest.json").display(),
        db.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|arg| arg.to_string()).collect()
    }

    #[track_caller]
    fn check(args: &[&str], expected: Result<Options>) {
        assert_eq!(parse(&strings(args)), expected);
    }

    fn options(browser: Option<Browser>, dry_run: bool, emulator_args: &[&str]) -> Options {
        Options {
            browser,
            dry_run,
            emulator_args: strings(emulator_args),
        }
    }

    #[test]
    fn demo_reads_browser_and_dry_run_and_passes_the_rest_to_the_emulator() {
        check(&[], Ok(options(None, false, &[])));
        check(
            &["--strict-csp"],
            Ok(options(None, false, &["--strict-csp"])),
        );
        check(
            &["--browser", "chromium"],
            Ok(options(Some(Browser::Chromium), false, &[])),
        );
        check(
            &[
                "--strict-csp",
                "--browser=firefox",
                "--dry-run",
                "--tick-ms",
                "5000",
            ],
            Ok(options(
                Some(Browser::Firefox),
                true,
                &["--strict-csp", "--tick-ms", "5000"],
            )),
        );
        check(
            &["--browser"],
            Err("--browser needs a value: chromium or firefox".into()),
        );
        check(
            &["--browser", "safari"],
            Err("--browser takes `chromium` or `firefox`, got `safari`".into()),
        );
        check(
            &["--dry-run"],
            Err("--dry-run goes with --browser chromium|firefox".into()),
        );
    }

    #[test]
    fn the_emulator_gets_the_demo_address_and_database_before_the_callers_flags() {
        assert_eq!(
            emulator_flags(
                Path::new("/w/target/demo/jobs.db"),
                &strings(&["--strict-csp"])
            ),
            strings(&[
                "--addr",
                "127.0.0.1:8700",
                "--db",
                "/w/target/demo/jobs.db",
                "--strict-csp"
            ])
        );
    }

    #[test]
    fn the_manual_steps_name_the_list_page_both_packages_and_the_database() {
        let steps = manual_steps(Path::new("/w/target/demo/jobs.db"), Path::new("/w/dist"));
        for expected in [
            "http://127.0.0.1:8700/jobs",
            "Load unpacked > /w/dist/chrome\n",
            "Load Temporary Add-on > /w/dist/firefox/manifest.json\n",
            "The database is /w/target/demo/jobs.db;",
        ] {
            assert!(steps.contains(expected), "{expected:?} in {steps}");
        }
    }
}
