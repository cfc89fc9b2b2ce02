//! Small DOM helpers for building the overlay: every injected piece lives in an open shadow root
//! under a host element marked `data-job-actions="<feature>"`, so host CSS cannot restyle it, test
//! suites can still reach it, and teardown can find all of it. Text is only ever set with
//! `textContent`, never parsed as HTML.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, ShadowRoot, ShadowRootInit, ShadowRootMode};

/// The attribute every overlay host carries, valued with its feature id. (Overlay controls name
/// their job with `data-ja-job`, never the host's own `data-job-id`, so page queries for rows
/// never match them.)
pub const HOST_ATTRIBUTE: &str = "data-job-actions";

pub fn document() -> Document {
    web_sys::window()
        .and_then(|window| window.document())
        .expect("content scripts run in a window with a document")
}

/// `<html>`, the root every page-wide query starts from.
pub fn root_element() -> Result<Element, JsValue> {
    document()
        .document_element()
        .ok_or_else(|| JsValue::from_str("the page has no document element"))
}

thread_local! {
    /// One constructed stylesheet per feature, shared by all of its shadow roots: a list of a
    /// thousand rows parses each feature's CSS once instead of a thousand times.
    static SHEETS: std::cell::RefCell<Vec<(String, web_sys::CssStyleSheet)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Styles a shadow root with the feature's shared constructed stylesheet (its `css` parts are
/// joined once, when the sheet is first built); falls back to a
/// `<style>` element where constructed stylesheets are unavailable.
fn adopt_stylesheet(shadow: &ShadowRoot, feature: &str, css: &[&str]) -> Result<(), JsValue> {
    let cached = SHEETS.with(|sheets| {
        sheets
            .borrow()
            .iter()
            .find(|(name, _)| name == feature)
            .map(|(_, sheet)| sheet.clone())
    });
    let sheet = match cached {
        Some(sheet) => Some(sheet),
        None => web_sys::CssStyleSheet::new().ok().and_then(|sheet| {
            sheet.replace_sync(&css.concat()).ok()?;
            SHEETS.with(|sheets| {
                sheets
                    .borrow_mut()
                    .push((feature.to_string(), sheet.clone()))
            });
            Some(sheet)
        }),
    };
    match sheet {
        Some(sheet) => shadow.set_adopted_style_sheets(&js_sys::Array::of1(&sheet)),
        None => {
            let style = document().create_element("style")?;
            style.set_text_content(Some(&css.concat()));
            shadow.append_child(&style)?;
        }
    }
    Ok(())
}

/// Where a decoration goes relative to its anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// The anchor's last child.
    Append,
    /// The anchor's next sibling.
    After,
}

thread_local! {
    static CREATIONS_LEFT: std::cell::Cell<u32> = const { std::cell::Cell::new(u32::MAX) };
    static DEFERRED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Per feature: the signature each host-page element was last decorated for.
    static DONE: std::cell::RefCell<Vec<(&'static str, js_sys::WeakMap)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Starts a decoration pass that may create at most `limit` hosts: a list of a thousand rows is
/// decorated over several short tasks instead of one long one that would freeze the page.
pub fn begin_pass(limit: u32) {
    CREATIONS_LEFT.with(|left| left.set(limit));
    DEFERRED.with(|deferred| deferred.set(false));
}

/// Whether the pass left hosts uncreated for lack of budget (another pass should follow).
pub fn pass_deferred() -> bool {
    DEFERRED.with(std::cell::Cell::get)
}

fn take_creation() -> bool {
    let granted = CREATIONS_LEFT.with(|left| match left.get() {
        0 => false,
        n => {
            left.set(n - 1);
            true
        }
    });
    if !granted {
        DEFERRED.with(|deferred| deferred.set(true));
    }
    granted
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

/// A feature's host element next to `anchor` and its shadow root, created if missing. The flag
/// says whether it was just created; `None` means the pass's creation budget is spent and the
/// host will be created by the next pass.
pub fn ensure_host(
    anchor: &Element,
    placement: Placement,
    feature: &str,
    stylesheet: &[&str],
) -> Result<Option<(Element, ShadowRoot, bool)>, JsValue> {
    if let Some(host) = existing_host(anchor, placement, feature)? {
        if let Some(shadow) = host.shadow_root() {
            return Ok(Some((host, shadow, false)));
        }
        host.remove();
    }
    if !take_creation() {
        return Ok(None);
    }
    create_host(anchor, placement, feature, stylesheet).map(Some)
}

fn create_host(
    anchor: &Element,
    placement: Placement,
    feature: &str,
    stylesheet: &[&str],
) -> Result<(Element, ShadowRoot, bool), JsValue> {
    let host = document().create_element("span")?;
    host.set_attribute(HOST_ATTRIBUTE, feature)?;
    let init = ShadowRootInit::new(ShadowRootMode::Open);
    let shadow = host.attach_shadow(&init)?;
    adopt_stylesheet(&shadow, feature, stylesheet)?;
    match placement {
        Placement::Append => anchor.append_child(&host).map(drop)?,
        Placement::After => anchor.after_with_node_1(&host)?,
    }
    Ok((host, shadow, true))
}

fn existing_host(
    anchor: &Element,
    placement: Placement,
    feature: &str,
) -> Result<Option<Element>, JsValue> {
    let is_ours =
        |element: &Element| element.get_attribute(HOST_ATTRIBUTE).as_deref() == Some(feature);
    Ok(match placement {
        Placement::Append => {
            anchor.query_selector(&format!(":scope > [{HOST_ATTRIBUTE}=\"{feature}\"]"))?
        }
        Placement::After => anchor.next_element_sibling().filter(is_ours),
    })
}

/// Removes a feature's host next to `anchor`, if present.
pub fn remove_host(anchor: &Element, placement: Placement, feature: &str) -> Result<(), JsValue> {
    if let Some(host) = existing_host(anchor, placement, feature)? {
        host.remove();
    }
    Ok(())
}

/// Re-renders `container`'s children only when `signature` (a summary of what it should show)
/// changed since the last render; returns whether it did. Re-scans stay cheap and keep focus.
pub fn rebuild_if_changed(
    container: &Element,
    signature: &str,
    build: impl FnOnce(&Element) -> Result<(), JsValue>,
) -> Result<bool, JsValue> {
    if container.get_attribute("data-signature").as_deref() == Some(signature) {
        return Ok(false);
    }
    container.set_text_content(None);
    build(container)?;
    container.set_attribute("data-signature", signature)?;
    Ok(true)
}

#[cfg(feature = "actions")]
pub use job_actions::sites::selector::attribute_selector;

/// Creates `<tag>` with a class, for building shadow content.
pub fn element(tag: &str, class: &str) -> Result<Element, JsValue> {
    let element = document().create_element(tag)?;
    if !class.is_empty() {
        element.set_class_name(class);
    }
    Ok(element)
}

/// The shadow root's top element of `class`: the existing one, unless the host was just
/// created, else a new `<tag class=…>` with `attributes` appended to the root.
pub fn root_element_of(
    shadow: &ShadowRoot,
    created: bool,
    tag: &str,
    class: &str,
    attributes: &[(&str, &str)],
) -> Result<Element, JsValue> {
    if !created {
        if let Some(existing) = shadow.query_selector(&format!(".{class}"))? {
            return Ok(existing);
        }
    }
    child(shadow, tag, class, attributes, "")
}

/// Creates `<tag>` with a class, attributes and text, and appends it to `parent`.
pub fn child(
    parent: &web_sys::Node,
    tag: &str,
    class: &str,
    attributes: &[(&str, &str)],
    text: &str,
) -> Result<Element, JsValue> {
    let element = element(tag, class)?;
    for (name, value) in attributes {
        element.set_attribute(name, value)?;
    }
    if !text.is_empty() {
        element.set_text_content(Some(text));
    }
    parent.append_child(&element)?;
    Ok(element)
}

/// A 16-px stroked SVG icon from path data, hidden from assistive technology.
pub fn icon(parent: &Element, paths: &[&str]) -> Result<Element, JsValue> {
    const SVG: &str = "http://www.w3.org/2000/svg";
    let svg = document().create_element_ns(Some(SVG), "svg")?;
    for (name, value) in [
        ("viewBox", "0 0 24 24"),
        ("width", "16"),
        ("height", "16"),
        ("fill", "none"),
        ("stroke", "currentColor"),
        ("stroke-width", "2"),
        ("stroke-linecap", "round"),
        ("stroke-linejoin", "round"),
        ("aria-hidden", "true"),
        ("focusable", "false"),
    ] {
        svg.set_attribute(name, value)?;
    }
    for d in paths {
        let path = document().create_element_ns(Some(SVG), "path")?;
        path.set_attribute("d", d)?;
        svg.append_child(&path)?;
    }
    parent.append_child(&svg)?;
    Ok(svg)
}

/// A page-wide overlay host (dialog, toasts, busy screen, menu) under `<body>`, created if
/// missing; never deferred.
pub fn page_host(
    feature: &str,
    stylesheet: &[&str],
) -> Result<(Element, ShadowRoot, bool), JsValue> {
    let body = document()
        .body()
        .ok_or_else(|| JsValue::from_str("the page has no body"))?;
    if let Some(host) = existing_host(&body, Placement::Append, feature)? {
        if let Some(shadow) = host.shadow_root() {
            return Ok((host, shadow, false));
        }
        host.remove();
    }
    create_host(&body, Placement::Append, feature, stylesheet)
}

/// Removes a page-wide host, if present.
pub fn remove_page_host(feature: &str) -> Result<(), JsValue> {
    if let Some(host) =
        document().query_selector(&format!("body > [{HOST_ATTRIBUTE}=\"{feature}\"]"))?
    {
        host.remove();
    }
    Ok(())
}

/// Sets or removes a boolean attribute (`disabled`, `aria-busy`…) only when it differs.
pub fn set_flag(element: &Element, name: &str, on: bool) -> Result<(), JsValue> {
    match (on, element.has_attribute(name)) {
        (true, false) => element.set_attribute(
            name,
            if name.starts_with("aria-") {
                "true"
            } else {
                ""
            },
        ),
        (false, true) => element.remove_attribute(name),
        _ => Ok(()),
    }
}

/// Removes every overlay host from the page (teardown on navigation or stop).
pub fn remove_all_hosts() -> Result<(), JsValue> {
    let hosts = document().query_selector_all(&format!("[{HOST_ATTRIBUTE}]"))?;
    for index in 0..hosts.length() {
        if let Some(host) = hosts
            .item(index)
            .and_then(|node| node.dyn_into::<Element>().ok())
        {
            host.remove();
        }
    }
    Ok(())
}

/// Sets an attribute only when it differs, so re-scans cause no needless mutations.
pub fn set_attribute_if_changed(element: &Element, name: &str, value: &str) -> Result<(), JsValue> {
    if element.get_attribute(name).as_deref() != Some(value) {
        element.set_attribute(name, value)?;
    }
    Ok(())
}

/// Sets text only when it differs.
pub fn set_text_if_changed(element: &Element, text: &str) {
    if element.text_content().as_deref() != Some(text) {
        element.set_text_content(Some(text));
    }
}
