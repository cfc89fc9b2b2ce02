//! Every user-facing text of the cancel and delete flows (PRD §5.1, §5.2, §5.4), in one place,
//! so the content script and the popup say exactly the same thing.

/// One confirmation dialog's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DialogCopy {
    pub title: &'static str,
    /// The first paragraph.
    pub message: &'static str,
    /// Bullet points after the message (what a delete removes).
    pub bullets: &'static [&'static str],
    /// Shown only for a job that is still running.
    pub running_note: Option<&'static str>,
    /// The closing warning line.
    pub warning: Option<&'static str>,
    /// The destructive button.
    pub confirm: &'static str,
    /// The destructive button while the request is in flight.
    pub confirm_busy: &'static str,
    /// The secondary button that closes the dialog.
    pub dismiss: &'static str,
    /// Whether the dialog asks for an optional reason.
    pub asks_reason: bool,
}

pub const CANCEL_DIALOG: DialogCopy = DialogCopy {
    title: "Cancel Job?",
    message: "This will stop all processing for this job. Workers will be notified to stop, and \
              queued tasks will be removed. This action cannot be undone.",
    bullets: &[],
    running_note: None,
    warning: None,
    confirm: "Confirm Cancellation",
    confirm_busy: "Cancelling…",
    dismiss: "Cancel",
    asks_reason: true,
};

const DELETED_DATA: &[&str] = &[
    "All job data and metadata",
    "Product images and masks",
    "Video frames and keyframes",
    "Match results and evidence",
    "All associated database records",
];

pub const DELETE_DIALOG: DialogCopy = DialogCopy {
    title: "Delete Job?",
    message: "This will permanently delete:",
    bullets: DELETED_DATA,
    running_note: None,
    warning: Some("This action cannot be undone."),
    confirm: "Delete Permanently",
    confirm_busy: "Deleting…",
    dismiss: "Cancel",
    asks_reason: false,
};

pub const DELETE_RUNNING_DIALOG: DialogCopy = DialogCopy {
    running_note: Some(
        "This job is still running. It will be cancelled first, then deleted after workers \
         acknowledge.",
    ),
    confirm_busy: "Cancelling…",
    // The cancel it starts with carries a reason, like Cancel Job's (issue #23).
    asks_reason: true,
    ..DELETE_DIALOG
};

/// After a 409: the job is still active (PRD §5.2 step 5).
pub const FORCE_DELETE_DIALOG: DialogCopy = DialogCopy {
    title: "Force delete?",
    message: "Job is still running. Cancel it first or use force delete?",
    bullets: &[],
    running_note: None,
    warning: Some("Force delete cancels the job, then deletes it. This action cannot be undone."),
    confirm: "Force Delete",
    confirm_busy: "Deleting…",
    dismiss: "Cancel",
    asks_reason: false,
};

pub const REASON_LABEL: &str = "Reason (optional)";

/// The destructive button after a failure that may pass on a second try.
pub const RETRY: &str = "Retry";

/// The link next to "Your session has expired…": where the user signs in again.
pub const SIGN_IN: &str = "Open the app to sign in";

pub const TOAST_CANCELLED: &str = "Job cancelled successfully";
pub const TOAST_ALREADY_CANCELLED: &str = "This job has already been cancelled.";
/// The API accepted the cancel but the job still runs (its workers stop it later).
pub const TOAST_CANCEL_ACCEPTED: &str =
    "Cancellation requested. The job stops when its workers do.";
pub const TOAST_DELETED: &str = "Job deleted successfully";
/// Cancel & Delete: the cancel was accepted, the workers have not stopped yet (issue #23).
pub const TOAST_DELETE_WHEN_STOPPED: &str =
    "Cancellation requested. The job will be deleted as soon as its workers stop.";
/// The delete control while Cancel & Delete waits for the workers, then deletes.
pub const STEP_STOPPING: &str = "Cancelling…";
pub const STEP_DELETING: &str = "Deleting…";

/// Cancel & Delete: the cancel went through, the delete that follows did not.
pub fn delete_after_cancel_failed(message: &str) -> String {
    format!("The job was cancelled, but deleting it failed: {message} Delete it again when you are ready.")
}
pub const TOAST_NOT_FOUND: &str = "Job not found or already deleted";
/// A 409 on a plain delete where Force Delete is switched off (PRD §5.6 "It may still be
/// processing").
pub const STILL_RUNNING: &str =
    "Unable to delete job. It may still be processing. Try again in a moment.";

/// PRD §5.6.6, after §7.4's 60 s of confirming a deletion without seeing it gone.
pub const DELETION_SLOW: &str =
    "Deletion is taking longer than expected. Check back in a few minutes.";

/// The page-wide content build could not load its actions (a toast; the console says why).
pub const ACTIONS_UNAVAILABLE: &str = "Job actions could not load. Click again to try once more.";

/// PRD §5.4.
pub const CANCELLED_BANNER: &str = "This job was cancelled. You can delete it to free up storage.";

/// The toast after a cancel of a job that had already finished: it moves to its real state.
/// Takes the phase's wire name (lower case already: no Unicode case tables in the content script).
pub fn already_finished(phase_wire: &str) -> String {
    format!("This job had already finished ({phase_wire}); there was nothing to cancel.")
}

/// A 403 (issue #10): what the user may not do, and whom to ask.
pub fn forbidden(verb: &str) -> String {
    format!("You don't have permission to {verb} this job. Ask an admin.")
}

/// The "N / 500" counter under the reason input.
pub fn reason_counter(n_chars: usize) -> String {
    format!("{n_chars} / {}", crate::api::model::MAX_REASON_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_the_prds() {
        assert_eq!(CANCEL_DIALOG.title, "Cancel Job?");
        assert_eq!(
            CANCEL_DIALOG.message,
            "This will stop all processing for this job. Workers will be notified to stop, and \
             queued tasks will be removed. This action cannot be undone."
        );
        assert_eq!(DELETE_DIALOG.bullets.len(), 5);
        assert_eq!(DELETE_RUNNING_DIALOG.title, DELETE_DIALOG.title);
        assert!(DELETE_RUNNING_DIALOG
            .running_note
            .unwrap()
            .starts_with("This job is still running."));
        assert_eq!(FORCE_DELETE_DIALOG.confirm, "Force Delete");
        assert_eq!(reason_counter(12), "12 / 500");
        assert_eq!(
            already_finished("completed"),
            "This job had already finished (completed); there was nothing to cancel."
        );
    }
}
