//! Where a bulk action is (issue #24), the same on the list page and in the popup: its one
//! confirmation (the kind, for a delete whether running jobs are force-deleted too, the shared
//! reason of a cancel and why a confirm did nothing), then its run, kept after it finished for the
//! summary. Confirming turns the typed reason into the cancel body every job gets, or keeps the
//! dialog open with why.

use crate::api::model::CancelRequest;
use crate::jobs::bulk::{BulkKind, Run};
use crate::jobs::phase::Phase;

#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    Confirming {
        /// `Delete { .. }`: whether running jobs are force-deleted too is `force`.
        kind: BulkKind,
        force: bool,
        reason: String,
        /// Why the confirm did nothing (a reason too long).
        error: Option<String>,
    },
    Running {
        run: Run,
        /// The cancel body (the shared reason) of a bulk cancel.
        body: CancelRequest,
    },
}

impl Stage {
    /// The confirmation of `kind`, nothing typed or ticked yet.
    pub fn ask(kind: BulkKind) -> Stage {
        Stage::Confirming {
            kind,
            force: false,
            reason: String::new(),
            error: None,
        }
    }

    /// What confirming sends now: a delete with its force choice.
    pub fn chosen(&self) -> BulkKind {
        match self {
            Stage::Confirming {
                kind: BulkKind::Delete { .. },
                force,
                ..
            } => BulkKind::Delete { force: *force },
            Stage::Confirming { kind, .. } => *kind,
            Stage::Running { run, .. } => run.kind,
        }
    }

    /// The jobs of `selected` (id and phase, in order) that confirming now would send to.
    pub fn targets(&self, selected: impl IntoIterator<Item = (String, Phase)>) -> Vec<String> {
        let kind = self.chosen();
        selected
            .into_iter()
            .filter(|(_, phase)| kind.applies_to(phase))
            .map(|(id, _)| id)
            .collect()
    }

    /// Confirms: the run over the targets among `selected` starts (true), or a reason that is too
    /// long keeps the confirmation open with why (false).
    pub fn confirm(&mut self, selected: impl IntoIterator<Item = (String, Phase)>) -> bool {
        let kind = self.chosen();
        let Stage::Confirming { reason, error, .. } = self else {
            return false;
        };
        let body = match kind {
            BulkKind::Cancel => match CancelRequest::from_user_text(reason) {
                Ok(body) => body,
                Err(why) => {
                    *error = Some(why);
                    return false;
                }
            },
            BulkKind::Delete { .. } => CancelRequest::default(),
        };
        let run = Run::new(kind, self.targets(selected));
        *self = Stage::Running { run, body };
        true
    }

    /// "Retry failed": a run over just the failed jobs, with the same body.
    pub fn retry_failed(&mut self) {
        if let Stage::Running { run, .. } = self {
            *run = run.retry_failed();
        }
    }

    pub fn run_mut(&mut self) -> Option<&mut Run> {
        match self {
            Stage::Running { run, .. } => Some(run),
            Stage::Confirming { .. } => None,
        }
    }

    /// The cancel body the run sends (none while confirming).
    pub fn body(&self) -> CancelRequest {
        match self {
            Stage::Running { body, .. } => body.clone(),
            Stage::Confirming { .. } => CancelRequest::default(),
        }
    }

    /// Whether it may be closed now: a confirmation, or a run that finished (a run under way is
    /// stopped first, so nothing it started goes unreported).
    pub fn may_close(&self) -> bool {
        match self {
            Stage::Confirming { .. } => true,
            Stage::Running { run, .. } => run.is_finished(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jobs::bulk::Outcome;

    fn selected() -> Vec<(String, Phase)> {
        [("r", "matching"), ("f", "failed"), ("c", "completed")]
            .iter()
            .map(|(id, phase)| (id.to_string(), Phase::parse(phase)))
            .collect()
    }

    #[test]
    fn a_delete_sends_to_finished_jobs_and_to_running_ones_only_when_forced() {
        let mut stage = Stage::ask(BulkKind::Delete { force: false });
        assert_eq!(stage.targets(selected()), ["f", "c"]);
        if let Stage::Confirming { force, .. } = &mut stage {
            *force = true;
        }
        assert_eq!(stage.targets(selected()), ["r", "f", "c"]);
        assert!(stage.confirm(selected()));
        let run = stage.run_mut().unwrap();
        assert_eq!(
            (run.kind, run.total()),
            (BulkKind::Delete { force: true }, 3)
        );
        assert!(!stage.may_close(), "a run under way is not closed");
    }

    #[test]
    fn a_cancel_carries_the_shared_reason_and_a_reason_too_long_keeps_the_dialog() {
        let mut stage = Stage::ask(BulkKind::Cancel);
        if let Stage::Confirming { reason, .. } = &mut stage {
            *reason = "x".repeat(501);
        }
        assert!(!stage.confirm(selected()));
        let Stage::Confirming { error, reason, .. } = &mut stage else {
            panic!("the confirmation stays open");
        };
        assert!(error.as_deref().unwrap().contains("501 characters"));
        *reason = "  bad import ".into();
        assert!(stage.confirm(selected()));
        assert_eq!(stage.body().notes.as_deref(), Some("bad import"));
        assert_eq!(stage.targets(selected()), ["r"]);
    }

    #[test]
    fn retry_runs_the_failed_jobs_again_with_the_same_body() {
        let mut stage = Stage::ask(BulkKind::Cancel);
        assert!(stage.may_close());
        stage.confirm(selected());
        let run = stage.run_mut().unwrap();
        assert_eq!(run.next(0), crate::jobs::bulk::Next::Send("r".into()));
        run.answered("r", crate::jobs::bulk::Answer::Failed("500".into()), 0);
        assert!(stage.may_close());
        stage.retry_failed();
        let run = stage.run_mut().unwrap();
        assert_eq!(run.total(), 1);
        assert_eq!(run.outcome("r"), None::<&Outcome>);
        assert_eq!(stage.body().reason.as_deref(), Some("user_request"));
    }
}
