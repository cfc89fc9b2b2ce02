//! One job in the list: title (ellipsized, full text on hover), how long ago it started (exact
//! time on hover), its phase badge, the actions the shared rules give its phase (less what the
//! app's profile switches off, issue #23), and a link to its page in the app.

use crate::components::phase_badge::phase_badge;
use crate::state::State;
use crate::{actions, browser};
use dioxus::prelude::*;
use job_actions::jobs::dialog::deletes;
use job_actions::jobs::flow::State as FlowState;
use job_actions::jobs::pending::{cancel_pending, status, still_running};
use job_actions::jobs::rules::{offered, Intent, Surface};
use job_actions::sites::selector::attribute_selector;
use job_actions::{jobs::time, Job};

pub fn job_row(state: State, job: Job, now: i64, shown: &[String]) -> Element {
    let model = state.read();
    let selected = model.selection.contains(&job.id);
    let refused = model.refused.is_some();
    // The last known list is read-only until the live one replaces it (`last_list`).
    let last_known = model.last_known.is_some();
    let switches = model.switches();
    let flow = model.flows.get(&job.id);
    let busy = flow.is_some_and(|flow| flow.is_busy()) || refused || last_known;
    // A Cancel & Delete under way shows its step on the delete's button (issue #23).
    let step = flow.and_then(|flow| match flow.state {
        FlowState::Following(step) => Some(step),
        _ => None,
    });
    let link = model
        .settings
        .as_ref()
        .and_then(|settings| settings.job_url(&job.id));
    let local_times = model.local_times;
    drop(model);
    let started = job.created_at.as_deref().and_then(time::parse_rfc3339);
    // Accepted but still running (issue #9): how long, counting; Cancel is not offered again.
    let pending = cancel_pending(&job, u64::try_from(now).unwrap_or(0));
    // Waited long enough for the workers, and the profile offers it: Force Delete.
    let force = pending.filter(|pending| pending.offer_force_delete && switches.force_delete);
    // PRD §5.4 in one line: when, and why (the notes, else the reason code).
    let cancellation = job
        .cancelled_at
        .as_deref()
        .filter(|_| pending.is_none())
        .map(|at| {
            let when = time::parse_rfc3339(at)
                .map_or_else(|| at.to_string(), |ms| time::relative(now, ms));
            let why = job
                .cancellation_notes
                .as_deref()
                .or(job.cancellation_reason.as_deref())
                .unwrap_or_default();
            if why.is_empty() {
                format!("Cancelled {when}")
            } else {
                format!("Cancelled {when}: {why}")
            }
        });
    let title = job.shown_title().to_string();
    rsx! {
        li { key: "{job.id}", class: "job", "data-testid": "job-row", "data-job-id": "{job.id}",
            // Bulk actions (issue #24): Shift+click selects the range from the last one chosen.
            input {
                r#type: "checkbox",
                class: "select",
                "data-testid": "select-job",
                "aria-label": "Select {title}",
                checked: selected,
                disabled: last_known,
                onclick: {
                    let (id, shown) = (job.id.clone(), shown.to_vec());
                    move |_| crate::bulk::toggle(state, &id, &shown, browser::shift_click())
                },
            }
            div { class: "job-main",
                span { class: "job-title", title: "{title}", "data-testid": "job-title", "{title}" }
                div { class: "job-meta",
                    {phase_badge(&job.phase)}
                    if let Some(at) = started {
                        span { class: "age", "data-testid": "job-age", title: if local_times { browser::local_time(at as f64) } else { String::new() },
                            "{time::relative(now, at)}"
                        }
                    }
                    if let Some(pending) = pending {
                        span { class: "cancellation pending", "data-testid": "cancel-pending",
                            title: if force.is_some() { still_running(pending) } else { String::new() },
                            "{status(pending)}"
                        }
                    }
                    if let Some(text) = cancellation {
                        span { class: "cancellation", "data-testid": "cancellation", title: "{text}", "{text}" }
                    }
                }
            }
            div { class: "job-actions",
                if let Some(pending) = force {
                    // Force Delete in the delete's place.
                    button {
                        r#type: "button",
                        class: "action destructive",
                        "data-testid": "action-force-delete",
                        "data-action": "force-delete",
                        "aria-label": "Force Delete: {title}",
                        title: still_running(pending),
                        disabled: busy,
                        onclick: {
                            let id = job.id.clone();
                            move |_| {
                                let trigger = format!("{} [data-action=\"force-delete\"]", attribute_selector("data-job-id", &id));
                                actions::open_force_delete(state, &id, trigger);
                            }
                        },
                        "Force Delete"
                    }
                }
                for action in offered(Surface::Popup, &job.phase, pending.is_some(), switches).copied().filter(|action| {
                    !(force.is_some() && deletes(action.kind))
                }) {
                    button {
                        r#type: "button",
                        class: match action.intent {
                            Intent::Warning => "action warning",
                            Intent::Destructive => "action destructive",
                            Intent::Neutral => "action",
                        },
                        "data-testid": "action-{action.id}",
                        "data-action": action.id,
                        "aria-label": "{action.label}: {title}",
                        disabled: busy || (step.is_some() && deletes(action.kind)),
                        "aria-busy": step.is_some() && deletes(action.kind),
                        "aria-describedby": if refused { "refused-note" } else { "" },
                        onclick: {
                            let id = job.id.clone();
                            move |_| {
                                let trigger = format!("{} [data-action=\"{}\"]", attribute_selector("data-job-id", &id), action.id);
                                actions::open(state, &id, action.kind, trigger);
                            }
                        },
                        match step.filter(|_| deletes(action.kind)) {
                            Some(step) => step.label(),
                            None => action.label,
                        }
                    }
                }
                if let Some(href) = link {
                    a {
                        class: "open",
                        href: "{href}",
                        target: "_blank",
                        rel: "noopener noreferrer",
                        "data-testid": "open-in-app",
                        "aria-label": "Open {title} in the app (new tab)",
                        title: "Open in app",
                        "↗"
                    }
                }
            }
        }
    }
}
