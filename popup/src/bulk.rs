//! The popup's bulk actions (issue #24): the selection, the one confirmation, and the run the
//! shared runner (`jobs::bulk_runner`) carries out through `PopupView`.

use crate::actions::PopupView;
use crate::state::{Bulk, State};
use dioxus::prelude::*;
use job_actions::jobs::bulk::{BulkKind, Run};
use job_actions::jobs::bulk_runner::{self, BulkView};
use job_actions::{CancelRequest, Job};

/// Selects or unselects one job; with Shift, every shown job between the last one chosen and
/// this one takes this one's new state.
pub fn toggle(mut state: State, job_id: &str, shown: &[String], range: bool) {
    let mut model = state.write();
    let selecting = !model.selected.iter().any(|id| id == job_id);
    let from = model
        .last_chosen
        .as_deref()
        .filter(|_| range)
        .and_then(|last| shown.iter().position(|id| id == last));
    let to = shown.iter().position(|id| id == job_id);
    let chosen: Vec<String> = match (from, to) {
        (Some(from), Some(to)) => shown[from.min(to)..=from.max(to)].to_vec(),
        _ => vec![job_id.to_string()],
    };
    for id in chosen {
        let at = model.selected.iter().position(|kept| *kept == id);
        match (selecting, at) {
            (true, None) => model.selected.push(id),
            (false, Some(at)) => {
                model.selected.remove(at);
            }
            _ => {}
        }
    }
    model.last_chosen = Some(job_id.to_string());
}

/// "Select all shown": selects every shown job, or, when all are selected, none of them.
pub fn toggle_all(mut state: State, shown: &[String]) {
    let mut model = state.write();
    let all = shown.iter().all(|id| model.selected.contains(id));
    if all {
        model.selected.retain(|id| !shown.contains(id));
    } else {
        for id in shown {
            if !model.selected.contains(id) {
                model.selected.push(id.clone());
            }
        }
    }
}

/// The selected jobs the popup still knows (a deleted one leaves the selection with its row).
pub fn selected_jobs(state: State) -> Vec<Job> {
    let model = state.peek();
    model
        .selected
        .iter()
        .filter_map(|id| model.recent.get(id).cloned())
        .collect()
}

/// Opens the confirmation of `kind` for the selection.
pub fn ask(mut state: State, kind: BulkKind) {
    state.write().bulk = Some(Bulk::Confirming {
        kind,
        force: false,
        reason: String::new(),
        error: None,
    });
}

/// The jobs a confirmed `kind` is sent to: the selected ones it applies to, in list order.
pub fn targets(state: State, kind: BulkKind) -> Vec<Job> {
    selected_jobs(state)
        .into_iter()
        .filter(|job| kind.applies_to(&job.phase))
        .collect()
}

/// The confirmation's confirm: starts the run (a reason that is too long keeps the dialog open,
/// with why).
pub fn confirm(mut state: State) {
    let Some(Bulk::Confirming {
        kind,
        force,
        reason,
        ..
    }) = state.peek().bulk.clone()
    else {
        return;
    };
    let kind = match kind {
        BulkKind::Delete { .. } => BulkKind::Delete { force },
        BulkKind::Cancel => BulkKind::Cancel,
    };
    let body = match kind {
        BulkKind::Cancel => match CancelRequest::from_user_text(&reason) {
            Ok(body) => body,
            Err(why) => {
                if let Some(Bulk::Confirming { error, .. }) = state.write().bulk.as_mut() {
                    *error = Some(why);
                }
                return;
            }
        },
        BulkKind::Delete { .. } => CancelRequest::default(),
    };
    let jobs = targets(state, kind).into_iter().map(|job| job.id);
    state.write().bulk = Some(Bulk::Running {
        run: Run::new(kind, jobs),
        body,
    });
    bulk_runner::pump(&PopupView(state));
}

/// Stop: nothing more is sent.
pub fn stop(state: State) {
    bulk_runner::stop(&PopupView(state));
}

/// "Retry failed": a new run over just the failed jobs, with the same body.
pub fn retry_failed(mut state: State) {
    let Some(Bulk::Running { run, body }) = state.peek().bulk.clone() else {
        return;
    };
    state.write().bulk = Some(Bulk::Running {
        run: run.retry_failed(),
        body,
    });
    bulk_runner::pump(&PopupView(state));
}

/// Closes the confirmation or the finished run's summary.
pub fn close(mut state: State) {
    let mut model = state.write();
    let finished = matches!(&model.bulk, Some(Bulk::Running { run, .. }) if run.is_finished());
    if finished || matches!(model.bulk, Some(Bulk::Confirming { .. })) {
        model.bulk = None;
    }
}

impl BulkView for PopupView {
    fn with_run<T>(&self, f: impl FnOnce(&mut Run) -> T) -> Option<T> {
        let mut state = self.0;
        let mut model = state.write();
        match model.bulk.as_mut() {
            Some(Bulk::Running { run, .. }) => Some(f(run)),
            _ => None,
        }
    }
    fn bulk_body(&self) -> CancelRequest {
        match &self.0.peek().bulk {
            Some(Bulk::Running { body, .. }) => body.clone(),
            _ => CancelRequest::default(),
        }
    }
    fn removed(&self, job_id: &str, as_of: u64) {
        let mut state = self.0;
        let mut model = state.write();
        model.recent.remove(job_id, as_of);
        model.flows.remove(job_id);
        model.selected.retain(|id| id != job_id);
    }
    fn run_changed(&self) {
        // Each write to the model's signal re-renders; nothing else to do.
    }
}
