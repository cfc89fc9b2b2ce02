//! One error type for every API call, each variant with a message that tells the user what
//! happened and what to do next. Server text is shown only when it is safe, plain text (PRD §11:
//! never raw HTML, stack traces or internal ids).

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// The id cannot name a job safely (empty, `.` or `..`); nothing was sent.
    InvalidId(String),
    /// 404: the job does not exist (any more).
    NotFound,
    /// 409: the job is still active; `detail` is the server's explanation.
    Conflict { detail: Option<String> },
    /// 401: no or an expired session.
    Unauthorized,
    /// 403: signed in, but not allowed.
    Forbidden { detail: Option<String> },
    /// The request never got an HTTP answer (offline, refused, dropped, CORS).
    Network(String),
    /// No answer within the client's timeout; the request was aborted.
    Timeout { after_ms: u32 },
    /// The caller aborted the request (navigation, dialog closed).
    Aborted,
    /// Any other status; `detail` only when it is safe text.
    Server { status: u16, detail: Option<String> },
    /// A 429 or 503 whose `Retry-After` said how long the server wants no requests
    /// (`with_retry_after`): a bulk run pauses that long, then sends the job again.
    Busy {
        status: u16,
        retry_after_ms: u64,
        detail: Option<String>,
    },
    /// A 2xx whose body is not what the API promises.
    Decode(String),
    /// A redirect the client did not follow: requests carrying a token or a body, and every
    /// action, are sent with `redirect: "manual"` (a followed redirect keeps `Authorization` on
    /// the same origin, and a 307/308 re-sends the method and body to wherever it points), so the
    /// browser hands back an opaque redirect; any other 3xx but 304 counts too. Nothing was
    /// followed.
    Redirected,
    /// The answer was larger than the request's limit (`endpoint::MAX_LIST_BYTES`,
    /// `endpoint::MAX_JOB_BYTES`): refused from its `Content-Length`, or reading stopped there.
    TooLarge { limit_bytes: u32 },
}

impl ApiError {
    /// The sentence shown to the user (toasts, dialogs, banners).
    pub fn user_message(&self) -> String {
        match self {
            ApiError::InvalidId(_) => {
                "This job id cannot be used in a request. Open the job from the job list.".into()
            }
            ApiError::NotFound => "Job not found or already deleted.".into(),
            ApiError::Conflict { .. } => {
                "Job is still running. Cancel it first or use force delete?".into()
            }
            ApiError::Unauthorized => {
                "Your session has expired. Sign in to the app again, then retry.".into()
            }
            ApiError::Forbidden { .. } => {
                "You don't have permission to do this. Ask an admin.".into()
            }
            ApiError::Network(_) => {
                "Could not reach the server. Check your connection, then retry.".into()
            }
            ApiError::Timeout { after_ms } => format!(
                "The server did not answer within {} s. Check the job's state, then retry.",
                after_ms.div_ceil(1000)
            ),
            ApiError::Aborted => "The request was stopped before it finished.".into(),
            ApiError::Server {
                detail: Some(detail),
                ..
            } => format!("The server refused the request: {detail}"),
            ApiError::Busy { retry_after_ms, .. } => format!(
                "The server is busy and asked to wait {} s. Try again then.",
                retry_after_ms.div_ceil(1000)
            ),
            ApiError::Server { status, .. } if *status >= 500 => {
                format!("The server had a problem (HTTP {status}). Try again in a moment.")
            }
            ApiError::Server { status, .. } => {
                format!("The server refused the request (HTTP {status}).")
            }
            ApiError::Decode(_) => {
                "The server sent an answer this extension does not understand. Reload the page; \
                 if it persists, report it."
                    .into()
            }
            ApiError::Redirected => {
                "The API answered with a redirect, which Job Actions does not follow for actions \
                 or signed-in requests. Check the API base in the site profile or the popup's \
                 settings."
                    .into()
            }
            ApiError::TooLarge { limit_bytes } => format!(
                "The API's answer was larger than {} and was not read. Check the API base; if it \
                 is right, report it to the API's owners.",
                size_text(*limit_bytes)
            ),
        }
    }

    /// Whether sending the same request again may succeed without the user changing anything.
    pub fn is_retryable(&self) -> bool {
        match self {
            ApiError::Network(_) | ApiError::Timeout { .. } | ApiError::Busy { .. } => true,
            ApiError::Server { status, .. } => *status >= 500 || *status == 429,
            _ => false,
        }
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::NotFound => Some(404),
            ApiError::Conflict { .. } => Some(409),
            ApiError::Unauthorized => Some(401),
            ApiError::Forbidden { .. } => Some(403),
            ApiError::Server { status, .. } | ApiError::Busy { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The pause a busy server asked for, if it said.
    pub fn retry_after_ms(&self) -> Option<u64> {
        match self {
            ApiError::Busy { retry_after_ms, .. } => Some(*retry_after_ms),
            _ => None,
        }
    }

    /// A 429 or 503 with the pause its `Retry-After` asked for, in whole seconds
    /// (`retry_after::seconds`): `Busy`; without one, the caller's own backoff applies.
    pub fn with_retry_after(self, seconds: Option<u64>) -> ApiError {
        match (self, seconds) {
            (ApiError::Server { status, detail }, Some(seconds)) if matches!(status, 429 | 503) => {
                ApiError::Busy {
                    status,
                    retry_after_ms: seconds * 1000,
                    detail,
                }
            }
            (error, _) => error,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.user_message())
    }
}

impl std::error::Error for ApiError {}

/// A byte count as people read it: `8 MiB`, `512 KiB`, `100 bytes`.
fn size_text(bytes: u32) -> String {
    const MIB: u32 = 1024 * 1024;
    if bytes >= MIB && bytes % MIB == 0 {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= 1024 && bytes % 1024 == 0 {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

/// The longest server `detail` shown to a user; longer ones are more likely dumps than messages.
pub const MAX_DETAIL_CHARS: usize = 300;

/// Returns the server's `detail` when it is safe to show: plain, short, single-line text with no
/// markup, no stack-trace shape and no control or bidirectional-override characters.
pub fn safe_detail(detail: &str) -> Option<String> {
    let detail = detail.trim();
    let looks_unsafe = detail.is_empty()
        || detail.chars().count() > MAX_DETAIL_CHARS
        || detail.contains(['<', '>', '\n', '\r'])
        || contains_bytes(detail, b"Traceback")
        || contains_bytes(detail, b"    at ")
        || detail.chars().any(|c| {
            c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        });
    (!looks_unsafe).then(|| detail.to_string())
}

/// Substring search without `str::contains`'s two-way searcher, which costs the content script
/// about 2 KB of wasm; details are at most a few hundred bytes, so the naive scan is fine.
fn contains_bytes(haystack: &str, needle: &[u8]) -> bool {
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check_detail(input: &str, expected: Option<&str>) {
        assert_eq!(safe_detail(input).as_deref(), expected, "{input:?}");
    }

    #[test]
    fn only_plain_short_details_are_shown() {
        check_detail("Job not found", Some("Job not found"));
        check_detail("  padded  ", Some("padded"));
        check_detail("", None);
        check_detail("<html><body>502 Bad Gateway</body></html>", None);
        check_detail("Traceback (most recent call last): File x", None);
        check_detail("TypeError: x\n    at f (a.js:1)", None);
        check_detail("evil \u{202E}txt.exe", None);
        check_detail("tab\there", None);
        check_detail(
            &"x".repeat(MAX_DETAIL_CHARS),
            Some(&"x".repeat(MAX_DETAIL_CHARS)),
        );
        check_detail(&"x".repeat(MAX_DETAIL_CHARS + 1), None);
    }

    #[track_caller]
    fn check_message(error: ApiError, expected: &str, retryable: bool) {
        assert_eq!(error.user_message(), expected);
        assert_eq!(error.is_retryable(), retryable, "{error:?}");
    }

    #[test]
    fn every_error_says_what_to_do_next() {
        check_message(
            ApiError::NotFound,
            "Job not found or already deleted.",
            false,
        );
        check_message(
            ApiError::Conflict { detail: None },
            "Job is still running. Cancel it first or use force delete?",
            false,
        );
        check_message(
            ApiError::Unauthorized,
            "Your session has expired. Sign in to the app again, then retry.",
            false,
        );
        check_message(
            ApiError::Forbidden { detail: None },
            "You don't have permission to do this. Ask an admin.",
            false,
        );
        check_message(
            ApiError::Network("TypeError: Failed to fetch".into()),
            "Could not reach the server. Check your connection, then retry.",
            true,
        );
        check_message(
            ApiError::Timeout { after_ms: 15_000 },
            "The server did not answer within 15 s. Check the job's state, then retry.",
            true,
        );
        check_message(
            ApiError::Server {
                status: 500,
                detail: Some("Queue unavailable".into()),
            },
            "The server refused the request: Queue unavailable",
            true,
        );
        check_message(
            ApiError::Server {
                status: 503,
                detail: None,
            },
            "The server had a problem (HTTP 503). Try again in a moment.",
            true,
        );
        check_message(
            ApiError::Server {
                status: 422,
                detail: None,
            },
            "The server refused the request (HTTP 422).",
            false,
        );
        check_message(
            ApiError::InvalidId("..".into()),
            "This job id cannot be used in a request. Open the job from the job list.",
            false,
        );
        check_message(
            ApiError::Redirected,
            "The API answered with a redirect, which Job Actions does not follow for actions or \
             signed-in requests. Check the API base in the site profile or the popup's settings.",
            false,
        );
        check_message(
            ApiError::TooLarge {
                limit_bytes: 8 * 1024 * 1024,
            },
            "The API's answer was larger than 8 MiB and was not read. Check the API base; if it \
             is right, report it to the API's owners.",
            false,
        );
        assert_eq!(ApiError::Redirected.status(), None);
        assert_eq!(ApiError::TooLarge { limit_bytes: 1 }.status(), None);
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(size_text(8 * 1024 * 1024), "8 MiB");
        assert_eq!(size_text(1024 * 1024), "1 MiB");
        assert_eq!(size_text(512 * 1024), "512 KiB");
        assert_eq!(size_text(1024 * 1024 + 512), "1049088 bytes");
        assert_eq!(size_text(100), "100 bytes");
        assert_eq!(size_text(0), "0 bytes");
    }

    #[test]
    fn a_busy_server_s_pause_is_kept_for_a_429_or_503_only() {
        let server = |status| ApiError::Server {
            status,
            detail: None,
        };
        let busy = server(429).with_retry_after(Some(3));
        assert_eq!(busy.retry_after_ms(), Some(3_000));
        assert_eq!(busy.status(), Some(429));
        assert!(busy.is_retryable());
        assert_eq!(
            busy.user_message(),
            "The server is busy and asked to wait 3 s. Try again then."
        );
        assert_eq!(
            server(503).with_retry_after(Some(0)).retry_after_ms(),
            Some(0)
        );
        // No readable pause, or another status: the caller's own backoff.
        assert_eq!(server(429).with_retry_after(None), server(429));
        assert_eq!(server(500).with_retry_after(Some(3)), server(500));
        assert_eq!(
            ApiError::NotFound.with_retry_after(Some(3)),
            ApiError::NotFound
        );
    }
}
