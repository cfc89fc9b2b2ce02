//! Bulk actions in the popup (issue #24): "Select all shown" (tri-state), the bar — "N selected ·
//! Cancel N · Delete N · Clear", each count only the selected jobs that action applies to — its
//! confirmation (the count, five titles and "and N more", what it does, the shared reason for a
//! cancel, and for a delete with running jobs whether to force-delete them too), then the run's
//! progress with Stop, and its summary with the failures and "Retry failed".

use crate::bulk;
use crate::state::{Bulk, State};
use dioxus::prelude::*;
use job_actions::jobs::bulk::{BulkKind, Outcome};
use job_actions::jobs::bulk_offer::{confirm_title, jobs, named, Offer};
use job_actions::jobs::bulk_stage::Running;
use job_actions::jobs::copy::{CANCEL_DIALOG, DELETE_DIALOG, REASON_LABEL};

/// "Select all shown": checked when every shown job is, mixed when some are.
pub fn select_all(state: State, shown: Vec<String>) -> Element {
    let model = state.read();
    let checked = model.selection.all_state(&shown).aria();
    // Read-only while the list is the last known one (`last_list`).
    let last_known = model.last_known.is_some();
    drop(model);
    rsx! {
        button {
            r#type: "button",
            class: "select-all",
            role: "checkbox",
            "aria-checked": checked,
            disabled: last_known,
            "data-testid": "select-all",
            onclick: move |_| bulk::toggle_all(state, &shown),
            "Select all shown"
        }
    }
}

/// The bar: the selection's actions, a run's progress, or its summary.
pub fn bulk_bar(state: State) -> Element {
    let run = match &state.read().bulk {
        Some(Bulk::Running { run, .. }) => Some(run.clone()),
        _ => None,
    };
    if let Some(run) = run {
        return if run.is_finished() {
            summary(state, &run)
        } else {
            progress(state, &run)
        };
    }
    let selected = bulk::selected_jobs(state);
    if selected.is_empty() {
        return rsx! {};
    }
    let offer = Offer::of(selected.iter().map(|job| &job.phase));
    let mut clear = state;
    rsx! {
        div { class: "bulk-bar", role: "region", "aria-label": "Bulk actions", "data-testid": "bulk-bar",
            span { class: "bulk-count", "data-testid": "bulk-count", "{offer.selected_text()}" }
            {action_button(state, &offer, BulkKind::Cancel, "bulk-cancel")}
            {action_button(state, &offer, BulkKind::Delete { force: false }, "bulk-delete")}
            button { r#type: "button", "data-testid": "bulk-clear",
                onclick: move |_| clear.write().selection.clear(),
                "Clear"
            }
        }
        {confirmation(state, &offer)}
    }
}

fn action_button(state: State, offer: &Offer, kind: BulkKind, test_id: &'static str) -> Element {
    let (label, why) = offer.button(kind);
    rsx! {
        button {
            r#type: "button",
            class: if kind == BulkKind::Cancel { "action warning" } else { "action destructive" },
            "data-testid": test_id,
            disabled: why.is_some(),
            title: why.unwrap_or_default(),
            onclick: move |_| bulk::ask(state, kind),
            "{label}"
        }
        if let Some(why) = why {
            span { class: "visually-hidden", "{why}" }
        }
    }
}

/// The one confirmation of a bulk action.
fn confirmation(mut state: State, offer: &Offer) -> Element {
    let Some(stage) = state.read().bulk.clone() else {
        return rsx! {};
    };
    let Bulk::Confirming {
        kind,
        running: choice,
        ref reason,
        ref error,
    } = stage
    else {
        return rsx! {};
    };
    let force_allowed = state.read().switches().force_delete;
    let (reason, error) = (reason.clone(), error.clone());
    let targets = bulk::targets(state, &stage);
    let titles: Vec<String> = targets
        .iter()
        .map(|job| job.shown_title().to_string())
        .collect();
    let (shown, more) = named(&titles);
    let shown = shown.to_vec();
    let copy = if kind == BulkKind::Cancel {
        &CANCEL_DIALOG
    } else {
        &DELETE_DIALOG
    };
    let running = offer.running;
    let title = confirm_title(kind, targets.len());
    rsx! {
        div { class: "backdrop", onclick: move |_| bulk::close(state) }
        div { class: "dialog", role: "alertdialog", "aria-modal": "true",
            "aria-labelledby": "bulk-title", "aria-describedby": "bulk-message",
            "data-testid": "bulk-dialog",
            h2 { id: "bulk-title", "{title}" }
            ul { class: "bulk-titles", "data-testid": "bulk-titles",
                for name in shown { li { "{name}" } }
                if let Some(more) = more { li { class: "more", "{more}" } }
            }
            p { id: "bulk-message", "{copy.message}" }
            if kind != BulkKind::Cancel && running > 0 {
                fieldset { class: "bulk-running",
                    legend { "The {jobs(running)} still running:" }
                    for (option, name, words) in Running::ALL.into_iter().filter(|(option, _, _)| *option != Running::Force || force_allowed) {
                        label {
                            input { r#type: "radio", name: "bulk-running", value: name,
                                "data-testid": if option == Running::Force { "bulk-force".to_string() } else { format!("bulk-running-{name}") },
                                checked: option == choice,
                                onchange: move |_| {
                                    if let Some(Bulk::Confirming { running, .. }) = state.write().bulk.as_mut() {
                                        *running = option;
                                    }
                                }
                            }
                            " {words}"
                        }
                    }
                }
            }
            if kind == BulkKind::Cancel || (running > 0 && stage.cancels_first()) {
                label { r#for: "bulk-reason", "{REASON_LABEL}" }
                textarea { id: "bulk-reason", "data-testid": "bulk-reason", value: "{reason}",
                    oninput: move |event| {
                        if let Some(Bulk::Confirming { reason, .. }) = state.write().bulk.as_mut() {
                            *reason = event.value();
                        }
                    }
                }
            }
            if let Some(error) = error {
                p { class: "error", role: "alert", "data-testid": "bulk-error", "{error}" }
            }
            div { class: "buttons",
                button { r#type: "button", "data-testid": "bulk-dialog-cancel",
                    onclick: move |_| bulk::close(state), "Keep" }
                button { r#type: "button", class: "action destructive", "data-testid": "bulk-confirm",
                    disabled: targets.is_empty(),
                    onclick: move |_| bulk::confirm(state),
                    "{kind.verb()} {jobs(targets.len())}"
                }
            }
        }
    }
}

fn progress(state: State, run: &job_actions::jobs::bulk::Run) -> Element {
    rsx! {
        div { class: "bulk-bar", role: "region", "aria-label": "Bulk actions", "data-testid": "bulk-bar",
            span { role: "status", "data-testid": "bulk-progress", "{run.progress()}" }
            if !run.is_stopped() {
                button { r#type: "button", "data-testid": "bulk-stop",
                    onclick: move |_| bulk::stop(state), "Stop" }
            }
        }
    }
}

fn summary(state: State, run: &job_actions::jobs::bulk::Run) -> Element {
    let model = state.read();
    let failures: Vec<(String, String)> = run
        .failures()
        .into_iter()
        .map(|(id, why)| {
            let title = model
                .recent
                .get(&id)
                .map_or(id.clone(), |job| job.shown_title().to_string());
            (title, why)
        })
        .collect();
    drop(model);
    let not_started = run.outcome_count(|outcome| *outcome == Outcome::NotStarted);
    rsx! {
        div { class: "bulk-bar done", role: "region", "aria-label": "Bulk actions", "data-testid": "bulk-bar",
            p { role: "status", "data-testid": "bulk-summary", "{run.summary()}" }
            if !failures.is_empty() {
                ul { class: "bulk-failures", "data-testid": "bulk-failures",
                    for (title, why) in failures.iter().cloned() { li { strong { "{title}" } " — {why}" } }
                }
                button { r#type: "button", "data-testid": "bulk-retry",
                    onclick: move |_| bulk::retry_failed(state),
                    "Retry {jobs(failures.len())}"
                }
            }
            if not_started > 0 {
                p { class: "hint", "Stopped: {jobs(not_started)} not sent." }
            }
            button { r#type: "button", "data-testid": "bulk-done", onclick: move |_| bulk::close(state), "Close" }
        }
    }
}
