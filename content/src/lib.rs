//! The content script. The loader (`loader.js`) starts this crate's wasm build, or on pages whose
//! CSP forbids WebAssembly the background injects its wasm2js build (`fallback.js`); either calls
//! `start` with the engine name.
//!
//! Data flows one way: the page (through `selectors`) and the API feed the route's `Overlay`
//! state, and each feature's `decorate` makes the page show that state.
//!
//! Built twice per engine: without the `actions` feature, the page-wide build every job page
//! loads (decoration, live status, toasts); with it, the actions build (dialogs, menus, the
//! cancel/delete requests), which the background injects on the first use of a control and
//! which takes the page over (`take_over`, from the page-wide build's `hand_over`).

// The actions build is the whole crate, where unused code is reported; the page-wide build
// leaves out what only the actions use (storage writes, navigation, the row links…).
#![cfg_attr(not(feature = "actions"), allow(dead_code))]

#[cfg(feature = "actions")]
mod actions;
#[cfg(feature = "actions")]
mod activity;
mod browser;
#[cfg(feature = "actions")]
mod bulk;
mod controls;
#[cfg(feature = "actions")]
mod dialog_events;
mod dom;
#[cfg(feature = "actions")]
mod events;
mod features;
#[cfg(not(feature = "actions"))]
mod first_use;
#[cfg(feature = "actions")]
mod frames;
mod handoff;
#[cfg(feature = "actions")]
mod keep_focus;
mod lifecycle;
mod local_time;
mod log;
mod overlay;
#[cfg(feature = "actions")]
mod page_ui;
mod refusal;
#[cfg(feature = "actions")]
mod reread;
pub mod route;
mod selectors;
mod sync;
mod ui;

use wasm_bindgen::prelude::*;

/// The page attribute that says which engine runs (`wasm` or `js`); tests read it.
pub const ENGINE_ATTRIBUTE: &str = "data-job-actions-engine";
thread_local! {
    /// The engine this build runs on (`wasm` or `js`), as the loader said.
    static ENGINE: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// The engine this build runs on, as the loader said (never read back from the page).
#[cfg(not(feature = "actions"))]
pub fn engine() -> String {
    ENGINE.with(|kept| kept.borrow().clone())
}

/// The isolated world's mark that the overlay started on this page (either engine).
const STARTED: &str = "__jobActionsStarted";
/// The page attribute naming the engine the actions build runs on, once it took the page over.
pub const ACTIONS_ATTRIBUTE: &str = "data-job-actions-actions";
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
    // Started once per page, as the isolated world both engines share remembers it: the page's
    // own attributes are written for tests to read, never trusted (a page that set the engine
    // attribute before the content script ran must not keep it from starting; issue #20).
    let global = js_sys::global();
    if js_sys::Reflect::has(&global, &STARTED.into())? {
        log::warn("already running on this page; not starting twice");
        return Ok(());
    }
    js_sys::Reflect::set(&global, &STARTED.into(), &JsValue::TRUE)?;
    ENGINE.with(|kept| *kept.borrow_mut() = engine.to_string());
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
    let Some(stored) = profile_for_page().await? else {
        log::info(&format!(
            "content script loaded on the {engine} engine, but no site profile covers this page; leaving it alone"
        ));
        // "Enable on this site" (or a profile saved elsewhere) may cover it later: then it starts
        // without a reload, in every tab of the site.
        browser::on_profiles_changed(engine.to_string(), |engine| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(error) = start_with_profile(&engine).await {
                    log::feature_error("start", &error);
                }
            })
        })?;
        return Ok(());
    };
    dom::root_element()?.set_attribute(PROFILE_ATTRIBUTE, &stored.profile.name)?;
    log::info(&format!(
        "content script running on the {engine} engine with the site profile \"{}\"",
        stored.profile.name
    ));
    route::set_active(stored);
    lifecycle::start()?;
    install_listeners()
}

/// The document listeners: in the page-wide build only those of `first_use` (the first use of a
/// control loads the actions), in the actions build every control's (`events`).
fn install_listeners() -> Result<(), JsValue> {
    #[cfg(feature = "actions")]
    events::install()?;
    #[cfg(not(feature = "actions"))]
    first_use::install()?;
    Ok(())
}

/// The site profile of the user's book (extension storage) that covers this page, if any.
async fn profile_for_page() -> Result<Option<job_actions::sites::profiles::StoredProfile>, JsValue>
{
    let href = dom::document()
        .location()
        .ok_or_else(|| JsValue::from_str("the document has no location"))?
        .href()?;
    // One read: the package's baked-in profile (the background keeps it in storage for this
    // script), the organisation's profiles (validated by the background), the user's.
    let [baked, managed, user] = browser::storage_get_all([
        job_actions::sites::profiles::BUILT_IN_KEY,
        job_actions::sites::managed::MANAGED_KEY,
        job_actions::sites::profiles::STORAGE_KEY,
    ])
    .await?;
    if let Some(baked) = baked {
        if let Err(why) = job_actions::sites::profiles::use_built_in(&baked) {
            log::warn(&format!("the built-in profile is refused: {why}"));
        }
    }
    let (book, why) = job_actions::sites::managed::join(managed.as_deref(), user.as_deref());
    if let Some(why) = why {
        log::warn(&format!("site profiles ignored: {why}"));
    }
    Ok(job_actions::sites::profiles::active_for(&book, &href))
}

/// The page-wide build stops and returns what the actions build needs (`first_use::hand_over`);
/// the actions build's entry calls it through the isolated world both builds share.
#[cfg(not(feature = "actions"))]
#[wasm_bindgen]
pub fn hand_over() -> JsValue {
    // The route stops first (its requests, its port); what it knew goes over.
    first_use::hand_over(lifecycle::stop()).unwrap_or_else(|error| {
        log::feature_error("hand-over", &error);
        JsValue::NULL
    })
}

/// The actions build could not be loaded (its entry says why): the next use tries again.
#[cfg(not(feature = "actions"))]
#[wasm_bindgen]
pub fn actions_failed(why: String) {
    first_use::failed(why);
}

/// The actions build takes the page over from the page-wide build: `hand_over` is that build's
/// function of the same name, called once this build is ready to go on at once.
#[cfg(feature = "actions")]
#[wasm_bindgen]
pub fn take_over(engine: &str, extension_api: JsValue, hand_over: js_sys::Function) {
    browser::set_extension_api(extension_api);
    let engine = engine.to_string();
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(error) = take_over_with_profile(&engine, &hand_over).await {
            log::feature_error("take-over", &error);
        }
    });
}

#[cfg(feature = "actions")]
async fn take_over_with_profile(engine: &str, hand_over: &js_sys::Function) -> Result<(), JsValue> {
    use js_sys::Reflect;
    let stored = profile_for_page().await?;
    // From here on, nothing waits: the page-wide build stops and this one goes on in one task.
    let handed = hand_over.call0(&JsValue::NULL)?;
    let state = Reflect::get(&handed, &"state".into())?
        .as_string()
        .ok_or_else(|| JsValue::from_str("the page-wide build handed over no state"))?;
    let handoff = job_actions::api::json::decode::<crate::handoff::Handoff>(&state)
        .map_err(|why| JsValue::from_str(&format!("the handed-over state is unreadable: {why}")))?;
    let root = dom::root_element()?;
    let Some(stored) = stored else {
        // The profile went while the actions loaded: the page is no longer decorated at all.
        log::info("no site profile covers this page any more; removing the overlay");
        root.remove_attribute(PROFILE_ATTRIBUTE)?;
        return dom::remove_all_hosts();
    };
    let features: Vec<&'static str> = lifecycle::FEATURES.iter().map(|f| f.id).collect();
    dom::adopt_done_records(&Reflect::get(&handed, &"done".into())?, &features);
    controls::adopt_registry(&Reflect::get(&handed, &"controls".into())?);
    controls::adopt_press(Reflect::get(&handed, &"pressed".into())?);
    // `[[kind, control], …]` from this package's own page-wide build.
    let uses = Reflect::get(&handed, &"uses".into())?
        .dyn_into::<js_sys::Array>()
        .unwrap_or_default();
    let uses = uses
        .iter()
        .filter_map(|a_use| {
            let a_use: js_sys::Array = a_use.unchecked_into();
            let kind = controls::FirstUse::from_name(&a_use.get(0).as_string()?)?;
            Some((kind, a_use.get(1).unchecked_into()))
        })
        .collect();
    root.set_attribute(PROFILE_ATTRIBUTE, &stored.profile.name)?;
    root.set_attribute(ACTIONS_ATTRIBUTE, engine)?;
    log::info(&format!("actions loaded on the {engine} engine"));
    route::set_active(stored);
    lifecycle::take_over(handoff, uses)?;
    install_listeners()?;
    keep_focus::adopt_focused();
    Ok(())
}

/// Talc instead of std's dlmalloc: about 5 KB less wasm, on a script every job page loads.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
