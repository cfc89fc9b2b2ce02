// The actions build's entry (WebAssembly), bundled with its glue into one classic script
// (`content/actions.js` in the package). The background injects it into a frame on the first use
// of one of the overlay's controls there (`first_use.rs` asks); it runs in the same isolated
// world as the page-wide build, and takes the page over from it (`take_over` calls
// `__jobActionsCore.handOver` once this build is ready).
import init, { take_over } from './actions/content.js';

(() => {
  'use strict';
  // Injected once per request; a second request while this one loads changes nothing.
  if (globalThis.__jobActionsActions) return;
  globalThis.__jobActionsActions = true;
  const api = globalThis.browser ?? globalThis.chrome;
  const core = globalThis.__jobActionsCore;
  (async () => {
    await init({ module_or_path: api.runtime.getURL('content/wasm/actions_bg.wasm') });
    take_over('wasm', api, core.handOver);
  })().catch((error) => {
    globalThis.__jobActionsActions = false;
    core?.failed(String(error?.message ?? error));
  });
})();
