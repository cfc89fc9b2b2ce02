//! The popup's side of a job's cancel/delete flow: feeds events to the shared `flow::Flow` (the
//! same state machine as the job pages); the shared runner (`jobs::effects`) carries out what it
//! asks for, through `PopupView` — what the popup does its own way (its signals, its toasts).

use crate::state::{show_toast, State};
use crate::{browser, live};
use dioxus::prelude::*;
use job_actions::api::client::ApiClient;
use job_actions::jobs::activity::{self, Entry};
use job_actions::jobs::cancel_then_delete::waiting_deletes;
use job_actions::jobs::controls::permits;
use job_actions::jobs::effects::{self, Gone, View};
use job_actions::jobs::flow::{delete_key_prefix, reason_key_prefix, Event, Flow, Toast};
use job_actions::jobs::rules::ActionKind;
use job_actions::live::sync::ToHub;
use job_actions::{ApiError, CancelResponse, Job};
use std::future::Future;

/// The user chose an action on a job's row: open its dialog.
pub fn open(state: State, job_id: &str, action: ActionKind, trigger: String) {
    let Some(phase) = state.peek().recent.get(job_id).map(|job| job.phase.clone()) else {
        return;
    };
    open_with(state, job_id, Event::Open { action, phase }, trigger);
}

/// Force Delete, offered once a cancelled job's workers took too long to stop: its own dialog.
pub fn open_force_delete(state: State, job_id: &str, trigger: String) {
    open_with(state, job_id, Event::OpenForceDelete, trigger);
}

/// Opens a dialog — never for what the shown app's profile switched off (issue #23,
/// `controls::permits`), whatever asked for it.
fn open_with(mut state: State, job_id: &str, event: Event, trigger: String) {
    let permitted = {
        let model = state.peek();
        let flow = model.flows.get(job_id).cloned().unwrap_or_default();
        permits(model.switches(), &flow, &event)
    };
    if permitted {
        state.write().trigger = Some(trigger);
        dispatch(state, job_id, event);
    }
}

/// Puts the reasons typed in an earlier popup back into their jobs' flows, and the Cancel &
/// Deletes that wait for their workers (`cancel_then_delete`: the popup carries them out too).
pub async fn restore_reasons(mut state: State) {
    let api_base = state.peek().settings().api_base.clone();
    let reasons = crate::storage::session_with_prefix(&reason_key_prefix(&api_base)).await;
    let waiting = crate::storage::session_with_prefix(&delete_key_prefix(&api_base)).await;
    let mut model = state.write();
    for (job_id, reason) in reasons.unwrap_or_default() {
        model
            .flows
            .get_or_insert_with(&job_id, Flow::default)
            .reason = reason;
    }
    for (job_id, _) in waiting.unwrap_or_default() {
        model
            .flows
            .get_or_insert_with(&job_id, Flow::default)
            .resume_delete_when_stopped();
    }
    drop(model);
    jobs_changed(state);
}

/// The list changed: each Cancel & Delete that waits for its job's workers hears the job's phase,
/// and deletes it once it is terminal; so does a bulk delete's job cancelled first.
pub fn jobs_changed(state: State) {
    let waiting = {
        let model = state.peek();
        waiting_deletes(&model.flows, |job_id| model.recent.get(job_id))
    };
    for (job_id, phase) in waiting {
        dispatch(state, &job_id, Event::Seen(phase));
    }
    // A bulk delete's jobs cancelled first, waiting for their workers (looked at only during a
    // run: a look writes the model, and each write renders the popup again).
    if state.peek().bulk.is_some() {
        job_actions::jobs::bulk_runner::jobs_changed(&PopupView(state));
    }
}

/// Handles one event of a job's flow and everything that follows from it.
pub fn dispatch(mut state: State, job_id: &str, event: Event) {
    let mut model = state.write();
    let force_delete_offered = model.switches().force_delete;
    let flow = model.flows.get_or_insert_with(job_id, Flow::default);
    flow.force_delete_offered = force_delete_offered;
    let effects = flow.handle(event);
    let open = flow.dialog().is_some();
    if open {
        model.dialog_job = Some(job_id.to_string());
    } else if model.dialog_job.as_deref() == Some(job_id) {
        model.dialog_job = None;
    }
    drop(model);
    effects::run_all(&PopupView(state), job_id, effects);
    // Focus starts on the least destructive control, and comes back into the dialog when the
    // control that had it was disabled while sending (PRD §9).
    browser::focus_into_dialog();
}

/// The popup, as the shared runner sees it.
#[derive(Clone, Copy)]
pub struct PopupView(pub State);

impl View for PopupView {
    type Api = ApiClient;

    fn api(&self) -> Result<ApiClient, ApiError> {
        self.0
            .peek()
            .settings()
            .client_config()
            .map(ApiClient::new)
            .map_err(ApiError::Network)
    }
    fn spawn(&self, task: impl Future<Output = ()> + 'static) {
        spawn(task);
    }
    fn after_paint(&self, task: impl FnOnce() + 'static) {
        // In a task of the app's: what follows writes its signals.
        spawn(async move {
            browser::after_paint().await;
            task();
        });
    }
    fn now_ms(&self) -> u64 {
        browser::now_ms()
    }
    fn sleep(&self, ms: u32) -> impl Future<Output = ()> + 'static {
        browser::sleep(ms)
    }
    fn warn(&self, line: &str) {
        browser::warn(&format!("[job-actions] {line}"));
    }
    fn keep(&self, key: String, value: String) {
        spawn(async move {
            let _ = crate::storage::session_set(&key, &value).await;
        });
    }
    fn dispatch(&self, job_id: &str, event: Event) {
        dispatch(self.0, job_id, event);
    }
    fn tick(&self) -> u64 {
        let mut state = self.0;
        let as_of = state.write().recent.tick_at(browser::now_ms());
        as_of
    }
    fn tell_tabs(&self, message: &ToHub) {
        live::send(message);
    }
    fn apply_cancel(&self, job_id: &str, response: &CancelResponse, as_of: u64) -> Option<Job> {
        let mut state = self.0;
        let mut model = state.write();
        model.recent.apply_cancel(job_id, response, as_of);
        model.recent.get(job_id).cloned()
    }
    fn toast(&self, toast: Toast) {
        show_toast(self.0, toast);
    }
    fn job_gone(&self, job_id: &str, as_of: u64, toast: Toast) -> Gone {
        let mut state = self.0;
        let mut model = state.write();
        model.recent.remove(job_id, as_of);
        model.flows.remove(job_id);
        model.selection.remove(job_id);
        if model.dialog_job.as_deref() == Some(job_id) {
            model.dialog_job = None;
        }
        drop(model);
        show_toast(state, toast);
        // The row is gone: focus moves to the list's filter, not into nothing.
        browser::focus_first("[data-testid=filter] [aria-pressed=true]");
        Gone::Removed
    }
    fn restore_focus(&self) {
        if let Some(trigger) = self.0.peek().trigger.clone() {
            browser::focus_first(&trigger);
        }
    }
    fn forbid(&self, message: String) {
        let mut state = self.0;
        state.write().refused = Some(message);
    }
    fn checking_deletion(&self, job_id: &str, checking: bool) {
        let mut state = self.0;
        let mut model = state.write();
        model.confirming.retain(|id| id != job_id);
        if checking {
            model.confirming.push(job_id.to_string());
        }
    }
    fn bring_back(&self, job_id: &str, last: Option<(Job, u64)>) {
        // The row comes back, marked, as the server last described the job.
        let mut state = self.0;
        let mut model = state.write();
        model.recent.forget_deletion(job_id);
        if let Some((job, as_of)) = last {
            model.recent.apply_jobs(vec![job], as_of);
        }
        drop(model);
        live::hurry();
    }
    fn app(&self) -> String {
        let model = self.0.peek();
        model
            .apps
            .get(model.app)
            .map_or_else(|| model.settings().app_url, |app| app.label.clone())
    }
    fn title(&self, job_id: &str) -> String {
        self.0.peek().job_title(job_id)
    }
    fn record(&self, entry: &Entry) {
        send_entry("job-actions:activity", entry, "Activity not kept");
    }
    fn watch_check(&self, answered: &Entry) {
        send_entry(
            "job-actions:watch-deletion",
            answered,
            "deletion check not watched",
        );
    }
}

/// Sends the background `entry` in a `kind` message (Activity, or a deletion check to watch),
/// saying `failed` on the console if it is refused.
fn send_entry(kind: &'static str, entry: &Entry, failed: &'static str) {
    let entry = activity::entry_json(entry);
    spawn(async move {
        if let Err(why) = crate::storage::send_entry(kind, &entry).await {
            browser::warn(&format!("[job-actions] {failed}: {why}"));
        }
    });
}
