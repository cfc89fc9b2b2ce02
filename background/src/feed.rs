//! One API base's job state and its one request stream: the list (when a visible tab shows it, or
//! when two or more job pages are watched: one list read answers for all of them) and each job a
//! visible tab shows on its own page that the list answer does not carry — on the
//! shared cadence (fast after an action, slower while nothing changes, backing off on errors),
//! with `If-None-Match`, and nothing at all while no visible tab needs it. Every answer goes
//! through the store's merge rule before it is passed on, so a poll that started before an
//! action's answer arrived (in any tab) cannot show the job as it was.

use crate::{broadcast, js, with_hub};
use job_actions::api::client::ApiClient;
use job_actions::jobs::idmap::IdMap;
use job_actions::jobs::store::{JobStore, Source};
use job_actions::live::cadence::{Cadence, CadencePolicy, PollOutcome};
use job_actions::live::subscriptions::{Demand, SubscriberId};
use job_actions::live::sync::{list_query, FromHub};
use job_actions::{ApiError, ClientConfig, Fetched, Job, Phase};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// How long an idle feed (every tab hidden) waits before it looks again; a tab that becomes
/// visible wakes it at once, so this only bounds how long a forgotten feed lingers.
const IDLE_CHECK_MS: u32 = 60_000;

fn client_for(api_base: &str, token: Option<String>) -> Option<ApiClient> {
    match ClientConfig::new(api_base) {
        Ok(config) => Some(ApiClient::new(config.with_token(token))),
        Err(why) => {
            js::warn(&format!("[job-actions] cannot poll `{api_base}`: {why}"));
            None
        }
    }
}

pub struct Feed {
    api_base: String,
    client: RefCell<Option<ApiClient>>,
    store: RefCell<JobStore>,
    list_etag: RefCell<Option<String>>,
    /// The ids of the last list answer in its order (newest first): which watched jobs it
    /// already carries, and what a list view that subscribes later is shown at once.
    listed: RefCell<Vec<String>>,
    /// When that answer's request started; `None` until a list answer arrived.
    listed_as_of: Cell<Option<u64>>,
    /// How the last list poll failed, if it did (the popup shows it).
    list_error: RefCell<Option<String>>,
    /// List reads that failed in a row: job pages stop relying on the list after a few.
    list_failures: Cell<u32>,
    job_etags: RefCell<IdMap<String>>,
    cadence: RefCell<Cadence>,
    idle: Cell<bool>,
}

impl Feed {
    pub fn new(api_base: &str) -> Feed {
        Feed {
            api_base: api_base.to_string(),
            client: RefCell::new(client_for(api_base, None)),
            store: RefCell::new(JobStore::default()),
            list_etag: RefCell::new(None),
            listed: RefCell::new(Vec::new()),
            listed_as_of: Cell::new(None),
            list_error: RefCell::new(None),
            list_failures: Cell::new(0),
            job_etags: RefCell::new(IdMap::new()),
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

    /// The feed's client (none for an API base no client may call).
    pub fn client(&self) -> Option<ApiClient> {
        self.client.borrow().clone()
    }

    /// The popup's token for this API base: from now on the feed's requests carry it (to URLs
    /// under the base only: the client enforces that).
    pub fn set_token(&self, token: String) {
        *self.client.borrow_mut() = client_for(&self.api_base, Some(token));
        // What was read without it may be less than the user may see.
        *self.list_etag.borrow_mut() = None;
    }

    /// A list view just subscribed: show it the last list answer now, and read the list now (a
    /// popup that opens must show the jobs as they are, not as they were at the last poll: a
    /// job created since would be missing until the next one, up to 30 s later).
    pub fn welcome_list_watcher(&self, id: SubscriberId) {
        if let Some(as_of) = self.listed_as_of.get() {
            let jobs = self.listed_jobs();
            js::post(id, &FromHub::List { jobs, as_of }.encode());
            let error = self.list_error.borrow().clone();
            js::post(id, &FromHub::Polled { error }.encode());
        }
        self.wake();
    }

    fn listed_jobs(&self) -> Vec<Job> {
        let store = self.store.borrow();
        self.listed
            .borrow()
            .iter()
            .filter_map(|id| store.get(id).cloned())
            .collect()
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

    /// A view started watching this API base: the slow cadence starts over, and the feed polls
    /// within one base interval (not at the end of a 30 s wait begun before the view opened).
    pub fn new_view(&self) {
        if let Some(within) = self.cadence.borrow_mut().on_new_view() {
            js::hasten(&self.api_base, within);
        }
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

    /// Tab `from` deleted jobs (one, or a bulk run's batch): every other tab showing them hears
    /// so now.
    pub fn deleted(&self, from: SubscriberId, job_ids: &[String], as_of: u64) {
        self.store.borrow_mut().observe(as_of);
        self.forget(job_ids, as_of, Some(from));
    }

    /// The jobs are gone as of `as_of` (deleted in a tab, or the API says 404): the store keeps
    /// tombstones, the feed stops tracking them, and every subscriber showing one hears so — a
    /// list in one message for them all, a job's page for its own job only.
    fn forget(&self, job_ids: &[String], as_of: u64, except: Option<SubscriberId>) {
        let mut store = self.store.borrow_mut();
        let mut etags = self.job_etags.borrow_mut();
        for job_id in job_ids {
            store.remove(job_id, as_of);
            etags.remove(job_id);
        }
        drop((store, etags));
        self.listed.borrow_mut().retain(|id| !job_ids.contains(id));
        let gone = |job_ids: Vec<String>| FromHub::Gone { job_ids, as_of };
        let lists = with_hub(|hub| hub.subscriptions.list_watchers(&self.api_base));
        broadcast(&lists, except, &gone(job_ids.to_vec()));
        for job_id in job_ids {
            let pages = with_hub(|hub| hub.subscriptions.job_watchers(&self.api_base, job_id));
            broadcast(&pages, except, &gone(vec![job_id.clone()]));
        }
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
        let Some(client) = self.client.borrow().clone() else {
            return PollOutcome::Failed;
        };
        let client = &client;
        let mut outcomes = Vec::new();
        let mut list_answered = false;
        if demand.reads_list(self.list_failures.get()) {
            let outcome = self.poll_list(client).await;
            list_answered = outcome != PollOutcome::Failed;
            let failures = if list_answered {
                0
            } else {
                self.list_failures.get().saturating_add(1)
            };
            self.list_failures.set(failures);
            // A list read only job pages wanted does not fail the poll: their jobs are read one
            // by one below instead.
            if demand.list || list_answered {
                outcomes.push(outcome);
            }
        }
        let to_read: Vec<String> = {
            let listed = self.listed.borrow();
            demand
                .jobs_to_read(list_answered, |job_id| listed.iter().any(|id| id == job_id))
                .cloned()
                .collect()
        };
        for job_id in &to_read {
            outcomes.push(self.poll_job(client, job_id).await);
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
        let result = client.list_jobs(&list_query(), etag.as_deref()).await;
        // Who shows the list, as the answer lands (nothing below awaits).
        let lists = with_hub(|hub| hub.subscriptions.list_watchers(&self.api_base));
        let outcome = match result {
            Ok(Fetched::NotModified) => Ok(PollOutcome::Unchanged),
            Ok(Fetched::Fresh { value, etag }) => {
                *self.list_etag.borrow_mut() = etag;
                let order: Vec<String> = value.iter().map(|job| job.id.clone()).collect();
                let first = self.listed_as_of.get().is_none();
                let reordered = *self.listed.borrow() != order;
                *self.listed.borrow_mut() = order;
                self.listed_as_of.set(Some(as_of));
                let changed = self.take(self.with_known(value), as_of);
                if changed.is_empty() && !reordered && !first {
                    Ok(PollOutcome::Unchanged)
                } else {
                    // List views get the whole list (in order); job pages their own job.
                    let list = FromHub::List {
                        jobs: self.listed_jobs(),
                        as_of,
                    };
                    broadcast(&lists, None, &list);
                    self.publish_to_pages(&changed, as_of, None);
                    Ok(PollOutcome::Changed)
                }
            }
            Err(error) => Err(format!("{} ({})", error.user_message(), self.api_base)),
        };
        let error = outcome.as_ref().err().cloned();
        *self.list_error.borrow_mut() = error.clone();
        broadcast(&lists, None, &FromHub::Polled { error });
        outcome.unwrap_or(PollOutcome::Failed)
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
            Err(ApiError::NotFound) if self.store.borrow().is_deleted(job_id) => {
                PollOutcome::Unchanged
            }
            Err(ApiError::NotFound) => {
                self.forget(&[job_id.to_string()], as_of, None);
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

    /// A list answer's jobs may be summaries: what one leaves out keeps what was known of it.
    fn with_known(&self, mut jobs: Vec<Job>) -> Vec<Job> {
        let store = self.store.borrow();
        for job in &mut jobs {
            if let Some(known) = store.get(&job.id) {
                job.keep_known(known);
            }
        }
        jobs
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
        let lists = with_hub(|hub| hub.subscriptions.list_watchers(&self.api_base));
        let all = FromHub::Jobs {
            jobs: jobs.to_vec(),
            as_of,
        };
        broadcast(&lists, except, &all);
        self.publish_to_pages(jobs, as_of, except);
    }

    /// Each changed job's own pages get their job.
    fn publish_to_pages(&self, jobs: &[Job], as_of: u64, except: Option<SubscriberId>) {
        let pages: Vec<(Vec<SubscriberId>, &Job)> = with_hub(|hub| {
            jobs.iter()
                .map(|job| (hub.subscriptions.job_watchers(&self.api_base, &job.id), job))
                .filter(|(watchers, _)| !watchers.is_empty())
                .collect()
        });
        for (watchers, job) in pages {
            let one = FromHub::Jobs {
                jobs: vec![job.clone()],
                as_of,
            };
            broadcast(&watchers, except, &one);
        }
    }
}
