//! The wire model of `main-api`: jobs and the request/response bodies of PRD §5.1 and §5.2.
//!
//! Decoding is deliberately lenient where real backends differ (`name` for `title`, `job_id` for
//! `id`, a bare array or `{"jobs": [...]}` for the list) and strict where a wrong guess would be
//! dangerous (a job without an id is an error, never a job with an empty id).

use crate::phase::Phase;
use serde::{Deserialize, Serialize};

/// The reason sent when the user gives none (PRD §5.1: "defaults to user_request").
pub const DEFAULT_CANCEL_REASON: &str = "user_request";

/// The longest reason text a user may type (PRD §5.5: "max 500 chars"), counted in characters.
pub const MAX_REASON_CHARS: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    #[serde(alias = "job_id")]
    pub id: String,
    #[serde(alias = "name", default)]
    pub title: String,
    pub phase: Phase,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancelled_at: Option<String>,
    #[serde(alias = "reason", default, skip_serializing_if = "Option::is_none")]
    pub cancellation_reason: Option<String>,
    #[serde(alias = "notes", default, skip_serializing_if = "Option::is_none")]
    pub cancellation_notes: Option<String>,
}

impl Job {
    /// True when the job carries cancellation metadata worth showing (PRD §5.4).
    pub fn has_cancellation(&self) -> bool {
        self.cancelled_at.is_some()
    }

    /// Applies a successful cancel response to the job, as PRD §7.3 describes.
    pub fn apply_cancel(&mut self, response: &CancelResponse) {
        self.phase = response.phase.clone();
        if response.cancelled_at.is_some() {
            self.cancelled_at = response.cancelled_at.clone();
            self.cancellation_reason = response.reason.clone();
            self.cancellation_notes = response.notes.clone();
        }
    }
}

/// The body of `GET /api/jobs`: either `[...]` or `{"jobs": [...]}` (or `"items"`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum JobListBody {
    Bare(Vec<Job>),
    Wrapped {
        #[serde(alias = "items")]
        jobs: Vec<Job>,
    },
}

impl JobListBody {
    pub fn into_jobs(self) -> Vec<Job> {
        match self {
            JobListBody::Bare(jobs) | JobListBody::Wrapped { jobs } => jobs,
        }
    }
}

/// The list response the emulator sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobList {
    pub jobs: Vec<Job>,
}

/// `POST /api/jobs/{id}/cancel` body (PRD §5.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CancelRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

impl CancelRequest {
    /// The request the dialogs send: reason `user_request`, and the user's typed text as notes
    /// when it is not blank. Fails with a specific message when the text is too long.
    pub fn from_user_text(text: &str) -> Result<CancelRequest, String> {
        let n_chars = text.chars().count();
        if n_chars > MAX_REASON_CHARS {
            return Err(format!(
                "The reason is {n_chars} characters long; shorten it to {MAX_REASON_CHARS} or fewer."
            ));
        }
        let trimmed = text.trim();
        Ok(CancelRequest {
            reason: Some(DEFAULT_CANCEL_REASON.to_string()),
            notes: (!trimmed.is_empty()).then(|| trimmed.to_string()),
        })
    }
}

/// `POST /api/jobs/{id}/cancel` 200 body (PRD §5.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelResponse {
    pub job_id: String,
    pub phase: Phase,
    #[serde(default)]
    pub cancelled_at: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
    /// Set when the cancel did not change anything (already cancelled, completed or failed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// `DELETE /api/jobs/{id}` 200 body (PRD §5.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteResponse {
    pub job_id: String,
    pub status: String,
    pub deleted_at: String,
}

/// Every error body of `main-api`: `{"detail": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub detail: String,
}

/// `POST /api/jobs` body: the emulator's way to create jobs for tests and demos.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CreateJobRequest {
    pub title: String,
    /// Defaults to `collection`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<Phase>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check_job(json: &str, id: &str, title: &str, phase: Phase) {
        let job: Job = serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"));
        assert_eq!(
            (job.id.as_str(), job.title.as_str(), job.phase),
            (id, title, phase)
        );
    }

    #[test]
    fn job_decoding_accepts_the_field_names_backends_use() {
        check_job(
            r#"{"id":"a","title":"T","phase":"matching"}"#,
            "a",
            "T",
            Phase::Matching,
        );
        check_job(
            r#"{"job_id":"b","name":"N","phase":"failed"}"#,
            "b",
            "N",
            Phase::Failed,
        );
        check_job(
            r#"{"id":"c","phase":"archived"}"#,
            "c",
            "",
            Phase::Unknown("archived".into()),
        );
        check_job(
            r#"{"id":"d","title":"x","phase":"cancelled","extra":{"nested":[1,2]}}"#,
            "d",
            "x",
            Phase::Cancelled,
        );
    }

    #[test]
    fn job_without_id_or_phase_is_an_error() {
        for json in [
            r#"{"title":"T","phase":"matching"}"#,
            r#"{"id":"a","title":"T"}"#,
        ] {
            assert!(
                serde_json::from_str::<Job>(json).is_err(),
                "{json} must not decode"
            );
        }
    }

    #[test]
    fn cancellation_metadata_decodes_under_both_names() {
        let job: Job = serde_json::from_str(
            r#"{"id":"a","phase":"cancelled","cancelled_at":"2025-11-18T10:30:00Z",
                "reason":"user_request","notes":"Customer requested stop"}"#,
        )
        .unwrap();
        assert!(job.has_cancellation());
        assert_eq!(job.cancellation_reason.as_deref(), Some("user_request"));
        assert_eq!(
            job.cancellation_notes.as_deref(),
            Some("Customer requested stop")
        );
    }

    #[test]
    fn list_body_comes_bare_or_wrapped() {
        for json in [
            r#"[{"id":"a","phase":"matching"}]"#,
            r#"{"jobs":[{"id":"a","phase":"matching"}]}"#,
            r#"{"items":[{"id":"a","phase":"matching"}],"total":1}"#,
        ] {
            let body: JobListBody = serde_json::from_str(json).unwrap();
            assert_eq!(body.into_jobs().len(), 1, "{json}");
        }
    }

    #[track_caller]
    fn check_cancel_text(text: &str, expected: Result<Option<&str>, &str>) {
        let got = CancelRequest::from_user_text(text);
        match expected {
            Ok(notes) => {
                let request = got.unwrap();
                assert_eq!(request.reason.as_deref(), Some(DEFAULT_CANCEL_REASON));
                assert_eq!(request.notes.as_deref(), notes);
            }
            Err(message) => assert_eq!(got.unwrap_err(), message),
        }
    }

    #[test]
    fn cancel_request_from_user_text() {
        check_cancel_text("", Ok(None));
        check_cancel_text("   \n", Ok(None));
        check_cancel_text("  stuck in matching ", Ok(Some("stuck in matching")));
        let at_limit = "é".repeat(MAX_REASON_CHARS);
        check_cancel_text(&at_limit, Ok(Some(at_limit.as_str())));
        check_cancel_text(
            &"x".repeat(501),
            Err("The reason is 501 characters long; shorten it to 500 or fewer."),
        );
    }

    #[test]
    fn cancel_request_omits_absent_fields() {
        assert_eq!(
            serde_json::to_string(&CancelRequest::default()).unwrap(),
            "{}"
        );
    }

    #[test]
    fn apply_cancel_updates_phase_and_metadata() {
        let mut job: Job = serde_json::from_str(r#"{"id":"a","phase":"matching"}"#).unwrap();
        job.apply_cancel(&CancelResponse {
            job_id: "a".into(),
            phase: Phase::Cancelled,
            cancelled_at: Some("2025-11-18T10:30:00Z".into()),
            reason: Some("user_request".into()),
            notes: None,
            message: None,
        });
        assert_eq!(job.phase, Phase::Cancelled);
        assert_eq!(job.cancelled_at.as_deref(), Some("2025-11-18T10:30:00Z"));
    }
}
