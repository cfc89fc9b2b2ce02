//! Waiting for the browser's next frame (actions build): what follows an action's answer runs
//! once the answer is on screen (`effects::View::after_paint`, issue #22).

use wasm_bindgen::prelude::*;

// `after_paint`: a task queued from the next frame's animation callbacks runs just after its
// rendering step; a hidden tab draws no frames, so 100 ms at most. A page left before then runs
// it as it goes (`pagehide`): what follows an answer (its Activity entry, the word to other
// tabs) is never lost to a quick click away. Only the browser's own `pagehide` counts.
#[wasm_bindgen(inline_js = "export function after_paint(f) {
  let done = false;
  const run = (event) => {
    if (done || (event !== undefined && !event.isTrusted)) return;
    done = true;
    removeEventListener('pagehide', run, true);
    f();
  };
  addEventListener('pagehide', run, true);
  requestAnimationFrame(() => setTimeout(run, 0));
  setTimeout(run, 100);
}")]
extern "C" {
    #[wasm_bindgen(js_name = after_paint)]
    fn after_paint_js(callback: JsValue);
}

/// Runs `callback` once, just after the browser drew its next frame (or 100 ms later when no
/// frame comes, or as the page is left if that is sooner).
pub fn after_paint(callback: Box<dyn FnOnce()>) {
    after_paint_js(Closure::once_into_js(callback));
}
