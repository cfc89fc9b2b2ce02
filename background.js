// The extension's background, for now one job: let the content script use session storage, where
// a typed cancel reason waits (issue #10: it survives a failed request and a page reload until the
// cancel succeeds). Chrome keeps storage.session from content scripts unless a privileged context
// allows it. The background crate of issue #9 replaces this file.
const api = globalThis.browser ?? globalThis.chrome;

function allowContentScripts() {
  // Only our own content scripts (in their isolated world) gain access, never the page.
  Promise.resolve(api.storage.session.setAccessLevel?.({ accessLevel: 'TRUSTED_AND_UNTRUSTED_CONTEXTS' })).catch(
    (error) => console.warn('[job-actions] session storage stays closed to content scripts', error),
  );
}

// The access level lasts as long as the session; set it whenever the background starts.
allowContentScripts();
api.runtime.onInstalled.addListener(allowContentScripts);
api.runtime.onStartup.addListener(allowContentScripts);
