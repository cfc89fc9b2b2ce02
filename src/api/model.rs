//! The wire model of `main-api`: jobs and the request/response bodies of PRD §5.1 and §5.2.
//!
//! Responses are read with `json::FromJson` (the browser's path; see `json.rs` for why not serde)
//! and written with serde (the emulator's path); requests the other way round.
//!
//! Reading is deliberately lenient where real backends differ (`name` for `title`, `job_id` for
//! `id`, a bare array or `{"jobs": [...]}` for the list) and strict where a wrong guess would be
//! dangerous (a job without an id is an error, never a job with an empty id).

use crate::api::json::{FromJson, Json};
use crate::jobs::phase::Phase;
use serde::{Deserialize, Serialize};

/// The reason sent when the user gives none (PRD §5.1: "defaults to user_request").
pub const DEFAULT_CANCEL_REASON: &str = "user_request";

/// The longest reason text a user may type (PRD §5.5: "max 500 chars"), counted in characters.
pub const MAX_REASON_CHARS: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Job {
    pub id: String,
    pub title: String,
    pub phase: Phase,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancelled_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancellation_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancellation_notes: Option<String>,
}

impl FromJson for Job {
    fn from_json(value: &Json) -> Result<Job, String> {
        if !matches!(value, Json::Object(_)) {
            return Err("a job must be an object".into());
        }
        let id = value.required_str(&["id", "job_id"])?;
        if id.is_empty() {
            return Err("a job's `id` must not be empty".into());
        }
        Ok(Job {
            id,
            title: value.optional_str(&["title", "name"])?.unwrap_or_default(),
            phase: Phase::parse(&value.required_str(&["phase"])?),
            created_at: value.optional_str(&["created_at"])?,
            updated_at: value.optional_str(&["updated_at"])?,
            cancelled_at: value.optional_str(&["cancelled_at"])?,
            cancellation_reason: value.optional_str(&["cancellation_reason", "reason"])?,
            cancellation_notes: value.optional_str(&["cancellation_notes", "notes"])?,
        })
    }
}

impl Job {
    /// A job with only an id (also its title) and a phase: for tests and fixtures in every crate
    /// (no shipped code calls it, so no build carries it).
    pub fn bare(id: &str, phase: &str) -> Job {
        Job {
            id: id.into(),
            title: id.into(),
            phase: Phase::parse(phase),
            created_at: None,
            updated_at: None,
            cancelled_at: None,
            cancellation_reason: None,
            cancellation_notes: None,
        }
    }
}

impl Job {
    /// A list answer is often a summary: real APIs leave out what only the job's own page shows
    /// (the cancellation's reason and notes, the times). A field such an answer lacks keeps what
    /// an earlier read of the same job said, so a job page fed from the list does not lose it.
    pub fn keep_known(&mut self, known: &Job) {
        let fields = [
            (&mut self.created_at, &known.created_at),
            (&mut self.updated_at, &known.updated_at),
            (&mut self.cancelled_at, &known.cancelled_at),
            (&mut self.cancellation_reason, &known.cancellation_reason),
            (&mut self.cancellation_notes, &known.cancellation_notes),
        ];
        for (field, known) in fields {
            if field.is_none() {
                field.clone_from(known);
            }
        }
        if self.title.is_empty() {
            self.title.clone_from(&known.title);
        }
    }

    /// The job as views name it: its title, or its id while it has none.
    pub fn shown_title(&self) -> &str {
        if self.title.is_empty() {
            &self.id
        } else {
            &self.title
        }
    }

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

/// The body of `GET /api/jobs`, in the shapes real APIs answer: `[...]`, or an object holding it
/// as `jobs`, `items`, `data` or `results` (its `total`, `next` and other members are ignored:
/// the first page is what the overlay shows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobListBody(pub Vec<Job>);

impl JobListBody {
    pub fn into_jobs(self) -> Vec<Job> {
        self.0
    }
}

/// The members a list answer may hold its jobs in, tried in order.
const LIST_KEYS: &[&str] = &["jobs", "items", "data", "results"];

impl FromJson for JobListBody {
    fn from_json(value: &Json) -> Result<JobListBody, String> {
        let items = match value {
            Json::Array(items) => items,
            Json::Object(_) => match value.member(LIST_KEYS) {
                Some(Json::Array(items)) => items,
                Some(_) => return Err("`jobs` is not a list".into()),
                None => {
                    return Err(
                        "missing the job list: expected `jobs`, `items`, `data` or `results`"
                            .into(),
                    )
                }
            },
            _ => {
                return Err(
                    "the job list must be a list or an object with `jobs`, `items`, `data` or \
                     `results`"
                        .into(),
                )
            }
        };
        let jobs = items.iter().map(Job::from_json).collect::<Result<_, _>>()?;
        Ok(JobListBody(jobs))
    }
}

/// The list response the emulator sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
    /// The JSON body, with absent fields left out.
    pub fn to_json(&self) -> String {
        crate::api::json::write_string_object(&[
            ("reason", self.reason.as_deref()),
            ("notes", self.notes.as_deref()),
        ])
    }

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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CancelResponse {
    pub job_id: String,
    pub phase: Phase,
    pub cancelled_at: Option<String>,
    pub reason: Option<String>,
    pub notes: Option<String>,
    /// Set when the cancel did not change anything (already cancelled, completed or failed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl FromJson for CancelResponse {
    fn from_json(value: &Json) -> Result<CancelResponse, String> {
        Ok(CancelResponse {
            job_id: value.required_str(&["job_id", "id"])?,
            phase: Phase::parse(&value.required_str(&["phase"])?),
            cancelled_at: value.optional_str(&["cancelled_at"])?,
            reason: value.optional_str(&["reason"])?,
            notes: value.optional_str(&["notes"])?,
            message: value.optional_str(&["message"])?,
        })
    }
}

/// `DELETE /api/jobs/{id}` 200 body (PRD §5.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeleteResponse {
    pub job_id: String,
    pub status: String,
    pub deleted_at: String,
}

impl FromJson for DeleteResponse {
    fn from_json(value: &Json) -> Result<DeleteResponse, String> {
        Ok(DeleteResponse {
            job_id: value.required_str(&["job_id", "id"])?,
            status: value.required_str(&["status"])?,
            deleted_at: value.optional_str(&["deleted_at"])?.unwrap_or_default(),
        })
    }
}

/// Every error body of `main-api`: `{"detail": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorBody {
    pub detail: String,
}

impl FromJson for ErrorBody {
    fn from_json(value: &Json) -> Result<ErrorBody, String> {
        Ok(ErrorBody {
            detail: value.required_str(&["detail"])?,
        })
    }
}

/// `POST /api/jobs` body: the emulator's way to create jobs for tests and demos.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CreateJobRequest {
    /// The emulator only: the job's id, for tests with hostile ids (`a/b`, `..`, `%2F`, unicode);
    /// a new UUID when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub title: String,
    /// Defaults to `collection`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<Phase>,
    /// The emulator only: an active job whose cancel was accepted this many seconds ago and whose
    /// workers have not stopped yet (a cancel that waits; tests of what the views offer then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_requested_s_ago: Option<u32>,
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_list_summary_keeps_what_the_jobs_own_read_said() {
        let mut known = Job::bare("j1", "cancelled");
        known.cancelled_at = Some("2026-12-06T06:00:00Z".into());
        known.cancellation_reason = Some("duplicate".into());
        known.cancellation_notes = Some("asked by ops".into());
        let mut summary = Job::bare("j1", "cancelled");
        summary.title = String::new();
        summary.updated_at = Some("2026-12-06T06:01:00Z".into());
        summary.keep_known(&known);
        assert_eq!(summary.cancellation_reason.as_deref(), Some("duplicate"));
        assert_eq!(summary.cancellation_notes.as_deref(), Some("asked by ops"));
        assert_eq!(summary.cancelled_at, known.cancelled_at);
        assert_eq!(summary.title, "j1", "an empty title keeps the known one");
        assert_eq!(
            summary.updated_at.as_deref(),
            Some("2026-12-06T06:01:00Z"),
            "what the summary does say wins"
        );
    }

    use super::*;

    use crate::api::json::decode;

    #[track_caller]
    fn check_job(json: &str, id: &str, title: &str, phase: Phase) {
        let job: Job = decode(json).unwrap_or_else(|e| panic!("{json}: {e}"));
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

    #[track_caller]
    fn check_bad_job(json: &str, message: &str) {
        assert_eq!(decode::<Job>(json), Err(message.to_string()), "{json}");
    }

    #[test]
    fn jobs_without_the_essentials_are_errors() {
        check_bad_job(r#"{"title":"T","phase":"matching"}"#, "missing `id`");
        check_bad_job(
            r#"{"id":"","phase":"matching"}"#,
            "a job's `id` must not be empty",
        );
        check_bad_job(r#"{"id":"a","title":"T"}"#, "missing `phase`");
        check_bad_job(r#"{"id":7,"phase":"matching"}"#, "`id` is not a string");
        check_bad_job(
            r#"{"id":"a","phase":"matching","title":["x"]}"#,
            "`title` is not a string",
        );
        check_bad_job(r#"["a"]"#, "a job must be an object");
        check_bad_job("{not json", "expected a member name at byte 1");
    }

    #[test]
    fn job_serializes_for_the_emulator_and_reads_back() {
        let job: Job = decode(
            r#"{"id":"a","title":"<b>T</b>","phase":"cancelled","cancelled_at":"2025-11-18T10:30:00Z","notes":"n"}"#,
        )
        .unwrap();
        let written = serde_json::to_string(&job).unwrap();
        assert_eq!(decode::<Job>(&written), Ok(job));
    }

    #[test]
    fn cancellation_metadata_decodes_under_both_names() {
        let job: Job = decode(
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
            r#"{"total":1,"next":{"cursor":[1,2.5]},"jobs":[{"id":"a","phase":"matching"}]}"#,
            r#"{"data":[{"id":"a","phase":"matching"}],"total":1,"next":null}"#,
            r#"{"results":[{"id":"a","phase":"matching"}],"next":"/api/jobs?page=2"}"#,
        ] {
            let body: JobListBody = decode(json).unwrap();
            assert_eq!(body.into_jobs().len(), 1, "{json}");
        }
        for (json, message) in [
            (
                r#"{"total":0}"#,
                "missing the job list: expected `jobs`, `items`, `data` or `results`",
            ),
            (r#"{"jobs":{}}"#, "`jobs` is not a list"),
            (
                "3",
                "the job list must be a list or an object with `jobs`, `items`, `data` or \
                 `results`",
            ),
            (r#"[{"id":"a"}]"#, "missing `phase`"),
        ] {
            assert_eq!(
                decode::<JobListBody>(json),
                Err(message.to_string()),
                "{json}"
            );
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
        let mut job: Job = decode(r#"{"id":"a","phase":"matching"}"#).unwrap();
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
