//! Building shadow content: the page's document and root, elements with their class, attributes
//! and text, icons, and setters that touch the DOM only when a value changed (a re-scan that
//! finds nothing new causes no mutation, so it neither wakes the page's observers nor moves focus).
//! Text is only ever set with `textContent`, never parsed as HTML.

use super::names;
use wasm_bindgen::JsValue;
use web_sys::{Document, Element, ShadowRoot};

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

/// Per-feature `WeakMap`s, each made when its feature first asks.
pub(super) type FeatureMaps = std::cell::RefCell<Vec<(&'static str, js_sys::WeakMap)>>;

/// `feature`'s map in `maps`.
pub(super) fn feature_map(maps: &FeatureMaps, feature: &'static str) -> js_sys::WeakMap {
    let mut maps = maps.borrow_mut();
    if let Some((_, map)) = maps.iter().find(|(name, _)| *name == feature) {
        return map.clone();
    }
    let map = js_sys::WeakMap::new();
    maps.push((feature, map.clone()));
    map
}

thread_local! {
    /// Shadow content built once and cloned for every host after (`cloned`).
    static TEMPLATES: std::cell::RefCell<Vec<(&'static str, Element)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A copy of the element `key` names, built by `build` the first time and cloned after: a list
/// of a thousand rows pays one call per row for a control instead of one per element and
/// attribute. Only what every copy shares goes into it (never a row's job or title). Keys are a
/// feature's id for its host, and "<feature id> <selector>" for a part of its shadow content.
pub fn cloned(
    key: &'static str,
    build: impl FnOnce() -> Result<Element, JsValue>,
) -> Result<Element, JsValue> {
    Ok(wasm_bindgen::JsCast::unchecked_into(
        template(key, build)?.clone_node_with_deep(true)?,
    ))
}

/// The element `key` names, built by `build` the first time (`cloned` copies it).
pub fn template(
    key: &'static str,
    build: impl FnOnce() -> Result<Element, JsValue>,
) -> Result<Element, JsValue> {
    let cached = TEMPLATES.with(|templates| {
        templates
            .borrow()
            .iter()
            .find(|(name, _)| *name == key)
            .map(|(_, template)| template.clone())
    });
    match cached {
        Some(template) => Ok(template),
        None => {
            let template = build()?;
            TEMPLATES.with(|templates| templates.borrow_mut().push((key, template.clone())));
            Ok(template)
        }
    }
}

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

/// Creates `<tag>` with a class and attributes.
pub fn element_with(
    tag: &str,
    class: &str,
    attributes: &[(&str, &str)],
) -> Result<Element, JsValue> {
    let element = element(tag, class)?;
    for (name, value) in attributes {
        element.set_attribute(name, value)?;
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
    let element = element_with(tag, class, attributes)?;
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

/// Sets or removes a boolean attribute (`disabled`, `aria-busy`…) only when it differs.
pub fn set_flag(element: &Element, name: &'static str, on: bool) -> Result<(), JsValue> {
    if on != names::has_attribute(element, name) {
        return flip(element, name, on);
    }
    Ok(())
}

/// Sets a boolean attribute (`"true"` for an ARIA state, empty for others), or removes it.
fn flip(element: &Element, name: &'static str, on: bool) -> Result<(), JsValue> {
    if !on {
        names::remove_attribute(element, name);
        return Ok(());
    }
    let value = if name.starts_with("aria-") {
        "true"
    } else {
        ""
    };
    names::set_fixed_attribute(element, name, value)
}

/// Sets an attribute only when it differs, so re-scans cause no needless mutations.
pub fn set_attribute_if_changed(
    element: &Element,
    name: &'static str,
    value: &str,
) -> Result<(), JsValue> {
    if names::get_attribute(element, name).as_deref() != Some(value) {
        names::set_attribute(element, name, value)?;
    }
    Ok(())
}

/// How a pass writes one aspect of a part (the attributes and text that show one piece of the
/// element's state): the record says what each aspect was last written for, so a redraw writes
/// only what changed, and without reading it back first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Write {
    /// Unchanged since the record was made: nothing to write.
    Skip,
    /// Write: the part is new, or the record says what it shows.
    Blind,
    /// Read, and write what differs: a host drawn before any record (its content is unknown).
    Compare,
}

/// Sets an attribute as `write` says (`done::write_mode`).
pub fn write_attribute(
    element: &Element,
    name: &'static str,
    value: &str,
    write: Write,
) -> Result<(), JsValue> {
    match write {
        Write::Skip => Ok(()),
        Write::Blind => names::set_attribute(element, name, value),
        Write::Compare => set_attribute_if_changed(element, name, value),
    }
}

/// `write_attribute` for a value many elements share (a state's name, a phase's variant).
pub fn write_fixed_attribute(
    element: &Element,
    name: &'static str,
    value: &'static str,
    write: Write,
) -> Result<(), JsValue> {
    match write {
        Write::Blind => names::set_fixed_attribute(element, name, value),
        _ => write_attribute(element, name, value, write),
    }
}

/// A boolean attribute (`set_flag`) as `write` says: written unread when the record says what
/// it shows.
pub fn write_flag(
    element: &Element,
    name: &'static str,
    on: bool,
    write: Write,
) -> Result<(), JsValue> {
    match write {
        Write::Skip => Ok(()),
        Write::Blind => flip(element, name, on),
        Write::Compare => set_flag(element, name, on),
    }
}

/// Sets text as `write` says (`done::write_mode`).
pub fn write_text(element: &Element, text: &str, write: Write) {
    match write {
        Write::Skip => {}
        Write::Blind => element.set_text_content(Some(text)),
        Write::Compare => set_text_if_changed(element, text),
    }
}

/// Sets text only when it differs.
pub fn set_text_if_changed(element: &Element, text: &str) {
    if element.text_content().as_deref() != Some(text) {
        element.set_text_content(Some(text));
    }
}
