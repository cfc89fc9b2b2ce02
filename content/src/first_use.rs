//! The page-wide build's only document listeners (the build without the `actions` feature, which
//! every job page loads). A toast's close button and its "Copy details" work here; any other
//! trusted click on one of the overlay's controls — or ↓ on a row's menu button — asks the
//! background for the actions build (the same engine: wasm, or wasm2js where the page refuses
//! WebAssembly), which takes the page over (`hand_over`) and carries those uses out in order. Until
//! it has, pressing the same control again is the same use (one dialog, one request, however often
//! the button is pressed); a use of another control (a Shift+click on another row's checkbox)
//! is kept after it.
//!
//! A pointer moving onto a control, or focus reaching one, asks for the build already: a click
//! usually follows by more than the 40–70 ms the build takes to load, and then finds it running.
//! A press the host redraws under the pointer is a click here too (`controls::released_on_twin`),
//! and one still down at the hand-over is handed over with the page.

use crate::controls::{
    self, control, dismiss_toast, listen_on_document, DocumentListener, FirstUse,
};
use crate::{browser, dom, log, ui::toast};
use job_actions::jobs::flow::{Toast, ToastKind};
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;
use web_sys::{Element, KeyboardEvent};

/// Asks the background to inject the actions build into this frame (`background/main.js`).
const LOAD_ACTIONS: &str = "job-actions:load-actions";
/// How long the actions build may take to take over before the request counts as failed (it
/// loads in tens of milliseconds; a build that threw while loading never calls back).
const LOAD_TIMEOUT_MS: u32 = 10_000;

thread_local! {
    /// The uses waiting for the actions build, in order, each with the page (URL) it was made on.
    static PENDING: RefCell<Vec<(FirstUse, Element, String)>> = const { RefCell::new(Vec::new()) };
    /// The number of the request for the actions build that is under way (0: none is).
    static LOADING: Cell<u32> = const { Cell::new(0) };
    /// How many requests were made (numbers them, so a timeout knows its own).
    static REQUESTS: Cell<u32> = const { Cell::new(0) };
    static LISTENERS: RefCell<Vec<DocumentListener>> = const { RefCell::new(Vec::new()) };
}

pub fn install() -> Result<(), JsValue> {
    let listeners = listen_on_document(&[
        ("click", on_click),
        ("keydown", on_keydown),
        ("mousedown", on_press),
        ("mouseup", on_release),
        ("pointerover", on_approach),
        ("focusin", on_approach),
    ])?;
    LISTENERS.with(|kept| *kept.borrow_mut() = listeners);
    Ok(())
}

fn on_click(event: web_sys::Event) {
    let Some((element, control)) = control(&event) else {
        return;
    };
    match (control.action.as_str(), toast::copy_button(&control.action)) {
        ("toast-dismiss", _) => dismiss_toast(&element),
        (_, Some(copy)) => toast::copy_pressed(&element, copy, |_| {}),
        _ => wait_for_actions(click_of(&event), element),
    }
}

/// A click, or with Shift a range's click.
fn click_of(event: &web_sys::Event) -> FirstUse {
    if controls::with_shift(event) {
        FirstUse::RangeClick
    } else {
        FirstUse::Click
    }
}

fn on_press(event: web_sys::Event) {
    controls::press_began(&event);
}

/// A release on the twin of the control pressed, which the host drew again meanwhile: the click
/// the browser will not send (`controls::released_on_twin`).
fn on_release(event: web_sys::Event) {
    if let Some((element, _)) = controls::released_on_twin(&event) {
        wait_for_actions(click_of(&event), element);
    }
}

fn on_keydown(event: web_sys::Event) {
    let Some(key_event) = event.dyn_ref::<KeyboardEvent>() else {
        return;
    };
    if key_event.key() != "ArrowDown" || key_event.is_composing() {
        return;
    }
    if let Some((element, control)) = control(&event) {
        if control.action == "menu-toggle" {
            // The page must not scroll: the menu opens instead.
            event.prevent_default();
            event.stop_propagation();
            wait_for_actions(FirstUse::ArrowDown, element);
        }
    }
}

/// A pointer over, or focus on, an overlay control: a use is likely; load the build now.
fn on_approach(event: web_sys::Event) {
    if LOADING.with(Cell::get) != 0 {
        return;
    }
    if control(&event).is_some_and(|(_, control)| !is_toast_control(&control.action)) {
        load();
    }
}

/// A toast's own controls, which this build carries out itself.
fn is_toast_control(action: &str) -> bool {
    action == "toast-dismiss" || toast::copy_button(action).is_some()
}

/// How many uses wait for the actions build at most (it loads in tens of milliseconds).
const MAX_PENDING: usize = 8;

/// Keeps a use for the actions build to carry out after those before it, and makes sure it is
/// loading. The same control pressed again is the same use.
fn wait_for_actions(first_use: FirstUse, element: Element) {
    let href = page_href();
    PENDING.with(|pending| {
        let mut pending = pending.borrow_mut();
        let again = pending.last().is_some_and(|(_, last, _)| *last == element);
        if !again && pending.len() < MAX_PENDING {
            pending.push((first_use, element, href));
        }
    });
    if LOADING.with(Cell::get) == 0 {
        load();
    }
}

/// Asks the background for the actions build (also when a waiting Cancel & Delete needs it,
/// `lifecycle::load`).
pub fn load() {
    let request = REQUESTS.with(|requests| {
        requests.set(requests.get() + 1);
        requests.get()
    });
    LOADING.with(|loading| loading.set(request));
    let engine = crate::engine();
    browser::after(LOAD_TIMEOUT_MS, move || {
        if LOADING.with(Cell::get) == request {
            failed("the actions build did not start within 10 s".into());
        }
    });
    wasm_bindgen_futures::spawn_local(async move {
        let answer =
            browser::message_background(&[("kind", LOAD_ACTIONS), ("engine", &engine)]).await;
        if let Err(error) = answer {
            if LOADING.with(Cell::get) == request {
                failed(
                    error
                        .as_string()
                        .unwrap_or_else(|| "the background did not answer".into()),
                );
            }
        }
    });
}

fn page_href() -> String {
    dom::document()
        .location()
        .and_then(|location| location.href().ok())
        .unwrap_or_default()
}

/// The actions build did not load: the next approach or use tries again. A use that waited for
/// it is told so; a load nobody waited for yet only leaves a console line.
pub fn failed(why: String) {
    LOADING.with(|loading| loading.set(0));
    log::warn(&format!("the actions could not be loaded: {why}"));
    if PENDING.with(|pending| pending.take()).is_empty() {
        return;
    }
    let toast = Toast {
        kind: ToastKind::Error,
        text: job_actions::jobs::copy::ACTIONS_UNAVAILABLE.into(),
        details: None,
        receipt: None,
    };
    if let Err(error) = toast::show(&toast) {
        log::feature_error("toasts", &error);
    }
}

/// Stops this build and returns what the actions build needs to go on from here: `state` (the
/// `Handoff` as JSON), `done` (the decoration passes' per-element records), `controls` (the
/// registry of the controls this build drew), and the uses that asked for it (`uses`:
/// `[[kind, control], …]`, in order).
pub fn hand_over(handoff: crate::handoff::Handoff) -> Result<JsValue, JsValue> {
    let document = dom::document();
    for (name, listener) in LISTENERS.with(|listeners| listeners.take()) {
        let _ = document.remove_event_listener_with_callback_and_bool(
            name,
            listener.as_ref().unchecked_ref(),
            true,
        );
    }
    LOADING.with(|loading| loading.set(0));
    let result = js_sys::Object::new();
    let set = |name: &str, value: &JsValue| js_sys::Reflect::set(&result, &name.into(), value);
    set("state", &handoff.encode().into())?;
    set("done", &dom::done_records())?;
    set("controls", &crate::controls::registry())?;
    set("pressed", &controls::pressed())?;
    let uses = js_sys::Array::new();
    let here = page_href();
    for (first_use, target, href) in PENDING.with(|pending| pending.take()) {
        // A use made on the controls of a route the page has left since is not carried out on
        // the new one.
        if href == here {
            uses.push(&js_sys::Array::of2(&first_use.name().into(), &target));
        } else {
            log::info(crate::controls::FIRST_USE_DROPPED);
        }
    }
    set("uses", &uses)?;
    Ok(result.into())
}
