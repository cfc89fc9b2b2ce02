//! Bulk actions on the list page (issue #24): choosing rows (a row's checkbox, Shift+click for a
//! range, "Select all on this page"), the one confirmation, and the run the shared runner
//! (`jobs::bulk_runner`) carries out through the page's view — the same runner, rules and words
//! as the popup's. The selection belongs to the route: a new route starts with none.

use crate::actions::PageView;
use crate::features::row_menu;
use crate::overlay::Overlay;
use job_actions::jobs::bulk::{BulkKind, Run};
use job_actions::jobs::bulk_runner::{self, BulkView};
use job_actions::jobs::bulk_stage::{Running, Stage};
use job_actions::jobs::bulk_stopping::Seen;
use job_actions::jobs::flow::{Toast, ToastKind};
use job_actions::CancelRequest;
use std::rc::Rc;

/// How often a bulk run under way redraws (the bar's progress, and the rows: a pass over the whole
/// list): answers come every few milliseconds, and a frame per answer cost the page more than the
/// requests — each repaints the list and, with the pointer over it, hit-tests it again (measured
/// in a 500-job run: 250 frames, 2 s of the page's main thread). 400 ms: the 500-job bench's
/// ratio to raw fetches, all else as now, was 1.24 at 250 ms and 1.11–1.16 at 400 ms.
const REDRAW_EVERY_MS: u32 = 400;

thread_local! {
    static REDRAW_SCHEDULED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// A pass is asked for after the next frame (`toggle`): clicks before it share it.
    static PASS_AFTER_PAINT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The ids of the rows the page shows now, read afresh (not kept: the host may redraw them).
fn shown(overlay: &Overlay) -> Vec<String> {
    let shown = overlay.shown_job_ids();
    overlay.forget_rows();
    shown.unwrap_or_default()
}

/// A row's checkbox: chooses or unchooses its job; with Shift, the range from the last one. The
/// clicked checkbox shows its state at once; all else the change brings (a range's other rows,
/// the bar) is drawn just after that frame: a pass over a 1,000-row list in the click's own task
/// held the checkbox's paint back by as long.
pub fn toggle(overlay: &Overlay, job_id: &str, range: bool, checkbox: &web_sys::Element) {
    // The rows shown matter to a range only (reading a long list's is a pass's worth of calls).
    let shown = if range { shown(overlay) } else { Vec::new() };
    let checked = {
        let mut selection = overlay.selection.borrow_mut();
        selection.toggle(job_id, &shown, range);
        selection.contains(job_id)
    };
    // A blind write of fixed strings cannot fail (`dom::names`: no `catch`).
    let _ = row_menu::show_checked(checkbox, checked, crate::dom::Write::Blind);
    if !PASS_AFTER_PAINT.replace(true) {
        crate::frames::after_paint(Box::new(|| {
            PASS_AFTER_PAINT.set(false);
            if let Some(overlay) = crate::overlay::current() {
                overlay.decorate();
            }
        }));
    }
}

/// "Select all on this page".
pub fn toggle_all(overlay: &Overlay) {
    let shown = shown(overlay);
    overlay.selection.borrow_mut().toggle_all(&shown);
    overlay.decorate();
}

/// "Clear": nothing selected.
pub fn clear(overlay: &Overlay) {
    overlay.selection.borrow_mut().clear();
    overlay.decorate();
}

/// Opens the confirmation of `kind` for the selection (never while a run is under way, nor for
/// an action the site profile switched off).
pub fn ask(overlay: &Overlay, kind: BulkKind) {
    let switches = crate::route::active().profile.features;
    let allowed = match kind {
        BulkKind::Cancel => switches.cancel,
        BulkKind::Delete { .. } => switches.delete,
    };
    let busy = overlay
        .bulk
        .borrow()
        .as_ref()
        .is_some_and(|stage| !stage.may_close());
    if allowed && !busy {
        *overlay.bulk.borrow_mut() = Some(Stage::ask(kind));
        overlay.decorate();
    }
}

/// The confirmation's choice for the running jobs (`bulk_stage::Running`, by name); Force only
/// where the site profile allows Force Delete.
pub fn choose_running(overlay: &Overlay, name: &str) {
    let Some(choice) = Running::from_name(name) else {
        return;
    };
    if choice == Running::Force && !crate::route::active().profile.features.force_delete {
        return;
    }
    if let Some(Stage::Confirming { running, error, .. }) = overlay.bulk.borrow_mut().as_mut() {
        *running = choice;
        error.take();
    }
    overlay.decorate();
}

/// The shared reason, as typed.
pub fn reason_typed(overlay: &Overlay, text: String) {
    if let Some(Stage::Confirming { reason, error, .. }) = overlay.bulk.borrow_mut().as_mut() {
        *reason = text;
        error.take();
    }
}

/// Whether a bulk confirmation is open.
pub fn confirming(overlay: &Overlay) -> bool {
    matches!(*overlay.bulk.borrow(), Some(Stage::Confirming { .. }))
}

/// Confirm: the run starts (a reason too long keeps the confirmation open, with why).
pub fn confirm(overlay: &Rc<Overlay>) {
    let selected = overlay.selected_jobs();
    let started = overlay
        .bulk
        .borrow_mut()
        .as_mut()
        .is_some_and(|stage| stage.confirm(selected));
    if started {
        bulk_runner::pump(&PageView(Rc::clone(overlay)));
    } else {
        overlay.decorate();
    }
}

/// Stop: nothing more is sent; what is in flight finishes and is reported.
pub fn stop(overlay: &Rc<Overlay>) {
    bulk_runner::stop(&PageView(Rc::clone(overlay)));
}

/// "Retry failed": just the failed jobs again, with the same reason.
pub fn retry(overlay: &Rc<Overlay>) {
    if let Some(stage) = overlay.bulk.borrow_mut().as_mut() {
        stage.retry_failed();
    }
    bulk_runner::pump(&PageView(Rc::clone(overlay)));
}

/// Closes the confirmation, or a finished run's summary.
pub fn close(overlay: &Overlay) {
    let closable = overlay.bulk.borrow().as_ref().is_some_and(Stage::may_close);
    if closable {
        overlay.bulk.borrow_mut().take();
        overlay.decorate();
    }
}

/// The route is left while a run is under way: nothing more is sent (the requests in flight are
/// aborted with the route's), and the toast for the next route says what was and was not done.
pub fn left(overlay: &Rc<Overlay>) -> Option<Toast> {
    let view = PageView(Rc::clone(overlay));
    if view.with_run(|run| run.is_finished()).unwrap_or(true) {
        return None;
    }
    // Stopped as by Stop: the claims of the jobs not sent are given back.
    bulk_runner::stop(&view);
    crate::activity::send();
    crate::sync::send_deleted(overlay);
    let mut stage = overlay.bulk.borrow_mut();
    let run = stage.as_mut().and_then(Stage::run_mut)?;
    let in_flight = run.in_flight().len();
    let text = format!(
        "{} stopped when you left the page: {}{}.",
        run.kind.verb(),
        run.summary(),
        if in_flight > 0 {
            format!(" · {in_flight} unanswered (see Activity)")
        } else {
            String::new()
        }
    );
    Some(Toast {
        kind: ToastKind::Info,
        text,
        details: None,
        receipt: None,
    })
}

impl BulkView for PageView {
    fn with_run<T>(&self, f: impl FnOnce(&mut Run) -> T) -> Option<T> {
        self.0
            .bulk
            .borrow_mut()
            .as_mut()
            .and_then(Stage::run_mut)
            .map(f)
    }
    fn bulk_body(&self) -> CancelRequest {
        self.0
            .bulk
            .borrow()
            .as_ref()
            .map(Stage::body)
            .unwrap_or_default()
    }
    fn removed(&self, job_id: &str, as_of: u64) {
        self.0.store.borrow_mut().remove(job_id, as_of);
        self.0.selection.borrow_mut().remove(job_id);
    }
    fn claim(
        &self,
        jobs: Vec<String>,
        action: &'static str,
    ) -> impl std::future::Future<Output = Vec<bool>> + 'static {
        let api_base = self.0.client.config().api_base.clone();
        async move { crate::browser::claim_jobs(&api_base, &jobs, action, false).await }
    }
    fn release(&self, jobs: Vec<String>, action: &'static str) {
        let api_base = self.0.client.config().api_base.clone();
        wasm_bindgen_futures::spawn_local(async move {
            crate::browser::claim_jobs(&api_base, &jobs, action, true).await;
        });
    }
    fn seen(&self, job_id: &str) -> Seen {
        Seen::in_store(&self.0.store.borrow(), job_id)
    }
    fn run_changed(&self) {
        // A route left meanwhile draws nothing (`left` told what became of the run).
        if !self.0.is_current() {
            return;
        }
        let finished = self.with_run(|run| run.is_finished()).unwrap_or(true);
        if finished {
            crate::activity::send();
            crate::sync::send_deleted(&self.0);
            return self.0.decorate();
        }
        // The first change shows at once (the bar), then the bar and the rows (their progress,
        // the deleted ones hidden) are drawn together at most every `REDRAW_EVERY_MS`.
        if REDRAW_SCHEDULED.with(std::cell::Cell::get) {
            return;
        }
        if let Err(error) = crate::ui::bulk_bar::render(&self.0) {
            crate::log::feature_error("bulk-bar", &error);
        }
        let overlay = Rc::clone(&self.0);
        crate::browser::after_unless_waiting(&REDRAW_SCHEDULED, REDRAW_EVERY_MS, move || {
            if overlay.is_current() {
                overlay.decorate();
            }
        });
    }
}
