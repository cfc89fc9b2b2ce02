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

/// An HTTP date (RFC 9110's IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`) `seconds` from now.
pub fn http_date_in(seconds: i64) -> String {
    let format = time::format_description::parse_borrowed::<2>(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT",
    )
    .expect("a valid format description");
    (OffsetDateTime::now_utc() + Duration::seconds(seconds))
        .format(&format)
        .expect("UTC times always format")
}

/// Milliseconds since the Unix epoch, for the request log.
pub fn now_ms() -> u64 {
    (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as u64
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_http_date_is_an_imf_fixdate() {
        let date = super::http_date_in(0);
        let parts: Vec<&str> = date.split(' ').collect();
        assert_eq!(parts.len(), 6, "{date}");
        assert!(parts[0].ends_with(',') && parts[0].len() == 4, "{date}");
        assert_eq!(parts[1].len(), 2, "{date}");
        assert_eq!(parts[5], "GMT");
    }
}
