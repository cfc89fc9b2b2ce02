//! Carries out a bulk action (`bulk::Run`) through a view (issue #24): sends what the run asks
//! for, at most `bulk::CONCURRENCY` at a time, keeps each request in Activity, applies each answer
//! to the view and tells every other tab and the popup (the live feed), and reports the answer
//! back to the run. The same `effects::View` the single-job runner uses, plus what a bulk run
//! needs: where its run lives, how a job leaves the view without a toast each, and the claim
//! that keeps a job to one request across views.

use crate::api::error::ApiError;
use crate::api::model::CancelRequest;
use crate::jobs::bulk::{Answer, Next, Run};
use crate::jobs::dialog::Request;
use crate::jobs::effects::{self, Api, View};

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
    /// Claims `job` for this run's `action` ("cancel", "delete") before its request: the
    /// background keeps the claims, so a job gets one such request even when the popup and a page
    /// run bulk actions on it at once. False when another view holds it. A claim whose request
    /// was done stays until it lapses (the job is gone, or cancelled: nothing to send again).
    fn claim(
        &self,
        job: &str,
        action: &'static str,
    ) -> impl std::future::Future<Output = bool> + 'static;
    /// The job's request failed: another view may try it.
    fn release(&self, job: &str, action: &'static str);
}

/// Sends what the run allows now; called when it starts, after each answer and after a pause.
pub fn pump<V: BulkView>(view: &V) {
    loop {
        let now = view.now_ms();
        match view.with_run(|run| run.next(now)) {
            Some(Next::Send(job)) => send(view, job),
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
    view.with_run(Run::stop);
    view.run_changed();
}

/// Whether an error says the server is busy: the job is tried again after a pause.
fn is_busy(error: &ApiError) -> bool {
    matches!(error.status(), Some(429 | 502 | 503 | 504))
}

fn send<V: BulkView>(view: &V, job: String) {
    let Some(kind) = view.with_run(|run| run.kind) else {
        return;
    };
    let request = kind.request();
    let body = (request == Request::Cancel).then(|| view.bulk_body());
    let asked = effects::asked(view, &job, request, body.as_ref());
    let action = match request {
        Request::Cancel => "cancel",
        Request::Delete { .. } => "delete",
    };
    let claimed = view.claim(&job, action);
    let task = view.clone();
    view.spawn(async move {
        let view = task;
        if !claimed.await {
            let now = view.now_ms();
            view.with_run(|run| run.answered(&job, Answer::Elsewhere, now));
            return pump(&view);
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
            Err(error) if is_busy(error) => (
                Answer::Busy {
                    message: error.user_message(),
                    retry_after_ms: error.retry_after_ms(),
                },
                asked.answered(Err(error), now),
            ),
            Err(error) => (
                Answer::Failed(error.user_message()),
                asked.answered(Err(error), now),
            ),
        };
        view.record(&kept);
        if answer != Answer::Done {
            view.release(&job, action);
        }
        if answer == Answer::Done {
            match result {
                Ok(Some(response)) => effects::apply_cancel(&view, &job, &response),
                _ => {
                    let as_of = effects::tell_deleted(&view, &job);
                    view.removed(&job, as_of);
                }
            }
        }
        view.with_run(|run| run.answered(&job, answer, now));
        pump(&view);
    });
}
