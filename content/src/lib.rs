//! The content script. The loader (`loader.js`) starts this crate's wasm build, or on pages whose
//! CSP forbids WebAssembly the background injects its wasm2js build (`fallback.js`); either calls
//! `start` with the engine name.
//!
//! Data flows one way: the page (through `selectors`) and the API feed the route's `Overlay`
//! state, and each feature's `decorate` makes the page show that state.

mod actions;
mod browser;
mod dom;
mod events;
mod features;
mod log;
mod overlay;
mod refusal;
mod reread;
pub mod route;
mod selectors;
mod sync;
mod ui;

use wasm_bindgen::prelude::*;

/// The page attribute that says which engine runs (`wasm` or `js`); tests read it.
pub const ENGINE_ATTRIBUTE: &str = "data-job-actions-engine";
/// The page attribute naming the site profile the overlay applies (absent: none covers the page).
pub const PROFILE_ATTRIBUTE: &str = "data-job-actions-profile";

/// Starts the overlay once per page; the loader calls it with `"wasm"` or `"js"` and the
/// extension API object (`browser` or `chrome`). Failures are logged, never thrown: the host
/// page must not see them.
#[wasm_bindgen]
pub fn start(engine: &str, extension_api: JsValue) {
    browser::set_extension_api(extension_api);
    if let Err(error) = start_once(engine) {
        log::feature_error("start", &error);
    }
}

fn start_once(engine: &str) -> Result<(), JsValue> {
    let root = dom::root_element()?;
    if root.has_attribute(ENGINE_ATTRIBUTE) {
        log::warn("already running on this page; not starting twice");
        return Ok(());
    }
    root.set_attribute(ENGINE_ATTRIBUTE, engine)?;
    let engine = engine.to_string();
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(error) = start_with_profile(&engine).await {
            log::feature_error("start", &error);
        }
    });
    Ok(())
}

/// Chooses this page's site profile from the user's book (extension storage), then starts the
/// overlay with it; a page no profile covers is left alone.
async fn start_with_profile(engine: &str) -> Result<(), JsValue> {
    let href = dom::document()
        .location()
        .ok_or_else(|| JsValue::from_str("the document has no location"))?
        .href()?;
    let book = match browser::storage_get(job_actions::profiles::STORAGE_KEY).await? {
        Some(text) => job_actions::profiles::parse_book(&text).unwrap_or_else(|why| {
            log::warn(&format!("site profiles ignored: {why}"));
            Vec::new()
        }),
        None => Vec::new(),
    };
    let Some(stored) = job_actions::profiles::active_for(&book, &href) else {
        log::info(&format!(
            "content script loaded on the {engine} engine, but no site profile covers this page; leaving it alone"
        ));
        return Ok(());
    };
    dom::root_element()?.set_attribute(PROFILE_ATTRIBUTE, &stored.profile.name)?;
    log::info(&format!(
        "content script running on the {engine} engine with the site profile \"{}\"",
        stored.profile.name
    ));
    route::set_active(stored);
    overlay::start()
}

/// Talc instead of std's dlmalloc: about 5 KB less wasm, on a script every job page loads.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
