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

/// `[name="value"]` with the value escaped, for selectors built from data (job ids).
pub fn attribute_selector(name: &str, value: &str) -> String {
    let mut selector = format!("[{name}=\"");
    for c in value.chars() {
        match c {
            '"' | '\\' => {
                selector.push('\\');
                selector.push(c);
            }
            // Control characters cannot appear escaped-as-is in a CSS string: use a code point.
            c if c.is_control() => selector.push_str(&format!("\\{:x} ", c as u32)),
            c => selector.push(c),
        }
    }
    selector.push_str("\"]");
    selector
}

/// Creates `<tag>` with a class, for building shadow content.
pub fn element(tag: &str, class: &str) -> Result<Element, JsValue> {
    let element = document().create_element(tag)?;
    if !class.is_empty() {
        element.set_class_name(class);
    }
    Ok(element)
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

/// A page-wide overlay host (dialog, toasts, busy screen) under `<body>`, created if missing.
pub fn page_host(feature: &str, stylesheet: &str) -> Result<(Element, ShadowRoot, bool), JsValue> {
    let body = document()
        .body()
        .ok_or_else(|| JsValue::from_str("the page has no body"))?;
    ensure_host(&body, Placement::Append, feature, stylesheet)
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
