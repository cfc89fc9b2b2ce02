// The content script's loader, bundled with the wasm build's glue into one classic script
// (`content/loader.js` in the package; the manifest's only content script). It starts the Rust
// content crate once per page: as WebAssembly where the page's CSP allows it, otherwise (Chromium
// on pages whose CSP lacks 'wasm-unsafe-eval') as the wasm2js build of the same crate, which the
// background injects into this frame. No dynamic `import()`: everything is a classic script, so a
// page cannot influence what loads and `web-ext lint` has nothing to flag.
import init, { start } from './wasm/content.js';

/** The message that asks the background for the wasm2js build (`background.js` answers it). */
const START_JS_ENGINE = 'job-actions:start-js-engine';
/**
 * Performance measures from this loader's first line: to the build being ready (fetched,
 * compiled, instantiated: what the shipped size costs a page) and to the engine's `start`
 * returning. `cargo xtask bench` reads them; the wasm2js entry (`fallback.js`) ends them for
 * that build.
 */
const LOAD_MEASURE = 'job-actions:load';
const START_MEASURE = 'job-actions:start';

(() => {
  'use strict';
  // Content scripts can be injected twice (manifest and scripting API); start only once.
  if (globalThis.__jobActionsLoader) return;
  globalThis.__jobActionsLoader = true;
  globalThis.__jobActionsLoadedAt = performance.now();

  const api = globalThis.browser ?? globalThis.chrome;

  // A figure for benchmarks must never stop the script: any failure is ignored.
  const measure = (name) => {
    try {
      performance.measure(name, { start: globalThis.__jobActionsLoadedAt });
    } catch {
      // no measure, nothing else changes
    }
  };

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
        measure(LOAD_MEASURE);
        start('wasm', api);
        measure(START_MEASURE);
        return;
      } catch (error) {
        console.warn('[job-actions] WebAssembly build failed; using the JS build', error);
      }
    }
    const answer = await api.runtime.sendMessage({ kind: START_JS_ENGINE });
    if (!answer?.ok) throw new Error(answer?.error ?? 'the background did not start the JS build');
  })().catch((error) => console.error('[job-actions] content script failed to start', error));
})();
