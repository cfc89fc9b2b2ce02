// The entry of the wasm2js build, bundled into one classic script (`content/js/content.js` in the
// package). The background injects it with `scripting.executeScript` into a frame whose loader
// found WebAssembly refused; it runs in the same isolated world as the loader.
import { start } from './js/content.js';

start('js', globalThis.browser ?? globalThis.chrome);
