// Starts the Dioxus popup (extension pages forbid inline scripts, so this is its own file).
import init from './popup.js';

const api = globalThis.browser ?? globalThis.chrome;
const wasm = new URL('popup_bg.wasm', import.meta.url);
// While the wasm compiles, the last known list (`last_list.rs`, `storage.session`) is read, so
// the popup's first frame shows it, with what decides the app the popup shows: the origin of the
// web page it opened over ('' when none, or when the browser does not say) and the stored
// settings and site profiles (`settings`, `profiles`, `managed_profiles`). A failed read only
// means no list until the live one.
const [module, kept, over, setup] = await Promise.all([
  // A browser that serves the file without the wasm MIME type refuses to stream it.
  WebAssembly.compileStreaming(fetch(wasm)).catch(async () => WebAssembly.compile(await (await fetch(wasm)).arrayBuffer())),
  api.storage.session.get('popup-last-list').then((items) => items['popup-last-list'], () => undefined),
  api.tabs.query({ active: true, currentWindow: true }).then(
    ([tab]) => (/^https?:/.test(tab?.url ?? '') ? new URL(tab.url).origin : ''),
    () => '',
  ),
  api.storage.local.get(['settings', 'profiles', 'managed_profiles']).then(
    (items) => [items.settings ?? null, items.profiles ?? null, items.managed_profiles ?? null],
    () => [],
  ),
]);
globalThis.__jobActionsLastList = kept;
globalThis.__jobActionsContext = JSON.stringify([over, ...setup]);
await init({ module_or_path: module });
// From the page's start to the app instantiated and mounted: what the popup's size costs each
// time it opens (`cargo xtask bench` reports it).
performance.measure('job-actions:popup-ready');
