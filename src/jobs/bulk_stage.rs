//! Where a bulk action is (issue #24), the same on the list page and in the popup: its one
//! confirmation (the kind; for a delete, what becomes of the selected jobs still running — the
//! choice one job's delete gives; the shared reason of the cancels; why a confirm did nothing),
//! then its run, kept after it finished for the summary. Confirming turns the typed reason into
//! the cancel body every cancel carries, or keeps the dialog open with why.

use crate::api::model::CancelRequest;
use crate::jobs::bulk::{BulkKind, Run};
use crate::jobs::phase::Phase;

/// What a bulk delete does with the selected jobs still running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Running {
    /// Cancel each (with the shared reason), then delete it once it stopped: what "Delete Job"
    /// does for one running job.
    #[default]
    CancelFirst,
    /// Delete them now with `force=true`.
    Force,
    /// Leave them out.
    Skip,
}

impl Running {
    /// The choices in the order offered, with their stable names (test ids, controls) and words.
    pub const ALL: [(Running, &'static str, &'static str); 3] = [
        (
            Running::CancelFirst,
            "cancel-first",
            "Cancel them first, then delete each once it stops",
        ),
        (Running::Force, "force", "Force-delete them now"),
        (Running::Skip, "skip", "Skip them"),
    ];

    pub fn name(self) -> &'static str {
        Running::ALL
            .iter()
            .find(|(choice, _, _)| *choice == self)
            .map_or("", |(_, name, _)| name)
    }

    pub fn from_name(name: &str) -> Option<Running> {
        Running::ALL
            .iter()
            .find(|(_, known, _)| *known == name)
            .map(|(choice, _, _)| *choice)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    Confirming {
        kind: BulkKind,
        /// For a delete: what becomes of the running jobs.
        running: Running,
        reason: String,
        /// Why the confirm did nothing (a reason too long).
        error: Option<String>,
    },
    Running {
        /// Boxed: a run is several times the size of a confirmation.
        run: Box<Run>,
        /// The cancel body (the shared reason) of a bulk cancel, or of a delete's cancels first.
        body: CancelRequest,
    },
}

impl Stage {
    /// The confirmation of `kind`, nothing typed or chosen yet.
    pub fn ask(kind: BulkKind) -> Stage {
        Stage::Confirming {
            kind,
            running: Running::default(),
            reason: String::new(),
            error: None,
        }
    }

    /// What confirming sends now: a delete with its force choice.
    pub fn chosen(&self) -> BulkKind {
        match self {
            Stage::Confirming {
                kind: BulkKind::Delete { .. },
                running,
                ..
            } => BulkKind::Delete {
                force: *running == Running::Force,
            },
            Stage::Confirming { kind, .. } => *kind,
            Stage::Running { run, .. } => run.kind,
        }
    }

    /// Whether confirming now cancels running jobs first (and so asks for the cancels' reason).
    pub fn cancels_first(&self) -> bool {
        matches!(
            self,
            Stage::Confirming {
                kind: BulkKind::Delete { .. },
                running: Running::CancelFirst,
                ..
            }
        )
    }

    /// The jobs of `selected` (id and phase, in order) that confirming now would send to.
    pub fn targets(&self, selected: impl IntoIterator<Item = (String, Phase)>) -> Vec<String> {
        let kind = self.chosen();
        let cancels_first = self.cancels_first();
        selected
            .into_iter()
            .filter(|(_, phase)| {
                kind.applies_to(phase) || (cancels_first && crate::jobs::rules::can_delete(phase))
            })
            .map(|(id, _)| id)
            .collect()
    }

    /// Confirms: the run over the targets among `selected` starts (true), or a reason that is too
    /// long keeps the confirmation open with why (false).
    pub fn confirm(&mut self, selected: impl IntoIterator<Item = (String, Phase)>) -> bool {
        let kind = self.chosen();
        let cancels_first = self.cancels_first();
        let Stage::Confirming { reason, error, .. } = self else {
            return false;
        };
        let body = if kind == BulkKind::Cancel || cancels_first {
            match CancelRequest::from_user_text(reason) {
                Ok(body) => body,
                Err(why) => {
                    *error = Some(why);
                    return false;
                }
            }
        } else {
            CancelRequest::default()
        };
        let selected: Vec<(String, Phase)> = selected.into_iter().collect();
        let running: Vec<String> = selected
            .iter()
            .filter(|(_, phase)| cancels_first && phase.is_active())
            .map(|(id, _)| id.clone())
            .collect();
        let run = Run::new(kind, self.targets(selected)).cancelling_first(running);
        *self = Stage::Running {
            run: Box::new(run),
            body,
        };
        true
    }

    /// "Retry failed": a run over just the failed jobs, with the same body.
    pub fn retry_failed(&mut self) {
        if let Stage::Running { run, .. } = self {
            **run = run.retry_failed();
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

    fn choose(stage: &mut Stage, choice: Running) {
        if let Stage::Confirming { running, .. } = stage {
            *running = choice;
        }
    }

    #[test]
    fn a_delete_cancels_running_jobs_first_by_default_or_forces_or_skips_them() {
        let mut stage = Stage::ask(BulkKind::Delete { force: false });
        assert!(stage.cancels_first());
        assert_eq!(stage.targets(selected()), ["r", "f", "c"]);
        choose(&mut stage, Running::Skip);
        assert_eq!(stage.targets(selected()), ["f", "c"]);
        choose(&mut stage, Running::Force);
        assert_eq!(stage.targets(selected()), ["r", "f", "c"]);
        assert!(stage.confirm(selected()));
        let run = stage.run_mut().unwrap();
        assert_eq!(
            (run.kind, run.total()),
            (BulkKind::Delete { force: true }, 3)
        );
        assert!(!run.cancels_first("r"));
        assert!(!stage.may_close(), "a run under way is not closed");
        assert_eq!(
            Running::from_name(Running::Skip.name()),
            Some(Running::Skip)
        );
    }

    #[test]
    fn cancel_first_cancels_only_the_running_jobs_with_the_reason_then_deletes_all() {
        let mut stage = Stage::ask(BulkKind::Delete { force: false });
        if let Stage::Confirming { reason, .. } = &mut stage {
            *reason = "cleanup".into();
        }
        assert!(stage.confirm(selected()));
        assert_eq!(stage.body().notes.as_deref(), Some("cleanup"));
        let run = stage.run_mut().unwrap();
        assert_eq!(run.kind, BulkKind::Delete { force: false });
        assert_eq!(run.total(), 3);
        assert!(run.cancels_first("r"));
        assert!(!run.cancels_first("f"));
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
        assert_eq!(
            run.next(0),
            crate::jobs::bulk::Next::Claim(vec!["r".into()])
        );
        run.claimed(vec!["r".to_string()], &[true], 0);
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
