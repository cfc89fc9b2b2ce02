//! The log as kept (`storage.local`) and exported as JSON: one object per entry, times in UTC
//! (RFC 3339). What cannot be read is left out, never fatal.

use super::entry::{merge, Action, Answer, Confirmation, Entry};
use crate::api::json::{self, Json};
use crate::jobs::time::{iso_utc, parse_rfc3339};

/// The log kept under `STORAGE_KEY` with `change` folded in, as the text to keep.
pub fn record(stored: Option<&str>, change: Entry) -> String {
    record_all(stored, [change])
}

/// The log with every change folded in, in order: a burst of entries (a bulk run's two per job)
/// is one read and one write of the whole log, not one each.
pub fn record_all(stored: Option<&str>, changes: impl IntoIterator<Item = Entry>) -> String {
    let mut log = stored.map(read_log).unwrap_or_default();
    for change in changes {
        merge(&mut log, change);
    }
    write_log(&log)
}

/// The entries of a kept log or a JSON export; what cannot be read is left out.
pub fn read_log(text: &str) -> Vec<Entry> {
    match json::parse(text) {
        Ok(Json::Array(items)) => items.iter().filter_map(entry_from).collect(),
        _ => Vec::new(),
    }
}

/// One entry as the JSON export and the kept log write it (times in UTC, RFC 3339).
pub fn entry_json(entry: &Entry) -> String {
    let (answered, status, answer_text) = entry.answer_parts();
    let answered = answered.map(iso_utc);
    let confirmed_at = entry.confirmed.as_ref().map(|c| iso_utc(c.at_ms));
    let status = status.map_or("null".to_string(), |status| status.to_string());
    json::write_object(
        &[
            ("id", Some(&entry.id)),
            ("requested_at", Some(&iso_utc(entry.requested_ms))),
            ("action", Some(entry.action.as_wire())),
            ("job_id", Some(&entry.job_id)),
            ("title", Some(&entry.title)),
            ("app", Some(&entry.app)),
            ("api_base", Some(&entry.api_base)),
            ("reason", entry.reason.as_deref()),
            ("notes", entry.notes.as_deref()),
            ("outcome", Some(entry.outcome())),
            ("answered_at", answered.as_deref()),
            (
                "server_answer",
                Some(answer_text).filter(|text| !text.is_empty()),
            ),
            ("confirmed_at", confirmed_at.as_deref()),
            (
                "confirmation",
                entry.confirmed.as_ref().map(|c| c.how.as_str()),
            ),
        ],
        &[("status", &status)],
    )
}

/// The log as JSON (the kept form, and the JSON export).
pub fn write_log(log: &[Entry]) -> String {
    json::write_array(log, |out, entry| out.push_str(&entry_json(entry)))
}

/// One entry from its JSON text (`entry_json`), as the views send it to the background.
pub fn entry_from_text(text: &str) -> Option<Entry> {
    entry_from(&json::parse(text).ok()?)
}

fn entry_from(value: &Json) -> Option<Entry> {
    let text = |name: &str| value.optional_str(&[name]).ok().flatten();
    let time = |name: &str| {
        text(name)
            .and_then(|text| parse_rfc3339(&text))
            .and_then(|ms| u64::try_from(ms).ok())
    };
    let answered_at = time("answered_at");
    let said = text("server_answer").unwrap_or_default();
    let answer = match (text("outcome")?.as_str(), answered_at) {
        ("waiting", _) => Answer::Waiting,
        ("accepted", Some(at_ms)) => Answer::Accepted { at_ms, said },
        ("failed", Some(at_ms)) => Answer::Failed {
            at_ms,
            status: match value.member(&["status"]) {
                Some(Json::Number(n)) => n.parse().ok(),
                _ => None,
            },
            error: said,
        },
        _ => return None,
    };
    let confirmed = match (time("confirmed_at"), text("confirmation")) {
        (Some(at_ms), Some(how)) => Some(Confirmation { at_ms, how }),
        _ => None,
    };
    Some(Entry {
        id: text("id")?,
        app: text("app").unwrap_or_default(),
        api_base: text("api_base").unwrap_or_default(),
        job_id: text("job_id")?,
        title: text("title").unwrap_or_default(),
        action: Action::from_wire(&text("action")?)?,
        reason: text("reason"),
        notes: text("notes"),
        requested_ms: time("requested_at")?,
        answer,
        confirmed,
    })
}
