//! `cargo xtask demo`: setup and build, then the emulator with seeded demo jobs on
//! http://127.0.0.1:8700, backed by target/demo/jobs.db so it survives a restart.

use crate::process::{step, Cmd};
use crate::workspace::root;
use crate::{build, setup, Result};

pub const DEMO_ADDR: &str = "127.0.0.1:8700";

pub fn run(args: &[String]) -> Result {
    setup::run()?;
    build::run()?;
    let db_dir = root().join("target/demo");
    std::fs::create_dir_all(&db_dir)
        .map_err(|e| format!("cannot create {}: {e}", db_dir.display()))?;
    let db = db_dir.join("jobs.db");
    let dist = crate::dist::dist_dir();
    println!(
        "\nDemo: open http://{DEMO_ADDR}/jobs (the app's pages) and http://{DEMO_ADDR}/api/jobs (the API).\n\
         Load the extension to see the overlay:\n\
         \x20 Chrome:  chrome://extensions > Developer mode > Load unpacked > {}\n\
         \x20 Firefox: about:debugging#/runtime/this-firefox > Load Temporary Add-on > {}\n\
         The database is {}; delete it to start over with fresh demo jobs.\n\
         Active jobs move one phase every 15 s. Stop with Ctrl-C.",
        dist.join("chrome").display(),
        dist.join("firefox/manifest.json").display(),
        db.display()
    );
    step("emulator", || {
        Cmd::new(
            &root().join("target/debug/emulator").to_string_lossy(),
            &root(),
        )
        .args(["--addr", DEMO_ADDR, "--db"])
        .arg(&db)
        .args(args.iter())
        .run()
    })
}
