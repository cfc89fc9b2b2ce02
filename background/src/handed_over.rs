//! The deletion checks a leaving tab hands over (issue #22: a job's own page leaves for the list
//! as soon as its delete is answered, and its tasks end with it). The background, which outlives
//! the page, asks the job's API as the page would have (`jobs::handed_over`, PRD §7.4)
//! and `main.js` keeps the confirmation in Activity, and gives it to the toast the page carried to
//! the list, for its receipt.

use crate::js;
use job_actions::api::client::ApiClient;
use job_actions::api::endpoint::ClientConfig;
use job_actions::jobs::activity;
use job_actions::jobs::handed_over;
use wasm_bindgen::prelude::*;

/// Checks the answered delete `entry` (its JSON, already allowed: `activity_refusal`) and gives
/// it back confirmed (its JSON), or nothing when there is nothing to keep: not an accepted
/// delete, or an API base no client may call. The reads use the feed's client of the entry's API
/// base when there is one (it carries the tabs' token), else a client of its own. `waited_ms`:
/// how long the checks already ran, when a worker stopped meanwhile resumes them.
#[wasm_bindgen]
pub async fn check_deletion(entry: String, waited_ms: u32) -> Option<String> {
    let answered = activity::entry_from_text(&entry)?;
    let client = crate::feed_client(&answered.api_base).or_else(|| {
        ClientConfig::new(&answered.api_base)
            .ok()
            .map(ApiClient::new)
    })?;
    let checked = handed_over::check_handed_over(
        &client,
        answered,
        waited_ms,
        |ms| js::nap("deletion-check", ms),
        js::now,
    )
    .await?;
    Some(activity::entry_json(&checked))
}

/// What a receipt gains once its deletion check is done (`activity::confirmed_part`), from the
/// checked entry (its JSON, as `check_deletion` gave it).
#[wasm_bindgen]
pub fn confirmation_of(checked: &str) -> Option<String> {
    let confirmed = activity::entry_from_text(checked)?.confirmed?;
    let at = job_actions::jobs::time::iso_utc(confirmed.at_ms);
    Some(activity::confirmed_part(&at, &confirmed.how))
}
