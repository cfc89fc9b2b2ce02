//! The few JavaScript calls the background makes: posting to a port (`main.js` keeps the ports in
//! `globalThis.__jobActionsPorts`), a wakeable wait per feed, the clock and the console.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
export function post(id, text) {
  try { globalThis.__jobActionsPorts?.get(id)?.postMessage(text); } catch { /* the tab just left */ }
}
export function warn(text) { console.warn(text); }
export function now_ms() { return Date.now(); }
// One wait per key (an API base's feed): `ms`, or less when wake(key) is called. A wake that
// comes while the feed is not waiting (it is polling, or just starting) ends its next wait.
const waking = new Map();
const pending = new Set();
export function nap(key, ms) {
  if (pending.delete(key)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => { clearTimeout(timer); if (waking.get(key) === done) waking.delete(key); resolve(); };
    const timer = setTimeout(done, ms);
    waking.set(key, done);
  });
}
export function wake(key) {
  const done = waking.get(key);
  if (done) done();
  else pending.add(key);
}
"#)]
extern "C" {
    pub fn post(id: u32, text: &str);
    pub fn warn(text: &str);
    fn now_ms() -> f64;
    /// Waits `ms`, or until `wake(key)`.
    pub async fn nap(key: &str, ms: u32);
    pub fn wake(key: &str);
}

/// Milliseconds since the epoch (the clock every tab stamps its states with).
pub fn now() -> u64 {
    job_actions::jobs::time::whole_ms(now_ms())
}
