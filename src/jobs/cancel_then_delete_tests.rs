//! Cancel & Delete, step by step, against the flow alone.

use super::*;
use crate::api::model::CancelRequest;
use crate::jobs::phase::Phase;

fn accepted(phase: &str) -> CancelResponse {
    CancelResponse {
        job_id: "42".into(),
        phase: Phase::parse(phase),
        cancelled_at: Some("2026-12-06T09:00:00Z".into()),
        reason: Some("stuck".into()),
        notes: None,
        message: None,
    }
}

/// A flow whose Cancel & Delete dialog was confirmed with the reason "stuck".
fn confirmed() -> (Flow, Vec<Effect>) {
    let mut flow = Flow::default();
    flow.handle(Event::Open {
        action: ActionKind::CancelAndDelete,
        phase: Phase::parse("matching"),
    });
    flow.handle(Event::ReasonEdited("stuck".into()));
    let effects = flow.handle(Event::Confirm);
    (flow, effects)
}

/// A request's failure, as the runner reports it when it logged nothing.
fn failed(error: ApiError) -> Event {
    Event::Failed {
        error,
        details: None,
    }
}

fn following() -> Flow {
    let (mut flow, _) = confirmed();
    flow.handle(Event::CancelDone(accepted("matching")));
    flow
}

#[test]
fn confirming_sends_the_cancel_with_the_typed_reason_first_not_a_delete() {
    let (flow, effects) = confirmed();
    assert_eq!(
        effects,
        vec![Effect::SendCancel(
            CancelRequest::from_user_text("stuck").unwrap()
        )]
    );
    assert_eq!(flow.confirm_label(), "Cancelling…");
}

#[test]
fn an_accepted_cancel_closes_the_dialog_and_follows_the_job_remembering_the_delete() {
    let (mut flow, _) = confirmed();
    let effects = flow.handle(Event::CancelDone(accepted("matching")));
    assert_eq!(flow.state, State::Following(Step::Stopping));
    assert_eq!(flow.dialog(), None);
    assert!(!flow.is_busy(), "Force Delete stays possible while waiting");
    assert!(matches!(effects[0], Effect::ApplyCancel(_)));
    assert!(effects.contains(&Effect::Refetch));
    assert!(effects.contains(&Effect::RememberDelete(true)));
    // The reason went with the cancel: nothing left to keep.
    assert!(effects.contains(&Effect::KeepReason(String::new())));
}

#[test]
fn the_delete_is_sent_once_when_the_job_is_seen_terminal_and_not_before() {
    let mut flow = following();
    assert_eq!(flow.handle(Event::Seen(Phase::parse("matching"))), vec![]);
    assert_eq!(
        flow.handle(Event::Seen(Phase::parse("cancelled"))),
        vec![Effect::SendDelete { force: false }]
    );
    assert_eq!(flow.state, State::Following(Step::Deleting));
    assert!(flow.is_busy());
    // A second sighting while the delete is in flight sends nothing more.
    assert_eq!(flow.handle(Event::Seen(Phase::parse("cancelled"))), vec![]);
    let effects = flow.handle(Event::DeleteDone(None));
    assert_eq!(flow.state, State::Deleted);
    assert!(matches!(&effects[0], Effect::JobGone(toast) if toast.text == copy::TOAST_DELETED));
    assert!(effects.contains(&Effect::RememberDelete(false)));
}

#[test]
fn a_job_that_stopped_at_once_is_deleted_at_once() {
    let (mut flow, _) = confirmed();
    let effects = flow.handle(Event::CancelDone(accepted("cancelled")));
    assert!(effects.contains(&Effect::SendDelete { force: false }));
    assert_eq!(flow.state, State::Following(Step::Deleting));
}

#[test]
fn a_failed_cancel_keeps_the_dialog_and_the_reason_and_says_it_was_the_cancel() {
    let (mut flow, _) = confirmed();
    flow.handle(failed(ApiError::Server {
        status: 503,
        detail: None,
    }));
    assert_eq!(
        flow.dialog(),
        Some((Dialog::Delete { running: true }, false))
    );
    assert_eq!(flow.reason, "stuck");
    assert!(flow
        .dialog_error()
        .unwrap()
        .starts_with("Failed to cancel job"));
    assert!(
        !flow.delete_when_stopped,
        "nothing deletes a job whose cancel failed"
    );
}

#[test]
fn a_failed_delete_after_the_cancel_says_which_step_failed_and_forgets_the_delete() {
    let mut flow = following();
    flow.handle(Event::Seen(Phase::parse("cancelled")));
    let effects = flow.handle(failed(ApiError::Server {
        status: 500,
        detail: None,
    }));
    assert_eq!(flow.state, State::Idle);
    assert!(matches!(&effects[0], Effect::Toast(toast)
        if toast.kind == ToastKind::Error && toast.text.starts_with("The job was cancelled, but deleting it failed")));
    assert!(effects.contains(&Effect::RememberDelete(false)));
}

#[test]
fn the_error_toast_of_the_delete_after_the_cancel_carries_its_console_line() {
    let line = "delete of job \"42\" failed: DELETE https://app.example/api/jobs/42?force=false → 500 after 8 ms";
    for error in [
        ApiError::Server {
            status: 500,
            detail: None,
        },
        ApiError::Forbidden { detail: None },
    ] {
        let mut flow = following();
        flow.handle(Event::Seen(Phase::parse("cancelled")));
        let effects = flow.handle(Event::Failed {
            error,
            details: Some(line.into()),
        });
        let toast = effects.iter().find_map(|effect| match effect {
            Effect::Toast(toast) => Some(toast),
            _ => None,
        });
        assert_eq!(toast.unwrap().details.as_deref(), Some(line));
    }
}

#[test]
fn a_409_on_the_delete_waits_for_the_workers_again() {
    let mut flow = following();
    flow.handle(Event::Seen(Phase::parse("failed")));
    let effects = flow.handle(failed(ApiError::Conflict { detail: None }));
    assert_eq!(flow.state, State::Following(Step::Stopping));
    assert_eq!(effects, vec![Effect::Refetch]);
}

#[test]
fn force_delete_while_waiting_is_one_confirmed_request_and_dismissing_it_keeps_waiting() {
    let mut flow = following();
    flow.handle(Event::OpenForceDelete);
    assert_eq!(flow.dialog(), Some((Dialog::ForceDelete, false)));
    assert_eq!(flow.handle(Event::Dismiss), vec![Effect::RestoreFocus]);
    assert_eq!(flow.state, State::Following(Step::Stopping));
    flow.handle(Event::OpenForceDelete);
    assert_eq!(
        flow.handle(Event::Confirm),
        vec![Effect::SendDelete { force: true }]
    );
    // A double click sends one request.
    assert_eq!(flow.handle(Event::Confirm), vec![]);
    let effects = flow.handle(Event::DeleteDone(None));
    assert_eq!(flow.state, State::Deleted);
    assert!(effects.contains(&Effect::RememberDelete(false)));
}

#[test]
fn the_job_stopping_while_the_force_dialog_is_open_deletes_it_without_force() {
    let mut flow = following();
    flow.handle(Event::OpenForceDelete);
    assert_eq!(
        flow.handle(Event::Seen(Phase::parse("cancelled"))),
        vec![Effect::SendDelete { force: false }]
    );
    assert_eq!(flow.dialog(), None);
}

#[test]
fn a_delete_confirmed_in_an_earlier_view_goes_on_in_the_next() {
    let mut flow = Flow::default();
    flow.resume_delete_when_stopped();
    assert_eq!(flow.state, State::Following(Step::Stopping));
    assert_eq!(
        flow.handle(Event::Seen(Phase::parse("cancelled"))),
        vec![Effect::SendDelete { force: false }]
    );
}

#[test]
fn a_plain_delete_of_a_finished_job_is_unchanged() {
    let mut flow = Flow::default();
    flow.handle(Event::Open {
        action: ActionKind::Delete,
        phase: Phase::parse("completed"),
    });
    assert_eq!(
        flow.handle(Event::Confirm),
        vec![Effect::SendDelete { force: false }]
    );
}

#[test]
fn only_waiting_deletes_of_known_jobs_are_fed_back() {
    let mut flows = IdMap::new();
    flows.insert("waits".to_string(), following());
    flows.insert("idle".to_string(), Flow::default());
    let mut unknown = Flow::default();
    unknown.resume_delete_when_stopped();
    flows.insert("unknown".to_string(), unknown);
    let jobs = [
        Job::bare("waits", "cancelled"),
        Job::bare("idle", "matching"),
    ];
    let known = |id: &str| jobs.iter().find(|job| job.id == id);
    assert_eq!(
        waiting_deletes(&flows, known),
        vec![("waits".to_string(), Phase::parse("cancelled"))]
    );
}
