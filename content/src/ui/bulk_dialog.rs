//! The one confirmation of a bulk action on the list page (issue #24): drawn in the dialog's own
//! host, so it is the same modal `role="alertdialog"` with the same keys (Esc, Enter, Tab kept
//! inside) and the same guard on its confirm button (`guard.rs`: only the user, on a dialog they
//! could see). It says how many jobs, names five and "and N more", what the action does, asks the
//! shared optional reason of the cancels, and for a delete with running jobs what becomes of
//! them: cancelled first (the default), force-deleted, or skipped.

use super::{dialog, guard, BUTTON_STYLE};
use crate::overlay::Overlay;
use crate::{controls, dom};
use job_actions::jobs::bulk::BulkKind;
use job_actions::jobs::bulk_offer::{confirm_title, jobs, named};
use job_actions::jobs::bulk_stage::{Running, Stage};
use job_actions::jobs::copy::{CANCEL_DIALOG, DELETE_DIALOG};
use wasm_bindgen::JsValue;
use web_sys::{Element, ShadowRoot};

const STYLE: &str = "
.titles { color: #57606a; overflow-wrap: anywhere; }
.running { margin: 8px 0; padding: 6px 10px; border-radius: 6px; background: #fff8c5; border: 1px solid #d4a72c66; }
.running legend { font-weight: 600; padding: 0 4px; }
.running label { display: flex; gap: 8px; align-items: center; margin: 4px 0; font-weight: 400; }
.running input:focus-visible { outline: 2px solid #0969da; outline-offset: 2px; }
.reason[hidden] { display: none; }
";

/// What the confirmation shows now.
struct Shown {
    kind: BulkKind,
    choice: Running,
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
            running: choice,
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
        choice: *choice,
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
    let (root, panel) = dialog::frame("bulk-dialog", name)?;
    panel.set_attribute("aria-describedby", "ja-dialog-message")?;
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
        running_choice(&panel, now.running, now.choice)?;
        // The reason of the cancels "cancel first" sends; hidden for the other choices.
        let reason = dom::child(&panel, "div", "reason", &[], "")?;
        dialog::reason_field(&reason, &now.reason)?;
    }
    dialog::error_line(&panel)?;
    // The confirm button's text follows the choice (`update`).
    dialog::buttons(&panel, "Keep", "")?;
    shadow.append_child(&root)?;
    Ok(())
}

/// For a delete with running jobs, what becomes of them (`bulk_stage::Running`): cancel them
/// first (the default, as one running job's "Delete Job"), force-delete them (where the profile
/// allows Force Delete) or skip them. Native radios: arrows move the choice, as users expect.
fn running_choice(panel: &Element, running: usize, chosen: Running) -> Result<(), JsValue> {
    let group = dom::child(panel, "fieldset", "running", &[], "")?;
    dom::child(
        &group,
        "legend",
        "",
        &[],
        &format!("The {} still running:", jobs(running)),
    )?;
    let force_allowed = crate::route::active().profile.features.force_delete;
    for (choice, name, words) in Running::ALL {
        if choice == Running::Force && !force_allowed {
            continue;
        }
        let label = dom::child(&group, "label", "", &[], "")?;
        let test_id = if choice == Running::Force {
            "bulk-force".to_string()
        } else {
            format!("bulk-running-{name}")
        };
        let input = dom::child(
            &label,
            "input",
            "",
            &[
                ("type", "radio"),
                ("name", "ja-running"),
                ("value", name),
                ("data-testid", &test_id),
            ],
            "",
        )?;
        if choice == chosen {
            input.set_attribute("checked", "")?;
        }
        controls::register(&input, "bulk-running", None, Some(name))?;
        label.append_with_str_1(words)?;
    }
    Ok(())
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
    if let Some(reason) = shadow.query_selector(".reason")? {
        dom::set_flag(&reason, "hidden", now.choice != Running::CancelFirst)?;
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
