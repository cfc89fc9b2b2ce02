//! Thin wrappers over the few browser APIs the overlay needs besides the DOM: timers, page
//! visibility, navigation, and the extension's own storage.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

fn window() -> web_sys::Window {
    web_sys::window().expect("content scripts run in a window")
}

/// Resolves after `ms` milliseconds.
pub async fn sleep(ms: u32) {
    let promise = Promise::new(&mut |resolve, _reject| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
    });
    let _ = JsFuture::from(promise).await;
}

/// Runs `callback` once after `ms` milliseconds.
pub fn after(ms: u32, callback: impl FnOnce() + 'static) {
    let callback = Closure::once_into_js(callback);
    let _ = window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), ms as i32);
}

/// Runs `callback` after `ms` milliseconds unless one is already waiting under `waiting` (set
/// until it runs): what a bulk run does on every answer — send its Activity entries and
/// deletions, redraw — is done once per `ms` instead.
#[cfg(feature = "actions")]
pub fn after_unless_waiting(
    waiting: &'static std::thread::LocalKey<std::cell::Cell<bool>>,
    ms: u32,
    callback: impl FnOnce() + 'static,
) {
    if !waiting.with(|waiting| waiting.replace(true)) {
        after(ms, move || {
            waiting.with(|waiting| waiting.set(false));
            callback();
        });
    }
}

/// Writes `text` to the clipboard — started now, within the click that asked for it: the browsers
/// want a user's gesture — and says whether it was taken. Never throws: a page that is no secure
/// context has no `navigator.clipboard`.
pub fn copy_text(text: &str) -> impl std::future::Future<Output = bool> {
    let write = || -> Result<Promise, JsValue> {
        let clipboard = Reflect::get(&window().navigator(), &"clipboard".into())?;
        let write: Function = Reflect::get(&clipboard, &"writeText".into())?.dyn_into()?;
        write.call1(&clipboard, &text.into())?.dyn_into()
    };
    let started = write();
    async move {
        match started {
            Ok(promise) => JsFuture::from(promise).await.is_ok(),
            Err(_) => false,
        }
    }
}

/// Selects what `element` shows, for the user to copy by hand.
pub fn select_contents(element: &web_sys::Element) {
    if let Ok(Some(selection)) = window().get_selection() {
        let _ = selection.select_all_children(element);
    }
}

/// Whether the tab is in the background (pollers stay silent then).
pub fn is_hidden() -> bool {
    crate::dom::document().hidden()
}

/// Goes to `path` on this origin the way the host app would: a click on the host's own link to
/// it when the page has one (a single-page app routes it client-side, a plain app navigates), a
/// normal navigation otherwise.
pub fn navigate(path: &str) {
    let document = crate::dom::document();
    if let Some(link) = host_link_to(&document, path) {
        link.click();
        return;
    }
    if let Some(location) = document.location() {
        let _ = location.assign(path);
    }
}

/// A link of the host page (not one of ours: those live in shadow roots) whose path is `path`.
fn host_link_to(document: &web_sys::Document, path: &str) -> Option<web_sys::HtmlAnchorElement> {
    let links = document.query_selector_all("a[href]").ok()?;
    let origin = document.location()?.origin().ok()?;
    let wanted = path.trim_end_matches('/');
    (0..links.length())
        .filter_map(|index| links.item(index))
        .filter_map(|node| node.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .find(|link| {
            link.origin() == origin
                && link.pathname().trim_end_matches('/') == wanted
                && link.target().is_empty()
        })
}

/// Milliseconds since the epoch: the clock every tab and the background stamp job states with.
pub fn now_ms() -> u64 {
    job_actions::jobs::time::whole_ms(js_sys::Date::now())
}

thread_local! {
    static EXTENSION_API: std::cell::RefCell<JsValue> = const { std::cell::RefCell::new(JsValue::UNDEFINED) };
}

/// Keeps the extension API object (`browser` or `chrome`) the loader hands over.
pub fn set_extension_api(api: JsValue) {
    EXTENSION_API.with(|slot| *slot.borrow_mut() = api);
}

/// The extension API object (`browser` or `chrome`) the loader handed over.
pub fn extension_api() -> JsValue {
    EXTENSION_API.with(|slot| slot.borrow().clone())
}

/// An area of the extension's storage (`local`, `session`): never the page's localStorage.
fn storage_area(name: &str) -> Result<JsValue, JsValue> {
    let api = EXTENSION_API.with(|slot| slot.borrow().clone());
    if api.is_undefined() {
        return Err(JsValue::from_str("the loader passed no extension API"));
    }
    let storage = Reflect::get(&api, &"storage".into())?;
    Reflect::get(&storage, &name.into())
}

async fn call_storage(method: &str, argument: &JsValue) -> Result<JsValue, JsValue> {
    call_area("local", method, argument).await
}

async fn call_area(area: &str, method: &str, argument: &JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(start_area(area, method, argument)?).await
}

/// Calls a storage area's method now; its promise.
fn start_area(area: &str, method: &str, argument: &JsValue) -> Result<Promise, JsValue> {
    let area = storage_area(area)?;
    let function: Function = Reflect::get(&area, &method.into())?.dyn_into()?;
    function.call1(&area, argument)?.dyn_into()
}

/// The string stored under `key`, if any.
pub async fn storage_get(key: &str) -> Result<Option<String>, JsValue> {
    let items = call_storage("get", &JsValue::from_str(key)).await?;
    Ok(Reflect::get(&items, &key.into())?.as_string())
}

/// The strings stored under `keys`, in order, in one read (a page's start waits for it).
pub async fn storage_get_all<const N: usize>(
    keys: [&str; N],
) -> Result<[Option<String>; N], JsValue> {
    let list = js_sys::Array::new();
    for key in keys {
        list.push(&key.into());
    }
    let items = call_storage("get", &list).await?;
    let mut values = [const { None }; N];
    for (value, key) in values.iter_mut().zip(keys) {
        *value = Reflect::get(&items, &key.into())?.as_string();
    }
    Ok(values)
}

/// Starts writing `value` under `key` now: a page that leaves next need not wait for the write
/// (the browser carries out an extension's storage calls in order, so the next page's read comes
/// after it).
pub fn start_storage_set(key: &str, value: &str) -> Result<Promise, JsValue> {
    let items = js_sys::Object::new();
    Reflect::set(&items, &key.into(), &value.into())?;
    start_area("local", "set", &items)
}

pub async fn storage_remove(key: &str) -> Result<(), JsValue> {
    call_storage("remove", &JsValue::from_str(key))
        .await
        .map(drop)
}

/// Sends `message` to the extension's background and returns its answer. Session storage goes
/// through the background: Firefox does not let content scripts use `storage.session` at all
/// (it has no `setAccessLevel`), and this way a content script can touch only reason keys.
async fn ask_background(message: &js_sys::Object) -> Result<JsValue, JsValue> {
    let api = EXTENSION_API.with(|slot| slot.borrow().clone());
    let runtime = Reflect::get(&api, &"runtime".into())?;
    let send: Function = Reflect::get(&runtime, &"sendMessage".into())?.dyn_into()?;
    let promise: Promise = send.call1(&runtime, message)?.dyn_into()?;
    let answer = JsFuture::from(promise).await?;
    if Reflect::get(&answer, &"ok".into())?.as_bool() == Some(true) {
        Ok(answer)
    } else {
        Err(Reflect::get(&answer, &"error".into())?)
    }
}

/// Sends the background a message of string fields and returns its answer.
pub async fn message_background(fields: &[(&str, &str)]) -> Result<JsValue, JsValue> {
    ask_background(&message(fields)?).await
}

/// Claims `jobs` of `api_base` for a bulk run's `action` ("cancel", "delete"), in one message,
/// or (`release`) gives the claims back (`background/main.js`, `job-actions:claim`): for each
/// job, whether the run holds it (false: another view does). A background that does not answer
/// claims nothing and refuses nothing: the requests go.
#[cfg(feature = "actions")]
pub async fn claim_jobs(api_base: &str, jobs: &[String], action: &str, release: bool) -> Vec<bool> {
    let list = job_actions::jobs::bulk_claims::jobs_text(jobs);
    let mut fields = vec![
        ("kind", "job-actions:claim"),
        ("api", api_base),
        ("action", action),
        ("jobs", &list),
    ];
    if release {
        fields.push(("release", "1"));
    }
    let answer = match message(&fields) {
        Ok(message) => ask_background(&message).await,
        Err(error) => Err(error),
    };
    match answer.and_then(|answer| Reflect::get(&answer, &"granted".into())) {
        Ok(granted) => {
            job_actions::jobs::bulk_claims::granted(&granted.as_string().unwrap_or_default())
        }
        Err(error) => {
            crate::log::warn(&format!(
                "the background did not answer a claim ({}); sending the requests anyway",
                error.as_string().unwrap_or_default()
            ));
            Vec::new()
        }
    }
}

/// Keeps Activity entries (each `activity::entry_json`), in order: the background folds them
/// into the log.
#[cfg(feature = "actions")]
pub async fn record_activity(entries: &[String]) -> Result<(), JsValue> {
    // Written out rather than joined (`[String]::join`: 0.9 KB of wasm).
    let mut list = String::from("[");
    for (at, entry) in entries.iter().enumerate() {
        if at > 0 {
            list.push(',');
        }
        list.push_str(entry);
    }
    list.push(']');
    ask_background(&message(&[
        ("kind", "job-actions:activity"),
        ("entries", &list),
    ])?)
    .await?;
    Ok(())
}

/// Tells the background of the check that a deleted job is gone (`entry`: the answered delete's
/// Activity entry): `job-actions:check-deletion` for a page that leaves now (the background
/// runs it and keeps the confirmation), `job-actions:watch-deletion` for a page whose own check
/// goes on (the background runs it if the page goes first).
#[cfg(feature = "actions")]
pub async fn hand_over_check(kind: &str, entry: &str) -> Result<(), JsValue> {
    message_background(&[("kind", kind), ("entry", entry)]).await?;
    Ok(())
}

fn message(fields: &[(&str, &str)]) -> Result<js_sys::Object, JsValue> {
    let object = js_sys::Object::new();
    for (name, value) in fields {
        Reflect::set(&object, &(*name).into(), &(*value).into())?;
    }
    Ok(object)
}

/// The `(key without prefix, value)` pairs of the typed reasons under `prefix` that wait in the
/// extension's session storage.
pub async fn session_entries(prefix: &str) -> Result<Vec<(String, String)>, JsValue> {
    let answer = ask_background(&message(&[
        ("kind", "job-actions:reasons"),
        ("prefix", prefix),
    ])?)
    .await?;
    let items = Reflect::get(&answer, &"entries".into())?;
    let mut entries = Vec::new();
    let object: &js_sys::Object = items.unchecked_ref();
    for key in js_sys::Object::keys(object).iter() {
        let Some(key) = key.as_string() else { continue };
        if let Some(value) = Reflect::get(&items, &key.as_str().into())?.as_string() {
            entries.push((key, value));
        }
    }
    Ok(entries)
}

/// Keeps a typed reason under `key` in session storage; an empty value removes the key.
pub async fn session_set(key: &str, value: &str) -> Result<(), JsValue> {
    ask_background(&message(&[
        ("kind", "job-actions:reason"),
        ("key", key),
        ("value", value),
    ])?)
    .await
    .map(drop)
}

/// A `performance` mark the page's own tools (and `cargo xtask bench`) can read: when the
/// overlay's data arrived, next to its decoration passes. One per name: a client-side app's
/// route changes replace it rather than fill the page's buffer.
pub fn mark(name: &str) {
    if let Some(performance) = window().performance() {
        performance.clear_marks_with_mark_name(name);
        let _ = performance.mark(name);
    }
}

/// Marks each decoration pass on the page's performance timeline as a `job-actions:decorate`
/// measure (visible in DevTools' performance panel, and read by `cargo xtask bench`).
pub struct PassTiming {
    performance: Option<web_sys::Performance>,
}

const PASS_START: &str = "job-actions:decorate:start";
const PASS_MEASURE: &str = "job-actions:decorate";

impl PassTiming {
    pub fn start() -> PassTiming {
        let performance = window().performance();
        if let Some(performance) = &performance {
            let _ = performance.mark(PASS_START);
        }
        PassTiming { performance }
    }

    pub fn finish(self) {
        if let Some(performance) = &self.performance {
            let _ = performance.measure_with_start_mark(PASS_MEASURE, PASS_START);
            // Observers have seen the entries; keep the page's buffer from growing.
            performance.clear_marks_with_mark_name(PASS_START);
            performance.clear_measures_with_measure_name(PASS_MEASURE);
        }
    }
}

/// The page's CSRF header for a write (issue #19): from its meta tags and `document.cookie`, as
/// the profile says (`job_actions::sites::csrf`). The page writes both; the value goes only to its own
/// origin's API, where a wrong one is refused like any request the app would refuse.
#[cfg(feature = "actions")]
pub fn page_csrf(csrf: &job_actions::sites::profile::Csrf) -> Option<(String, String)> {
    let document = web_sys::window()?.document()?;
    // The document's live list of meta tags, not `querySelector('meta[name=…]')`: the browser
    // keeps that list until the DOM changes, where a selector walks the whole page on every write
    // (0.2 ms each on a 500-row list, measured in a bulk run that sends one every few ms).
    let metas = document.get_elements_by_tag_name("meta");
    let meta = |name: &str| {
        (0..metas.length())
            .filter_map(|at| metas.item(at))
            .find(|meta| meta.get_attribute("name").as_deref() == Some(name))?
            .get_attribute("content")
    };
    let cookies = js_sys::Reflect::get(&document, &"cookie".into())
        .ok()
        .and_then(|cookies| cookies.as_string())
        .unwrap_or_default();
    job_actions::sites::csrf::header_for(csrf, meta, &cookies)
}

/// Calls `then(value)` once, on the first change of the stored site profiles (`storage.local`
/// `profiles`, or the organisation's `managed_profiles`) after now.
pub fn on_profiles_changed<T: 'static>(value: T, then: fn(T)) -> Result<(), JsValue> {
    let events = Reflect::get(
        &Reflect::get(&extension_api(), &"storage".into())?,
        &"onChanged".into(),
    )?;
    let slot = std::rc::Rc::new(std::cell::RefCell::new(Some(value)));
    let listener =
        Closure::<dyn FnMut(JsValue, JsValue)>::new(move |changes: JsValue, area: JsValue| {
            let has = |key: &str| Reflect::has(&changes, &key.into()).unwrap_or(false);
            let ours = area.as_string().as_deref() == Some("local")
                && (has(job_actions::sites::profiles::STORAGE_KEY)
                    || has(job_actions::sites::managed::MANAGED_KEY));
            if let Some(value) = ours.then(|| slot.borrow_mut().take()).flatten() {
                then(value);
            }
        });
    let add: Function = Reflect::get(&events, &"addListener".into())?.dyn_into()?;
    add.call1(&events, listener.as_ref())?;
    // Lives as long as the page: one listener, whose work is done after its first change.
    listener.forget();
    Ok(())
}
