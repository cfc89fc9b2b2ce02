//! The cancel/delete flow of one job as a pure state machine (PRD §5.1, §5.2, §5.5, §5.6, §7.2):
//! which dialog is open, what is in flight, what the user typed, and what must happen next.
//! The views feed it events and carry out the effects it returns; it never does I/O itself, so
//! every path (double confirm, 409 → force, error keeps the reason, …) is tested natively.

use crate::api::error::ApiError;
use crate::api::model::{CancelRequest, CancelResponse};
use crate::jobs::activity::Entry;
use crate::jobs::copy;
pub use crate::jobs::dialog::{Dialog, Request};
use crate::jobs::phase::Phase;
use crate::jobs::rules::ActionKind;

/// The storage key prefix under which a job's typed reason waits (session storage, until the cancel
/// succeeds): `reason:{api base}#` + job id. The content script and the popup share it, so a reason
/// typed on a job's page is there in the popup too.
pub fn reason_key_prefix(api_base: &str) -> String {
    // `#` ends the base (no API base has one): `https://a` never prefixes `https://a:8443/v1`.
    format!("reason:{api_base}#")
}

/// The storage key prefix under which a confirmed Cancel & Delete waits for the workers (session
/// storage, until the job is deleted): the next view of the job carries it out.
pub fn delete_key_prefix(api_base: &str) -> String {
    format!("delete-when-stopped:{api_base}#")
}

/// Why the dialog's last attempt failed, and what the view offers about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub message: String,
    /// The same request may succeed if sent again: the confirm button reads "Retry".
    pub retry: bool,
    /// The session expired: the view links to the app to sign in again (the dialog, and the
    /// typed reason, stay for the retry).
    pub sign_in: bool,
    /// The failed request as its console line tells it (`report::failure_line`), for the
    /// dialog's "Copy details"; none when nothing was sent.
    pub details: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    Idle,
    /// A dialog is open; `error` is the last failure, shown inside it.
    Confirming {
        dialog: Dialog,
        error: Option<Failure>,
    },
    /// The dialog's request is in flight: every action is disabled, Esc and backdrop are ignored.
    Sending {
        dialog: Dialog,
        request: Request,
    },
    /// The job is gone; the view is leaving the page.
    Deleted,
    /// Cancel & Delete, confirmed and its cancel accepted (issue #23): no dialog is open; the job is
    /// followed until its workers stop, then deleted (`cancel_then_delete`).
    Following(Step),
}

/// Where a confirmed Cancel & Delete is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The cancel was accepted; the workers have not stopped yet.
    Stopping,
    /// The job is terminal; its `DELETE ?force=false` is in flight.
    Deleting,
}

impl Step {
    /// The job's delete control while it is at this step.
    pub fn label(self) -> &'static str {
        match self {
            Step::Stopping => copy::STEP_STOPPING,
            Step::Deleting => copy::STEP_DELETING,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastKind {
    Success,
    Info,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toast {
    pub kind: ToastKind,
    pub text: String,
    /// An error toast of a failed request: its console line, for the toast's "Copy details".
    pub details: Option<String>,
    /// A delete's success toast: its Activity entry, for "Copy receipt" (issue #23).
    pub receipt: Option<Box<Entry>>,
}

impl Toast {
    pub(crate) fn new(kind: ToastKind, text: impl Into<String>) -> Toast {
        Toast {
            kind,
            text: text.into(),
            details: None,
            receipt: None,
        }
    }

    /// A delete's success toast, offering the entry's receipt.
    pub(crate) fn deleted(receipt: Option<Box<Entry>>) -> Toast {
        Toast {
            receipt,
            ..Toast::new(ToastKind::Success, copy::TOAST_DELETED)
        }
    }

    /// The error toast of a failed request, with its console line (`Event::Failed`).
    pub(crate) fn failed(text: impl Into<String>, details: Option<String>) -> Toast {
        Toast {
            details,
            ..Toast::new(ToastKind::Error, text)
        }
    }
}

/// What the view must do after an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    SendCancel(CancelRequest),
    SendDelete {
        force: bool,
    },
    /// Apply the server's cancel answer to the shown job, then re-read it (PRD §5.1 step 4).
    ApplyCancel(CancelResponse),
    Refetch,
    Toast(Toast),
    /// The job is gone (deleted now, or found deleted): show this toast, and on a job's page leave
    /// for the list (PRD §5.2 step 4, §5.6.3); on the list, remove its row (PRD §7.3).
    JobGone(Toast),
    /// The dialog closed: give focus back to the control that opened it.
    RestoreFocus,
    /// The API refused this user the action (403): every destructive control for this app turns
    /// disabled, with this sentence as its description (PRD §11).
    Forbidden(String),
    /// The typed reason changed (typed, or cleared by a successful cancel): keep it where a
    /// failed request, a closed dialog or a reload cannot lose it (issue #10), or forget it.
    KeepReason(String),
    /// A confirmed Cancel & Delete waits for the workers (`true`), or no longer does: keep that
    /// where leaving the page cannot lose it, so the next view of the job carries it out.
    RememberDelete(bool),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The user chose an action; `phase` is the job's phase as shown.
    Open {
        action: ActionKind,
        phase: Phase,
    },
    /// Force Delete, offered when a cancelled job keeps running (`pending.rs`): straight to the
    /// force-delete dialog, no 409 first.
    OpenForceDelete,
    /// Esc, backdrop or the dialog's secondary button.
    Dismiss,
    ReasonEdited(String),
    Confirm,
    CancelDone(CancelResponse),
    /// The delete was accepted; its Activity entry, whose receipt the success toast offers.
    DeleteDone(Option<Box<Entry>>),
    /// The request failed; `details` is its console line (`report::failure_line`, without the
    /// `[job-actions]` prefix), which the error's "Copy details" copies — none for an abort, or
    /// when no request could be made.
    Failed {
        error: ApiError,
        details: Option<String>,
    },
    /// The job's phase as the view now knows it (a poll, another tab): a Cancel & Delete that
    /// waits for the workers goes on when it is terminal.
    Seen(Phase),
}

/// One job's flow. `reason` survives closing the dialog and failures; a success clears it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    pub state: State,
    pub reason: String,
    /// This page cancelled the job (the Cancel button then reads "Cancelled", disabled).
    pub cancelled_here: bool,
    /// Cancel & Delete was confirmed: the job is deleted once its workers stopped, also after a
    /// Force Delete dialog opened meanwhile was dismissed.
    pub delete_when_stopped: bool,
    /// The site profile lets the views offer Force Delete (its switch, issue #23): a 409 on a
    /// plain delete offers it only then, and otherwise says the job still runs. The views set it
    /// before each event.
    pub force_delete_offered: bool,
}

impl Default for Flow {
    fn default() -> Flow {
        Flow {
            state: State::Idle,
            reason: String::new(),
            cancelled_here: false,
            delete_when_stopped: false,
            force_delete_offered: true,
        }
    }
}

impl Flow {
    pub fn is_busy(&self) -> bool {
        matches!(
            self.state,
            State::Sending { .. } | State::Deleted | State::Following(Step::Deleting)
        )
    }

    /// The open dialog, if any, and whether its request is in flight.
    pub fn dialog(&self) -> Option<(Dialog, bool)> {
        match self.state {
            State::Confirming { dialog, .. } => Some((dialog, false)),
            State::Sending { dialog, .. } => Some((dialog, true)),
            _ => None,
        }
    }

    /// The error shown inside the open dialog.
    pub fn dialog_error(&self) -> Option<&str> {
        self.failure().map(|failure| failure.message.as_str())
    }

    /// The open dialog's last failure.
    pub fn failure(&self) -> Option<&Failure> {
        match &self.state {
            State::Confirming { error, .. } => error.as_ref(),
            _ => None,
        }
    }

    /// The destructive button's label: the dialog's, "Retry" after a failure that may pass on a
    /// second try, the busy label while the request is in flight.
    pub fn confirm_label(&self) -> &'static str {
        match &self.state {
            State::Sending { dialog, .. } => dialog.copy().confirm_busy,
            State::Confirming {
                error: Some(Failure { retry: true, .. }),
                ..
            } => copy::RETRY,
            State::Confirming { dialog, .. } => dialog.copy().confirm,
            _ => "",
        }
    }

    pub fn handle(&mut self, event: Event) -> Vec<Effect> {
        let reason_before = self.reason.clone();
        let follow_before = self.delete_when_stopped;
        let mut effects = self.step(event);
        if self.state == State::Deleted {
            self.delete_when_stopped = false;
        }
        if self.reason != reason_before {
            effects.push(Effect::KeepReason(self.reason.clone()));
        }
        if self.delete_when_stopped != follow_before {
            effects.push(Effect::RememberDelete(self.delete_when_stopped));
        }
        effects
    }

    fn step(&mut self, event: Event) -> Vec<Effect> {
        match (&self.state, event) {
            (State::Idle, Event::Open { action, phase }) => {
                let Some(dialog) = Dialog::for_action(action, &phase) else {
                    return Vec::new();
                };
                self.state = State::Confirming {
                    dialog,
                    error: None,
                };
                Vec::new()
            }
            (State::Idle, Event::OpenForceDelete) => {
                self.state = State::Confirming {
                    dialog: Dialog::ForceDelete,
                    error: None,
                };
                Vec::new()
            }
            (State::Confirming { .. }, Event::Dismiss) => {
                // A Force Delete offered while Cancel & Delete waits: dismissing it keeps waiting.
                self.state = if self.delete_when_stopped {
                    State::Following(Step::Stopping)
                } else {
                    State::Idle
                };
                vec![Effect::RestoreFocus]
            }
            (State::Following(step), event) => {
                let step = *step;
                self.follow(step, event)
            }
            (State::Confirming { .. }, Event::Seen(phase))
                if self.delete_when_stopped && phase.is_terminal() =>
            {
                self.stopped()
            }
            (
                State::Confirming { dialog, .. } | State::Sending { dialog, .. },
                Event::ReasonEdited(text),
            ) => {
                if dialog.copy().asks_reason {
                    self.reason = text;
                }
                Vec::new()
            }
            (State::Confirming { dialog, .. }, Event::Confirm) => {
                let dialog = *dialog;
                let request = dialog.request();
                let effect = match request {
                    Request::Cancel => match CancelRequest::from_user_text(&self.reason) {
                        Ok(body) => Effect::SendCancel(body),
                        Err(message) => {
                            self.state = State::Confirming {
                                dialog,
                                error: Some(Failure {
                                    message,
                                    retry: false,
                                    sign_in: false,
                                    details: None,
                                }),
                            };
                            return Vec::new();
                        }
                    },
                    Request::Delete { force } => Effect::SendDelete { force },
                };
                self.state = State::Sending { dialog, request };
                vec![effect]
            }
            (
                State::Sending {
                    dialog: Dialog::Delete { running: true },
                    request: Request::Cancel,
                },
                Event::CancelDone(response),
            ) => self.cancel_accepted_for_delete(response),
            (
                State::Sending {
                    request: Request::Cancel,
                    ..
                },
                Event::CancelDone(response),
            ) => {
                self.state = State::Idle;
                self.reason.clear();
                let toast = match (&response.phase, response.message.is_some()) {
                    (Phase::Cancelled, false) => {
                        self.cancelled_here = true;
                        Toast::new(ToastKind::Success, copy::TOAST_CANCELLED)
                    }
                    (Phase::Cancelled, true) => {
                        Toast::new(ToastKind::Info, copy::TOAST_ALREADY_CANCELLED)
                    }
                    // Accepted, but the workers have not stopped yet (`pending.rs`).
                    (phase, _) if phase.is_active() => {
                        self.cancelled_here = true;
                        Toast::new(ToastKind::Info, copy::TOAST_CANCEL_ACCEPTED)
                    }
                    (phase, _) => {
                        Toast::new(ToastKind::Info, copy::already_finished(phase.as_wire()))
                    }
                };
                vec![
                    Effect::ApplyCancel(response),
                    Effect::Toast(toast),
                    Effect::Refetch,
                    Effect::RestoreFocus,
                ]
            }
            (
                State::Sending {
                    request: Request::Delete { .. },
                    ..
                },
                Event::DeleteDone(receipt),
            ) => {
                self.state = State::Deleted;
                self.reason.clear();
                vec![Effect::JobGone(Toast::deleted(receipt))]
            }
            (State::Sending { dialog, request }, Event::Failed { error, details }) => {
                let (dialog, request) = (*dialog, *request);
                self.failed(dialog, request, error, details)
            }
            // Anything else is out of order (a second confirm while sending, a late answer after
            // the page moved on) and is ignored.
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A request's failure, as the runner reports it when it logged nothing.
    fn failed(error: ApiError) -> Event {
        Event::Failed {
            error,
            details: None,
        }
    }

    fn open(flow: &mut Flow, cancel: bool, phase: &str) {
        let action = if cancel {
            ActionKind::Cancel
        } else {
            ActionKind::Delete
        };
        assert_eq!(
            flow.handle(Event::Open {
                action,
                phase: Phase::parse(phase)
            }),
            vec![]
        );
    }

    fn cancelled(message: Option<&str>, phase: &str) -> CancelResponse {
        CancelResponse {
            job_id: "j".into(),
            phase: Phase::parse(phase),
            cancelled_at: Some("2025-11-18T10:30:00Z".into()),
            reason: Some("user_request".into()),
            notes: None,
            message: message.map(str::to_string),
        }
    }

    #[test]
    fn each_action_opens_its_dialog_while_the_phase_allows_it() {
        use ActionKind::*;
        let table = [
            (Cancel, "matching", Some(Dialog::Cancel)),
            (Cancel, "completed", None),
            (Delete, "failed", Some(Dialog::Delete { running: false })),
            (
                CancelAndDelete,
                "evidence",
                Some(Dialog::Delete { running: true }),
            ),
            // Drawn while the job ran; it finished since: a plain delete.
            (
                CancelAndDelete,
                "completed",
                Some(Dialog::Delete { running: false }),
            ),
            (Delete, "archiving", None),
            (ViewDetails, "matching", None),
        ];
        for (action, phase, dialog) in table {
            assert_eq!(
                Dialog::for_action(action, &Phase::parse(phase)),
                dialog,
                "{action:?} on {phase}"
            );
            let mut flow = Flow::default();
            flow.handle(Event::Open {
                action,
                phase: Phase::parse(phase),
            });
            assert_eq!(flow.dialog().map(|(dialog, _)| dialog), dialog);
        }
        let names: Vec<&str> = [
            Dialog::Cancel,
            Dialog::Delete { running: true },
            Dialog::ForceDelete,
        ]
        .iter()
        .map(|dialog| dialog.name())
        .collect();
        assert_eq!(names, ["cancel", "delete", "force-delete"]);
    }

    #[test]
    fn cancel_sends_once_and_succeeds() {
        let mut flow = Flow::default();
        open(&mut flow, true, "matching");
        assert_eq!(flow.dialog(), Some((Dialog::Cancel, false)));
        assert_eq!(
            flow.handle(Event::ReasonEdited("  stuck ".into())),
            vec![Effect::KeepReason("  stuck ".into())],
            "a typed reason is kept at once"
        );
        assert_eq!(
            flow.handle(Event::ReasonEdited("  stuck ".into())),
            vec![],
            "and only when it changed"
        );
        let effects = flow.handle(Event::Confirm);
        assert_eq!(
            effects,
            vec![Effect::SendCancel(CancelRequest {
                reason: Some("user_request".into()),
                notes: Some("stuck".into())
            })]
        );
        // A double click: the second confirm sends nothing.
        assert_eq!(flow.handle(Event::Confirm), vec![]);
        assert!(flow.is_busy());
        // Esc and backdrop are ignored while the request is in flight.
        assert_eq!(flow.handle(Event::Dismiss), vec![]);
        assert_eq!(flow.dialog(), Some((Dialog::Cancel, true)));
        let effects = flow.handle(Event::CancelDone(cancelled(None, "cancelled")));
        assert_eq!(
            effects[1],
            Effect::Toast(Toast::new(ToastKind::Success, "Job cancelled successfully"))
        );
        assert!(effects.contains(&Effect::Refetch));
        assert_eq!(
            effects.last(),
            Some(&Effect::KeepReason(String::new())),
            "a cancel that succeeded forgets the kept reason"
        );
        assert_eq!(
            (
                flow.state.clone(),
                flow.reason.as_str(),
                flow.cancelled_here
            ),
            (State::Idle, "", true)
        );
    }

    #[test]
    fn a_failed_cancel_keeps_the_dialog_and_the_reason() {
        let mut flow = Flow::default();
        open(&mut flow, true, "evidence");
        flow.handle(Event::ReasonEdited("customer asked".into()));
        flow.handle(Event::Confirm);
        let effects = flow.handle(failed(ApiError::Server {
            status: 500,
            detail: Some("Queue unavailable".into()),
        }));
        let message = "Failed to cancel job: The server refused the request: Queue unavailable";
        assert_eq!(
            effects,
            vec![Effect::Toast(Toast::new(ToastKind::Error, message))]
        );
        assert_eq!(flow.dialog(), Some((Dialog::Cancel, false)));
        assert_eq!(flow.dialog_error(), Some(message));
        assert_eq!(flow.reason, "customer asked");
        // Closed and reopened: the reason is still there; retry sends it.
        assert_eq!(flow.handle(Event::Dismiss), vec![Effect::RestoreFocus]);
        open(&mut flow, true, "evidence");
        assert_eq!(
            flow.dialog_error(),
            None,
            "a reopened dialog starts without the old error"
        );
        assert!(
            matches!(&flow.handle(Event::Confirm)[0], Effect::SendCancel(body) if body.notes.as_deref() == Some("customer asked"))
        );
    }

    #[test]
    fn the_failure_matrix_of_a_cancel() {
        let send = |error: ApiError| {
            let mut flow = Flow::default();
            open(&mut flow, true, "matching");
            flow.handle(Event::ReasonEdited("typed".into()));
            flow.handle(Event::Confirm);
            let effects = flow.handle(failed(error));
            (flow, effects)
        };
        // A dropped connection: the dialog stays with the reason; the button reads "Retry" and
        // sends the same request again.
        let (mut flow, _) = send(ApiError::Network("reset".into()));
        assert_eq!(flow.confirm_label(), "Retry");
        assert_eq!(
            flow.dialog_error(),
            Some("Failed to cancel job: Could not reach the server. Check your connection, then retry.")
        );
        assert!(
            matches!(&flow.handle(Event::Confirm)[0], Effect::SendCancel(body) if body.notes.as_deref() == Some("typed"))
        );
        // A timeout: the job is re-read before the user retries.
        let (flow, effects) = send(ApiError::Timeout { after_ms: 15_000 });
        assert!(effects.contains(&Effect::Refetch));
        assert_eq!(flow.confirm_label(), "Retry");
        // 401: sign in, then retry without retyping.
        let (flow, _) = send(ApiError::Unauthorized);
        let failure = flow.failure().unwrap();
        assert!(failure.sign_in && failure.retry);
        assert_eq!(
            failure.message,
            "Failed to cancel job: Your session has expired. Sign in to the app again, then retry."
        );
        assert_eq!(flow.reason, "typed");
        // 403: the dialog closes, the actions are disabled with the reason, the reason stays.
        let (flow, effects) = send(ApiError::Forbidden { detail: None });
        let message = "You don't have permission to cancel this job. Ask an admin.";
        assert_eq!(
            effects,
            vec![
                Effect::Forbidden(message.into()),
                Effect::Toast(Toast::new(ToastKind::Error, message)),
                Effect::RestoreFocus
            ]
        );
        assert_eq!((flow.state, flow.reason.as_str()), (State::Idle, "typed"));
        // A 400 is not worth retrying as is: the button keeps its label.
        let (flow, _) = send(ApiError::Server {
            status: 400,
            detail: None,
        });
        assert_eq!(flow.confirm_label(), "Confirm Cancellation");
    }

    #[test]
    fn the_error_in_the_dialog_and_its_toast_carry_the_requests_console_line() {
        let line = "cancel of job \"j\" failed: POST https://app.example/api/jobs/j/cancel → 503 after 40 ms";
        let mut flow = Flow::default();
        open(&mut flow, true, "matching");
        flow.handle(Event::ReasonEdited("typed".into()));
        flow.handle(Event::Confirm);
        let effects = flow.handle(Event::Failed {
            error: ApiError::Server {
                status: 503,
                detail: None,
            },
            details: Some(line.into()),
        });
        let message =
            "Failed to cancel job: The server had a problem (HTTP 503). Try again in a moment.";
        assert_eq!(
            effects,
            vec![Effect::Toast(Toast {
                kind: ToastKind::Error,
                text: message.into(),
                details: Some(line.into()),
                receipt: None,
            })]
        );
        assert_eq!(flow.failure().unwrap().details.as_deref(), Some(line));
        // A refusal closes the dialog: its toast carries the line.
        let mut flow = Flow::default();
        open(&mut flow, false, "completed");
        flow.handle(Event::Confirm);
        let effects = flow.handle(Event::Failed {
            error: ApiError::Forbidden { detail: None },
            details: Some(line.into()),
        });
        assert!(effects.iter().any(
            |effect| matches!(effect, Effect::Toast(toast) if toast.details.as_deref() == Some(line))
        ));
        // A reason refused before sending: nothing was sent, nothing to copy.
        let mut flow = Flow::default();
        open(&mut flow, true, "matching");
        flow.handle(Event::ReasonEdited("x".repeat(501)));
        flow.handle(Event::Confirm);
        assert_eq!(flow.failure().unwrap().details, None);
    }

    #[test]
    fn a_too_long_reason_is_refused_before_sending() {
        let mut flow = Flow::default();
        open(&mut flow, true, "collection");
        flow.handle(Event::ReasonEdited("x".repeat(501)));
        assert_eq!(flow.handle(Event::Confirm), vec![]);
        assert_eq!(
            flow.dialog_error(),
            Some("The reason is 501 characters long; shorten it to 500 or fewer.")
        );
        assert!(!flow.is_busy());
    }

    #[test]
    fn cancel_of_an_already_cancelled_or_finished_job_informs() {
        for (response, text) in [
            (
                cancelled(Some("Job was already cancelled"), "cancelled"),
                "This job has already been cancelled.",
            ),
            (
                cancelled(Some("Job already completed"), "completed"),
                "This job had already finished (completed); there was nothing to cancel.",
            ),
        ] {
            let mut flow = Flow::default();
            open(&mut flow, true, "matching");
            flow.handle(Event::Confirm);
            let effects = flow.handle(Event::CancelDone(response));
            assert_eq!(effects[1], Effect::Toast(Toast::new(ToastKind::Info, text)));
            assert!(!flow.cancelled_here);
        }
    }

    #[test]
    fn a_409_with_force_delete_switched_off_says_the_job_still_runs_and_deletes_nothing() {
        let mut flow = Flow {
            force_delete_offered: false,
            ..Flow::default()
        };
        open(&mut flow, false, "completed");
        assert_eq!(
            flow.handle(Event::Confirm),
            vec![Effect::SendDelete { force: false }]
        );
        let effects = flow.handle(failed(ApiError::Conflict { detail: None }));
        assert_eq!(
            flow.dialog(),
            Some((Dialog::Delete { running: false }, false))
        );
        assert_eq!(flow.dialog_error(), Some(copy::STILL_RUNNING));
        assert!(
            matches!(&effects[..], [Effect::Toast(toast)] if toast.text == copy::STILL_RUNNING)
        );
    }

    #[test]
    fn a_409_on_a_plain_delete_offers_force_delete() {
        // The page showed the job finished, but it runs again by the server's account (Cancel &
        // Delete of a running job cancels first: `cancel_then_delete`).
        let mut flow = Flow::default();
        open(&mut flow, false, "completed");
        assert_eq!(
            flow.dialog(),
            Some((Dialog::Delete { running: false }, false))
        );
        assert_eq!(
            flow.handle(Event::Confirm),
            vec![Effect::SendDelete { force: false }]
        );
        assert_eq!(
            flow.handle(failed(ApiError::Conflict { detail: None })),
            vec![]
        );
        assert_eq!(flow.dialog(), Some((Dialog::ForceDelete, false)));
        assert_eq!(
            flow.handle(Event::Confirm),
            vec![Effect::SendDelete { force: true }]
        );
        assert_eq!(
            flow.handle(Event::DeleteDone(None)),
            vec![Effect::JobGone(Toast::new(
                ToastKind::Success,
                "Job deleted successfully"
            ))]
        );
        assert_eq!(flow.state, State::Deleted);
        // Nothing can be opened on a deleted job.
        assert_eq!(
            flow.handle(Event::Open {
                action: ActionKind::Delete,
                phase: Phase::Completed
            }),
            vec![]
        );
        assert_eq!(flow.state, State::Deleted);
    }

    #[test]
    fn not_found_leaves_for_the_list_with_an_info_toast() {
        for cancel in [true, false] {
            let mut flow = Flow::default();
            open(&mut flow, cancel, "evidence");
            flow.handle(Event::Confirm);
            assert_eq!(
                flow.handle(failed(ApiError::NotFound)),
                vec![Effect::JobGone(Toast::new(
                    ToastKind::Info,
                    "Job not found or already deleted"
                ))]
            );
        }
    }

    #[test]
    fn other_delete_errors_keep_the_job_and_re_enable() {
        let mut flow = Flow::default();
        open(&mut flow, false, "completed");
        assert_eq!(
            flow.dialog(),
            Some((Dialog::Delete { running: false }, false))
        );
        flow.handle(Event::Confirm);
        let effects = flow.handle(failed(ApiError::Network("offline".into())));
        assert_eq!(
            effects,
            vec![Effect::Toast(Toast::new(
                ToastKind::Error,
                "Failed to delete job: Could not reach the server. Check your connection, then retry."
            ))]
        );
        assert!(!flow.is_busy());
        assert_eq!(
            flow.handle(Event::Confirm),
            vec![Effect::SendDelete { force: false }],
            "retry resends"
        );
    }

    #[test]
    fn actions_a_phase_does_not_offer_open_nothing() {
        let mut flow = Flow::default();
        open(&mut flow, true, "completed");
        assert_eq!(flow.state, State::Idle);
        open(&mut flow, false, "archiving");
        assert_eq!(flow.state, State::Idle);
    }

    #[test]
    fn an_aborted_request_returns_quietly_to_idle() {
        let mut flow = Flow::default();
        open(&mut flow, true, "matching");
        flow.handle(Event::Confirm);
        assert_eq!(flow.handle(failed(ApiError::Aborted)), vec![]);
        assert_eq!(flow.state, State::Idle);
    }

    #[test]
    fn late_answers_and_stray_events_are_ignored() {
        let mut flow = Flow::default();
        assert_eq!(
            flow.handle(Event::CancelDone(cancelled(None, "cancelled"))),
            vec![]
        );
        assert_eq!(flow.handle(Event::DeleteDone(None)), vec![]);
        assert_eq!(flow.handle(Event::Confirm), vec![]);
        assert_eq!(flow.handle(Event::Dismiss), vec![]);
        assert_eq!(flow.state, State::Idle);
        // A delete's answer never completes a cancel.
        open(&mut flow, true, "matching");
        flow.handle(Event::Confirm);
        assert_eq!(flow.handle(Event::DeleteDone(None)), vec![]);
        assert!(flow.is_busy());
    }

    #[test]
    fn a_cancel_accepted_while_the_job_still_runs_says_so_and_force_delete_opens_directly() {
        let mut flow = Flow::default();
        flow.handle(Event::Open {
            action: ActionKind::Cancel,
            phase: Phase::Matching,
        });
        flow.handle(Event::Confirm);
        let effects = flow.handle(Event::CancelDone(CancelResponse {
            job_id: "j".into(),
            phase: Phase::Matching,
            cancelled_at: Some("2026-11-26T10:00:00Z".into()),
            reason: Some("user_request".into()),
            notes: None,
            message: Some("Cancellation requested".into()),
        }));
        assert_eq!(
            effects[1],
            Effect::Toast(Toast::new(
                ToastKind::Info,
                "Cancellation requested. The job stops when its workers do."
            ))
        );
        assert!(effects.contains(&Effect::Refetch));
        assert_eq!(flow.state, State::Idle);
        assert!(flow.handle(Event::OpenForceDelete).is_empty());
        assert_eq!(flow.dialog(), Some((Dialog::ForceDelete, false)));
        assert_eq!(flow.confirm_label(), "Force Delete");
        assert_eq!(
            flow.handle(Event::Confirm),
            vec![Effect::SendDelete { force: true }]
        );
    }
}
