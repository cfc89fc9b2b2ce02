//! A busy server's `Retry-After` (RFC 9110 §10.2.3): whole seconds, or an HTTP date (§5.6.7:
//! the IMF-fixdate servers send, and the two obsolete forms a recipient must still read). A date
//! is measured against the answer's own `Date` when it has a readable one, so a clock that is off
//! on either side does not change the pause; else against this computer's clock.

use crate::jobs::time;

/// The longest pause honoured (an hour): a longer one is an API that will not be back within a
/// run, and the caller's own backoff gives up sooner.
pub const MAX_S: u64 = 3_600;

/// How many seconds the server asked for, when it said so readably and within `MAX_S`; a date
/// already past asks for none. `server_date` is the answer's `Date`; `now_ms` this computer's
/// clock (ms since the Unix epoch).
pub fn seconds(value: &str, server_date: Option<&str>, now_ms: u64) -> Option<u64> {
    let value = value.trim();
    let now_s = now_ms / 1000;
    let seconds = if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        value.parse::<u64>().ok()?
    } else {
        let at = http_date(value, now_s)?;
        let now = server_date
            .and_then(|date| http_date(date.trim(), now_s))
            .unwrap_or(now_s);
        at.saturating_sub(now)
    };
    (seconds <= MAX_S).then_some(seconds)
}

/// The short day and month names, three letters each.
const DAYS: &[u8] = b"MonTueWedThuFriSatSun";
const MONTHS: &[u8] = b"JanFebMarAprMayJunJulAugSepOctNovDec";
/// What follows each short day name in the long one, Monday first.
const LONG_DAYS: [&[u8]; 7] = [
    b"day", b"sday", b"nesday", b"rsday", b"day", b"urday", b"day",
];

/// An HTTP date as seconds since the Unix epoch; none when it is not one (names are
/// case-sensitive, the zone is `GMT`, the date must exist). `now_s` places an obsolete two-digit
/// year: one that would be more than 50 years ahead is the century before. Read by position, as
/// the three forms are fixed-width but for the long day name (the reading ships in every build
/// that sends writes).
pub fn http_date(text: &str, now_s: u64) -> Option<u64> {
    let b = text.as_bytes();
    let spaces = |at: &[usize]| at.iter().all(|&i| b.get(i) == Some(&b' '));
    let (day, month, year, time) = if b.len() == 29 {
        // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
        if day_index(&b[..3]).is_none() || b[3] != b',' || !spaces(&[4, 7, 11, 16]) {
            return None;
        }
        (
            digits(&b[5..7])?,
            month_of(&b[8..11])?,
            digits(&b[12..16])?,
            &b[17..],
        )
    } else if b.len() == 24 && day_index(&b[..3]).is_some() && spaces(&[3, 7, 10, 19]) {
        // asctime-date: "Sun Nov  6 08:49:37 1994" (a one-digit day after a space).
        let day = match b[8] {
            b' ' => digits(&b[9..10])?,
            _ => digits(&b[8..10])?,
        };
        (day, month_of(&b[4..7])?, digits(&b[20..24])?, &b[11..19])
    } else {
        // rfc850-date: "Sunday, 06-Nov-94 08:49:37 GMT".
        let (name, b) = b.split_at(b.len().checked_sub(24)?);
        let long = name.len() > 3 && {
            let index = day_index(&name[..3]);
            index.is_some_and(|index| &name[3..] == LONG_DAYS[index])
        };
        if !long || &b[..2] != b", " || b[4] != b'-' || b[8] != b'-' || b[11] != b' ' {
            return None;
        }
        let year = two_digit_year(digits(&b[9..11])?, now_s);
        (digits(&b[2..4])?, month_of(&b[5..8])?, year, &b[12..])
    };
    let zone = &time[8..];
    if !(zone.is_empty() || zone == b" GMT") || time[2] != b':' || time[5] != b':' {
        return None;
    }
    let (hour, minute, second) = (
        digits(&time[..2])?,
        digits(&time[3..5])?,
        digits(&time[6..8])?,
    );
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    // Digits and a month number: each well within i64.
    let (year, month, day) = (year as i64, month as i64, day as i64);
    if year < 1970 || day == 0 || day > time::days_in_month(year, month) {
        return None;
    }
    let days = time::days_from_civil(year, month, day) as u64;
    Some(days * 86_400 + hour * 3_600 + minute * 60 + second)
}

/// Which day (Monday 0) a three-letter name is.
fn day_index(name: &[u8]) -> Option<usize> {
    index_in(DAYS, name)
}

/// Where a three-letter name is in `table` (its names one after the other).
fn index_in(table: &[u8], name: &[u8]) -> Option<usize> {
    table.chunks(3).position(|entry| entry == name)
}

/// ASCII digits, as a number.
fn digits(text: &[u8]) -> Option<u64> {
    text.iter().try_fold(0, |value, byte| {
        byte.is_ascii_digit()
            .then(|| value * 10 + u64::from(byte - b'0'))
    })
}

/// 1–12.
fn month_of(name: &[u8]) -> Option<u64> {
    index_in(MONTHS, name).map(|at| at as u64 + 1)
}

/// RFC 9110 §5.6.7: a two-digit year more than 50 years ahead of now is the century before.
/// This year from the mean Gregorian year: late by under a day around New Year, which matters
/// only to a two-digit year exactly 50 years ahead (`jobs::time::civil_from_days` is exact, and
/// cost the popup 124 bytes gzip here).
fn two_digit_year(year: u64, now_s: u64) -> u64 {
    let this_year = 1970 + now_s / 31_556_952;
    let candidate = this_year / 100 * 100 + year;
    if candidate > this_year + 50 {
        candidate - 100
    } else {
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-12-07 12:00:00 GMT, ms.
    const NOW_MS: u64 = 1_796_644_800_000;
    const NOW_S: u64 = NOW_MS / 1000;

    #[test]
    fn the_three_forms_of_an_http_date_read_alike() {
        // RFC 9110 §5.6.7's own example, 784111777 s after the epoch.
        for text in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ] {
            assert_eq!(http_date(text, NOW_S), Some(784_111_777), "{text}");
        }
        assert_eq!(http_date("Thu, 01 Jan 1970 00:00:00 GMT", NOW_S), Some(0));
        assert_eq!(
            http_date("Mon, 07 Dec 2026 12:00:00 GMT", NOW_S),
            Some(NOW_S)
        );
        assert_eq!(
            http_date("Tue, 29 Feb 2028 23:59:59 GMT", NOW_S),
            Some(1_835_481_599)
        );
        assert_eq!(
            http_date("Sun Dec 27 08:49:37 2026", NOW_S),
            Some(NOW_S + 1_716_577)
        );
    }

    #[test]
    fn an_obsolete_two_digit_year_more_than_fifty_years_ahead_is_the_century_before() {
        let year_of = |text| http_date(text, NOW_S).map(|s| 1970 + s / 31_556_952);
        assert_eq!(year_of("Monday, 07-Dec-26 12:00:00 GMT"), Some(2026));
        assert_eq!(year_of("Sunday, 01-Jun-70 12:00:00 GMT"), Some(2070));
        assert_eq!(year_of("Wednesday, 01-Jun-77 12:00:00 GMT"), Some(1977));
    }

    #[test]
    fn what_is_not_an_http_date_is_none() {
        for text in [
            "",
            "tomorrow",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "sun, 06 Nov 1994 08:49:37 GMT",
            "Sun, 06 nov 1994 08:49:37 GMT",
            "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 94 08:49:37 GMT",
            "Sun 06 Nov 1994 08:49:37 GMT",
            "Sun,  06 Nov 1994 08:49:37 GMT",
            "Sun, 31 Apr 2026 08:49:37 GMT",
            "Sun, 29 Feb 2026 08:49:37 GMT",
            "Sun, 00 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 08:60:00 GMT",
            "Sun, 06 Nov 1994 08:49 GMT",
            "Sun, 06 Nov 1994 08:49:37:00 GMT",
            "Sun, 06 Nov 1969 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT trailing",
            "Sunday, 06-Nov-1994 08:49:37 GMT",
            "Sunday, 06-Nov-94-1 08:49:37 GMT",
            "Sun, 06-Nov-94 08:49:37 GMT",
            "Sun Nov 6 08:49:37 1994",
            "Sun Nov  16 08:49:37 1994",
            "Funday, 06 Nov 1994 08:49:37 GMT",
            "+1, 06 Nov 1994 08:49:37 GMT",
        ] {
            assert_eq!(http_date(text, NOW_S), None, "{text:?}");
        }
    }

    #[test]
    fn a_date_is_measured_against_the_answer_s_own_date_else_this_clock() {
        let server = Some("Mon, 07 Dec 2026 11:00:00 GMT");
        // The server's clock is an hour behind ours: its date says 30 s from its own now.
        assert_eq!(
            seconds("Mon, 07 Dec 2026 11:00:30 GMT", server, NOW_MS),
            Some(30)
        );
        // Without a readable Date: against this computer's clock.
        for date in [None, Some("yesterday")] {
            assert_eq!(
                seconds("Mon, 07 Dec 2026 12:00:30 GMT", date, NOW_MS),
                Some(30),
                "{date:?}"
            );
        }
        // A date already past: no pause.
        assert_eq!(
            seconds("Mon, 07 Dec 2026 10:00:00 GMT", server, NOW_MS),
            Some(0)
        );
        // More than an hour ahead: not honoured.
        assert_eq!(
            seconds("Mon, 07 Dec 2026 12:00:01 GMT", server, NOW_MS),
            None
        );
        assert_eq!(
            seconds("Mon, 07 Dec 2026 12:00:00 GMT", server, NOW_MS),
            Some(MAX_S)
        );
    }

    #[test]
    fn whole_seconds_are_read_as_they_are_and_anything_else_is_none() {
        assert_eq!(seconds(" 3 ", None, NOW_MS), Some(3));
        assert_eq!(seconds("0", None, NOW_MS), Some(0));
        assert_eq!(seconds("3600", None, NOW_MS), Some(3_600));
        for value in [
            "-1",
            "1.5",
            "3601",
            "",
            "  ",
            "1e3",
            "99999999999999999999999",
        ] {
            assert_eq!(seconds(value, None, NOW_MS), None, "{value:?}");
        }
    }
}
