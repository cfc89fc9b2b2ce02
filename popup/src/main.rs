//! The toolbar popup: recent jobs with live polling, cancel and delete with the same dialogs and
//! rules as the job pages, and the settings (app URL, API base, token). Built with Dioxus 0.7 and
//! plain `cargo build` + `wasm-bindgen` (no `dx`).

mod actions;
mod browser;
mod components;
mod live;
mod profile_form;
mod settings;
mod sites;
mod state;
mod storage;

use components::app::App;

fn main() {
    dioxus::launch(App);
}

/// Talc instead of std's dlmalloc: a smaller popup download.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
