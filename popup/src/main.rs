//! The toolbar popup. Issue #3 turns this into the Dioxus app; for now it only proves the popup
//! crate builds against the shared API module.

fn main() {
    let phase = job_actions::Phase::parse("cancelled");
    println!("popup placeholder: {}", phase.label());
}
