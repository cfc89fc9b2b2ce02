//! Live status (PRD §5.1 step 4, §5.3): on a job's page, re-read the job while it is active; on
//! the list, re-read the whole list with **one** request per interval (never one per row). Only
//! while the tab is visible, with `If-None-Match`, on the shared cadence (fast after an action,
//! slower while unchanged, backing off on errors). Answers go through the store's merge rule, so
//! a poll that left before a cancel cannot undo it. The loop ends with its route (navigation
//! aborts its request).

use crate::overlay::{list_query, Overlay};
use crate::route::Route;
use crate::{browser, log};
use job_actions::cadence::PollOutcome;
use job_actions::flow::{Toast, ToastKind};
use job_actions::Phase;
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

/// A list can always change; on a job's page only a job that is not finished can (an unknown
/// phase may be a new active one, or an unreadable answer: it is read again).
fn worth_polling(overlay: &Overlay) -> bool {
    match &overlay.route {
        Route::List => true,
        Route::Detail { job_id } => overlay
            .store
            .borrow()
            .get(job_id)
            .is_some_and(|job| !job.phase.is_terminal()),
        Route::Other => false,
    }
}

/// One re-read, now (after an action).
pub async fn refresh_once(overlay: Rc<Overlay>) {
    refresh(&overlay).await;
}

async fn refresh(overlay: &Rc<Overlay>) -> PollOutcome {
    if overlay.route == Route::List {
        return refresh_list(overlay).await;
    }
    let Some(job_id) = overlay.job_id().map(str::to_string) else {
        return PollOutcome::Unchanged;
    };
    let as_of = overlay.store.borrow_mut().tick();
    let etag = overlay.etag.borrow().clone();
    match overlay.client.get_job(&job_id, etag.as_deref()).await {
        Ok(Fetched::NotModified) => PollOutcome::Unchanged,
        Ok(Fetched::Fresh { value, etag }) => {
            if let Phase::Unknown(wire) = &value.phase {
                log::warn(&format!(
                    "job `{job_id}` has a phase this extension does not know (`{wire}`): no actions"
                ));
            }
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
        Err(ApiError::Decode(why)) if overlay.is_current() => {
            // An answer that cannot be read says nothing about the job: show it as unknown, with
            // no actions, rather than as what it was.
            log::warn(&format!(
                "the API's answer for job `{job_id}` is unreadable: {why}"
            ));
            let mut store = overlay.store.borrow_mut();
            let as_of = store.tick();
            store.update(&job_id, as_of, |job| {
                job.phase = Phase::Unknown(String::new())
            });
            drop(store);
            *overlay.etag.borrow_mut() = None;
            overlay.decorate();
            PollOutcome::Failed
        }
        Err(_) => PollOutcome::Failed,
    }
}

async fn refresh_list(overlay: &Rc<Overlay>) -> PollOutcome {
    let as_of = overlay.store.borrow_mut().tick();
    let etag = overlay.etag.borrow().clone();
    match overlay
        .client
        .list_jobs(&list_query(), etag.as_deref())
        .await
    {
        Ok(Fetched::NotModified) => PollOutcome::Unchanged,
        Ok(Fetched::Fresh { value, etag }) => {
            *overlay.etag.borrow_mut() = etag;
            let unknown = value
                .iter()
                .filter(|job| matches!(job.phase, Phase::Unknown(_)))
                .count();
            let changed = overlay.store.borrow_mut().offer_all(value, as_of);
            if changed > 0 && unknown > 0 {
                log::warn(&format!(
                    "{unknown} job(s) have a phase this extension does not know: no actions for them"
                ));
            }
            if changed > 0 {
                overlay.decorate();
                PollOutcome::Changed
            } else {
                PollOutcome::Unchanged
            }
        }
        Err(_) => PollOutcome::Failed,
    }
}
