// The entry of the page-wide build's wasm2js build, bundled into one classic script
// (`content/js/content.js` in the package). The background injects it with
// `scripting.executeScript` into a frame whose loader found WebAssembly refused; it runs in the
// same isolated world as the loader.
import { start, hand_over, actions_failed } from './js/content.js';

// The loader's measures (see `loader.js`), ending here for this build.
const measure = (step) => globalThis.__jobActionsMeasure?.(step);
measure('load');
// What the actions build (`actions-fallback.js`) takes the page over through.
globalThis.__jobActionsCore = { handOver: hand_over, failed: actions_failed };
start('js', globalThis.browser ?? globalThis.chrome);
measure('start');
