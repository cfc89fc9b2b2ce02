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
    println!(
        "\nDemo: open http://{DEMO_ADDR}/jobs (the app's pages) and http://{DEMO_ADDR}/api/jobs (the API).\n\
         The database is {}; delete it to start over with fresh demo jobs.\n\
         Active jobs move one phase every 15 s. Stop with Ctrl-C.",
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
