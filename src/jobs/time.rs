//! Timestamps as the API sends them (RFC 3339) and how views word them: "3 min ago" next to a
//! job, "updated 12 s ago" under a list. Pure: the caller passes the current time, so every
//! wording is tested natively and no view needs Unicode or locale tables for it.

/// Milliseconds since the Unix epoch of an RFC 3339 timestamp (`2025-11-18T10:30:00Z`,
/// `2025-11-18T10:30:00.123+02:00`, a space instead of `T`); `None` for anything else.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if bytes.len() < 19 || !(bytes[10] == b'T' || bytes[10] == b't' || bytes[10] == b' ') {
        return None;
    }
    let number = |from, to| digits(text, from, to);
    if bytes[4] != b'-' || bytes[7] != b'-' || bytes[13] != b':' || bytes[16] != b':' {
        return None;
    }
    let (year, month, day) = (number(0, 4)?, number(5, 7)?, number(8, 10)?);
    let (hour, minute, second) = (number(11, 13)?, number(14, 16)?, number(17, 19)?);
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = &text[19..];
    let mut millis = 0;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        for (index, byte) in fraction.bytes().take(3).take(digits).enumerate() {
            millis += i64::from(byte - b'0') * [100, 10, 1][index];
        }
        rest = &fraction[digits..];
    }
    let offset_minutes = match rest {
        "Z" | "z" => 0,
        _ if rest.len() == 6 && rest.as_bytes()[3] == b':' => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let (hours, minutes) = (digits(rest, 1, 3)?, digits(rest, 4, 6)?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            sign * (hours * 60 + minutes)
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset_minutes * 60;
    Some(seconds * 1_000 + millis)
}

/// The decimal number written by `text[from..to]`, digits only (no sign, no spaces).
fn digits(text: &str, from: usize, to: usize) -> Option<i64> {
    let part = text.get(from..to)?;
    if !part.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub(crate) fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// `2026-12-06T12:00:01.250Z`: milliseconds since the epoch as an RFC 3339 UTC time, the form
/// exports and receipts carry (it parses back with `parse_rfc3339`).
pub fn iso_utc(ms: u64) -> String {
    let (days, in_day) = ((ms / 86_400_000) as i64, ms % 86_400_000);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1_000 % 60,
        in_day % 1_000
    )
}

/// The date of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// "just now", "45 s ago", "3 min ago", "5 h ago", "2 d ago" — how long before `now_ms` the time
/// `then_ms` was. A time slightly in the future (clock skew between browser and server) is
/// "just now", never a negative age.
pub fn relative(now_ms: i64, then_ms: i64) -> String {
    let seconds = (now_ms - then_ms).max(0) / 1_000;
    match seconds {
        0..=9 => "just now".into(),
        10..=59 => format!("{seconds} s ago"),
        60..=3_599 => format!("{} min ago", seconds / 60),
        3_600..=86_399 => format!("{} h ago", seconds / 3_600),
        _ => format!("{} d ago", seconds / 86_400),
    }
}

/// "updated 12 s ago" under a polled list: seconds up to two minutes, then minutes.
pub fn updated_ago(now_ms: i64, then_ms: i64) -> String {
    let seconds = (now_ms - then_ms).max(0) / 1_000;
    if seconds < 120 {
        format!("Updated {seconds} s ago")
    } else {
        format!("Updated {} min ago", seconds / 60)
    }
}

/// Whole milliseconds from `Date.now()`'s float, without an `f64 as u64` cast: that compiles to
/// `i64.trunc_sat_f64_u`, which wasm2js cannot lower (the content script's fallback build fails
/// to validate). Two 32-bit conversions do the same for any time since the epoch.
pub fn whole_ms(ms: f64) -> u64 {
    const TWO_32: f64 = 4_294_967_296.0;
    if ms.is_nan() || ms <= 0.0 {
        return 0;
    }
    let high = (ms / TWO_32) as u32;
    let low = (ms - f64::from(high) * TWO_32) as u32;
    (u64::from(high) << 32) | u64::from(low)
}

#[cfg(test)]
mod tests {
    use super::iso_utc;

    #[test]
    fn times_are_written_in_utc_and_read_back() {
        assert_eq!(iso_utc(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_utc(951_782_400_000), "2000-02-29T00:00:00.000Z");
        for text in [
            "2026-12-06T12:00:01.250Z",
            "2024-02-29T23:59:59.999Z",
            "2100-03-01T00:00:00.000Z",
            "1999-12-31T23:59:59.001Z",
        ] {
            let ms = super::parse_rfc3339(text).unwrap() as u64;
            assert_eq!(iso_utc(ms), text);
        }
    }

    use super::*;

    #[test]
    fn parses_rfc3339_forms() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            parse_rfc3339("2025-11-18T10:30:00Z"),
            Some(1_763_461_800_000)
        );
        assert_eq!(
            parse_rfc3339("2025-11-18T10:30:00.5Z"),
            Some(1_763_461_800_500)
        );
        assert_eq!(
            parse_rfc3339("2025-11-18T10:30:00.123456Z"),
            Some(1_763_461_800_123)
        );
        assert_eq!(
            parse_rfc3339("2025-11-18T12:30:00+02:00"),
            parse_rfc3339("2025-11-18T10:30:00Z")
        );
        assert_eq!(
            parse_rfc3339("2025-11-18 05:30:00-05:00"),
            parse_rfc3339("2025-11-18T10:30:00Z")
        );
        assert_eq!(
            parse_rfc3339("2024-02-29T00:00:00Z"),
            Some(1_709_164_800_000)
        );
        assert_eq!(parse_rfc3339("1969-12-31T23:59:59Z"), Some(-1_000));
    }

    #[test]
    fn refuses_what_is_not_rfc3339() {
        for bad in [
            "",
            "yesterday",
            "2025-11-18",
            "2025-11-18T10:30:00",
            "2025-13-01T00:00:00Z",
            "2025-02-29T00:00:00Z",
            "2025-11-18T24:00:00Z",
            "2025-11-18T10:30:00.Z",
            "2025-11-18T10:30:00+2:00",
            "2025-11-18T10:30:00+02:00junk",
            "2025-1a-18T10:30:00Z",
            "+025-11-18T10:30:00Z",
            "2025-11-18T10:30:00€",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn words_ages() {
        let now = 1_000_000_000;
        let cases = [
            (0, "just now"),
            (9_999, "just now"),
            (10_000, "10 s ago"),
            (59_999, "59 s ago"),
            (60_000, "1 min ago"),
            (3_599_000, "59 min ago"),
            (3_600_000, "1 h ago"),
            (86_399_000, "23 h ago"),
            (86_400_000, "1 d ago"),
            (-5_000, "just now"),
        ];
        for (age, words) in cases {
            assert_eq!(relative(now, now - age), words, "{age}");
        }
        assert_eq!(updated_ago(now, now - 12_400), "Updated 12 s ago");
        assert_eq!(updated_ago(now, now - 119_000), "Updated 119 s ago");
        assert_eq!(updated_ago(now, now - 180_000), "Updated 3 min ago");
        assert_eq!(updated_ago(now, now + 3_000), "Updated 0 s ago");
    }

    #[test]
    fn whole_ms_matches_a_plain_cast_for_real_times() {
        for ms in [
            1.0,
            4_294_967_295.0,
            4_294_967_296.0,
            1_795_000_000_123.0,
            1_795_000_000_123.9,
        ] {
            assert_eq!(whole_ms(ms), ms as u64, "{ms}");
        }
        assert_eq!(whole_ms(f64::NAN), 0);
        assert_eq!(whole_ms(-5.0), 0);
    }
}
