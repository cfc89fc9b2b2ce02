//! The overlay's hosts: every injected piece lives in an open shadow root under a host element
//! marked `data-job-actions="<feature>"`, so host CSS cannot restyle it, test suites can still
//! reach it, and teardown can find all of it. Also the pass's budget of hosts to create, so a
//! list of a thousand rows is decorated over a few short tasks.

use super::batch;
use super::done::Drawn;
use super::elements::document;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, ShadowRoot};

/// The attribute every overlay host carries, valued with its feature id. (Overlay controls name
/// their job with `data-ja-job`, never the host's own `data-job-id`, so page queries for rows
/// never match them.)
pub const HOST_ATTRIBUTE: &str = "data-job-actions";

thread_local! {
    /// One constructed stylesheet per feature, shared by all of its shadow roots: a list of a
    /// thousand rows parses each feature's CSS once instead of a thousand times.
    /// (Kept as the one-sheet array each shadow root adopts: the browser copies it.)
    static SHEETS: std::cell::RefCell<Vec<(String, js_sys::Array)>> = const { std::cell::RefCell::new(Vec::new()) };
    /// Every host this build made (a page cannot add to it, whatever it writes on an element).
    static MADE: js_sys::WeakSet = js_sys::WeakSet::new();
}

/// Runs `read` with the set of every host this build made.
pub fn with_hosts_made<T>(read: impl FnOnce(&js_sys::WeakSet) -> T) -> T {
    MADE.with(read)
}

/// The feature's shared constructed stylesheet, as the array a shadow root adopts (its `css`
/// parts are joined once, when the sheet is first built); none where constructed stylesheets
/// are unavailable (the host gets a `<style>` element instead).
fn stylesheets(feature: &str, css: &[&str]) -> Option<js_sys::Array> {
    let cached = SHEETS.with(|sheets| {
        sheets
            .borrow()
            .iter()
            .find(|(name, _)| name == feature)
            .map(|(_, sheets)| sheets.clone())
    });
    cached.or_else(|| {
        let sheet = web_sys::CssStyleSheet::new().ok()?;
        sheet.replace_sync(&css.concat()).ok()?;
        let sheets = js_sys::Array::of1(&sheet);
        SHEETS.with(|cache| {
            cache
                .borrow_mut()
                .push((feature.to_string(), sheets.clone()))
        });
        Some(sheets)
    })
}

pub use super::batch::Placement;

thread_local! {
    /// When the pass's time for creating hosts ends (`performance.now()`), and whether a host
    /// was left uncreated for it.
    static DEADLINE: std::cell::Cell<f64> = const { std::cell::Cell::new(f64::INFINITY) };
    static DEFERRED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static CREATED: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

thread_local! {
    /// The page's clock, looked up once: a pass reads it for every row it may create a host for.
    static PERFORMANCE: Option<web_sys::Performance> =
        web_sys::window().and_then(|window| window.performance());
}

fn now() -> f64 {
    PERFORMANCE.with(|performance| performance.as_ref().map_or(0.0, web_sys::Performance::now))
}

/// Starts a decoration pass that may create hosts for `budget_ms`: a list of a thousand rows is
/// decorated over a few tasks instead of one long one that would freeze the page. Every pass
/// creates at least one host, so a slow machine still gets on.
pub fn begin_pass(budget_ms: f64) {
    DEADLINE.with(|deadline| deadline.set(now() + budget_ms));
    DEFERRED.with(|deferred| deferred.set(false));
    CREATED.with(|created| created.set(0));
}

/// Ends a decoration pass: when it created every host it needed, those it and the passes before
/// it created go onto the page together (`batch`). Returns whether it left hosts uncreated for
/// lack of time (another pass should follow).
pub fn end_pass() -> Result<bool, JsValue> {
    DEADLINE.with(|deadline| deadline.set(f64::INFINITY));
    let deferred = DEFERRED.with(std::cell::Cell::get);
    if !deferred {
        batch::insert_waiting()?;
    }
    Ok(deferred)
}

/// Whether the pass's time for creating hosts is spent (it has created at least one): an element
/// that would need one is left to the next pass, which this schedules.
pub fn out_of_time() -> bool {
    if DEFERRED.with(std::cell::Cell::get) {
        return true;
    }
    let spent =
        CREATED.with(std::cell::Cell::get) > 0 && now() > DEADLINE.with(std::cell::Cell::get);
    if spent {
        DEFERRED.with(|deferred| deferred.set(true));
    }
    spent
}

fn take_creation() -> bool {
    if out_of_time() {
        return false;
    }
    CREATED.with(|created| created.set(created.get() + 1));
    true
}

/// A feature's host element next to `anchor` and its shadow root, created if missing. The flag
/// says whether it was just created; `None` means the pass's creation budget is spent and the
/// host will be created by the next pass.
pub fn ensure_host(
    anchor: &Element,
    placement: Placement,
    feature: &'static str,
    stylesheet: &[&str],
) -> Result<Option<(Element, ShadowRoot, bool)>, JsValue> {
    find_or_create(anchor, placement, feature, stylesheet, false)
}

/// `ensure_host`; a host created during a pass `batched` waits to go onto the page with the
/// others that pass and those before it created (`batch`).
fn find_or_create(
    anchor: &Element,
    placement: Placement,
    feature: &'static str,
    stylesheet: &[&str],
    batched: bool,
) -> Result<Option<(Element, ShadowRoot, bool)>, JsValue> {
    if let Some(host) = existing_host(anchor, placement, feature)? {
        if let Some(shadow) = host.shadow_root() {
            return Ok(Some((host, shadow, false)));
        }
        host.remove();
    }
    // One a pass before created and that waits to go there (an element no record names, such as
    // a job page's title, would otherwise get one more host from every pass until they go on).
    if let Some(host) = batched
        .then(|| batch::waiting_at(anchor, feature))
        .flatten()
    {
        if let Some(shadow) = host.shadow_root() {
            return Ok(Some((host, shadow, false)));
        }
    }
    if !take_creation() {
        return Ok(None);
    }
    let (host, shadow) = create_host(feature, stylesheet)?;
    // Outside a pass (none under way: no deadline) the host goes onto the page at once.
    if batched && DEADLINE.with(std::cell::Cell::get).is_finite() {
        batch::wait(anchor, &host, placement, feature);
    } else {
        batch::insert(anchor, &host, placement)?;
    }
    Ok(Some((host, shadow, true)))
}

/// A feature's host for a host-page element: the one its record (`drawn`) keeps, else the one
/// next to the anchor `anchor` finds, created there if missing; a host created during a pass
/// waits to go onto the page (`batch`; its record finds it meanwhile). `None`: no anchor, or
/// the pass's creation budget is spent (the next pass creates it).
pub fn host_over(
    drawn: Option<&Drawn>,
    anchor: &dyn Fn() -> Result<Option<Element>, JsValue>,
    placement: Placement,
    feature: &'static str,
    stylesheet: &[&str],
) -> Result<Option<(Element, ShadowRoot, bool)>, JsValue> {
    if let Some(drawn) = drawn {
        let host = drawn.host();
        if let Some(shadow) = host.shadow_root() {
            return Ok(Some((host, shadow, false)));
        }
    }
    match anchor()? {
        Some(anchor) => find_or_create(&anchor, placement, feature, stylesheet, true),
        None => Ok(None),
    }
}

/// A new host for `feature`, with its shadow root styled, not on the page yet.
fn create_host(
    feature: &'static str,
    stylesheet: &[&str],
) -> Result<(Element, ShadowRoot), JsValue> {
    let template = super::elements::template(feature, || {
        super::elements::element_with("span", "", &[(HOST_ATTRIBUTE, feature)])
    })?;
    let sheets = stylesheets(feature, stylesheet);
    let shadow = MADE.with(|made| make_host(&template, sheets.as_ref(), made))?;
    if sheets.is_none() {
        let style = document().create_element("style")?;
        style.set_text_content(Some(&stylesheet.concat()));
        shadow.append_child(&style)?;
    }
    Ok((shadow.host(), shadow))
}

fn existing_host(
    anchor: &Element,
    placement: Placement,
    feature: &'static str,
) -> Result<Option<Element>, JsValue> {
    let placement = match placement {
        Placement::Append => 0,
        Placement::After => 1,
        Placement::Before => 2,
    };
    Ok(host_next_to(
        anchor,
        placement,
        &super::names::fixed(HOST_ATTRIBUTE),
        &super::names::fixed(feature),
    ))
}

// A host made, its shadow root styled and the host counted as this build's, in one call; and the
// feature's host among an anchor's children (`Append`, 0) or beside it (`After` 1, `Before` 2).
// A list's pass makes two thousand hosts and looks for as many: one call each, where the steps
// were four, and a selector built and parsed for every row.
#[wasm_bindgen::prelude::wasm_bindgen(
    inline_js = "export function make_host(template, sheets, made) {
  const host = template.cloneNode(false);
  const shadow = host.attachShadow({ mode: 'open' });
  if (sheets) shadow.adoptedStyleSheets = sheets;
  made.add(host);
  return shadow;
}
export function host_next_to(anchor, placement, name, feature) {
  if (placement === 0) {
    for (let child = anchor.firstElementChild; child; child = child.nextElementSibling) {
      if (child.getAttribute(name) === feature) return child;
    }
    return undefined;
  }
  const next = placement === 1 ? anchor.nextElementSibling : anchor.previousElementSibling;
  return next && next.getAttribute(name) === feature ? next : undefined;
}"
)]
extern "C" {
    #[wasm_bindgen(catch)]
    fn make_host(
        template: &Element,
        sheets: Option<&js_sys::Array>,
        made: &js_sys::WeakSet,
    ) -> Result<ShadowRoot, JsValue>;
    fn host_next_to(
        anchor: &Element,
        placement: u8,
        name: &JsValue,
        feature: &JsValue,
    ) -> Option<Element>;
}

/// Removes a feature's host next to `anchor`, if present.
pub fn remove_host(
    anchor: &Element,
    placement: Placement,
    feature: &'static str,
) -> Result<(), JsValue> {
    if let Some(host) = existing_host(anchor, placement, feature)? {
        host.remove();
    }
    Ok(())
}

/// A page-wide overlay host (dialog, toasts, busy screen, menu) under `<body>`, created if
/// missing; never deferred.
pub fn page_host(
    feature: &'static str,
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
    let (host, shadow) = create_host(feature, stylesheet)?;
    body.append_child(&host)?;
    Ok((host, shadow, true))
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

/// Removes every overlay host from the page, and forgets those waiting to go onto it (teardown
/// on navigation or stop).
pub fn remove_all_hosts() -> Result<(), JsValue> {
    batch::drop_waiting();
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

/// The shadow roots of the overlay's hosts under `root`, in document order (focus going back to
/// a control).
#[cfg(feature = "actions")]
pub fn host_shadows(root: &Element) -> Vec<ShadowRoot> {
    let Ok(hosts) = root.query_selector_all(&format!("[{HOST_ATTRIBUTE}]")) else {
        return Vec::new();
    };
    (0..hosts.length())
        .filter_map(|index| hosts.item(index)?.dyn_into::<Element>().ok()?.shadow_root())
        .collect()
}
