//! Times in the user's locale and time zone ("Cancelled at"), and the one formatting done ahead
//! while the page is idle so that the first shown time does not pay for V8's locale data.

use wasm_bindgen::prelude::*;

/// An RFC 3339 timestamp in the user's locale and time zone; the input itself when unreadable.
pub fn local_time(timestamp: &str) -> String {
    let date = js_sys::Date::new(&JsValue::from_str(timestamp));
    if date.get_time().is_nan() {
        return timestamp.to_string();
    }
    date.to_locale_string("default", &JsValue::UNDEFINED).into()
}

#[cfg(feature = "actions")]
thread_local! {
    static READY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Formats one local time when the page is next idle, once per page. A renderer's first
/// formatting of a time makes V8 load its locale data (24 ms on a first page in a fresh browser;
/// V8 keeps its formatters for the renderer's life, so a later page pays nothing): done now, it
/// is not paid in the frame that first shows a time, such as the answer to a cancel. The actions
/// build's (a cancel loads it).
#[cfg(feature = "actions")]
pub fn prepare() {
    if READY.with(|ready| ready.replace(true)) {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let format = Closure::once_into_js(|| drop(local_time("2000-01-01T00:00:00Z")));
    let _ = window.request_idle_callback(format.unchecked_ref());
}
