//! The overlay's lifecycle on a page: the decoration pass (every feature, then the page-wide UI),
//! the route's first load, and following the page — a single MutationObserver re-runs the pass
//! when the page changes, and when the URL changed (a single-page app's navigation, back/forward)
//! the old route's overlay is torn down — requests aborted, decorations removed — before the new
//! one is set up.
//!
//! Every job page loads the build without the `actions` feature: it decorates and keeps in sync,
//! and the first use of one of its controls loads the build with them (`first_use.rs`), which
//! takes the page over from it (`stop`, then `take_over`): same route, same job states, same
//! decorations, and that first click or key carried out.
//!
//! The only module that knows `FEATURES` and the UI: features, UI and actions read and change the
//! route's context (`overlay.rs`) and ask it for a pass; this module installs what a pass is.

use crate::features::{
    cancellation_info, detail_actions, phase_badge, row_menu, row_state, select_all, Feature,
};
use crate::handoff::Handoff;
use crate::overlay::{self, Overlay};
use crate::route::Route;
use crate::ui::toast;
use crate::{browser, dom, log, sync};
#[cfg(not(feature = "actions"))]
use job_actions::jobs::store::JobStore;
use job_actions::live::sync::list_query;
use job_actions::{ApiError, Fetched};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{EventTarget, MutationObserver, MutationObserverInit};

/// Every feature, in the order they decorate.
pub const FEATURES: &[Feature] = &[
    phase_badge::FEATURE,
    detail_actions::FEATURE,
    cancellation_info::FEATURE,
    row_menu::FEATURE,
    row_state::FEATURE,
    select_all::FEATURE,
];

/// How long one pass may spend creating hosts (two per list row): a long list is decorated over
/// a few tasks, each, with the rest of its pass, well under the 50 ms of a long task.
const CREATION_BUDGET_MS: f64 = 25.0;

/// The decoration pass (`Overlay::decorate` runs it): makes the page match the state — every
/// feature, then the dialog and the busy screen; one failing feature is logged, the rest run.
fn pass(overlay: &Overlay) {
    dom::begin_pass(CREATION_BUDGET_MS);
    let timing = browser::PassTiming::start();
    // A pass reads the page afresh, unless it goes on with one that ran out of time and the
    // page has not changed since (the observer says when it does).
    overlay.begin_rows();
    for feature in FEATURES {
        if let Err(error) = (feature.decorate)(overlay) {
            log::feature_error(feature.id, &error);
        }
    }
    // The rows' new hosts go onto the page before the page-wide UI looks for them (the open
    // menu sits under its row's button).
    let deferred = dom::end_pass().unwrap_or_else(|error| {
        log::feature_error("hosts", &error);
        false
    });
    // The open menu finds its row among this pass's rows (page-wide hosts change no row).
    #[cfg(feature = "actions")]
    if let Err(error) = crate::page_ui::render(overlay) {
        log::feature_error("dialog", &error);
    }
    overlay.end_rows(deferred);
    timing.finish();
    if deferred && !overlay.continuation.replace(true) {
        let href = overlay.href.clone();
        browser::after(0, move || {
            if let Some(overlay) = overlay::current().filter(|overlay| overlay.href == href) {
                overlay.continuation.set(false);
                overlay.continue_decorating();
            }
        });
    }
}

/// Loads the route's jobs from the API, then decorates again with them.
async fn load(overlay: Rc<Overlay>) {
    #[cfg(feature = "actions")]
    overlay.restore_reasons().await;
    first_load(Rc::clone(&overlay)).await;
    #[cfg(not(feature = "actions"))]
    resume_waiting_deletes(&overlay).await;
}

/// A Cancel & Delete confirmed in an earlier view of a job this page shows, still waiting for the
/// workers (issue #23): the actions build carries it out, so it loads now, not on a first click.
#[cfg(not(feature = "actions"))]
async fn resume_waiting_deletes(overlay: &Overlay) {
    let prefix = job_actions::jobs::flow::delete_key_prefix(&overlay.client.config().api_base);
    let Ok(waiting) = browser::session_entries(&prefix).await else {
        return;
    };
    let store = overlay.store.borrow();
    if waiting
        .iter()
        .any(|(job_id, _)| store.get(job_id).is_some())
        && overlay.is_current()
    {
        crate::first_use::load();
    }
}

/// Reads the route's jobs, decorates with them, and connects the route to the background.
async fn first_load(overlay: Rc<Overlay>) {
    let as_of = overlay.tick();
    let result = match &overlay.route {
        Route::List => overlay
            .client
            .list_jobs(&list_query(), None)
            .await
            .map(|fetched| {
                if let Fetched::Fresh { value, .. } = fetched {
                    sync::warn_unknown_phases(&overlay.route, &value);
                    overlay.store.borrow_mut().offer_all(value, as_of);
                }
            }),
        Route::Detail { job_id } => overlay.client.get_job(job_id, None).await.map(|fetched| {
            if let Fetched::Fresh { value, .. } = fetched {
                sync::warn_unknown_phases(&overlay.route, std::slice::from_ref(&value));
                overlay.store.borrow_mut().offer(value, as_of);
            }
        }),
        Route::Other => return,
    };
    if !overlay.is_current() {
        return;
    }
    match result {
        Ok(()) => {
            // The data's mark (the bench measures from it). A list's answer was parsed in this
            // task: its pass runs in the next, so neither is a long task (together 53–64 ms).
            browser::mark("job-actions:data");
            overlay.loaded.set(true);
            let list = overlay.route == Route::List;
            let draw = move || {
                if overlay.is_current() {
                    overlay.decorate();
                    sync::connect_overlay(&overlay);
                    #[cfg(feature = "actions")]
                    crate::actions::jobs_changed(&overlay);
                }
            };
            if !list {
                return draw();
            }
            browser::after(0, draw);
        }
        Err(ApiError::Aborted) => {}
        Err(error) => {
            log::warn(&format!("could not load jobs: {error}"));
            // The loading states give way: the API will not say more here.
            overlay.load_failed.set(true);
            overlay.decorate();
        }
    }
}

fn location() -> Result<(String, String, String), JsValue> {
    let location = dom::document()
        .location()
        .ok_or_else(|| JsValue::from_str("the document has no location"))?;
    Ok((location.href()?, location.pathname()?, location.origin()?))
}

/// Sets up the overlay for the current URL if it changed (or none exists yet), then decorates.
fn sync_with_location() -> Result<(), JsValue> {
    let (href, path, origin) = location()?;
    if let Some(overlay) = overlay::current().filter(|overlay| overlay.href == href) {
        overlay.decorate();
        return Ok(());
    }
    let overlay = Rc::new(Overlay::new(href, &path, origin.clone())?);
    if let Some(previous) = overlay::set_current(Some(Rc::clone(&overlay))) {
        #[cfg(feature = "actions")]
        let left = crate::bulk::left(&previous);
        previous.teardown();
        // What became of a bulk run the route left, said on the new one.
        #[cfg(feature = "actions")]
        if let Some(toast) = left {
            if let Err(error) = toast::show(&toast) {
                log::feature_error("toasts", &error);
            }
        }
    }
    // The load's first step sends the API request; the first pass runs right after it (still in
    // this task), so the API works on the answer while the pass draws, not after it.
    wasm_bindgen_futures::spawn_local(load(Rc::clone(&overlay)));
    let first = Rc::clone(&overlay);
    wasm_bindgen_futures::spawn_local(async move { first.decorate() });
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(error) = toast::show_carried(&origin).await {
            log::feature_error("toasts", &error);
        }
    });
    Ok(())
}

thread_local! {
    static SYNC_SCHEDULED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn schedule_sync() {
    if !SYNC_SCHEDULED.with(|scheduled| scheduled.replace(true)) {
        browser::after(0, || {
            SYNC_SCHEDULED.with(|scheduled| scheduled.set(false));
            sync_or_log();
        });
    }
}

fn sync_or_log() {
    // Handed over: the actions build follows the page now.
    if STOPPED.with(std::cell::Cell::get) {
        return;
    }
    if let Err(error) = sync_with_location() {
        log::feature_error("lifecycle", &error);
    }
}

/// Starts watching the page: decorates now, on every DOM change, and on history navigation.
pub fn start() -> Result<(), JsValue> {
    overlay::set_pass(pass);
    sync_with_location()?;
    watch()
}

/// A listener with its target and event name.
type Listener = (EventTarget, &'static str, Closure<dyn FnMut()>);

/// What keeps the overlay following the page; kept so that the page-wide build can let go of
/// the page when the actions build takes it over (the actions build only keeps them).
#[cfg_attr(feature = "actions", allow(dead_code))]
struct Watchers {
    observer: MutationObserver,
    listeners: Vec<Listener>,
    _on_mutation: Closure<dyn FnMut(js_sys::Array)>,
}

thread_local! {
    static WATCHERS: RefCell<Option<Watchers>> = const { RefCell::new(None) };
    /// The page was handed over to the actions build: this build does nothing more.
    static STOPPED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn watch() -> Result<(), JsValue> {
    // Mutation callbacks are microtasks: decorating inside them would chain every pass (and the
    // mutations it causes) into one long task. Decorate in a new task instead, once per burst.
    // The callback comes before any task after the change, so a pass never goes on with rows
    // read before it. The hosts a pass put onto the page are no change to follow: the pass that
    // made them drew them (a pass after each insertion cost a 1,000-row list a whole pass more).
    let on_mutation = Closure::<dyn FnMut(js_sys::Array)>::new(|records: js_sys::Array| {
        if dom::with_hosts_made(|made| only_hosts_added(&records, made)) {
            return;
        }
        if let Some(overlay) = overlay::current() {
            overlay.page_changed();
        }
        schedule_sync();
    });
    let observer = MutationObserver::new(on_mutation.as_ref().unchecked_ref())?;
    let options = MutationObserverInit::new();
    options.set_child_list(true);
    options.set_subtree(true);
    // A row the page reuses for another job (a virtualised list) changes only where its id is
    // read: that must bring a pass too, or the row keeps the other job's controls.
    let stored = crate::route::active();
    let (attributes, text) = job_actions::sites::profiles::id_sources(&stored.profile.rows);
    if !attributes.is_empty() {
        options.set_attributes(true);
        let filter: js_sys::Array = attributes
            .iter()
            .map(|name| JsValue::from_str(name))
            .collect();
        options.set_attribute_filter(&filter);
    }
    options.set_character_data(text);
    observer.observe_with_options(&dom::root_element()?.into(), &options)?;
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    // Back/forward in a single-page app changes the URL without necessarily touching the DOM.
    let mut listeners: Vec<Listener> =
        vec![(window.clone().into(), "popstate", Closure::new(sync_or_log))];
    // Route changes by `history.pushState`/`replaceState` fire no event a content script can
    // hear, except through the Navigation API (Chromium 102+, Firefox 147+): its
    // `currententrychange` fires for every same-document navigation, back/forward included.
    // Where it is missing, the MutationObserver above notices the new route's render instead.
    let navigation = js_sys::Reflect::get(&window, &"navigation".into())?;
    if let Ok(navigation) = navigation.dyn_into::<EventTarget>() {
        listeners.push((
            navigation,
            "currententrychange",
            Closure::new(schedule_sync),
        ));
    }
    for (target, name, listener) in &listeners {
        target.add_event_listener_with_callback(name, listener.as_ref().unchecked_ref())?;
    }
    WATCHERS.with(|watchers| {
        *watchers.borrow_mut() = Some(Watchers {
            observer,
            listeners,
            _on_mutation: on_mutation,
        })
    });
    Ok(())
}

// Whether every record is of hosts this build made (`made`) going onto the page, and nothing
// else: no removal (a page that takes a host away, or moves it, gets it drawn again), no other
// node. In JavaScript: one call, where each record's parts would be one import each.
#[wasm_bindgen::prelude::wasm_bindgen(
    inline_js = "export function only_hosts_added(records, made) {
  return records.every((record) => record.type === 'childList' && record.removedNodes.length === 0
    && record.addedNodes.length > 0 && [...record.addedNodes].every((node) => made.has(node)));
}"
)]
extern "C" {
    fn only_hosts_added(records: &js_sys::Array, made: &js_sys::WeakSet) -> bool;
}

/// Lets go of the page for the actions build (`first_use::hand_over`): no more listening or
/// requests here, decorations left as they are. Returns what the actions build needs.
#[cfg(not(feature = "actions"))]
pub fn stop() -> Handoff {
    STOPPED.with(|stopped| stopped.set(true));
    if let Some(watchers) = WATCHERS.with(|watchers| watchers.borrow_mut().take()) {
        watchers.observer.disconnect();
        for (target, name, listener) in &watchers.listeners {
            let _ =
                target.remove_event_listener_with_callback(name, listener.as_ref().unchecked_ref());
        }
    }
    match overlay::set_current(None) {
        Some(overlay) => {
            overlay.stop();
            Handoff {
                href: overlay.href.clone(),
                loaded: overlay.loaded.get(),
                store: overlay.store.take(),
            }
        }
        None => Handoff {
            href: location().map(|(href, _, _)| href).unwrap_or_default(),
            loaded: false,
            store: JobStore::default(),
        },
    }
}

/// Takes the page over from the page-wide build, which stopped and handed over `handoff`: the
/// same route with the same job states (its decorations are reused as they are), its first load
/// done or redone, then `uses` — the clicks or keys that asked for this build — carried out.
#[cfg(feature = "actions")]
pub fn take_over(
    handoff: Handoff,
    mut uses: Vec<(crate::controls::FirstUse, web_sys::Element)>,
) -> Result<(), JsValue> {
    let (href, path, origin) = location()?;
    if handoff.href != href {
        // The URL changed while this build loaded (after the page-wide build last looked): the
        // old route's decorations go with it, and so does a use made on them.
        dom::remove_all_hosts()?;
        if !std::mem::take(&mut uses).is_empty() {
            log::info(crate::controls::FIRST_USE_DROPPED);
        }
    }
    let handoff = handoff.for_page(&href);
    overlay::set_pass(pass);
    sync::on_jobs_changed(crate::actions::jobs_changed);
    let overlay = Rc::new(Overlay::new(href, &path, origin)?);
    *overlay.store.borrow_mut() = handoff.store;
    if let Some(previous) = overlay::set_current(Some(Rc::clone(&overlay))) {
        previous.teardown();
    }
    watch()?;
    overlay.decorate();
    wasm_bindgen_futures::spawn_local(async move {
        // Reasons first: the dialog that click opens shows the one kept for its job.
        overlay.restore_reasons().await;
        if !overlay.is_current() {
            return;
        }
        if handoff.loaded {
            overlay.loaded.set(true);
            sync::connect_overlay(&overlay);
            crate::actions::jobs_changed(&overlay);
        } else {
            first_load(Rc::clone(&overlay)).await;
        }
        crate::events::replay(uses);
    });
    Ok(())
}
