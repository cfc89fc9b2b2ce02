//! After a delete the server answered, whether the job is really gone (PRD §7.4): asked with
//! `GET` every `DELETION_CHECK_INTERVAL_MS` until it answers 404, for up to `DELETION_CHECK_MS`.
//! One loop for the job pages and the popup (each had its own, and they had drifted); what each
//! shows of the outcome stays theirs.

use crate::api::endpoint::Fetched;
use crate::api::error::ApiError;
use crate::api::model::Job;
use crate::live::cadence::{DELETION_CHECK_INTERVAL_MS, DELETION_CHECK_MS};
use std::future::Future;

/// What the checks found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Deletion {
    /// The server answered 404: the job is gone.
    Confirmed,
    /// The view went away (its requests were aborted, or it is no longer current): nothing to
    /// show.
    Abandoned,
    /// Still there after the whole wait. The view brings the job back, marked, with the last
    /// state the server gave (and when that read started), if it gave one.
    NotConfirmed(Option<(Job, u64)>),
}

impl Deletion {
    /// How Activity words what the checks found; nothing when the view went away.
    pub fn confirmation(&self) -> Option<&'static str> {
        match self {
            Deletion::Confirmed => Some(crate::jobs::activity::GONE_404),
            Deletion::NotConfirmed(_) => Some(crate::jobs::activity::NOT_GONE),
            Deletion::Abandoned => None,
        }
    }
}

/// Runs the checks. `waited` is how long they already ran (the background's, when a stopped
/// worker resumes them): they end `DELETION_CHECK_MS` after they began, but always with one more
/// read and one more interval. `read` asks the server once and says when its request started (on
/// the view's clock); `sleep` waits; `current` says whether the view still shows this job's list.
pub async fn confirm<R, RF, S, SF>(
    waited: u32,
    mut read: R,
    sleep: S,
    current: impl Fn() -> bool,
) -> Deletion
where
    R: FnMut() -> RF,
    RF: Future<Output = (Result<Fetched<Job>, ApiError>, u64)>,
    S: Fn(u32) -> SF,
    SF: Future<Output = ()>,
{
    let mut waited = waited.min(DELETION_CHECK_MS - DELETION_CHECK_INTERVAL_MS);
    let mut still_there = None;
    while waited < DELETION_CHECK_MS {
        match read().await {
            (Err(ApiError::NotFound), _) => return Deletion::Confirmed,
            (Err(ApiError::Aborted), _) => return Deletion::Abandoned,
            (Ok(Fetched::Fresh { value, .. }), as_of) => still_there = Some((value, as_of)),
            // A failed or unchanged read says nothing new; ask again.
            _ => {}
        }
        if !current() {
            return Deletion::Abandoned;
        }
        sleep(DELETION_CHECK_INTERVAL_MS).await;
        waited += DELETION_CHECK_INTERVAL_MS;
    }
    if current() {
        Deletion::NotConfirmed(still_there)
    } else {
        Deletion::Abandoned
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::{Cell, RefCell};
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    /// Runs a future whose every step is ready at once (no timer, no network here).
    fn run<T>(future: impl Future<Output = T>) -> T {
        let mut future = pin!(future);
        match future
            .as_mut()
            .poll(&mut Context::from_waker(Waker::noop()))
        {
            Poll::Ready(value) => value,
            Poll::Pending => panic!("the checks waited on something"),
        }
    }

    /// Checks against scripted answers; returns the outcome, the reads made and the time slept.
    fn check(
        answers: Vec<Result<Fetched<Job>, ApiError>>,
        current: bool,
    ) -> (Deletion, usize, u32) {
        check_after(0, answers, current)
    }

    /// `check`, for checks that already ran `waited` ms.
    fn check_after(
        waited: u32,
        answers: Vec<Result<Fetched<Job>, ApiError>>,
        current: bool,
    ) -> (Deletion, usize, u32) {
        let answers = RefCell::new(answers.into_iter());
        let reads = Cell::new(0);
        let slept = Cell::new(0);
        let outcome = run(confirm(
            waited,
            || {
                reads.set(reads.get() + 1);
                let answer = answers
                    .borrow_mut()
                    .next()
                    .unwrap_or(Err(ApiError::Network("no more answers".into())));
                std::future::ready((answer, reads.get() as u64))
            },
            |ms| {
                slept.set(slept.get() + ms);
                std::future::ready(())
            },
            || current,
        ));
        (outcome, reads.get(), slept.get())
    }

    #[test]
    fn a_404_confirms_at_once() {
        let still = Ok(Fetched::Fresh {
            value: Job::bare("j", "completed"),
            etag: None,
        });
        assert_eq!(
            check(vec![still, Err(ApiError::NotFound)], true),
            (Deletion::Confirmed, 2, DELETION_CHECK_INTERVAL_MS)
        );
    }

    #[test]
    fn still_there_after_the_whole_wait_brings_back_the_last_state_read() {
        let reads = (DELETION_CHECK_MS / DELETION_CHECK_INTERVAL_MS) as usize;
        let mut answers: Vec<_> = (0..reads - 1)
            .map(|_| {
                Ok(Fetched::Fresh {
                    value: Job::bare("j", "completed"),
                    etag: None,
                })
            })
            .collect();
        // The last read failed: the last state the server gave is still the one to show.
        answers.push(Err(ApiError::Network("offline".into())));
        let (outcome, made, slept) = check(answers, true);
        assert_eq!(
            outcome,
            Deletion::NotConfirmed(Some((Job::bare("j", "completed"), reads as u64 - 1)))
        );
        assert_eq!((made, slept), (reads, DELETION_CHECK_MS));
    }

    #[test]
    fn a_view_that_went_away_stops_asking() {
        assert_eq!(
            check(vec![Err(ApiError::Aborted)], true),
            (Deletion::Abandoned, 1, 0)
        );
        let still = Ok(Fetched::Fresh {
            value: Job::bare("j", "completed"),
            etag: None,
        });
        assert_eq!(check(vec![still], false), (Deletion::Abandoned, 1, 0));
    }

    #[test]
    fn checks_resumed_end_when_they_would_have_with_one_read_at_least() {
        let still = || {
            Ok(Fetched::Fresh {
                value: Job::bare("j", "completed"),
                etag: None,
            })
        };
        let all_still = || (0..40).map(|_| still()).collect::<Vec<_>>();
        // 50 s of the minute already spent: the 10 s left, a read every interval.
        let (outcome, made, slept) = check_after(50_000, all_still(), true);
        assert!(matches!(outcome, Deletion::NotConfirmed(Some(_))));
        assert_eq!((made, slept), (5, 10_000));
        // The minute is over: one more read, and one more interval.
        let (outcome, made, slept) = check_after(600_000, all_still(), true);
        assert!(matches!(outcome, Deletion::NotConfirmed(Some(_))));
        assert_eq!((made, slept), (1, DELETION_CHECK_INTERVAL_MS));
        assert_eq!(
            check_after(600_000, vec![Err(ApiError::NotFound)], true),
            (Deletion::Confirmed, 1, 0)
        );
    }
}
