//! Small DOM helpers for building the overlay: every injected piece lives in an open shadow root
//! under a host element marked `data-job-actions="<feature>"`, so host CSS cannot restyle it, test
//! suites can still reach it, and teardown can find all of it. Text is only ever set with
//! `textContent`, never parsed as HTML.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, ShadowRoot, ShadowRootInit, ShadowRootMode};

/// The attribute every overlay host carries, valued with its feature id.
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

/// Where a decoration goes relative to its anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// The anchor's last child.
    Append,
    /// The anchor's next sibling.
    After,
}

/// A feature's host element next to `anchor` and its shadow root, created if missing. The
/// returned flag says whether it was just created.
pub fn ensure_host(
    anchor: &Element,
    placement: Placement,
    feature: &str,
    stylesheet: &str,
) -> Result<(Element, ShadowRoot, bool), JsValue> {
    if let Some(host) = existing_host(anchor, placement, feature)? {
        if let Some(shadow) = host.shadow_root() {
            return Ok((host, shadow, false));
        }
        host.remove();
    }
    let host = document().create_element("span")?;
    host.set_attribute(HOST_ATTRIBUTE, feature)?;
    let init = ShadowRootInit::new(ShadowRootMode::Open);
    let shadow = host.attach_shadow(&init)?;
    let style = document().create_element("style")?;
    style.set_text_content(Some(stylesheet));
    shadow.append_child(&style)?;
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

/// Creates `<tag>` with a class, for building shadow content.
pub fn element(tag: &str, class: &str) -> Result<Element, JsValue> {
    let element = document().create_element(tag)?;
    element.set_class_name(class);
    Ok(element)
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
