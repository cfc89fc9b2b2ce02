//! Runs a job's cancel/delete flow in the popup: feeds events to the shared `flow::Flow` (the same
//! state machine as the job pages) and carries out the effects it asks for.

use crate::state::{show_toast, State};
use crate::{browser, live};
use dioxus::prelude::*;
use job_actions::api::client::ApiClient;
use job_actions::jobs::flow::{reason_key_prefix, Effect, Event, Flow, Request, Toast, ToastKind};
use job_actions::jobs::report;
use job_actions::jobs::rules::ActionKind;
use job_actions::live::sync::ToHub;
use job_actions::ApiError;

use job_actions::jobs::deletion::{self, Deletion};

/// The user chose an action on a job's row: open its dialog.
pub fn open(mut state: State, job_id: &str, action: ActionKind, trigger: String) {
    let Some(phase) = state.peek().recent.get(job_id).map(|job| job.phase.clone()) else {
        return;
    };
    state.write().trigger = Some(trigger);
    dispatch(state, job_id, Event::Open { action, phase });
}

/// Puts the reasons typed in an earlier popup back into their jobs' flows.
pub async fn restore_reasons(mut state: State) {
    let prefix = reason_key_prefix(&state.peek().settings().api_base);
    let Ok(reasons) = crate::storage::session_with_prefix(&prefix).await else {
        return;
    };
    let mut model = state.write();
    for (job_id, reason) in reasons {
        model
            .flows
            .get_or_insert_with(&job_id, Flow::default)
            .reason = reason;
    }
}

/// Handles one event of a job's flow and everything that follows from it.
pub fn dispatch(mut state: State, job_id: &str, event: Event) {
    let mut model = state.write();
    let flow = model.flows.get_or_insert_with(job_id, Flow::default);
    let effects = flow.handle(event);
    let open = flow.dialog().is_some();
    if open {
        model.dialog_job = Some(job_id.to_string());
    } else if model.dialog_job.as_deref() == Some(job_id) {
        model.dialog_job = None;
    }
    drop(model);
    for effect in effects {
        run(state, job_id, effect);
    }
    // Focus starts on the least destructive control, and comes back into the dialog when the
    // control that had it was disabled while sending (PRD §9).
    browser::focus_into_dialog();
}

fn client(state: State) -> Result<ApiClient, ApiError> {
    state
        .peek()
        .settings()
        .client_config()
        .map(ApiClient::new)
        .map_err(ApiError::Network)
}

/// A failed request leaves one console line for whoever debugs it (`jobs::report`), the same as
/// on the job pages.
fn log_failure<T>(
    state: State,
    job_id: &str,
    request: Request,
    result: &Result<T, ApiError>,
    started: u64,
) {
    let (Err(error), Ok(config)) = (result, state.peek().settings().client_config()) else {
        return;
    };
    let elapsed = browser::now_ms().saturating_sub(started);
    if let Some(line) = report::failure_line(&config, job_id, request, error, elapsed) {
        browser::warn(&format!("[job-actions] {line}"));
    }
}

fn run(mut state: State, job_id: &str, effect: Effect) {
    let job_id = job_id.to_string();
    match effect {
        Effect::SendCancel(body) => {
            spawn(async move {
                let started = browser::now_ms();
                let result = match client(state) {
                    Ok(client) => client.cancel_job(&job_id, &body).await,
                    Err(error) => Err(error),
                };
                log_failure(state, &job_id, Request::Cancel, &result, started);
                dispatch(
                    state,
                    &job_id,
                    result.map_or_else(Event::Failed, Event::CancelDone),
                );
            });
        }
        Effect::SendDelete { force } => {
            spawn(async move {
                let started = browser::now_ms();
                let result = match client(state) {
                    Ok(client) => client.delete_job(&job_id, force).await.map(|_| ()),
                    Err(error) => Err(error),
                };
                log_failure(state, &job_id, Request::Delete { force }, &result, started);
                dispatch(
                    state,
                    &job_id,
                    result.map_or_else(Event::Failed, |()| Event::DeleteDone),
                );
            });
        }
        Effect::ApplyCancel(response) => {
            let mut model = state.write();
            let as_of = model.recent.tick_at(browser::now_ms());
            model.recent.apply_cancel(&job_id, &response, as_of);
            let job = model.recent.get(&job_id).cloned();
            drop(model);
            // Every tab showing the job shows the cancel now.
            if let Some(job) = job {
                live::send(&ToHub::Acted { job, as_of });
            }
        }
        Effect::Refetch => live::hurry(),
        Effect::Toast(toast) => show_toast(state, toast),
        Effect::JobGone(toast) => {
            let mut model = state.write();
            let as_of = model.recent.tick_at(browser::now_ms());
            model.recent.remove(&job_id, as_of);
            model.flows.remove(&job_id);
            if model.dialog_job.as_deref() == Some(job_id.as_str()) {
                model.dialog_job = None;
            }
            live::send(&ToHub::Deleted {
                job_id: job_id.clone(),
                as_of,
            });
            drop(model);
            show_toast(state, toast);
            // The row is gone: focus moves to the list's filter, not into nothing.
            browser::focus_first("[data-testid=filter] [aria-pressed=true]");
            spawn(confirm_deletion(state, job_id));
        }
        Effect::Forbidden(message) => state.write().refused = Some(message),
        Effect::KeepReason(reason) => {
            // Kept in session storage until the cancel succeeds (issue #10: nothing is lost);
            // the job pages read the same key.
            let key = format!(
                "{}{job_id}",
                reason_key_prefix(&state.peek().settings().api_base)
            );
            spawn(async move {
                let _ = crate::storage::session_set(&key, &reason).await;
            });
        }
        Effect::RestoreFocus => {
            if let Some(trigger) = state.peek().trigger.clone() {
                browser::focus_first(&trigger);
            }
        }
    }
}

/// PRD §7.4: the row left at once; now ask the server until the job is gone (404), showing that
/// the check runs, for 60 s at most — then bring the row back and say so.
async fn confirm_deletion(mut state: State, job_id: String) {
    state.write().confirming.push(job_id.clone());
    let outcome = deletion::confirm(
        || {
            let as_of = state.write().recent.tick_at(browser::now_ms());
            let client = client(state);
            let job_id = job_id.clone();
            async move {
                match client {
                    Ok(client) => (client.get_job(&job_id, None).await, as_of),
                    Err(error) => (Err(error), as_of),
                }
            }
        },
        browser::sleep,
        // The popup shows the list as long as it is open.
        || true,
    )
    .await;
    let mut model = state.write();
    model.confirming.retain(|id| id != &job_id);
    let Deletion::NotConfirmed(last) = outcome else {
        return;
    };
    // The row comes back, marked, as the server last described the job.
    model.recent.forget_deletion(&job_id);
    if let Some((job, as_of)) = last {
        model.recent.apply_jobs(vec![job], as_of);
    }
    drop(model);
    live::hurry();
    show_toast(
        state,
        Toast {
            kind: ToastKind::Info,
            text: job_actions::jobs::copy::DELETION_SLOW.into(),
        },
    );
}
