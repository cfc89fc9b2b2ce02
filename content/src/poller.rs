//! Live status on a job's page (PRD §5.1 step 4, §5.3): while the tab is visible and the job is
//! active — or just after the user acted — re-read it with `If-None-Match`, on the shared
//! cadence (fast after an action, slower while unchanged, backing off on errors). Answers go
//! through the store's merge rule, so a poll that left before a cancel cannot undo it. The loop
//! ends with its route (navigation aborts its request).

use crate::overlay::Overlay;
use crate::{browser, log};
use job_actions::cadence::PollOutcome;
use job_actions::flow::{Toast, ToastKind};
use job_actions::{copy, ApiError, Fetched};
use std::rc::Rc;

/// How often a hidden tab checks whether it became visible again (no request is made).
const HIDDEN_CHECK_MS: u32 = 1_000;

pub async fn run(overlay: Rc<Overlay>) {
    // The first read just happened and showed something new: start at the base interval.
    let mut outcome = PollOutcome::Changed;
    loop {
        let delay = overlay.cadence.borrow_mut().next_delay_ms(outcome);
        browser::sleep(delay).await;
        while browser::is_hidden() && overlay.is_current() {
            browser::sleep(HIDDEN_CHECK_MS).await;
        }
        if !overlay.is_current() || !worth_polling(&overlay) {
            return;
        }
        outcome = refresh(&overlay).await;
        if outcome == PollOutcome::Failed && !overlay.is_current() {
            return;
        }
    }
}

/// Only an active job can still change by itself; a finished one is final.
fn worth_polling(overlay: &Overlay) -> bool {
    let Some(job_id) = overlay.job_id() else {
        return false;
    };
    overlay
        .store
        .borrow()
        .get(job_id)
        .is_some_and(|job| job.phase.is_active())
}

/// One re-read, now (after an action).
pub async fn refresh_once(overlay: Rc<Overlay>) {
    refresh(&overlay).await;
}

async fn refresh(overlay: &Rc<Overlay>) -> PollOutcome {
    let Some(job_id) = overlay.job_id().map(str::to_string) else {
        return PollOutcome::Unchanged;
    };
    let as_of = overlay.store.borrow_mut().tick();
    let etag = overlay.etag.borrow().clone();
    match overlay.client.get_job(&job_id, etag.as_deref()).await {
        Ok(Fetched::NotModified) => PollOutcome::Unchanged,
        Ok(Fetched::Fresh { value, etag }) => {
            let changed = overlay.store.borrow().get(&job_id) != Some(&value);
            let taken = overlay.store.borrow_mut().offer(value, as_of);
            if taken {
                *overlay.etag.borrow_mut() = etag;
            }
            if taken && changed {
                overlay.decorate();
                PollOutcome::Changed
            } else {
                PollOutcome::Unchanged
            }
        }
        Err(ApiError::NotFound) if overlay.is_current() => {
            // Deleted elsewhere: say so once, and stop offering actions on a job that is gone.
            overlay.store.borrow_mut().remove(&job_id, as_of);
            overlay.decorate();
            let toast = Toast {
                kind: ToastKind::Info,
                text: copy::TOAST_NOT_FOUND.into(),
            };
            if let Err(error) = crate::ui::toast::show(&toast) {
                log::feature_error("toasts", &error);
            }
            PollOutcome::Unchanged
        }
        Err(_) => PollOutcome::Failed,
    }
}
