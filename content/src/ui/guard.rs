//! What stands between a page and the dialog's confirm button (issue #20). The dialog lives in an
//! open shadow root in the page's DOM (so test tools reach it), which a page can restyle, cover,
//! rewrite or focus. So a confirmation counts only when `job_actions::jobs::confirm_guard` says yes:
//! the dialog has been on screen — its host and every ancestor fully opaque and unfiltered, its
//! panel inside the viewport and on top at its corners, title and confirm button, its content as
//! the extension drew it, and where the browser has IntersectionObserver v2, judged visible by
//! the browser itself — for half a second without a break, and the gesture was the user's: a
//! press that went down on the confirm button after that, or a key on a control the user (or the
//! extension) focused. While the dialog is not armed its confirm button is disabled.
//!
//! Sampled every 100 ms while a dialog is open, and once more at the moment of confirming. This
//! file keeps the drawn dialog's state, the sampling, the browser's own visibility verdict and the
//! user's gestures; `screen.rs` the checks of styles and hit tests.

mod screen;

use crate::{controls, log, overlay};
use job_actions::jobs::confirm_guard::{ConfirmGuard, Refusal, SAMPLE_MS};
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;
use web_sys::{Element, ShadowRoot};

/// An IntersectionObserver v2 and the callback it calls.
type Observer = (JsValue, Closure<dyn FnMut(js_sys::Array)>);

/// The open dialog as the extension drew it.
struct Drawn {
    host: Element,
    shadow: ShadowRoot,
    guard: ConfirmGuard,
    /// The number of elements and the text of the shadow root after the extension last wrote
    /// to it: anything else means the page changed it.
    snapshot: Snapshot,
    /// When the press now under way went down on the confirm button (`None`: elsewhere).
    pressed_at: Option<f64>,
    /// Whether the control that has focus in the dialog got it from the user or the extension.
    focused_by_user: bool,
    /// Since when IntersectionObserver v2 has said the dialog is not visible (`None`: it says
    /// it is, or the browser does not have it).
    browser_hides_since: Option<f64>,
    observer: Option<Observer>,
    /// Hears focus move inside the dialog (a document listener does not: focus that moves
    /// within one shadow root never leaves it as an event).
    on_focus: Option<Closure<dyn FnMut()>>,
}

impl Drop for Drawn {
    fn drop(&mut self) {
        // A dialog drawn again keeps its shadow root: the old listener must not outlive its closure.
        if let Some(on_focus) = &self.on_focus {
            let _ = self
                .shadow
                .remove_event_listener_with_callback("focusin", on_focus.as_ref().unchecked_ref());
        }
        if let Some((observer, _)) = &self.observer {
            if let Ok(disconnect) = js_sys::Reflect::get(observer, &"disconnect".into()) {
                let _ = disconnect
                    .unchecked_ref::<js_sys::Function>()
                    .call0(observer);
            }
        }
    }
}

thread_local! {
    static DRAWN: RefCell<Option<Drawn>> = const { RefCell::new(None) };
    /// Numbers each dialog, so a sampling loop knows when its dialog is gone.
    static GENERATION: Cell<u32> = const { Cell::new(0) };
    /// A trusted Tab or press is being handled: focus that moves now moves because of the user.
    static USER_MOVES_FOCUS: Cell<bool> = const { Cell::new(false) };
}

/// How long IntersectionObserver v2 must keep saying "hidden" before it counts.
const BROWSER_HIDDEN_MS: f64 = 250.0;

fn now() -> f64 {
    js_sys::Date::now()
}

fn with_drawn<T>(body: impl FnOnce(&mut Drawn) -> T) -> Option<T> {
    DRAWN.with(|drawn| drawn.borrow_mut().as_mut().map(body))
}

/// A dialog was just built in `shadow` (a new one, or drawn again): its clock starts afresh.
pub fn built(host: Element, shadow: ShadowRoot) {
    let generation = GENERATION.with(|generation| {
        generation.set(generation.get().wrapping_add(1));
        generation.get()
    });
    let observer = shadow
        .query_selector(".dialog")
        .ok()
        .flatten()
        .and_then(|panel| observe_visibility(&panel));
    let on_focus = Closure::<dyn FnMut()>::new(focused);
    let on_focus = shadow
        .add_event_listener_with_callback("focusin", on_focus.as_ref().unchecked_ref())
        .ok()
        .map(|()| on_focus);
    DRAWN.with(|drawn| {
        *drawn.borrow_mut() = Some(Drawn {
            snapshot: snapshot(&shadow),
            host,
            shadow,
            guard: ConfirmGuard::new(),
            pressed_at: None,
            focused_by_user: false,
            browser_hides_since: None,
            observer,
            on_focus,
        })
    });
    sample_later(generation);
}

/// The extension finished writing to the dialog: what it shows now is what it drew.
pub fn rendered(shadow: &ShadowRoot) {
    let taken = snapshot(shadow);
    with_drawn(|drawn| drawn.snapshot = taken);
}

/// The dialog closed.
pub fn closed() {
    DRAWN.with(|drawn| drawn.borrow_mut().take());
}

/// Whether the dialog still shows exactly what the extension drew.
pub fn intact(shadow: &ShadowRoot) -> bool {
    let now = snapshot(shadow);
    with_drawn(|drawn| drawn.snapshot == now).unwrap_or(false)
}

/// Whether the confirm button may be offered now.
pub fn armed() -> bool {
    with_drawn(|drawn| drawn.guard.armed(now())).unwrap_or(false)
}

/// What the page could change in an open shadow root: its elements, inline styles, style
/// sheets (and their rules) and text.
type Snapshot = ([u32; 4], String);

fn snapshot(shadow: &ShadowRoot) -> Snapshot {
    let count = |selector: &str| {
        shadow
            .query_selector_all(selector)
            .map_or(0, |elements| elements.length())
    };
    let sheets = shadow.adopted_style_sheets();
    let rules = sheets
        .iter()
        .filter_map(|sheet| sheet.dyn_into::<web_sys::CssStyleSheet>().ok())
        .map(|sheet| sheet.css_rules().map_or(0, |rules| rules.length()))
        .sum();
    (
        [count("*"), count("[style]"), sheets.length(), rules],
        shadow.text_content().unwrap_or_default(),
    )
}

fn sample_later(generation: u32) {
    crate::browser::after(SAMPLE_MS, move || {
        if GENERATION.with(Cell::get) != generation {
            return;
        }
        let Some(redraw) = with_drawn(|drawn| {
            let was_hidden = drawn.guard.hidden_because().is_some();
            // Rewritten (a style or an element added, text changed): drawn again as it should be.
            let rewritten = snapshot(&drawn.shadow) != drawn.snapshot;
            let sample = if rewritten {
                Err(REWRITTEN.into())
            } else {
                on_screen(drawn)
            };
            if let (Err(why), false) = (&sample, was_hidden) {
                log::warn(&format!(
                    "the dialog is not fully visible ({why}): its confirm button waits until it \
                     has been for 0.5 s"
                ));
            }
            drawn.guard.observe(sample, now()) || rewritten
        }) else {
            return;
        };
        if redraw {
            // The confirm button's state follows (and a dialog the page rewrote is drawn again).
            if let Some(overlay) = overlay::current() {
                overlay.decorate();
            }
        }
        sample_later(generation);
    });
}

/// A trusted `mousedown`: whether it went down on the armed dialog's confirm button.
pub fn pressed(event: &web_sys::Event) {
    let on_confirm = controls::control(event).is_some_and(|(element, control)| {
        control.action == "dialog-confirm" && inside(event, &element)
    });
    with_drawn(|drawn| drawn.pressed_at = on_confirm.then(now));
    user_moves_focus(event);
}

/// Whether the pointer of `event` is inside `element`'s box (a page cannot stretch a control by
/// putting its own element inside it).
fn inside(event: &web_sys::Event, element: &Element) -> bool {
    let Some(mouse) = event.dyn_ref::<web_sys::MouseEvent>() else {
        return false;
    };
    let rect = element.get_bounding_client_rect();
    let (x, y) = (f64::from(mouse.client_x()), f64::from(mouse.client_y()));
    x >= rect.left() && x <= rect.right() && y >= rect.top() && y <= rect.bottom()
}

/// A trusted Tab or press: focus that moves before this task ends moves because of the user.
pub fn user_moves_focus(event: &web_sys::Event) {
    if event.is_trusted() {
        USER_MOVES_FOCUS.with(|flag| flag.set(true));
        crate::browser::after(0, || USER_MOVES_FOCUS.with(|flag| flag.set(false)));
    }
}

/// Moves focus for the extension itself (the dialog's first focus).
pub fn focus_for_user(element: &web_sys::HtmlElement) {
    USER_MOVES_FOCUS.with(|flag| flag.set(true));
    let _ = element.focus();
    USER_MOVES_FOCUS.with(|flag| flag.set(false));
}

/// Focus arrived on a control in the dialog: from the user, the extension, or the page.
fn focused() {
    let by_user = USER_MOVES_FOCUS.with(Cell::get);
    with_drawn(|drawn| drawn.focused_by_user = by_user);
}

/// Whether a click (pointer) confirmation counts; a refusal is logged.
pub fn confirm_by_pointer() -> bool {
    decide(|drawn, sample, at| drawn.guard.pointer(drawn.pressed_at, sample, at))
}

/// Whether a key confirmation (Enter, Space) counts; a refusal is logged.
pub fn confirm_by_key() -> bool {
    decide(|drawn, sample, at| {
        let by_user = drawn.focused_by_user;
        drawn.guard.key(by_user, sample, at)
    })
}

fn decide(rule: impl FnOnce(&mut Drawn, Result<(), String>, f64) -> Result<(), Refusal>) -> bool {
    let verdict = with_drawn(|drawn| {
        let sample = sample(drawn);
        rule(drawn, sample, now())
    })
    .unwrap_or_else(|| Err(Refusal::NotVisible("no dialog is drawn".into())));
    match verdict {
        Ok(()) => true,
        Err(refusal) => {
            log::warn(&refusal.describe());
            false
        }
    }
}

/// What a sample says when the dialog is not as the extension drew it.
const REWRITTEN: &str = "the page changed the dialog's content";

/// Whether the dialog is as drawn and fully visible now, or what is wrong.
fn sample(drawn: &Drawn) -> Result<(), String> {
    if snapshot(&drawn.shadow) != drawn.snapshot {
        return Err(REWRITTEN.into());
    }
    on_screen(drawn)
}

/// Whether the dialog, as drawn, is fully visible now, or what hides it.
fn on_screen(drawn: &Drawn) -> Result<(), String> {
    screen::on_screen(&drawn.shadow, &drawn.host)?;
    // Last, what only the browser can see: something painted over the dialog that lets clicks
    // through (`pointer-events: none` hides it from the hit tests above).
    // It re-judges after every layout change (an error line growing the dialog) and can say
    // "hidden" for a moment then; a cover stays.
    if drawn
        .browser_hides_since
        .is_some_and(|since| now() - since >= BROWSER_HIDDEN_MS)
    {
        return Err("the browser reports it hidden, covered or transformed".into());
    }
    Ok(())
}

/// Where the browser has IntersectionObserver v2 (Chromium), it reports whether the panel is
/// visible as drawn — opacity, filters, transforms and anything painted over it, even with
/// `pointer-events: none`, which a hit test cannot see.
fn observe_visibility(panel: &Element) -> Option<Observer> {
    let constructor = js_sys::Reflect::get(&js_sys::global(), &"IntersectionObserver".into())
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(|entries: js_sys::Array| {
        let Some(entry) = entries.iter().last() else {
            return;
        };
        if let Some(visible) = js_sys::Reflect::get(&entry, &"isVisible".into())
            .ok()
            .and_then(|value| value.as_bool())
        {
            with_drawn(|drawn| {
                drawn.browser_hides_since = if visible {
                    None
                } else {
                    drawn.browser_hides_since.or(Some(now()))
                }
            });
        }
    });
    let options = js_sys::Object::new();
    for (name, value) in [
        ("trackVisibility", JsValue::TRUE),
        ("delay", JsValue::from(100)),
    ] {
        js_sys::Reflect::set(&options, &name.into(), &value).ok()?;
    }
    let observer = js_sys::Reflect::construct(
        &constructor,
        &js_sys::Array::of2(callback.as_ref(), &options),
    )
    .ok()?;
    let observe = js_sys::Reflect::get(&observer, &"observe".into())
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    observe.call1(&observer, panel).ok()?;
    Some((observer, callback))
}
