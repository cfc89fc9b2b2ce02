//! What a failed cancel or delete leaves for whoever debugs it (PRD §5.1 "log error details",
//! issue #23): one console line, the same on the job pages and in the popup — the action, the job,
//! the endpoint, what the server answered (with its `detail` only when that is safe text), and how
//! long it took. Never a token, a cookie or the typed reason: the line is built from the request's
//! method and URL (the token travels in a header, the reason in the body) and the error. The same
//! line, without the prefix, is what the error's "Copy details" copies (in the dialog and on the
//! error toast: `flow::Failure::details`, `flow::Toast::details`).

use crate::api::endpoint::ClientConfig;
use crate::api::error::{safe_detail, ApiError};
use crate::jobs::flow::Request;
use crate::CancelRequest;

/// The "Copy details" button's label, and what it says for `COPIED_MS` after a press.
pub const COPY_DETAILS: &str = "Copy details";
pub const COPIED: &str = "Copied";
/// The clipboard refused the text (no permission, an insecure page): the view shows it, selected.
pub const COPY_FAILED: &str = "Copy failed — select the text";
pub const COPIED_MS: u32 = 2_000;

/// A button that copies a text drawn beside it, on the job pages and in the popup alike: its
/// label, and its control name and test id (`id`; the text's test id is `{id}-text`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CopyButton {
    pub label: &'static str,
    pub id: &'static str,
}

/// A failed request's console line (the error toast, the dialog's error).
pub const DETAILS: CopyButton = CopyButton {
    label: COPY_DETAILS,
    id: "copy-details",
};
/// A delete's Activity receipt (its success toast, each Activity entry; issue #23).
pub const RECEIPT: CopyButton = CopyButton {
    label: crate::jobs::activity::COPY_RECEIPT,
    id: "copy-receipt",
};

impl CopyButton {
    /// The copy button a control name is, if it is one.
    pub fn by_id(id: &str) -> Option<CopyButton> {
        [DETAILS, RECEIPT]
            .into_iter()
            .find(|button| button.id == id)
    }
}

/// The line for a failed `request` on `job_id`, or none when the caller gave up on it itself
/// (`Aborted`: the page moved on). Without the `[job-actions]` prefix, which each view adds.
pub fn failure_line(
    config: &ClientConfig,
    job_id: &str,
    request: Request,
    error: &ApiError,
    elapsed_ms: u64,
) -> Option<String> {
    if *error == ApiError::Aborted {
        return None;
    }
    let (action, spec) = match request {
        Request::Cancel => (
            "cancel",
            config.cancel_job(job_id, &CancelRequest::default()),
        ),
        Request::Delete { force: false } => ("delete", config.delete_job(job_id, false)),
        Request::Delete { force: true } => ("force delete", config.delete_job(job_id, true)),
    };
    let endpoint = match spec {
        Ok(spec) => format!("{} {}", spec.method.as_str(), spec.url),
        Err(_) => "nothing sent".to_string(),
    };
    Some(format!(
        "{action} of job \"{job_id}\" failed: {endpoint} → {} after {elapsed_ms} ms",
        answer(error)
    ))
}

/// What came back, as a developer reads it.
fn answer(error: &ApiError) -> String {
    let with_detail =
        |status: u16, detail: &Option<String>| match detail.as_deref().and_then(safe_detail) {
            Some(detail) => format!("{status} \"{detail}\""),
            None => status.to_string(),
        };
    match error {
        ApiError::NotFound => "404".into(),
        ApiError::Unauthorized => "401".into(),
        ApiError::Conflict { detail } => with_detail(409, detail),
        ApiError::Forbidden { detail } => with_detail(403, detail),
        ApiError::Server { status, detail } => with_detail(*status, detail),
        ApiError::Busy {
            status,
            retry_after_ms,
            detail,
        } => format!(
            "{} (Retry-After: {} s)",
            with_detail(*status, detail),
            retry_after_ms / 1000
        ),
        ApiError::Network(why) => match safe_detail(why) {
            Some(why) => format!("no answer ({why})"),
            None => "no answer".into(),
        },
        ApiError::Timeout { after_ms } => format!("no answer within {after_ms} ms"),
        ApiError::Decode(why) => format!("2xx that could not be read ({why})"),
        ApiError::Redirected => "a redirect (not followed)".into(),
        ApiError::TooLarge { limit_bytes } => format!("an answer over {limit_bytes} bytes"),
        ApiError::InvalidId(_) => "not sent: the id cannot name a job".into(),
        ApiError::Aborted => "aborted".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> ClientConfig {
        ClientConfig::new("http://127.0.0.1:8700/api")
            .unwrap()
            .with_token(Some("secret-token".into()))
    }

    #[test]
    fn names_the_action_the_endpoint_the_answer_and_the_time() {
        let line = failure_line(
            &config(),
            "42",
            Request::Cancel,
            &ApiError::Server {
                status: 500,
                detail: Some("database is locked".into()),
            },
            123,
        )
        .unwrap();
        assert_eq!(
            line,
            "cancel of job \"42\" failed: POST http://127.0.0.1:8700/api/jobs/42/cancel → 500 \"database is locked\" after 123 ms"
        );
        let line = failure_line(
            &config(),
            "7",
            Request::Delete { force: false },
            &ApiError::Conflict { detail: None },
            9,
        )
        .unwrap();
        assert_eq!(
            line,
            "delete of job \"7\" failed: DELETE http://127.0.0.1:8700/api/jobs/7?force=false → 409 after 9 ms"
        );
    }

    #[test]
    fn never_a_token_or_unsafe_server_text_and_nothing_for_an_abort() {
        for error in [
            ApiError::Unauthorized,
            ApiError::Forbidden {
                detail: Some("<script>alert(1)</script>".into()),
            },
            ApiError::Network("Failed to fetch".into()),
            ApiError::Timeout { after_ms: 10_000 },
        ] {
            let line = failure_line(&config(), "j", Request::Cancel, &error, 1).unwrap();
            assert!(!line.contains("secret-token"), "{line}");
            assert!(!line.contains("<script>"), "{line}");
        }
        assert_eq!(
            failure_line(&config(), "j", Request::Cancel, &ApiError::Aborted, 1),
            None
        );
    }
}
