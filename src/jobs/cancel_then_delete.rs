//! Cancel & Delete as its dialog promises (PRD §5.2, issue #23): "It will be cancelled first, then
//! deleted after workers acknowledge." Confirming it sends `POST …/cancel` with the typed reason;
//! once the API accepted, the dialog closes and the flow follows the job (`Event::Seen`, fed by
//! the live feed) until its phase is terminal, then sends `DELETE ?force=false`. The job's control
//! shows the step ("Cancelling…", then "Deleting…"). After `pending::FORCE_DELETE_AFTER_S` the
//! views offer Force Delete (the job's pending cancel says so); dismissing that keeps waiting.
//! Nothing is deleted but through this confirmed flow or a confirmed Force Delete.
//!
//! These are `Flow`'s transitions for it, as methods of `Flow` (its `step` hands them the events of
//! a `State::Following`); the types are all `flow`'s.

use crate::api::error::ApiError;
use crate::api::model::{CancelResponse, Job};
use crate::jobs::copy;
use crate::jobs::dialog::{Dialog, Request};
use crate::jobs::flow::{Effect, Event, Flow, State, Step, Toast, ToastKind};
use crate::jobs::idmap::IdMap;
use crate::jobs::phase::Phase;
use crate::jobs::rules::ActionKind;

/// The jobs whose Cancel & Delete waits for the workers, each with its phase as `known` gives it
/// (the view's store): what a view feeds back as `Event::Seen` whenever its jobs changed.
pub fn waiting_deletes<'a>(
    flows: &IdMap<Flow>,
    known: impl Fn(&str) -> Option<&'a Job>,
) -> Vec<(String, Phase)> {
    flows
        .iter()
        .filter(|(_, flow)| flow.delete_when_stopped)
        .filter_map(|(job_id, _)| Some((job_id.clone(), known(job_id)?.phase.clone())))
        .collect()
}

impl Flow {
    /// The cancel of a Cancel & Delete was accepted: delete now if the job already stopped, else
    /// follow it.
    pub(crate) fn cancel_accepted_for_delete(&mut self, response: CancelResponse) -> Vec<Effect> {
        self.reason.clear();
        self.cancelled_here = true;
        self.delete_when_stopped = true;
        let stopped = response.phase.is_terminal();
        let mut effects = vec![Effect::ApplyCancel(response), Effect::RestoreFocus];
        if stopped {
            effects.extend(self.stopped());
        } else {
            self.state = State::Following(Step::Stopping);
            effects.push(Effect::Toast(Toast::new(
                ToastKind::Info,
                copy::TOAST_DELETE_WHEN_STOPPED,
            )));
            effects.push(Effect::Refetch);
        }
        effects
    }

    /// A Cancel & Delete confirmed in an earlier view of the job (kept through
    /// `Effect::RememberDelete`) goes on in this one; the next `Event::Seen` of a terminal phase
    /// sends its delete.
    pub fn resume_delete_when_stopped(&mut self) {
        if self.state == State::Idle {
            self.delete_when_stopped = true;
            self.state = State::Following(Step::Stopping);
        }
    }

    /// The workers stopped: send the delete.
    pub(crate) fn stopped(&mut self) -> Vec<Effect> {
        self.state = State::Following(Step::Deleting);
        vec![Effect::SendDelete { force: false }]
    }

    pub(crate) fn follow(&mut self, step: Step, event: Event) -> Vec<Effect> {
        match (step, event) {
            (Step::Stopping, Event::Seen(phase)) if phase.is_terminal() => self.stopped(),
            // Waiting longer than the user wants: Force Delete, one request, its own confirmation.
            (Step::Stopping, Event::OpenForceDelete) => self.offer_force_delete(),
            (Step::Stopping, Event::Open { action, phase })
                if action != ActionKind::ViewDetails && action != ActionKind::Cancel =>
            {
                if phase.is_terminal() {
                    self.stopped()
                } else {
                    self.offer_force_delete()
                }
            }
            (Step::Deleting, Event::DeleteDone(receipt)) => {
                self.state = State::Deleted;
                vec![Effect::JobGone(Toast::deleted(receipt))]
            }
            (Step::Deleting, Event::Failed { error, details }) => {
                self.delete_failed(error, details)
            }
            _ => Vec::new(),
        }
    }

    fn offer_force_delete(&mut self) -> Vec<Effect> {
        self.state = State::Confirming {
            dialog: Dialog::ForceDelete,
            error: None,
        };
        Vec::new()
    }

    /// The delete after the cancel failed: say it was that step, and leave the job; an error toast
    /// carries the request's console line (`details`).
    fn delete_failed(&mut self, error: ApiError, details: Option<String>) -> Vec<Effect> {
        match error {
            ApiError::NotFound => {
                self.state = State::Deleted;
                vec![Effect::JobGone(Toast::new(
                    ToastKind::Info,
                    copy::TOAST_NOT_FOUND,
                ))]
            }
            // The view moved on; the next view of the job carries the delete out
            // (`delete_when_stopped` is kept).
            ApiError::Aborted => {
                self.state = State::Following(Step::Stopping);
                Vec::new()
            }
            // Active again (or still, by the server's clock): wait for it once more.
            ApiError::Conflict { .. } => {
                self.state = State::Following(Step::Stopping);
                vec![Effect::Refetch]
            }
            ApiError::Forbidden { .. } => {
                self.state = State::Idle;
                self.delete_when_stopped = false;
                let message = copy::forbidden(Request::Delete { force: false }.verb());
                vec![
                    Effect::Forbidden(message.clone()),
                    Effect::Toast(Toast::failed(message, details)),
                ]
            }
            error => {
                self.state = State::Idle;
                self.delete_when_stopped = false;
                let text = copy::delete_after_cancel_failed(&error.user_message());
                vec![Effect::Toast(Toast::failed(text, details)), Effect::Refetch]
            }
        }
    }
}

#[cfg(test)]
#[path = "cancel_then_delete_tests.rs"]
mod tests;
