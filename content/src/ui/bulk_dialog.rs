//! The one confirmation of a bulk action on the list page (issue #24): drawn in the dialog's own
//! host, so it is the same modal `role="alertdialog"` with the same keys (Esc, Enter, Tab kept
//! inside) and the same guard on its confirm button (`guard.rs`: only the user, on a dialog they
//! could see). It says how many jobs, names five and "and N more", what the action does, asks the
//! shared optional reason of a cancel, and for a delete with running jobs whether to force-delete
//! them too (else they are skipped).

use super::{dialog, guard, BUTTON_STYLE};
use crate::overlay::Overlay;
use crate::{controls, dom};
use job_actions::jobs::bulk::{confirm_title, jobs, named, BulkKind};
use job_actions::jobs::bulk_stage::Stage;
use job_actions::jobs::copy::{CANCEL_DIALOG, DELETE_DIALOG};
use wasm_bindgen::JsValue;
use web_sys::{Element, ShadowRoot};

const STYLE: &str = "
.titles { color: #57606a; overflow-wrap: anywhere; }
.force { display: flex; gap: 8px; align-items: flex-start; margin: 8px 0; padding: 6px 8px; width: 100%;
  text-align: start; font-weight: 500; background: #fff8c5; border-color: #d4a72c66; }
.force .box { flex: none; width: 16px; height: 16px; margin-top: 2px; box-sizing: border-box;
  border: 1.5px solid #57606a; border-radius: 3px; background: #fff; }
.force[aria-checked=true] .box { background: #c62828; border-color: #c62828; }
.note { font-size: 13px; color: #57606a; }
";

/// What the confirmation shows now.
struct Shown {
    kind: BulkKind,
    force: bool,
    reason: String,
    error: Option<String>,
    targets: Vec<String>,
    running: usize,
}

fn shown(overlay: &Overlay) -> Option<Shown> {
    let stage = overlay.bulk.borrow();
    let Some(
        stage @ Stage::Confirming {
            kind,
            force,
            reason,
            error,
        },
    ) = &*stage
    else {
        return None;
    };
    let selected = overlay.selected_jobs();
    let running = selected
        .iter()
        .filter(|(_, phase)| phase.is_active())
        .count();
    Some(Shown {
        kind: *kind,
        force: *force,
        reason: reason.clone(),
        error: error.clone(),
        targets: stage.targets(selected),
        running,
    })
}

/// Makes the page's dialog match the bulk confirmation; returns its shadow root when it was just
/// built (to move focus into it). Call only while one is open (`bulk::confirming`).
pub fn render(overlay: &Overlay) -> Result<Option<ShadowRoot>, JsValue> {
    let Some(now) = shown(overlay) else {
        return Ok(None);
    };
    let name = match now.kind {
        BulkKind::Cancel => "bulk-cancel",
        BulkKind::Delete { .. } => "bulk-delete",
    };
    let (host, shadow, created) = dom::page_host(
        dialog::FEATURE,
        &[BUTTON_STYLE, dialog::STYLE, super::toast::COPY_STYLE, STYLE],
    )?;
    let drawn = shadow.query_selector(".dialog")?;
    let intact = drawn.is_some() && guard::intact(&shadow);
    let built = created || dialog::shown_name() != Some(name) || !intact;
    if built {
        for old in [".dialog", ".backdrop"] {
            if let Some(old) = shadow.query_selector(old)? {
                old.remove();
            }
        }
        build(&shadow, &now, name)?;
        dialog::set_shown(Some(name));
        guard::built(host, shadow.clone());
    }
    update(overlay, &shadow, &now)?;
    guard::rendered(&shadow);
    Ok(built.then_some(shadow))
}

fn build(shadow: &ShadowRoot, now: &Shown, name: &str) -> Result<(), JsValue> {
    let root = dom::element("div", "")?;
    let backdrop = dom::child(&root, "div", "backdrop", &[], "")?;
    controls::register(&backdrop, "backdrop", None, None)?;
    let panel = dom::child(
        &root,
        "div",
        "dialog",
        &[
            ("role", "alertdialog"),
            ("aria-modal", "true"),
            ("aria-labelledby", "ja-dialog-title"),
            ("aria-describedby", "ja-dialog-message"),
            ("data-testid", "bulk-dialog"),
            ("data-dialog", name),
        ],
        "",
    )?;
    dom::child(&panel, "h2", "", &[("id", "ja-dialog-title")], "")?;
    dom::child(
        &panel,
        "ul",
        "titles",
        &[("data-testid", "bulk-titles")],
        "",
    )?;
    let copy = match now.kind {
        BulkKind::Cancel => &CANCEL_DIALOG,
        BulkKind::Delete { .. } => &DELETE_DIALOG,
    };
    dom::child(
        &panel,
        "p",
        "",
        &[("id", "ja-dialog-message")],
        copy.message,
    )?;
    if !copy.bullets.is_empty() {
        let list = dom::child(&panel, "ul", "", &[], "")?;
        for bullet in copy.bullets {
            dom::child(&list, "li", "", &[], bullet)?;
        }
    }
    if let Some(warning) = copy.warning {
        dom::child(&panel, "p", "warning", &[], warning)?;
    }
    if now.kind == BulkKind::Cancel {
        dialog::reason_field(&panel, &now.reason)?;
    } else if now.running > 0 {
        running_choice(&panel, now.running)?;
    }
    dom::child(
        &panel,
        "p",
        "error",
        &[
            ("id", "ja-dialog-error"),
            ("role", "alert"),
            ("data-testid", "dialog-error"),
            ("hidden", ""),
        ],
        "",
    )?;
    let buttons = dom::child(&panel, "div", "buttons", &[], "")?;
    let keep = dom::child(
        &buttons,
        "button",
        "",
        &[("type", "button"), ("data-testid", "dialog-cancel")],
        "Keep",
    )?;
    controls::register(&keep, "dialog-dismiss", None, None)?;
    // Disabled until the dialog has been fully visible for a moment (`guard.rs`).
    let confirm = dom::child(
        &buttons,
        "button",
        "destructive",
        &[
            ("type", "button"),
            ("data-testid", "dialog-confirm"),
            ("disabled", ""),
        ],
        "",
    )?;
    controls::register(&confirm, "dialog-confirm", None, None)?;
    shadow.append_child(&root)?;
    Ok(())
}

/// For a delete with running jobs: force-delete them too (when the profile allows Force Delete),
/// else they are skipped — cancelling them first is the bar's "Cancel N".
fn running_choice(panel: &Element, running: usize) -> Result<(), JsValue> {
    if crate::route::active().profile.features.force_delete {
        let force = dom::child(
            panel,
            "button",
            "force",
            &[
                ("type", "button"),
                ("role", "checkbox"),
                ("aria-checked", "false"),
                ("data-testid", "bulk-force"),
            ],
            "",
        )?;
        dom::child(&force, "span", "box", &[("aria-hidden", "true")], "")?;
        force.append_with_str_1(&format!(
            "Also force-delete the {} still running",
            jobs(running)
        ))?;
        controls::register(&force, "bulk-force", None, None)?;
    }
    dom::child(
        panel,
        "p",
        "note",
        &[],
        "Running jobs are skipped unless force-deleted. To delete them after they stop, cancel \
         them first with the bar's Cancel.",
    )
    .map(drop)
}

fn update(overlay: &Overlay, shadow: &ShadowRoot, now: &Shown) -> Result<(), JsValue> {
    let count = now.targets.len();
    if let Some(title) = shadow.query_selector("#ja-dialog-title")? {
        dom::set_text_if_changed(&title, &confirm_title(now.kind, count));
    }
    if let Some(list) = shadow.query_selector(".titles")? {
        let titles: Vec<String> = now
            .targets
            .iter()
            .map(|id| overlay.shown_title(id))
            .collect();
        let (named, more) = named(&titles);
        let text: String = named.iter().chain(more.iter()).cloned().collect();
        if list.text_content().unwrap_or_default() != text {
            list.set_text_content(None);
            for title in named.iter().chain(more.iter()) {
                dom::child(&list, "li", "", &[], title)?;
            }
        }
    }
    if let Some(force) = shadow.query_selector("[data-testid=bulk-force]")? {
        let checked = if now.force { "true" } else { "false" };
        dom::set_attribute_if_changed(&force, "aria-checked", checked)?;
    }
    if let Some(error) = shadow.query_selector("[data-testid=dialog-error]")? {
        let message = now.error.as_deref().unwrap_or_default();
        dom::set_text_if_changed(&error, message);
        dom::set_flag(&error, "hidden", message.is_empty())?;
    }
    if let Some(confirm) = shadow.query_selector("[data-ja-action=dialog-confirm]")? {
        dom::set_flag(&confirm, "disabled", count == 0 || !guard::armed())?;
        dom::set_text_if_changed(&confirm, &format!("{} {}", now.kind.verb(), jobs(count)));
    }
    if shadow.query_selector("textarea")?.is_some() {
        dialog::update_counter(shadow, &now.reason)?;
    }
    Ok(())
}
