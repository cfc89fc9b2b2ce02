//! One job in the list: its title (ellipsized, full text on hover) and its phase badge.

use crate::components::phase_badge::PhaseBadge;
use dioxus::prelude::*;
use job_actions::Job;

#[component]
pub fn JobRow(job: Job) -> Element {
    rsx! {
        li { class: "job", "data-testid": "job-row", "data-job-id": "{job.id}",
            span { class: "job-title", title: "{job.title}", "{job.title}" }
            PhaseBadge { phase: job.phase.clone() }
        }
    }
}
