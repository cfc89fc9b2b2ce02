//! Toasts (PRD §5.7): a small stack at the bottom right, `role="status"` for success and info,
//! `role="alert"` for errors; they never take focus, dismiss themselves after 5 s, and have a
//! close button. A toast can be carried over a full-page navigation (delete → job list). The error
//! toast of a failed request has "Copy details" (issue #23), which the dialog's error has too
//! (while the dialog is open, only the dialog's).

use crate::{browser, dom};
use job_actions::api::json::{self, Json};
use job_actions::jobs::flow::{Toast, ToastKind};
pub use job_actions::jobs::report::CopyButton;
use job_actions::jobs::report::{COPIED, COPIED_MS, COPY_FAILED, DETAILS, RECEIPT};
use wasm_bindgen::JsValue;
use web_sys::Element;

pub const FEATURE: &str = "toasts";
pub const AUTO_DISMISS_MS: u32 = 5_000;
/// A carried toast older than this is not shown (the navigation failed or was abandoned).
const CARRY_MAX_AGE_S: u32 = 30;
const CARRY_KEY: &str = "pendingToast";

const STYLE: &str = "
:host { all: initial; }
.stack { position: fixed; right: 16px; bottom: 16px; z-index: 2147483647; display: flex;
  flex-direction: column; gap: 8px; max-width: min(420px, calc(100vw - 32px)); }
.toast { display: flex; align-items: flex-start; gap: 10px; padding: 10px 12px; border-radius: 8px;
  font: 14px/20px system-ui, -apple-system, 'Segoe UI', sans-serif; color: #1f2328; background: #fff;
  border: 1px solid #d0d7de; border-left-width: 4px; box-shadow: 0 8px 24px rgba(31,35,40,.16);
  overflow-wrap: anywhere; }
.toast[data-kind=success] { border-left-color: #1a7f37; }
.toast[data-kind=info] { border-left-color: #0969da; }
.toast[data-kind=error] { border-left-color: #cf222e; }
.text { flex: 1; min-width: 0; }
.close { all: unset; cursor: pointer; color: #57606a; font-size: 18px; line-height: 20px; padding: 0 4px; border-radius: 4px; }
.close:focus-visible { outline: 2px solid #0969da; }
.copy button { all: unset; cursor: pointer; color: #0969da; font-weight: 600; text-decoration: underline; }
.copy button:focus-visible { outline: 2px solid #0969da; }
";

/// The text "Copy details" copies, hidden until the clipboard refuses it (also in the dialog).
pub const COPY_STYLE: &str = "
.details { margin: 6px 0 0; padding: 6px 8px; border-radius: 6px; background: #f6f8fa; color: #1f2328;
  font: 12px/1.4 ui-monospace, monospace; white-space: pre-wrap; user-select: all; }
.details[hidden] { display: none; }
";

fn kind_name(kind: ToastKind) -> &'static str {
    match kind {
        ToastKind::Success => "success",
        ToastKind::Info => "info",
        ToastKind::Error => "error",
    }
}

/// Shows a toast now.
pub fn show(toast: &Toast) -> Result<(), JsValue> {
    // A receipt's entry is only ever in a toast of the actions build (the page-wide build shows
    // a carried one's text): formatting it stays out of the page-wide build.
    #[cfg(feature = "actions")]
    if let Some(entry) = &toast.receipt {
        return show_with(toast, Some((RECEIPT, &entry.receipt()))).map(drop);
    }
    show_with(
        toast,
        toast.details.as_deref().map(|details| (DETAILS, details)),
    )
    .map(drop)
}

/// Shows a toast with its copy button, if it has one; the element holding the text it copies.
fn show_with(toast: &Toast, copy: Option<(CopyButton, &str)>) -> Result<Option<Element>, JsValue> {
    let (_, shadow, created) = dom::page_host(FEATURE, &[STYLE, COPY_STYLE])?;
    let stack = dom::root_element_of(&shadow, created, "div", "stack", &[("aria-live", "polite")])?;
    let kind = kind_name(toast.kind);
    let role = if toast.kind == ToastKind::Error {
        "alert"
    } else {
        "status"
    };
    let item = dom::child(
        &stack,
        "div",
        "toast",
        &[
            ("role", role),
            ("data-kind", kind),
            ("data-testid", "toast"),
        ],
        "",
    )?;
    let text = dom::child(&item, "div", "text", &[], &toast.text)?;
    // While the dialog is open it shows the same error with its own "Copy details"; a taller
    // toast would only cover the dialog's corner, and its guard then rightly refuses the confirm.
    let dialog_open = dom::document()
        .query_selector("body > [data-job-actions=dialog]")?
        .is_some();
    let copied = match copy.filter(|_| !dialog_open) {
        Some((button, copied)) => Some(copy_block(&text, button, copied)?),
        None => None,
    };
    let close = dom::child(
        &item,
        "button",
        "close",
        &[
            ("type", "button"),
            ("aria-label", "Dismiss notification"),
            ("data-testid", "toast-dismiss"),
        ],
        "×",
    )?;
    crate::controls::register(&close, "toast-dismiss", None, None)?;
    browser::after(AUTO_DISMISS_MS, move || item.remove());
    Ok(copied)
}

/// "Copy details" and, after it, the text it copies (hidden) — the failed request's console line.
pub fn copy_details(parent: &Element, details: &str) -> Result<(), JsValue> {
    copy_block(parent, DETAILS, details).map(drop)
}

/// A copy button and, after it, the text it copies (hidden): that element.
fn copy_block(parent: &Element, copy: CopyButton, copied: &str) -> Result<Element, JsValue> {
    let block = dom::child(parent, "div", "copy", &[], "")?;
    // A live button: what became of the copy ("Copied") is announced as its label changes.
    let button = dom::child(
        &block,
        "button",
        "",
        &[
            ("type", "button"),
            ("aria-live", "polite"),
            ("data-testid", copy.id),
        ],
        copy.label,
    )?;
    crate::controls::register(&button, copy.id, None, None)?;
    dom::child(
        &block,
        "pre",
        "details",
        &[
            ("data-testid", &format!("{}-text", copy.id)),
            ("hidden", ""),
        ],
        copied,
    )
}

/// A press on "Copy details": copies the text drawn beside it; the button says "Copied" for 2 s,
/// or, when the clipboard refuses it, says so and shows the text, selected, to be copied by hand.
/// `changed` hears each change the extension makes (the dialog's guard keeps what it drew).
/// The text is read from the element the extension drew: a page that rewrote it could as well
/// write the clipboard itself on the same click, so it gains nothing.
pub fn copy_pressed(button: &Element, copy: CopyButton, changed: fn(&Element)) {
    let Some(text) = button.next_element_sibling() else {
        return;
    };
    // Started now, within the click: the browsers want a user's gesture.
    let copying = browser::copy_text(&text.text_content().unwrap_or_default());
    let button = button.clone();
    wasm_bindgen_futures::spawn_local(async move {
        if !copying.await {
            let _ = text.remove_attribute("hidden");
            browser::select_contents(&text);
            button.set_text_content(Some(COPY_FAILED));
            changed(&button);
            return;
        }
        button.set_text_content(Some(COPIED));
        changed(&button);
        browser::after(COPIED_MS, move || {
            button.set_text_content(Some(copy.label));
            changed(&button);
        });
    });
}

/// Keeps a toast in extension storage to show on the next page of this origin: the write starts
/// now, and its promise says when it is done.
pub fn carry_over(toast: &Toast, origin: &str) -> Result<js_sys::Promise, JsValue> {
    // Whole seconds as an integer: formatting or parsing floats would cost wasm size.
    let at = now_s().to_string();
    #[cfg(feature = "actions")]
    let (receipt, entry) = match &toast.receipt {
        Some(entry) => (Some(entry.receipt()), Some(entry.id.as_str())),
        None => (None, None),
    };
    #[cfg(not(feature = "actions"))]
    let (receipt, entry): (Option<String>, Option<&str>) = (None, None);
    let record = json::write_string_object(&[
        ("kind", Some(kind_name(toast.kind))),
        ("text", Some(&toast.text)),
        ("origin", Some(origin)),
        ("at", Some(&at)),
        ("receipt", receipt.as_deref()),
        // Its Activity entry: the next page asks for the receipt as kept (the deletion check the
        // page handed over adds its 404).
        ("entry", entry),
    ]);
    browser::start_storage_set(CARRY_KEY, &record)
}

/// Shows (once) a toast carried over from the previous page of this origin.
pub async fn show_carried(origin: &str) -> Result<(), JsValue> {
    let Some(record) = browser::storage_get(CARRY_KEY).await? else {
        return Ok(());
    };
    browser::storage_remove(CARRY_KEY).await?;
    let Ok(value) = json::parse(&record) else {
        return Ok(());
    };
    let field = |name: &str| {
        value
            .member(&[name])
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let fresh = field("at")
        .parse::<u32>()
        .is_ok_and(|at| now_s().saturating_sub(at) < CARRY_MAX_AGE_S);
    if field("origin") != origin || !fresh {
        return Ok(());
    }
    let kind = match field("kind").as_str() {
        "success" => ToastKind::Success,
        "error" => ToastKind::Error,
        _ => ToastKind::Info,
    };
    let receipt = field("receipt");
    let copied = show_with(
        &Toast {
            kind,
            text: field("text"),
            details: None,
            receipt: None,
        },
        Some((RECEIPT, receipt.as_str())).filter(|_| !receipt.is_empty()),
    )?;
    let entry = field("entry");
    if let (Some(copied), false) = (copied, entry.is_empty()) {
        // What the deletion check the page handed over found (its 404), once it is done; the
        // receipt stays as carried when the background has nothing. Asked again once if the
        // question found no answer: a worker the browser stopped meanwhile closes it unanswered,
        // and the next start resumes the check (`background/main.js`).
        let question = [("kind", "job-actions:receipt"), ("id", entry.as_str())];
        let mut answer = Err(JsValue::UNDEFINED);
        for _ in 0..2 {
            answer = browser::message_background(&question).await;
            if answer.is_ok() {
                break;
            }
        }
        let answer = answer?;
        if let Some(confirmed) = js_sys::Reflect::get(&answer, &"confirmed".into())?.as_string() {
            copied.set_text_content(Some(&(receipt + &confirmed)));
        }
    }
    Ok(())
}

/// Seconds since the epoch. Kept in 32 bits: the wasm2js build cannot convert floats to 64-bit
/// integers (wasm2js's i64 lowering rejects `i64.trunc_sat_f64_u`).
fn now_s() -> u32 {
    (js_sys::Date::now() / 1000.0) as u32
}

/// The copy button a control name is, if it is one.
pub fn copy_button(control: &str) -> Option<CopyButton> {
    CopyButton::by_id(control)
}
