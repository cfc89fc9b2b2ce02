//! A 403 from the API: this user may not cancel or delete jobs in this app (PRD §11). From then
//! on, for this page's life, every destructive control is disabled with the API's refusal as its
//! description, rather than offered and refused again.

use crate::dom;
use std::cell::RefCell;
use wasm_bindgen::JsValue;
use web_sys::Element;

thread_local! {
    static REFUSED: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The sentence the controls carry, once the API refused an action.
pub fn reason() -> Option<String> {
    REFUSED.with(|refused| refused.borrow().clone())
}

#[cfg(feature = "actions")]
pub fn refuse(message: String) {
    REFUSED.with(|refused| *refused.borrow_mut() = Some(message));
}

/// The element id the disabled controls point at with `aria-describedby`.
pub const NOTE_ID: &str = "ja-refused";

/// The visible sentence the disabled controls point at (`aria-describedby`), inside `parent`.
pub fn note(parent: &Element, reason: &str) -> Result<Element, JsValue> {
    dom::child(
        parent,
        "p",
        "refused",
        &[("id", NOTE_ID), ("data-testid", "actions-refused")],
        reason,
    )
}
