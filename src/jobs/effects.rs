//! Carries out what a job's flow asks for (`flow::Effect`): one runner for the job pages and the
//! popup (issue #21: each had its own, and they had drifted). What differs between them — how they
//! reach the API, run a task and keep a value, where a toast goes, what "the job is gone" does to
//! the screen — is the `View` each implements, one line a method. The order of things, the console
//! line of a failed request, the messages to other tabs and the check that a deleted job is gone
//! are here, once, and tested natively with a scripted view.

use crate::api::client::ApiClient;
use crate::api::endpoint::{ClientConfig, Fetched};
use crate::api::error::ApiError;
use crate::api::model::{CancelRequest, CancelResponse, Job};
use crate::jobs::activity::{Entry, Place};
use crate::jobs::copy;
use crate::jobs::deletion::{self, Deletion};
use crate::jobs::flow::{
    delete_key_prefix, reason_key_prefix, Effect, Event, Request, Toast, ToastKind,
};
use crate::jobs::report;
use crate::live::sync::ToHub;
use std::future::Future;

/// The three requests of the flow, as a view's API answers them. `ApiClient` in the browser; a
/// script in the tests. Each request leaves when its method is called, not when its answer is
/// first awaited: a confirm's request leaves in the click's own task (`send`).
pub trait Api: 'static {
    fn config(&self) -> &ClientConfig;
    fn cancel(
        &self,
        job_id: &str,
        body: &CancelRequest,
    ) -> impl Future<Output = Result<CancelResponse, ApiError>> + use<Self>;
    fn delete(
        &self,
        job_id: &str,
        force: bool,
    ) -> impl Future<Output = Result<(), ApiError>> + use<Self>;
    fn read(
        &self,
        job_id: &str,
    ) -> impl Future<Output = Result<Fetched<Job>, ApiError>> + use<Self>;
}

impl Api for ApiClient {
    fn config(&self) -> &ClientConfig {
        ApiClient::config(self)
    }

    fn cancel(
        &self,
        job_id: &str,
        body: &CancelRequest,
    ) -> impl Future<Output = Result<CancelResponse, ApiError>> + use<> {
        self.cancel_job(job_id, body)
    }

    fn delete(
        &self,
        job_id: &str,
        force: bool,
    ) -> impl Future<Output = Result<(), ApiError>> + use<> {
        self.delete_job(job_id, force)
    }

    fn read(&self, job_id: &str) -> impl Future<Output = Result<Fetched<Job>, ApiError>> + use<> {
        self.get_job(job_id, None)
    }
}

/// What becomes of the view when its job is gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gone {
    /// The view removed the job (a list row, a popup row): the runner checks with the server that
    /// it really is gone (PRD §7.4).
    Removed,
    /// The view is leaving (a job's own page goes to the list): the check is handed to what
    /// outlives it (`View::hand_over_check`), and the view leaves at once.
    Leaving,
}

/// What a view does its own way. Cheap to clone: a handle on the view's state.
pub trait View: Clone + 'static {
    type Api: Api;

    /// This view's API, or why it has none (the popup's settings may be incomplete).
    fn api(&self) -> Result<Self::Api, ApiError>;
    fn spawn(&self, task: impl Future<Output = ()> + 'static);
    /// Milliseconds on the clock every tab and the background share.
    fn now_ms(&self) -> u64;
    fn sleep(&self, ms: u32) -> impl Future<Output = ()> + 'static;
    /// A console line, without the `[job-actions]` prefix.
    fn warn(&self, line: &str);
    /// Keeps a value in session storage (the typed reason: the job pages and the popup share it).
    fn keep(&self, key: String, value: String);
    /// Whether the view still shows what started a request (a job page may have moved on): an
    /// answer for a view that moved on is dropped.
    fn is_current(&self) -> bool {
        true
    }
    /// Feeds an event back into the job's flow (a request's answer), re-renders and runs what
    /// follows.
    fn dispatch(&self, job_id: &str, event: Event);
    /// A new time for this view's store (`JobStore::tick_at`).
    fn tick(&self) -> u64;
    /// Tells every other tab and the popup, through the background.
    fn tell_tabs(&self, message: &ToHub);
    /// Applies the server's cancel answer to the shown job; the job as it is now.
    fn apply_cancel(&self, job_id: &str, response: &CancelResponse, as_of: u64) -> Option<Job>;
    /// Reads the shown job again now, besides asking the background to hurry.
    fn reread(&self) {}
    fn toast(&self, toast: Toast);
    fn job_gone(&self, job_id: &str, as_of: u64, toast: Toast) -> Gone;
    fn restore_focus(&self);
    /// The API refused this user the actions (403).
    fn forbid(&self, message: String);
    /// The deletion check of a removed job started (`true`) or ended.
    fn checking_deletion(&self, _job_id: &str, _checking: bool) {}
    /// The server still had the job after the whole check: bring it back, marked, as last read.
    fn bring_back(&self, job_id: &str, last: Option<(Job, u64)>);
    /// The view's app (its site profile's name, the popup's API base) and the job's title as
    /// shown, for Activity.
    fn app(&self) -> String;
    fn title(&self, job_id: &str) -> String;
    /// Keeps an Activity entry (`activity::merge`, through the background).
    fn record(&self, entry: &Entry);
    /// The view is leaving its deleted job (`Gone::Leaving`) and its tasks end with it: what
    /// outlives it (the background) checks that the job is gone (PRD §7.4) and keeps the
    /// confirmation in Activity. `answered`: the delete's entry, answered.
    fn hand_over_check(&self, _answered: &Entry) {}
    /// The view's own check outlasted its first read (the job is still there): what outlives
    /// the view (the background) carries it on if the view closes before it ends — a popup
    /// closes whenever the user clicks elsewhere. `answered`: the delete's entry, answered.
    fn watch_check(&self, _answered: &Entry) {}
    /// The view leaves its deleted job (`Gone::Leaving`).
    fn leave(&self, _toast: Toast) {}
    /// Runs `task` once the screen shows what was drawn so far: what follows an answer's own
    /// change (a toast, the messages, a re-read, focus, Activity) does not hold its frame back
    /// (issue #22). At once where the view draws later anyway.
    fn after_paint(&self, task: impl FnOnce() + 'static) {
        task();
    }
}

/// Carries out `effects` of an event on `job_id`, in order; those after the answer's own change
/// (a cancel applied, a job gone) once it is on screen (`View::after_paint`).
pub fn run_all<V: View>(view: &V, job_id: &str, effects: Vec<Effect>) {
    let mut effects = effects.into_iter();
    while let Some(effect) = effects.next() {
        let shows_the_answer = matches!(effect, Effect::ApplyCancel(_) | Effect::JobGone(_));
        run(view, job_id, effect);
        if shows_the_answer {
            let rest: Vec<Effect> = effects.collect();
            if !rest.is_empty() {
                let (later, job_id) = (view.clone(), job_id.to_string());
                view.after_paint(move || run_all(&later, &job_id, rest));
            }
            return;
        }
    }
}

fn run<V: View>(view: &V, job_id: &str, effect: Effect) {
    match effect {
        Effect::SendCancel(body) => {
            let asked = asked(view, job_id, Request::Cancel, Some(&body));
            send(view, job_id, Request::Cancel, asked, move |api, id| {
                let answer = api.cancel(id, &body);
                async move {
                    let response = answer.await?;
                    Ok((said(&response), Event::CancelDone(response)))
                }
            })
        }
        Effect::SendDelete { force } => {
            let request = Request::Delete { force };
            let asked = asked(view, job_id, request, None);
            send(view, job_id, request, asked, move |api, id| {
                let answer = api.delete(id, force);
                async move {
                    answer.await?;
                    Ok(("deleted".to_string(), Event::DeleteDone(None)))
                }
            })
        }
        Effect::ApplyCancel(response) => apply_cancel(view, job_id, &response),
        Effect::Refetch => {
            view.tell_tabs(&ToHub::Hurry);
            view.reread();
        }
        Effect::Toast(toast) => view.toast(toast),
        Effect::JobGone(toast) => {
            let as_of = tell_deleted(view, job_id);
            let asked = toast.receipt.clone();
            match view.job_gone(job_id, as_of, toast.clone()) {
                Gone::Removed => {
                    view.spawn(confirm_deletion(view.clone(), job_id.to_string(), asked));
                }
                // Leaving waits for no second round trip (issue #22: a read before leaving cost the
                // job page's delete a whole one); the toast's receipt is the answered entry.
                Gone::Leaving => {
                    if let Some(answered) = &toast.receipt {
                        view.hand_over_check(answered);
                    }
                    view.leave(toast);
                }
            }
        }
        Effect::RestoreFocus => view.restore_focus(),
        Effect::Forbidden(message) => view.forbid(message),
        // Kept until the cancel succeeds (issue #10: nothing is lost), under a key the job pages
        // and the popup share.
        Effect::KeepReason(reason) => keep(view, reason_key_prefix, job_id, reason),
        // Kept until the job is deleted: the next view of the job carries the delete out.
        Effect::RememberDelete(waiting) => {
            let value = if waiting { "1" } else { "" };
            keep(view, delete_key_prefix, job_id, value.to_string());
        }
    }
}

/// Keeps `value` under the job's key of the view's API (an empty value forgets it).
fn keep<V: View>(view: &V, prefix: fn(&str) -> String, job_id: &str, value: String) {
    if let Ok(api) = view.api() {
        view.keep(format!("{}{job_id}", prefix(&api.config().api_base)), value);
    }
}

/// Applies the server's cancel answer to the shown job, and every other tab showing the job shows
/// the cancel now, not at its next poll.
pub(crate) fn apply_cancel<V: View>(view: &V, job_id: &str, response: &CancelResponse) {
    let as_of = view.tick();
    if let Some(job) = view.apply_cancel(job_id, response, as_of) {
        view.tell_tabs(&ToHub::Acted { job, as_of });
    }
}

/// Every other tab showing the job hears it is gone now; the time it is gone as of.
pub(crate) fn tell_deleted<V: View>(view: &V, job_id: &str) -> u64 {
    let as_of = view.tick();
    view.tell_tabs(&ToHub::Deleted {
        job_ids: vec![job_id.to_string()],
        as_of,
    });
    as_of
}

/// What a cancel's answer said, for Activity: its message, else the job's phase now.
pub(crate) fn said(response: &CancelResponse) -> String {
    match &response.message {
        Some(message) => message.clone(),
        None => format!("now {}", response.phase.as_wire()),
    }
}

/// The Activity entry of a request leaving now, with a cancel's reason and notes.
pub(crate) fn asked<V: View>(
    view: &V,
    job_id: &str,
    request: Request,
    body: Option<&CancelRequest>,
) -> Entry {
    let api_base = view
        .api()
        .map(|api| api.config().api_base.clone())
        .unwrap_or_default();
    let place = Place {
        app: view.app(),
        api_base,
        title: view.title(job_id),
    };
    let mut entry = Entry::requested(place, job_id, request, view.now_ms());
    if let Some(body) = body {
        entry.reason = body.reason.clone();
        entry.notes = body.notes.clone();
    }
    entry
}

/// Sends one request — it leaves now, before anything else this event does — and awaits it in a
/// task of the view's, kept in Activity as it leaves and as it is answered; a failure leaves one
/// console line (`jobs::report`), which its `Event::Failed` carries too, and the answer goes back
/// into the flow while the view still shows the job, before its Activity entry is written (the
/// screen first). `make` sends the request and answers what the server said, in words, with the
/// flow's event.
fn send<V, F, R>(view: &V, job_id: &str, request: Request, asked: Entry, make: F)
where
    V: View,
    F: FnOnce(&V::Api, &str) -> R,
    R: Future<Output = Result<(String, Event), ApiError>> + 'static,
{
    let job_id = job_id.to_string();
    let (answer, config) = match view.api() {
        Ok(api) => (Ok(make(&api, &job_id)), Some(api.config().clone())),
        Err(error) => (Err(error), None),
    };
    view.record(&asked);
    let task = view.clone();
    view.spawn(async move {
        let view = task;
        let result = match answer {
            Ok(answer) => answer.await,
            Err(error) => Err(error),
        };
        let now = view.now_ms();
        let answered = asked.answered(result.as_ref().map(|(said, _)| said.clone()), now);
        let event = match (result, &config) {
            (Ok((_, Event::DeleteDone(_))), _) => {
                Event::DeleteDone(Some(Box::new(answered.clone())))
            }
            (Ok((_, event)), _) => event,
            // The console line goes with the failure too: the error's "Copy details" copies it.
            (Err(error), Some(config)) => {
                let elapsed = now.saturating_sub(answered.requested_ms);
                let details = report::failure_line(config, &job_id, request, &error, elapsed);
                if let Some(line) = &details {
                    view.warn(line);
                }
                Event::Failed { error, details }
            }
            (Err(error), None) => Event::Failed {
                error,
                details: None,
            },
        };
        if view.is_current() {
            view.dispatch(&job_id, event);
        }
        let later = view.clone();
        view.after_paint(move || later.record(&answered));
    });
}

/// PRD §7.4: the job left the view at once; now ask the server until it answers 404, for 60 s at
/// most — then bring the job back, marked, and say so.
async fn confirm_deletion<V: View>(view: V, job_id: String, asked: Option<Box<Entry>>) {
    view.checking_deletion(&job_id, true);
    let watched = std::cell::Cell::new(false);
    let outcome = deletion::confirm(
        0,
        || {
            let as_of = view.tick();
            let api = view.api();
            let job_id = job_id.clone();
            async move {
                match api {
                    Ok(api) => (api.read(&job_id).await, as_of),
                    Err(error) => (Err(error), as_of),
                }
            }
        },
        |ms| {
            if let (Some(asked), false) = (&asked, watched.replace(true)) {
                view.watch_check(asked);
            }
            view.sleep(ms)
        },
        || view.is_current(),
    )
    .await;
    view.checking_deletion(&job_id, false);
    if let (Some(asked), Some(how)) = (asked, outcome.confirmation()) {
        view.record(&asked.confirm(view.now_ms(), how));
    }
    if let Deletion::NotConfirmed(last) = outcome {
        view.bring_back(&job_id, last);
        view.toast(Toast::new(ToastKind::Info, copy::DELETION_SLOW));
    }
}

#[cfg(test)]
#[path = "effects_tests.rs"]
mod tests;
