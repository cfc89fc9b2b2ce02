//! `select-all`: "Select all on this page" (issue #24), a tri-state checkbox just before the list
//! that holds the rows (before the table, when the rows sit in a table section): it selects every
//! row the page shows, or none when all are; it reads "mixed" when some are. Off with the row
//! checkboxes (`row_menu::selecting`).

use super::Feature;
use crate::dom::{self, Placement};
use crate::overlay::Overlay;
use crate::route::Route;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Element;

pub const FEATURE: Feature = Feature {
    id: "select-all",
    decorate,
};

const STYLE: &str = ":host { display: block; margin: 4px 0; }
button { padding: 2px 8px 2px 4px; background: transparent; border-color: transparent; font-weight: 500; }
button:hover { background: #f3f4f6; }
.box { display: inline-flex; align-items: center; justify-content: center; width: 18px; height: 18px;
  box-sizing: border-box; border: 1.5px solid #57606a; border-radius: 4px; background: #fff; }
[aria-checked=true] .box, [aria-checked=mixed] .box { background: #0969da; border-color: #0969da; }
[aria-checked=true] .box::after { content: ''; width: 4px; height: 8px; border: solid #fff;
  border-width: 0 2px 2px 0; transform: translateY(-1px) rotate(45deg); }
[aria-checked=mixed] .box::after { content: ''; width: 8px; height: 2px; background: #fff; }";

fn decorate(overlay: &Overlay) -> Result<(), JsValue> {
    if overlay.route != Route::List || !super::row_menu::selecting() {
        return Ok(());
    }
    let rows = overlay.rows()?;
    let Some(list) = rows.first().and_then(|(row, _)| list_of(row)) else {
        return Ok(());
    };
    let Some((host, shadow, _)) = dom::ensure_host(
        &list,
        Placement::Before,
        FEATURE.id,
        &[crate::ui::BUTTON_STYLE, STYLE],
    )?
    else {
        return Ok(());
    };
    // A list the host drew again elsewhere leaves no second control behind.
    let all = dom::document().query_selector_all(&format!(
        "[{}=\"{}\"]",
        dom::HOST_ATTRIBUTE,
        FEATURE.id
    ))?;
    for index in 0..all.length() {
        if let Some(other) = all
            .item(index)
            .and_then(|node| node.dyn_into::<Element>().ok())
        {
            if other != host {
                other.remove();
            }
        }
    }
    let button = match shadow.query_selector("button")? {
        Some(button) => button,
        None => {
            let button = dom::child(
                &shadow,
                "button",
                "",
                &[
                    ("type", "button"),
                    ("role", "checkbox"),
                    ("data-testid", "select-all"),
                ],
                "",
            )?;
            dom::child(&button, "span", "box", &[("aria-hidden", "true")], "")?;
            button.append_with_str_1("Select all on this page")?;
            button
        }
    };
    crate::controls::register(&button, "select-all", None, None)?;
    // This pass's rows (`Overlay::rows` keeps them for the pass), a deleted job's left out.
    let ids = overlay.shown_job_ids()?;
    let state = overlay.selection.borrow().all_state(&ids);
    dom::set_attribute_if_changed(&button, "aria-checked", state.aria())
}

/// The element that holds the rows: the first row's parent, or its table when that parent is a
/// table section (a control inside `<tbody>` would be no row, and browsers move it out).
fn list_of(row: &Element) -> Option<Element> {
    let parent = row.parent_element()?;
    if matches!(parent.tag_name().as_str(), "TBODY" | "THEAD" | "TFOOT") {
        return parent.closest("table").ok().flatten();
    }
    Some(parent)
}
