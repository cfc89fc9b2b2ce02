//! `row-menu`: a three-dot button in every job-list row (PRD §5.3) that opens the row's action
//! menu (`ui/menu.rs`). Its accessible name names the job ("Actions for Nightly import"). While a
//! Cancel & Delete of the row's job is under way, the step shows beside it ("Cancelling…", then
//! "Deleting…"; issue #23). A site profile with its `row_menu` switch off gets none.
//!
//! Before it, the row's "Select <title>" checkbox for bulk actions (issue #24; `role=checkbox`,
//! Space toggles it, Shift+click selects a range), unless the profile's `bulk` switch is off. While
//! a bulk run is about the row, the step shows its request ("Deleting…") or that it failed.

use super::Feature;
use crate::dom::{self, Check, Placement};
use crate::overlay::Overlay;
use crate::route::Route;
use crate::selectors;
use crate::ui::BUTTON_STYLE;
use job_actions::jobs::flow::State;
use std::borrow::Cow;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, ShadowRoot};

pub const FEATURE: Feature = Feature {
    id: "row-menu",
    decorate,
};

/// The busy look is a colour (the 55 % the opacity used to give), not an opacity: a button going
/// from below 1 to 1 as the list's data arrived made the browser lay out every row of the table
/// again (95 ms for 1,000 rows, in the rendering the long-task figures never saw). For the same
/// reason the checkbox's tick is always there and only shown when checked: a tick that came into
/// being on check made every click lay out the table and walk its paint again (40 → 8 ms of
/// rendering a click in a 1,000-row list).
const STYLE: &str =
    ":host { display: inline-block; margin-inline-start: 8px; vertical-align: middle; }
button { padding: 2px 6px; background: transparent; border-color: transparent; }
button:hover, button[aria-expanded=true] { background: #f3f4f6; border-color: #d0d7de; }
.step { font: 12px/1.4 system-ui, sans-serif; color: #6e4b00; margin-inline-end: 4px; }
button[aria-busy=true] { color: #848689; }
button[aria-haspopup]::before { content: ''; width: 2px; height: 2px; margin: 7px; border-radius: 50%;
  background: currentColor; box-shadow: 0 -5px currentColor, 0 5px currentColor; }
@media (forced-colors: active) { button[aria-haspopup]::before { forced-color-adjust: none;
  background: ButtonText; box-shadow: 0 -5px ButtonText, 0 5px ButtonText; }
  button[aria-busy=true]::before { background: GrayText; box-shadow: 0 -5px GrayText, 0 5px GrayText; } }
.select { width: 18px; height: 18px; padding: 0; margin-inline-end: 6px; justify-content: center;
  border: 1.5px solid #57606a; border-radius: 4px; background: #fff; }
.select:hover { background: #f3f4f6; border-color: #57606a; }
.select[aria-checked=true] { background: #0969da; border-color: #0969da; }
.select::after { content: ''; visibility: hidden; width: 4px; height: 8px; border: solid #fff;
  border-width: 0 2px 2px 0; transform: translateY(-1px) rotate(45deg); }
.select[aria-checked=true]::after { visibility: visible; }";

/// Whether the list offers bulk selection: its switch, and an action to take on the selection.
pub fn selecting() -> bool {
    let switches = crate::route::active().profile.features;
    switches.bulk && (switches.cancel || switches.delete)
}

fn decorate(overlay: &Overlay) -> Result<(), JsValue> {
    let menu = crate::route::active().profile.features.row_menu;
    let selecting = selecting();
    if overlay.route != Route::List || !(menu || selecting) {
        return Ok(());
    }
    let open_for = overlay.menu_job.borrow().clone();
    // Until the API answered, the button is in its loading state (issue #23).
    let loading = overlay.is_loading();
    let store = overlay.store.borrow();
    for (row, job_id) in overlay.rows()?.iter() {
        if overlay.skips(row, FEATURE.id) {
            continue;
        }
        // Nothing is copied or formatted for a row drawn for this state already: its title is
        // borrowed, and its button's name is made only when it is written.
        let title: Cow<str> = match store.get(job_id) {
            Some(job) => Cow::Borrowed(&job.title),
            None => selectors::row_title(row)?
                .and_then(|title| title.text_content())
                .map(|text| Cow::Owned(text.trim().to_string()))
                .unwrap_or_default(),
        };
        let expanded = if open_for.as_deref() == Some(job_id.as_str()) {
            "true"
        } else {
            "false"
        };
        let step = following_step(overlay, job_id).unwrap_or_else(|| overlay.bulk_step(job_id));
        let selected = selecting && overlay.selection.borrow().contains(job_id);
        let signature = dom::signature(&[
            expanded,
            job_id,
            &title,
            step,
            dom::flag(loading),
            dom::flag(menu),
            dom::flag(selecting),
            dom::flag(selected),
        ]);
        // Aspects 3–5 (after the three parts): the checkbox, the button with the step beside it,
        // the busy state. Together they cover everything the signature does (the check relies
        // on it when the busy state is all that changed).
        let busy = loading || !step.is_empty();
        let aspects = [
            dom::signature(&[job_id, &title, dom::flag(selected), dom::flag(selecting)]),
            dom::signature(&[job_id, &title, expanded, step, dom::flag(menu)]),
            dom::signature(&[dom::flag(busy)]),
        ];
        // A row already drawn for this signature is skipped before any of its cells is read;
        // one whose button's busy state is all that changed (the list's data arrived) has it
        // written by the check.
        let one = dom::OneAttribute {
            parts: 3,
            aspects: &aspects,
            aspect: 2,
            part: Some(1),
            name: "aria-busy",
            value: busy.then_some("true"),
        };
        let drawn = match dom::check_with(row, FEATURE.id, signature, Some(&one)) {
            Check::Done => continue,
            Check::Draw(drawn) => drawn,
        };
        let anchor = || {
            Ok(Some(
                selectors::row_menu_anchor(row)?.unwrap_or_else(|| row.clone()),
            ))
        };
        let Some((host, shadow, created)) = dom::host_over(
            drawn.as_ref(),
            &anchor,
            Placement::Append,
            FEATURE.id,
            &[BUTTON_STYLE, STYLE],
        )?
        else {
            continue;
        };
        let drawn = drawn.as_ref();
        let part = |index, selector| dom::part_of(drawn, &shadow, created, index, selector);
        let select = if selecting {
            let (select, fresh) = made(part(0, ".select")?, || checkbox(&shadow))?;
            let write = dom::write_mode(drawn, fresh, 3, aspects[0]);
            show_selected(&select, job_id, &title, selected, write)?;
            Some(select)
        } else {
            None
        };
        let button = if menu {
            let (button, fresh) = made(part(1, "[aria-haspopup]")?, || menu_button(&shadow))?;
            let write = dom::write_mode(drawn, fresh, 4, aspects[1]);
            show_button(&button, job_id, &title, expanded, write)?;
            let write = dom::write_mode(drawn, fresh, 5, aspects[2]);
            dom::write_flag(&button, "aria-busy", busy, write)?;
            Some(button)
        } else {
            None
        };
        let shown = show_step(part(2, ".step")?, &shadow, button.as_ref(), step)?;
        dom::mark_drawn(
            row,
            FEATURE.id,
            signature,
            &host,
            &[select.as_ref(), button.as_ref(), shown.as_ref()],
            &aspects,
        );
    }
    Ok(())
}

/// The step a job's Cancel & Delete is at, if one is under way ("Cancelling…"), read without
/// copying its flow (a list's pass asks for every row).
fn following_step(overlay: &Overlay, job_id: &str) -> Option<&'static str> {
    match overlay.flows.borrow().get(job_id)?.state {
        State::Following(step) => Some(step.label()),
        _ => None,
    }
}

/// The part found, or one `make` makes; and whether it was just made.
fn made(
    found: Option<Element>,
    make: impl FnOnce() -> Result<Element, JsValue>,
) -> Result<(Element, bool), JsValue> {
    match found {
        Some(found) => Ok((found, false)),
        None => make().map(|made| (made, true)),
    }
}

/// A new menu button, last in the shadow root. Its three dots are drawn by the stylesheet: an
/// SVG icon made cloning the button seven times dearer (8 µs a row), and put four more elements
/// into every row of the page.
fn menu_button(shadow: &ShadowRoot) -> Result<Element, JsValue> {
    let button = dom::cloned("row-menu [aria-haspopup]", || {
        dom::element_with(
            "button",
            "",
            &[
                ("type", "button"),
                ("aria-haspopup", "menu"),
                ("data-testid", "row-menu-button"),
            ],
        )
    })?;
    shadow.append_child(&button)?;
    Ok(button)
}

/// The row's menu button as the row's job's ("Actions for <title>"), open or not.
fn show_button(
    button: &Element,
    job_id: &str,
    title: &str,
    expanded: &'static str,
    write: dom::Write,
) -> Result<(), JsValue> {
    if write == dom::Write::Skip {
        return Ok(());
    }
    // The job comes from the row as the profile reads it, kept where the page cannot write.
    crate::controls::register_as(button, "menu-toggle", Some(job_id), None, write)?;
    dom::write_attribute(button, "aria-label", &format!("Actions for {title}"), write)?;
    dom::write_fixed_attribute(button, "aria-expanded", expanded, write)
}

/// A new selection checkbox, first in the shadow root.
fn checkbox(shadow: &ShadowRoot) -> Result<Element, JsValue> {
    let select = dom::cloned("row-menu .select", || {
        dom::element_with(
            "button",
            "select",
            &[
                ("type", "button"),
                ("role", "checkbox"),
                ("data-testid", "row-select"),
            ],
        )
    })?;
    shadow.prepend_with_node_1(&select)?;
    Ok(select)
}

/// The row's selection checkbox as the row's job's, chosen or not.
fn show_selected(
    select: &Element,
    job_id: &str,
    title: &str,
    selected: bool,
    write: dom::Write,
) -> Result<(), JsValue> {
    if write == dom::Write::Skip {
        return Ok(());
    }
    crate::controls::register_as(select, "select", Some(job_id), None, write)?;
    dom::write_attribute(select, "aria-label", &format!("Select {title}"), write)?;
    show_checked(select, selected, write)
}

/// A row's selection checkbox checked or not (also written by a click at once: `bulk::toggle`).
/// Inlined: as a call of its own it cost the actions build 70 bytes gzip.
#[inline(always)]
pub fn show_checked(select: &Element, selected: bool, write: dom::Write) -> Result<(), JsValue> {
    let checked = if selected { "true" } else { "false" };
    dom::write_fixed_attribute(select, "aria-checked", checked, write)
}

/// The step of a Cancel & Delete or a bulk run under way (`shown`: the one on screen), before
/// the menu button; returns the one now shown (none for no step).
fn show_step(
    shown: Option<Element>,
    shadow: &ShadowRoot,
    button: Option<&Element>,
    step: &str,
) -> Result<Option<Element>, JsValue> {
    match (shown, step.is_empty()) {
        (Some(shown), true) => {
            shown.remove();
            Ok(None)
        }
        (Some(shown), false) => {
            dom::set_text_if_changed(&shown, step);
            Ok(Some(shown))
        }
        (None, false) => {
            let label = dom::child(
                shadow,
                "span",
                "step",
                &[("data-testid", "row-progress")],
                step,
            )?;
            shadow.insert_before(&label, button.map(|button| button.unchecked_ref()))?;
            Ok(Some(label))
        }
        (None, true) => Ok(None),
    }
}
