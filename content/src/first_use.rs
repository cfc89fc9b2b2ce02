//! The page-wide build's only document listeners (the build without the `actions` feature, which
//! every job page loads). A toast's close button works here; any other trusted click on one of
//! the overlay's controls — or ↓ on a row's menu button — asks the background for the actions
//! build (the same engine: wasm, or wasm2js where the page refuses WebAssembly), which takes
//! the page over (`hand_over`) and carries that first use out. Until it has, later uses are the
//! same use: one dialog, one request, however often the button is pressed.

use crate::controls::{control, dismiss_toast, FirstUse};
use crate::{browser, dom, log, overlay, ui::toast, ENGINE_ATTRIBUTE};
use job_actions::flow::{Toast, ToastKind};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use web_sys::{Element, KeyboardEvent};

/// Asks the background to inject the actions build into this frame (`background/main.js`).
const LOAD_ACTIONS: &str = "job-actions:load-actions";
/// How long the actions build may take to take over before the use counts as failed (it loads
/// in tens of milliseconds; a build that threw while loading never calls back).
const LOAD_TIMEOUT_MS: u32 = 10_000;

/// A document listener with its event name.
type Listener = (&'static str, Closure<dyn FnMut(web_sys::Event)>);

thread_local! {
    /// The use that asked for the actions build, while it loads.
    static PENDING: RefCell<Option<(FirstUse, Element)>> = const { RefCell::new(None) };
    /// How many times the actions build was asked for (tells a request's timeout from a later one's).
    static REQUESTS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    static LISTENERS: RefCell<Vec<Listener>> = const { RefCell::new(Vec::new()) };
}

pub fn install() -> Result<(), JsValue> {
    let document = dom::document();
    for (name, handler) in [
        ("click", on_click as fn(web_sys::Event)),
        ("keydown", on_keydown),
    ] {
        let closure = Closure::<dyn FnMut(web_sys::Event)>::new(handler);
        document.add_event_listener_with_callback_and_bool(
            name,
            closure.as_ref().unchecked_ref(),
            true,
        )?;
        LISTENERS.with(|listeners| listeners.borrow_mut().push((name, closure)));
    }
    Ok(())
}

fn on_click(event: web_sys::Event) {
    let Some((element, action)) = control(&event) else {
        return;
    };
    if action == "toast-dismiss" {
        dismiss_toast(&element);
    } else {
        request(FirstUse::Click, element);
    }
}

fn on_keydown(event: web_sys::Event) {
    let Some(key_event) = event.dyn_ref::<KeyboardEvent>() else {
        return;
    };
    if key_event.key() != "ArrowDown" || key_event.is_composing() {
        return;
    }
    if let Some((element, action)) = control(&event) {
        if action == "menu-toggle" {
            // The page must not scroll: the menu opens instead.
            event.prevent_default();
            event.stop_propagation();
            request(FirstUse::ArrowDown, element);
        }
    }
}

/// Records the first use and asks for the actions build; nothing more while it loads.
fn request(first_use: FirstUse, element: Element) {
    let waiting = PENDING.with(|pending| {
        let mut pending = pending.borrow_mut();
        let waiting = pending.is_some();
        if !waiting {
            *pending = Some((first_use, element));
        }
        waiting
    });
    if waiting {
        return;
    }
    let engine = dom::root_element()
        .ok()
        .and_then(|root| root.get_attribute(ENGINE_ATTRIBUTE))
        .unwrap_or_default();
    let request = REQUESTS.with(|requests| {
        requests.set(requests.get() + 1);
        requests.get()
    });
    browser::after(LOAD_TIMEOUT_MS, move || {
        let same_request = REQUESTS.with(|requests| requests.get() == request);
        if same_request && PENDING.with(|pending| pending.borrow().is_some()) {
            failed("the actions build did not start within 10 s".into());
        }
    });
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(error) =
            browser::message_background(&[("kind", LOAD_ACTIONS), ("engine", &engine)]).await
        {
            failed(
                error
                    .as_string()
                    .unwrap_or_else(|| "the background did not answer".into()),
            );
        }
    });
}

/// The actions build did not load: say so, and let the next use try again.
pub fn failed(why: String) {
    PENDING.with(|pending| pending.borrow_mut().take());
    log::warn(&format!("the actions could not be loaded: {why}"));
    let toast = Toast {
        kind: ToastKind::Error,
        text: job_actions::copy::ACTIONS_UNAVAILABLE.into(),
    };
    if let Err(error) = toast::show(&toast) {
        log::feature_error("toasts", &error);
    }
}

/// Stops this build and returns what the actions build needs to go on from here: `state` (the
/// `Handoff` as JSON), `done` (the decoration passes' per-element records), and the first use
/// (`firstUse`, `target`) if one asked for it.
pub fn hand_over() -> Result<JsValue, JsValue> {
    let document = dom::document();
    for (name, listener) in LISTENERS.with(|listeners| listeners.take()) {
        let _ = document.remove_event_listener_with_callback_and_bool(
            name,
            listener.as_ref().unchecked_ref(),
            true,
        );
    }
    let handoff = overlay::stop();
    let result = js_sys::Object::new();
    let set = |name: &str, value: &JsValue| js_sys::Reflect::set(&result, &name.into(), value);
    set("state", &handoff.encode().into())?;
    set("done", &dom::done_records())?;
    if let Some((first_use, target)) = PENDING.with(|pending| pending.take()) {
        set("firstUse", &first_use.name().into())?;
        set("target", &target)?;
    }
    Ok(result.into())
}
