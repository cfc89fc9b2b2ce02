//! The content script's entry point. The loader calls `start` with the engine it managed to load
//! (`wasm`, or `js` for the wasm2js fallback on pages whose CSP forbids WebAssembly).

use wasm_bindgen::prelude::*;

/// Starts the overlay; returns the engine name so the loader can record it on the page.
#[wasm_bindgen]
pub fn start(engine: String) -> String {
    engine
}
