//! Activity (issue #23): this browser's own cancels and deletes, newest first — which job, in
//! which app, the reason and notes, when each was asked, what the server answered and when it
//! was confirmed (a delete: the 404 that proved the job gone), failures too. Kept in
//! `storage.local` (the newest 500), never sent anywhere; exported as CSV or JSON, cleared after a
//! confirmation, and each entry's "Copy receipt" copies a line fit for a ticket
//! (`jobs::activity`).

use crate::browser;
use crate::components::toasts::{copy_button, RECEIPT};
use crate::state::State;
use dioxus::prelude::*;
use job_actions::jobs::activity::{self, Answer, Entry};

/// Where the receipts' copy buttons are, among the toasts' (`toasts::IN_DIALOG` is 0; toasts
/// count up from 1): far above them.
const RECEIPTS: u32 = u32::MAX / 2;

/// Reads the log the first time the view is shown, and again whenever it changes (another tab,
/// the background finishing a write).
pub fn watch(state: State) {
    if state.peek().activity.is_some() {
        return;
    }
    spawn(load(state));
    browser::on_local_change(activity::STORAGE_KEY, move || {
        wasm_bindgen_futures::spawn_local(load(state));
    });
}

async fn load(mut state: State) {
    let kept = crate::storage::get(activity::STORAGE_KEY).await;
    let log = kept.ok().flatten().map(|text| activity::read_log(&text));
    state.write().activity = Some(log.unwrap_or_default());
}

pub fn activity_view(mut state: State) -> Element {
    let model = state.read();
    let Some(log) = model.activity.clone() else {
        return rsx! { p { class: "status", role: "status", "data-testid": "activity-loading", "Loading…" } };
    };
    let clearing = model.clearing_activity;
    drop(model);
    let count = log.len();
    let csv_log = log.clone();
    let json_log = log.clone();
    rsx! {
        section { class: "activity", "aria-label": "Activity", "data-testid": "activity",
            p { class: "hint",
                "Your own cancels and deletes in this browser, newest first. Kept here only (the last {activity::KEEP}), never sent anywhere."
            }
            div { class: "activity-tools",
                button { r#type: "button", "data-testid": "activity-export-csv", disabled: count == 0,
                    onclick: move |_| browser::download("job-actions-activity.csv", "text/csv", &activity::to_csv(&csv_log)),
                    "Export CSV"
                }
                button { r#type: "button", "data-testid": "activity-export-json", disabled: count == 0,
                    onclick: move |_| browser::download("job-actions-activity.json", "application/json", &activity::write_log(&json_log)),
                    "Export JSON"
                }
                if !clearing {
                    button { r#type: "button", class: "danger", "data-testid": "activity-clear", disabled: count == 0,
                        onclick: move |_| state.write().clearing_activity = true,
                        "Clear…"
                    }
                }
            }
            if clearing {
                {confirm_clear(state, count)}
            }
            if log.is_empty() {
                p { class: "empty", "data-testid": "activity-empty",
                    "Nothing yet: the jobs you cancel or delete, here or on their pages, appear here."
                }
            } else {
                ol { class: "activity-list", "data-testid": "activity-list",
                    for (index, entry) in log.into_iter().enumerate() {
                        {entry_view(state, index as u32, entry)}
                    }
                }
            }
        }
    }
}

/// Clear asks first: nothing is deleted without an explicit confirmation.
fn confirm_clear(mut state: State, count: usize) -> Element {
    rsx! {
        div { class: "confirm-clear", role: "group", "aria-label": "Clear Activity",
            "data-testid": "activity-clear-confirm",
            p { "Clear all {count} entries? They cannot be brought back (export them first if you need them)." }
            button { r#type: "button", class: "danger", "data-testid": "activity-clear-yes",
                onclick: move |_| {
                    state.write().clearing_activity = false;
                    spawn(async move {
                        if let Err(why) = crate::storage::set(activity::STORAGE_KEY, "[]").await {
                            browser::warn(&format!("[job-actions] Activity not cleared: {why}"));
                        }
                    });
                },
                "Clear Activity"
            }
            button { r#type: "button", "data-testid": "activity-clear-no",
                onclick: move |_| state.write().clearing_activity = false,
                "Keep"
            }
        }
    }
}

fn entry_view(state: State, index: u32, entry: Entry) -> Element {
    let time = |ms: u64| browser::local_time(ms as f64);
    let answer = match &entry.answer {
        Answer::Waiting => "No answer yet".to_string(),
        Answer::Accepted { at_ms, said } => format!("Accepted {} — {said}", time(*at_ms)),
        Answer::Failed {
            at_ms,
            status,
            error,
        } => match status {
            Some(status) => format!("Failed {} — {status}: {error}", time(*at_ms)),
            None => format!("Failed {} — {error}", time(*at_ms)),
        },
    };
    let confirmed = entry
        .confirmed
        .as_ref()
        .map(|confirmed| format!("Confirmed {} — {}", time(confirmed.at_ms), confirmed.how));
    let requested = time(entry.requested_ms);
    let receipt = entry.receipt();
    rsx! {
        li { class: "activity-entry", "data-testid": "activity-entry",
            "data-entry-id": "{entry.id}", "data-outcome": entry.outcome(),
            p { class: "activity-what",
                strong { "{entry.action.label()}" }
                " · {entry.title} "
                span { class: "id", "({entry.job_id})" }
            }
            p { class: "activity-meta", "{entry.app} · requested {requested}" }
            p { class: "activity-answer", "data-testid": "activity-answer", "{answer}" }
            if let Some(confirmed) = confirmed {
                p { class: "activity-confirmed", "data-testid": "activity-confirmed", "{confirmed}" }
            }
            if let Some(reason) = entry.reason.clone() {
                p { class: "activity-reason", "Reason: {reason}" }
            }
            if let Some(notes) = entry.notes.clone() {
                p { class: "activity-reason", "Notes: {notes}" }
            }
            {copy_button(state, RECEIPTS + index, RECEIPT, receipt)}
        }
    }
}
