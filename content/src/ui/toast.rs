//! Toasts (PRD §5.7): a small stack at the bottom right, `role="status"` for success and info,
//! `role="alert"` for errors; they never take focus, dismiss themselves after 5 s, and have a
//! close button. A toast can be carried over a full-page navigation (delete → job list).

use crate::{browser, dom};
use job_actions::api::json::{self, Json};
use job_actions::jobs::flow::{Toast, ToastKind};
use wasm_bindgen::JsValue;

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
    let (_, shadow, created) = dom::page_host(FEATURE, &[STYLE])?;
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
    dom::child(&item, "div", "text", &[], &toast.text)?;
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
    Ok(())
}

/// Keeps a toast in extension storage to show on the next page of this origin.
pub async fn carry_over(toast: &Toast, origin: &str) -> Result<(), JsValue> {
    // Whole seconds as an integer: formatting or parsing floats would cost wasm size.
    let at = now_s().to_string();
    let record = json::write_string_object(&[
        ("kind", Some(kind_name(toast.kind))),
        ("text", Some(&toast.text)),
        ("origin", Some(origin)),
        ("at", Some(&at)),
    ]);
    browser::storage_set(CARRY_KEY, &record).await
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
    show(&Toast {
        kind,
        text: field("text"),
    })
}

/// Seconds since the epoch. Kept in 32 bits: the wasm2js build cannot convert floats to 64-bit
/// integers (wasm2js's i64 lowering rejects `i64.trunc_sat_f64_u`).
fn now_s() -> u32 {
    (js_sys::Date::now() / 1000.0) as u32
}
