//! The popup's list polling, while it is open: one list request per interval, on the shared
//! cadence (fast after an action, slower while nothing changes, full-jitter backoff on errors),
//! with `If-None-Match`; nothing while paused or hidden. Retry, Resume, actions and new settings
//! wake it early (`browser::wake`).

use crate::browser;
use crate::state::State;
use dioxus::prelude::*;
use job_actions::cadence::PollOutcome;
use job_actions::client::ApiClient;
use job_actions::{Fetched, ListQuery};

/// How many recent jobs the popup lists.
pub const RECENT_JOBS: u32 = 20;

/// How often a paused or hidden popup looks again whether it may poll (no request is made).
const IDLE_CHECK_MS: u32 = 1_000;

/// Starts the poll loop and the one-second clock for the popup's lifetime.
pub fn start(mut state: State) {
    spawn(async move {
        loop {
            let delay = if state.peek().poll.paused || browser::is_hidden() {
                IDLE_CHECK_MS
            } else {
                poll_once(state).await
            };
            browser::nap(delay).await;
        }
    });
    spawn(async move {
        loop {
            browser::sleep(1_000).await;
            state.write().now = browser::now();
        }
    });
}

/// One list request; returns the delay before the next one.
async fn poll_once(mut state: State) -> u32 {
    let settings = state.peek().settings();
    let client = match settings.client_config() {
        Ok(config) => ApiClient::new(config),
        Err(message) => {
            let mut model = state.write();
            model.poll.error = Some(message);
            return model.cadence.next_delay_ms(PollOutcome::Failed);
        }
    };
    let (as_of, etag) = {
        let mut model = state.write();
        (model.recent.begin(), model.recent.etag.clone())
    };
    let query = ListQuery {
        limit: Some(RECENT_JOBS),
        phase: None,
    };
    let result = client.list_jobs(&query, etag.as_deref()).await;
    let mut model = state.write();
    // The settings changed while the request was out: its answer is for another API.
    if model.settings() != settings {
        return 0;
    }
    let outcome = match result {
        Ok(Fetched::Fresh { value, etag }) => {
            model.recent.etag = etag;
            if model.recent.apply_list(value, as_of) {
                PollOutcome::Changed
            } else {
                PollOutcome::Unchanged
            }
        }
        Ok(Fetched::NotModified) => PollOutcome::Unchanged,
        Err(error) => {
            model.poll.error = Some(format!("{} ({})", error.user_message(), settings.api_base));
            PollOutcome::Failed
        }
    };
    if outcome != PollOutcome::Failed {
        model.poll.error = None;
        model.poll.updated_at = Some(browser::now());
        let active = model.recent.active_count();
        browser::set_badge(&if active == 0 {
            String::new()
        } else {
            active.to_string()
        });
    }
    model.cadence.next_delay_ms(outcome)
}
