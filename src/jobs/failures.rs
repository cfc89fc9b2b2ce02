//! What the flow does when a dialog's request failed (PRD §5.6): a 409 on a plain delete offers
//! Force Delete, a 404 leaves for the list, a 403 disables the actions, anything else keeps the
//! dialog open with the error (and the typed reason) for a retry. The error in the dialog and the
//! error toast carry the request's console line (`details`), for their "Copy details". A method
//! of `Flow`, as its `step` hands it the failures; the types are all `flow`'s.

use crate::api::error::ApiError;
use crate::jobs::copy;
use crate::jobs::flow::{Dialog, Effect, Failure, Flow, Request, State, Toast, ToastKind};

impl Flow {
    pub(crate) fn failed(
        &mut self,
        dialog: Dialog,
        request: Request,
        error: ApiError,
        details: Option<String>,
    ) -> Vec<Effect> {
        match (&error, request) {
            (ApiError::Aborted, _) => {
                self.state = State::Idle;
                Vec::new()
            }
            (ApiError::Conflict { .. }, Request::Delete { force: false })
                if self.force_delete_offered =>
            {
                self.state = State::Confirming {
                    dialog: Dialog::ForceDelete,
                    error: None,
                };
                Vec::new()
            }
            // Force Delete is switched off for this site: say why nothing was deleted.
            (ApiError::Conflict { .. }, Request::Delete { force: false }) => {
                self.state = State::Confirming {
                    dialog,
                    error: Some(Failure {
                        message: copy::STILL_RUNNING.into(),
                        retry: false,
                        sign_in: false,
                        details: details.clone(),
                    }),
                };
                vec![Effect::Toast(Toast::failed(copy::STILL_RUNNING, details))]
            }
            (ApiError::NotFound, _) => {
                // The job is gone: nothing is left to give a reason for.
                self.state = State::Deleted;
                self.reason.clear();
                vec![Effect::JobGone(Toast::new(
                    ToastKind::Info,
                    copy::TOAST_NOT_FOUND,
                ))]
            }
            (ApiError::Forbidden { .. }, _) => {
                // Asking again will not help: the dialog closes (the typed reason stays), and the
                // view disables the actions with the reason.
                self.state = State::Idle;
                let message = copy::forbidden(request.verb());
                vec![
                    Effect::Forbidden(message.clone()),
                    Effect::Toast(Toast::failed(message, details)),
                    Effect::RestoreFocus,
                ]
            }
            _ => {
                let message = format!("Failed to {} job: {}", request.verb(), error.user_message());
                let timed_out = matches!(error, ApiError::Timeout { .. });
                let sign_in = error == ApiError::Unauthorized;
                self.state = State::Confirming {
                    dialog,
                    error: Some(Failure {
                        message: message.clone(),
                        retry: error.is_retryable() || sign_in,
                        sign_in,
                        details: details.clone(),
                    }),
                };
                let mut effects = vec![Effect::Toast(Toast::failed(message, details))];
                // The request may have reached the server before the timeout: re-read the job
                // before the user retries (a cancel may have happened).
                if timed_out {
                    effects.push(Effect::Refetch);
                }
                effects
            }
        }
    }
}

impl Request {
    pub(crate) fn verb(self) -> &'static str {
        match self {
            Request::Cancel => "cancel",
            Request::Delete { .. } => "delete",
        }
    }
}
