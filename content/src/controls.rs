//! Which overlay control an event is for. Both builds read events through this: the one every
//! page loads (`first_use.rs`, which only notices the first use) and the one with the actions
//! (`events.rs`).

use crate::dom;
use wasm_bindgen::prelude::*;
use web_sys::{Element, ShadowRoot};

/// A document listener with its event name.
pub type DocumentListener = (&'static str, Closure<dyn FnMut(web_sys::Event)>);

/// An event name and what handles it.
pub type Handler = (&'static str, fn(web_sys::Event));

/// Adds each handler as a capture-phase listener of the document (the overlay's controls live in
/// shadow roots: the document sees their events first). Returns the listeners: dropping one
/// would break it, so keep them to remove later, or forget them for the page's life.
pub fn listen_on_document(handlers: &[Handler]) -> Result<Vec<DocumentListener>, JsValue> {
    let document = dom::document();
    let mut listeners = Vec::with_capacity(handlers.len());
    for &(name, handler) in handlers {
        let closure = Closure::<dyn FnMut(web_sys::Event)>::new(handler);
        document.add_event_listener_with_callback_and_bool(
            name,
            closure.as_ref().unchecked_ref(),
            true,
        )?;
        listeners.push((name, closure));
    }
    Ok(listeners)
}

/// The overlay control a trusted event started on: the first element of its composed path that
/// has a `data-ja-action` and lives in one of the overlay's shadow roots, with that action.
pub fn control(event: &web_sys::Event) -> Option<(Element, String)> {
    if !event.is_trusted() {
        return None;
    }
    let path = event.composed_path();
    for index in 0..path.length() {
        let Ok(element) = path.get(index).dyn_into::<Element>() else {
            continue;
        };
        if let Some(action) = element.get_attribute("data-ja-action") {
            let in_overlay = element
                .get_root_node()
                .dyn_into::<ShadowRoot>()
                .is_ok_and(|root| root.host().has_attribute(dom::HOST_ATTRIBUTE));
            return in_overlay.then_some((element, action));
        }
    }
    None
}

/// A toast's close button: removes its toast (both builds show toasts).
pub fn dismiss_toast(element: &Element) {
    if let Ok(Some(toast)) = element.closest(".toast") {
        toast.remove();
    }
}

/// The console line when a first use is dropped: it was made on a route the page has left while
/// the actions build loaded (carried out, it would act on the job the page shows now).
pub const FIRST_USE_DROPPED: &str =
    "the first use was made before the page's route changed: not carried out on the new route";

/// What the page-wide build saw first, for the actions build to carry out when it takes over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirstUse {
    /// A click (or Enter/Space) on a control.
    Click,
    /// ↓ on a row's menu button: open its menu on the first item.
    ArrowDown,
}

impl FirstUse {
    #[cfg(not(feature = "actions"))]
    pub fn name(self) -> &'static str {
        match self {
            FirstUse::Click => "click",
            FirstUse::ArrowDown => "arrow-down",
        }
    }

    #[cfg(feature = "actions")]
    pub fn from_name(name: &str) -> Option<FirstUse> {
        match name {
            "click" => Some(FirstUse::Click),
            "arrow-down" => Some(FirstUse::ArrowDown),
            _ => None,
        }
    }
}
