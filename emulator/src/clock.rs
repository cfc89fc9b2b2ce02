//! Timestamps as the API sends them: RFC 3339 in UTC, to the second (`2025-11-18T10:30:00Z`).

use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

pub fn now() -> String {
    format(OffsetDateTime::now_utc())
}

/// `seconds_ago` before now, for seeding.
pub fn ago(seconds_ago: i64) -> String {
    format(OffsetDateTime::now_utc() - Duration::seconds(seconds_ago))
}

fn format(at: OffsetDateTime) -> String {
    at.replace_nanosecond(0)
        .expect("0 is a valid nanosecond")
        .format(&Rfc3339)
        .expect("UTC timestamps always format as RFC 3339")
}

/// Milliseconds since the Unix epoch, for the request log.
pub fn now_ms() -> u64 {
    (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as u64
}
