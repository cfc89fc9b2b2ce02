// Starts the Dioxus popup (extension pages forbid inline scripts, so this is its own file).
import init from './popup.js';

await init({ module_or_path: new URL('popup_bg.wasm', import.meta.url) });
