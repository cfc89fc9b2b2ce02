//! The few browser and extension APIs the popup calls directly, as thin bindings: timers, the
//! clock, page visibility, focus, the console, the toolbar badge and host permissions. Everything that decides
//! something lives elsewhere.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
const api = () => globalThis.browser ?? globalThis.chrome;
export function sleep(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }
export function extension_api() { return api(); }
export function warn(text) { console.warn(text); }
export function on_visibility_change(callback) {
  document.addEventListener('visibilitychange', () => callback());
}
export function now_ms() { return Date.now(); }
export function is_hidden() { return document.hidden; }
export function local_time(ms) { return new Date(ms).toLocaleString(); }
export function focus_first(selector) {
  requestAnimationFrame(() => document.querySelector(selector)?.focus());
}
// After a render: if a dialog is open and focus is outside it (it just opened, or the button
// that had focus was disabled while sending), focus its least destructive control.
export function focus_into_dialog() {
  requestAnimationFrame(() => {
    const dialog = document.querySelector('[aria-modal="true"]');
    if (!dialog || dialog.contains(document.activeElement)) return;
    dialog.querySelector('[data-testid=cancel-reason], [data-testid=dialog-cancel]:not([disabled])')?.focus();
  });
}
export function set_badge(text) {
  const action = api().action;
  if (!action) return;
  action.setBadgeText({ text }).catch(() => {});
  action.setBadgeBackgroundColor?.({ color: '#0969da' })?.catch?.(() => {});
}
// Must run inside the click handler that asked for it: both browsers require a user gesture.
export function request_origins(origins) {
  return api().permissions.request({ origins });
}
// An open modal dialog: Esc presses its enabled "Cancel" (so Esc does nothing while a request
// is in flight), and Tab stays inside it (PRD §9: focus trap).
document.addEventListener('keydown', (event) => {
  const dialog = document.querySelector('[aria-modal="true"]');
  if (!dialog) return;
  if (event.key === 'Escape') {
    event.preventDefault();
    dialog.querySelector('[data-testid=dialog-cancel]:not([disabled])')?.click();
    return;
  }
  if (event.key !== 'Tab') return;
  const items = [...dialog.querySelectorAll('button:not([disabled]), textarea:not([disabled]), a[href], input:not([disabled])')];
  if (items.length === 0) return;
  const first = items[0], last = items[items.length - 1];
  if (!dialog.contains(document.activeElement)) { event.preventDefault(); first.focus(); }
  else if (event.shiftKey && document.activeElement === first) { event.preventDefault(); last.focus(); }
  else if (!event.shiftKey && document.activeElement === last) { event.preventDefault(); first.focus(); }
});
"#)]
extern "C" {
    pub async fn sleep(ms: u32);
    /// The extension API object (`browser` or `chrome`).
    pub fn extension_api() -> JsValue;
    pub fn warn(text: &str);
    #[wasm_bindgen(js_name = on_visibility_change)]
    fn on_visibility_change_js(callback: &Closure<dyn FnMut()>);
    #[wasm_bindgen(js_name = now_ms)]
    fn clock_ms() -> f64;
    pub fn is_hidden() -> bool;
    pub fn local_time(ms: f64) -> String;
    /// Focuses the first element matching `selector` after the next frame (after Dioxus renders).
    pub fn focus_first(selector: &str);
    pub fn focus_into_dialog();
    pub fn set_badge(text: &str);
    #[wasm_bindgen(catch)]
    fn request_origins(origins: Vec<String>) -> Result<js_sys::Promise, JsValue>;
}

/// Calls `callback` whenever the popup is hidden or shown, for the popup's lifetime.
pub fn on_visibility_change(callback: impl FnMut() + 'static) {
    let callback = Closure::<dyn FnMut()>::new(callback);
    on_visibility_change_js(&callback);
    callback.forget();
}

/// The clock every tab and the background stamp job states with (milliseconds since the epoch).
pub fn now_ms() -> u64 {
    job_actions::time::whole_ms(clock_ms())
}

/// The current time in whole milliseconds since the epoch.
pub fn now() -> i64 {
    clock_ms() as i64
}

/// Asks for host permissions. Call it synchronously from a click handler; await the result.
pub fn request_permission(
    origins: Vec<String>,
) -> impl std::future::Future<Output = Result<bool, String>> {
    let started = request_origins(origins);
    async move {
        let promise = started.map_err(crate::storage::describe)?;
        let granted = wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .map_err(crate::storage::describe)?;
        Ok(granted.as_bool() == Some(true))
    }
}
