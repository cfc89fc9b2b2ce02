// The actions build's entry on the wasm2js engine, bundled into one classic script
// (`content/js/actions.js` in the package): what the background injects instead of `actions.js`
// where the page-wide build runs as wasm2js (the page refuses WebAssembly).
import { take_over } from './actions-js/content.js';

(() => {
  'use strict';
  if (globalThis.__jobActionsActions) return;
  globalThis.__jobActionsActions = true;
  const core = globalThis.__jobActionsCore;
  try {
    take_over('js', globalThis.browser ?? globalThis.chrome, core.handOver);
  } catch (error) {
    globalThis.__jobActionsActions = false;
    core?.failed(String(error?.message ?? error));
  }
})();
