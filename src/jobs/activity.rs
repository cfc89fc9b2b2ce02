//! Activity (issue #23): this browser's own cancels and deletes, for whoever has to say later
//! what was done — which job, in which app, with what reason, when it was asked, what the server
//! answered and when it was confirmed (for a delete, the 404 that proved the job gone). Failures
//! too. Kept in `storage.local` (the newest `KEEP`), never sent anywhere, clearable; exported as
//! CSV or JSON, and each entry has a one-line receipt fit for a ticket.
//!
//! The effect runner (`effects`) writes an entry when a request leaves, again when its answer
//! comes and when a deletion is confirmed; every write is the whole entry under the same `id`, and
//! `merge` folds it into the log. The background does the folding, one write at a time, so two
//! tabs acting at once lose nothing.

mod csv;
mod entry;
mod stored;

pub use csv::{to_csv, CSV_COLUMNS};
pub use entry::{
    confirmed_part, merge, Action, Answer, Confirmation, Entry, Place, COPY_RECEIPT, GONE_404,
    KEEP, NOT_GONE, STORAGE_KEY,
};
pub use stored::{entry_from_text, entry_json, read_log, record, record_all, write_log};

#[cfg(test)]
#[path = "activity_tests.rs"]
mod tests;
