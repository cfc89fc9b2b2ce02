//! Which overlay control an event is for. Both builds read events through this: the one every
//! page loads (`first_use.rs`, which only notices the first use) and the one with the actions
//! (`events.rs`).

use crate::{dom, log};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use web_sys::Element;

/// A document listener with its event name.
pub type DocumentListener = (&'static str, Closure<dyn FnMut(web_sys::Event)>);

/// An event name and what handles it.
pub type Handler = (&'static str, fn(web_sys::Event));

/// Adds each handler as a capture-phase listener of the document (the overlay's controls live in
/// shadow roots: the document sees their events first). Returns the listeners: dropping one
/// would break it, so keep them to remove later, or forget them for the page's life.
pub fn listen_on_document(handlers: &[Handler]) -> Result<Vec<DocumentListener>, JsValue> {
    let document = dom::document();
    let mut listeners = Vec::with_capacity(handlers.len());
    for &(name, handler) in handlers {
        let closure = Closure::<dyn FnMut(web_sys::Event)>::new(handler);
        document.add_event_listener_with_callback_and_bool(
            name,
            closure.as_ref().unchecked_ref(),
            true,
        )?;
        listeners.push((name, closure));
    }
    Ok(listeners)
}

/// An overlay control as the extension drew it: what it does and, for a row's controls, which
/// job and which menu item. Kept in a registry only this content script can see (a `WeakMap` of
/// the isolated world, from the element the extension created): a page can copy the markup,
/// flip `data-ja-*` attributes or `aria-disabled`, or build its own host with an open shadow
/// root, and none of it is read as what a control does (issue #20).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Control {
    /// `open-cancel`, `menu-item`, `dialog-confirm`… (also written to `data-ja-action` for
    /// styles, focus return and test tools — never read back).
    pub action: String,
    /// The row's job, for a row's menu button and its menu items.
    pub job: Option<String>,
    /// The menu item (`rules::Action::id`).
    pub item: Option<String>,
}

thread_local! {
    /// Element → `[action, job, item]`, for every control this content script created. The
    /// page-wide build hands it over to the actions build with the page (`hand_over`).
    static REGISTRY: RefCell<js_sys::WeakMap> = RefCell::new(js_sys::WeakMap::new());
}

/// Records `element` as a control that does `action` (for `job`, `item`) and writes the
/// `data-ja-action` hook. Called once per control, when the extension creates it, and again when
/// a reused control changes job.
pub fn register(
    element: &Element,
    action: &str,
    job: Option<&str>,
    item: Option<&str>,
) -> Result<(), JsValue> {
    hooks(
        element,
        &action.into(),
        action,
        job,
        item,
        dom::Write::Compare,
    )
}

/// `register`, its hooks written as `write` says (`dom::write_mode`): a row's control is
/// registered when it is made or changes job, not on every redraw of its row.
pub fn register_as(
    element: &Element,
    action: &'static str,
    job: Option<&str>,
    item: Option<&str>,
    write: dom::Write,
) -> Result<(), JsValue> {
    match write {
        dom::Write::Skip => Ok(()),
        dom::Write::Blind => {
            let registry = REGISTRY.with(|registry| registry.borrow().clone());
            register_new(&registry, element, &dom::fixed(action), job, item);
            Ok(())
        }
        dom::Write::Compare => hooks(element, &dom::fixed(action), action, job, item, write),
    }
}

// `register_as` for a control just made (its hooks written unread), in one call: a list's pass
// registers two thousand, and each was five imports with its job copied twice.
#[wasm_bindgen::prelude::wasm_bindgen(
    inline_js = "export function register_new(registry, element, action, job, item) {
  registry.set(element, [action, job, item]);
  element.setAttribute('data-ja-action', action);
  if (job !== undefined) element.setAttribute('data-ja-job', job);
}"
)]
extern "C" {
    fn register_new(
        registry: &js_sys::WeakMap,
        element: &Element,
        action: &JsValue,
        job: Option<&str>,
        item: Option<&str>,
    );
}

/// Keeps what `element` does where the page cannot write (`action_js` is `action` as a
/// JavaScript string), and writes its hooks as `write` says.
fn hooks(
    element: &Element,
    action_js: &JsValue,
    action: &str,
    job: Option<&str>,
    item: Option<&str>,
    write: dom::Write,
) -> Result<(), JsValue> {
    let text = |value: Option<&str>| value.map_or(JsValue::UNDEFINED, JsValue::from_str);
    let record = js_sys::Array::of3(action_js, &text(job), &text(item));
    REGISTRY.with(|registry| registry.borrow().set(element, &record));
    dom::write_attribute(element, "data-ja-action", action, write)?;
    match job {
        Some(job) => dom::write_attribute(element, "data-ja-job", job, write),
        None => Ok(()),
    }
}

/// What the extension drew `element` as, if it did.
pub fn registered(element: &Element) -> Option<Control> {
    let record = REGISTRY.with(|registry| registry.borrow().get(element));
    let record = record.dyn_into::<js_sys::Array>().ok()?;
    Some(Control {
        action: record.get(0).as_string()?,
        job: record.get(1).as_string(),
        item: record.get(2).as_string(),
    })
}

/// The registry, for the hand-over to the actions build.
#[cfg(not(feature = "actions"))]
pub fn registry() -> JsValue {
    REGISTRY.with(|registry| registry.borrow().clone().into())
}

/// Takes over the page-wide build's registry: the controls it drew stay controls.
#[cfg(feature = "actions")]
pub fn adopt_registry(handed: &JsValue) {
    if let Some(map) = handed.dyn_ref::<js_sys::WeakMap>() {
        REGISTRY.with(|registry| *registry.borrow_mut() = map.clone());
    }
}

/// The overlay control a trusted event started on: the first element of its composed path that
/// the extension registered as one (`register`), with what it does. An element that only looks
/// like one — a `data-ja-action` the extension did not draw — is no control; a click or key on
/// it leaves a console line.
pub fn control(event: &web_sys::Event) -> Option<(Element, Control)> {
    if !event.is_trusted() {
        return None;
    }
    let path = event.composed_path();
    for index in 0..path.length() {
        let Ok(element) = path.get(index).dyn_into::<Element>() else {
            continue;
        };
        if let Some(control) = registered(&element) {
            let attribute = |name: &str| element.get_attribute(name);
            let rewritten = attribute("data-ja-action").as_deref() != Some(&control.action)
                || (control.job.is_some() && attribute("data-ja-job") != control.job)
                || (control.item.is_some() && attribute("data-item") != control.item);
            if rewritten && matches!(event.type_().as_str(), "click" | "keydown") {
                log::warn(
                    "the page rewrote an overlay control's attributes: acting on what the \
                     extension drew, not on them",
                );
            }
            return Some((element, control));
        }
        if let Some(action) = element.get_attribute("data-ja-action") {
            if matches!(event.type_().as_str(), "click" | "keydown") {
                log::warn(&format!(
                    "ignored a {} on an element the page made to look like an overlay control \
                     (data-ja-action=\"{action}\"): only controls the extension drew act",
                    event.type_()
                ));
            }
            return None;
        }
    }
    None
}

/// The controls a host's re-render draws again (a row's, a job page's): a press can begin on
/// one and end on its twin. A dialog's are the overlay's own, and its confirm needs the guard.
pub(crate) fn redrawn_by_host(action: &str) -> bool {
    matches!(action, "select" | "menu-toggle") || action.starts_with("open-")
}

thread_local! {
    /// The row control a primary-button press went down on, until the release.
    static PRESSED: RefCell<Option<Element>> = const { RefCell::new(None) };
}

/// The control a press went down on and is not released yet, for the hand-over to the actions
/// build: the release may come after it took over.
#[cfg(not(feature = "actions"))]
pub fn pressed() -> JsValue {
    PRESSED.with(|kept| kept.borrow().clone().map(JsValue::from).unwrap_or_default())
}

/// Takes over the page-wide build's press (`pressed`).
#[cfg(feature = "actions")]
pub fn adopt_press(handed: JsValue) {
    PRESSED.with(|kept| *kept.borrow_mut() = handed.dyn_into::<Element>().ok());
}

/// A trusted press: remembers the row control a primary-button press went down on.
pub fn press_began(event: &web_sys::Event) {
    let primary = event
        .dyn_ref::<web_sys::MouseEvent>()
        .is_some_and(|press| press.button() == 0);
    let pressed = control(event)
        .filter(|(_, control)| primary && redrawn_by_host(&control.action))
        .map(|(element, _)| element);
    PRESSED.with(|kept| *kept.borrow_mut() = pressed);
}

/// A release that is the click: the press went down on a row's control, the host then drew the
/// row again (that control left the page) and the release is on the same control in the new row
/// (the same action for the same job). The browser clicks neither: Chromium and Firefox send no
/// click when the pressed element has left the page (ARCHITECTURE.md, "A press the host redraws").
pub fn released_on_twin(event: &web_sys::Event) -> Option<(Element, Control)> {
    let down = PRESSED.with(|kept| kept.borrow_mut().take())?;
    if down.is_connected() {
        return None;
    }
    let pressed = registered(&down)?;
    control(event).filter(|(_, control)| *control == pressed)
}

/// Whether a click (or a release taken as one) was made with Shift: a checkbox's range.
pub fn with_shift(event: &web_sys::Event) -> bool {
    event
        .dyn_ref::<web_sys::MouseEvent>()
        .is_some_and(web_sys::MouseEvent::shift_key)
}

/// A toast's close button: removes its toast (both builds show toasts).
pub fn dismiss_toast(element: &Element) {
    if let Ok(Some(toast)) = element.closest(".toast") {
        toast.remove();
    }
}

/// The console line when a first use is dropped: it was made on a route the page has left while
/// the actions build loaded (carried out, it would act on the job the page shows now).
pub const FIRST_USE_DROPPED: &str =
    "the first use was made before the page's route changed: not carried out on the new route";

/// A use the page-wide build saw before the actions build ran, for that build to carry out when
/// it takes over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirstUse {
    /// A click (or Enter/Space) on a control.
    Click,
    /// A click with Shift (a checkbox's range).
    RangeClick,
    /// ↓ on a row's menu button: open its menu on the first item.
    ArrowDown,
}

impl FirstUse {
    const NAMES: [(FirstUse, &'static str); 3] = [
        (FirstUse::Click, "click"),
        (FirstUse::RangeClick, "shift-click"),
        (FirstUse::ArrowDown, "arrow-down"),
    ];

    #[cfg(not(feature = "actions"))]
    pub fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(kind, _)| *kind == self)
            .map_or("click", |(_, name)| name)
    }

    #[cfg(feature = "actions")]
    pub fn from_name(name: &str) -> Option<FirstUse> {
        Self::NAMES
            .iter()
            .find(|(_, known)| *known == name)
            .map(|(kind, _)| *kind)
    }
}
