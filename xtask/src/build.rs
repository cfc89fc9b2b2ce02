//! `cargo xtask build`: the emulator (native) and the extension's crates for wasm32.

use crate::process::{step, Cmd};
use crate::workspace::root;
use crate::Result;

pub fn run() -> Result {
    step("build", || {
        Cmd::new("cargo", &root())
            .args(["build", "-p", "emulator"])
            .run()?;
        Cmd::new("cargo", &root())
            .args(["build", "--release", "--target", "wasm32-unknown-unknown"])
            .args(["-p", "content", "-p", "popup"])
            .run()
    })
}
