//! Attribute names, and the values many elements share, made JavaScript strings once. Every
//! `&str` handed to a DOM method is copied out of wasm memory and decoded from UTF-8 on each
//! call: measured in Chromium, `hasAttribute` took 0.57 µs a call with a `&str` and 0.06 µs with
//! a string made once (the call itself costs 0.02 µs). A fixed string goes over as the
//! JavaScript string made the first time it was used.
//!
//! Only `&'static str` is cached (keyed by where it lives and its length), so the cache holds at
//! most one entry per literal in the program and a row's own text (its job, its title) is
//! never kept.

use std::cell::RefCell;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Element;

#[wasm_bindgen]
extern "C" {
    /// An element, for the methods below.
    type Attributes;
    // No `catch`: `setAttribute` throws only for a name that is no XML name, and these are the
    // program's own literals (a `catch` costs a closure and an `arguments` object per call).
    #[wasm_bindgen(method, js_name = setAttribute)]
    fn set_fixed(this: &Attributes, name: &JsValue, value: &JsValue);
    #[wasm_bindgen(method, js_name = setAttribute)]
    fn set_text(this: &Attributes, name: &JsValue, value: &str);
    #[wasm_bindgen(method, js_name = removeAttribute)]
    fn remove(this: &Attributes, name: &JsValue);
    #[wasm_bindgen(method, js_name = hasAttribute)]
    fn has(this: &Attributes, name: &JsValue) -> bool;
    #[wasm_bindgen(method, js_name = getAttribute)]
    fn get(this: &Attributes, name: &JsValue) -> Option<String>;
}

thread_local! {
    static MADE: RefCell<Vec<(usize, usize, JsValue)>> = const { RefCell::new(Vec::new()) };
}

/// `text` as a JavaScript string, made the first time it is asked for.
pub fn fixed(text: &'static str) -> JsValue {
    let key = (text.as_ptr() as usize, text.len());
    let found = MADE.with(|made| {
        made.borrow()
            .iter()
            .find(|(at, len, _)| (*at, *len) == key)
            .map(|(_, _, value)| value.clone())
    });
    found.unwrap_or_else(|| {
        let value = JsValue::from_str(text);
        MADE.with(|made| made.borrow_mut().push((key.0, key.1, value.clone())));
        value
    })
}

fn of(element: &Element) -> &Attributes {
    element.unchecked_ref()
}

/// `element[name] = value`, both fixed.
pub fn set_fixed_attribute(
    element: &Element,
    name: &'static str,
    value: &'static str,
) -> Result<(), JsValue> {
    of(element).set_fixed(&fixed(name), &fixed(value));
    Ok(())
}

/// `element[name] = value`, the name fixed.
pub fn set_attribute(element: &Element, name: &'static str, value: &str) -> Result<(), JsValue> {
    of(element).set_text(&fixed(name), value);
    Ok(())
}

pub fn remove_attribute(element: &Element, name: &'static str) {
    of(element).remove(&fixed(name));
}

pub fn has_attribute(element: &Element, name: &'static str) -> bool {
    of(element).has(&fixed(name))
}

pub fn get_attribute(element: &Element, name: &'static str) -> Option<String> {
    of(element).get(&fixed(name))
}
