//! A list row's action menu (PRD §5.3), following the WAI-ARIA menu-button pattern: a
//! `role="menu"` of `menuitem`s chosen by `rules::switched_on(ListMenu, phase, switches)` (the
//! table less what the site profile turns off), opened on the first item, ↑/↓/Home/End to move,
//! Esc to close back to the button, Tab or a click outside to close. It lives in a fixed-position
//! page host, so the host's table can never clip it.

use super::BUTTON_STYLE;
use crate::dom;
use crate::overlay::Overlay;
use job_actions::jobs::rules::{switched_on, Action, Surface};
use job_actions::Phase;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlElement, ShadowRoot};

pub const FEATURE: &str = "menu";

thread_local! {
    /// What the open menu was built for: job, phase and whether actions were refused.
    static BUILT_FOR: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

const STYLE: &str = "
:host { all: initial; }
.menu { position: fixed; z-index: 2147483647; min-width: 180px; padding: 4px; border-radius: 8px; background: #fff;
  border: 1px solid #d0d7de; box-shadow: 0 8px 24px rgba(31,35,40,.2); display: flex; flex-direction: column; }
.menu button { border: 0; background: none; justify-content: flex-start; width: 100%; font-weight: 500; }
.menu button:hover, .menu button:focus { background: #f3f4f6; outline: none; }
.menu button:focus-visible { outline: 2px solid #0969da; outline-offset: -2px; }
.menu button.danger { color: #a40e26; }
.menu button[aria-disabled=true] { color: #8c959f; cursor: not-allowed; }
.refused { max-width: 240px; margin: 4px 8px; font: 12px/1.4 system-ui, sans-serif; color: #82071e; }
";

/// The selector of a row's menu button, to give focus back to.
pub fn toggle_selector(job_id: &str) -> String {
    format!(
        "[data-ja-action=\"menu-toggle\"]{}",
        dom::attribute_selector("data-ja-job", job_id)
    )
}

fn shadow() -> Option<ShadowRoot> {
    dom::document()
        .query_selector(&format!("body > [{}=\"{FEATURE}\"]", dom::HOST_ATTRIBUTE))
        .ok()
        .flatten()
        .and_then(|host| host.shadow_root())
}

pub fn is_open() -> bool {
    shadow().is_some()
}

/// A row's menu button element, inside its host's shadow root.
fn toggle_button(overlay: &Overlay, job_id: &str) -> Option<Element> {
    let row = overlay.row_of(job_id)?;
    let host = row
        .query_selector(&format!("[{}=\"row-menu\"]", dom::HOST_ATTRIBUTE))
        .ok()??;
    host.shadow_root()?.query_selector("[aria-haspopup]").ok()?
}

pub fn toggle(overlay: &Overlay, job_id: &str) {
    if overlay.menu_job.borrow().as_deref() == Some(job_id) {
        close(overlay, true);
    } else {
        open(overlay, job_id);
    }
}

pub fn open(overlay: &Overlay, job_id: &str) {
    *overlay.menu_job.borrow_mut() = Some(job_id.to_string());
    overlay.decorate();
    if let Some(first) = items().into_iter().next() {
        let _ = first.focus();
    }
}

/// Closes the open menu, if any; with `restore_focus`, focus goes back to its button.
pub fn close(overlay: &Overlay, restore_focus: bool) {
    let Some(job_id) = overlay.menu_job.borrow_mut().take() else {
        return;
    };
    overlay.decorate();
    if restore_focus {
        if let Some(button) = toggle_button(overlay, &job_id) {
            let _ = button.unchecked_ref::<HtmlElement>().focus();
        }
    }
}

fn items() -> Vec<HtmlElement> {
    let Some(shadow) = shadow() else {
        return Vec::new();
    };
    let Ok(list) = shadow.query_selector_all("[role=menuitem]") else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|index| list.item(index))
        .filter_map(|node| node.dyn_into::<HtmlElement>().ok())
        .collect()
}

/// Handles a key while the menu is open; returns whether it was the menu's.
pub fn keys(overlay: &Overlay, key: &str, _shift: bool) -> bool {
    let items = items();
    let Some(shadow) = shadow() else { return false };
    let active = shadow.active_element();
    let at = items
        .iter()
        .position(|item| active.as_ref() == Some(item.unchecked_ref::<Element>()));
    let last = items.len().saturating_sub(1);
    let target = match key {
        "ArrowDown" => at.map_or(0, |index| if index >= last { 0 } else { index + 1 }),
        "ArrowUp" => at.map_or(last, |index| if index == 0 { last } else { index - 1 }),
        "Home" => 0,
        "End" => last,
        "Escape" => {
            close(overlay, true);
            return true;
        }
        "Tab" => {
            close(overlay, false);
            return false;
        }
        _ => return false,
    };
    if let Some(item) = items.get(target) {
        let _ = item.focus();
    }
    true
}

/// Makes the page's menu match `overlay.menu_job`.
pub fn render(overlay: &Overlay) -> Result<(), JsValue> {
    let Some(job_id) = overlay.menu_job.borrow().clone() else {
        return dom::remove_page_host(FEATURE);
    };
    let Some(button) = toggle_button(overlay, &job_id) else {
        // The row went away (deleted, or the host re-rendered it out): nothing to anchor to.
        overlay.menu_job.borrow_mut().take();
        return dom::remove_page_host(FEATURE);
    };
    // What the API said of the job, never the page's own phase text: until the API answered,
    // only "View Details" (issue #20).
    let phase = overlay
        .store
        .borrow()
        .get(&job_id)
        .map(|job| job.phase.clone())
        .unwrap_or_else(|| Phase::Unknown(String::new()));
    let (_, shadow, _) = dom::page_host(FEATURE, &[BUTTON_STYLE, STYLE])?;
    let refused = crate::refusal::reason();
    // Rebuilt for another job or phase, or when the API refused actions since it was built (what
    // it was built for is kept here, not read from the page's DOM).
    let wanted = format!("{job_id}|{}|{}", phase.as_wire(), refused.is_some());
    let shown = shadow.query_selector(".menu")?;
    let current = shown.is_some() && BUILT_FOR.with(|built| *built.borrow() == wanted);
    if !current {
        BUILT_FOR.with(|built| *built.borrow_mut() = wanted);
        if overlay.store.borrow().get(&job_id).is_none() {
            crate::log::info(&format!(
                "job {job_id}: the API has not described it yet; its menu offers View Details \
                 only, whatever the page shows"
            ));
        }
        if let Some(old) = shadow.query_selector(".menu")? {
            old.remove();
        }
        build(&shadow, &button, &job_id, &phase, refused.as_deref())?;
    }
    if let Some(menu) = shadow.query_selector(".menu")? {
        place(&menu, &button)?;
    }
    Ok(())
}

/// Draws the menu for a job in `phase` into `shadow`, labelled like its `button`; with `refused`
/// (the API's reason), every action but the neutral ones is inert and the reason follows them.
fn build(
    shadow: &ShadowRoot,
    button: &Element,
    job_id: &str,
    phase: &Phase,
    refused: Option<&str>,
) -> Result<(), JsValue> {
    let title = button.get_attribute("aria-label").unwrap_or_default();
    let menu = dom::element("div", "menu")?;
    for (name, value) in [
        ("role", "menu"),
        ("aria-label", title.as_str()),
        ("data-testid", "row-menu"),
    ] {
        menu.set_attribute(name, value)?;
    }
    let switches = crate::route::active().profile.features;
    for action in switched_on(Surface::ListMenu, phase, switches) {
        item(&menu, action, job_id, refused.is_some())?;
    }
    if let Some(reason) = refused {
        crate::refusal::note(&menu, reason)?;
    }
    shadow.append_child(&menu)?;
    Ok(())
}

/// One `menuitem` for `action`; inert when the API refused actions.
fn item(menu: &Element, action: &Action, job_id: &str, refused: bool) -> Result<(), JsValue> {
    let neutral = action.intent == job_actions::jobs::rules::Intent::Neutral;
    let class = if neutral { "" } else { "danger" };
    let testid = format!("menu-item-{}", action.id);
    let item = dom::child(
        menu,
        "button",
        class,
        &[
            ("type", "button"),
            ("role", "menuitem"),
            ("tabindex", "-1"),
            ("data-item", action.id),
            ("data-testid", &testid),
        ],
        action.label,
    )?;
    crate::controls::register(&item, "menu-item", Some(job_id), Some(action.kind.name()))?;
    // Refused by the API (403): shown, but inert, with the reason as its description.
    if refused && !neutral {
        item.set_attribute("aria-disabled", "true")?;
        item.set_attribute("aria-describedby", crate::refusal::NOTE_ID)?;
    }
    Ok(())
}

/// Below the button, right-aligned to it; above it when it does not fit below (a row at the
/// bottom of the window), and kept inside the viewport: the menu is fixed, so a part of it off
/// the screen could not be scrolled to.
fn place(menu: &Element, button: &Element) -> Result<(), JsValue> {
    let rect = button.get_bounding_client_rect();
    let style = menu.unchecked_ref::<HtmlElement>().style();
    let (viewport_width, viewport_height) = dom::document()
        .document_element()
        .map_or((0, 0), |root| (root.client_width(), root.client_height()));
    let right = (f64::from(viewport_width) - rect.right()).max(8.0);
    let height = menu.get_bounding_client_rect().height();
    let bottom = f64::from(viewport_height) - 8.0;
    let below = rect.bottom() + 4.0;
    let above = rect.top() - 4.0 - height;
    let top = if below + height <= bottom {
        below
    } else if above >= 8.0 {
        above
    } else {
        (bottom - height).max(8.0)
    };
    style.set_property("top", &format!("{}px", top.round() as i32))?;
    style.set_property("right", &format!("{}px", right.round() as i32))?;
    Ok(())
}
