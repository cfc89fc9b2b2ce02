//! One API base's job state and its one request stream: the list (when a visible tab shows it)
//! and each job a visible tab shows on its own page that the list answer does not carry — on the
//! shared cadence (fast after an action, slower while nothing changes, backing off on errors),
//! with `If-None-Match`, and nothing at all while no visible tab needs it. Every answer goes
//! through the store's merge rule before it is passed on, so a poll that started before an
//! action's answer arrived (in any tab) cannot show the job as it was.

use crate::{broadcast, js, with_hub};
use job_actions::cadence::{Cadence, CadencePolicy, PollOutcome};
use job_actions::client::ApiClient;
use job_actions::store::{JobStore, Source};
use job_actions::subscriptions::{Demand, SubscriberId};
use job_actions::sync::{list_query, FromHub};
use job_actions::{ApiError, ClientConfig, Fetched, Job, Phase};
use std::cell::{Cell, RefCell};
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

/// How long an idle feed (every tab hidden) waits before it looks again; a tab that becomes
/// visible wakes it at once, so this only bounds how long a forgotten feed lingers.
const IDLE_CHECK_MS: u32 = 60_000;

pub struct Feed {
    api_base: String,
    client: Option<ApiClient>,
    store: RefCell<JobStore>,
    list_etag: RefCell<Option<String>>,
    /// The ids of the last list answer, to know which watched jobs it already carries.
    listed: RefCell<BTreeSet<String>>,
    job_etags: RefCell<HashMap<String, String>>,
    cadence: RefCell<Cadence>,
    idle: Cell<bool>,
}

impl Feed {
    pub fn new(api_base: &str) -> Feed {
        let client = match ClientConfig::new(api_base) {
            Ok(config) => Some(ApiClient::new(config)),
            Err(why) => {
                js::warn(&format!("[job-actions] cannot poll `{api_base}`: {why}"));
                None
            }
        };
        Feed {
            api_base: api_base.to_string(),
            client,
            store: RefCell::new(JobStore::default()),
            list_etag: RefCell::new(None),
            listed: RefCell::new(BTreeSet::new()),
            job_etags: RefCell::new(HashMap::new()),
            cadence: RefCell::new(Cadence::new(CadencePolicy::DEFAULT, js::now())),
            idle: Cell::new(false),
        }
    }

    /// Polls until nobody watches this API base any more.
    pub async fn run(self: Rc<Self>) {
        // Every tab read its own state when it loaded: the first poll waits one base interval.
        let mut outcome = PollOutcome::Changed;
        loop {
            let delay = self.cadence.borrow_mut().next_delay_ms(outcome);
            js::nap(&self.api_base, delay).await;
            let demand = loop {
                let demand = self.demand();
                if !demand.is_empty() {
                    break demand;
                }
                if !with_hub(|hub| hub.subscriptions.is_watched(&self.api_base)) {
                    with_hub(|hub| hub.feeds.remove(&self.api_base));
                    return;
                }
                // Every tab on this API is hidden: no requests until one is visible again.
                self.idle.set(true);
                js::nap(&self.api_base, IDLE_CHECK_MS).await;
                self.idle.set(false);
            };
            outcome = self.poll(&demand).await;
        }
    }

    /// Polls now if the feed waits because nothing was visible (a tab subscribed or came back).
    pub fn wake_if_idle(&self) {
        if self.idle.get() {
            self.wake();
        }
    }

    pub fn wake(&self) {
        js::wake(&self.api_base);
    }

    /// The user acted somewhere: poll now and fast for a while, to show the outcome.
    pub fn hurry(&self) {
        self.cadence.borrow_mut().on_action();
        self.wake();
    }

    /// An action's answer from tab `from`: every other tab showing the job gets it now.
    pub fn acted(&self, from: SubscriberId, job: Job, as_of: u64) {
        let mut store = self.store.borrow_mut();
        store.observe(as_of);
        let taken = store.offer_from(job.clone(), as_of, Source::Action);
        drop(store);
        if taken {
            self.publish(&[job], as_of, Some(from));
        }
    }

    /// Tab `from` deleted a job: every other tab showing it hears so now.
    pub fn deleted(&self, from: SubscriberId, job_id: &str, as_of: u64) {
        let mut store = self.store.borrow_mut();
        store.observe(as_of);
        store.remove(job_id, as_of);
        drop(store);
        self.listed.borrow_mut().remove(job_id);
        self.job_etags.borrow_mut().remove(job_id);
        let audience = with_hub(|hub| hub.subscriptions.audience(&self.api_base, [job_id]));
        let gone = FromHub::Gone {
            job_id: job_id.to_string(),
            as_of,
        };
        broadcast(&audience, Some(from), &gone);
    }

    fn demand(&self) -> Demand {
        let store = self.store.borrow();
        with_hub(|hub| {
            hub.subscriptions.demand(&self.api_base, |job_id| {
                store.is_deleted(job_id) || store.get(job_id).is_some_and(|j| j.phase.is_terminal())
            })
        })
    }

    fn tick(&self) -> u64 {
        self.store.borrow_mut().tick_at(js::now())
    }

    async fn poll(&self, demand: &Demand) -> PollOutcome {
        let Some(client) = &self.client else {
            return PollOutcome::Failed;
        };
        let mut outcomes = Vec::new();
        if demand.list {
            outcomes.push(self.poll_list(client).await);
        }
        for job_id in &demand.jobs {
            // The list answer carries it already (unless that failed).
            let listed = demand.list && self.listed.borrow().contains(job_id);
            if !listed || outcomes.first() == Some(&PollOutcome::Failed) {
                outcomes.push(self.poll_job(client, job_id).await);
            }
        }
        if outcomes.contains(&PollOutcome::Failed) {
            PollOutcome::Failed
        } else if outcomes.contains(&PollOutcome::Changed) {
            PollOutcome::Changed
        } else {
            PollOutcome::Unchanged
        }
    }

    async fn poll_list(&self, client: &ApiClient) -> PollOutcome {
        let as_of = self.tick();
        let etag = self.list_etag.borrow().clone();
        match client.list_jobs(&list_query(), etag.as_deref()).await {
            Ok(Fetched::NotModified) => PollOutcome::Unchanged,
            Ok(Fetched::Fresh { value, etag }) => {
                *self.list_etag.borrow_mut() = etag;
                *self.listed.borrow_mut() = value.iter().map(|job| job.id.clone()).collect();
                let changed = self.take(value, as_of);
                if changed.is_empty() {
                    PollOutcome::Unchanged
                } else {
                    self.publish(&changed, as_of, None);
                    PollOutcome::Changed
                }
            }
            Err(_) => PollOutcome::Failed,
        }
    }

    async fn poll_job(&self, client: &ApiClient, job_id: &str) -> PollOutcome {
        let as_of = self.tick();
        let etag = self.job_etags.borrow().get(job_id).cloned();
        match client.get_job(job_id, etag.as_deref()).await {
            Ok(Fetched::NotModified) => PollOutcome::Unchanged,
            Ok(Fetched::Fresh { value, etag }) => {
                match etag {
                    Some(etag) => self.job_etags.borrow_mut().insert(job_id.to_string(), etag),
                    None => self.job_etags.borrow_mut().remove(job_id),
                };
                let changed = self.take(vec![value], as_of);
                if changed.is_empty() {
                    PollOutcome::Unchanged
                } else {
                    self.publish(&changed, as_of, None);
                    PollOutcome::Changed
                }
            }
            Err(ApiError::NotFound) => {
                let mut store = self.store.borrow_mut();
                if store.is_deleted(job_id) {
                    return PollOutcome::Unchanged;
                }
                store.remove(job_id, as_of);
                drop(store);
                let audience = with_hub(|hub| hub.subscriptions.audience(&self.api_base, [job_id]));
                let gone = FromHub::Gone {
                    job_id: job_id.to_string(),
                    as_of,
                };
                broadcast(&audience, None, &gone);
                PollOutcome::Changed
            }
            Err(ApiError::Decode(why)) => {
                // An answer that cannot be read says nothing about the job: the tabs show it as
                // unknown, with no actions, and it is read again (without an ETag) next time.
                self.job_etags.borrow_mut().remove(job_id);
                let mut store = self.store.borrow_mut();
                let now = store.tick_at(js::now());
                store.update(job_id, now, |job| job.phase = Phase::Unknown(String::new()));
                drop(store);
                let watchers =
                    with_hub(|hub| hub.subscriptions.job_watchers(&self.api_base, job_id));
                let unreadable = FromHub::Unreadable {
                    job_id: job_id.to_string(),
                    why,
                };
                broadcast(&watchers, None, &unreadable);
                PollOutcome::Failed
            }
            Err(_) => PollOutcome::Failed,
        }
    }

    /// Offers read jobs to the store; returns those that changed what the tabs show.
    fn take(&self, jobs: Vec<Job>, as_of: u64) -> Vec<Job> {
        let mut store = self.store.borrow_mut();
        let mut changed = Vec::new();
        for job in jobs {
            let differs = store.get(&job.id) != Some(&job);
            if store.offer(job.clone(), as_of) && differs {
                changed.push(job);
            }
        }
        changed
    }

    /// Passes changed jobs on: the list's watchers get them all in one message, each job's own
    /// page gets its job.
    fn publish(&self, jobs: &[Job], as_of: u64, except: Option<SubscriberId>) {
        let (lists, pages) = with_hub(|hub| {
            let subscriptions = &hub.subscriptions;
            let pages: Vec<(Vec<SubscriberId>, &Job)> = jobs
                .iter()
                .map(|job| (subscriptions.job_watchers(&self.api_base, &job.id), job))
                .filter(|(watchers, _)| !watchers.is_empty())
                .collect();
            (subscriptions.list_watchers(&self.api_base), pages)
        });
        let all = FromHub::Jobs {
            jobs: jobs.to_vec(),
            as_of,
        };
        broadcast(&lists, except, &all);
        for (watchers, job) in pages {
            let one = FromHub::Jobs {
                jobs: vec![job.clone()],
                as_of,
            };
            broadcast(&watchers, except, &one);
        }
    }
}
