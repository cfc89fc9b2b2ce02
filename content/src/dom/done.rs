//! Which host-page elements each feature has already decorated, and for what: a pass skips an
//! element whose record matches with two calls instead of rebuilding it, and the page-wide build
//! hands the records to the actions build so its first pass skips the same work.

use super::hosts::HOST_ATTRIBUTE;
#[cfg(feature = "actions")]
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use web_sys::Element;

thread_local! {
    /// Per feature: the signature each host-page element was last decorated for.
    static DONE: std::cell::RefCell<Vec<(&'static str, js_sys::WeakMap)>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn done_map(feature: &'static str) -> js_sys::WeakMap {
    DONE.with(|maps| {
        let mut maps = maps.borrow_mut();
        if let Some((_, map)) = maps.iter().find(|(name, _)| *name == feature) {
            return map.clone();
        }
        let map = js_sys::WeakMap::new();
        maps.push((feature, map.clone()));
        map
    })
}

/// Whether `element` was already decorated by `feature` for exactly `signature` (and, for a
/// feature with a host, that host is still inside it): then a pass can skip it with two calls.
pub fn already_done(
    element: &Element,
    feature: &'static str,
    signature: &str,
    has_host: bool,
) -> bool {
    let same = done_map(feature)
        .get(element)
        .as_string()
        .is_some_and(|done| done == signature);
    same && (!has_host
        || element
            .query_selector(&format!("[{HOST_ATTRIBUTE}=\"{feature}\"]"))
            .ok()
            .flatten()
            .is_some())
}

/// The per-feature records `already_done` reads, as `[[feature id, WeakMap], …]`: the page-wide
/// build hands them to the actions build, whose first pass then skips what is already done.
#[cfg(not(feature = "actions"))]
pub fn done_records() -> JsValue {
    let records = js_sys::Array::new();
    DONE.with(|maps| {
        for (feature, map) in maps.borrow().iter() {
            records.push(&js_sys::Array::of2(&JsValue::from_str(feature), map));
        }
    });
    records.into()
}

/// Takes over records from `done_records` (of `features`, the ids of this build's features;
/// anything else is ignored, and the feature's next pass checks every element again).
#[cfg(feature = "actions")]
pub fn adopt_done_records(records: &JsValue, features: &[&'static str]) {
    let Some(records) = records.dyn_ref::<js_sys::Array>() else {
        return;
    };
    for record in records.iter() {
        let record: js_sys::Array = record.unchecked_into();
        let name = record.get(0).as_string().unwrap_or_default();
        let (Some(&feature), Ok(map)) = (
            features.iter().find(|&&feature| feature == name),
            record.get(1).dyn_into::<js_sys::WeakMap>(),
        ) else {
            continue;
        };
        DONE.with(|maps| {
            let mut maps = maps.borrow_mut();
            maps.retain(|(id, _)| *id != feature);
            maps.push((feature, map));
        });
    }
}

/// Records that `element` is decorated by `feature` for `signature`.
pub fn mark_done(element: &Element, feature: &'static str, signature: &str) {
    done_map(feature).set(element, &JsValue::from_str(signature));
}
