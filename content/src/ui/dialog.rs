//! The confirmation dialog (PRD §5.5), one component for every action: a modal
//! `role="alertdialog"` labelled by its title and described by its message, the optional reason
//! with a live counter for cancel, the secondary "Cancel" left and the destructive action right.
//! Focus starts on the least destructive button; keyboard handling lives in `events.rs`. The error
//! of a failed request has "Copy details" (`toast::copy_details`).

use super::BUTTON_STYLE;
use crate::{controls, dom, log};
use job_actions::api::model::MAX_REASON_CHARS;
use job_actions::jobs::copy::{self, DialogCopy};
use job_actions::jobs::flow::{Dialog, Flow};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlElement, HtmlTextAreaElement, ShadowRoot};

pub const FEATURE: &str = "dialog";

pub(super) const STYLE: &str = "
:host { all: initial; }
.backdrop { position: fixed; inset: 0; z-index: 2147483646; background: rgba(31,35,40,.45); }
.dialog { position: fixed; z-index: 2147483647; top: 50%; left: 50%; transform: translate(-50%, -50%);
  width: min(480px, calc(100vw - 32px)); max-height: calc(100vh - 32px); overflow: auto; box-sizing: border-box;
  padding: 20px 24px; border-radius: 12px; background: #fff; color: #1f2328;
  font: 14px/1.5 system-ui, -apple-system, 'Segoe UI', sans-serif; box-shadow: 0 16px 48px rgba(31,35,40,.3); }
h2 { margin: 0 0 8px; font-size: 18px; line-height: 1.3; }
p, ul { margin: 0 0 10px; }
ul { padding-left: 20px; }
.subject { color: #57606a; overflow-wrap: anywhere; }
.subject strong { color: #1f2328; }
.running { padding: 8px 10px; border-radius: 6px; background: #fff8c5; border: 1px solid #d4a72c66; }
.warning { font-weight: 600; color: #a40e26; }
label { display: block; font-weight: 600; margin: 12px 0 4px; }
textarea { display: block; width: 100%; box-sizing: border-box; min-height: 72px; resize: vertical; padding: 6px 8px;
  font: 14px/1.4 system-ui, -apple-system, 'Segoe UI', sans-serif; border: 1px solid #8c959f; border-radius: 6px; }
textarea:focus-visible { outline: 2px solid #0969da; outline-offset: 1px; }
textarea[aria-invalid=true] { border-color: #cf222e; }
.count { margin-top: 4px; font-size: 12px; color: #57606a; text-align: right; }
.count[data-over] { color: #a40e26; font-weight: 600; }
.error { padding: 8px 10px; border-radius: 6px; background: #ffebe9; border: 1px solid #ff818266; color: #82071e; overflow-wrap: anywhere; }
.error[hidden], .sign-in[hidden] { display: none; }
.sign-in { display: inline-block; margin: 0 0 10px; color: #0969da; }
.copy { margin: -4px 0 10px; }
.buttons { display: flex; justify-content: flex-end; gap: 8px; margin-top: 16px; }
";

thread_local! {
    /// Which dialog is drawn (kept here: the page can rewrite `data-dialog`).
    static SHOWN: std::cell::Cell<Option<&'static str>> = const { std::cell::Cell::new(None) };
}

/// Which dialog is drawn, by name (a bulk confirmation draws into the same host).
pub(super) fn shown_name() -> Option<&'static str> {
    SHOWN.with(std::cell::Cell::get)
}

pub(super) fn set_shown(name: Option<&'static str>) {
    SHOWN.with(|shown| shown.set(name));
}

/// Makes the page's dialog match the flow: absent, built for the open dialog, or updated in
/// place (busy state, error, counter) so focus and the caret stay where they are.
/// Returns the dialog's shadow root when one is open and was just built (to move focus into it).
pub fn render(flow: &Flow, job_title: &str) -> Result<Option<ShadowRoot>, JsValue> {
    let Some((dialog, busy)) = flow.dialog() else {
        super::guard::closed();
        SHOWN.with(|shown| shown.set(None));
        return dom::remove_page_host(FEATURE).map(|()| None);
    };
    let (host, shadow, created) =
        dom::page_host(FEATURE, &[BUTTON_STYLE, STYLE, super::toast::COPY_STYLE])?;
    let shown = shadow.query_selector(".dialog")?;
    let same_dialog = SHOWN.with(|shown| shown.get()) == Some(dialog.name());
    let intact = shown.is_some() && super::guard::intact(&shadow);
    if shown.is_some() && !intact {
        log::warn("the page changed the dialog: drawn again as the extension means it");
    }
    let built = if created || !same_dialog || !intact {
        if let Some(old) = shown {
            old.remove();
        }
        if let Some(old) = shadow.query_selector(".backdrop")? {
            old.remove();
        }
        build(&shadow, dialog, job_title, &flow.reason)?;
        SHOWN.with(|shown| shown.set(Some(dialog.name())));
        super::guard::built(host, shadow.clone());
        true
    } else {
        false
    };
    update(&shadow, flow, busy)?;
    super::guard::rendered(&shadow);
    Ok(built.then_some(shadow))
}

/// Draws `dialog` into `shadow`: the backdrop, then the panel with its parts in reading order.
fn build(
    shadow: &ShadowRoot,
    dialog: Dialog,
    job_title: &str,
    reason: &str,
) -> Result<(), JsValue> {
    let copy = dialog.copy();
    let (root, panel) = frame("confirm-dialog", dialog.name())?;
    let described_by = header(&panel, copy, job_title)?;
    panel.set_attribute("aria-describedby", &described_by)?;
    if copy.asks_reason {
        reason_field(&panel, reason)?;
    }
    error_block(&panel)?;
    buttons(&panel, copy.dismiss, copy.confirm)?;
    shadow.append_child(&root)?;
    Ok(())
}

/// A new dialog's frame: the backdrop (a click on it dismisses) and the modal panel,
/// `role="alertdialog"` labelled by its title, with its test id and `data-dialog` name. Returns
/// the root to append and the panel to fill. The bulk confirmation (`bulk_dialog.rs`) has the same.
pub(super) fn frame(test_id: &str, name: &str) -> Result<(Element, Element), JsValue> {
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
            ("data-testid", test_id),
            ("data-dialog", name),
        ],
        "",
    )?;
    Ok((root, panel))
}

/// The title, the job, the message with its bullets, and the running note and warning when the
/// dialog has them; returns the ids that describe the dialog (its `aria-describedby`).
fn header(panel: &Element, copy: &DialogCopy, job_title: &str) -> Result<String, JsValue> {
    let mut described_by = String::from("ja-dialog-message");
    dom::child(panel, "h2", "", &[("id", "ja-dialog-title")], copy.title)?;
    let subject = dom::child(panel, "p", "subject", &[], "Job: ")?;
    dom::child(
        &subject,
        "strong",
        "",
        &[("data-testid", "dialog-job-title")],
        job_title,
    )?;
    dom::child(panel, "p", "", &[("id", "ja-dialog-message")], copy.message)?;
    if !copy.bullets.is_empty() {
        let list = dom::child(panel, "ul", "", &[], "")?;
        for bullet in copy.bullets {
            dom::child(&list, "li", "", &[], bullet)?;
        }
    }
    if let Some(note) = copy.running_note {
        dom::child(panel, "p", "running", &[("id", "ja-dialog-running")], note)?;
        described_by.push_str(" ja-dialog-running");
    }
    if let Some(warning) = copy.warning {
        dom::child(
            panel,
            "p",
            "warning",
            &[("id", "ja-dialog-warning")],
            warning,
        )?;
        described_by.push_str(" ja-dialog-warning");
    }
    Ok(described_by)
}

/// The reason's label, its textarea (holding what was typed so far) and its live counter.
pub(super) fn reason_field(panel: &Element, reason: &str) -> Result<(), JsValue> {
    dom::child(
        panel,
        "label",
        "",
        &[("for", "ja-reason")],
        copy::REASON_LABEL,
    )?;
    let textarea = dom::child(
        panel,
        "textarea",
        "",
        &[
            ("id", "ja-reason"),
            ("name", "reason"),
            ("rows", "3"),
            ("data-testid", "cancel-reason"),
            ("aria-describedby", "ja-reason-count ja-dialog-error"),
        ],
        "",
    )?;
    controls::register(&textarea, "reason", None, None)?;
    textarea
        .unchecked_ref::<HtmlTextAreaElement>()
        .set_value(reason);
    dom::child(
        panel,
        "div",
        "count",
        &[("id", "ja-reason-count"), ("data-testid", "reason-count")],
        "",
    )?;
    Ok(())
}

/// The error line of a failed attempt, the place of its "Copy details" and the sign-in link, all
/// empty or hidden until `update` fills or shows them.
fn error_block(panel: &Element) -> Result<(), JsValue> {
    error_line(panel)?;
    // Drawn only while there is something to copy: a hidden button would still be in the Tab
    // order the dialog keeps (`focusables`).
    dom::child(panel, "div", "copy-place", &[], "")?;
    // After a 401: where to sign in again (a new tab; the dialog and the reason stay here).
    let origin = dom::document()
        .location()
        .and_then(|location| location.origin().ok())
        .unwrap_or_default();
    let home = format!("{origin}/");
    dom::child(
        panel,
        "a",
        "sign-in",
        &[
            ("href", &home),
            ("target", "_blank"),
            ("rel", "noopener noreferrer"),
            ("data-testid", "dialog-sign-in"),
            ("hidden", ""),
        ],
        copy::SIGN_IN,
    )?;
    Ok(())
}

/// The error line (`role="alert"`), hidden until there is an error to say.
pub(super) fn error_line(panel: &Element) -> Result<(), JsValue> {
    dom::child(
        panel,
        "p",
        "error",
        &[
            ("id", "ja-dialog-error"),
            ("role", "alert"),
            ("data-testid", "dialog-error"),
            ("hidden", ""),
        ],
        "",
    )
    .map(drop)
}

/// The secondary button left ("Cancel", "Keep"), the destructive action right.
pub(super) fn buttons(panel: &Element, dismiss: &str, confirm: &str) -> Result<(), JsValue> {
    let buttons = dom::child(panel, "div", "buttons", &[], "")?;
    let dismiss = dom::child(
        &buttons,
        "button",
        "",
        &[("type", "button"), ("data-testid", "dialog-cancel")],
        dismiss,
    )?;
    controls::register(&dismiss, "dialog-dismiss", None, None)?;
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
        confirm,
    )?;
    controls::register(&confirm, "dialog-confirm", None, None)?;
    Ok(())
}

fn update(shadow: &ShadowRoot, flow: &Flow, busy: bool) -> Result<(), JsValue> {
    if flow.dialog().is_none() {
        return Ok(());
    }
    if let Some(confirm) = shadow.query_selector("[data-ja-action=dialog-confirm]")? {
        dom::set_flag(&confirm, "disabled", busy || !super::guard::armed())?;
        dom::set_flag(&confirm, "aria-busy", busy)?;
        let label = flow.confirm_label();
        if confirm.text_content().as_deref() != Some(label) {
            confirm.set_text_content(None);
            if busy {
                dom::child(&confirm, "span", "spinner", &[("aria-hidden", "true")], "")?;
            }
            confirm.append_with_str_1(label)?;
        }
    }
    if let Some(dismiss) = shadow.query_selector("[data-ja-action=dialog-dismiss]")? {
        dom::set_flag(&dismiss, "disabled", busy)?;
    }
    if let Some(error) = shadow.query_selector("[data-testid=dialog-error]")? {
        let message = flow.dialog_error().unwrap_or_default();
        dom::set_text_if_changed(&error, message);
        dom::set_flag(&error, "hidden", message.is_empty())?;
    }
    if let Some(place) = shadow.query_selector(".copy-place")? {
        let details = flow
            .failure()
            .and_then(|failure| failure.details.as_deref());
        let drawn = place
            .query_selector(".details")?
            .and_then(|text| text.text_content());
        if drawn.as_deref() != details {
            place.set_text_content(None);
            if let Some(details) = details {
                super::toast::copy_details(&place, details)?;
            }
        }
    }
    if let Some(sign_in) = shadow.query_selector("[data-testid=dialog-sign-in]")? {
        let needed = flow.failure().is_some_and(|failure| failure.sign_in);
        dom::set_flag(&sign_in, "hidden", !needed)?;
    }
    if let Some(textarea) = shadow.query_selector("textarea")? {
        dom::set_flag(&textarea, "readonly", busy)?;
        update_counter(shadow, &flow.reason)?;
    }
    Ok(())
}

/// The live "N / 500" counter, marked when over the limit.
pub fn update_counter(shadow: &ShadowRoot, reason: &str) -> Result<(), JsValue> {
    let n_chars = reason.chars().count();
    let over = n_chars > MAX_REASON_CHARS;
    if let Some(counter) = shadow.query_selector(".count")? {
        dom::set_text_if_changed(&counter, &copy::reason_counter(n_chars));
        dom::set_flag(&counter, "data-over", over)?;
    }
    if let Some(textarea) = shadow.query_selector("textarea")? {
        dom::set_flag(&textarea, "aria-invalid", over)?;
    }
    Ok(())
}

/// The dialog's shadow root, when one is on the page.
pub fn shadow() -> Option<ShadowRoot> {
    dom::document()
        .query_selector(&format!("body > [{}=\"{FEATURE}\"]", dom::HOST_ATTRIBUTE))
        .ok()
        .flatten()
        .and_then(|host| host.shadow_root())
}

/// The dialog's focusable controls, in tab order.
pub fn focusables(shadow: &ShadowRoot) -> Vec<HtmlElement> {
    let Ok(list) = shadow.query_selector_all(
        ".dialog textarea:not([hidden] *), .dialog input, .dialog button:not([disabled])",
    ) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|index| list.item(index))
        .filter_map(|node| node.dyn_into::<HtmlElement>().ok())
        .collect()
}

/// Focus on the least destructive control (the secondary button).
pub fn focus_initial(shadow: &ShadowRoot) {
    if let Ok(Some(dismiss)) = shadow.query_selector("[data-ja-action=dialog-dismiss]") {
        super::guard::focus_for_user(dismiss.unchecked_ref::<HtmlElement>());
    }
}

/// Whether `element` is the dialog's panel or inside it.
pub fn contains(shadow: &ShadowRoot, element: &Element) -> bool {
    shadow
        .query_selector(".dialog")
        .ok()
        .flatten()
        .is_some_and(|panel| panel.contains(Some(element)))
}
