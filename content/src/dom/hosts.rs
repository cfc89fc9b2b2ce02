//! The overlay's hosts: every injected piece lives in an open shadow root under a host element
//! marked `data-job-actions="<feature>"`, so host CSS cannot restyle it, test suites can still
//! reach it, and teardown can find all of it. Also the pass's budget of hosts to create, so a
//! list of a thousand rows is decorated over several short tasks.

use super::elements::document;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, ShadowRoot, ShadowRootInit, ShadowRootMode};

/// The attribute every overlay host carries, valued with its feature id. (Overlay controls name
/// their job with `data-ja-job`, never the host's own `data-job-id`, so page queries for rows
/// never match them.)
pub const HOST_ATTRIBUTE: &str = "data-job-actions";

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
    /// The anchor's previous sibling (a control that heads a list).
    Before,
}

thread_local! {
    static CREATIONS_LEFT: std::cell::Cell<u32> = const { std::cell::Cell::new(u32::MAX) };
    static DEFERRED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
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
        Placement::Before => anchor.before_with_node_1(&host)?,
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
        Placement::Before => anchor.previous_element_sibling().filter(is_ours),
    })
}

/// Removes a feature's host next to `anchor`, if present.
pub fn remove_host(anchor: &Element, placement: Placement, feature: &str) -> Result<(), JsValue> {
    if let Some(host) = existing_host(anchor, placement, feature)? {
        host.remove();
    }
    Ok(())
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
