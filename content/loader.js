// The content script's loader: the one classic script in the manifest. It starts the Rust content
// crate once per page — as WebAssembly where the page's CSP allows it, otherwise (Chromium on pages
// whose CSP lacks 'wasm-unsafe-eval') as the wasm2js build of the same crate.
(() => {
  'use strict';
  // Content scripts can be injected twice (manifest and scripting API); start only once.
  if (globalThis.__jobActionsLoader) return;
  globalThis.__jobActionsLoader = true;

  const api = globalThis.browser ?? globalThis.chrome;
  const url = (path) => api.runtime.getURL(path);

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
    let module;
    let engine = 'js';
    if (wasmAllowed()) {
      try {
        module = await import(url('content/wasm/content.js'));
        await module.default({ module_or_path: url('content/wasm/content_bg.wasm') });
        engine = 'wasm';
      } catch (error) {
        console.warn('[job-actions] WebAssembly build failed; using the JS build', error);
        module = undefined;
      }
    }
    if (!module) module = await import(url('content/js/content.js'));
    // The extension API object is handed over: in Firefox, modules imported by a content script
    // do not see the content script's `browser` global.
    module.start(engine, api);
  })().catch((error) => console.error('[job-actions] content script failed to start', error));
})();
