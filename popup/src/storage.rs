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
"#)]
extern "C" {
    #[wasm_bindgen(catch)]
    async fn storage_get(key: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch)]
    async fn storage_set(key: &str, value: &str) -> Result<(), JsValue>;
}

/// The stored string under `key`, if any.
pub async fn get(key: &str) -> Result<Option<String>, String> {
    let value = storage_get(key).await.map_err(describe)?;
    Ok(value.as_string())
}

pub async fn set(key: &str, value: &str) -> Result<(), String> {
    storage_set(key, value).await.map_err(describe)
}

pub fn describe(error: JsValue) -> String {
    js_sys::Error::from(error).message().into()
}
