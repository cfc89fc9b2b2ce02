//! The few JavaScript calls the background makes: posting to a port (`main.js` keeps the ports in
//! `globalThis.__jobActionsPorts`), a wakeable wait per feed, the clock and the console.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
export function post(id, text) {
  try { globalThis.__jobActionsPorts?.get(id)?.postMessage(text); } catch { /* the tab just left */ }
}
export function warn(text) { console.warn(text); }
export function now_ms() { return Date.now(); }
// One wait per key (an API base's feed): `ms`, or less when wake(key) is called, or ending
// within `ms` of a hasten(key, ms). A wake that comes while the feed is not waiting (it is
// polling, or just starting) ends its next wait.
const waking = new Map();
const pending = new Set();
export function nap(key, ms) {
  if (pending.delete(key)) return Promise.resolve();
  return new Promise((resolve) => {
    let timer = setTimeout(() => wait.done(), ms);
    const wait = {
      until: Date.now() + ms,
      done() { clearTimeout(timer); if (waking.get(key) === wait) waking.delete(key); resolve(); },
      hasten(within) {
        if (Date.now() + within >= wait.until) return;
        clearTimeout(timer);
        wait.until = Date.now() + within;
        timer = setTimeout(() => wait.done(), within);
      },
    };
    waking.set(key, wait);
  });
}
export function wake(key) {
  const wait = waking.get(key);
  if (wait) wait.done();
  else pending.add(key);
}
export function hasten(key, within) { waking.get(key)?.hasten(within); }
"#)]
extern "C" {
    pub fn post(id: u32, text: &str);
    pub fn warn(text: &str);
    fn now_ms() -> f64;
    /// Waits `ms`, or until `wake(key)`.
    pub async fn nap(key: &str, ms: u32);
    pub fn wake(key: &str);
    /// Ends the wait under way for `key` within `ms`, if it would last longer.
    pub fn hasten(key: &str, ms: u32);
}

/// Milliseconds since the epoch (the clock every tab stamps its states with).
pub fn now() -> u64 {
    job_actions::jobs::time::whole_ms(now_ms())
}
