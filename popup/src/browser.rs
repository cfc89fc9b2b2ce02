//! The few browser and extension APIs the popup calls directly, as thin bindings: timers, the
//! clock, page visibility, focus, the console, the toolbar badge, host permissions, a chosen
//! file's text and the "Test on this tab" probe. Everything that decides
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
// Whether the clipboard took `text`. Call it within the click that asked: both browsers want a
// user's gesture. Never throws.
export function copy_text(text) {
  try {
    return navigator.clipboard.writeText(text).then(() => true, () => false);
  } catch {
    return Promise.resolve(false);
  }
}
// After the next render: selects what the first element matching `selector` shows (a text to
// copy by hand).
export function select_contents(selector) {
  requestAnimationFrame(() => {
    const element = document.querySelector(selector);
    if (element) getSelection()?.selectAllChildren(element);
  });
}
export function is_hidden() { return document.hidden; }
// Settles just after the next frame is drawn (a task queued from the frame's animation callbacks
// runs after its rendering step), or after 100 ms when none comes.
export function after_paint() {
  return new Promise((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve, 0));
    setTimeout(resolve, 100);
  });
}
// What `main.js` read of the last known list before the app started (`last_list.rs`), and of
// what decides the app the popup shows (`last_list::Context`).
export function last_list() {
  const kept = globalThis.__jobActionsLastList;
  return typeof kept === 'string' ? kept : undefined;
}
export function popup_context() { return globalThis.__jobActionsContext ?? ''; }
export function local_time(ms) { return new Date(ms).toLocaleString(); }
// Settles when the page is next idle (at most a second from now).
export function when_idle() {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout: 1000 });
    else setTimeout(resolve, 0);
  });
}
export function focus_first(selector) {
  const before = document.activeElement;
  requestAnimationFrame(() => {
    // Only if focus is still where it was, or was lost with a removed element: someone who
    // already moved on (typing into another field) keeps their focus — and their keystrokes.
    const now = document.activeElement;
    if (now !== before && now !== null && now !== document.body) return;
    document.querySelector(selector)?.focus();
  });
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
// Saves `text` as a file the user downloads (Activity's exports): no permission needed.
export function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
// Whether Shift was held for the click being handled (read in its handler): a capturing
// listener notes it first. Cheaper in the download than Dioxus's modifier data.
let shiftClick = false;
document.addEventListener('click', (event) => { shiftClick = event.shiftKey; }, true);
export function shift_click() { return shiftClick; }
export function on_local_change(key, callback) {
  api().storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && Object.hasOwn(changes, key)) callback();
  });
}
export async function origins_granted(origins) {
  return api().permissions.contains({ origins });
}
export function remove_origins(origins) {
  return api().permissions.remove({ origins });
}
// The host permissions the manifest grants at install (never released).
// The site-profiles page (the options page, `options_ui` in the manifest), in a tab; the browser
// focuses it if it is open already. A toolbar popup closes by itself as the tab takes focus.
export function open_site_profiles() {
  api().runtime.openOptionsPage().catch((error) => console.warn('[job-actions] could not open the site profiles:', error));
}
export function manifest_patterns() {
  return api().runtime.getManifest().host_permissions ?? [];
}
// The text of the file chosen in <input type=file id=…>, or '' when none is.
export async function chosen_file_text(id) {
  const file = document.getElementById(id)?.files?.[0];
  return file ? file.text() : '';
}
// "Test on this tab": reads what a profile's selectors find in the web page tab the user is on
// (the active one; when the popup itself is a tab, the web tab used last), as JSON for
// profile_form::probe_facts. Needs the tab's host permission, like the overlay itself.
async function webTab() {
  const tabs = await api().tabs.query({ currentWindow: true });
  const web = tabs.filter((tab) => /^https?:/.test(tab.url ?? ''));
  return web.find((tab) => tab.active) ?? web.sort((a, b) => (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0))[0];
}
// The URL of that web tab, or '' (the popup's "Enable on this site"). Without the tab's host
// permission Chromium hides the URL; then `tabs` permission-free pages still have a title only.
export async function web_tab_url() {
  return (await webTab())?.url ?? '';
}
// Starts the overlay in the web tab at once (its registration covers the next loads).
export async function inject_overlay() {
  const tab = await webTab();
  if (!tab) throw new Error('the tab is gone');
  // From the extension's root: Firefox resolves a relative path against this page (popup/).
  const results = await api().scripting.executeScript({ target: { tabId: tab.id }, files: ['/content/loader.js'] });
  const failed = results.find((result) => result.error);
  if (failed) throw new Error(String(failed.error?.message ?? failed.error));
}
export async function probe_tab(plan) {
  const tab = await webTab();
  if (!tab) throw new Error('No page this extension may read is open in this window. Save the profile (that grants its origins), open one of its pages, then test again.');
  const [injection] = await api().scripting.executeScript({
    target: { tabId: tab.id },
    args: [plan],
    // `plan`: {rules: [{row, kind, value}], anchors: [selector]}; each rule and anchor in order.
    func: (plan) => {
      const { rules, anchors } = JSON.parse(plan);
      const error = (thrown) => ({ error: String(thrown?.message ?? thrown) });
      const idOf = (element, { kind, value }) => {
        if (kind === 'attribute') return element.getAttribute(value);
        if (kind === 'link') {
          const hrefs = [...element.querySelectorAll(value)].map((link) => link.getAttribute('href')).filter(Boolean);
          return hrefs.length ? hrefs.join(' ') : null;
        }
        const cell = element.querySelector(value);
        return cell ? cell.textContent : null;
      };
      // For "Enable on this site": the page's own links and the API calls it made.
      const links = [...new Set([...document.querySelectorAll('a[href]')]
        .filter((link) => link.origin === location.origin)
        .map((link) => link.pathname))].slice(0, 500);
      const requests = performance.getEntriesByType('resource')
        .filter((entry) => entry.initiatorType === 'fetch' || entry.initiatorType === 'xmlhttprequest')
        .map((entry) => entry.name).slice(-200);
      const facts = { url: location.href, links, requests };
      facts.rules = rules.map((rule) => {
        try {
          const rows = [...document.querySelectorAll(rule.row)];
          return { rows: rows.length, ids: rows.slice(0, 50).map((row) => idOf(row, rule)) };
        } catch (thrown) {
          return error(thrown);
        }
      });
      facts.anchors = anchors.map((anchor) => {
        try {
          return document.querySelector(anchor) !== null;
        } catch (thrown) {
          return error(thrown);
        }
      });
      return facts;
    },
  });
  return JSON.stringify(injection?.result ?? { url: tab.url, rules: [{ error: 'the page did not answer' }], anchors: [] });
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
    /// Once the screen shows what was rendered so far (`effects::View::after_paint`).
    pub async fn after_paint();
    /// When the page is next idle (at most a second from now).
    pub async fn when_idle();
    pub fn last_list() -> Option<String>;
    pub fn popup_context() -> String;
    #[wasm_bindgen(js_name = copy_text)]
    fn copy_text_js(text: &str) -> js_sys::Promise;
    /// Selects, after the next render, what the first element matching `selector` shows.
    pub fn select_contents(selector: &str);
    pub fn local_time(ms: f64) -> String;
    /// Focuses the first element matching `selector` after the next frame (after Dioxus renders),
    /// unless focus moved elsewhere meanwhile.
    pub fn focus_first(selector: &str);
    pub fn focus_into_dialog();
    pub fn set_badge(text: &str);
    /// Whether Shift was held for the click being handled.
    pub fn shift_click() -> bool;
    /// Saves `text` as a download named `name`, of MIME `type`.
    pub fn download(name: &str, r#type: &str, text: &str);
    #[wasm_bindgen(catch)]
    fn request_origins(origins: Vec<String>) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch)]
    fn remove_origins(origins: Vec<String>) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch)]
    async fn origins_granted(origins: Vec<String>) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = on_local_change)]
    fn on_local_change_js(key: &str, callback: &Closure<dyn FnMut()>);
    /// The host permissions the manifest grants at install (never given back).
    pub fn manifest_patterns() -> Vec<String>;
    /// Opens the site-profiles page (the extension's options page) in a tab.
    pub fn open_site_profiles();
    #[wasm_bindgen(catch)]
    async fn chosen_file_text(id: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = probe_tab)]
    async fn probe_tab_js(plan: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch)]
    async fn web_tab_url() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = inject_overlay)]
    async fn inject_overlay_js() -> Result<JsValue, JsValue>;
}

/// Calls `callback` whenever the popup is hidden or shown, for the popup's lifetime.
pub fn on_visibility_change(callback: impl FnMut() + 'static) {
    let callback = Closure::<dyn FnMut()>::new(callback);
    on_visibility_change_js(&callback);
    callback.forget();
}

/// The clock every tab and the background stamp job states with (milliseconds since the epoch).
pub fn now_ms() -> u64 {
    job_actions::jobs::time::whole_ms(clock_ms())
}

/// Writes `text` to the clipboard — started now, within the click that asked for it — and says
/// whether it was taken (no permission, no gesture: not).
pub fn copy_text(text: &str) -> impl std::future::Future<Output = bool> {
    let promise = copy_text_js(text);
    async move {
        wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .is_ok_and(|copied| copied.as_bool() == Some(true))
    }
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
        let promise = started.map_err(describe)?;
        let granted = wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .map_err(describe)?;
        Ok(granted.as_bool() == Some(true))
    }
}

/// Gives back host permissions no profile needs any more (`profiles::patterns_to_release`, which
/// never lists the manifest's own).
pub async fn release_origins(origins: Vec<String>) -> Result<(), String> {
    if origins.is_empty() {
        return Ok(());
    }
    let promise = remove_origins(origins).map_err(describe)?;
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map(drop)
        .map_err(describe)
}

/// The text of the file chosen in the file input `id` ('' when none is).
pub async fn chosen_file(id: &str) -> Result<String, String> {
    let text = chosen_file_text(id).await.map_err(describe)?;
    Ok(text.as_string().unwrap_or_default())
}

/// What a profile's selectors find in the user's web tab (JSON for `profile_form::probe_facts`);
/// `plan` is `profile_form::probe_plan`'s.
pub async fn probe_tab(plan: &str) -> Result<String, String> {
    let text = probe_tab_js(plan).await.map_err(describe)?;
    text.as_string()
        .ok_or_else(|| "The tab gave no answer.".to_string())
}

/// The URL of the web tab the popup is over (or the one used last), if any.
pub async fn web_tab() -> Option<String> {
    web_tab_url()
        .await
        .ok()?
        .as_string()
        .filter(|url| !url.is_empty())
}

/// Starts the overlay in the web tab now (its registration covers the next loads).
pub async fn inject_overlay() -> Result<(), String> {
    inject_overlay_js().await.map(drop).map_err(describe)
}

/// Whether every one of `origins` (match patterns) is granted.
pub async fn granted(origins: Vec<String>) -> bool {
    origins_granted(origins)
        .await
        .ok()
        .and_then(|granted| granted.as_bool())
        .unwrap_or(false)
}

/// Calls `callback` whenever `storage.local` `key` changes, for the page's lifetime.
pub fn on_local_change(key: &str, callback: impl FnMut() + 'static) {
    let callback = Closure::<dyn FnMut()>::new(callback);
    on_local_change_js(key, &callback);
    callback.forget();
}

/// What a rejected browser call says (its error's message), for a sentence the user reads.
pub fn describe(error: JsValue) -> String {
    js_sys::Error::from(error).message().into()
}
