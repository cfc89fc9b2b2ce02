//! The deletion check a leaving view hands over (`effects::View::hand_over_check`, issue #22): a
//! job's own page leaves for the list at its delete's answer, and what outlives it (the
//! background) runs the checks a view would have run (PRD §7.4) with its own client.

use crate::jobs::activity::{self, Entry};
use crate::jobs::deletion;
use crate::jobs::effects::Api;
use std::future::Future;

/// The check a leaving view handed over (`View::hand_over_check`), run by what outlives it (the
/// background) with its own client of the entry's API base: the same checks as a view's (PRD
/// §7.4), and the entry confirmed as they found. Nothing for an entry that is not a delete the
/// server accepted and nobody confirmed yet (there is nothing to check), or when the checks were
/// abandoned (the client's requests were aborted). `waited`: how long the checks already ran (a
/// background that was stopped while they ran resumes them: `deletion::confirm`).
pub async fn check_handed_over<A, S, SF>(
    api: &A,
    answered: Entry,
    waited: u32,
    sleep: S,
    now_ms: impl Fn() -> u64,
) -> Option<Entry>
where
    A: Api,
    S: Fn(u32) -> SF,
    SF: Future<Output = ()>,
{
    let accepted_delete = answered.action != activity::Action::Cancel
        && matches!(answered.answer, activity::Answer::Accepted { .. })
        && answered.confirmed.is_none();
    if !accepted_delete || api.config().api_base != answered.api_base {
        return None;
    }
    let job_id = answered.job_id.clone();
    let outcome = deletion::confirm(
        waited,
        || {
            let read = api.read(&job_id);
            async move { (read.await, 0) }
        },
        sleep,
        || true,
    )
    .await;
    let how = outcome.confirmation()?;
    Some(answered.confirm(now_ms(), how))
}
