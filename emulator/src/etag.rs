//! Conditional GETs: a strong `ETag` over the exact JSON bytes, and 304 when `If-None-Match`
//! names it, so pollers pay for a body only when something changed.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// FNV-1a 64 over the body: cheap, stable across runs, and any change of bytes changes it.
pub fn etag_of(body: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in body {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("\"{hash:016x}\"")
}

/// Whether an `If-None-Match` header value matches `etag` (weak comparison, as RFC 9110 asks).
pub fn matches(if_none_match: &str, etag: &str) -> bool {
    let bare = |tag: &str| tag.trim().trim_start_matches("W/").to_string();
    if_none_match
        .split(',')
        .any(|candidate| candidate.trim() == "*" || bare(candidate) == bare(etag))
}

/// 200 with the JSON and its `ETag`, or 304 when the client already has it.
pub fn conditional_json<T: Serialize>(request_headers: &HeaderMap, value: &T) -> Response {
    let body = serde_json::to_vec(value).expect("API types always serialize");
    let etag = etag_of(&body);
    let etag_header = HeaderValue::from_str(&etag).expect("hex in quotes is a valid header");
    let not_modified = request_headers
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| matches(value, &etag));
    let cache = (header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if not_modified {
        return (
            StatusCode::NOT_MODIFIED,
            [(header::ETAG, etag_header), cache],
        )
            .into_response();
    }
    (
        StatusCode::OK,
        [
            (header::ETAG, etag_header),
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            cache,
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags_follow_the_bytes() {
        assert_eq!(etag_of(b"[]"), etag_of(b"[]"));
        assert_ne!(etag_of(b"[]"), etag_of(b"[ ]"));
        assert!(etag_of(b"x").starts_with('"') && etag_of(b"x").ends_with('"'));
    }

    #[test]
    fn if_none_match_forms() {
        #[track_caller]
        fn check(header: &str, expected: bool) {
            assert_eq!(matches(header, "\"abc\""), expected, "{header}");
        }
        check("\"abc\"", true);
        check("W/\"abc\"", true);
        check("\"x\", \"abc\"", true);
        check("*", true);
        check("\"abd\"", false);
        check("", false);
    }
}
