// Starts the Dioxus popup (extension pages forbid inline scripts, so this is its own file).
import init from './popup.js';

await init({ module_or_path: new URL('popup_bg.wasm', import.meta.url) });
// From the page's start to the app instantiated and mounted: what the popup's size costs each
// time it opens (`cargo xtask bench` reports it).
performance.measure('job-actions:popup-ready');
