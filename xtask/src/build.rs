//! `cargo xtask build`: the emulator (native) and the extension (`dist/`).

use crate::process::{step, Cmd};
use crate::workspace::root;
use crate::{dist, Result};

pub fn run() -> Result {
    step("build emulator", || {
        Cmd::new("cargo", &root())
            .args(["build", "-p", "emulator"])
            .run()
    })?;
    dist::run(&[])
}
