//! The job pages' side of a job's cancel/delete flow: feeds events to `flow::Flow` and re-renders;
//! the shared runner (`jobs::effects`) carries out what the flow asks for, through `PageView` —
//! what a page does its own way (its store, its toasts, leaving a deleted job's page, focus).

use crate::overlay::Overlay;
use crate::route::{list_path, Route};
use crate::ui::toast;
use crate::{browser, dom, log, reread, sync};
use job_actions::api::client::ApiClient;
use job_actions::jobs::activity::{self, Entry};
use job_actions::jobs::effects::{self, Gone, View};
use job_actions::jobs::flow::{Effect, Event, Toast};
use job_actions::live::sync::ToHub;
use job_actions::{ApiError, CancelResponse, Job};
use std::future::Future;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

/// Handles one event of a job's flow and everything that follows from it, drawn in one pass at
/// the end (or before focus moves): a confirm's request leaves before the pass that shows it
/// busy, and an answer's effects are drawn once, not once each.
pub fn dispatch(overlay: &Rc<Overlay>, job_id: &str, event: Event) {
    overlay.holding_passes(|| {
        let effects = overlay.handle(job_id, event);
        overlay.decorate();
        run_all(overlay, job_id, effects);
    });
}

/// Carries out effects of an event whose view the caller updates itself (typing a reason: the
/// dialog is updated in place, so the caret stays).
pub fn run_all(overlay: &Rc<Overlay>, job_id: &str, effects: Vec<Effect>) {
    effects::run_all(&PageView(Rc::clone(overlay)), job_id, effects);
}

/// The store changed (the first load, a poll, another tab, a re-read): each Cancel & Delete that
/// waits for its job's workers hears the job's phase, and deletes it once it is terminal; so does
/// a bulk delete's job cancelled first.
pub fn jobs_changed(overlay: &Rc<Overlay>) {
    let waiting = overlay.waiting_deletes();
    for (job_id, phase) in waiting {
        dispatch(overlay, &job_id, Event::Seen(phase));
    }
    // A bulk delete's jobs cancelled first, waiting for their workers.
    job_actions::jobs::bulk_runner::jobs_changed(&PageView(Rc::clone(overlay)));
}

/// A job page or the list, as the shared runner sees it.
#[derive(Clone)]
pub struct PageView(pub Rc<Overlay>);

impl View for PageView {
    type Api = ApiClient;

    fn api(&self) -> Result<ApiClient, ApiError> {
        Ok(self.0.client.clone())
    }
    fn spawn(&self, task: impl Future<Output = ()> + 'static) {
        wasm_bindgen_futures::spawn_local(task);
    }
    fn now_ms(&self) -> u64 {
        browser::now_ms()
    }
    fn sleep(&self, ms: u32) -> impl Future<Output = ()> + 'static {
        browser::sleep(ms)
    }
    fn warn(&self, line: &str) {
        log::warn(line);
    }
    fn keep(&self, key: String, value: String) {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = browser::session_set(&key, &value).await;
        });
    }
    fn is_current(&self) -> bool {
        self.0.is_current()
    }
    fn dispatch(&self, job_id: &str, event: Event) {
        dispatch(&self.0, job_id, event);
    }
    fn tick(&self) -> u64 {
        self.0.tick()
    }
    fn tell_tabs(&self, message: &ToHub) {
        match message {
            ToHub::Deleted { job_ids, as_of } => sync::tell_deleted(&self.0, job_ids, *as_of),
            _ => sync::send(&self.0, message),
        }
    }
    fn apply_cancel(&self, job_id: &str, response: &CancelResponse, as_of: u64) -> Option<Job> {
        let mut store = self.0.store.borrow_mut();
        store.update(job_id, as_of, |job| job.apply_cancel(response));
        let job = store.get(job_id).cloned();
        drop(store);
        // A bulk run draws its rows on its own cadence (`bulk::run_changed`).
        if !self.0.bulk_running() {
            self.0.draw_now();
        }
        job
    }
    fn reread(&self) {
        wasm_bindgen_futures::spawn_local(reread::reread(Rc::clone(&self.0)));
    }
    fn toast(&self, toast: Toast) {
        show(&toast);
    }
    fn job_gone(&self, job_id: &str, as_of: u64, toast: Toast) -> Gone {
        gone(&self.0, job_id, as_of, toast)
    }
    fn after_paint(&self, task: impl FnOnce() + 'static) {
        let overlay = Rc::clone(&self.0);
        crate::frames::after_paint(Box::new(move || overlay.holding_passes(task)));
    }
    fn hand_over_check(&self, answered: &Entry) {
        hand_over(answered, "job-actions:check-deletion");
    }
    fn watch_check(&self, answered: &Entry) {
        hand_over(answered, "job-actions:watch-deletion");
    }
    fn leave(&self, toast: Toast) {
        leave(&self.0, toast);
    }
    fn app(&self) -> String {
        crate::route::active().profile.name.clone()
    }
    fn title(&self, job_id: &str) -> String {
        self.0.shown_title(job_id)
    }
    fn record(&self, entry: &Entry) {
        crate::activity::record(&self.0, activity::entry_json(entry));
    }
    fn restore_focus(&self) {
        restore_focus(&self.0);
    }
    fn forbid(&self, message: String) {
        crate::refusal::refuse(message);
        self.0.decorate();
    }
    fn bring_back(&self, job_id: &str, last: Option<(Job, u64)>) {
        // The row comes back, marked, as the server last described the job.
        let mut store = self.0.store.borrow_mut();
        store.forget_deletion(job_id);
        if let Some((job, as_of)) = last {
            store.offer(job, as_of);
        }
        drop(store);
        self.0
            .unconfirmed_deletions
            .borrow_mut()
            .push(job_id.to_string());
        self.0.decorate();
    }
}

fn show(toast: &Toast) {
    if let Err(error) = toast::show(toast) {
        log::feature_error("toasts", &error);
    }
}

/// On a job's page: carry the toast over and go to the list. On the list: hide the row at once
/// (the runner then confirms with the server that the job is gone, PRD §7.4).
fn gone(overlay: &Overlay, job_id: &str, as_of: u64, toast: Toast) -> Gone {
    if matches!(overlay.route, Route::Detail { .. }) {
        // The runner hands the check over, then `leave`s.
        return Gone::Leaving;
    }
    overlay.store.borrow_mut().remove(job_id, as_of);
    overlay.dialog_job.borrow_mut().take();
    overlay.draw_now();
    // The row leaves in this frame; the toast follows it.
    crate::frames::after_paint(Box::new(move || show(&toast)));
    Gone::Removed
}

/// A job's page whose job is gone goes to the list, its toast carried over.
fn leave(overlay: &Overlay, toast: Toast) {
    let origin = overlay.origin.clone();
    let path = crate::dom::document()
        .location()
        .and_then(|location| location.pathname().ok())
        .unwrap_or_default();
    // The page leaves once its toast's write has started, not finished (issue #22: a delete on a
    // job's page is done when the page leaves): the list's read of it comes after the write.
    match toast::carry_over(&toast, &origin) {
        Ok(writing) => wasm_bindgen_futures::spawn_local(async move {
            if let Err(error) = wasm_bindgen_futures::JsFuture::from(writing).await {
                log::feature_error("toasts", &error);
            }
        }),
        Err(error) => log::feature_error("toasts", &error),
    }
    wasm_bindgen_futures::spawn_local(async move { browser::navigate(&list_path(&path)) });
}

/// Gives focus back to the control that opened the dialog, or to another enabled action of the
/// same place when that one is gone or disabled now (a cancelled job's "Cancelled").
fn restore_focus(overlay: &Overlay) {
    let Some(wanted) = overlay.trigger.borrow().clone() else {
        return;
    };
    overlay.draw_held();
    let Ok(root) = dom::root_element() else {
        return;
    };
    let mut fallback = None;
    for shadow in dom::host_shadows(&root) {
        if let Ok(Some(target)) = shadow.query_selector(&format!("{wanted}:not([disabled])")) {
            let _ = target.unchecked_ref::<HtmlElement>().focus();
            return;
        }
        if fallback.is_none() && shadow.query_selector(&wanted).ok().flatten().is_some() {
            fallback = shadow
                .query_selector("button:not([disabled])")
                .ok()
                .flatten();
        }
    }
    if let Some(target) = fallback {
        let _ = target.unchecked_ref::<HtmlElement>().focus();
    }
}

/// Tells the background of a deletion check (`kind`: the page leaves and hands it over, or the
/// page's own check outlasted its first read), with the answered delete's Activity entry.
fn hand_over(answered: &Entry, kind: &'static str) {
    let entry = activity::entry_json(answered);
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(error) = crate::browser::hand_over_check(kind, &entry).await {
            log::feature_error("activity", &error);
        }
    });
}
