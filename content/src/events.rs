//! The overlay's document listeners: one each for `click`, `keydown`, `input`, `mousedown` and
//! `mouseup`, installed once per page (the dialog's guard also hears `focusin` on the dialog
//! itself). They act only on trusted events on one of the controls the extension drew
//! (`controls::register`; what a control does is read from that registry, never from the page's
//! attributes), so nothing is attached per element and nothing leaks when the host page
//! re-renders: a press the host redraws under the pointer still counts
//! (`controls::released_on_twin`). A confirmation also passes the dialog's guard (`ui/guard.rs`),
//! which `mousedown` feeds; an open dialog's keys and buttons are `dialog_events.rs`.

use crate::actions::dispatch;
use crate::bulk;
use crate::controls::{self, control, dismiss_toast, listen_on_document, Control, FirstUse};
use crate::dialog_events::{dialog_changed, dialog_keys, on_dialog_job, stop};
use crate::overlay::{self, Overlay};
use crate::ui::{dialog, guard, menu, toast};
use crate::{dom, log, selectors};
use job_actions::jobs::bulk::BulkKind;
use job_actions::jobs::flow::Event;
use job_actions::jobs::rules::ActionKind;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlElement, HtmlTextAreaElement, KeyboardEvent};

pub fn install() -> Result<(), JsValue> {
    let listeners = listen_on_document(&[
        ("click", on_click),
        ("keydown", on_keydown),
        ("input", on_input),
        ("mousedown", on_press),
        ("mouseup", on_release),
        ("focusin", on_focus),
    ])?;
    // They listen for the page's life.
    std::mem::forget(listeners);
    Ok(())
}

fn with_overlay(body: impl FnOnce(Rc<Overlay>)) {
    if let Some(overlay) = overlay::current() {
        body(overlay);
    }
}

/// Opens a job's cancel or delete dialog, remembering which control to give focus back to. Only
/// for a job the API described: what a user may do is never chosen from the page's own text; and
/// never an action the site profile switched off (issue #23), whatever asked for it.
fn open(overlay: &Rc<Overlay>, job_id: &str, action: ActionKind, trigger: String) {
    let phase = overlay
        .store
        .borrow()
        .get(job_id)
        .map(|job| job.phase.clone());
    let Some(phase) = phase else {
        log::info(&format!(
            "job {job_id}: the API has not described it yet; no dialog until it has"
        ));
        return;
    };
    let event = Event::Open { action, phase };
    if permitted(overlay, job_id, &event) {
        *overlay.trigger.borrow_mut() = Some(trigger);
        dispatch(overlay, job_id, event);
    }
}

/// Whether the site profile's switches let `event` reach the job's flow (`controls::permits`).
fn permitted(overlay: &Overlay, job_id: &str, event: &Event) -> bool {
    let switches = crate::route::active().profile.features;
    job_actions::jobs::controls::permits(switches, &overlay.flow(job_id), event)
}

fn on_click(event: web_sys::Event) {
    let control = control(&event);
    // The second click of a double click on "Cancel Job" lands on the backdrop of the dialog the
    // first one opened: it must not close it again.
    let repeated = event
        .dyn_ref::<web_sys::MouseEvent>()
        .is_some_and(|click| click.detail() > 1);
    if repeated
        && control
            .as_ref()
            .is_some_and(|(_, control)| control.action == "backdrop")
    {
        return;
    }
    // A confirmation counts only from the user, on a dialog they could see (`ui/guard.rs`): a
    // click with no press (`detail` 0) is the keyboard's Space on the button.
    let is_confirm = control
        .as_ref()
        .is_some_and(|(_, control)| control.action == "dialog-confirm");
    let keyboard = event
        .dyn_ref::<web_sys::MouseEvent>()
        .is_some_and(|click| click.detail() == 0);
    if is_confirm
        && !(if keyboard {
            guard::confirm_by_key()
        } else {
            guard::confirm_by_pointer()
        })
    {
        return;
    }
    act(control, controls::with_shift(&event));
}

/// A trusted press: the dialog's guard notes where it went down; a row's control is remembered
/// in case the host draws its row again before the release.
fn on_press(event: web_sys::Event) {
    if event.is_trusted() && dialog::shadow().is_some() {
        guard::pressed(&event);
    }
    controls::press_began(&event);
}

/// A release on the twin of the control pressed, which the host drew again meanwhile: the click
/// the browser will not send (`controls::released_on_twin`).
fn on_release(event: web_sys::Event) {
    if let Some(twin) = controls::released_on_twin(&event) {
        act(Some(twin), controls::with_shift(&event));
    }
}

/// Focus reached something: a row control is remembered, in case the host draws its row again
/// (`keep_focus`).
fn on_focus(event: web_sys::Event) {
    crate::keep_focus::focus_reached(&event);
}

/// Carries out the uses the page-wide build saw (`first_use.rs`) in order, as if they happened
/// now, until one opens a dialog: the uses after it would have landed on its backdrop.
pub fn replay(uses: Vec<(FirstUse, Element)>) {
    for (first_use, element) in uses {
        if dialog::shadow().is_some() {
            log::info("a use after one that opened a dialog: not carried out");
            return;
        }
        let Some(control) = crate::controls::registered(&element) else {
            continue;
        };
        match first_use {
            FirstUse::Click => act(Some((element, control)), false),
            FirstUse::RangeClick => act(Some((element, control)), true),
            FirstUse::ArrowDown => open_menu_from(&element),
        }
    }
}

/// What a click on `control` (or outside every control) does; `range`: with Shift.
fn act(control: Option<(Element, Control)>, range: bool) {
    // Any click outside an open row menu closes it (PRD menu-button pattern).
    let in_menu = control.as_ref().is_some_and(|(_, control)| {
        control.action == "menu-toggle" || control.action == "menu-item"
    });
    if !in_menu {
        with_overlay(|overlay| menu::close(&overlay, false));
    }
    let Some((element, control)) = control else {
        return;
    };
    if let Some(copy) = toast::copy_button(&control.action) {
        return toast::copy_pressed(&element, copy, dialog_changed);
    }
    let Control {
        action,
        job: row_job,
        item,
    } = control;
    match action.as_str() {
        "open-force-delete" => with_overlay(|overlay| {
            let job_id = overlay.job_id().map(str::to_string);
            if let Some(job_id) =
                job_id.filter(|id| permitted(&overlay, id, &Event::OpenForceDelete))
            {
                *overlay.trigger.borrow_mut() =
                    Some(dom::attribute_selector("data-ja-action", &action));
                dispatch(&overlay, &job_id, Event::OpenForceDelete);
            }
        }),
        "menu-toggle" => with_overlay(|overlay| {
            if let Some(job_id) = row_job {
                menu::toggle(&overlay, &job_id);
            }
        }),
        "menu-item" => with_overlay(|overlay| {
            let kind = item.as_deref().and_then(ActionKind::from_name);
            let (Some(job_id), Some(kind)) = (row_job, kind) else {
                return;
            };
            // Refused by the API (403): every action but "View Details" is inert.
            if crate::refusal::reason().is_some() && kind != ActionKind::ViewDetails {
                return;
            }
            menu::close(&overlay, false);
            let trigger = menu::toggle_selector(&job_id);
            match kind {
                ActionKind::ViewDetails => view_details(&overlay, &job_id),
                kind => open(&overlay, &job_id, kind, trigger),
            }
        }),
        "select" => with_overlay(|overlay| {
            if let Some(job_id) = row_job {
                bulk::toggle(&overlay, &job_id, range, &element);
            }
        }),
        "select-all" => with_overlay(|overlay| bulk::toggle_all(&overlay)),
        "bulk-cancel" | "bulk-delete" => with_overlay(|overlay| {
            let kind = if action == "bulk-cancel" {
                BulkKind::Cancel
            } else {
                BulkKind::Delete { force: false }
            };
            *overlay.trigger.borrow_mut() =
                Some(dom::attribute_selector("data-ja-action", &action));
            bulk::ask(&overlay, kind);
        }),
        "bulk-clear" => with_overlay(|overlay| bulk::clear(&overlay)),
        "bulk-stop" => with_overlay(|overlay| bulk::stop(&overlay)),
        "bulk-retry" => with_overlay(|overlay| bulk::retry(&overlay)),
        "bulk-close" => with_overlay(|overlay| bulk::close(&overlay)),
        "dialog-dismiss" | "backdrop" => on_dialog_job(Event::Dismiss),
        "dialog-confirm" => on_dialog_job(Event::Confirm),
        "toast-dismiss" => dismiss_toast(&element),
        // A job page's button (`jobs::controls`): it records the action it offers.
        name if name.starts_with("open-") => with_overlay(|overlay| {
            let kind = item.as_deref().and_then(ActionKind::from_name);
            if let (Some(job_id), Some(kind)) = (overlay.job_id().map(str::to_string), kind) {
                let trigger = dom::attribute_selector("data-ja-action", &action);
                open(&overlay, &job_id, kind, trigger);
            }
        }),
        _ => {}
    }
}

/// "View Details" follows the row's own link, so a single-page host routes it its own way.
fn view_details(overlay: &Overlay, job_id: &str) {
    let link = overlay
        .row_of(job_id)
        .and_then(|row| selectors::first(&row, selectors::ROW_LINK).ok().flatten());
    if let Some(link) = link {
        link.unchecked_ref::<HtmlElement>().click();
    }
}

fn on_input(event: web_sys::Event) {
    let Some((element, control)) = control(&event) else {
        return;
    };
    if control.action == "bulk-running" {
        // A radio of the bulk confirmation, chosen by click or arrows.
        if let Some(name) = control.item {
            with_overlay(|overlay| bulk::choose_running(&overlay, &name));
        }
        return;
    }
    if control.action != "reason" {
        return;
    }
    let text = element.unchecked_ref::<HtmlTextAreaElement>().value();
    with_overlay(|overlay| {
        let job_id = overlay.dialog_job.borrow().clone();
        if bulk::confirming(&overlay) {
            bulk::reason_typed(&overlay, text.clone());
        } else if let Some(job_id) = job_id {
            let effects = overlay.handle(&job_id, Event::ReasonEdited(text.clone()));
            crate::actions::run_all(&overlay, &job_id, effects);
        }
        if let Some(shadow) = dialog::shadow() {
            if let Err(error) = dialog::update_counter(&shadow, &text) {
                log::feature_error("dialog", &error);
            }
            guard::rendered(&shadow);
        }
    });
}

fn on_keydown(event: web_sys::Event) {
    let Ok(key_event) = event.clone().dyn_into::<KeyboardEvent>() else {
        return;
    };
    if !event.is_trusted() || key_event.is_composing() {
        return;
    }
    if let Some(shadow) = dialog::shadow() {
        dialog_keys(&event, &key_event, &shadow);
    } else if menu::is_open() {
        with_overlay(|overlay| {
            if menu::keys(&overlay, &key_event.key(), key_event.shift_key()) {
                stop(&event);
            }
        });
    } else if key_event.key() == "ArrowDown" {
        // ↓ on a row's menu button opens its menu on the first item.
        if let Some((element, control)) = control(&event) {
            if control.action == "menu-toggle" {
                stop(&event);
                open_menu_from(&element);
            }
        }
    }
}

/// Opens the menu of the row whose menu button `element` is, on its first item.
fn open_menu_from(element: &Element) {
    with_overlay(|overlay| {
        if let Some(job_id) = crate::controls::registered(element).and_then(|control| control.job) {
            menu::open(&overlay, &job_id);
        }
    });
}
