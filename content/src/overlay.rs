//! The context of one route: what features, the UI and the actions read and change. One `Overlay`
//! exists per route: it owns the route's job state, the cancel/delete flows, the port to the
//! background and an `AbortController` for its requests. It knows no feature and no UI:
//! `decorate` runs the pass `lifecycle.rs` installed, which does.

use crate::route::{route_of, Route};
use crate::{browser, dom, log};
use job_actions::api::client::ApiClient;
use job_actions::jobs::flow::Flow;
#[cfg(feature = "actions")]
use job_actions::jobs::flow::{Effect, Event, State};
use job_actions::jobs::idmap::IdMap;
use job_actions::jobs::store::JobStore;
use job_actions::ClientConfig;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::AbortController;

pub struct Overlay {
    /// The URL this overlay was set up for.
    pub href: String,
    pub origin: String,
    pub route: Route,
    pub store: RefCell<JobStore>,
    /// Each job's cancel/delete flow (the job page's one, or any list row's).
    pub(crate) flows: RefCell<IdMap<Flow>>,
    /// The job whose dialog is on screen, if any.
    #[cfg(feature = "actions")]
    pub dialog_job: RefCell<Option<String>>,
    /// The job whose row menu is open, if any.
    pub menu_job: RefCell<Option<String>>,
    /// The jobs chosen on the list for a bulk action (issue #24): a new route starts with none.
    pub selection: RefCell<job_actions::jobs::selection::Selection>,
    /// The bulk action being confirmed or run, kept after it finished for its summary.
    #[cfg(feature = "actions")]
    pub bulk: RefCell<Option<job_actions::jobs::bulk_stage::Stage>>,
    /// Jobs whose deletion the server did not confirm within 60 s (PRD §7.4): their rows are
    /// back, marked "Deletion pending".
    pub unconfirmed_deletions: RefCell<Vec<String>>,
    /// A selector for the control that opened the dialog, to give focus back to.
    #[cfg(feature = "actions")]
    pub trigger: RefCell<Option<String>>,
    /// The port to the background, once the first load is done (live status, issue #9).
    pub link: RefCell<Option<job_actions::live::port::Port>>,
    /// The route's first load is done.
    pub loaded: std::cell::Cell<bool>,
    /// The route's first load failed (the API did not answer with the jobs): nothing is loading.
    pub load_failed: std::cell::Cell<bool>,
    /// A follow-up decoration pass is scheduled.
    pub continuation: std::cell::Cell<bool>,
    /// This pass continues the last one with nothing changed since but the hosts that one
    /// created: rows it recorded are skipped unread (`skips`).
    pub only_new: std::cell::Cell<bool>,
    /// The list's rows as this decoration pass read them (every list feature walks them; the
    /// page is read once per pass).
    pass_rows: RefCell<Option<Rc<crate::selectors::Rows>>>,
    /// The rows a pass that ran out of time read, for the passes that go on creating its hosts
    /// (a 1,000-row list's take a dozen): while the page has not changed, they need not read
    /// every row's id again. Any change the lifecycle watches drops them (`page_changed`).
    kept_rows: RefCell<Option<Rc<crate::selectors::Rows>>>,
    pub client: ApiClient,
    abort: AbortController,
}

thread_local! {
    static CURRENT: RefCell<Option<Rc<Overlay>>> = const { RefCell::new(None) };
    /// The decoration pass (`lifecycle::pass`), installed when the lifecycle starts.
    static PASS: std::cell::Cell<Option<fn(&Overlay)>> = const { std::cell::Cell::new(None) };
    /// How many `Overlay::holding_passes` are under way, and whether a pass was asked for
    /// meanwhile.
    static HELD: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    static WANTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The overlay of the current route, if one is set up.
pub fn current() -> Option<Rc<Overlay>> {
    CURRENT.with(|current| current.borrow().clone())
}

/// Makes `overlay` the current route's (none: the page was handed over); returns the previous one.
pub fn set_current(overlay: Option<Rc<Overlay>>) -> Option<Rc<Overlay>> {
    CURRENT.with(|current| current.replace(overlay))
}

/// What `Overlay::decorate` runs.
pub fn set_pass(pass: fn(&Overlay)) {
    PASS.with(|installed| installed.set(Some(pass)));
}

impl Overlay {
    pub fn new(href: String, path: &str, origin: String) -> Result<Overlay, JsValue> {
        let abort = AbortController::new()?;
        let stored = crate::route::active();
        let api_base = stored.profile.api_base_for(&origin);
        let token = job_actions::sites::profiles::token_for(&stored, &origin, &api_base);
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
            selection: RefCell::default(),
            #[cfg(feature = "actions")]
            bulk: RefCell::new(None),
            unconfirmed_deletions: RefCell::new(Vec::new()),
            #[cfg(feature = "actions")]
            trigger: RefCell::new(None),
            link: RefCell::new(None),
            loaded: std::cell::Cell::new(false),
            load_failed: std::cell::Cell::new(false),
            continuation: std::cell::Cell::new(false),
            only_new: std::cell::Cell::new(false),
            pass_rows: RefCell::new(None),
            kept_rows: RefCell::new(None),
            client,
            abort,
        })
    }

    /// A new time for this tab's store, on the clock every tab and the background share.
    pub fn tick(&self) -> u64 {
        self.store.borrow_mut().tick_at(browser::now_ms())
    }

    /// The route waits for its first answer from the API: controls show their loading state
    /// (issue #23: a skeleton, `aria-busy`).
    pub fn is_loading(&self) -> bool {
        !self.loaded.get() && !self.load_failed.get()
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
        let mut flows = self.flows.borrow_mut();
        let flow = flows.get_or_insert_with(job_id, Flow::default);
        flow.force_delete_offered = crate::route::active().profile.features.force_delete;
        let effects = flow.handle(event);
        // Whatever opened it (a control, Force Delete on a page just loaded, a Cancel & Delete
        // chosen again while it waits), the open dialog is this job's.
        if flow.dialog().is_some() {
            *self.dialog_job.borrow_mut() = Some(job_id.to_string());
        }
        if matches!(flow.state, State::Deleted) && self.route == Route::List {
            // A list row can be acted on again only if the job comes back; start afresh then.
            flows.remove(job_id);
        }
        effects
    }

    /// What a job's row shows of a bulk run about it ("Deleting…", "Failed"), or nothing.
    pub fn bulk_step(&self, job_id: &str) -> &'static str {
        #[cfg(feature = "actions")]
        if let Some(job_actions::jobs::bulk_stage::Stage::Running { run, .. }) =
            self.bulk.borrow().as_ref()
        {
            return run.row_step(job_id).unwrap_or_default();
        }
        let _ = job_id;
        ""
    }

    /// The ids of the list's rows the page shows, in page order: a deleted job's row is hidden.
    /// What "Select all" and a Shift+click range choose from.
    pub fn shown_job_ids(&self) -> Result<Vec<String>, JsValue> {
        let rows = self.rows()?;
        let store = self.store.borrow();
        Ok(rows
            .iter()
            .filter(|(_, id)| !store.is_deleted(id))
            .map(|(_, id)| id.clone())
            .collect())
    }

    /// The selected jobs the API described, with their phases, in the order chosen (a job it has
    /// not described yet, or one deleted meanwhile, is offered nothing).
    pub fn selected_jobs(&self) -> Vec<(String, job_actions::Phase)> {
        let store = self.store.borrow();
        self.selection
            .borrow()
            .ids()
            .iter()
            .filter_map(|id| store.get(id).map(|job| (id.clone(), job.phase.clone())))
            .collect()
    }

    /// Whether a bulk run is under way (not finished).
    #[cfg(feature = "actions")]
    pub fn bulk_running(&self) -> bool {
        matches!(
            &*self.bulk.borrow(),
            Some(job_actions::jobs::bulk_stage::Stage::Running { run, .. }) if !run.is_finished()
        )
    }

    /// The title to show for a job: the API's, or nothing yet.
    pub fn title_of(&self, job_id: &str) -> String {
        self.store
            .borrow()
            .get(job_id)
            .map(|job| job.title.clone())
            .unwrap_or_default()
    }

    /// The job's title as the overlay shows it: the API's, or its id while it has none.
    pub fn shown_title(&self, job_id: &str) -> String {
        self.store
            .borrow()
            .get(job_id)
            .map_or_else(|| job_id.to_string(), |job| job.shown_title().to_string())
    }

    /// Makes the page match the state: runs the decoration pass the lifecycle installed
    /// (`lifecycle::pass`). Features, the UI and the actions ask for one whenever what they show
    /// changed; none of them knows what a pass runs.
    pub fn decorate(&self) {
        if HELD.get() > 0 {
            return WANTED.set(true);
        }
        if let Some(pass) = PASS.with(std::cell::Cell::get) {
            pass(self);
        }
    }

    /// The pass that continues one which ran out of time for creating hosts: only the rows that
    /// one left undrawn, unless a pass is held (then the held one, in full, runs later).
    pub fn continue_decorating(&self) {
        if HELD.get() > 0 {
            return WANTED.set(true);
        }
        self.only_new.set(true);
        self.decorate();
        self.only_new.set(false);
    }

    /// Whether this pass leaves `element` alone for `feature`, unread: it continues the last one,
    /// which drew the element (or found it drawn), and nothing changed since; or its time for
    /// creating hosts is spent and the element was never drawn (the next pass draws it).
    pub fn skips(&self, element: &web_sys::Element, feature: &'static str) -> bool {
        let recorded = dom::recorded(element, feature);
        (recorded && self.only_new.get()) || (!recorded && dom::out_of_time())
    }

    /// Runs `work` with the passes it asks for held back, then one pass if any was asked for: an
    /// event's effects each ask for one (the dialog closes, the badge changes, a toast shows),
    /// and a pass is the most of what the page pays for the event (1–4 ms on a job's page).
    pub fn holding_passes<T>(&self, work: impl FnOnce() -> T) -> T {
        HELD.set(HELD.get() + 1);
        let out = work();
        HELD.set(HELD.get() - 1);
        if HELD.get() == 0 && WANTED.take() {
            self.decorate();
        }
        out
    }

    /// The pass held back so far, now: before moving focus onto what it draws.
    pub fn draw_held(&self) {
        if WANTED.take() {
            self.draw_now();
        }
    }

    /// A pass now, held or not (and what was held is drawn with it): the server's answer is on
    /// screen before the rest of what it asks for (a toast, messages, a re-read) is done.
    pub fn draw_now(&self) {
        WANTED.set(false);
        if let Some(pass) = PASS.with(std::cell::Cell::get) {
            pass(self);
        }
    }

    /// Drops the rows read outside a pass (`rows`): the host may redraw them before the next.
    pub fn forget_rows(&self) {
        self.pass_rows.borrow_mut().take();
    }

    /// A pass begins: it reads the page afresh (`rows`), or goes on with the rows kept for it.
    pub fn begin_rows(&self) {
        *self.pass_rows.borrow_mut() = self.kept_rows.borrow().clone();
    }

    /// A pass ends: its rows are kept for the pass that goes on creating its hosts (`deferred`).
    pub fn end_rows(&self, deferred: bool) {
        let rows = self.pass_rows.borrow_mut().take();
        *self.kept_rows.borrow_mut() = rows.filter(|_| deferred);
    }

    /// The page changed where a pass reads (its elements, or where a row's id is read): the next
    /// pass reads the rows again.
    pub fn page_changed(&self) {
        self.kept_rows.borrow_mut().take();
    }

    pub fn is_current(&self) -> bool {
        !self.abort.signal().aborted()
    }

    pub fn teardown(&self) {
        self.stop();
        if let Err(error) = dom::remove_all_hosts() {
            log::feature_error("teardown", &error);
        }
    }

    /// Aborts the route's requests and disconnects its port (the background stops polling for
    /// it); its decorations stay.
    pub fn stop(&self) {
        self.abort.abort();
        self.link.borrow_mut().take();
    }

    /// Where this API's typed reasons wait (the popup uses the same keys).
    #[cfg(feature = "actions")]
    pub fn reason_key_prefix(&self) -> String {
        job_actions::jobs::flow::reason_key_prefix(&self.client.config().api_base)
    }

    /// The jobs whose Cancel & Delete waits for the workers, each with its phase as the store has
    /// it now.
    #[cfg(feature = "actions")]
    pub fn waiting_deletes(&self) -> Vec<(String, job_actions::Phase)> {
        let store = self.store.borrow();
        job_actions::jobs::cancel_then_delete::waiting_deletes(&self.flows.borrow(), |job_id| {
            store.get(job_id)
        })
    }

    /// Puts reasons typed before a reload back into their jobs' flows, and the Cancel & Deletes
    /// that wait for their workers (`cancel_then_delete`: this view carries them out).
    #[cfg(feature = "actions")]
    pub async fn restore_reasons(&self) {
        let api_base = &self.client.config().api_base;
        let reasons = browser::session_entries(&self.reason_key_prefix()).await;
        let prefix = job_actions::jobs::flow::delete_key_prefix(api_base);
        let waiting = browser::session_entries(&prefix).await;
        let mut flows = self.flows.borrow_mut();
        for (job_id, reason) in reasons.unwrap_or_default() {
            flows.get_or_insert_with(&job_id, Flow::default).reason = reason;
        }
        for (job_id, _) in waiting.unwrap_or_default() {
            flows
                .get_or_insert_with(&job_id, Flow::default)
                .resume_delete_when_stopped();
        }
    }
}
