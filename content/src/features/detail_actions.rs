//! `detail-actions`: the header button group on a job's page (PRD §5.1, §5.2, §5.4, §6.1):
//! "Cancel Job" (outlined, warning icon) for active jobs, "Delete Job" (red, trash icon) for every
//! job with a known phase, spinners and disabled states while a request is in flight, and the
//! disabled "Cancelled" after this page cancelled the job. What is offered, and how each control
//! looks now, is `jobs::controls` (from the action table); this file draws it, once the API said
//! what the job is.
//!
//! Never a silent job page (issue #19): when the API knows the job but none of the profile's
//! anchors matches, the same buttons go in a labelled action bar fixed at the bottom of the page,
//! and one console line names the selectors tried. The bar gives way to the anchored buttons when
//! the app draws its title later, and comes back if it goes: never both at once.

use super::Feature;
use crate::browser;
use crate::dom::{self, Placement};
use crate::overlay::Overlay;
use crate::route::Route;
use crate::selectors;
use crate::ui::{BUTTON_STYLE, VISUALLY_HIDDEN};
use job_actions::jobs::controls::{self, detail_controls, Control, Item};
use job_actions::jobs::pending::{self, cancel_pending};
use job_actions::jobs::rules::ActionKind;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Element;

pub const FEATURE: Feature = Feature {
    id: "detail-actions",
    decorate,
};

const STYLE: &str = ":host { display: inline-flex; margin-inline-start: auto; } .group { display: inline-flex; gap: 8px; flex-wrap: wrap; align-items: center; } .refused { flex-basis: 100%; margin: 0; font: 12px/1.4 system-ui, sans-serif; color: #82071e; } .pending { flex-basis: 100%; order: -1; margin: 0; font: 13px/1.4 system-ui, sans-serif; color: #6e4b00; } .skeleton { display: inline-flex; gap: 8px; } .bone { display: inline-block; width: 104px; height: 32px; border-radius: 6px; background: #eaeef2; }";

/// Feather-style icons: x-circle (cancel) and trash (delete).
const X_CIRCLE: &[&str] = &[
    "M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20z",
    "M15 9l-6 6",
    "M9 9l6 6",
];
const TRASH: &[&str] = &[
    "M3 6h18",
    "M8 6V4h8v2",
    "M19 6l-1 14H6L5 6",
    "M10 11v6",
    "M14 11v6",
];

fn decorate(overlay: &Overlay) -> Result<(), JsValue> {
    let Route::Detail { job_id } = &overlay.route else {
        return Ok(());
    };
    let root = dom::root_element()?;
    let header = selectors::detail_header(&root)?;
    let switches = crate::route::active().profile.features;
    let Some(job) = overlay.store.borrow().get(job_id).cloned() else {
        return match &header {
            // Waiting for the API: the group's place, in its loading state (unless the profile
            // switched off both buttons, issue #23).
            Some(anchor) if overlay.is_loading() && (switches.cancel || switches.delete) => {
                skeleton(anchor)
            }
            // Gone (deleted here or in another tab), or the API did not answer: nothing to act on.
            _ => remove(header.as_ref()),
        };
    };
    let pending = cancel_pending(&job, browser::now_ms());
    let refused = crate::refusal::reason();
    let items = detail_controls(
        &job.phase,
        &overlay.flow(job_id),
        pending,
        refused.is_some(),
        switches,
    );
    if items.is_empty() {
        return remove(header.as_ref());
    }
    let group = match &header {
        Some(anchor) => match anchored_group(anchor)? {
            Some(group) => group,
            None => return Ok(()),
        },
        None => bar(overlay, job_id)?,
    };
    if pending.is_some() {
        // The elapsed time counts up while the page waits for the workers to stop.
        schedule_tick(overlay);
    }
    let signature = controls::signature(&items);
    dom::rebuild_if_changed(&group, &signature, |group| {
        draw(group, &items, refused.as_deref())
    })?;
    dom::set_flag(&group, "aria-busy", false)?;
    update_counting(&group, &items)
}

/// The group in the header, after the anchor; the bar, if it was shown, goes.
fn anchored_group(anchor: &Element) -> Result<Option<Element>, JsValue> {
    dom::remove_page_host(BAR)?;
    let Some((_, shadow, created)) = dom::ensure_host(
        anchor,
        Placement::Append,
        FEATURE.id,
        &[BUTTON_STYLE, VISUALLY_HIDDEN, STYLE],
    )?
    else {
        return Ok(None);
    };
    dom::root_element_of(
        &shadow,
        created,
        "div",
        "group",
        &[("role", "group"), ("aria-label", "Job actions")],
    )
    .map(Some)
}

/// The group before the API answered (PRD §5.7 "skeleton loaders", issue #23): two placeholders
/// the size of the buttons, disabled by nature, the group `aria-busy` and saying it loads.
fn skeleton(anchor: &Element) -> Result<(), JsValue> {
    let Some(group) = anchored_group(anchor)? else {
        return Ok(());
    };
    dom::rebuild_if_changed(&group, "loading", |group| {
        let shape = dom::child(
            group,
            "span",
            "skeleton",
            &[("data-testid", "actions-skeleton")],
            "",
        )?;
        dom::child(&shape, "span", "bone", &[("aria-hidden", "true")], "")?;
        dom::child(&shape, "span", "bone", &[("aria-hidden", "true")], "")?;
        dom::child(&shape, "span", "said", &[], "Loading job actions…")?;
        Ok(())
    })?;
    dom::set_flag(&group, "aria-busy", true)
}

/// Draws the controls (`jobs::controls`), and the refusal's note when the API refused them.
fn draw(group: &Element, items: &[Item], refused: Option<&str>) -> Result<(), JsValue> {
    for item in items {
        match item {
            Item::Button(control) => button(group, control)?,
            Item::Note(pending) => {
                dom::child(
                    group,
                    "p",
                    "pending",
                    &[("data-testid", "cancel-pending")],
                    &pending::still_running(*pending),
                )?;
            }
        }
    }
    if let Some(reason) = refused {
        crate::refusal::note(group, reason)?;
        let buttons = group.query_selector_all("button")?;
        for index in 0..buttons.length() {
            if let Some(button) = buttons.item(index) {
                let button: &Element = button.unchecked_ref();
                button.set_attribute("aria-describedby", crate::refusal::NOTE_ID)?;
            }
        }
    }
    Ok(())
}

/// The counting texts, updated in place every second (the group is not rebuilt for them).
fn update_counting(group: &Element, items: &[Item]) -> Result<(), JsValue> {
    for item in items {
        match item {
            Item::Button(Control {
                counting: Some(pending),
                name,
                ..
            }) => {
                let selector = format!("[data-testid={name}-job]");
                if let Some(label) = group
                    .query_selector(&selector)?
                    .and_then(|button| button.last_child())
                {
                    label.set_node_value(Some(&pending::status(*pending)));
                }
            }
            Item::Note(pending) => {
                if let Some(note) = group.query_selector("[data-testid=cancel-pending]")? {
                    note.set_text_content(Some(&pending::still_running(*pending)));
                }
            }
            Item::Button(_) => {}
        }
    }
    Ok(())
}

/// The action bar's host id (a page-wide host under `<body>`).
const BAR: &str = "action-bar";

const BAR_STYLE: &str = ":host { position: fixed; inset-inline-end: 16px; bottom: 16px; z-index: 2147483646; margin: 0; display: block; max-width: calc(100vw - 32px); } .bar { display: flex; align-items: center; gap: 12px; flex-wrap: wrap; padding: 10px 12px; background: #fff; color: #1f2328; border: 1px solid #d0d7de; border-radius: 8px; box-shadow: 0 8px 24px #1f232833; font: 13px/1.4 system-ui, sans-serif; } .label { font-weight: 600; max-width: 24em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }";

/// Removes the buttons wherever they are: in the header, or in the bar.
fn remove(header: Option<&Element>) -> Result<(), JsValue> {
    if let Some(anchor) = header {
        dom::remove_host(anchor, Placement::Append, FEATURE.id)?;
    }
    dom::remove_page_host(BAR)
}

/// The action bar's button group, drawn when no anchor matches; says why on the console once
/// per page.
fn bar(overlay: &Overlay, job_id: &str) -> Result<Element, JsValue> {
    let (_, shadow, created) =
        dom::page_host(BAR, &[BUTTON_STYLE, VISUALLY_HIDDEN, STYLE, BAR_STYLE])?;
    if created {
        DIAGNOSED.with(|diagnosed| {
            if diagnosed.replace(overlay.href.clone()) != overlay.href {
                crate::log::info(&format!(
                    "job page of {job_id}: {}; the actions are in the action bar at the bottom of \
                     the page (data-testid=job-action-bar).",
                    job_actions::sites::profiles::anchor_diagnosis(&crate::route::active().profile)
                ));
            }
        });
    }
    let region = dom::root_element_of(
        &shadow,
        created,
        "div",
        "bar",
        &[
            ("role", "region"),
            ("aria-label", "Job actions"),
            ("data-testid", "job-action-bar"),
        ],
    )?;
    let title = overlay.shown_title(job_id);
    let label = match region.query_selector(".label")? {
        Some(label) => label,
        None => dom::child(&region, "span", "label", &[], "")?,
    };
    let text = format!("Job actions: {title}");
    if label.text_content().as_deref() != Some(text.as_str()) {
        label.set_text_content(Some(&text));
        label.set_attribute("title", &text)?;
    }
    match region.query_selector(".group")? {
        Some(group) => Ok(group),
        None => dom::child(
            &region,
            "div",
            "group",
            &[("role", "group"), ("aria-label", "Job actions")],
            "",
        ),
    }
}

thread_local! {
    /// The page whose missing anchor the console was told about.
    static DIAGNOSED: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    static TICK_SCHEDULED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Decorates the page again in a second (one timer at a time), for the counting "Cancelling…".
fn schedule_tick(overlay: &Overlay) {
    if TICK_SCHEDULED.with(|scheduled| scheduled.replace(true)) {
        return;
    }
    let href = overlay.href.clone();
    browser::after(1_000, move || {
        TICK_SCHEDULED.with(|scheduled| scheduled.set(false));
        if let Some(overlay) = crate::overlay::current().filter(|o| o.href == href) {
            overlay.decorate();
        }
    });
}

/// One of the group's buttons, as `jobs::controls` describes it: test id `{name}-job`, control
/// name `open-{name}`, and the action it opens recorded for the click handler.
fn button(group: &Element, control: &Control) -> Result<(), JsValue> {
    let testid = format!("{}-job", control.name);
    let trigger = format!("open-{}", control.name);
    let button = dom::child(
        group,
        "button",
        control.look,
        &[("type", "button"), ("data-testid", &testid)],
        "",
    )?;
    crate::controls::register(
        &button,
        &trigger,
        None,
        control.action.map(ActionKind::name),
    )?;
    if control.spinning {
        dom::child(&button, "span", "spinner", &[("aria-hidden", "true")], "")?;
    } else if control.look == "destructive" {
        dom::icon(&button, TRASH)?;
    } else if control.look != "neutral" {
        dom::icon(&button, X_CIRCLE)?;
    }
    let label = control.counting.map(pending::status);
    button.append_with_str_1(label.as_deref().unwrap_or(control.label))?;
    dom::set_flag(&button, "disabled", control.disabled)?;
    dom::set_flag(&button, "aria-busy", control.spinning)?;
    Ok(())
}
