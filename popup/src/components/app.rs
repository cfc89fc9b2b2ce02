//! The popup's root: loads the recent jobs once and shows them, or why it could not.

use crate::components::job_row::JobRow;
use crate::settings::Settings;
use dioxus::prelude::*;
use job_actions::client::ApiClient;
use job_actions::{Job, ListQuery};

/// How many recent jobs the popup lists.
pub const RECENT_JOBS: u32 = 20;

/// The recent jobs, or a message saying what went wrong and what to do.
async fn load_recent_jobs() -> Result<Vec<Job>, String> {
    let settings = Settings::load().await;
    let config = settings.client_config()?;
    let api_base = config.api_base.clone();
    let query = ListQuery {
        limit: Some(RECENT_JOBS),
        phase: None,
    };
    let fetched = ApiClient::new(config)
        .list_jobs(&query, None)
        .await
        .map_err(|error| format!("{} ({api_base})", error.user_message()))?;
    Ok(fetched.fresh().unwrap_or_default())
}

#[component]
pub fn App() -> Element {
    let mut jobs = use_resource(load_recent_jobs);
    let body = match &*jobs.read() {
        None => rsx! {
            p { class: "status", role: "status", "data-testid": "loading", "Loading jobs…" }
        },
        Some(Err(message)) => rsx! {
            div { class: "error", role: "alert", "data-testid": "popup-error",
                p { "{message}" }
                button { r#type: "button", "data-testid": "retry", onclick: move |_| jobs.restart(), "Retry" }
            }
        },
        Some(Ok(list)) if list.is_empty() => rsx! {
            p { class: "status", "data-testid": "empty-state", "No jobs yet. Jobs you start in the app appear here." }
        },
        Some(Ok(list)) => rsx! {
            ul { class: "jobs", "data-testid": "job-list", "aria-label": "Recent jobs",
                for job in list.iter() {
                    JobRow { key: "{job.id}", job: job.clone() }
                }
            }
        },
    };
    rsx! {
        header { class: "header",
            h1 { "Job Actions" }
        }
        main { class: "content", {body} }
    }
}
