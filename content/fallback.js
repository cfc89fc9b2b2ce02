// The entry of the wasm2js build, bundled into one classic script (`content/js/content.js` in the
// package). The background injects it with `scripting.executeScript` into a frame whose loader
// found WebAssembly refused; it runs in the same isolated world as the loader.
import { start } from './js/content.js';

// The loader's measures (see `loader.js`), ending here for this build: figures for benchmarks
// only, so a failure is ignored.
const measure = (name) => {
  try {
    performance.measure(name, { start: globalThis.__jobActionsLoadedAt ?? 0 });
  } catch {
    // nothing depends on it
  }
};
measure('job-actions:load');
start('js', globalThis.browser ?? globalThis.chrome);
measure('job-actions:start');
