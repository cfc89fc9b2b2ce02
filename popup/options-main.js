// Starts the site-profiles page (extension pages forbid inline scripts, so this is its own file).
import init from './options.js';

await init({ module_or_path: new URL('options_bg.wasm', import.meta.url) });
performance.measure('job-actions:options-ready');
