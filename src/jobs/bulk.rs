//! Bulk cancel and delete (issue #24, PRD §12 phase 4): the run (the kinds are `bulk_kind`, what a
//! selection offers `bulk_offer`) — at most `CONCURRENCY` requests in flight, each job once, a job
//! cancelled first waiting for its workers without a slot (`bulk_stopping`), a Stop that
//! schedules nothing further (what is in flight finishes and is reported), a pause when the
//! server says it is busy (429 with its `Retry-After`, or a 502/503/504), and a summary that says
//! what was and was not done. Pure: a view sends what `Run::next` asks for and reports each answer
//! back with `Run::answered`; every path is tested natively.

use crate::jobs::bulk_claims::Claims;
pub use crate::jobs::bulk_kind::BulkKind;
use crate::jobs::bulk_stopping::{Seen, Stopping, STILL_RUNNING};
use crate::jobs::bulk_tries::Tries;

/// Requests in flight at most (the default: small, never unbounded).
pub const CONCURRENCY: usize = 4;
/// How many times one job is sent when the server keeps saying it is busy while the run makes no
/// progress (a busy answer that came while other jobs were done is the server pacing the run, not
/// refusing this job: it is no attempt, so a run behind a rate limiter loses no job to it).
pub const ATTEMPTS: u32 = 3;
/// The pause after a busy answer without `Retry-After`, doubled per busy answer in a row, and
/// its longest.
pub const PAUSE_MS: u64 = 1_000;
pub const MAX_PAUSE_MS: u64 = 30_000;

/// Whether an outcome is of one kind (the summary's parts).
type OutcomeTest = fn(&Outcome) -> bool;

/// What became of one job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// The message the user reads.
    Failed(String),
    /// Stopped (or left) before it was sent.
    NotStarted,
    /// Not sent: another view (a tab, the popup) was acting on it (`BulkView::claim`).
    Elsewhere,
}

/// A request's answer, as the view reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Done,
    /// The server is busy (429, 502, 503, 504): the job is sent again after a pause —
    /// `retry_after_ms` when the server said how long — up to `ATTEMPTS` times.
    Busy {
        message: String,
        retry_after_ms: Option<u64>,
    },
    Failed(String),
    /// A delete's cancel first was accepted and the job has not stopped: it waits without a
    /// request slot (`bulk_stopping`) until the view sees it stopped (`Run::seen`).
    Stopping,
}

/// What to do now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// Send the request for this job (the run holds its claim).
    Send(String),
    /// Claim these jobs for the run, in one message (`bulk_claims`), and report the answer with
    /// `Run::claimed`.
    Claim(Vec<String>),
    /// Nothing may be sent before this time (the server asked for a pause).
    WaitUntil(u64),
    /// Wait for an answer in flight, or for a job to stop.
    Answers,
    /// Everything is answered, or stopped.
    Finished,
}

/// One bulk action, from its confirmation to its summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub kind: BulkKind,
    /// The jobs, in the order they were selected, each once.
    jobs: Vec<String>,
    queue: std::collections::VecDeque<String>,
    in_flight: Vec<String>,
    tries: Tries,
    outcomes: Vec<(String, Outcome)>,
    stopped: bool,
    resume_at_ms: u64,
    busy_in_a_row: u32,
    /// Jobs a delete cancels first, then deletes once they stopped (`bulk_runner`).
    cancel_first: Vec<String>,
    /// Jobs cancelled first that wait for their workers (no slot held meanwhile).
    stopping: Stopping,
    claims: Claims,
}

impl Run {
    /// A run of `kind` over `jobs` (a job named twice is sent once).
    pub fn new(kind: BulkKind, jobs: impl IntoIterator<Item = String>) -> Run {
        let mut unique: Vec<String> = Vec::new();
        for job in jobs {
            if !unique.contains(&job) {
                unique.push(job);
            }
        }
        Run {
            kind,
            queue: unique.iter().cloned().collect(),
            jobs: unique,
            in_flight: Vec::new(),
            tries: Tries::default(),
            outcomes: Vec::new(),
            stopped: false,
            resume_at_ms: 0,
            busy_in_a_row: 0,
            cancel_first: Vec::new(),
            stopping: Stopping::default(),
            claims: Claims::default(),
        }
    }

    /// The same run, cancelling `jobs` (running ones) first before deleting them.
    pub fn cancelling_first(mut self, jobs: Vec<String>) -> Run {
        self.cancel_first = jobs;
        self
    }

    /// Whether `job` is cancelled first, then deleted once it stopped.
    pub fn cancels_first(&self, job: &str) -> bool {
        self.cancel_first.iter().any(|id| id == job)
    }

    /// What to do at `now_ms`. Each `Send` counts as in flight until `answered`.
    pub fn next(&mut self, now_ms: u64) -> Next {
        if self.queue.is_empty() {
            return if self.is_finished() {
                Next::Finished
            } else {
                Next::Answers
            };
        }
        if self.in_flight.len() >= CONCURRENCY {
            return Next::Answers;
        }
        if now_ms < self.resume_at_ms {
            return Next::WaitUntil(self.resume_at_ms);
        }
        if let Some(batch) = self.claims.due(&self.queue, now_ms) {
            return Next::Claim(batch);
        }
        // The next job's claim is on its way.
        if !self
            .queue
            .front()
            .is_some_and(|job| self.claims.holds(job, now_ms))
        {
            return Next::Answers;
        }
        let Some(job) = self.queue.pop_front() else {
            return Next::Answers;
        };
        self.claims.sent(&job);
        self.in_flight.push(job.clone());
        self.tries.sent(&job);
        Next::Send(job)
    }

    /// The answer for `job` at `now_ms`. An answer for a job not in flight is ignored.
    pub fn answered(&mut self, job: &str, answer: Answer, now_ms: u64) {
        let Some(at) = self.in_flight.iter().position(|id| id == job) else {
            return;
        };
        let job = self.in_flight.remove(at);
        match answer {
            Answer::Done => {
                self.tries.done();
                self.busy_in_a_row = 0;
                self.outcomes.push((job, Outcome::Done));
            }
            Answer::Busy {
                message,
                retry_after_ms,
            } => {
                self.busy_in_a_row += 1;
                let attempts = self.tries.busy(&job);
                let pause = retry_after_ms.unwrap_or_else(|| {
                    let doubled = PAUSE_MS << (self.busy_in_a_row - 1).min(16);
                    doubled.min(MAX_PAUSE_MS)
                });
                self.resume_at_ms = self.resume_at_ms.max(now_ms + pause);
                if attempts < ATTEMPTS && !self.stopped {
                    self.queue.push_front(job);
                } else {
                    self.outcomes.push((job, Outcome::Failed(message)));
                }
            }
            Answer::Failed(message) => {
                self.busy_in_a_row = 0;
                self.outcomes.push((job, Outcome::Failed(message)));
            }
            Answer::Stopping => {
                self.tries.done();
                self.busy_in_a_row = 0;
                self.stopping.wait_for(job, now_ms);
            }
        }
    }

    /// The jobs waiting for their workers to stop.
    pub fn waiting(&self) -> Vec<String> {
        self.stopping.jobs()
    }

    /// What the view knows now of `job`, if it waits to stop: stopped, it is sent next, for its
    /// delete alone; gone, it is done. Whether that changed the run.
    pub fn seen(&mut self, job: &str, seen: Seen) -> bool {
        if seen == Seen::Running || !self.stopping.take(job) {
            return false;
        }
        if seen == Seen::Stopped {
            self.cancel_first.retain(|id| id != job);
            self.queue.push_front(job.to_string());
        } else {
            self.outcomes.push((job.to_string(), Outcome::Done));
        }
        true
    }

    /// The waiting jobs still running at `now_ms` a minute after their cancel: failed, not
    /// deleted. Their claims, to give back.
    pub fn expire(&mut self, now_ms: u64) -> Vec<String> {
        let over = self.stopping.overdue(now_ms);
        for job in &over {
            let why = Outcome::Failed(STILL_RUNNING.into());
            self.outcomes.push((job.clone(), why));
        }
        over
    }

    /// Whether a watch of the waiting jobs must start now (`Stopping::watch`).
    pub fn watch(&mut self) -> bool {
        self.stopping.watch()
    }

    /// Whether the watch under way goes on (`Stopping::keep_watching`).
    pub fn keep_watching(&mut self) -> bool {
        self.stopping.keep_watching()
    }

    /// The background's answer to a `Next::Claim(jobs)` at `now_ms`: for each job, in order,
    /// whether the run now holds it (a missing answer refuses nothing). A job another view holds
    /// is not sent ("handled elsewhere"). The claims to give back (`BulkView::release`): those
    /// granted for jobs the run no longer sends (stopped meanwhile).
    pub fn claimed(&mut self, jobs: Vec<String>, granted: &[bool], now_ms: u64) -> Vec<String> {
        let mut held = Vec::new();
        for (at, job) in jobs.into_iter().enumerate() {
            if granted.get(at) != Some(&false) {
                held.push(job);
                continue;
            }
            let queued = self.queue.len();
            self.queue.retain(|id| *id != job);
            if self.queue.len() < queued {
                self.outcomes.push((job, Outcome::Elsewhere));
            }
        }
        self.claims.answered(held, now_ms);
        self.unused_claims()
    }

    /// The claims the run holds for jobs it will no longer send (after a Stop): to give back.
    pub fn unused_claims(&mut self) -> Vec<String> {
        self.claims.unused(&self.queue)
    }

    /// Stop: nothing more is sent; what is in flight is still answered.
    pub fn stop(&mut self) {
        self.stopped = true;
        for job in self.queue.drain(..) {
            self.outcomes.push((job, Outcome::NotStarted));
        }
        // A job waiting to stop was cancelled; its delete is not sent.
        for job in self.stopping.drain() {
            self.outcomes.push((job, Outcome::NotStarted));
        }
    }

    pub fn is_stopped(&self) -> bool {
        self.stopped
    }

    /// Every job answered, or stopped before it was sent.
    pub fn is_finished(&self) -> bool {
        self.queue.is_empty() && self.in_flight.is_empty() && self.stopping.is_empty()
    }

    /// How many jobs' outcomes are `wanted`.
    pub fn outcome_count(&self, wanted: impl Fn(&Outcome) -> bool) -> usize {
        self.outcomes
            .iter()
            .filter(|(_, outcome)| wanted(outcome))
            .count()
    }

    pub fn total(&self) -> usize {
        self.jobs.len()
    }

    /// How many jobs have an answer (or were stopped before being sent).
    pub fn answered_count(&self) -> usize {
        self.outcome_count(|outcome| *outcome != Outcome::NotStarted)
    }

    /// The jobs in flight now.
    pub fn in_flight(&self) -> &[String] {
        &self.in_flight
    }

    /// What became of `job`, once it is known.
    pub fn outcome(&self, job: &str) -> Option<&Outcome> {
        self.outcomes
            .iter()
            .find(|(id, _)| id == job)
            .map(|(_, outcome)| outcome)
    }

    /// What the job's row shows while this run is about it: its request in flight
    /// ("Deleting…"), its wait for its workers ("Cancelling…", as one job's Cancel & Delete says),
    /// or that it failed (the summary says why).
    pub fn row_step(&self, job: &str) -> Option<&'static str> {
        if self.stopping.contains(job) {
            return Some("Cancelling…");
        }
        if self.in_flight.iter().any(|id| id == job) {
            return Some(match self.kind {
                BulkKind::Cancel => "Cancelling…",
                BulkKind::Delete { .. } => "Deleting…",
            });
        }
        matches!(self.outcome(job), Some(Outcome::Failed(_))).then_some("Failed")
    }

    /// "Deleting 37 / 120".
    pub fn progress(&self) -> String {
        format!(
            "{} {} / {}",
            self.kind.doing(),
            self.answered_count(),
            self.total()
        )
    }

    /// "118 deleted · 2 failed", with "· 1 handled elsewhere" for a job another view was acting
    /// on and "· 5 not started" after a Stop.
    pub fn summary(&self) -> String {
        let mut summary = format!(
            "{} {}",
            self.outcome_count(|outcome| *outcome == Outcome::Done),
            self.kind.done()
        );
        let others: [(&str, OutcomeTest); 3] = [
            ("failed", |outcome| matches!(outcome, Outcome::Failed(_))),
            ("handled elsewhere", |outcome| {
                *outcome == Outcome::Elsewhere
            }),
            ("not started", |outcome| *outcome == Outcome::NotStarted),
        ];
        for (label, wanted) in others {
            let count = self.outcome_count(wanted);
            if count > 0 {
                // Written out rather than joined (`[String]::join`: 0.9 KB of wasm).
                summary.push_str(&format!(" · {count} {label}"));
            }
        }
        summary
    }

    /// The failed jobs with why, in the order they were selected.
    pub fn failures(&self) -> Vec<(String, String)> {
        self.jobs
            .iter()
            .filter_map(|job| match self.outcome(job) {
                Some(Outcome::Failed(why)) => Some((job.clone(), why.clone())),
                _ => None,
            })
            .collect()
    }

    /// A new run of the same kind over just the failed jobs ("Retry failed").
    pub fn retry_failed(&self) -> Run {
        let failed: Vec<String> = self.failures().into_iter().map(|(job, _)| job).collect();
        let cancel_first = self
            .cancel_first
            .iter()
            .filter(|job| failed.contains(job))
            .cloned()
            .collect();
        Run::new(self.kind, failed).cancelling_first(cancel_first)
    }
}

#[cfg(test)]
#[path = "bulk_tests.rs"]
mod tests;
