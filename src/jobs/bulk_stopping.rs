//! The jobs a bulk delete cancelled first and now waits for (issue #22): the cancel was accepted,
//! the workers have not stopped yet. A waiting job holds no request slot — the run goes on with
//! the others — and makes no request of its own: its phase comes from the view's live feed, one
//! list read for every job (`bulk_runner::jobs_changed`), which the runner keeps at its fast
//! interval while any job waits. Pure; tested natively.

use crate::jobs::store::JobStore;

/// How long a job may take to stop after its cancel was accepted before its delete is given up.
pub const STOP_WAIT_MS: u64 = 60_000;
/// How often, while jobs wait, the feed is asked to hurry (it then reads once a second, five
/// times) and the waits are looked at again (a job gone, a wait over).
pub const WATCH_EVERY_MS: u32 = 4_000;
/// Why a job cancelled first was not deleted: it did not stop in time.
pub const STILL_RUNNING: &str =
    "Still running 60 s after its cancel was accepted: force-delete it, or delete it once it stops.";

/// What a view knows of a waiting job now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// Its phase is terminal: it may be deleted.
    Stopped,
    /// It is no longer there (deleted elsewhere).
    Gone,
    /// Still running, or not known otherwise yet.
    Running,
}

impl Seen {
    /// What a view's store says of `job`: its phase as last merged, or that it was deleted.
    pub fn in_store(store: &JobStore, job: &str) -> Seen {
        match store.get(job) {
            Some(known) if known.phase.is_terminal() => Seen::Stopped,
            _ if store.is_deleted(job) => Seen::Gone,
            _ => Seen::Running,
        }
    }
}

/// The waiting jobs, and whether a watch of them is under way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stopping {
    /// Each job with the time its wait ends, in the order their cancels were accepted.
    waiting: Vec<(String, u64)>,
    watched: bool,
}

impl Stopping {
    /// `job`'s cancel was accepted at `now_ms` and it has not stopped: it waits.
    pub fn wait_for(&mut self, job: String, now_ms: u64) {
        if !self.contains(&job) {
            self.waiting.push((job, now_ms + STOP_WAIT_MS));
        }
    }

    pub fn contains(&self, job: &str) -> bool {
        self.waiting.iter().any(|(id, _)| id == job)
    }

    pub fn is_empty(&self) -> bool {
        self.waiting.is_empty()
    }

    /// The waiting jobs, in order.
    pub fn jobs(&self) -> Vec<String> {
        self.waiting.iter().map(|(job, _)| job.clone()).collect()
    }

    /// `job` waits no more (it stopped, or is gone); false if it was not waiting.
    pub fn take(&mut self, job: &str) -> bool {
        let before = self.waiting.len();
        self.waiting.retain(|(id, _)| id != job);
        self.waiting.len() < before
    }

    /// The jobs whose wait is over at `now_ms`, taken out.
    pub fn overdue(&mut self, now_ms: u64) -> Vec<String> {
        let mut over = Vec::new();
        self.waiting.retain(|(job, until)| {
            let waits = *until > now_ms;
            if !waits {
                over.push(job.clone());
            }
            waits
        });
        over
    }

    /// Every waiting job, taken out (Stop).
    pub fn drain(&mut self) -> Vec<String> {
        self.waiting.drain(..).map(|(job, _)| job).collect()
    }

    /// Whether a watch must start now: a job waits and none is under way (it then is).
    pub fn watch(&mut self) -> bool {
        let start = !self.watched && !self.is_empty();
        self.watched |= start;
        start
    }

    /// Whether the watch under way goes on: only while a job waits (the next wait starts another).
    pub fn keep_watching(&mut self) -> bool {
        self.watched = !self.is_empty();
        self.watched
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_waits_until_taken_or_its_minute_is_over() {
        let mut stopping = Stopping::default();
        stopping.wait_for("a".into(), 1_000);
        stopping.wait_for("b".into(), 2_000);
        stopping.wait_for("a".into(), 5_000);
        assert_eq!(stopping.jobs(), ["a", "b"]);
        assert!(stopping.overdue(60_999).is_empty());
        assert_eq!(stopping.overdue(61_000), ["a"]);
        assert!(stopping.take("b"));
        assert!(!stopping.take("b"));
        assert!(stopping.is_empty());
    }

    #[test]
    fn one_watch_at_a_time_and_only_while_a_job_waits() {
        let mut stopping = Stopping::default();
        assert!(!stopping.watch(), "nothing waits");
        stopping.wait_for("a".into(), 0);
        assert!(stopping.watch());
        stopping.wait_for("b".into(), 0);
        assert!(!stopping.watch(), "one is under way");
        assert!(stopping.keep_watching());
        assert_eq!(stopping.drain(), ["a", "b"]);
        assert!(!stopping.keep_watching());
        stopping.wait_for("c".into(), 0);
        assert!(
            stopping.watch(),
            "the last one ended: a new wait starts another"
        );
    }
}
