// The content script's loader, bundled with the wasm build's glue into one classic script
// (`content/loader.js` in the package; the manifest's only content script). It starts the Rust
// content crate's page-wide build once per page: as WebAssembly where the page's CSP allows it,
// otherwise (Chromium on pages whose CSP lacks 'wasm-unsafe-eval') as the wasm2js build of it,
// which the background injects into this frame. The actions build (`actions.js`, or
// `js/actions.js`) comes the same way on the first use of a control, and takes the page over
// through `globalThis.__jobActionsCore`. No dynamic `import()`: everything is a classic script, so
// a page cannot influence what loads and `web-ext lint` has nothing to flag.
import init, { start, hand_over, actions_failed } from './wasm/content.js';

/** The message that asks the background for the wasm2js build (`background.js` answers it). */
const START_JS_ENGINE = 'job-actions:start-js-engine';

(() => {
  'use strict';
  // Content scripts can be injected twice (manifest and scripting API); start only once.
  if (globalThis.__jobActionsLoader) return;
  globalThis.__jobActionsLoader = true;
  const loadedAt = performance.now();

  const api = globalThis.browser ?? globalThis.chrome;

  // Performance measures from this loader's first line: `job-actions:load` when the build is
  // ready (fetched, compiled, instantiated: what the shipped size costs a page), then
  // `job-actions:start` when the engine's `start` returned. `cargo xtask bench` reads them; the
  // wasm2js entry (`fallback.js`, same isolated world) calls this for that build. A figure for
  // benchmarks must never stop the script: any failure is ignored.
  const measure = (step) => {
    try {
      performance.measure(`job-actions:${step}`, { start: loadedAt });
    } catch {
      // no measure, nothing else changes
    }
  };
  globalThis.__jobActionsMeasure = measure;

  // A synchronous compile of the smallest valid module: refused exactly when WebAssembly is.
  const wasmAllowed = () => {
    try {
      new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
      return true;
    } catch {
      return false;
    }
  };

  (async () => {
    if (wasmAllowed()) {
      try {
        await init({ module_or_path: api.runtime.getURL('content/wasm/content_bg.wasm') });
        measure('load');
        globalThis.__jobActionsCore = { handOver: hand_over, failed: actions_failed };
        start('wasm', api);
        measure('start');
        return;
      } catch (error) {
        console.warn('[job-actions] WebAssembly build failed; using the JS build', error);
      }
    }
    const answer = await api.runtime.sendMessage({ kind: START_JS_ENGINE });
    if (!answer?.ok) throw new Error(answer?.error ?? 'the background did not start the JS build');
  })().catch((error) => console.error('[job-actions] content script failed to start', error));
})();
