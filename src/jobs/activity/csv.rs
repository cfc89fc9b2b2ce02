//! The log as CSV, for spreadsheets and tickets.

use super::entry::Entry;
use crate::jobs::time::iso_utc;

/// The CSV export's columns, in order.
pub const CSV_COLUMNS: [&str; 14] = [
    "requested_at",
    "action",
    "job_id",
    "title",
    "app",
    "api_base",
    "reason",
    "notes",
    "outcome",
    "answered_at",
    "status",
    "server_answer",
    "confirmed_at",
    "confirmation",
];

/// The log as CSV (RFC 4180: a header row, CRLF line ends, fields quoted where they need it).
/// A field a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a
/// carriage return: a job title is the app's text, not ours) starts with `'` instead.
pub fn to_csv(log: &[Entry]) -> String {
    let mut out = CSV_COLUMNS.join(",");
    out.push_str("\r\n");
    for entry in log {
        let (answered, status, answer_text) = entry.answer_parts();
        let fields = [
            iso_utc(entry.requested_ms),
            entry.action.as_wire().to_string(),
            entry.job_id.clone(),
            entry.title.clone(),
            entry.app.clone(),
            entry.api_base.clone(),
            entry.reason.clone().unwrap_or_default(),
            entry.notes.clone().unwrap_or_default(),
            entry.outcome().to_string(),
            answered.map(iso_utc).unwrap_or_default(),
            status.map(|status| status.to_string()).unwrap_or_default(),
            answer_text.to_string(),
            entry
                .confirmed
                .as_ref()
                .map(|c| iso_utc(c.at_ms))
                .unwrap_or_default(),
            entry
                .confirmed
                .as_ref()
                .map(|c| c.how.clone())
                .unwrap_or_default(),
        ];
        let cells: Vec<String> = fields.iter().map(|field| csv_field(field)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

fn csv_field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}
