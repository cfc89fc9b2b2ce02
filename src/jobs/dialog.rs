//! Which dialog each action kind opens, the request confirming it sends, and its words (`copy`):
//! with the kinds and their rows in `rules`, the whole action table. A new kind is a row there and
//! an arm in `Dialog::for_action` here.

use crate::jobs::copy::{self, DialogCopy};
use crate::jobs::phase::Phase;
use crate::jobs::rules::ActionKind;

/// Which confirmation dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialog {
    Cancel,
    /// Delete; `running` when the job is active (the dialog says it will be cancelled first).
    Delete {
        running: bool,
    },
    /// After a 409: retry with `force=true`.
    ForceDelete,
}

impl Dialog {
    /// The dialog an action opens for a job in `phase`, or none when the phase does not allow the
    /// action (any more: the job may have changed since the control was drawn). One row per action
    /// kind: a new kind is a new row here and in `rules`.
    pub fn for_action(action: ActionKind, phase: &Phase) -> Option<Dialog> {
        match action {
            ActionKind::Cancel if crate::jobs::rules::can_cancel(phase) => Some(Dialog::Cancel),
            ActionKind::Delete | ActionKind::CancelAndDelete
                if crate::jobs::rules::can_delete(phase) =>
            {
                Some(Dialog::Delete {
                    running: phase.is_active(),
                })
            }
            _ => None,
        }
    }

    /// Its stable name: the dialog's `data-dialog` on every surface.
    pub fn name(self) -> &'static str {
        match self {
            Dialog::Cancel => "cancel",
            Dialog::Delete { .. } => "delete",
            Dialog::ForceDelete => "force-delete",
        }
    }

    pub fn copy(self) -> &'static DialogCopy {
        match self {
            Dialog::Cancel => &copy::CANCEL_DIALOG,
            Dialog::Delete { running: false } => &copy::DELETE_DIALOG,
            Dialog::Delete { running: true } => &copy::DELETE_RUNNING_DIALOG,
            Dialog::ForceDelete => &copy::FORCE_DELETE_DIALOG,
        }
    }

    /// The request confirming this dialog sends first. Deleting a running job cancels it first
    /// (with the typed reason); the flow deletes it once its workers stopped
    /// (`cancel_then_delete`), as the dialog promises.
    pub fn request(self) -> Request {
        match self {
            Dialog::Cancel | Dialog::Delete { running: true } => Request::Cancel,
            Dialog::Delete { running: false } => Request::Delete { force: false },
            Dialog::ForceDelete => Request::Delete { force: true },
        }
    }
}

/// What is in flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    Cancel,
    Delete { force: bool },
}

/// Whether `kind` deletes the job (at once, or after cancelling it): the control that shows a
/// delete under way, and that Force Delete replaces.
pub fn deletes(kind: ActionKind) -> bool {
    matches!(kind, ActionKind::Delete | ActionKind::CancelAndDelete)
}
