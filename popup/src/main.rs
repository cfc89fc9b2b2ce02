//! The toolbar popup: recent jobs from the API with their phase badges, and clear loading, empty
//! and error states. Built with Dioxus 0.7 and plain `cargo build` + `wasm-bindgen` (no `dx`).

mod components;
mod settings;
mod storage;

use components::app::App;

fn main() {
    dioxus::launch(App);
}

/// Talc instead of std's dlmalloc: a smaller popup download.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
