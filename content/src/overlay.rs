//! The overlay's lifecycle on a page. One `Overlay` exists per route: it owns the route's job
//! state and an `AbortController` for its requests. A single MutationObserver re-runs every
//! feature's `decorate` when the page changes, and when the URL changed (a single-page app's
//! navigation, back/forward) the old route's overlay is torn down — requests aborted, decorations
//! removed — before the new one is set up.

use crate::features::FEATURES;
use crate::route::{route_of, Route};
use crate::store::JobStore;
use crate::{dom, log};
use job_actions::client::ApiClient;
use job_actions::{ApiError, ClientConfig, Fetched, ListQuery};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{AbortController, MutationObserver, MutationObserverInit};

/// How many jobs the list page asks for at once.
const LIST_LIMIT: u32 = 1_000;

pub struct Overlay {
    /// The URL this overlay was set up for.
    pub href: String,
    pub route: Route,
    pub store: RefCell<JobStore>,
    client: ApiClient,
    abort: AbortController,
}

thread_local! {
    static CURRENT: RefCell<Option<Rc<Overlay>>> = const { RefCell::new(None) };
}

impl Overlay {
    fn new(href: String, path: &str, origin: &str) -> Result<Overlay, JsValue> {
        let abort = AbortController::new()?;
        let config =
            ClientConfig::new(&format!("{origin}/api")).map_err(|e| JsValue::from_str(&e))?;
        let client = ApiClient::new(config).abortable(&abort.signal());
        Ok(Overlay {
            href,
            route: route_of(path),
            store: RefCell::new(JobStore::default()),
            client,
            abort,
        })
    }

    /// Runs every feature; one failing feature is logged and the others still run.
    pub fn decorate(&self) {
        for feature in FEATURES {
            if let Err(error) = (feature.decorate)(self) {
                log::feature_error(feature.id, &error);
            }
        }
    }

    fn is_current(&self) -> bool {
        !self.abort.signal().aborted()
    }

    fn teardown(&self) {
        self.abort.abort();
        if let Err(error) = dom::remove_all_hosts() {
            log::feature_error("teardown", &error);
        }
    }

    /// Loads the route's jobs from the API, then decorates again with them.
    async fn load(self: Rc<Self>) {
        let result = match &self.route {
            Route::List => {
                let query = ListQuery {
                    limit: Some(LIST_LIMIT),
                    phase: None,
                };
                self.client.list_jobs(&query, None).await.map(|fetched| {
                    if let Fetched::Fresh { value, .. } = fetched {
                        self.store.borrow_mut().put_all(value);
                    }
                })
            }
            Route::Detail { job_id } => self.client.get_job(job_id, None).await.map(|fetched| {
                if let Fetched::Fresh { value, .. } = fetched {
                    self.store.borrow_mut().put(value);
                }
            }),
            Route::Other => return,
        };
        if !self.is_current() {
            return;
        }
        match result {
            Ok(()) => self.decorate(),
            Err(ApiError::Aborted) => {}
            Err(error) => log::warn(&format!("could not load jobs: {error}")),
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
    let current = CURRENT.with(|current| current.borrow().clone());
    if let Some(overlay) = current.filter(|overlay| overlay.href == href) {
        overlay.decorate();
        return Ok(());
    }
    let overlay = Rc::new(Overlay::new(href, &path, &origin)?);
    if let Some(previous) = CURRENT.with(|current| current.replace(Some(Rc::clone(&overlay)))) {
        previous.teardown();
    }
    overlay.decorate();
    wasm_bindgen_futures::spawn_local(Rc::clone(&overlay).load());
    Ok(())
}

fn sync_or_log() {
    if let Err(error) = sync_with_location() {
        log::feature_error("lifecycle", &error);
    }
}

/// Starts watching the page: decorates now, on every DOM change, and on history navigation.
pub fn start() -> Result<(), JsValue> {
    sync_with_location()?;
    let on_mutation = Closure::<dyn FnMut()>::new(sync_or_log);
    let observer = MutationObserver::new(on_mutation.as_ref().unchecked_ref())?;
    let options = MutationObserverInit::new();
    options.set_child_list(true);
    options.set_subtree(true);
    observer.observe_with_options(&dom::root_element()?.into(), &options)?;
    // Back/forward in a single-page app changes the URL without necessarily touching the DOM.
    let on_popstate = Closure::<dyn FnMut()>::new(sync_or_log);
    web_sys::window()
        .ok_or_else(|| JsValue::from_str("no window"))?
        .add_event_listener_with_callback("popstate", on_popstate.as_ref().unchecked_ref())?;
    // Both live as long as the page: the observer and listener hold them.
    on_mutation.forget();
    on_popstate.forget();
    std::mem::forget(observer);
    Ok(())
}
