//! The overlay's only event listeners: one each for `click`, `keydown` and `input` on the
//! document, installed once per page. They act only on trusted events whose target is one of
//! the overlay's controls (`data-ja-action` inside an overlay host's shadow root), so nothing
//! is attached per element and nothing leaks when the host page re-renders.

use crate::actions::dispatch;
use crate::overlay::{self, Overlay};
use crate::ui::dialog;
use crate::{dom, log};
use job_actions::flow::Event;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlElement, HtmlTextAreaElement, KeyboardEvent, ShadowRoot};

pub fn install() -> Result<(), JsValue> {
    let document = dom::document();
    for (name, handler) in [
        ("click", on_click as fn(web_sys::Event)),
        ("keydown", on_keydown),
        ("input", on_input),
    ] {
        let closure = Closure::<dyn FnMut(web_sys::Event)>::new(handler);
        document.add_event_listener_with_callback_and_bool(
            name,
            closure.as_ref().unchecked_ref(),
            true,
        )?;
        closure.forget();
    }
    Ok(())
}

/// The overlay control an event started on: the first element of its composed path that has a
/// `data-ja-action` and lives in one of the overlay's shadow roots.
fn control(event: &web_sys::Event) -> Option<(Element, String)> {
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

fn with_overlay(body: impl FnOnce(Rc<Overlay>)) {
    if let Some(overlay) = overlay::current() {
        body(overlay);
    }
}

fn on_click(event: web_sys::Event) {
    let Some((element, action)) = control(&event) else {
        return;
    };
    match action.as_str() {
        "open-cancel" | "open-delete" => with_overlay(|overlay| {
            let phase = overlay.job_id().and_then(|job_id| {
                overlay
                    .store
                    .borrow()
                    .get(job_id)
                    .map(|job| job.phase.clone())
            });
            if let Some(phase) = phase {
                *overlay.trigger.borrow_mut() = Some(action.clone());
                dispatch(
                    &overlay,
                    Event::Open {
                        cancel: action == "open-cancel",
                        phase,
                    },
                );
            }
        }),
        "dialog-dismiss" | "backdrop" => with_overlay(|overlay| dispatch(&overlay, Event::Dismiss)),
        "dialog-confirm" => with_overlay(|overlay| dispatch(&overlay, Event::Confirm)),
        "toast-dismiss" => {
            if let Ok(Some(toast)) = element.closest(".toast") {
                toast.remove();
            }
        }
        _ => {}
    }
}

fn on_input(event: web_sys::Event) {
    let Some((element, action)) = control(&event) else {
        return;
    };
    if action != "reason" {
        return;
    }
    let text = element.unchecked_ref::<HtmlTextAreaElement>().value();
    with_overlay(|overlay| {
        overlay
            .flow
            .borrow_mut()
            .handle(Event::ReasonEdited(text.clone()));
        if let Some(shadow) = dialog::shadow() {
            if let Err(error) = dialog::update_counter(&shadow, &text) {
                log::feature_error("dialog", &error);
            }
        }
    });
}

/// Esc closes (and sends nothing), Enter confirms — except on the secondary button, where it
/// presses that button — and Tab wraps inside the dialog. Only while a dialog is open.
fn on_keydown(event: web_sys::Event) {
    let Some(shadow) = dialog::shadow() else {
        return;
    };
    let Ok(key_event) = event.clone().dyn_into::<KeyboardEvent>() else {
        return;
    };
    if !event.is_trusted() || key_event.is_composing() {
        return;
    }
    let target = event.composed_path().get(0).dyn_into::<Element>().ok();
    let inside = target
        .as_ref()
        .is_some_and(|target| dialog::contains(&shadow, target));
    match key_event.key().as_str() {
        "Escape" => {
            stop(&event);
            with_overlay(|overlay| dispatch(&overlay, Event::Dismiss));
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
                .and_then(|target| target.get_attribute("data-ja-action"))
                .is_some_and(|action| action == "dialog-dismiss");
            if !on_secondary {
                stop(&event);
                with_overlay(|overlay| dispatch(&overlay, Event::Confirm));
            }
        }
        "Tab" => {
            let focusables = dialog::focusables(&shadow);
            let (Some(first), Some(last)) = (focusables.first(), focusables.last()) else {
                stop(&event);
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
                stop(&event);
                let _ = element.focus();
            }
        }
        _ => {}
    }
}

fn stop(event: &web_sys::Event) {
    event.prevent_default();
    event.stop_propagation();
}
