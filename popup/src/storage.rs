//! Extension storage (`storage.local`), never a page's localStorage. Values are JSON strings.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
const api = () => globalThis.browser ?? globalThis.chrome;
export async function storage_get(key) {
  const items = await api().storage.local.get(key);
  return typeof items[key] === 'string' ? items[key] : null;
}
export async function storage_set(key, value) {
  await api().storage.local.set({ [key]: value });
}
// Session storage: kept while the browser runs, gone when it closes; never on disk.
export async function session_entries(prefix) {
  const items = await api().storage.session.get(null);
  return Object.entries(items).filter(([key, value]) => key.startsWith(prefix) && typeof value === 'string').flat();
}
// Activity (issue #23): the background folds each entry into the log, one at a time; and a
// delete's check that outlasted its first read, which the background carries on if the popup
// closes first (`job-actions:watch-deletion`).
export async function send_entry(kind, entry) {
  const answer = await api().runtime.sendMessage({ kind, entry });
  if (!answer?.ok) throw new Error(answer?.error ?? 'the background did not answer');
}
// Bulk runs (issue #24): jobs are claimed, a batch per message, before their requests, so the
// popup and a tab acting on them at once send one request each; a background that does not
// answer claims nothing (an empty answer: every job goes).
export async function claim_jobs(apiBase, jobs, action, release) {
  try {
    const answer = await api().runtime.sendMessage({ kind: 'job-actions:claim', api: apiBase, jobs, action, release });
    return answer?.ok && typeof answer.granted === 'string' ? answer.granted : '';
  } catch (error) {
    console.warn('[job-actions] the background did not answer a claim; sending the requests anyway', error);
    return '';
  }
}
export async function session_put(key, value) {
  if (value === '') await api().storage.session.remove(key);
  else await api().storage.session.set({ [key]: value });
}
"#)]
extern "C" {
    #[wasm_bindgen(catch)]
    async fn storage_get(key: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch)]
    async fn storage_set(key: &str, value: &str) -> Result<(), JsValue>;
    #[wasm_bindgen(catch)]
    async fn session_entries(prefix: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch)]
    async fn session_put(key: &str, value: &str) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_name = send_entry)]
    async fn send_entry_js(kind: &str, entry: &str) -> Result<(), JsValue>;
    #[wasm_bindgen(js_name = claim_jobs)]
    async fn claim_jobs_js(api_base: &str, jobs: &str, action: &str, release: bool) -> JsValue;
}

/// Claims jobs for a bulk run's requests, in one message (`release`: gives the claims back): for
/// each job, whether the run holds it (false: another view, a tab, does).
pub async fn claim_jobs(api_base: &str, jobs: &[String], action: &str, release: bool) -> Vec<bool> {
    let list = job_actions::jobs::bulk_claims::jobs_text(jobs);
    let answer = claim_jobs_js(api_base, &list, action, release).await;
    job_actions::jobs::bulk_claims::granted(&answer.as_string().unwrap_or_default())
}

/// Sends the background an entry (`activity::entry_json`) in a `kind` message: one to keep in
/// Activity (`job-actions:activity`), or a deletion check to carry on if the popup closes first
/// (`job-actions:watch-deletion`).
pub async fn send_entry(kind: &str, entry: &str) -> Result<(), String> {
    send_entry_js(kind, entry).await.map_err(describe)
}

/// The stored string under `key`, if any.
pub async fn get(key: &str) -> Result<Option<String>, String> {
    let value = storage_get(key).await.map_err(describe)?;
    Ok(value.as_string())
}

pub async fn set(key: &str, value: &str) -> Result<(), String> {
    storage_set(key, value).await.map_err(describe)
}

/// The `(key without prefix, value)` pairs in session storage whose key starts with `prefix`.
pub async fn session_with_prefix(prefix: &str) -> Result<Vec<(String, String)>, String> {
    let flat = session_entries(prefix).await.map_err(describe)?;
    let flat: Vec<String> = js_sys::Array::from(&flat)
        .iter()
        .filter_map(|value| value.as_string())
        .collect();
    Ok(flat
        .chunks_exact(2)
        .map(|pair| (pair[0][prefix.len()..].to_string(), pair[1].clone()))
        .collect())
}

/// Stores `value` under `key` in session storage; an empty value removes the key.
pub async fn session_set(key: &str, value: &str) -> Result<(), String> {
    session_put(key, value).await.map_err(describe)
}

use crate::browser::describe;

/// Makes a package's baked-in profile (kept in storage by the background) the built-in one of this
/// page, before it shows or chooses profiles.
pub async fn load_built_in() {
    if let Ok(Some(baked)) = get(job_actions::sites::profiles::BUILT_IN_KEY).await {
        if let Err(why) = job_actions::sites::profiles::use_built_in(&baked) {
            crate::browser::warn(&format!(
                "[job-actions] the built-in profile is refused: {why}"
            ));
        }
    }
}

/// The organisation's profiles, as the background validated them (none when absent or unreadable).
pub async fn managed_profiles() -> Vec<job_actions::sites::profiles::StoredProfile> {
    get(job_actions::sites::managed::MANAGED_KEY)
        .await
        .ok()
        .flatten()
        .and_then(|text| job_actions::sites::profiles::parse_book(&text).ok())
        .unwrap_or_default()
}
