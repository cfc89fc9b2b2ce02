//! Who watches what (issue #9): the background keeps one source of job state per API base, and
//! every open job page (and later the popup) subscribes to the part it shows — a list, or one
//! job. From the subscriptions follow what the background must poll (only for visible
//! subscribers; nothing at all when every tab is hidden) and whom an update concerns.
//!
//! Pure bookkeeping: the background crate owns the ports and the timers.

use crate::jobs::idmap::SortedMap;

/// A subscriber's id: the background numbers its ports.
pub type SubscriberId = u32;

/// What a subscriber shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Watch {
    /// The job list (every job the API lists).
    List,
    /// One job's page.
    Job(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub api_base: String,
    pub watch: Watch,
    /// A hidden tab still receives updates others cause, but makes the background poll nothing.
    pub visible: bool,
}

/// What one API base must be asked, now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Demand {
    /// Some visible subscriber shows the list.
    pub list: bool,
    /// Jobs a visible subscriber shows on their own page (polled one by one when the list
    /// answer does not already carry them), sorted, each once.
    pub jobs: Vec<String>,
}

/// From how many watched jobs on one API base one list read is cheaper than a read per job
/// (issue #22): a conditional list request answers for every job the list carries, so the
/// requests stay the same however many job tabs are open.
pub const LIST_COVERS_FROM: usize = 2;

/// After how many failed list reads in a row that only job pages wanted the feed reads their jobs
/// one by one instead: an app whose list endpoint fails (or does not exist) must not cost every
/// job page its updates. A list read that succeeds (a list view asks for it) tries again.
pub const LIST_FAILURES_BEFORE_PER_JOB: u32 = 2;

impl Demand {
    pub fn is_empty(&self) -> bool {
        !self.list && self.jobs.is_empty()
    }

    /// Whether this poll reads the list: a list view shows it, or enough job pages are watched
    /// that the list answers for them at once — unless the list has been failing when only job
    /// pages wanted it (`list_failures` in a row).
    pub fn reads_list(&self, list_failures: u32) -> bool {
        self.list
            || (self.jobs.len() >= LIST_COVERS_FROM && list_failures < LIST_FAILURES_BEFORE_PER_JOB)
    }

    /// The watched jobs this poll reads one by one, once the list read (if any) is done: those
    /// the list answer does not carry (a paginated list), or all of them when there was no list
    /// answer this time. Never more than the number of watched jobs.
    pub fn jobs_to_read<'a>(
        &'a self,
        list_answered: bool,
        listed: impl Fn(&str) -> bool + 'a,
    ) -> impl Iterator<Item = &'a String> + 'a {
        self.jobs
            .iter()
            .filter(move |job_id| !(list_answered && listed(job_id)))
    }
}

#[derive(Debug, Default)]
pub struct Subscriptions {
    by_id: SortedMap<SubscriberId, Subscription>,
}

impl Subscriptions {
    /// Sets (or replaces, after a route change) what `id` watches.
    pub fn watch(&mut self, id: SubscriberId, subscription: Subscription) {
        self.by_id.insert(id, subscription);
    }

    /// The subscriber left (its port disconnected: tab closed or navigated away).
    pub fn remove(&mut self, id: SubscriberId) {
        self.by_id.remove(&id);
    }

    /// Returns whether the subscriber exists.
    pub fn set_visible(&mut self, id: SubscriberId, visible: bool) -> bool {
        match self.by_id.get_mut(&id) {
            Some(subscription) => {
                subscription.visible = visible;
                true
            }
            None => false,
        }
    }

    pub fn get(&self, id: SubscriberId) -> Option<&Subscription> {
        self.by_id.get(&id)
    }

    /// What `api_base` must be polled for. `settled(job_id)` says a job needs no more polling on
    /// its own page (it finished), as a page that polls by itself would decide.
    pub fn demand(&self, api_base: &str, settled: impl Fn(&str) -> bool) -> Demand {
        let mut demand = Demand::default();
        for subscription in self.visible_on(api_base) {
            match &subscription.watch {
                Watch::List => demand.list = true,
                Watch::Job(job_id) if !settled(job_id) => {
                    if let Err(at) = demand.jobs.binary_search(job_id) {
                        demand.jobs.insert(at, job_id.clone());
                    }
                }
                Watch::Job(_) => {}
            }
        }
        demand
    }

    /// The subscribers that show the list of `api_base`.
    pub fn list_watchers(&self, api_base: &str) -> Vec<SubscriberId> {
        self.watchers(api_base, |watch| *watch == Watch::List)
    }

    /// The subscribers that show job `job_id` of `api_base` on its own page.
    pub fn job_watchers(&self, api_base: &str, job_id: &str) -> Vec<SubscriberId> {
        self.watchers(
            api_base,
            |watch| matches!(watch, Watch::Job(id) if id == job_id),
        )
    }

    /// Whether anyone, visible or not, still watches `api_base`.
    pub fn is_watched(&self, api_base: &str) -> bool {
        self.by_id.values().any(|s| s.api_base == api_base)
    }

    fn watchers(&self, api_base: &str, shows: impl Fn(&Watch) -> bool) -> Vec<SubscriberId> {
        self.by_id
            .iter()
            .filter(|(_, s)| s.api_base == api_base && shows(&s.watch))
            .map(|(&id, _)| id)
            .collect()
    }

    fn visible_on<'a>(&'a self, api_base: &'a str) -> impl Iterator<Item = &'a Subscription> {
        self.by_id
            .values()
            .filter(move |s| s.visible && s.api_base == api_base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const API: &str = "http://127.0.0.1:8000/api";
    const OTHER: &str = "https://jobs.example/api";

    fn list(api_base: &str, visible: bool) -> Subscription {
        Subscription {
            api_base: api_base.into(),
            watch: Watch::List,
            visible,
        }
    }

    fn job(api_base: &str, id: &str, visible: bool) -> Subscription {
        Subscription {
            api_base: api_base.into(),
            watch: Watch::Job(id.into()),
            visible,
        }
    }

    fn never_settled(_: &str) -> bool {
        false
    }

    #[test]
    fn five_tabs_make_one_demand_per_api_base() {
        let mut subs = Subscriptions::default();
        subs.watch(1, list(API, true));
        subs.watch(2, list(API, true));
        subs.watch(3, job(API, "a", true));
        subs.watch(4, job(API, "a", true));
        subs.watch(5, job(API, "b", true));
        let demand = subs.demand(API, never_settled);
        assert!(demand.list);
        assert_eq!(
            demand.jobs.into_iter().collect::<Vec<_>>(),
            ["a", "b"],
            "two tabs on job a ask once"
        );
        assert!(subs.demand(OTHER, never_settled).is_empty());
    }

    fn jobs(ids: &[&str]) -> Demand {
        Demand {
            list: false,
            jobs: ids.iter().map(|id| id.to_string()).collect(),
        }
    }

    #[test]
    fn one_job_page_reads_its_job_and_two_or_more_read_the_list() {
        assert!(
            !jobs(&["a"]).reads_list(0),
            "one job: its own GET is cheaper"
        );
        assert!(jobs(&["a", "b"]).reads_list(0));
        let twenty: Vec<String> = (0..20).map(|i| format!("j{i}")).collect();
        let twenty: Vec<&str> = twenty.iter().map(String::as_str).collect();
        let demand = jobs(&twenty);
        assert!(demand.reads_list(0));
        assert_eq!(
            demand.jobs_to_read(true, |_| true).count(),
            0,
            "the list carries all twenty: no request per job"
        );
        assert!(Demand {
            list: true,
            jobs: Vec::new()
        }
        .reads_list(9));
    }

    #[test]
    fn a_paginated_list_adds_exactly_the_jobs_it_lacks() {
        let demand = jobs(&["a", "b", "old"]);
        let read: Vec<&String> = demand.jobs_to_read(true, |id| id != "old").collect();
        assert_eq!(read, ["old"]);
        let read: Vec<&String> = demand.jobs_to_read(false, |_| true).collect();
        assert_eq!(read, ["a", "b", "old"], "no list answer: each job once");
    }

    #[test]
    fn a_failing_list_gives_job_pages_their_own_reads() {
        let demand = jobs(&["a", "b"]);
        assert!(demand.reads_list(LIST_FAILURES_BEFORE_PER_JOB - 1));
        assert!(!demand.reads_list(LIST_FAILURES_BEFORE_PER_JOB));
        let list_view = Demand {
            list: true,
            ..demand
        };
        assert!(
            list_view.reads_list(LIST_FAILURES_BEFORE_PER_JOB),
            "a list view still needs the list"
        );
    }

    #[test]
    fn hidden_tabs_demand_nothing_until_visible_again() {
        let mut subs = Subscriptions::default();
        subs.watch(1, list(API, false));
        subs.watch(2, job(API, "a", false));
        assert!(subs.demand(API, never_settled).is_empty());
        assert!(subs.set_visible(2, true));
        assert_eq!(
            subs.demand(API, never_settled),
            Demand {
                list: false,
                jobs: vec!["a".to_string()]
            }
        );
        assert!(!subs.set_visible(9, true), "an unknown subscriber");
    }

    #[test]
    fn finished_jobs_are_not_polled_on_their_own_page() {
        let mut subs = Subscriptions::default();
        subs.watch(1, job(API, "done", true));
        subs.watch(2, job(API, "running", true));
        let demand = subs.demand(API, |id| id == "done");
        assert_eq!(demand.jobs.into_iter().collect::<Vec<_>>(), ["running"]);
    }

    #[test]
    fn a_route_change_replaces_the_watch_and_a_closed_tab_leaves() {
        let mut subs = Subscriptions::default();
        subs.watch(1, job(API, "a", true));
        subs.watch(1, list(API, true));
        assert_eq!(
            subs.demand(API, never_settled),
            Demand {
                list: true,
                jobs: Vec::new()
            }
        );
        subs.remove(1);
        assert!(subs.demand(API, never_settled).is_empty());
        assert!(!subs.is_watched(API));
    }

    #[test]
    fn updates_reach_list_watchers_and_that_jobs_watchers_hidden_or_not() {
        let mut subs = Subscriptions::default();
        subs.watch(1, list(API, false));
        subs.watch(2, job(API, "a", true));
        subs.watch(3, job(API, "b", true));
        subs.watch(4, list(OTHER, true));
        subs.watch(5, job(OTHER, "a", true));
        assert_eq!(subs.list_watchers(API), [1]);
        assert_eq!(subs.list_watchers(OTHER), [4]);
        assert_eq!(subs.job_watchers(API, "a"), [2]);
        assert_eq!(subs.job_watchers(OTHER, "a"), [5]);
        assert!(subs.job_watchers(API, "zzz").is_empty());
        assert!(subs.is_watched(OTHER));
        subs.remove(4);
        subs.remove(5);
        assert!(!subs.is_watched(OTHER));
    }
}
