//! `row-state`: what a row itself shows (PRD §5.3, §7.3): a deleted job's row is hidden at once —
//! from view and from the accessibility tree — and stays hidden through host re-renders while
//! the job is known to be gone; a cancelled job's title is struck through. These are the only
//! changes the overlay makes to the host's own elements, and it undoes them when they no longer
//! apply.

use super::Feature;
use crate::dom;
use crate::overlay::Overlay;
use crate::route::Route;
use crate::selectors;
use job_actions::Phase;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlElement};

pub const FEATURE: Feature = Feature {
    id: "row-state",
    decorate,
};

/// Marks host elements the overlay changed, so it only ever undoes its own changes.
const HIDDEN_MARK: &str = "data-job-actions-hidden";
const STRUCK_MARK: &str = "data-job-actions-struck";

fn decorate(overlay: &Overlay) -> Result<(), JsValue> {
    if overlay.route != Route::List {
        return Ok(());
    }
    let store = overlay.store.borrow();
    for (row, job_id) in overlay.rows()?.iter() {
        if overlay.skips(row, FEATURE.id) {
            continue;
        }
        let deleted = store.is_deleted(job_id);
        let cancelled = store
            .get(job_id)
            .is_some_and(|job| job.phase == Phase::Cancelled);
        let signature = dom::signature(&[dom::flag(deleted), dom::flag(cancelled)]);
        if let dom::Check::Done = dom::check(row, FEATURE.id, signature) {
            continue;
        }
        mark(row, HIDDEN_MARK, deleted, |row, on| {
            row.unchecked_ref::<HtmlElement>().set_hidden(on);
            dom::set_flag(row, "aria-hidden", on)
        })?;
        if let Some(title) = selectors::row_title(row)? {
            mark(&title, STRUCK_MARK, cancelled, |title, on| {
                let style = title.unchecked_ref::<HtmlElement>().style();
                if on {
                    style.set_property("text-decoration", "line-through")
                } else {
                    style.remove_property("text-decoration").map(drop)
                }
            })?;
        }
        dom::mark_done(row, FEATURE.id, signature);
    }
    Ok(())
}

/// Applies (`on`) or undoes a change to a host element, once, tracked by `mark`.
fn mark(
    element: &Element,
    mark: &'static str,
    on: bool,
    change: impl FnOnce(&Element, bool) -> Result<(), JsValue>,
) -> Result<(), JsValue> {
    if on == element.has_attribute(mark) {
        return Ok(());
    }
    change(element, on)?;
    dom::set_flag(element, mark, on)
}
