//! Carries out a bulk action (`bulk::Run`) through a view (issue #24): sends what the run asks
//! for, at most `bulk::CONCURRENCY` at a time, keeps each request in Activity, applies each answer
//! to the view and tells every other tab and the popup (the live feed), and reports the answer
//! back to the run. The same `effects::View` the single-job runner uses, plus what a bulk run
//! needs: where its run lives, how a job leaves the view without a toast each, and the claim
//! that keeps a job to one request across views.

use crate::api::error::ApiError;
use crate::api::model::CancelRequest;
use crate::jobs::bulk::{Answer, BulkKind, Next, Run};
use crate::jobs::bulk_stopping::{Seen, WATCH_EVERY_MS};
use crate::jobs::dialog::Request;
use crate::jobs::effects::{self, Api, View};
use crate::live::sync::ToHub;

/// What a view adds for bulk actions.
pub trait BulkView: View {
    /// Runs `f` on the view's run, if it has one.
    fn with_run<T>(&self, f: impl FnOnce(&mut Run) -> T) -> Option<T>;
    /// The cancel body a bulk cancel sends (the confirmation's shared reason).
    fn bulk_body(&self) -> CancelRequest;
    /// A deleted job leaves the view (its row goes), without a toast of its own.
    fn removed(&self, job_id: &str, as_of: u64);
    /// The run changed (progress, an outcome): show it.
    fn run_changed(&self);
    /// Claims `jobs` for this run's `action` ("cancel", "delete") before their requests, in one
    /// message (`bulk_claims`): the background keeps the claims, so a job gets one such request
    /// even when the popup and a page run bulk actions on it at once. For each job, in order,
    /// whether the run now holds it (false: another view does). A claim whose request was done
    /// stays until it lapses (the job is gone, or cancelled: nothing to send again).
    fn claim(
        &self,
        jobs: Vec<String>,
        action: &'static str,
    ) -> impl std::future::Future<Output = Vec<bool>> + 'static;
    /// Gives claims back: the jobs' requests failed, or the run will not send them (stopped), so
    /// another view may act on them now.
    fn release(&self, jobs: Vec<String>, action: &'static str);
    /// What the view knows now of a job a delete cancelled first: its phase as the live feed
    /// last gave it (`jobs_changed`, which the view calls whenever its jobs changed).
    fn seen(&self, job_id: &str) -> Seen;
}

/// What a claim is for, as the background knows it.
fn action_name(kind: BulkKind) -> &'static str {
    match kind.request() {
        Request::Cancel => "cancel",
        Request::Delete { .. } => "delete",
    }
}

/// Sends what the run allows now; called when it starts, after each answer and after a pause.
pub fn pump<V: BulkView>(view: &V) {
    loop {
        let now = view.now_ms();
        match view.with_run(|run| run.next(now)) {
            Some(Next::Send(job)) => send(view, job),
            Some(Next::Claim(jobs)) => claim(view, jobs),
            Some(Next::WaitUntil(at)) => {
                let again = view.clone();
                let wait = u32::try_from(at.saturating_sub(now)).unwrap_or(u32::MAX);
                view.spawn(async move {
                    again.sleep(wait).await;
                    pump(&again);
                });
                break;
            }
            Some(Next::Answers | Next::Finished) | None => break,
        }
    }
    view.run_changed();
}

/// Stop: nothing more is sent; the requests in flight finish and are reported.
pub fn stop<V: BulkView>(view: &V) {
    let unused = view.with_run(|run| {
        run.stop();
        (run.unused_claims(), action_name(run.kind))
    });
    if let Some((jobs, action)) = unused.filter(|(jobs, _)| !jobs.is_empty()) {
        view.release(jobs, action);
    }
    view.run_changed();
}

/// Asks the background for a batch of claims; the run sends what it now holds.
fn claim<V: BulkView>(view: &V, jobs: Vec<String>) {
    let Some(action) = view.with_run(|run| action_name(run.kind)) else {
        return;
    };
    let asked = view.claim(jobs.clone(), action);
    let task = view.clone();
    view.spawn(async move {
        let granted = asked.await;
        let now = task.now_ms();
        let unused = task
            .with_run(|run| run.claimed(jobs, &granted, now))
            .unwrap_or_default();
        if !unused.is_empty() {
            task.release(unused, action);
        }
        pump(&task);
    });
}

/// A failed request's answer: a busy server's (429, 502, 503, 504) sends the job again after a
/// pause; any other fails it.
fn failure(error: &ApiError) -> Answer {
    if matches!(error.status(), Some(429 | 502 | 503 | 504)) {
        Answer::Busy {
            message: error.user_message(),
            retry_after_ms: error.retry_after_ms(),
        }
    } else {
        Answer::Failed(error.user_message())
    }
}

/// A delete's "cancel first" (the choice one job's delete gives for a running job): the cancel,
/// with the shared reason and kept in Activity. `Ok(true)`: the job stopped (or is gone already),
/// delete it now; `Ok(false)`: it waits for its workers (`Answer::Stopping`); `Err`: the answer
/// that ends its turn.
async fn cancel_first<V: BulkView>(
    view: &V,
    job: &str,
    body: &CancelRequest,
) -> Result<bool, Answer> {
    let asked = effects::asked(view, job, Request::Cancel, Some(body));
    view.record(&asked);
    let api = view.api().map_err(|error| failure(&error))?;
    let result = api.cancel(job, body).await;
    let now = view.now_ms();
    match result {
        Ok(response) => {
            view.record(&asked.answered(Ok(effects::said(&response)), now));
            effects::apply_cancel(view, job, &response);
            Ok(response.phase.is_terminal())
        }
        Err(ApiError::NotFound) => {
            view.record(&asked.answered(Ok("already gone (404)".into()), now));
            Ok(true)
        }
        Err(error) => {
            view.record(&asked.answered(Err(&error), now));
            Err(failure(&error))
        }
    }
}

/// The view's jobs changed (its live feed): a job waiting to stop that stopped is sent for its
/// delete now, one that is gone is done.
pub fn jobs_changed<V: BulkView>(view: &V) {
    let waiting = view.with_run(|run| run.waiting()).unwrap_or_default();
    if waiting.is_empty() {
        return;
    }
    // Looked up before the run is borrowed again: a view may keep both in one place.
    let seen: Vec<(String, Seen)> = waiting
        .into_iter()
        .map(|job| {
            let seen = view.seen(&job);
            (job, seen)
        })
        .collect();
    let changed = view.with_run(|run| {
        seen.iter()
            .fold(false, |changed, (job, seen)| run.seen(job, *seen) | changed)
    });
    if changed == Some(true) {
        pump(view);
    }
}

/// While jobs wait to stop, every `WATCH_EVERY_MS`: a wait over fails its job, what the view
/// knows is looked at again (a job deleted elsewhere is no change of phase), and the feed is asked
/// to hurry (it reads once a second after that, five times). One watch per run at a time; it ends
/// when no job waits.
fn watch<V: BulkView>(view: &V) {
    if view.with_run(Run::watch) != Some(true) {
        return;
    }
    let task = view.clone();
    view.spawn(async move {
        loop {
            task.sleep(WATCH_EVERY_MS).await;
            let now = task.now_ms();
            let Some((over, action)) =
                task.with_run(|run| (run.expire(now), action_name(run.kind)))
            else {
                return;
            };
            if !over.is_empty() {
                task.release(over, action);
                pump(&task);
            }
            jobs_changed(&task);
            if task.with_run(Run::keep_watching) != Some(true) {
                return;
            }
            task.tell_tabs(&ToHub::Hurry);
        }
    });
}

fn send<V: BulkView>(view: &V, job: String) {
    let Some(kind) = view.with_run(|run| run.kind) else {
        return;
    };
    let request = kind.request();
    let cancel_first = view
        .with_run(|run| run.cancels_first(&job))
        .unwrap_or(false);
    let body = (request == Request::Cancel || cancel_first).then(|| view.bulk_body());
    let asked = effects::asked(
        view,
        &job,
        request,
        body.as_ref().filter(|_| request == Request::Cancel),
    );
    let action = action_name(kind);
    let task = view.clone();
    view.spawn(async move {
        let view = task;
        if let (true, Some(body)) = (cancel_first, body.as_ref()) {
            let answer = match self::cancel_first(&view, &job, body).await {
                Ok(true) => None,
                Ok(false) => {
                    // Waiting frees the slot; the feed hurries to tell when it stopped.
                    view.tell_tabs(&ToHub::Hurry);
                    Some(Answer::Stopping)
                }
                Err(answer) => {
                    view.release(vec![job.clone()], action);
                    Some(answer)
                }
            };
            if let Some(answer) = answer {
                let now = view.now_ms();
                view.with_run(|run| run.answered(&job, answer, now));
                watch(&view);
                return pump(&view);
            }
        }
        view.record(&asked);
        let result = match (view.api(), request) {
            (Ok(api), Request::Delete { force }) => api.delete(&job, force).await.map(|()| None),
            (Ok(api), Request::Cancel) => {
                let body = body.unwrap_or_default();
                api.cancel(&job, &body).await.map(Some)
            }
            (Err(error), _) => Err(error),
        };
        let now = view.now_ms();
        let (answer, kept) = match &result {
            Ok(Some(response)) => (
                Answer::Done,
                asked.answered(Ok(effects::said(response)), now),
            ),
            Ok(None) => (Answer::Done, asked.answered(Ok("deleted".into()), now)),
            // Deleted meanwhile (another tab, another person): gone is what was asked.
            Err(ApiError::NotFound) if request != Request::Cancel => (
                Answer::Done,
                asked.answered(Ok("already gone (404)".into()), now),
            ),
            Err(error) => (failure(error), asked.answered(Err(error), now)),
        };
        view.record(&kept);
        if answer != Answer::Done {
            view.release(vec![job.clone()], action);
        } else if let Ok(Some(response)) = result {
            effects::apply_cancel(&view, &job, &response);
        } else {
            let as_of = effects::tell_deleted(&view, &job);
            view.removed(&job, as_of);
        }
        view.with_run(|run| run.answered(&job, answer, now));
        pump(&view);
    });
}
