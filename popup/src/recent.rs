//! The "recent jobs" view state the popup shows (and, later, what the background keeps per API
//! origin): which jobs the newest list answer holds, in its order, each job's newest state through
//! the `JobStore` merge rule, and the filter the user picked.

use job_actions::api::model::{CancelResponse, Job};
use job_actions::jobs::bulk_stopping::Seen;
use job_actions::jobs::phase::Phase;
use job_actions::jobs::store::JobStore;

/// The popup's list filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum JobFilter {
    #[default]
    All,
    /// Still running: collection, feature extraction, matching, evidence.
    Active,
    /// Completed, failed or cancelled.
    Finished,
}

impl JobFilter {
    pub const EVERY: [JobFilter; 3] = [JobFilter::All, JobFilter::Active, JobFilter::Finished];

    pub fn label(self) -> &'static str {
        match self {
            JobFilter::All => "All",
            JobFilter::Active => "Active",
            JobFilter::Finished => "Finished",
        }
    }

    /// A stable name for `data-testid`s and storage.
    pub fn id(self) -> &'static str {
        match self {
            JobFilter::All => "all",
            JobFilter::Active => "active",
            JobFilter::Finished => "finished",
        }
    }

    /// An unknown phase is neither active nor finished: it shows under "All" only.
    pub fn matches(self, phase: &Phase) -> bool {
        match self {
            JobFilter::All => true,
            JobFilter::Active => phase.is_active(),
            JobFilter::Finished => phase.is_terminal(),
        }
    }

    /// The empty-state sentence when nothing matches.
    pub fn empty_text(self) -> &'static str {
        match self {
            JobFilter::All => "No jobs yet. Jobs you start in the app appear here.",
            JobFilter::Active => "No active jobs right now.",
            JobFilter::Finished => "No finished jobs among the recent ones.",
        }
    }
}

#[derive(Debug, Default)]
pub struct RecentJobs {
    store: JobStore,
    /// The ids of the newest accepted list answer, newest job first.
    order: Vec<String>,
    order_as_of: u64,
    /// Whether any list answer has arrived yet.
    loaded: bool,
}

impl RecentJobs {
    /// A new time on the clock the tabs and the background share (see `JobStore::tick_at`):
    /// when a request starts, or when an action's answer arrives.
    pub fn tick_at(&mut self, now_ms: u64) -> u64 {
        self.store.tick_at(now_ms)
    }

    pub fn is_loaded(&self) -> bool {
        self.loaded
    }

    /// Takes a list answer that started at `as_of`; returns whether anything shown changed.
    pub fn apply_list(&mut self, jobs: Vec<Job>, as_of: u64) -> bool {
        self.store.observe(as_of);
        let first = !self.loaded;
        self.loaded = true;
        let mut order_changed = false;
        if as_of >= self.order_as_of {
            let order: Vec<String> = jobs.iter().map(|job| job.id.clone()).collect();
            order_changed = order != self.order;
            self.order = order;
            self.order_as_of = as_of;
        }
        let jobs_changed = self.store.offer_all(jobs, as_of) > 0;
        first || order_changed || jobs_changed
    }

    pub fn get(&self, job_id: &str) -> Option<&Job> {
        self.store.get(job_id)
    }

    /// What the list says of a job a bulk delete cancelled first (`bulk_stopping::Seen`).
    pub fn seen(&self, job_id: &str) -> Seen {
        Seen::in_store(&self.store, job_id)
    }

    /// Jobs as they are as of `as_of` (a cancel in another tab, a re-read): listed ones show it;
    /// the order stays the list's. Returns whether anything shown changed.
    pub fn apply_jobs(&mut self, jobs: Vec<Job>, as_of: u64) -> bool {
        self.store.observe(as_of);
        let mut shown_changed = false;
        for job in jobs {
            let listed = self.order.contains(&job.id);
            let differs = self.store.get(&job.id) != Some(&job);
            if self.store.offer(job, as_of) && differs && listed {
                shown_changed = true;
            }
        }
        shown_changed
    }

    /// A cancel's answer, arrived at `as_of`: the job shows it at once, whatever a poll in
    /// flight says later.
    pub fn apply_cancel(&mut self, job_id: &str, response: &CancelResponse, as_of: u64) {
        self.store
            .update(job_id, as_of, |job| job.apply_cancel(response));
    }

    /// The job was deleted (known as of `as_of`): it disappears now, and stale answers cannot
    /// bring it back.
    pub fn remove(&mut self, job_id: &str, as_of: u64) {
        self.store.observe(as_of);
        self.store.remove(job_id, as_of);
    }

    /// A deletion that was not confirmed: the job may show again (`apply_jobs` with what the
    /// server still says about it).
    pub fn forget_deletion(&mut self, job_id: &str) {
        self.store.forget_deletion(job_id);
    }

    /// The jobs to show under `filter`, newest first.
    pub fn shown(&self, filter: JobFilter) -> Vec<&Job> {
        self.order
            .iter()
            .filter_map(|id| self.store.get(id))
            .filter(|job| filter.matches(&job.phase))
            .collect()
    }

    /// How many of the listed jobs are active (the toolbar badge).
    pub fn active_count(&self) -> usize {
        self.shown(JobFilter::Active).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(recent: &RecentJobs, filter: JobFilter) -> Vec<&str> {
        recent
            .shown(filter)
            .iter()
            .map(|job| job.id.as_str())
            .collect()
    }

    #[test]
    fn filters_split_active_from_finished() {
        let mut recent = RecentJobs::default();
        let t = recent.tick_at(0);
        assert!(recent.apply_list(
            vec![
                Job::bare("a", "matching"),
                Job::bare("b", "completed"),
                Job::bare("c", "cancelled"),
                Job::bare("d", "mystery"),
                Job::bare("e", "collection"),
            ],
            t
        ));
        assert_eq!(ids(&recent, JobFilter::All), ["a", "b", "c", "d", "e"]);
        assert_eq!(ids(&recent, JobFilter::Active), ["a", "e"]);
        assert_eq!(ids(&recent, JobFilter::Finished), ["b", "c"]);
        assert_eq!(recent.active_count(), 2);
    }

    #[test]
    fn the_first_answer_counts_as_a_change_even_when_empty() {
        let mut recent = RecentJobs::default();
        assert!(!recent.is_loaded());
        let t = recent.tick_at(0);
        assert!(recent.apply_list(vec![], t));
        assert!(recent.is_loaded());
        let t = recent.tick_at(0);
        assert!(!recent.apply_list(vec![], t));
    }

    #[test]
    fn changes_are_reported_for_new_jobs_new_phases_and_new_order() {
        let mut recent = RecentJobs::default();
        let t = recent.tick_at(0);
        recent.apply_list(vec![Job::bare("a", "matching")], t);
        let t = recent.tick_at(0);
        assert!(!recent.apply_list(vec![Job::bare("a", "matching")], t));
        let t = recent.tick_at(0);
        assert!(recent.apply_list(vec![Job::bare("a", "evidence")], t));
        let t = recent.tick_at(0);
        assert!(recent.apply_list(
            vec![Job::bare("b", "collection"), Job::bare("a", "evidence")],
            t
        ));
        assert_eq!(ids(&recent, JobFilter::All), ["b", "a"]);
    }

    #[test]
    fn a_poll_that_left_before_a_cancel_does_not_undo_it() {
        let mut recent = RecentJobs::default();
        let t = recent.tick_at(0);
        recent.apply_list(vec![Job::bare("a", "matching")], t);
        let poll = recent.tick_at(0);
        let arrived = recent.tick_at(0);
        recent.apply_cancel(
            "a",
            &CancelResponse {
                job_id: "a".into(),
                phase: Phase::Cancelled,
                cancelled_at: Some("2025-11-18T10:30:00Z".into()),
                reason: Some("user_request".into()),
                notes: Some("stuck".into()),
                message: None,
            },
            arrived,
        );
        recent.apply_list(vec![Job::bare("a", "matching")], poll);
        let shown = recent.get("a").unwrap();
        assert_eq!(shown.phase, Phase::Cancelled);
        assert_eq!(shown.cancellation_notes.as_deref(), Some("stuck"));
    }

    #[test]
    fn a_deleted_job_leaves_at_once_and_stale_lists_cannot_bring_it_back() {
        let mut recent = RecentJobs::default();
        let t = recent.tick_at(0);
        recent.apply_list(
            vec![Job::bare("a", "completed"), Job::bare("b", "failed")],
            t,
        );
        let stale = recent.tick_at(0);
        let deleted = recent.tick_at(0);
        recent.remove("a", deleted);
        assert_eq!(ids(&recent, JobFilter::All), ["b"]);
        recent.apply_list(
            vec![Job::bare("a", "completed"), Job::bare("b", "failed")],
            stale,
        );
        assert_eq!(ids(&recent, JobFilter::All), ["b"]);
        // Not confirmed after all: what the server still says about it shows it again, in its
        // place in the list.
        recent.forget_deletion("a");
        let t = recent.tick_at(0);
        assert!(recent.apply_jobs(vec![Job::bare("a", "completed")], t));
        assert_eq!(ids(&recent, JobFilter::All), ["a", "b"]);
    }

    #[test]
    fn a_cancel_published_by_a_tab_shows_and_an_older_list_cannot_undo_it() {
        let mut recent = RecentJobs::default();
        recent.apply_list(vec![Job::bare("a", "matching")], 1_000);
        let mut cancelled = Job::bare("a", "cancelled");
        cancelled.cancelled_at = Some("t".into());
        // The tab's cancel answer arrived at 1500 ms; a list read that left at 1200 ms lands later.
        assert!(recent.apply_jobs(vec![cancelled], 1_500));
        assert!(!recent.apply_list(vec![Job::bare("a", "matching")], 1_200));
        assert_eq!(recent.get("a").unwrap().phase, Phase::Cancelled);
        assert!(
            recent.tick_at(1_300) > 1_500,
            "later ticks come after what was seen"
        );
        assert!(
            !recent.apply_jobs(vec![Job::bare("zzz", "matching")], 1_600),
            "an unlisted job is kept but not shown"
        );
        assert_eq!(ids(&recent, JobFilter::All), ["a"]);
    }

    #[test]
    fn an_older_list_answer_does_not_replace_a_newer_order() {
        let mut recent = RecentJobs::default();
        let old = recent.tick_at(0);
        let new = recent.tick_at(0);
        recent.apply_list(
            vec![Job::bare("b", "collection"), Job::bare("a", "matching")],
            new,
        );
        recent.apply_list(vec![Job::bare("a", "matching")], old);
        assert_eq!(ids(&recent, JobFilter::All), ["b", "a"]);
    }
}
