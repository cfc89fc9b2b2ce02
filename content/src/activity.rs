//! Keeps the page's Activity entries (issue #23) through the background: one job's request at
//! once, a bulk run's (two entries per job, a few milliseconds apart) gathered for
//! `EVERY_MS` and sent in one message — one message each cost the page more than the requests.

use crate::overlay::Overlay;

/// How long a bulk run's entries gather before they go.
const EVERY_MS: u32 = 100;
/// The most entries a message carries (the background takes 200: `ACTIVITY_BATCH_MAX`).
const PER_MESSAGE: usize = 100;

thread_local! {
    /// Entries waiting to go to the background, in order.
    static WAITING: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
    static SCHEDULED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Keeps an entry (its JSON): at once, or with the others of a bulk run under way.
pub fn record(overlay: &Overlay, entry: String) {
    WAITING.with(|waiting| waiting.borrow_mut().push(entry));
    if !overlay.bulk_running() {
        return send();
    }
    crate::browser::after_unless_waiting(&SCHEDULED, EVERY_MS, send);
}

/// Sends the waiting entries now (a run finished or was left).
pub fn send() {
    let entries = WAITING.with(|waiting| waiting.take());
    for batch in entries.chunks(PER_MESSAGE) {
        let batch = batch.to_vec();
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(error) = crate::browser::record_activity(&batch).await {
                crate::log::feature_error("activity", &error);
            }
        });
    }
}
