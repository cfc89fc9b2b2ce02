//! `/api/jobs`: list, get, create, cancel and delete, with exactly the PRD's semantics (the list
//! in the shape `--list-shape` chose; writes checked for a CSRF token with `--csrf`).

use crate::auth::{authenticate, Caller};
use crate::db::{CancelOutcome, DeleteOutcome};
use crate::error::Failure;
use crate::etag::conditional_json;
use crate::{clock, AppState};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use job_actions::api::model::{
    CancelRequest, CancelResponse, CreateJobRequest, DeleteResponse, DEFAULT_CANCEL_REASON,
};
use job_actions::{Job, Phase};
use serde::Deserialize;

/// The most jobs one list request returns.
pub const MAX_LIMIT: u32 = 1_000;
/// The default page size of `GET /api/jobs`.
pub const DEFAULT_LIMIT: u32 = 100;
/// Longest title, reason or notes accepted (well above the UI's 500 so hostile-input tests fit).
pub const MAX_TEXT_CHARS: usize = 20_000;

pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/jobs", get(list_jobs).post(create_job))
        .route("/jobs/{job_id}", get(get_job).delete(delete_job))
        .route("/jobs/{job_id}/cancel", post(cancel_job))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            authenticate,
        ))
        // Outermost: a write without the CSRF token (`--csrf`) is refused before anything else,
        // as an app's CSRF middleware does.
        .layer(axum::middleware::from_fn_with_state(
            state,
            crate::csrf::verify,
        ))
}

#[derive(Debug, Deserialize)]
pub struct ListParams {
    limit: Option<String>,
    phase: Option<String>,
}

async fn list_jobs(
    State(state): State<AppState>,
    Query(params): Query<ListParams>,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let limit = match params.limit.as_deref() {
        None => DEFAULT_LIMIT,
        Some(text) => match text.parse::<u32>() {
            Ok(limit) if (1..=MAX_LIMIT).contains(&limit) => limit,
            _ => {
                return Err(Failure::BadRequest(format!(
                    "limit must be a whole number from 1 to {MAX_LIMIT}, not `{text}`"
                )))
            }
        },
    };
    let phase = params.phase.as_deref().map(Phase::parse);
    let limit = state
        .list_shape
        .page_max()
        .map_or(limit, |max| limit.min(max));
    let jobs = state.db.list_jobs(limit, phase.as_ref())?;
    let shape = state.list_shape.get();
    Ok(conditional_json(&headers, &shape.body(&jobs)))
}

async fn get_job(
    State(state): State<AppState>,
    Path(job_id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let job = state.db.get_job(&job_id)?.ok_or(Failure::NotFound)?;
    Ok(conditional_json(&headers, &job))
}

async fn create_job(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Result<Response, Failure> {
    caller.require_write()?;
    let request: CreateJobRequest = parse_json(&body)?;
    let title = request.title.trim();
    if title.is_empty() {
        return Err(Failure::BadRequest("title must not be empty".into()));
    }
    check_length("title", title)?;
    let id = match request.id {
        None => uuid::Uuid::new_v4().to_string(),
        Some(id) if id.is_empty() || id.chars().count() > 200 => {
            return Err(Failure::BadRequest(
                "id must be 1 to 200 characters long".into(),
            ))
        }
        Some(id) if state.db.get_job(&id)?.is_some() => {
            return Err(Failure::BadRequest(format!("a job with id `{id}` exists")))
        }
        Some(id) => id,
    };
    let now = clock::now();
    let phase = request.phase.unwrap_or(Phase::Collection);
    let cancelled = phase == Phase::Cancelled;
    let cancel_requested = match request.cancel_requested_s_ago {
        Some(_) if !phase.is_active() => {
            return Err(Failure::BadRequest(
                "cancel_requested_s_ago needs an active phase: a finished job stops no workers"
                    .into(),
            ))
        }
        Some(seconds) => Some(clock::ago(i64::from(seconds))),
        None => None,
    };
    let job = Job {
        id,
        title: title.to_string(),
        phase,
        created_at: Some(now.clone()),
        updated_at: Some(now.clone()),
        cancelled_at: cancel_requested
            .clone()
            .or_else(|| cancelled.then(|| now.clone())),
        cancellation_reason: (cancelled || cancel_requested.is_some())
            .then(|| DEFAULT_CANCEL_REASON.to_string()),
        cancellation_notes: None,
    };
    state.db.insert_job(&job)?;
    Ok((StatusCode::CREATED, Json(job)).into_response())
}

async fn cancel_job(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(job_id): Path<String>,
    body: Bytes,
) -> Result<Json<CancelResponse>, Failure> {
    caller.require_write()?;
    let request: CancelRequest = if body.iter().all(u8::is_ascii_whitespace) {
        CancelRequest::default()
    } else {
        parse_json(&body)?
    };
    let reason = request.reason.as_deref().unwrap_or(DEFAULT_CANCEL_REASON);
    check_length("reason", reason)?;
    if let Some(notes) = &request.notes {
        check_length("notes", notes)?;
    }
    let delay_ms = state.worker.cancel_delay_ms();
    let outcome = state.db.cancel_job(
        &job_id,
        reason,
        request.notes.as_deref(),
        caller.actor,
        &clock::now(),
        delay_ms > 0,
    )?;
    let (job, message) = match outcome {
        CancelOutcome::NotFound => return Err(Failure::NotFound),
        CancelOutcome::Cancelled(job) => (job, None),
        CancelOutcome::Requested(job) => {
            // The workers stop `delay_ms` later; then the job is cancelled.
            let db = state.db.clone();
            let id = job.id.clone();
            tokio::spawn(async move {
                tokio::time::sleep(std::time::Duration::from_millis(delay_ms)).await;
                if let Err(error) = db.finish_cancel(&id, &clock::now()) {
                    eprintln!("emulator: could not finish the cancel of {id}: {error}");
                }
            });
            let message = "Cancellation requested; the job's workers are stopping".to_string();
            (job, Some(message))
        }
        CancelOutcome::AlreadyCancelled(job) => {
            (job, Some("Job was already cancelled".to_string()))
        }
        CancelOutcome::AlreadyFinished(job) => {
            let message = format!("Job already {}; nothing to cancel", job.phase);
            (job, Some(message))
        }
    };
    Ok(Json(CancelResponse {
        job_id: job.id,
        phase: job.phase,
        cancelled_at: job.cancelled_at,
        reason: job.cancellation_reason,
        notes: job.cancellation_notes,
        message,
    }))
}

#[derive(Debug, Deserialize)]
pub struct DeleteParams {
    force: Option<String>,
}

async fn delete_job(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(job_id): Path<String>,
    Query(params): Query<DeleteParams>,
) -> Result<Json<DeleteResponse>, Failure> {
    caller.require_write()?;
    let force = match params.force.as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => {
            return Err(Failure::BadRequest(format!(
                "force must be true or false, not `{other}`"
            )))
        }
    };
    let now = clock::now();
    match state.db.delete_job(&job_id, force, caller.actor, &now)? {
        DeleteOutcome::NotFound => Err(Failure::NotFound),
        DeleteOutcome::StillActive => Err(Failure::StillActive),
        DeleteOutcome::Deleted => Ok(Json(DeleteResponse {
            job_id,
            status: "deleted".into(),
            deleted_at: now,
        })),
    }
}

fn parse_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Failure> {
    serde_json::from_slice(body).map_err(|e| Failure::BadRequest(format!("invalid JSON body: {e}")))
}

fn check_length(field: &str, text: &str) -> Result<(), Failure> {
    let n_chars = text.chars().count();
    if n_chars > MAX_TEXT_CHARS {
        return Err(Failure::BadRequest(format!(
            "{field} is {n_chars} characters long; the limit is {MAX_TEXT_CHARS}"
        )));
    }
    Ok(())
}
