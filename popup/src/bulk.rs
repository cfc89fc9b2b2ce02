//! The popup's bulk actions (issue #24): the selection, the one confirmation, and the run the
//! shared runner (`jobs::bulk_runner`) carries out through `PopupView`.

use crate::actions::PopupView;
use crate::state::{Bulk, State};
use dioxus::prelude::*;
use job_actions::jobs::bulk::{BulkKind, Run};
use job_actions::jobs::bulk_runner::{self, BulkView};
use job_actions::jobs::bulk_stopping::Seen;
use job_actions::{CancelRequest, Job};

/// Selects or unselects one job; with Shift, every shown job between the last one chosen and
/// this one takes this one's new state.
pub fn toggle(mut state: State, job_id: &str, shown: &[String], range: bool) {
    state.write().selection.toggle(job_id, shown, range);
}

/// "Select all shown": selects every shown job, or, when all are selected, none of them.
pub fn toggle_all(mut state: State, shown: &[String]) {
    state.write().selection.toggle_all(shown);
}

/// The selected jobs the popup still knows (a deleted one leaves the selection with its row).
pub fn selected_jobs(state: State) -> Vec<Job> {
    let model = state.peek();
    model
        .selection
        .ids()
        .iter()
        .filter_map(|id| model.recent.get(id).cloned())
        .collect()
}

/// The selected jobs with their phases, for the stage to choose its targets from.
fn selected_phases(state: State) -> Vec<(String, job_actions::Phase)> {
    selected_jobs(state)
        .into_iter()
        .map(|job| (job.id, job.phase))
        .collect()
}

/// Opens the confirmation of `kind` for the selection.
pub fn ask(mut state: State, kind: BulkKind) {
    state.write().bulk = Some(Bulk::ask(kind));
}

/// The jobs the confirmation would send to now.
pub fn targets(state: State, stage: &Bulk) -> Vec<Job> {
    let ids = stage.targets(selected_phases(state));
    selected_jobs(state)
        .into_iter()
        .filter(|job| ids.contains(&job.id))
        .collect()
}

/// The confirmation's confirm: starts the run (a reason that is too long keeps the dialog open,
/// with why).
pub fn confirm(mut state: State) {
    let selected = selected_phases(state);
    let started = state
        .write()
        .bulk
        .as_mut()
        .is_some_and(|stage| stage.confirm(selected));
    if started {
        bulk_runner::pump(&PopupView(state));
    }
}

/// Stop: nothing more is sent.
pub fn stop(state: State) {
    bulk_runner::stop(&PopupView(state));
}

/// "Retry failed": a new run over just the failed jobs, with the same body.
pub fn retry_failed(mut state: State) {
    if let Some(stage) = state.write().bulk.as_mut() {
        stage.retry_failed();
    }
    bulk_runner::pump(&PopupView(state));
}

/// Closes the confirmation or the finished run's summary.
pub fn close(mut state: State) {
    let mut model = state.write();
    if model.bulk.as_ref().is_some_and(Bulk::may_close) {
        model.bulk = None;
    }
}

/// The API base the popup's requests go to (claims are per API base and job).
fn api_base(view: &PopupView) -> String {
    use job_actions::jobs::effects::View;
    view.api()
        .map(|api| api.config().api_base.clone())
        .unwrap_or_default()
}

impl BulkView for PopupView {
    fn with_run<T>(&self, f: impl FnOnce(&mut Run) -> T) -> Option<T> {
        let mut state = self.0;
        let mut model = state.write();
        model.bulk.as_mut().and_then(Bulk::run_mut).map(f)
    }
    fn bulk_body(&self) -> CancelRequest {
        self.0
            .peek()
            .bulk
            .as_ref()
            .map(Bulk::body)
            .unwrap_or_default()
    }
    fn removed(&self, job_id: &str, as_of: u64) {
        let mut state = self.0;
        let mut model = state.write();
        model.recent.remove(job_id, as_of);
        model.flows.remove(job_id);
        model.selection.remove(job_id);
    }
    fn run_changed(&self) {
        // Each write to the model's signal re-renders; nothing else to do.
    }
    fn seen(&self, job_id: &str) -> Seen {
        self.0.peek().recent.seen(job_id)
    }
    fn claim(
        &self,
        jobs: Vec<String>,
        action: &'static str,
    ) -> impl std::future::Future<Output = Vec<bool>> + 'static {
        let api_base = api_base(self);
        async move { crate::storage::claim_jobs(&api_base, &jobs, action, false).await }
    }
    fn release(&self, jobs: Vec<String>, action: &'static str) {
        let api_base = api_base(self);
        wasm_bindgen_futures::spawn_local(async move {
            crate::storage::claim_jobs(&api_base, &jobs, action, true).await;
        });
    }
}
