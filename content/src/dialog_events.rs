//! What the keys and buttons of an open dialog do — a job's, or the bulk confirmation — once
//! `events.rs` has read which control a trusted event is for: Esc, Enter and Tab inside it,
//! confirm and dismiss, and the guard told when the extension changed what it shows.

use crate::actions::{dispatch, PageView};
use crate::bulk;
use crate::dom;
use crate::overlay::{self, Overlay};
use crate::ui::{dialog, guard, toast};
use job_actions::jobs::effects::View;
use job_actions::jobs::flow::Event;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlElement, KeyboardEvent, ShadowRoot};

/// The extension changed `element` outside a render ("Copied"): if it is in the dialog, what the
/// dialog shows now is what the extension drew (its guard draws a rewritten dialog again).
pub fn dialog_changed(element: &Element) {
    if let Some(shadow) = dialog::shadow().filter(|shadow| dialog::contains(shadow, element)) {
        guard::rendered(&shadow);
    }
}

pub fn on_dialog_job(event: Event) {
    if let Some(overlay) = overlay::current() {
        if bulk::confirming(&overlay) {
            return on_bulk_dialog(&overlay, &event);
        }
        let job_id = overlay.dialog_job.borrow().clone();
        if let Some(job_id) = job_id {
            dispatch(&overlay, &job_id, event);
        }
    }
}

/// The bulk confirmation's confirm or dismiss; focus goes to the bar (Stop, once a run started).
fn on_bulk_dialog(overlay: &Rc<Overlay>, event: &Event) {
    match event {
        Event::Confirm => {
            bulk::confirm(overlay);
            if !bulk::confirming(overlay) {
                *overlay.trigger.borrow_mut() =
                    Some(dom::attribute_selector("data-ja-action", "bulk-stop"));
            }
        }
        _ => bulk::close(overlay),
    }
    if !bulk::confirming(overlay) {
        PageView(Rc::clone(overlay)).restore_focus();
    }
}

/// Esc closes (and sends nothing), Enter confirms — except on the secondary button and on "Copy
/// details", where it presses that button — and Tab wraps inside the dialog.
pub fn dialog_keys(event: &web_sys::Event, key_event: &KeyboardEvent, shadow: &ShadowRoot) {
    let target = event.composed_path().get(0).dyn_into::<Element>().ok();
    let inside = target
        .as_ref()
        .is_some_and(|target| dialog::contains(shadow, target));
    match key_event.key().as_str() {
        "Escape" => {
            stop(event);
            on_dialog_job(Event::Dismiss);
        }
        "Enter"
            if inside
                && !key_event.shift_key()
                && !key_event.ctrl_key()
                && !key_event.alt_key()
                && !key_event.meta_key() =>
        {
            let on_secondary = target
                .as_ref()
                .and_then(crate::controls::registered)
                .is_some_and(|control| {
                    control.action == "dialog-dismiss"
                        || toast::copy_button(&control.action).is_some()
                });
            if !on_secondary {
                stop(event);
                if guard::confirm_by_key() {
                    on_dialog_job(Event::Confirm);
                }
            }
        }
        "Tab" => {
            guard::user_moves_focus(event);
            let focusables = dialog::focusables(shadow);
            let (Some(first), Some(last)) = (focusables.first(), focusables.last()) else {
                stop(event);
                return;
            };
            let active = shadow.active_element();
            let at =
                |element: &HtmlElement| active.as_ref() == Some(element.unchecked_ref::<Element>());
            let wrap_to = if !inside {
                Some(first)
            } else if key_event.shift_key() && at(first) {
                Some(last)
            } else if !key_event.shift_key() && at(last) {
                Some(first)
            } else {
                None
            };
            if let Some(element) = wrap_to {
                stop(event);
                let _ = element.focus();
            }
        }
        _ => {}
    }
}

pub fn stop(event: &web_sys::Event) {
    event.prevent_default();
    event.stop_propagation();
}
