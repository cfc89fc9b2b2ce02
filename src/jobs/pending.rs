//! "Cancelling…" that does not end (issue #9, PRD §5.6 "Cancellation pending: show status, offer
//! to wait or navigate away"): the API accepted a cancel (the job carries `cancelled_at`) but the
//! job is still active, because its workers have not stopped yet. Every view shows how long that
//! has lasted; after `FORCE_DELETE_AFTER_S` it also offers Force Delete. Derived from the job
//! alone, so every tab and the popup agree, whoever cancelled.

use crate::api::model::Job;
use crate::jobs::time::parse_rfc3339;

/// How long a cancelled job may stay active before the views offer Force Delete.
pub const FORCE_DELETE_AFTER_S: u64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CancelPending {
    /// Whole seconds since the API accepted the cancel.
    pub elapsed_s: u64,
    /// It has lasted long enough to offer Force Delete.
    pub offer_force_delete: bool,
}

/// Whether `job` waits for its cancellation to take effect, as of `now_ms`.
pub fn cancel_pending(job: &Job, now_ms: u64) -> Option<CancelPending> {
    if !job.phase.is_active() {
        return None;
    }
    let accepted_ms = parse_rfc3339(job.cancelled_at.as_deref()?)?;
    // The server's clock may run ahead of this one: never a negative wait.
    let elapsed_ms = i64::try_from(now_ms)
        .ok()?
        .saturating_sub(accepted_ms)
        .max(0);
    let elapsed_s = (elapsed_ms / 1_000) as u64;
    Some(CancelPending {
        elapsed_s,
        offer_force_delete: elapsed_s >= FORCE_DELETE_AFTER_S,
    })
}

/// The busy label of the Cancel button, and the popup row's status: "Cancelling… 12 s".
pub fn status(pending: CancelPending) -> String {
    format!("Cancelling… {} s", pending.elapsed_s)
}

/// What the views say once Force Delete is offered.
pub fn still_running(pending: CancelPending) -> String {
    format!(
        "Still running {} s after the cancel was accepted: its workers have not stopped yet. \
         You can wait, leave this page, or force-delete the job.",
        pending.elapsed_s
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACCEPTED: &str = "2026-11-26T10:00:00Z";

    fn job(phase: &str, cancelled_at: Option<&str>) -> Job {
        let mut job = Job::bare("j", phase);
        job.cancelled_at = cancelled_at.map(str::to_string);
        job
    }

    fn at(seconds_after: i64) -> u64 {
        (parse_rfc3339(ACCEPTED).unwrap() + seconds_after * 1_000) as u64
    }

    #[test]
    fn an_active_job_with_an_accepted_cancel_is_pending() {
        let pending = cancel_pending(&job("matching", Some(ACCEPTED)), at(12)).unwrap();
        assert_eq!(
            pending,
            CancelPending {
                elapsed_s: 12,
                offer_force_delete: false
            }
        );
        assert_eq!(status(pending), "Cancelling… 12 s");
    }

    #[test]
    fn force_delete_is_offered_from_thirty_seconds_on() {
        let job = job("evidence", Some(ACCEPTED));
        assert!(!cancel_pending(&job, at(29)).unwrap().offer_force_delete);
        let pending = cancel_pending(&job, at(30)).unwrap();
        assert!(pending.offer_force_delete);
        assert!(still_running(pending).starts_with("Still running 30 s after"));
    }

    #[test]
    fn nothing_is_pending_without_a_cancel_or_once_the_job_stopped() {
        assert_eq!(cancel_pending(&job("matching", None), at(50)), None);
        assert_eq!(
            cancel_pending(&job("cancelled", Some(ACCEPTED)), at(50)),
            None
        );
        assert_eq!(
            cancel_pending(&job("completed", Some(ACCEPTED)), at(50)),
            None
        );
        assert_eq!(
            cancel_pending(&job("archiving", Some(ACCEPTED)), at(50)),
            None
        );
        assert_eq!(
            cancel_pending(&job("matching", Some("not a time")), at(50)),
            None
        );
    }

    #[test]
    fn a_server_clock_ahead_of_ours_never_makes_a_negative_wait() {
        let pending = cancel_pending(&job("matching", Some(ACCEPTED)), at(-5)).unwrap();
        assert_eq!(pending.elapsed_s, 0);
    }
}
