//! The jobs a view knows, and the rule that keeps them from going back in time: every state
//! carries the logical time it was current as of, and a response that started before a newer
//! known state for its job is discarded (a poll that left before a cancel cannot show the job
//! running again). Deleted jobs leave a tombstone so a stale list cannot bring them back.

use crate::api::json::{self, FromJson, Json};
use crate::api::model::Job;
use crate::jobs::idmap::IdMap;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Known {
    job: Job,
    /// The time this state was current as of.
    as_of: u64,
    source: Source,
}

/// Where a job's state came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A read of the API (a poll, the first load, a re-read).
    Read,
    /// An action's answer (a cancel), here or in another tab.
    Action,
}

#[derive(Debug, Default)]
pub struct JobStore {
    jobs: IdMap<Known>,
    /// Deleted job ids and when that became known.
    deleted: IdMap<u64>,
    clock: u64,
}

impl JobStore {
    /// A new logical time: call it when a request starts (its answer is current as of then) and
    /// when an action's answer arrives (the action's effect is current as of its arrival).
    pub fn tick(&mut self) -> u64 {
        self.clock += 1;
        self.clock
    }

    /// `tick` on a wall clock shared by several stores (every tab and the background of one
    /// browser, in milliseconds): strictly increasing here, and comparable with the times other
    /// contexts stamp on what they send.
    pub fn tick_at(&mut self, now_ms: u64) -> u64 {
        self.clock = (self.clock + 1).max(now_ms);
        self.clock
    }

    /// Another context's time was seen: later ticks here come after it.
    pub fn observe(&mut self, as_of: u64) {
        self.clock = self.clock.max(as_of);
    }

    /// Where the job's current state came from.
    pub fn source(&self, job_id: &str) -> Option<Source> {
        self.jobs.get(job_id).map(|known| known.source)
    }

    pub fn get(&self, job_id: &str) -> Option<&Job> {
        self.jobs.get(job_id).map(|known| &known.job)
    }

    pub fn is_deleted(&self, job_id: &str) -> bool {
        self.deleted.contains_key(job_id)
    }

    /// Offers a job state read from the API, current as of `as_of`; returns whether it was taken.
    pub fn offer(&mut self, job: Job, as_of: u64) -> bool {
        self.offer_from(job, as_of, Source::Read)
    }

    /// Offers a job state from `source`, current as of `as_of`; returns whether it was taken.
    pub fn offer_from(&mut self, job: Job, as_of: u64, source: Source) -> bool {
        if self
            .deleted
            .get(&job.id)
            .is_some_and(|&deleted_at| deleted_at >= as_of)
        {
            return false;
        }
        if let Some(known) = self.jobs.get(&job.id) {
            let older = as_of < known.as_of;
            // Terminal phases are final: nothing shows a finished job running again.
            let resurrects = known.job.phase.is_terminal() && job.phase.is_active();
            if older || resurrects {
                return false;
            }
        }
        self.deleted.remove(&job.id);
        self.jobs
            .insert(job.id.clone(), Known { job, as_of, source });
        true
    }

    /// Offers a whole list answer; returns how many jobs it changed.
    pub fn offer_all(&mut self, jobs: Vec<Job>, as_of: u64) -> usize {
        let mut changed = 0;
        for job in jobs {
            // An identical answer is still taken: it moves the state's time forward.
            let differs = self.get(&job.id) != Some(&job);
            if self.offer(job, as_of) && differs {
                changed += 1;
            }
        }
        changed
    }

    /// Updates a known job in place (an action's answer), current as of `as_of`.
    pub fn update(&mut self, job_id: &str, as_of: u64, change: impl FnOnce(&mut Job)) {
        if let Some(known) = self.jobs.get_mut(job_id) {
            if as_of >= known.as_of {
                change(&mut known.job);
                known.as_of = as_of;
                known.source = Source::Action;
            }
        }
    }

    /// The deletion was not confirmed: stop treating the job as deleted (the next answer that
    /// has it shows it again).
    pub fn forget_deletion(&mut self, job_id: &str) {
        self.deleted.remove(job_id);
    }

    /// The job is gone, as of `as_of`.
    pub fn remove(&mut self, job_id: &str, as_of: u64) {
        self.jobs.remove(job_id);
        self.deleted.insert(job_id.to_string(), as_of);
    }
}

/// The store as JSON, and back: everything it knows, with the times and sources (the page-wide
/// content build hands its store to the actions build this way, `handoff.rs`).
impl JobStore {
    pub fn to_json(&self) -> String {
        let jobs = json::write_array(self.jobs.iter(), |out, (_, known)| {
            out.push_str(&json::write_object(
                &[
                    ("as_of", Some(&known.as_of.to_string())),
                    ("source", Some(known.source.name())),
                ],
                &[("job", &crate::live::sync::job_json(&known.job))],
            ));
        });
        let deleted = json::write_array(self.deleted.iter(), |out, (id, as_of)| {
            out.push_str(&json::write_string_object(&[
                ("id", Some(id)),
                ("as_of", Some(&as_of.to_string())),
            ]));
        });
        json::write_object(
            &[("clock", Some(&self.clock.to_string()))],
            &[("jobs", &jobs), ("deleted", &deleted)],
        )
    }
}

impl FromJson for JobStore {
    fn from_json(value: &Json) -> Result<JobStore, String> {
        let mut store = JobStore {
            clock: time_member(value, "clock")?,
            ..JobStore::default()
        };
        for entry in array_member(value, "jobs")? {
            let job = Job::from_json(entry.member(&["job"]).ok_or("a job entry has no `job`")?)?;
            let source = Source::from_name(&entry.required_str(&["source"])?)
                .ok_or("a job entry's `source` is neither `read` nor `action`")?;
            let as_of = time_member(entry, "as_of")?;
            store
                .jobs
                .insert(job.id.clone(), Known { job, as_of, source });
        }
        for entry in array_member(value, "deleted")? {
            let id = entry.required_str(&["id"])?;
            store.deleted.insert(id, time_member(entry, "as_of")?);
        }
        Ok(store)
    }
}

fn time_member(value: &Json, name: &str) -> Result<u64, String> {
    value
        .required_str(&[name])?
        .parse()
        .map_err(|_| format!("`{name}` is not a whole number"))
}

fn array_member<'a>(value: &'a Json, name: &str) -> Result<&'a [Json], String> {
    match value.member(&[name]) {
        Some(Json::Array(items)) => Ok(items),
        _ => Err(format!("`{name}` is not an array")),
    }
}

impl Source {
    fn name(self) -> &'static str {
        match self {
            Source::Read => "read",
            Source::Action => "action",
        }
    }

    fn from_name(name: &str) -> Option<Source> {
        match name {
            "read" => Some(Source::Read),
            "action" => Some(Source::Action),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jobs::phase::Phase;

    fn job(phase: &str) -> Job {
        Job::bare("j", phase)
    }

    fn phase(store: &JobStore) -> Option<&str> {
        store.get("j").map(|job| job.phase.as_wire())
    }

    #[test]
    fn a_poll_that_started_before_a_cancel_cannot_undo_it() {
        let mut store = JobStore::default();
        let first = store.tick();
        store.offer(job("matching"), first);
        let poll_started = store.tick(); // poll leaves
        let cancel_arrived = store.tick(); // the cancel's answer arrives
        store.update("j", cancel_arrived, |job| job.phase = Phase::Cancelled);
        assert!(
            !store.offer(job("matching"), poll_started),
            "the stale poll returns"
        );
        assert_eq!(phase(&store), Some("cancelled"));
        let later_poll = store.tick();
        assert!(store.offer(job("cancelled"), later_poll));
    }

    #[test]
    fn newer_states_replace_older_ones_and_not_the_reverse() {
        let mut store = JobStore::default();
        let early = store.tick();
        let late = store.tick();
        assert!(store.offer(job("evidence"), late));
        assert!(
            !store.offer(job("matching"), early),
            "answers arriving out of order"
        );
        assert_eq!(phase(&store), Some("evidence"));
        assert!(
            store.offer(job("evidence"), late),
            "the same time again is fine"
        );
    }

    #[test]
    fn finished_jobs_never_run_again() {
        let mut store = JobStore::default();
        let t = store.tick();
        store.offer(job("completed"), t);
        let later = store.tick();
        assert!(!store.offer(job("matching"), later));
        assert_eq!(phase(&store), Some("completed"));
        assert!(
            store.offer(job("cancelled"), later),
            "terminal to terminal is allowed"
        );
    }

    #[test]
    fn deleted_jobs_stay_gone_for_stale_answers() {
        let mut store = JobStore::default();
        let listed = store.tick();
        store.offer(job("completed"), listed);
        let stale_list = store.tick();
        let deleted = store.tick();
        store.remove("j", deleted);
        assert!(store.is_deleted("j"));
        assert_eq!(store.offer_all(vec![job("completed")], stale_list), 0);
        assert_eq!(phase(&store), None);
        // A list that started after the delete and still has the job: it exists again.
        let fresh = store.tick();
        assert_eq!(store.offer_all(vec![job("completed")], fresh), 1);
        assert!(!store.is_deleted("j"));
    }

    #[test]
    fn across_contexts_a_stale_poll_loses_to_a_cancel_published_by_another_tab() {
        // The background's store: its poll leaves at 1000 ms; tab A's cancel answer arrives at
        // 1200 ms and is published; the poll comes back at 1500 ms with `matching`.
        let mut hub = JobStore::default();
        let loaded = hub.tick_at(900);
        hub.offer(job("matching"), loaded);
        let poll_started = hub.tick_at(1_000);
        let mut cancelled = job("cancelled");
        cancelled.cancelled_at = Some("t".into());
        hub.observe(1_200);
        assert!(hub.offer_from(cancelled.clone(), 1_200, Source::Action));
        assert!(!hub.offer(job("matching"), poll_started), "the stale poll");
        assert_eq!(phase(&hub), Some("cancelled"));
        assert_eq!(hub.source("j"), Some(Source::Action));
        // Tab B got the stale answer's time stamped on a broadcast that raced the cancel: its
        // store has the published cancel already and keeps it.
        let mut tab_b = JobStore::default();
        tab_b.observe(1_200);
        tab_b.offer_from(cancelled, 1_200, Source::Action);
        assert!(!tab_b.offer(job("matching"), poll_started));
        assert_eq!(phase(&tab_b), Some("cancelled"));
        // A poll that starts later is taken, and it says where it came from.
        let next = hub.tick_at(1_100);
        assert!(next > 1_200, "ticks never go back behind what was observed");
        assert!(hub.offer(job("cancelled"), next));
        assert_eq!(hub.source("j"), Some(Source::Read));
    }

    #[test]
    fn tick_at_is_strictly_increasing_even_when_the_wall_clock_is_not() {
        let mut store = JobStore::default();
        assert_eq!(store.tick_at(50), 50);
        assert_eq!(store.tick_at(50), 51);
        assert_eq!(store.tick_at(10), 52);
        assert_eq!(store.tick_at(100), 100);
    }

    #[test]
    fn a_store_read_back_from_its_json_behaves_as_the_original() {
        let mut store = JobStore::default();
        let listed = store.tick_at(1_000);
        let mut cancelled = job("cancelled");
        cancelled.id = "c \"quoted\" ☃".into();
        cancelled.cancellation_reason = Some("line one\nline two".into());
        store.offer_all(vec![job("matching"), cancelled.clone()], listed);
        let acted = store.tick_at(2_000);
        store.update("j", acted, |job| job.phase = Phase::Cancelled);
        let gone = store.tick_at(3_000);
        store.offer(Job::bare("gone", "completed"), listed);
        store.remove("gone", gone);

        let text = store.to_json();
        let mut copy = json::decode::<JobStore>(&text).unwrap();
        assert_eq!(copy.to_json(), text);
        assert_eq!(copy.get("c \"quoted\" ☃"), Some(&cancelled));
        assert_eq!(phase(&copy), Some("cancelled"));
        assert_eq!(copy.source("j"), Some(Source::Action));
        // The times came along: a read that started before the cancel still loses, the deletion
        // still holds against a stale list, and the clock goes on from where it was.
        assert!(!copy.offer(job("matching"), listed));
        assert_eq!(
            copy.offer_all(vec![Job::bare("gone", "completed")], listed),
            0
        );
        assert!(copy.is_deleted("gone"));
        assert_eq!(copy.tick_at(10), 3_001);
    }

    #[test]
    fn a_store_text_that_is_not_one_is_refused_with_what_is_wrong() {
        let check = |text: &str, message: &str| {
            assert_eq!(
                json::decode::<JobStore>(text).unwrap_err(),
                message,
                "{text}"
            );
        };
        check(r#"{"jobs":[],"deleted":[]}"#, "missing `clock`");
        check(
            r#"{"clock":"x","jobs":[],"deleted":[]}"#,
            "`clock` is not a whole number",
        );
        check(r#"{"clock":"1","deleted":[]}"#, "`jobs` is not an array");
        check(
            r#"{"clock":"1","jobs":[{"job":{"id":"a","phase":"matching"},"as_of":"1","source":"poll"}],"deleted":[]}"#,
            "a job entry's `source` is neither `read` nor `action`",
        );
        check(
            r#"{"clock":"1","jobs":[{"as_of":"1","source":"read"}],"deleted":[]}"#,
            "a job entry has no `job`",
        );
    }

    #[test]
    fn offer_all_counts_only_changes() {
        let mut store = JobStore::default();
        let t = store.tick();
        assert_eq!(store.offer_all(vec![job("matching")], t), 1);
        let t = store.tick();
        assert_eq!(store.offer_all(vec![job("matching")], t), 0);
        let t = store.tick();
        assert_eq!(store.offer_all(vec![job("evidence")], t), 1);
    }
}
