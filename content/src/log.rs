//! Console lines with one prefix, so users and tests can find the overlay's messages.

use wasm_bindgen::JsValue;

pub const PREFIX: &str = "[job-actions]";

pub fn info(message: &str) {
    web_sys::console::info_1(&JsValue::from_str(&format!("{PREFIX} {message}")));
}

/// A feature failed; the others go on. The error object is logged as is for its stack.
pub fn feature_error(feature: &str, error: &JsValue) {
    web_sys::console::error_2(
        &JsValue::from_str(&format!("{PREFIX} feature `{feature}` failed:")),
        error,
    );
}

pub fn warn(message: &str) {
    web_sys::console::warn_1(&JsValue::from_str(&format!("{PREFIX} {message}")));
}
