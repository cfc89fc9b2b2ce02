//! Views and helpers for tests: the audit table, a job's associated-data counts, bulk creation.

use crate::db::AuditEntry;
use crate::error::Failure;
use crate::{clock, AppState};
use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use job_actions::{Job, Phase};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Serialize, Deserialize)]
pub struct AuditList {
    pub entries: Vec<AuditEntry>,
}

/// Rows per child table, and their total.
#[derive(Debug, Serialize, Deserialize)]
pub struct AssociatedData {
    pub tables: BTreeMap<String, u64>,
    pub total: u64,
}

/// `POST /_emulator/jobs/bulk`: many jobs at once, for scale and large-body tests.
#[derive(Debug, Deserialize)]
pub struct BulkCreate {
    pub count: u32,
    /// Every job's phase (default `collection`).
    #[serde(default)]
    pub phase: Option<Phase>,
    /// Each title is padded with `x` to at least this many characters.
    #[serde(default)]
    pub title_chars: usize,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct BulkCreated {
    pub ids: Vec<String>,
}

/// The most jobs one bulk request creates.
pub const MAX_BULK: u32 = 5_000;

pub fn admin_router() -> Router<AppState> {
    Router::new()
        .route("/_emulator/audit", get(audit))
        .route("/_emulator/jobs/{job_id}/data", get(associated_data))
        .route("/_emulator/jobs/bulk", post(bulk_create))
}

async fn bulk_create(
    State(state): State<AppState>,
    Json(request): Json<BulkCreate>,
) -> Result<Json<BulkCreated>, Failure> {
    if request.count == 0 || request.count > MAX_BULK {
        return Err(Failure::BadRequest(format!(
            "count must be from 1 to {MAX_BULK}"
        )));
    }
    let mut ids = Vec::with_capacity(request.count as usize);
    for n in 1..=request.count {
        let now = clock::now();
        let mut title = format!("Bulk job {n}");
        while title.len() < request.title_chars {
            title.push('x');
        }
        let job = Job {
            id: uuid::Uuid::new_v4().to_string(),
            title,
            phase: request.phase.clone().unwrap_or(Phase::Collection),
            created_at: Some(now.clone()),
            updated_at: Some(now),
            cancelled_at: None,
            cancellation_reason: None,
            cancellation_notes: None,
        };
        state.db.insert_job(&job)?;
        ids.push(job.id);
    }
    Ok(Json(BulkCreated { ids }))
}

async fn audit(State(state): State<AppState>) -> Result<Json<AuditList>, Failure> {
    Ok(Json(AuditList {
        entries: state.db.audit_entries()?,
    }))
}

async fn associated_data(
    State(state): State<AppState>,
    Path(job_id): Path<String>,
) -> Result<Json<AssociatedData>, Failure> {
    let counts = state.db.associated_data_counts(&job_id)?;
    let total = counts.iter().map(|(_, n)| n).sum();
    let tables = counts
        .into_iter()
        .map(|(table, n)| (table.to_string(), n))
        .collect();
    Ok(Json(AssociatedData { tables, total }))
}
