//! The recent-jobs view: the filter, the poll status line with pause/resume, the error banner
//! (which keeps the list it already has), "Select all shown", the rows, the bulk bar and the open
//! dialog.

use crate::components::{bulk_bar, dialog, job_row};
use crate::live;
use crate::recent::JobFilter;
use crate::state::State;
use dioxus::prelude::*;
use job_actions::jobs::time;

pub fn job_list(mut state: State) -> Element {
    let model = state.read();
    let (filter, poll, now) = (model.filter, model.poll.clone(), model.now);
    let loaded = model.recent.is_loaded();
    let jobs: Vec<_> = model.recent.shown(filter).into_iter().cloned().collect();
    let shown: Vec<String> = jobs.iter().map(|job| job.id.clone()).collect();
    let confirming = model.confirming.len();
    let refused = model.refused.clone();
    let last_known = model.last_known.is_some();
    drop(model);
    let status = match (poll.paused, poll.updated_at) {
        (true, _) => "Paused".to_string(),
        (false, Some(at)) => time::updated_ago(now, at),
        (false, None) if last_known => "Last known · updating…".to_string(),
        (false, None) => "Loading…".to_string(),
    };
    rsx! {
        div { class: "toolbar",
            div { class: "filter", role: "group", "aria-label": "Show", "data-testid": "filter",
                for option in JobFilter::EVERY {
                    button {
                        r#type: "button",
                        "data-filter": option.id(),
                        "aria-pressed": if option == filter { "true" } else { "false" },
                        onclick: move |_| state.write().filter = option,
                        "{option.label()}"
                    }
                }
            }
            span { class: "updated", "data-testid": "poll-status", "{status}" }
            button {
                r#type: "button",
                class: "pause",
                "data-testid": "poll-toggle",
                "aria-pressed": if poll.paused { "true" } else { "false" },
                onclick: move |_| {
                    let mut model = state.write();
                    model.poll.paused = !model.poll.paused;
                    drop(model);
                    // Resumed: the background polls at once (a subscriber became visible).
                    live::set_visible(state);
                },
                if poll.paused { "Resume" } else { "Pause" }
            }
        }
        if let Some(message) = poll.error.clone() {
            div { class: "error", role: "alert", "data-testid": "popup-error",
                p { "{message}" }
                button {
                    r#type: "button",
                    "data-testid": "retry",
                    onclick: move |_| live::hurry(),
                    "Retry"
                }
            }
        }
        if let Some(reason) = refused {
            p { id: "refused-note", class: "refused", "data-testid": "actions-refused", "{reason}" }
        }
        if confirming > 0 {
            p { class: "status confirming", role: "status", "data-testid": "deletion-progress",
                if confirming == 1 { "Confirming the deletion with the server…" } else { "Confirming {confirming} deletions with the server…" }
            }
        }
        if !loaded {
            if poll.error.is_none() {
                p { class: "status", role: "status", "data-testid": "loading", "Loading jobs…" }
            }
        } else if jobs.is_empty() {
            p { class: "status", "data-testid": "empty-state", "{filter.empty_text()}" }
        } else {
            div { class: "select-bar", {bulk_bar::select_all(state, shown.clone())} }
            ul { class: "jobs", "data-testid": "job-list", "aria-label": "Recent jobs",
                for job in jobs {
                    {job_row::job_row(state, job, now, &shown)}
                }
            }
        }
        {bulk_bar::bulk_bar(state)}
        {dialog::confirm_dialog(state)}
    }
}
