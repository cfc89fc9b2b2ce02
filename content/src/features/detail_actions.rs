//! `detail-actions`: the header button group on a job's page (PRD §5.1, §5.2, §5.4, §6.1):
//! "Cancel Job" (outlined, warning icon) for active jobs, "Delete Job" (red, trash icon) for every
//! job with a known phase, spinners and disabled states while a request is in flight, and the
//! disabled "Cancelled" after this page cancelled the job. What is offered comes from
//! `rules::actions_for`; the buttons appear once the API said what the job is.
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
use crate::ui::BUTTON_STYLE;
use job_actions::jobs::flow::{Request, State};
use job_actions::jobs::pending::{cancel_pending, CancelPending};
use job_actions::jobs::rules::{offered, ActionKind, Surface};
use job_actions::Phase;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Element;

pub const FEATURE: Feature = Feature {
    id: "detail-actions",
    decorate,
};

const STYLE: &str = ":host { display: inline-flex; margin-inline-start: auto; } .group { display: inline-flex; gap: 8px; flex-wrap: wrap; align-items: center; } .refused { flex-basis: 100%; margin: 0; font: 12px/1.4 system-ui, sans-serif; color: #82071e; } .pending { flex-basis: 100%; order: -1; margin: 0; font: 13px/1.4 system-ui, sans-serif; color: #6e4b00; }";

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

#[derive(Clone, Copy, PartialEq, Eq)]
enum CancelButton {
    Hidden,
    Ready,
    Cancelling,
    /// The API accepted the cancel but the job still runs (`pending.rs`).
    Pending(CancelPending),
    Cancelled,
}

fn decorate(overlay: &Overlay) -> Result<(), JsValue> {
    let Route::Detail { job_id } = &overlay.route else {
        return Ok(());
    };
    let root = dom::root_element()?;
    let header = selectors::detail_header(&root)?;
    let Some(phase) = overlay
        .store
        .borrow()
        .get(job_id)
        .map(|job| job.phase.clone())
    else {
        // Not known yet, or gone (deleted here or in another tab): nothing to act on.
        return remove(header.as_ref());
    };
    let flow = overlay.flow(job_id);
    let sending = match flow.state {
        State::Sending { request, .. } => Some(request),
        State::Deleted => Some(Request::Delete { force: true }),
        _ => None,
    };
    let pending = overlay
        .store
        .borrow()
        .get(job_id)
        .and_then(|job| cancel_pending(job, browser::now_ms()));
    let offers = |kind: ActionKind| {
        offered(Surface::DetailPage, &phase, pending.is_some()).any(|action| action.kind == kind)
    };
    let cancel = if sending == Some(Request::Cancel) {
        CancelButton::Cancelling
    } else if let Some(pending) = pending {
        CancelButton::Pending(pending)
    } else if offers(ActionKind::Cancel) {
        CancelButton::Ready
    } else if flow.cancelled_here && phase == Phase::Cancelled {
        CancelButton::Cancelled
    } else {
        CancelButton::Hidden
    };
    let deleting = matches!(sending, Some(Request::Delete { .. }));
    // The delete the job page offers: a plain one, or for a running job Cancel & Delete.
    let delete = [ActionKind::Delete, ActionKind::CancelAndDelete]
        .into_iter()
        .find(|&kind| offers(kind));
    let refused = crate::refusal::reason();
    let busy = flow.is_busy() || refused.is_some();
    if cancel == CancelButton::Hidden && delete.is_none() {
        return remove(header.as_ref());
    }
    let group = match &header {
        Some(anchor) => {
            dom::remove_page_host(BAR)?;
            let Some((_, shadow, created)) = dom::ensure_host(
                anchor,
                Placement::Append,
                FEATURE.id,
                &[BUTTON_STYLE, STYLE],
            )?
            else {
                return Ok(());
            };
            dom::root_element_of(
                &shadow,
                created,
                "div",
                "group",
                &[("role", "group"), ("aria-label", "Job actions")],
            )?
        }
        None => bar(overlay, job_id)?,
    };
    let cancel_state = match cancel {
        CancelButton::Hidden => "hidden".to_string(),
        CancelButton::Ready => "ready".to_string(),
        CancelButton::Cancelling => "cancelling".to_string(),
        // Not the seconds: the buttons are rebuilt only when what they offer changes (focus stays),
        // and the counting texts are updated in place below.
        CancelButton::Pending(pending) => format!("pending {}", pending.offer_force_delete),
        CancelButton::Cancelled => "cancelled".to_string(),
    };
    let signature = format!(
        "{cancel_state}/{}/{deleting}/{busy}/{}",
        delete.map_or("", ActionKind::name),
        refused.is_some()
    );
    if pending.is_some() {
        // The elapsed time counts up while the page waits for the workers to stop.
        schedule_tick(overlay);
    }
    let counting = pending;
    dom::rebuild_if_changed(&group, &signature, |group| {
        match cancel {
            CancelButton::Hidden => {}
            CancelButton::Ready => button(
                group,
                Some(ActionKind::Cancel),
                "warning",
                X_CIRCLE,
                "Cancel Job",
                busy,
                false,
            )?,
            CancelButton::Cancelling => button(
                group,
                Some(ActionKind::Cancel),
                "warning",
                X_CIRCLE,
                "Cancelling…",
                true,
                true,
            )?,
            CancelButton::Pending(pending) => button(
                group,
                Some(ActionKind::Cancel),
                "warning",
                X_CIRCLE,
                &job_actions::jobs::pending::status(pending),
                true,
                true,
            )?,
            CancelButton::Cancelled => button(
                group,
                Some(ActionKind::Cancel),
                "done",
                X_CIRCLE,
                "Cancelled",
                true,
                false,
            )?,
        }
        if let CancelButton::Pending(pending) = cancel {
            if pending.offer_force_delete {
                // PRD §5.6: say what is going on, and offer to stop waiting.
                dom::child(
                    group,
                    "p",
                    "pending",
                    &[("data-testid", "cancel-pending")],
                    &job_actions::jobs::pending::still_running(pending),
                )?;
                button(
                    group,
                    None,
                    "destructive",
                    TRASH,
                    "Force Delete",
                    busy,
                    false,
                )?;
            }
        }
        if delete.is_some() && !pending.is_some_and(|pending| pending.offer_force_delete) {
            let label = if deleting {
                "Deleting…"
            } else {
                "Delete Job"
            };
            button(group, delete, "destructive", TRASH, label, busy, deleting)?;
        }
        if let Some(reason) = &refused {
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
    })?;
    if let Some(pending) = counting {
        if let Some(label) = group
            .query_selector("[data-testid=cancel-job]")?
            .and_then(|button| button.last_child())
        {
            label.set_node_value(Some(&job_actions::jobs::pending::status(pending)));
        }
        if let Some(note) = group.query_selector("[data-testid=cancel-pending]")? {
            note.set_text_content(Some(&job_actions::jobs::pending::still_running(pending)));
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
    let (_, shadow, created) = dom::page_host(BAR, &[BUTTON_STYLE, STYLE, BAR_STYLE])?;
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
    let title = overlay
        .store
        .borrow()
        .get(job_id)
        .map(|job| job.title.clone())
        .filter(|title| !title.is_empty())
        .unwrap_or_else(|| job_id.to_string());
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

/// One of the group's buttons; `offers` is the action it opens (none: Force Delete, which opens
/// its own dialog). Its test id and control name follow from that: `cancel-job` / `open-cancel`,
/// `delete-job` / `open-delete` (a plain delete, or Cancel & Delete), `force-delete-job`.
fn button(
    group: &Element,
    offers: Option<ActionKind>,
    class: &str,
    icon: &[&str],
    label: &str,
    disabled: bool,
    spinning: bool,
) -> Result<(), JsValue> {
    let action = match offers {
        Some(ActionKind::Cancel) => "cancel",
        Some(_) => "delete",
        None => "force-delete",
    };
    let testid = format!("{action}-job");
    let trigger = format!("open-{action}");
    let button = dom::child(
        group,
        "button",
        class,
        &[("type", "button"), ("data-testid", &testid)],
        "",
    )?;
    crate::controls::register(&button, &trigger, None, offers.map(ActionKind::name))?;
    if spinning {
        dom::child(&button, "span", "spinner", &[("aria-hidden", "true")], "")?;
    } else {
        dom::icon(&button, icon)?;
    }
    button.append_with_str_1(label)?;
    dom::set_flag(&button, "disabled", disabled)?;
    dom::set_flag(&button, "aria-busy", spinning)?;
    Ok(())
}
