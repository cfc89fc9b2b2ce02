//! The overlay's lifecycle on a page. One `Overlay` exists per route: it owns the route's job
//! state, the cancel/delete flow, and an `AbortController` for its requests. A single
//! MutationObserver re-runs every feature's `decorate` when the page changes, and when the URL
//! changed (a single-page app's navigation, back/forward) the old route's overlay is torn down —
//! requests aborted, decorations removed — before the new one is set up.
//!
//! Every job page loads the build without the `actions` feature: it decorates and keeps in sync,
//! and the first use of one of its controls loads the build with them (`first_use.rs`), which
//! takes the page over from it (`stop`, then `take_over`): same route, same job states, same
//! decorations, and that first click or key carried out.

use crate::features::FEATURES;
use crate::route::{route_of, Route};
use crate::ui::toast;
#[cfg(feature = "actions")]
use crate::ui::{busy, dialog, menu};
use crate::{browser, dom, log, sync};
use job_actions::client::ApiClient;
use job_actions::flow::Flow;
#[cfg(feature = "actions")]
use job_actions::flow::{Effect, Event, Request, State};
use job_actions::handoff::Handoff;
use job_actions::idmap::IdMap;
use job_actions::store::JobStore;
use job_actions::sync::list_query;
use job_actions::{ApiError, ClientConfig, Fetched};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{AbortController, EventTarget, MutationObserver, MutationObserverInit};

/// How many overlay hosts one decoration pass may create (each list row needs two), so that a
/// long list is decorated over several short tasks and the page stays responsive.
const HOSTS_PER_PASS: u32 = 120;

pub struct Overlay {
    /// The URL this overlay was set up for.
    pub href: String,
    pub origin: String,
    pub route: Route,
    pub store: RefCell<JobStore>,
    /// Each job's cancel/delete flow (the job page's one, or any list row's).
    flows: RefCell<IdMap<Flow>>,
    /// The job whose dialog is on screen, if any.
    #[cfg(feature = "actions")]
    pub dialog_job: RefCell<Option<String>>,
    /// The job whose row menu is open, if any.
    pub menu_job: RefCell<Option<String>>,
    /// Jobs whose deletion the server did not confirm within 60 s (PRD §7.4): their rows are
    /// back, marked "Deletion pending".
    pub unconfirmed_deletions: RefCell<Vec<String>>,
    /// A selector for the control that opened the dialog, to give focus back to.
    #[cfg(feature = "actions")]
    pub trigger: RefCell<Option<String>>,
    /// The port to the background, once the first load is done (live status, issue #9).
    pub link: RefCell<Option<job_actions::port::Port>>,
    /// The route's first load is done.
    loaded: std::cell::Cell<bool>,
    /// A follow-up decoration pass is scheduled.
    continuation: std::cell::Cell<bool>,
    /// The list's rows as this decoration pass read them (every list feature walks them; the
    /// page is read once per pass).
    pass_rows: RefCell<Option<Rc<crate::selectors::Rows>>>,
    pub client: ApiClient,
    abort: AbortController,
}

thread_local! {
    static CURRENT: RefCell<Option<Rc<Overlay>>> = const { RefCell::new(None) };
}

/// The overlay of the current route, if one is set up.
pub fn current() -> Option<Rc<Overlay>> {
    CURRENT.with(|current| current.borrow().clone())
}

impl Overlay {
    fn new(href: String, path: &str, origin: String) -> Result<Overlay, JsValue> {
        let abort = AbortController::new()?;
        let stored = crate::route::active();
        let api_base = stored.profile.api_base_for(&origin);
        let token = job_actions::profiles::token_for(&stored, &origin, &api_base);
        let config = ClientConfig::new(&api_base)
            .map_err(|e| JsValue::from_str(&e))?
            .with_token(token.map(str::to_string));
        let client = ApiClient::new(config);
        #[cfg(feature = "actions")]
        let client = match api_base.strip_prefix(origin.as_str()) {
            // Writes to the page's own app carry its CSRF token (issue #19); another origin's
            // API never sees it.
            Some(path) if path.starts_with('/') => {
                let csrf = stored.profile.csrf.clone();
                client.with_csrf(Rc::new(move || crate::browser::page_csrf(&csrf)))
            }
            _ => client,
        };
        let client = client.abortable(&abort.signal());
        Ok(Overlay {
            href,
            origin,
            route: route_of(path),
            store: RefCell::new(JobStore::default()),
            flows: RefCell::new(IdMap::new()),
            #[cfg(feature = "actions")]
            dialog_job: RefCell::new(None),
            menu_job: RefCell::new(None),
            unconfirmed_deletions: RefCell::new(Vec::new()),
            #[cfg(feature = "actions")]
            trigger: RefCell::new(None),
            link: RefCell::new(None),
            loaded: std::cell::Cell::new(false),
            continuation: std::cell::Cell::new(false),
            pass_rows: RefCell::new(None),
            client,
            abort,
        })
    }

    /// A new time for this tab's store, on the clock every tab and the background share.
    pub fn tick(&self) -> u64 {
        self.store.borrow_mut().tick_at(browser::now_ms())
    }

    /// The job a detail page shows.
    pub fn job_id(&self) -> Option<&str> {
        match &self.route {
            Route::Detail { job_id } => Some(job_id),
            _ => None,
        }
    }

    /// The list's rows with their job ids (`selectors::rows`), read once per decoration pass.
    /// Decorating changes nothing a row selector or a row id reads: hosts go inside rows.
    pub fn rows(&self) -> Result<Rc<crate::selectors::Rows>, JsValue> {
        if let Some(rows) = self.pass_rows.borrow().as_ref() {
            return Ok(Rc::clone(rows));
        }
        let rows = Rc::new(crate::selectors::rows(&dom::root_element()?)?);
        *self.pass_rows.borrow_mut() = Some(Rc::clone(&rows));
        Ok(rows)
    }

    /// A job's list row: from this pass's rows during a decoration pass, else read now (and not
    /// kept: the host may change its rows before the next pass).
    pub fn row_of(&self, job_id: &str) -> Option<web_sys::Element> {
        let cached = self.pass_rows.borrow().clone();
        let rows = match cached {
            Some(rows) => rows,
            None => Rc::new(crate::selectors::rows(&dom::root_element().ok()?).ok()?),
        };
        crate::selectors::row_of(&rows, job_id)
    }

    /// A job's flow as it is now.
    pub fn flow(&self, job_id: &str) -> Flow {
        self.flows.borrow().get(job_id).cloned().unwrap_or_default()
    }

    /// Feeds an event to a job's flow; returns what must happen next.
    #[cfg(feature = "actions")]
    pub fn handle(&self, job_id: &str, event: Event) -> Vec<Effect> {
        if matches!(event, Event::Open { .. }) {
            *self.dialog_job.borrow_mut() = Some(job_id.to_string());
        }
        let mut flows = self.flows.borrow_mut();
        let flow = flows.get_or_insert_with(job_id, Flow::default);
        let effects = flow.handle(event);
        if matches!(flow.state, State::Deleted) && self.route == Route::List {
            // A list row can be acted on again only if the job comes back; start afresh then.
            flows.remove(job_id);
        }
        effects
    }

    /// The title to show for a job: the API's, or nothing yet.
    pub fn title_of(&self, job_id: &str) -> String {
        self.store
            .borrow()
            .get(job_id)
            .map(|job| job.title.clone())
            .unwrap_or_default()
    }

    /// Makes the page match the state: every feature, then the dialog and the busy screen. One
    /// failing feature is logged and the others still run.
    pub fn decorate(&self) {
        dom::begin_pass(HOSTS_PER_PASS);
        let timing = browser::PassTiming::start();
        // Each pass reads the page afresh (it runs because the page or the state changed), and
        // no rows are kept between passes: the host may drop them meanwhile.
        self.pass_rows.borrow_mut().take();
        for feature in FEATURES {
            if let Err(error) = (feature.decorate)(self) {
                log::feature_error(feature.id, &error);
            }
        }
        // The open menu finds its row among this pass's rows (page-wide hosts change no row).
        #[cfg(feature = "actions")]
        if let Err(error) = self.render_page_ui() {
            log::feature_error("dialog", &error);
        }
        self.pass_rows.borrow_mut().take();
        timing.finish();
        if dom::pass_deferred() && !self.continuation.replace(true) {
            let href = self.href.clone();
            browser::after(0, move || {
                if let Some(overlay) = current().filter(|overlay| overlay.href == href) {
                    overlay.continuation.set(false);
                    overlay.decorate();
                }
            });
        }
    }

    #[cfg(feature = "actions")]
    fn render_page_ui(&self) -> Result<(), JsValue> {
        let dialog_job = self.dialog_job.borrow().clone();
        let flow = dialog_job
            .as_deref()
            .map(|job_id| self.flow(job_id))
            .unwrap_or_default();
        let title = dialog_job
            .as_deref()
            .map(|job_id| self.title_of(job_id))
            .unwrap_or_default();
        if let Some(shadow) = dialog::render(&flow, &title)? {
            dialog::focus_initial(&shadow);
        }
        menu::render(self)?;
        // The whole page waits only on a job's own page; on the list the row disappears instead.
        let page_flow = self
            .job_id()
            .map(|job_id| self.flow(job_id))
            .unwrap_or_default();
        let deleting = matches!(
            page_flow.state,
            State::Sending {
                request: Request::Delete { .. },
                ..
            } | State::Deleted
        );
        busy::render(deleting.then_some("Deleting…"))
    }

    pub fn is_current(&self) -> bool {
        !self.abort.signal().aborted()
    }

    fn teardown(&self) {
        self.stop();
        if let Err(error) = dom::remove_all_hosts() {
            log::feature_error("teardown", &error);
        }
    }

    /// Aborts the route's requests and disconnects its port (the background stops polling for
    /// it); its decorations stay.
    fn stop(&self) {
        self.abort.abort();
        self.link.borrow_mut().take();
    }

    /// Where this API's typed reasons wait (the popup uses the same keys).
    #[cfg(feature = "actions")]
    pub fn reason_key_prefix(&self) -> String {
        job_actions::flow::reason_key_prefix(&self.client.config().api_base)
    }

    /// Puts reasons typed before a reload back into their jobs' flows.
    #[cfg(feature = "actions")]
    async fn restore_reasons(&self) {
        let Ok(entries) = browser::session_entries(&self.reason_key_prefix()).await else {
            return;
        };
        let mut flows = self.flows.borrow_mut();
        for (job_id, reason) in entries {
            flows.get_or_insert_with(&job_id, Flow::default).reason = reason;
        }
    }

    /// Loads the route's jobs from the API, then decorates again with them.
    async fn load(self: Rc<Self>) {
        #[cfg(feature = "actions")]
        self.restore_reasons().await;
        self.first_load().await;
    }

    /// Reads the route's jobs, decorates with them, and connects the route to the background.
    async fn first_load(self: Rc<Self>) {
        let as_of = self.tick();
        let result = match &self.route {
            Route::List => self
                .client
                .list_jobs(&list_query(), None)
                .await
                .map(|fetched| {
                    if let Fetched::Fresh { value, .. } = fetched {
                        sync::warn_unknown_phases(&self.route, &value);
                        self.store.borrow_mut().offer_all(value, as_of);
                    }
                }),
            Route::Detail { job_id } => self.client.get_job(job_id, None).await.map(|fetched| {
                if let Fetched::Fresh { value, .. } = fetched {
                    sync::warn_unknown_phases(&self.route, std::slice::from_ref(&value));
                    self.store.borrow_mut().offer(value, as_of);
                }
            }),
            Route::Other => return,
        };
        if !self.is_current() {
            return;
        }
        match result {
            Ok(()) => {
                // From here the passes decorate with the API's data (the bench measures how long
                // until every row shows it).
                browser::mark("job-actions:data");
                self.loaded.set(true);
                self.decorate();
                sync::connect_overlay(&self);
            }
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
    if let Some(overlay) = current().filter(|overlay| overlay.href == href) {
        overlay.decorate();
        return Ok(());
    }
    let overlay = Rc::new(Overlay::new(href, &path, origin.clone())?);
    if let Some(previous) = CURRENT.with(|current| current.replace(Some(Rc::clone(&overlay)))) {
        previous.teardown();
        #[cfg(not(feature = "actions"))]
        crate::first_use::route_changed();
    }
    // The load's first step sends the API request; the first pass runs right after it (still in
    // this task), so the API works on the answer while the pass draws, not after it.
    wasm_bindgen_futures::spawn_local(Rc::clone(&overlay).load());
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
    _on_mutation: Closure<dyn FnMut()>,
}

thread_local! {
    static WATCHERS: RefCell<Option<Watchers>> = const { RefCell::new(None) };
    /// The page was handed over to the actions build: this build does nothing more.
    static STOPPED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn watch() -> Result<(), JsValue> {
    #[cfg(feature = "actions")]
    crate::events::install()?;
    #[cfg(not(feature = "actions"))]
    crate::first_use::install()?;
    // Mutation callbacks are microtasks: decorating inside them would chain every pass (and the
    // mutations it causes) into one long task. Decorate in a new task instead, once per burst.
    let on_mutation = Closure::<dyn FnMut()>::new(schedule_sync);
    let observer = MutationObserver::new(on_mutation.as_ref().unchecked_ref())?;
    let options = MutationObserverInit::new();
    options.set_child_list(true);
    options.set_subtree(true);
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
    match CURRENT.with(|current| current.borrow_mut().take()) {
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
/// done or redone, then `first_use` — the click or key that asked for this build — carried out.
#[cfg(feature = "actions")]
pub fn take_over(
    handoff: Handoff,
    mut first_use: Option<(crate::controls::FirstUse, web_sys::Element)>,
) -> Result<(), JsValue> {
    let (href, path, origin) = location()?;
    if handoff.href != href {
        // The URL changed while this build loaded (after the page-wide build last looked): the
        // old route's decorations go with it, and so does a use made on them.
        dom::remove_all_hosts()?;
        if first_use.take().is_some() {
            log::info(crate::controls::FIRST_USE_DROPPED);
        }
    }
    let handoff = handoff.for_page(&href);
    let overlay = Rc::new(Overlay::new(href, &path, origin)?);
    *overlay.store.borrow_mut() = handoff.store;
    if let Some(previous) = CURRENT.with(|current| current.replace(Some(Rc::clone(&overlay)))) {
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
        } else {
            Rc::clone(&overlay).first_load().await;
        }
        if let Some((first_use, element)) = first_use {
            crate::events::replay(first_use, element);
        }
    });
    Ok(())
}
