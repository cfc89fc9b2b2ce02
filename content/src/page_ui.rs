//! The page-wide UI a decoration pass draws after the features (actions build only): the dialog
//! (one job's, or a bulk action's), the open row menu, the bulk bar, focus back on a row control
//! the host drew again (`keep_focus`), and the busy screen while a job's own page deletes its job.

use crate::overlay::Overlay;
use crate::ui::{bulk_bar, bulk_dialog, busy, dialog, menu};
use job_actions::jobs::flow::{Request, State, Step};
use wasm_bindgen::JsValue;

pub fn render(overlay: &Overlay) -> Result<(), JsValue> {
    let dialog_job = overlay.dialog_job.borrow().clone();
    let flow = dialog_job
        .as_deref()
        .map(|job_id| overlay.flow(job_id))
        .unwrap_or_default();
    let title = dialog_job
        .as_deref()
        .map(|job_id| overlay.title_of(job_id))
        .unwrap_or_default();
    let drawn = if crate::bulk::confirming(overlay) {
        bulk_dialog::render(overlay)?
    } else {
        dialog::render(&flow, &title)?
    };
    if let Some(shadow) = drawn {
        dialog::focus_initial(&shadow);
    }
    menu::render(overlay)?;
    bulk_bar::render(overlay)?;
    // Rows this pass drew again may hold the control focus was on.
    crate::keep_focus::keep(overlay);
    // The whole page waits only on a job's own page; on the list the row disappears instead.
    let page_flow = overlay
        .job_id()
        .map(|job_id| overlay.flow(job_id))
        .unwrap_or_default();
    let deleting = matches!(
        page_flow.state,
        State::Sending {
            request: Request::Delete { .. },
            ..
        } | State::Deleted
            | State::Following(Step::Deleting)
    );
    busy::render(deleting.then_some("Deleting…"))
}
