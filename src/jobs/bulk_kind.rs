//! What a bulk action does to each job (issue #24): which jobs it applies to, the request it
//! sends, and its words.

use crate::jobs::dialog::Request;
use crate::jobs::phase::Phase;
use crate::jobs::rules;

/// What a bulk action does to each job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkKind {
    Cancel,
    /// `force`: running jobs are force-deleted too; without it only finished ones are deleted.
    Delete {
        force: bool,
    },
}

impl BulkKind {
    /// Whether it applies to a job in `phase` (an unknown phase gets nothing, as one job does).
    pub fn applies_to(self, phase: &Phase) -> bool {
        match self {
            BulkKind::Cancel => rules::can_cancel(phase),
            BulkKind::Delete { force: false } => phase.is_terminal(),
            BulkKind::Delete { force: true } => rules::can_delete(phase),
        }
    }

    /// The request it sends each job.
    pub fn request(self) -> Request {
        match self {
            BulkKind::Cancel => Request::Cancel,
            BulkKind::Delete { force } => Request::Delete { force },
        }
    }

    pub fn verb(self) -> &'static str {
        match self {
            BulkKind::Cancel => "Cancel",
            BulkKind::Delete { .. } => "Delete",
        }
    }

    pub(crate) fn doing(self) -> &'static str {
        match self {
            BulkKind::Cancel => "Cancelling",
            BulkKind::Delete { .. } => "Deleting",
        }
    }

    pub(crate) fn done(self) -> &'static str {
        match self {
            BulkKind::Cancel => "cancelled",
            BulkKind::Delete { .. } => "deleted",
        }
    }
}
