//! Focus that a host's re-render would drop. An app that draws its rows again replaces the row
//! that held the focused checkbox or menu button; the browser then gives focus to the document's
//! body, and a keyboard user's next Tab starts over from the top of the page. The overlay draws
//! the control again in the new row (a pass after the page changed); if focus went nowhere
//! meanwhile, it goes to that control. Focus the user moved elsewhere is never taken back.

use crate::controls::{self, Control};
use crate::dom;
use crate::overlay::Overlay;
use std::cell::RefCell;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

thread_local! {
    /// The row control focus last reached, until focus reaches something else.
    static FOCUSED: RefCell<Option<(Element, Control)>> = const { RefCell::new(None) };
}

/// Whether `control` is a row's, which the host's re-render replaces with its row.
fn in_a_row(control: &Control) -> bool {
    control.job.is_some() && controls::redrawn_by_host(&control.action)
}

/// A trusted focus: remembers the row control it reached, or that it reached something else.
pub fn focus_reached(event: &web_sys::Event) {
    let reached = controls::control(event).filter(|(_, control)| in_a_row(control));
    FOCUSED.with(|focused| *focused.borrow_mut() = reached);
}

/// At the take-over: the row control focus is on already (reaching it loaded this build).
pub fn adopt_focused() {
    let mut active = dom::document().active_element();
    while let Some(inner) = active
        .as_ref()
        .and_then(Element::shadow_root)
        .and_then(|shadow| shadow.active_element())
    {
        active = Some(inner);
    }
    let adopted = active.and_then(|element| {
        let control = controls::registered(&element)?;
        in_a_row(&control).then_some((element, control))
    });
    FOCUSED.with(|focused| *focused.borrow_mut() = adopted);
}

/// After a pass: the focused row control left the page with its row and focus is nowhere (on the
/// body): the control drawn in its place in the new row gets it.
pub fn keep(overlay: &Overlay) {
    // Every pass comes here: nothing is copied while the control is still on the page.
    let left = FOCUSED.with(|focused| {
        focused
            .borrow()
            .as_ref()
            .filter(|(element, _)| !element.is_connected())
            .map(|(_, control)| control.clone())
    });
    let Some(control) = left else {
        return;
    };
    let document = dom::document();
    let body: Option<Element> = document.body().map(Into::into);
    if document
        .active_element()
        .is_some_and(|active| Some(active) != body)
    {
        FOCUSED.with(|focused| focused.borrow_mut().take());
        return;
    }
    let twin = control
        .job
        .as_deref()
        .and_then(|job| overlay.row_of(job))
        .and_then(|row| twin_in(&row, &control));
    if let Some(twin) = twin {
        // Its `focusin` remembers the twin in turn.
        let _ = twin.unchecked_ref::<HtmlElement>().focus();
    }
}

/// The control the overlay drew in `row` that does what `control` did (the registry says so, not
/// the page's attributes).
fn twin_in(row: &Element, control: &Control) -> Option<Element> {
    let wanted = dom::attribute_selector("data-ja-action", &control.action);
    dom::host_shadows(row)
        .iter()
        .filter_map(|shadow| shadow.query_selector(&wanted).ok().flatten())
        .find(|candidate| controls::registered(candidate).as_ref() == Some(control))
}
