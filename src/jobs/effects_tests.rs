//! The runner against a scripted view: every call it makes is written down, in order, and its
//! tasks run when the test says so.

use super::*;
use crate::api::endpoint::ClientConfig;
use crate::jobs::activity;
use crate::jobs::handed_over::check_handed_over;
use crate::live::cadence::{DELETION_CHECK_INTERVAL_MS, DELETION_CHECK_MS};
use crate::Phase;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

type Task = Pin<Box<dyn Future<Output = ()>>>;

/// What the scripted API answers, and what the view is like.
#[derive(Default)]
struct Script {
    cancel: Option<Result<CancelResponse, ApiError>>,
    delete: Option<Result<(), ApiError>>,
    /// A bulk run's deletes: each job's answers in order (then 200).
    deletes: Vec<(String, VecDeque<Result<(), ApiError>>)>,
    /// The bulk run, for the bulk runner.
    run: Option<crate::jobs::bulk::Run>,
    /// Jobs another view holds the claim of (`BulkView::claim` says no).
    claimed_elsewhere: Vec<String>,
    /// The view's clock: 1 000 ms at first, moved on by each sleep.
    slept_ms: u64,
    /// Answers to the deletion check's reads, in order; then 404.
    reads: VecDeque<Result<Fetched<Job>, ApiError>>,
    no_api: bool,
    moved_on: bool,
    gone: Option<Gone>,
    /// A bulk run's cancels, when every job's cancel is accepted with the job in this phase.
    cancel_phase: Option<&'static str>,
    /// What the view's feed tells of a job cancelled first, from this time on (else running).
    seen_from: Vec<(String, u64, crate::jobs::bulk_stopping::Seen)>,
}

#[derive(Clone)]
struct Scripted {
    script: Rc<RefCell<Script>>,
    calls: Rc<RefCell<Vec<String>>>,
    tasks: Rc<RefCell<Vec<Task>>>,
}

struct ScriptedApi {
    config: ClientConfig,
    view: Scripted,
}

impl Scripted {
    fn new(script: Script) -> Scripted {
        Scripted {
            script: Rc::new(RefCell::new(script)),
            calls: Rc::default(),
            tasks: Rc::default(),
        }
    }

    fn call(&self, call: impl Into<String>) {
        self.calls.borrow_mut().push(call.into());
    }

    /// Runs every task until none is left (every scripted future is ready at once).
    fn run_tasks(&self) {
        while self.run_round() {}
    }

    /// Runs the tasks spawned so far (not those they spawn); false when there were none.
    fn run_round(&self) -> bool {
        let mut tasks: Vec<Task> = self.tasks.borrow_mut().drain(..).collect();
        for task in tasks.iter_mut() {
            let poll = task.as_mut().poll(&mut Context::from_waker(Waker::noop()));
            assert!(poll == Poll::Ready(()), "a task waited on something");
        }
        !tasks.is_empty()
    }

    fn calls(&self) -> Vec<String> {
        self.calls.borrow().clone()
    }

    /// A sleep: written down, and the clock moved on (a concrete future, which a closure may
    /// return where `View::sleep`'s borrows the view).
    fn slept(&self, ms: u32) -> std::future::Ready<()> {
        self.call(format!("sleep {ms}"));
        self.script.borrow_mut().slept_ms += u64::from(ms);
        std::future::ready(())
    }
}

/// Like `ApiClient`, a request is made (and its call recorded) when the method is called.
impl Api for ScriptedApi {
    fn config(&self) -> &ClientConfig {
        &self.config
    }

    fn cancel(
        &self,
        job_id: &str,
        body: &CancelRequest,
    ) -> impl Future<Output = Result<CancelResponse, ApiError>> + use<> {
        self.view
            .call(format!("POST {job_id} reason={:?}", body.reason));
        let mut script = self.view.script.borrow_mut();
        let answer = match script.cancel_phase {
            Some(phase) => Some(Ok(CancelResponse {
                job_id: job_id.into(),
                phase: Phase::parse(phase),
                ..cancelled()
            })),
            None => script.cancel.take(),
        };
        async move { answer.expect("a cancel") }
    }

    fn delete(
        &self,
        job_id: &str,
        force: bool,
    ) -> impl Future<Output = Result<(), ApiError>> + use<> {
        self.view.call(format!("DELETE {job_id} force={force}"));
        let mut script = self.view.script.borrow_mut();
        let answer = match script.deletes.iter_mut().find(|(id, _)| id == job_id) {
            Some((_, answers)) => Some(answers.pop_front().unwrap_or(Ok(()))),
            None => script.delete.take(),
        };
        async move { answer.expect("a delete") }
    }

    fn read(&self, job_id: &str) -> impl Future<Output = Result<Fetched<Job>, ApiError>> + use<> {
        self.view.call(format!("GET {job_id}"));
        let next = self.view.script.borrow_mut().reads.pop_front();
        std::future::ready(next.unwrap_or(Err(ApiError::NotFound)))
    }
}

impl View for Scripted {
    type Api = ScriptedApi;

    fn api(&self) -> Result<ScriptedApi, ApiError> {
        if self.script.borrow().no_api {
            return Err(ApiError::Network("no API base set".into()));
        }
        Ok(ScriptedApi {
            config: ClientConfig::new("https://app.example/api").unwrap(),
            view: self.clone(),
        })
    }
    fn spawn(&self, task: impl Future<Output = ()> + 'static) {
        self.tasks.borrow_mut().push(Box::pin(task));
    }
    fn now_ms(&self) -> u64 {
        1_000 + self.script.borrow().slept_ms
    }
    fn sleep(&self, ms: u32) -> impl Future<Output = ()> + 'static {
        self.slept(ms)
    }
    fn warn(&self, line: &str) {
        self.call(format!("warn {line}"));
    }
    fn keep(&self, key: String, value: String) {
        self.call(format!("keep {key}={value}"));
    }
    fn is_current(&self) -> bool {
        !self.script.borrow().moved_on
    }
    fn dispatch(&self, job_id: &str, event: Event) {
        let event = match event {
            Event::CancelDone(response) => format!("CancelDone {}", response.phase),
            Event::DeleteDone(None) => "DeleteDone".into(),
            Event::DeleteDone(Some(entry)) => format!("DeleteDone, receipt {}", entry.outcome()),
            Event::Failed { error, details } => match details {
                Some(details) => format!("Failed {error} | details {details}"),
                None => format!("Failed {error}"),
            },
            _ => "other".into(),
        };
        self.call(format!("dispatch {job_id} {event}"));
    }
    fn tick(&self) -> u64 {
        7
    }
    fn tell_tabs(&self, message: &ToHub) {
        let message = match message {
            ToHub::Acted { job, as_of } => format!("Acted {} {} @{as_of}", job.id, job.phase),
            ToHub::Deleted { job_ids, as_of } => format!("Deleted {} @{as_of}", job_ids.join(", ")),
            ToHub::Hurry => "Hurry".into(),
            _ => "other".into(),
        };
        self.call(format!("tell {message}"));
    }
    fn apply_cancel(&self, job_id: &str, response: &CancelResponse, as_of: u64) -> Option<Job> {
        self.call(format!("apply {job_id} @{as_of}"));
        Some(Job::bare(job_id, &response.phase.to_string()))
    }
    fn reread(&self) {
        self.call("reread");
    }
    fn toast(&self, toast: Toast) {
        self.call(format!("toast {}", toast.text));
    }
    fn job_gone(&self, job_id: &str, as_of: u64, toast: Toast) -> Gone {
        self.call(format!("gone {job_id} @{as_of}: {}", toast.text));
        self.script.borrow().gone.unwrap_or(Gone::Removed)
    }
    fn restore_focus(&self) {
        self.call("focus");
    }
    fn forbid(&self, message: String) {
        self.call(format!("forbid {message}"));
    }
    fn checking_deletion(&self, job_id: &str, checking: bool) {
        self.call(format!("checking {job_id} {checking}"));
    }
    fn bring_back(&self, job_id: &str, last: Option<(Job, u64)>) {
        let last = last.map(|(job, as_of)| format!("{} @{as_of}", job.phase));
        self.call(format!("back {job_id} {}", last.unwrap_or_default()));
    }
    fn app(&self) -> String {
        "Ops".into()
    }
    fn title(&self, job_id: &str) -> String {
        format!("Job {job_id}")
    }
    fn record(&self, entry: &Entry) {
        self.call(format!("record {}", described(entry)));
    }
    fn after_paint(&self, task: impl FnOnce() + 'static) {
        self.call("paint");
        self.spawn(async move { task() });
    }
    fn hand_over_check(&self, answered: &Entry) {
        self.call(format!("hand over {}", described(answered)));
    }
    fn watch_check(&self, answered: &Entry) {
        self.call(format!("watch {}", described(answered)));
    }
    fn leave(&self, toast: Toast) {
        let receipt = toast.receipt.map(|entry| described(&entry));
        self.call(format!(
            "leave {} | {}",
            toast.text,
            receipt.unwrap_or_default()
        ));
    }
}

impl crate::jobs::bulk_runner::BulkView for Scripted {
    fn with_run<T>(&self, f: impl FnOnce(&mut crate::jobs::bulk::Run) -> T) -> Option<T> {
        self.script.borrow_mut().run.as_mut().map(f)
    }
    fn bulk_body(&self) -> CancelRequest {
        CancelRequest::from_user_text("bulk").unwrap()
    }
    fn removed(&self, job_id: &str, as_of: u64) {
        self.call(format!("removed {job_id} @{as_of}"));
    }
    fn run_changed(&self) {}
    fn claim(
        &self,
        jobs: Vec<String>,
        action: &'static str,
    ) -> impl std::future::Future<Output = Vec<bool>> + 'static {
        let script = self.script.borrow();
        let free: Vec<bool> = jobs
            .iter()
            .map(|job| !script.claimed_elsewhere.contains(job))
            .collect();
        drop(script);
        let answers: Vec<String> = jobs
            .iter()
            .zip(&free)
            .map(|(job, free)| format!("{job} {free}"))
            .collect();
        self.call(format!("claim {action} {}", answers.join(", ")));
        std::future::ready(free)
    }
    fn release(&self, jobs: Vec<String>, action: &'static str) {
        self.call(format!("release {action} {}", jobs.join(", ")));
    }
    fn seen(&self, job_id: &str) -> crate::jobs::bulk_stopping::Seen {
        let now = self.now_ms();
        let script = self.script.borrow();
        script
            .seen_from
            .iter()
            .find(|(id, from, _)| id == job_id && *from <= now)
            .map_or(crate::jobs::bulk_stopping::Seen::Running, |(_, _, seen)| {
                *seen
            })
    }
}

/// An Activity entry in short: action, job, outcome, what the server said, the confirmation.
fn described(entry: &Entry) -> String {
    let (_, status, said) = entry.answer_parts();
    let mut text = format!(
        "{} {} {}",
        entry.action.as_wire(),
        entry.job_id,
        entry.outcome()
    );
    if let Some(status) = status {
        text.push_str(&format!(" {status}"));
    }
    if !said.is_empty() {
        text.push_str(&format!(" ({said})"));
    }
    if let Some(confirmed) = &entry.confirmed {
        text.push_str(&format!(", confirmed: {}", confirmed.how));
    }
    text
}

/// Runs `effects` on job "42" against `script`; every call the runner made, in order.
#[track_caller]
fn check(script: Script, effects: Vec<Effect>, expected: &[&str]) {
    let view = Scripted::new(script);
    run_all(&view, "42", effects);
    view.run_tasks();
    assert_eq!(view.calls(), expected);
}

fn cancelled() -> CancelResponse {
    CancelResponse {
        job_id: "42".into(),
        phase: Phase::parse("cancelled"),
        cancelled_at: None,
        reason: None,
        notes: None,
        message: None,
    }
}

fn send_cancel() -> Effect {
    Effect::SendCancel(CancelRequest {
        reason: Some("stuck".into()),
        notes: None,
    })
}

#[test]
fn a_cancel_goes_to_the_api_and_its_answer_back_into_the_flow() {
    let script = Script {
        cancel: Some(Ok(cancelled())),
        ..Script::default()
    };
    check(
        script,
        vec![send_cancel()],
        &[
            // The request leaves first, and the answer reaches the screen before Activity.
            r#"POST 42 reason=Some("stuck")"#,
            "record cancel 42 waiting",
            "dispatch 42 CancelDone cancelled",
            // Activity once the screen shows the answer.
            "paint",
            "record cancel 42 accepted (now cancelled), confirmed: the server accepted the cancel (now cancelled)",
        ],
    );
}

#[test]
fn a_failed_request_leaves_one_console_line_and_fails_the_flow() {
    let script = Script {
        delete: Some(Err(ApiError::Server {
            status: 503,
            detail: None,
        })),
        ..Script::default()
    };
    let view = Scripted::new(script);
    run_all(&view, "42", vec![Effect::SendDelete { force: true }]);
    view.run_tasks();
    let calls = view.calls();
    assert_eq!(calls.len(), 6, "{calls:?}");
    assert_eq!(calls[0], "DELETE 42 force=true");
    assert_eq!(calls[1], "record force-delete 42 waiting");
    // Activity keeps the failure with its status and the words the user saw, once the screen
    // shows the failure.
    assert_eq!(calls[4], "paint");
    assert!(
        calls[5].starts_with("record force-delete 42 failed 503 (The server had a problem"),
        "{}",
        calls[5]
    );
    let calls = &calls[1..];
    assert!(
        calls[1].starts_with(
            "warn force delete of job \"42\" failed: DELETE https://app.example/api/jobs/42?force=true → 503"
        ),
        "{}",
        calls[1]
    );
    assert!(calls[2].starts_with("dispatch 42 Failed"), "{}", calls[2]);
    // The failure carries the same line, for the error's "Copy details".
    let line = calls[1].strip_prefix("warn ").unwrap();
    assert!(
        calls[2].ends_with(&format!(" | details {line}")),
        "{}",
        calls[2]
    );
}

#[test]
fn an_aborted_request_leaves_no_line_and_no_details() {
    let script = Script {
        cancel: Some(Err(ApiError::Aborted)),
        ..Script::default()
    };
    check(
        script,
        vec![send_cancel()],
        &[
            r#"POST 42 reason=Some("stuck")"#,
            "record cancel 42 waiting",
            &format!("dispatch 42 Failed {}", ApiError::Aborted),
            "paint",
            &format!(
                "record cancel 42 failed ({})",
                ApiError::Aborted.user_message()
            ),
        ],
    );
}

#[test]
fn an_answer_for_a_view_that_moved_on_is_dropped() {
    // A job page left for another route while the cancel was in flight: the answer goes nowhere
    // (the failure line stays: someone may be debugging exactly that).
    let script = Script {
        cancel: Some(Ok(cancelled())),
        moved_on: true,
        ..Script::default()
    };
    check(
        script,
        vec![send_cancel()],
        &[
            r#"POST 42 reason=Some("stuck")"#,
            "record cancel 42 waiting",
            "paint",
            "record cancel 42 accepted (now cancelled), confirmed: the server accepted the cancel (now cancelled)",
        ],
    );
}

#[test]
fn a_view_without_an_api_fails_the_flow_with_why_and_sends_nothing() {
    let script = Script {
        no_api: true,
        ..Script::default()
    };
    check(
        script,
        vec![send_cancel()],
        &[
            "record cancel 42 waiting",
            &format!(
                "dispatch 42 Failed {}",
                ApiError::Network("no API base set".into())
            ),
            "paint",
            &format!(
                "record cancel 42 failed ({})",
                ApiError::Network("no API base set".into()).user_message()
            ),
        ],
    );
}

#[test]
fn a_cancel_answer_is_applied_then_told_to_every_tab_then_reread() {
    check(
        Script::default(),
        vec![
            Effect::ApplyCancel(cancelled()),
            Effect::Toast(Toast::new(ToastKind::Success, "Job cancelled successfully")),
            Effect::Refetch,
            Effect::RestoreFocus,
        ],
        &[
            "apply 42 @7",
            "tell Acted 42 cancelled @7",
            // The rest once the screen shows the cancel.
            "paint",
            "toast Job cancelled successfully",
            "tell Hurry",
            "reread",
            "focus",
        ],
    );
}

fn gone_toast() -> Effect {
    Effect::JobGone(Toast::new(ToastKind::Success, "Job deleted"))
}

#[test]
fn a_removed_job_is_told_to_every_tab_then_checked_until_the_server_says_404() {
    let mut script = Script::default();
    script.reads.push_back(Ok(Fetched::Fresh {
        value: Job::bare("42", "completed"),
        etag: None,
    }));
    check(
        script,
        vec![gone_toast()],
        &[
            "tell Deleted 42 @7",
            "gone 42 @7: Job deleted",
            "checking 42 true",
            "GET 42",
            &format!("sleep {DELETION_CHECK_INTERVAL_MS}"),
            "GET 42",
            "checking 42 false",
        ],
    );
}

/// A server that still has the deleted job, failed, at every read of the whole check.
fn still_there_throughout() -> Script {
    let mut script = Script::default();
    for _ in 0..DELETION_CHECK_MS / DELETION_CHECK_INTERVAL_MS {
        script.reads.push_back(Ok(Fetched::Fresh {
            value: Job::bare("42", "failed"),
            etag: None,
        }));
    }
    script
}

/// The delete's success toast, with its Activity entry as the runner wrote it.
fn gone_with_receipt() -> Effect {
    let asked = Entry::requested(
        Place {
            app: "Ops".into(),
            api_base: "https://app.example/api".into(),
            title: "Job 42".into(),
        },
        "42",
        Request::Delete { force: false },
        900,
    )
    .answered(Ok("deleted".into()), 950);
    Effect::JobGone(Toast::deleted(Some(Box::new(asked))))
}

#[test]
fn a_delete_answer_carries_its_entry_for_the_toasts_receipt() {
    let script = Script {
        delete: Some(Ok(())),
        ..Script::default()
    };
    check(
        script,
        vec![Effect::SendDelete { force: false }],
        &[
            "DELETE 42 force=false",
            "record delete 42 waiting",
            "dispatch 42 DeleteDone, receipt accepted",
            "paint",
            "record delete 42 accepted (deleted)",
        ],
    );
}

#[test]
fn a_removed_jobs_404_or_its_lack_is_kept_in_activity() {
    let view = Scripted::new(Script::default());
    run_all(&view, "42", vec![gone_with_receipt()]);
    view.run_tasks();
    assert_eq!(
        view.calls().last().unwrap(),
        "record delete 42 accepted (deleted), confirmed: a read of the job answered 404"
    );
    let view = Scripted::new(still_there_throughout());
    run_all(&view, "42", vec![gone_with_receipt()]);
    view.run_tasks();
    assert!(view.calls().contains(
        &"record delete 42 accepted (deleted), confirmed: the server still had the job after 60 s"
            .to_string()
    ));
}

#[test]
fn a_check_that_outlasts_its_first_read_is_watched_by_what_outlives_the_view_once() {
    let mut script = Script::default();
    for _ in 0..2 {
        script.reads.push_back(Ok(Fetched::Fresh {
            value: Job::bare("42", "completed"),
            etag: None,
        }));
    }
    let view = Scripted::new(script);
    run_all(&view, "42", vec![gone_with_receipt()]);
    view.run_tasks();
    let calls = view.calls();
    let from = calls.iter().position(|c| c == "checking 42 true").unwrap();
    assert_eq!(
        &calls[from..from + 8],
        [
            "checking 42 true",
            "GET 42",
            "watch delete 42 accepted (deleted)",
            &format!("sleep {DELETION_CHECK_INTERVAL_MS}"),
            "GET 42",
            &format!("sleep {DELETION_CHECK_INTERVAL_MS}"),
            "GET 42",
            "checking 42 false",
        ]
    );
    // Gone at the first read: nothing to watch.
    let view = Scripted::new(Script::default());
    run_all(&view, "42", vec![gone_with_receipt()]);
    view.run_tasks();
    assert!(!view.calls().iter().any(|c| c.starts_with("watch")));
}

#[test]
fn a_job_page_that_leaves_hands_the_check_over_and_leaves_at_once() {
    let script = Script {
        gone: Some(Gone::Leaving),
        ..Script::default()
    };
    // No read of its own: the page leaves in the task that heard the answer, and the background
    // checks the deletion with the answered entry.
    check(
        script,
        vec![gone_with_receipt()],
        &[
            "tell Deleted 42 @7",
            "gone 42 @7: Job deleted successfully",
            "hand over delete 42 accepted (deleted)",
            "leave Job deleted successfully | delete 42 accepted (deleted)",
        ],
    );
}

/// The answered delete `gone_with_receipt` carries.
fn answered_delete() -> Entry {
    match gone_with_receipt() {
        Effect::JobGone(toast) => *toast.receipt.unwrap(),
        _ => unreachable!(),
    }
}

/// Runs the handed-over check on `answered` against `script`: the entry it gives, and the calls.
fn handed_over(script: Script, answered: Entry) -> (Option<Entry>, Vec<String>) {
    handed_over_after(0, script, answered)
}

/// `handed_over`, for a check that already ran `waited` ms (resumed by a restarted background).
fn handed_over_after(waited: u32, script: Script, answered: Entry) -> (Option<Entry>, Vec<String>) {
    let view = Scripted::new(script);
    let api = view.api().unwrap();
    let (checker, clock) = (view.clone(), view.clone());
    let out = Rc::new(RefCell::new(None));
    let kept = Rc::clone(&out);
    view.spawn(async move {
        let checked = check_handed_over(
            &api,
            answered,
            waited,
            move |ms| checker.slept(ms),
            move || clock.now_ms(),
        )
        .await;
        *kept.borrow_mut() = checked;
    });
    view.run_tasks();
    let checked = out.borrow_mut().take();
    (checked, view.calls())
}

#[test]
fn the_background_confirms_a_handed_over_delete_as_a_view_would() {
    // Gone at the first read: confirmed then.
    let (checked, calls) = handed_over(Script::default(), answered_delete());
    let checked = checked.expect("a confirmation");
    assert_eq!(calls, ["GET 42"]);
    assert_eq!(
        checked
            .confirmed
            .as_ref()
            .map(|c| (c.at_ms, c.how.as_str())),
        Some((1_000, activity::GONE_404))
    );
    assert_eq!(checked.id, answered_delete().id);
    // Still there (the server deletes later): asked every interval, then said so.
    let (checked, calls) = handed_over(still_there_throughout(), answered_delete());
    let reads = DELETION_CHECK_MS / DELETION_CHECK_INTERVAL_MS;
    assert_eq!(
        calls.iter().filter(|c| *c == "GET 42").count() as u32,
        reads
    );
    let confirmed = checked.and_then(|entry| entry.confirmed).expect("kept");
    assert_eq!(confirmed.how, activity::NOT_GONE);
    assert_eq!(confirmed.at_ms, 1_000 + u64::from(DELETION_CHECK_MS));
}

#[test]
fn a_handed_over_check_resumed_by_a_restarted_background_ends_within_its_minute() {
    // 54 s already spent before the worker stopped: the 6 s left, then said so.
    let (checked, calls) = handed_over_after(54_000, still_there_throughout(), answered_delete());
    assert_eq!(
        calls,
        [
            "GET 42",
            "sleep 2000",
            "GET 42",
            "sleep 2000",
            "GET 42",
            "sleep 2000"
        ]
    );
    let confirmed = checked.and_then(|entry| entry.confirmed).expect("kept");
    assert_eq!(confirmed.how, activity::NOT_GONE);
    assert_eq!(confirmed.at_ms, 1_000 + 6_000);
    // Gone meanwhile: the first read confirms it.
    let (checked, calls) = handed_over_after(54_000, Script::default(), answered_delete());
    assert_eq!(calls, ["GET 42"]);
    let confirmed = checked.and_then(|entry| entry.confirmed).expect("kept");
    assert_eq!(confirmed.how, activity::GONE_404);
}

#[test]
fn a_handed_over_entry_that_is_no_accepted_delete_of_this_api_is_not_checked() {
    let cancel = Entry::requested(
        Place {
            app: "Ops".into(),
            api_base: "https://app.example/api".into(),
            title: "Job 42".into(),
        },
        "42",
        Request::Cancel,
        900,
    )
    .answered(Ok("now cancelled".into()), 950);
    let mut unanswered = answered_delete();
    unanswered.answer = activity::Answer::Waiting;
    let confirmed = answered_delete().confirm(960, activity::GONE_404);
    let mut elsewhere = answered_delete();
    elsewhere.api_base = "https://other.example/api".into();
    for entry in [cancel, unanswered, confirmed, elsewhere] {
        let (checked, calls) = handed_over(Script::default(), entry.clone());
        assert_eq!(checked, None, "{entry:?}");
        assert!(calls.is_empty(), "{entry:?}: {calls:?}");
    }
}

#[test]
fn a_job_still_there_after_the_whole_check_comes_back_as_last_read_and_says_so() {
    let reads = DELETION_CHECK_MS / DELETION_CHECK_INTERVAL_MS;
    let view = Scripted::new(still_there_throughout());
    run_all(&view, "42", vec![gone_toast()]);
    view.run_tasks();
    let calls = view.calls();
    let gets = calls.iter().filter(|call| *call == "GET 42").count();
    assert_eq!(gets as u32, reads);
    assert_eq!(
        &calls[calls.len() - 3..],
        [
            "checking 42 false",
            "back 42 failed @7",
            &format!("toast {}", copy::DELETION_SLOW),
        ]
    );
}

#[test]
fn the_typed_reason_is_kept_under_the_key_the_job_pages_and_the_popup_share() {
    check(
        Script::default(),
        vec![Effect::KeepReason("customer asked".into())],
        &["keep reason:https://app.example/api#42=customer asked"],
    );
}

#[test]
fn a_refusal_disables_the_actions() {
    check(
        Script::default(),
        vec![Effect::Forbidden("Not allowed".into())],
        &["forbid Not allowed"],
    );
}

mod bulk {
    use super::*;
    use crate::jobs::bulk::{BulkKind, Outcome, Run};
    use crate::jobs::bulk_runner::{jobs_changed, pump, stop};
    use crate::jobs::bulk_stopping::{Seen, STILL_RUNNING, STOP_WAIT_MS, WATCH_EVERY_MS};

    fn bulk_view(jobs: &[&str], kind: BulkKind) -> Scripted {
        Scripted::new(Script {
            run: Some(Run::new(kind, jobs.iter().map(|job| job.to_string()))),
            // Every delete answered 200 unless a test says otherwise.
            deletes: jobs
                .iter()
                .map(|job| (job.to_string(), VecDeque::new()))
                .collect(),
            ..Script::default()
        })
    }

    fn summary(view: &Scripted) -> String {
        view.script.borrow().run.as_ref().unwrap().summary()
    }

    #[test]
    fn each_job_is_sent_once_kept_in_activity_told_to_the_tabs_and_removed() {
        let view = bulk_view(&["a", "b"], BulkKind::Delete { force: false });
        pump(&view);
        view.run_tasks();
        assert_eq!(
            view.calls(),
            [
                // The jobs are claimed, in one message, before anything is sent or kept; a done
                // request keeps its claim (nothing to send again).
                "claim delete a true, b true",
                "record delete a waiting",
                "DELETE a force=false",
                "record delete a accepted (deleted)",
                "tell Deleted a @7",
                "removed a @7",
                "record delete b waiting",
                "DELETE b force=false",
                "record delete b accepted (deleted)",
                "tell Deleted b @7",
                "removed b @7",
            ]
        );
        assert_eq!(summary(&view), "2 deleted");
    }

    #[test]
    fn a_busy_answer_pauses_then_sends_again_a_404_is_gone_a_refusal_fails() {
        let view = bulk_view(
            &["busy", "gone", "refused"],
            BulkKind::Delete { force: true },
        );
        view.script.borrow_mut().deletes = vec![
            (
                "busy".into(),
                VecDeque::from([Err(ApiError::Server {
                    status: 503,
                    detail: None,
                })]),
            ),
            ("gone".into(), VecDeque::from([Err(ApiError::NotFound)])),
            (
                "refused".into(),
                VecDeque::from([Err(ApiError::Forbidden { detail: None })]),
            ),
        ];
        pump(&view);
        view.run_tasks();
        let calls = view.calls();
        let deletes = calls
            .iter()
            .filter(|call| call.starts_with("DELETE busy"))
            .count();
        assert_eq!(deletes, 2, "{calls:?}");
        assert!(calls.contains(&"sleep 1000".to_string()), "{calls:?}");
        assert!(
            calls.contains(&"record force-delete gone accepted (already gone (404))".to_string())
        );
        assert!(calls.contains(&"removed gone @7".to_string()));
        assert!(!calls.contains(&"removed refused @7".to_string()));
        // A failed request lets its claim go (another view may try); a done one keeps it.
        assert!(
            calls.contains(&"release delete refused".to_string()),
            "{calls:?}"
        );
        assert!(
            !calls.contains(&"release delete gone".to_string()),
            "{calls:?}"
        );
        assert_eq!(summary(&view), "2 deleted · 1 failed");
    }

    #[test]
    fn a_job_another_view_is_acting_on_is_not_sent_and_each_claim_is_released() {
        let view = bulk_view(&["mine", "theirs"], BulkKind::Delete { force: false });
        view.script.borrow_mut().claimed_elsewhere = vec!["theirs".into()];
        pump(&view);
        view.run_tasks();
        let calls = view.calls();
        assert!(
            calls.iter().any(|call| call.starts_with("DELETE mine")),
            "{calls:?}"
        );
        assert!(
            !calls.iter().any(|call| call.starts_with("DELETE theirs")),
            "{calls:?}"
        );
        // Not kept in Activity either: nothing was asked of the server.
        assert!(!calls
            .iter()
            .any(|call| call.contains("record") && call.contains("theirs")));
        assert!(
            calls.contains(&"claim delete mine true, theirs false".to_string()),
            "{calls:?}"
        );
        assert!(
            !calls.iter().any(|call| call.starts_with("release")),
            "{calls:?}"
        );
        assert_eq!(summary(&view), "1 deleted · 1 handled elsewhere");
    }

    /// A delete run that cancels its one job ("42", running) first; the server accepts the
    /// cancel with the job still in `phase`.
    fn cancel_first_view(phase: &str) -> Scripted {
        let view = bulk_view(&["42"], BulkKind::Delete { force: false });
        let mut accepted = cancelled();
        accepted.phase = Phase::parse(phase);
        let mut script = view.script.borrow_mut();
        script.run = script
            .run
            .take()
            .map(|run| run.cancelling_first(vec!["42".into()]));
        script.cancel = Some(Ok(accepted));
        drop(script);
        view
    }

    /// The run's calls so far that start with `wanted`.
    fn counted(view: &Scripted, wanted: &str) -> usize {
        view.calls()
            .iter()
            .filter(|call| call.starts_with(wanted))
            .count()
    }

    #[test]
    fn cancel_first_frees_its_slot_and_deletes_the_job_once_the_feed_sees_it_stopped() {
        let view = cancel_first_view("matching");
        pump(&view);
        // The claim, then the cancel.
        view.run_round();
        view.run_round();
        let calls = view.calls();
        assert!(calls.contains(&r#"POST 42 reason=Some("user_request")"#.to_string()));
        assert!(calls.contains(&"tell Hurry".to_string()), "{calls:?}");
        assert!(
            calls
                .iter()
                .any(|call| call.starts_with("record cancel 42 accepted")),
            "{calls:?}"
        );
        let run =
            |view: &Scripted, f: fn(&Run) -> bool| f(view.script.borrow().run.as_ref().unwrap());
        assert!(
            run(&view, |run| run.in_flight().is_empty()),
            "no slot held while it stops"
        );
        assert!(run(&view, |run| run.row_step("42") == Some("Cancelling…")));
        assert!(!run(&view, Run::is_finished));
        // The feed says the job stopped: its delete goes, alone (no second cancel, no read).
        view.script.borrow_mut().seen_from = vec![("42".into(), 0, Seen::Stopped)];
        jobs_changed(&view);
        view.run_tasks();
        assert_eq!(counted(&view, "POST 42"), 1);
        assert_eq!(counted(&view, "DELETE 42 force=false"), 1);
        assert_eq!(counted(&view, "GET"), 0, "{:?}", view.calls());
        assert_eq!(summary(&view), "1 deleted");
    }

    #[test]
    fn cancel_first_sends_every_cancel_before_any_job_stopped_at_most_four_at_once() {
        let jobs = ["a", "b", "c", "d", "e", "f"];
        let view = bulk_view(&jobs, BulkKind::Delete { force: false });
        let mut script = view.script.borrow_mut();
        script.run = script
            .run
            .take()
            .map(|run| run.cancelling_first(jobs.iter().map(|job| job.to_string()).collect()));
        script.cancel_phase = Some("matching");
        // Every job has stopped by the watch's first look, 4 s on.
        script.seen_from = jobs
            .iter()
            .map(|job| (job.to_string(), 4_000, Seen::Stopped))
            .collect();
        drop(script);
        pump(&view);
        view.run_tasks();
        let calls = view.calls();
        let last_post = calls.iter().rposition(|call| call.starts_with("POST"));
        let first_delete = calls.iter().position(|call| call.starts_with("DELETE"));
        assert!(last_post < first_delete, "{calls:?}");
        assert_eq!(counted(&view, "POST"), 6);
        assert_eq!(counted(&view, "DELETE"), 6);
        assert_eq!(counted(&view, "GET"), 0);
        assert_eq!(summary(&view), "6 deleted");
    }

    #[test]
    fn cancel_first_gives_up_on_a_job_still_running_after_60_s_and_sends_no_delete() {
        let view = cancel_first_view("evidence");
        pump(&view);
        view.run_tasks();
        let calls = view.calls();
        assert!(
            !calls.iter().any(|call| call.starts_with("DELETE")),
            "{calls:?}"
        );
        assert!(
            calls.contains(&"release delete 42".to_string()),
            "{calls:?}"
        );
        // The feed was kept fast the whole minute, by the cancel and then every watch.
        let watches = (STOP_WAIT_MS / u64::from(WATCH_EVERY_MS)) as usize;
        assert_eq!(counted(&view, "tell Hurry"), watches, "{calls:?}");
        assert_eq!(counted(&view, "GET"), 0);
        assert_eq!(summary(&view), "0 deleted · 1 failed");
        let failures = view
            .script
            .borrow()
            .run
            .as_ref()
            .map(|run| run.failures())
            .unwrap_or_default();
        assert_eq!(failures, [("42".to_string(), STILL_RUNNING.to_string())]);
    }

    #[test]
    fn cancel_first_a_job_gone_meanwhile_is_done_and_stop_leaves_a_waiting_one_undeleted() {
        let gone = cancel_first_view("matching");
        gone.script.borrow_mut().seen_from = vec![("42".into(), 0, Seen::Gone)];
        pump(&gone);
        gone.run_tasks();
        assert_eq!(counted(&gone, "DELETE"), 0);
        assert_eq!(summary(&gone), "1 deleted");

        let stopped = cancel_first_view("matching");
        pump(&stopped);
        stopped.run_round();
        stopped.run_round();
        stop(&stopped);
        stopped.run_tasks();
        assert_eq!(counted(&stopped, "DELETE"), 0);
        assert_eq!(summary(&stopped), "0 deleted · 1 not started");
        // The watch ended at its next look: nothing waits.
        assert_eq!(counted(&stopped, "sleep"), 1);
    }

    #[test]
    fn a_busy_answer_with_retry_after_pauses_that_long() {
        let view = bulk_view(&["limited"], BulkKind::Delete { force: false });
        let busy = ApiError::Server {
            status: 429,
            detail: None,
        }
        .with_retry_after(Some(7));
        view.script.borrow_mut().deletes = vec![("limited".into(), VecDeque::from([Err(busy)]))];
        pump(&view);
        view.run_tasks();
        let calls = view.calls();
        assert!(calls.contains(&"sleep 7000".to_string()), "{calls:?}");
        assert_eq!(summary(&view), "1 deleted");
    }

    #[test]
    fn a_bulk_cancel_sends_the_shared_reason_and_applies_each_answer() {
        let view = bulk_view(&["42"], BulkKind::Cancel);
        view.script.borrow_mut().cancel = Some(Ok(cancelled()));
        pump(&view);
        view.run_tasks();
        assert_eq!(
            view.calls(),
            [
                "claim cancel 42 true",
                "record cancel 42 waiting",
                r#"POST 42 reason=Some("user_request")"#,
                "record cancel 42 accepted (now cancelled), confirmed: the server accepted the cancel (now cancelled)",
                "apply 42 @7",
                "tell Acted 42 cancelled @7",
            ]
        );
    }

    #[test]
    fn stop_before_the_answers_sends_nothing_more() {
        let view = bulk_view(
            &["a", "b", "c", "d", "e", "f"],
            BulkKind::Delete { force: false },
        );
        pump(&view);
        // The claims' answer: four requests go.
        view.run_round();
        stop(&view);
        view.run_tasks();
        let calls = view.calls();
        let sent = calls
            .iter()
            .filter(|call| call.starts_with("DELETE"))
            .count();
        assert_eq!(sent, 4);
        // The claims of the jobs not sent are given back at once.
        assert!(
            calls.contains(&"release delete e, f".to_string()),
            "{calls:?}"
        );
        let script = view.script.borrow();
        let run = script.run.as_ref().unwrap();
        assert_eq!(run.outcome("f"), Some(&Outcome::NotStarted));
        assert_eq!(run.summary(), "4 deleted · 2 not started");
    }
}
